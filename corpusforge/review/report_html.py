"""The review report as one self-contained HTML page: tables and inline SVG charts, no external assets."""

from __future__ import annotations

from html import escape
from typing import Any

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;color:#1d2330;max-width:62rem;margin:0 auto;padding:.8rem}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #d9dde4}
table{border-collapse:collapse;font-size:.88rem;margin:.4rem 0;display:block;overflow-x:auto}
td,th{padding:.2rem .55rem;border-bottom:1px solid #e3e6eb;text-align:right;white-space:nowrap}
td:first-child,th:first-child,td.l{text-align:left}
h1,p,code{overflow-wrap:anywhere}pre{background:#f5f6f8;padding:.6rem;overflow-x:auto;font-size:.82rem}
.muted{color:#5b6475}.good{color:#1b7f3b}.bad{color:#b3261e}svg{max-width:100%;height:auto}
.loud{background:#fde7e6;border:2px solid #b3261e;color:#7a1a14;padding:.5rem .7rem;font-weight:600}
.status{font-weight:600}.status.proposed{color:#1b7f3b}.status.wait{color:#8a5a00}.status.no{color:#5b6475}
section.rule{border-top:1px solid #d9dde4;margin-top:1rem}
"""


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _g(x: float | None) -> str:
    return "–" if x is None else f"{x:g}"


def _num(x: Any) -> str:
    if x is None:
        return "–"
    return f"{x:.3f}" if isinstance(x, float) else escape(str(x))


def precision_chart(rows: list[dict[str, Any]]) -> str:
    """One line per row: the 95% Wilson interval as a bar, the precision as a dot, on a 0-100% axis."""
    rows = [r for r in rows if r["judged"]]
    if not rows:
        return ""
    label_w, plot_w, row_h = 300, 360, 22
    height = row_h * len(rows) + 30
    out = [f'<svg viewBox="0 0 {label_w + plot_w + 20} {height}" role="img" aria-label="precision with 95% intervals">']
    for tick in range(0, 101, 25):
        x = label_w + plot_w * tick / 100
        out.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 20}" stroke="#e3e6eb"/>')
        out.append(f'<text x="{x}" y="{height - 6}" font-size="11" text-anchor="middle" fill="#5b6475">{tick}%</text>')
    for i, r in enumerate(rows):
        y = i * row_h + 14
        x_lo, x_hi = label_w + plot_w * r["ci_low"], label_w + plot_w * r["ci_high"]
        x_p = label_w + plot_w * r["precision"]
        colour = "#1b7f3b" if r["rule"] == "kept" else "#b3261e"
        label = f"{r['lang_tag']} · {r['rule']} (n={r['judged']})"
        out.append(f'<text x="{label_w - 8}" y="{y + 4}" font-size="12" text-anchor="end">{escape(label)}</text>')
        out.append(
            f'<rect x="{x_lo:.1f}" y="{y - 4}" width="{max(x_hi - x_lo, 1):.1f}" height="8" fill="{colour}" opacity=".25"/>'
        )
        out.append(f'<circle cx="{x_p:.1f}" cy="{y}" r="4.5" fill="{colour}"/>')
    out.append("</svg>")
    return "".join(out)


def strip_chart(s: dict[str, Any]) -> str:
    """Labelled documents on the rule's signal: should-keep above, should-reject below, with both cuts."""
    values = [p[0] for p in s["points"]] + [c for c in (s["current"], s["candidate"]) if c is not None]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    width, left, right = 640, 110, 20

    def x(v: float) -> float:
        return left + (width - left - right) * (v - lo) / span

    out = [f'<svg viewBox="0 0 {width} 130" role="img" aria-label="{escape(s["signal"])} of labelled documents">']
    out.append('<text x="4" y="38" font-size="12" fill="#1b7f3b">should keep</text>')
    out.append('<text x="4" y="78" font-size="12" fill="#b3261e">should reject</text>')
    for i, (v, reject, *_rest) in enumerate(s["points"]):
        jitter = (i % 5) * 3 - 6
        y = (74 if reject else 34) + jitter
        out.append(
            f'<circle cx="{x(v):.1f}" cy="{y}" r="3.5" fill="{"#b3261e" if reject else "#1b7f3b"}" opacity=".75"/>'
        )
    for value, colour, dash, name in (
        (s["current"], "#5b6475", "4 3", "now"),
        (s["candidate"], "#2454a6", "", "candidate"),
    ):
        if value is None:
            continue
        out.append(
            f'<line x1="{x(value):.1f}" y1="14" x2="{x(value):.1f}" y2="96" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        out.append(
            f'<text x="{x(value):.1f}" y="10" font-size="11" text-anchor="middle" fill="{colour}">{name} {value:g}</text>'
        )
    out.append(f'<line x1="{left}" y1="100" x2="{width - right}" y2="100" stroke="#999"/>')
    out.append(f'<text x="{left}" y="116" font-size="11" fill="#5b6475">{lo:g}</text>')
    out.append(f'<text x="{width - right}" y="116" font-size="11" text-anchor="end" fill="#5b6475">{hi:g}</text>')
    out.append(
        f'<text x="{(left + width) / 2}" y="126" font-size="11" text-anchor="middle" fill="#5b6475">{escape(s["signal"])}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def _precision_table(rows: list[dict[str, Any]]) -> str:
    head = "<tr><th>lang_tag</th><th>decision</th><th>labelled</th><th>judged</th><th>right</th><th>precision</th><th>95% CI</th><th>wrong lang</th><th>wrong variety</th></tr>"
    body = "".join(
        f'<tr><td>{escape(r["lang_tag"])}</td><td class="l">{escape(r["rule"])}</td><td>{r["labelled"]}</td><td>{r["judged"]}</td>'
        f"<td>{r['right']}</td><td>{_pct(r['precision'])}</td><td>{_pct(r['ci_low'])}–{_pct(r['ci_high'])}</td>"
        f"<td>{r['wrong_lang']}</td><td>{r['wrong_variety']}</td></tr>"
        for r in rows
    )
    return f"<table>{head}{body}</table>"


def _agreement_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return '<p class="muted">No two reviewers labelled the same documents yet.</p>'
    head = "<tr><th>reviewers</th><th>shared documents</th><th>observed agreement</th><th>chance agreement</th><th>Cohen's kappa</th></tr>"
    body = "".join(
        f"<tr><td>{escape(' & '.join(r['reviewers']))}</td><td>{r['n']}</td><td>{_pct(r['observed'])}</td>"
        f"<td>{_pct(r['expected'])}</td><td>{_num(r['kappa'])}</td></tr>"
        for r in rows
    )
    return f"<table>{head}{body}</table>"


def _per_rule_table(rows: list[dict[str, Any]], disputed: int) -> str:
    if not rows:
        return ""
    head = "<tr><th>rule</th><th>documents with 2+ labels</th><th>labels</th><th>observed agreement</th><th>chance</th><th>Fleiss' kappa</th></tr>"
    body = "".join(
        f'<tr><td class="l">{escape(r["rule"])}</td><td>{r["n"]}</td><td>{r["raters"]}</td><td>{_pct(r["observed"])}</td>'
        f"<td>{_pct(r['expected'])}</td><td>{_num(r['kappa'])}</td></tr>"
        for r in rows
    )
    note = f'<p class="muted">{disputed} document(s) the reviewers disagree on: settle them in the app ("Disagreements").</p>'
    return f"<h3>Per rule</h3><table>{head}{body}</table>{note}"


def impact_table(imp: dict[str, Any]) -> str:
    """Documents and words kept by the quality filter now and after, per lang_tag and per language."""
    head = ("<tr><th>lang_tag / language</th><th>kept now</th><th>after</th><th>change</th><th>%</th>"
            "<th>words now</th><th>words after</th><th>final docs that go</th><th>brought back</th></tr>")  # fmt: skip
    rows = list(imp["by_tag"].items()) + [(f"{k} (all varieties)", v) for k, v in imp["by_language"].items()]
    body = "".join(
        f'<tr><td class="l">{escape(name)}</td><td>{r["docs_now"]}</td><td>{r["docs_after"]}</td>'
        f'<td class="{"bad" if r["change"] < 0 else "good" if r["change"] > 0 else ""}">{r["change"]:+d}</td>'
        f"<td>{100 * r['share']:+.1f}%</td><td>{r['words_now']}</td><td>{r['words_after']}</td>"
        f"<td>{r['final_lost']}</td><td>{r['rescued']}</td></tr>"
        for name, r in rows
    )
    examples = []
    for side, label in (("rejected", "would now be rejected"), ("kept", "would now be kept")):
        items = imp["examples"].get(side) or []
        if items:
            lis = "".join(
                f"<li><code>{escape(str(x['id']))}</code> {escape(x.get('title') or '')} "
                f'<span class="muted">{escape(x.get("url") or "")} · value {x["value"]:g}</span></li>'
                for x in items
            )
            examples.append(f"<p>Examples that {label}:</p><ul>{lis}</ul>")
    warn = f'<p class="loud">WARNING: this change {escape(imp["warning"])}.</p>' if imp.get("warning") else ""
    return f'{warn}<table class="impact">{head}{body}</table>' + "".join(examples)


def _status(s: dict[str, Any]) -> str:
    kind = {"proposed": "proposed", "not enough labels": "wait", "not supported": "no", "no change": "no"}[s["status"]]
    value = f"{_g(s['current'])} → {s['candidate']:g}" if s["candidate"] is not None else f"stays {_g(s['current'])}"
    return f'<span class="status {kind}">{escape(s["status"])}</span>: {escape(s["rule"])} {value}'


def _suggestions(report: dict[str, Any], patch_text: str) -> str:
    rows = report["suggestions"]
    if not rows:
        return '<p class="muted">No label is about a threshold yet (labels need a reason: too short, boilerplate, ...).</p>'
    parts = []
    if report.get("impact_note"):
        parts.append(f'<p class="muted">{escape(report["impact_note"])}</p>')
    if report["thresholds"].get("changed_since_run"):
        parts.append('<p class="loud">The threshold files changed since the run: "now" below is what the run used.</p>')
    steady = [s for s in rows if s["candidate"] is None]
    for s in sorted(rows, key=lambda r: (r["status"] != "proposed", r["lang_tag"], r["rule"])):
        if s["candidate"] is None:
            continue
        head = f"<h3>{escape(s['lang_tag'])} · {escape(s['reason'])}</h3><p>{_status(s)}. {escape(s['message'])}."
        head += (f' <span class="muted">{s["n_about"]} labels about this rule, {s["n_points"]} points with the kept '
                 f"pages labelled correct; Youden's J now {_num(s['current_j'])}, at the candidate {_num(s['candidate_j'])}.</span></p>")  # fmt: skip
        body = strip_chart(s)
        if s.get("impact"):
            body += "<h4>Impact on the run</h4>" + impact_table(s["impact"])
        elif s["rule"] == "min_lang_score" and s["candidate"] is not None:
            body += '<p class="muted">The language filter\'s threshold lives in the pipeline file (default_min_score / min_score).</p>'
        if s["status"] == "proposed" and not s["in_patch"]:
            body += '<p class="loud">Left out of the patch (see the warning); rerun the report with --accept-large-drops to include it.</p>'
        parts.append(f'<section class="rule">{head}{body}</section>')
    if steady:
        items = "".join(
            f"<li>{escape(s['lang_tag'])} · {escape(s['rule'])} = {_g(s['current'])} ({s['n_about']} labels about it)</li>"
            for s in sorted(steady, key=lambda r: (r["lang_tag"], r["rule"]))
        )
        parts.append(f"<h3>Thresholds the labels support as they are</h3><ul>{items}</ul>")
    if patch_text:
        target = report["thresholds_dir"]
        how = ("<code>corpusforge quality thresholds init my-thresholds</code>, then "
               "<code>patch -d my-thresholds -p1 &lt; suggested/thresholds.patch</code>"
               if report.get("thresholds_dir_is_shipped")
               else f"<code>patch -d {escape(target)} -p1 &lt; suggested/thresholds.patch</code>")  # fmt: skip
        parts.append(
            f"<h3>Patch to the threshold files</h3><p>Apply it with {how}, or use <code>suggested/</code> as "
            "<code>thresholds_dir</code> as it is; <code>corpusforge refilter RUN --thresholds suggested/</code> "
            "re-filters the run without running it again.</p>"
        )
        if report.get("patch_impact"):
            parts.append("<h4>The patch as a whole</h4>" + impact_table(report["patch_impact"]))
        parts.append(f"<pre>{escape(patch_text)}</pre>")
    return "".join(parts)


def _notes(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return '<p class="muted">No notes.</p>'
    items = "".join(
        f"<li><code>{escape(r['id'])}</code> ({escape(r['lang_tag'])}, {escape(r['rule'])}): {escape('; '.join(r['notes']))}</li>"
        for r in rows
    )
    return f"<ul>{items}</ul>"


def render(report: dict[str, Any], patch_text: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Review report · {escape(report['review_dir'])}</title><style>{_CSS}</style></head><body>"
        f"<h1>Review report · {escape(report['review_dir'])}</h1>"
        f"<p>{report['labels']} labels by {len(report['reviewers'])} reviewer(s) ({escape(', '.join(report['reviewers']))}) "
        f"on {report['labelled_documents']} of {report['documents']} sampled documents; "
        f"{report['disputed_documents']} disputed (tied) documents are left out of precision and thresholds.</p>"
        "<h2>Precision of keeps and rejections</h2>"
        '<p class="muted">Share of judged documents whose decision the reviewers confirmed, with 95% Wilson intervals. '
        '"all rejections" pools a language\'s rejection reasons without weighting them by their size in the run.</p>'
        + precision_chart(report["precision"])
        + _precision_table(report["precision"])
        + "<h2>Agreement between reviewers</h2>"
        + _agreement_table(report["agreement"])
        + _per_rule_table(report.get("agreement_per_rule", []), len(report.get("disagreements", [])))
        + "<h2>Thresholds</h2>"
        f'<p class="muted">Per rule and language that labels are about (a "should reject" or "should keep" label counts '
        f"for the rules its reason maps to): the cut with the best Youden's J, ties to today's value. A change is "
        f"proposed when at least {report['min_labels']} labelled documents lie between today's value and the candidate "
        f"(the ones it flips) and the 95% interval of the share it flips the right way lies above 50%. A change "
        f"removing more than {report['max_drop']:.0%} of a language or variety is flagged and kept out of the patch.</p>"
        + _suggestions(report, patch_text)
        + "<h2>Reviewers' notes</h2>"
        + _notes(report["notes"])
        + "</body></html>"
    )
