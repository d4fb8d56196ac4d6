"""The ablation's results: bits per byte per language and variant, against the baseline, over seeds.

Bits per byte, not loss per token, so that variants compare fairly whatever the tokenization:
bpb = loss (nats per token) x tokens / bytes / ln 2, with the tokens and UTF-8 bytes of the
held-out reference text of that language (the same for every variant: one tokenizer, one reference;
tokens count each document's BOS and EOS). A difference counts only when it is larger than the
spread over seeds: `clear` is |delta| > max(spread of the variant, spread of the baseline), the
spread being max - min over seeds of the final evaluation.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from corpusforge import io


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """Per variant and language: final bpb per seed, mean, spread; and the delta to the baseline."""
    reference = results["reference"]
    table: dict[str, Any] = {}
    for name, v in results["variants"].items():
        per_lang: dict[str, Any] = {}
        for lang, info in reference.items():
            tokens = v["reference_tokens"].get(lang, 0)
            finals = [run["curve"][-1]["by_lang"].get(lang) for run in v["runs"].values() if run["curve"]]
            finals = [f for f in finals if f is not None]
            if not finals or not info["bytes"]:
                continue
            bpb = [loss * tokens / info["bytes"] / math.log(2) for loss in finals]
            per_lang[lang] = {"bpb": bpb, "mean": sum(bpb) / len(bpb), "spread": max(bpb) - min(bpb)}
        table[name] = per_lang
    base = table[results["baseline"]]
    for per_lang in table.values():
        for lang, row in per_lang.items():
            if lang in base:
                row["delta"] = row["mean"] - base[lang]["mean"]
                row["clear"] = abs(row["delta"]) > max(row["spread"], base[lang]["spread"])
    return {"baseline": results["baseline"], "bpb": table}


def write(results: dict[str, Any], out: str | Path) -> dict[str, Path]:
    """`results.json` (everything), `report.html` and, with matplotlib, `curves.png`."""
    out = Path(out)
    summary = summarize(results)
    full = {**results, "summary": summary}
    io.write_json_atomic(str(out / "results.json"), full)
    curves = _plot(results, out / "curves.png")
    (out / "report.html").write_text(_html(full, curves), encoding="utf-8")
    files = {"json": out / "results.json", "html": out / "report.html"}
    if curves:
        files["curves"] = curves
    return files


def _plot(results: dict[str, Any], path: Path) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # the train extra brings matplotlib; the tables do without it
        return None
    langs = sorted(results["reference"])
    fig, axes = plt.subplots(1, len(langs), figsize=(4 * len(langs), 3.2), squeeze=False)
    for ax, lang in zip(axes[0], langs, strict=True):
        for name, v in results["variants"].items():
            runs = [r["curve"] for r in v["runs"].values() if r["curve"]]
            steps = [p["step"] for p in runs[0]] if runs else []
            means = [sum(run[i]["by_lang"].get(lang, math.nan) for run in runs) / len(runs) for i in range(len(steps))]
            ax.plot(steps, means, label=name)
        ax.set_title(lang)
        ax.set_xlabel("step")
        ax.set_ylabel("held-out loss (nats/token)")
    axes[0][0].legend(fontsize="small")
    fig.tight_layout()
    with io.atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=90)
    plt.close(fig)
    return path


def _html(full: dict[str, Any], curves: Path | None) -> str:
    s = full["summary"]
    langs = sorted(full["reference"])
    rows = []
    for name, per_lang in s["bpb"].items():
        budget = full["variants"][name]["budget"]
        cells = []
        for lang in langs:
            row = per_lang.get(lang)
            if row is None:
                cells.append("<td>-</td>")
                continue
            delta = (
                "" if name == s["baseline"] else f"<br><small>{row['delta']:+.4f}{' ✔' if row['clear'] else ''}</small>"
            )
            cells.append(f"<td>{row['mean']:.4f} ± {row['spread'] / 2:.4f}{delta}</td>")
        rows.append(
            f"<tr><th>{html.escape(name)}</th><td>{budget['documents']}</td><td>{budget['tokens']}</td>{''.join(cells)}</tr>"
        )
    head = "".join(f"<th>{html.escape(lang)} bpb</th>" for lang in langs)
    image = (
        f'<img src="{curves.name}" alt="held-out loss per step">'
        if curves
        else "<p>(install matplotlib for curves)</p>"
    )
    return f"""<!doctype html><meta charset="utf-8"><title>corpusforge ablation</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:right}}</style>
<h1>Ablation: held-out bits per byte</h1>
<p>Baseline: <b>{html.escape(s["baseline"])}</b>. Each cell: mean over seeds ± half the spread; below it,
the difference to the baseline (lower is better), ✔ when larger than the spread of either.</p>
<table><tr><th>variant</th><th>documents</th><th>tokens</th>{head}</tr>{"".join(rows)}</table>
{image}
<h2>Everything</h2><pre>{html.escape(json.dumps(full, indent=1, ensure_ascii=False)[:200000])}</pre>
"""
