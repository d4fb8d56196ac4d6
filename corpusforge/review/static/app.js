// corpusforge review app: plain JS, no external assets. Talks to server.py's JSON API.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { meta: null, docs: [], order: [], pos: 0, doc: null, labelled: new Set(), reviewer: "",
                assigned: new Set(), mode: "all", pending: null, proposedReason: null };
const KEYS = { c: "correct", v: "variety" };  // k and r ask for a reason first

// The per-launch token: in the address `corpusforge review` printed (?token=...), kept for this tab so
// a reload of the bare address still works. Sent as a header, never in a URL the server logs or links.
const TOKEN = new URLSearchParams(location.search).get("token") || sessionStorage.getItem("corpusforge-token") || "";
if (TOKEN) sessionStorage.setItem("corpusforge-token", TOKEN);

async function api(path, body) {
  const headers = { Authorization: "Bearer " + TOKEN };
  const opts = body ? { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) } : { headers };
  const res = await fetch(path, opts);
  if (res.status === 401) throw new Error("this address has no valid token: open the one `corpusforge review` printed (…/?token=…)");
  const data = await res.json();
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function setStatus(text, kind) {
  const el = $("status");
  el.textContent = text;
  el.className = kind || "";
}

async function refreshOrder() {
  const want = $("stratum").value;
  let docs = state.docs;
  if (state.mode === "assigned") docs = docs.filter((d) => state.assigned.has(d.i));
  if (state.mode === "disagreements") {
    const open = new Set((await api("/api/disagreements")).map((x) => x.i));
    docs = docs.filter((d) => open.has(d.i));
  }
  state.order = docs.filter((d) => !want || d.stratum === want).map((d) => d.i);
}

// PII tokens (<EMAIL>, <PHONE> ...) wrapped in <mark class="pii">; built from text nodes, never innerHTML.
function appendWithPii(el, text) {
  const re = new RegExp("<(" + state.meta.pii_tokens.join("|") + ")>", "g");
  let last = 0;
  for (const m of text.matchAll(re)) {
    el.append(text.slice(last, m.index));
    const mark = document.createElement("mark");
    mark.className = "pii";
    mark.title = "redacted " + m[1];
    mark.textContent = m[0];
    el.append(mark);
    last = m.index + m[0].length;
  }
  el.append(text.slice(last));
}

// The text, with the [start, end) spans it shares with another page in <mark class="shared">.
function renderText(el, text, spans) {
  el.replaceChildren();
  let pos = 0;
  for (const [start, end] of spans || []) {
    appendWithPii(el, text.slice(pos, start));
    const shared = document.createElement("mark");
    shared.className = "shared";
    appendWithPii(shared, text.slice(start, end));
    el.append(shared);
    pos = end;
  }
  appendWithPii(el, text.slice(pos));
}

function fmt(v) {
  if (v === null || v === undefined) return "–";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(3);
  return String(v);
}

function renderSignals(doc) {
  const table = $("signals");
  table.replaceChildren();
  const rows = [];
  for (const [k, v] of Object.entries(doc.signals)) rows.push([k, v, doc.score_column === k]);
  for (const [k, v] of Object.entries(doc.pii)) rows.push([k, v, false]);
  for (const [k, v] of Object.entries(doc.lang_mix || {})) rows.push(["lang_mix " + k, v, false]);
  if (doc.dup_cluster) rows.push(["dup_cluster", doc.dup_cluster, false]);
  for (const [k, v, hot] of rows) {
    const tr = table.insertRow();
    if (hot) tr.className = "hot";
    tr.insertCell().textContent = k;
    tr.insertCell().textContent = fmt(v);
  }
}

// Each rule of the page's language: its signal against the run's threshold; the rule that rejected it stands out.
function renderRules(doc) {
  $("rules-tag").textContent = doc.lang_tag || "default";
  const body = $("rules").tBodies[0];
  body.replaceChildren();
  for (const r of doc.rules) {
    const tr = body.insertRow();
    tr.className = r.rejected_by ? "hit" : r.fails ? "fails" : "";
    tr.insertCell().textContent = r.rule;
    tr.insertCell().textContent = fmt(r.value);
    tr.insertCell().textContent = `${r.op} ${fmt(r.threshold)}`;
    tr.insertCell().textContent = r.rejected_by ? "✗ rejected it" : r.fails ? "✗" : "✓";
  }
  $("rules-box").hidden = !doc.rules.length;
}

function renderDuplicate(doc) {
  const dup = doc.dup_of;
  $("dup-box").hidden = !dup;
  $("text").hidden = !!dup;
  if (!dup) return;
  $("dup-id").textContent = dup.id;
  $("dup-url").textContent = dup.url || dup.title || dup.id;
  $("dup-url").href = dup.url && /^https?:/.test(dup.url) ? dup.url : "#";
  renderText($("dup-mine"), doc.text, dup.spans);
  renderText($("dup-theirs"), dup.text || "", dup.other_spans);
}

function reasonLabel(key) {
  const r = (state.meta.reasons || []).find((x) => x.key === key);
  return r ? r.label : key;
}

function labelText(label) {
  if (!label) return "not labelled";
  const what = { correct: "correct", keep: "should keep", reject: "should reject", variety: "wrong variety" };
  const why = label.reason ? ` (${reasonLabel(label.reason)})` : "";
  return "you: " + (label.verdict === "lang" ? "wrong lang → " + label.lang : what[label.verdict] + why);
}

function renderOthers(doc) {
  const list = $("others");
  list.replaceChildren();
  $("others-box").hidden = !doc.others;
  for (const x of doc.others || []) {
    const li = document.createElement("li");
    li.textContent = `${x.reviewer}: ${labelText(x).slice(5)}` + (x.note ? ` — “${x.note}”` : "");
    list.append(li);
  }
  if (doc.adjudication) {
    const li = document.createElement("li");
    li.textContent = `settled by ${doc.adjudication.reviewer}: ${labelText(doc.adjudication).slice(5)}`;
    list.append(li);
  }
}

async function show(pos) {
  if (!state.order.length) { setStatus("no documents here"); return; }
  state.pos = (pos + state.order.length) % state.order.length;
  const i = state.order[state.pos];
  const adjudicate = state.mode === "disagreements" ? "&adjudicate=1" : "";
  const doc = await api(`/api/doc?i=${i}&reviewer=${encodeURIComponent(state.reviewer)}${adjudicate}`);
  state.doc = doc;
  $("position").textContent = `${state.pos + 1} / ${state.order.length}`;
  $("decision").textContent = doc.decision === "kept" ? "KEPT" : "REJECTED";
  $("decision").className = "badge " + (doc.decision === "kept" ? "kept" : "rejected");
  $("mylabel").textContent = labelText(doc.label);
  $("mylabel").className = "pill" + (doc.label ? " done" : "");
  $("copies").hidden = doc.copies <= 1;
  $("copies").textContent = `×${doc.copies} identical pages`;
  $("why").textContent = doc.why;
  $("title").textContent = doc.title || "(no title)";
  $("url").textContent = doc.url || "(no url)";
  $("url").href = doc.url && /^https?:/.test(doc.url) ? doc.url : "#";
  $("lang").textContent = `${doc.lang_tag || "–"} (lang ${doc.lang || "–"})`;
  $("variety").textContent = doc.lang_tag && doc.lang_tag.includes("-") ? doc.lang_tag.split("-").slice(1).join("-") : "standard / none";
  $("score").textContent = `lang_score ${fmt(doc.lang_score)}` + (doc.score_column && doc.score_column !== "lang_score" ? ` · ${doc.score_column} ${fmt(doc.score)}` : "");
  $("stratum-of-doc").textContent = doc.stratum || "–";
  $("note").value = doc.label ? doc.label.note : "";
  $("lang-picker").hidden = true;
  $("reason-picker").hidden = true;
  renderOthers(doc);
  renderRules(doc);
  renderSignals(doc);
  renderText($("text"), doc.text);
  renderDuplicate(doc);
  $("text").lang = doc.lang_tag || "";
  window.scrollTo(0, 0);
}

function renderProgress(p) {
  state.labelled = new Set(p.labelled);
  state.assigned = new Set(p.assigned || []);
  $("overall").textContent = `${p.done} / ${p.total} labelled`;
  const table = $("progress");
  table.replaceChildren();
  for (const s of p.strata) {
    const tr = table.insertRow();
    tr.insertCell().textContent = s.key;
    const cell = tr.insertCell();
    const bar = document.createElement("progress");
    bar.max = s.total;
    bar.value = s.done;
    cell.append(bar, ` ${s.done}/${s.total}`);
    if (s.done === s.total) tr.className = "complete";
  }
}

function nextUnlabelled() {
  for (let step = 1; step <= state.order.length; step++) {
    const pos = (state.pos + step) % state.order.length;
    if (state.mode === "disagreements" || !state.labelled.has(state.order[pos])) return pos;
  }
  return -1;
}

async function label(verdict, lang, reason) {
  if (!state.doc) return;
  setStatus("saving…");
  try {
    const body = { doc: state.doc.id, reviewer: state.reviewer, verdict, lang: lang || null, reason: reason || null,
                   note: $("note").value, adjudicate: state.mode === "disagreements" };
    const res = await api("/api/label", body);
    renderProgress(res.progress);
    setStatus(`saved: ${labelText(res.saved).slice(5)}`, "ok");
    const pos = nextUnlabelled();
    if (pos >= 0) await show(pos);
    else { $("mylabel").textContent = labelText(res.saved); setStatus("all documents here are labelled — thank you", "ok"); }
  } catch (err) {
    setStatus("NOT saved: " + err.message, "error");
  }
}

// "Should keep" / "should reject" ask why; "should keep" proposes the category of the rule that rejected the page.
function openReasons(verdict) {
  state.pending = verdict;
  state.proposedReason = verdict === "keep" ? state.doc.suggested_reason : null;
  $("reason-title").textContent = verdict === "keep" ? "Should be kept — it is not:" : "Should be rejected — why?";
  const box = $("reasons");
  box.replaceChildren();
  state.meta.reasons.forEach((r, n) => {
    const b = document.createElement("button");
    b.dataset.reason = r.key;
    b.title = r.rules.length ? "evidence for " + r.rules.join(", ") : "evidence for no threshold";
    const key = document.createElement("kbd");
    key.textContent = String(n + 1);
    b.append(key, " " + r.label);
    if (r.key === state.proposedReason) b.className = "proposed";
    b.addEventListener("click", () => chooseReason(r.key));
    box.append(b);
  });
  $("lang-picker").hidden = true;
  $("reason-picker").hidden = false;
}

function chooseReason(key) {
  if (key === "other" && !$("note").value.trim()) {
    setStatus("“other” needs a note: press n, write it, Esc, then choose again", "error");
    return;
  }
  const verdict = state.pending;
  $("reason-picker").hidden = true;
  state.pending = null;
  label(verdict, null, key);
}

function openLangPicker() {
  $("reason-picker").hidden = true;
  $("lang-picker").hidden = false;
  $("lang-input").value = "";
  $("lang-input").focus();
}

function saveLang() {
  const tag = $("lang-input").value.trim();
  if (!tag) { setStatus("type the right language tag first", "error"); return; }
  $("lang-picker").hidden = true;
  label("lang", tag);
}

function onKey(ev) {
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(ev.target.tagName);
  if (ev.key === "Escape") { ev.target.blur(); $("lang-picker").hidden = true; $("reason-picker").hidden = true; return; }
  if (ev.target.id === "lang-input" && ev.key === "Enter") { ev.preventDefault(); saveLang(); return; }
  if (typing || ev.ctrlKey || ev.metaKey || ev.altKey || !state.reviewer || !state.doc) return;
  if (!$("reason-picker").hidden) {
    const n = Number(ev.key);
    if (n >= 1 && n <= state.meta.reasons.length) chooseReason(state.meta.reasons[n - 1].key);
    else if (ev.key === "Enter" && state.proposedReason) chooseReason(state.proposedReason);
    else return;
    ev.preventDefault();
    return;
  }
  const key = ev.key.toLowerCase();
  if (KEYS[key]) label(KEYS[key]);
  else if (key === "k") openReasons("keep");
  else if (key === "r") openReasons("reject");
  else if (key === "l") openLangPicker();
  else if (key === "n") $("note").focus();
  else if (key === "j" || ev.key === "ArrowRight") show(state.pos + 1);
  else if (key === "p" || ev.key === "ArrowLeft") show(state.pos - 1);
  else if (key === "u") { const pos = nextUnlabelled(); if (pos >= 0) show(pos); }
  else if (key === "?") { const h = document.querySelector(".help"); h.open = !h.open; }
  else return;
  ev.preventDefault();
}

async function restart(wantedDoc) {
  await refreshOrder();
  state.pos = -1;
  const at = wantedDoc ? state.order.indexOf(state.docs.findIndex((d) => d.id === wantedDoc)) : -1;
  const first = at >= 0 ? at : nextUnlabelled();
  await show(first >= 0 ? first : 0);
}

async function start(name) {
  state.reviewer = name.trim();
  localStorage.setItem("corpusforge-reviewer", state.reviewer);
  $("reviewer").value = state.reviewer;
  $("login").hidden = true;
  for (const id of ["doc", "actions", "progress-box"]) $(id).hidden = false;
  renderProgress(await api(`/api/progress?reviewer=${encodeURIComponent(state.reviewer)}`));
  const wanted = new URLSearchParams(location.search).get("doc");
  state.mode = state.meta.assignments && state.assigned.size && !wanted ? "assigned" : "all";
  $("mode").value = state.mode;
  await restart(wanted);
}

async function init() {
  state.meta = await api("/api/meta");
  state.docs = await api("/api/docs");
  $("sample-name").textContent = "· " + state.meta.name;
  for (const s of state.meta.strata) $("stratum").add(new Option(`${s.key} (${s.total})`, s.key));
  for (const t of state.meta.lang_tags) $("lang-tags").append(new Option(t, t));
  document.querySelectorAll("[data-verdict]").forEach((b) => b.addEventListener("click", () => {
    const v = b.dataset.verdict;
    if (v === "lang") openLangPicker();
    else if (v === "keep" || v === "reject") openReasons(v);
    else label(v);
  }));
  $("lang-ok").addEventListener("click", saveLang);
  $("prev").addEventListener("click", () => show(state.pos - 1));
  $("next").addEventListener("click", () => show(state.pos + 1));
  $("stratum").addEventListener("change", () => restart());
  $("mode").addEventListener("change", () => { state.mode = $("mode").value; restart(); });
  $("reviewer").addEventListener("change", () => { if ($("reviewer").value.trim()) start($("reviewer").value); });
  $("login-form").addEventListener("submit", (ev) => { ev.preventDefault(); start($("login-name").value); });
  document.addEventListener("keydown", onKey);
  const fromUrl = new URLSearchParams(location.search).get("reviewer");
  const name = fromUrl || localStorage.getItem("corpusforge-reviewer") || "";
  if (name.trim()) await start(name);
  else { $("login").hidden = false; $("login-name").focus(); }
}

// The status line sits with the verdict buttons, hidden until a reviewer starts: say it up top.
init().catch((err) => {
  $("fatal").textContent = "Could not load the sample: " + err.message;
  $("fatal").hidden = false;
});
