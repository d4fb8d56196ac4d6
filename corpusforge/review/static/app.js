// corpusforge review app: plain JS, no external assets. Talks to server.py's JSON API.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { meta: null, docs: [], order: [], pos: 0, doc: null, labelled: new Set(), reviewer: "" };
const KEYS = { c: "correct", k: "keep", r: "reject", v: "variety" };

async function api(path, body) {
  const opts = body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {};
  const res = await fetch(path, opts);
  const data = await res.json();
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function setStatus(text, kind) {
  const el = $("status");
  el.textContent = text;
  el.className = kind || "";
}

function filteredOrder() {
  const want = $("stratum").value;
  return state.docs.filter((d) => !want || d.stratum === want).map((d) => d.i);
}

// The text with PII tokens (<EMAIL>, <PHONE> ...) wrapped in <mark>; built from text nodes, never innerHTML.
function renderText(el, text) {
  el.replaceChildren();
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

function labelText(label) {
  if (!label) return "not labelled";
  const what = { correct: "correct", keep: "should keep", reject: "should reject", variety: "wrong variety" };
  return "you: " + (label.verdict === "lang" ? "wrong lang → " + label.lang : what[label.verdict]);
}

async function show(pos) {
  if (!state.order.length) { setStatus("no documents in this stratum"); return; }
  state.pos = (pos + state.order.length) % state.order.length;
  const i = state.order[state.pos];
  const doc = await api(`/api/doc?i=${i}&reviewer=${encodeURIComponent(state.reviewer)}`);
  state.doc = doc;
  $("position").textContent = `${state.pos + 1} / ${state.order.length}`;
  $("decision").textContent = doc.decision === "kept" ? "KEPT" : "REJECTED";
  $("decision").className = "badge " + (doc.decision === "kept" ? "kept" : "rejected");
  $("mylabel").textContent = labelText(doc.label);
  $("mylabel").className = "pill" + (doc.label ? " done" : "");
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
  renderSignals(doc);
  renderText($("text"), doc.text);
  $("text").lang = doc.lang_tag || "";
  window.scrollTo(0, 0);
}

function renderProgress(p) {
  state.labelled = new Set(p.labelled);
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
    if (!state.labelled.has(state.order[pos])) return pos;
  }
  return -1;
}

async function label(verdict, lang) {
  if (!state.doc) return;
  setStatus("saving…");
  try {
    const body = { doc: state.doc.id, reviewer: state.reviewer, verdict, lang: lang || null, note: $("note").value };
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

function openLangPicker() {
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
  if (ev.key === "Escape") { ev.target.blur(); $("lang-picker").hidden = true; return; }
  if (ev.target.id === "lang-input" && ev.key === "Enter") { ev.preventDefault(); saveLang(); return; }
  if (typing || ev.ctrlKey || ev.metaKey || ev.altKey || !state.reviewer || !state.doc) return;
  const key = ev.key.toLowerCase();
  if (KEYS[key]) label(KEYS[key]);
  else if (key === "l") openLangPicker();
  else if (key === "n") $("note").focus();
  else if (key === "j" || ev.key === "ArrowRight") show(state.pos + 1);
  else if (key === "p" || ev.key === "ArrowLeft") show(state.pos - 1);
  else if (key === "u") { const pos = nextUnlabelled(); if (pos >= 0) show(pos); }
  else if (key === "?") { const h = document.querySelector(".help"); h.open = !h.open; }
  else return;
  ev.preventDefault();
}

async function start(name) {
  state.reviewer = name.trim();
  localStorage.setItem("corpusforge-reviewer", state.reviewer);
  $("reviewer").value = state.reviewer;
  $("login").hidden = true;
  for (const id of ["doc", "actions", "progress-box"]) $(id).hidden = false;
  renderProgress(await api(`/api/progress?reviewer=${encodeURIComponent(state.reviewer)}`));
  state.order = filteredOrder();
  state.pos = -1;
  const first = nextUnlabelled();
  await show(first >= 0 ? first : 0);
}

async function init() {
  state.meta = await api("/api/meta");
  state.docs = await api("/api/docs");
  $("sample-name").textContent = "· " + state.meta.name;
  for (const s of state.meta.strata) $("stratum").add(new Option(`${s.key} (${s.total})`, s.key));
  for (const t of state.meta.lang_tags) $("lang-tags").append(new Option(t, t));
  document.querySelectorAll("[data-verdict]").forEach((b) =>
    b.addEventListener("click", () => (b.dataset.verdict === "lang" ? openLangPicker() : label(b.dataset.verdict))));
  $("lang-ok").addEventListener("click", saveLang);
  $("prev").addEventListener("click", () => show(state.pos - 1));
  $("next").addEventListener("click", () => show(state.pos + 1));
  $("stratum").addEventListener("change", () => { state.order = filteredOrder(); state.pos = -1; const p = nextUnlabelled(); show(p >= 0 ? p : 0); });
  $("reviewer").addEventListener("change", () => { if ($("reviewer").value.trim()) start($("reviewer").value); });
  $("login-form").addEventListener("submit", (ev) => { ev.preventDefault(); start($("login-name").value); });
  document.addEventListener("keydown", onKey);
  const fromUrl = new URLSearchParams(location.search).get("reviewer");
  const name = fromUrl || localStorage.getItem("corpusforge-reviewer") || "";
  if (name.trim()) await start(name);
  else { $("login").hidden = false; $("login-name").focus(); }
}

init().catch((err) => setStatus("could not load the sample: " + err.message, "error"));
