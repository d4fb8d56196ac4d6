"""The Markdown body of a run's dataset card, one function per section.

Every number comes from `RunFacts` (the manifest and the run's files); sections whose stage
did not run say so rather than vanish, so a reader sees what was *not* done (no PII redaction,
no decontamination) as clearly as what was.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from corpusforge.card.facts import RunFacts, thresholds_hash
from corpusforge.card.header import ALL, data_files, hf_features
from corpusforge.provenance.signals import AI_OPTOUT

TOP_REASONS = 3


_NUMBER = re.compile(r"^-?[\d,.]+%?$")


def _table(head: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table; columns of numbers align right."""
    cells = [[str(c) for c in r] for r in rows]
    numeric = [bool(cells) and all(_NUMBER.match(r[i]) or r[i] == "-" for r in cells) for i in range(len(head))]
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in cells]
    return "\n".join(out)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _langs(facts: RunFacts) -> list[str]:
    return [lang for lang, _ in facts.docs_by_lang.most_common()]


def summary(facts: RunFacts, *, pretty_name: str, card_dir: str, images: dict[str, str]) -> str:
    m = facts.manifest
    configs = [c for c in data_files(facts, card_dir) if c != ALL]
    example = configs[0] if configs else ALL
    rows = [[lang, n, _pct(n, facts.documents)] for lang, n in facts.docs_by_lang.most_common()]
    parts = [
        f"# {pretty_name}\n",
        f"Web text curated with corpusforge {m.get('packages', {}).get('corpusforge', '?')} by the pipeline "
        f"`{m.get('pipeline')}` (`{m.get('file')}`, configuration hash `{m.get('hash')}`), finished "
        f"{m.get('finished')}: **{facts.documents:,} documents** in {len(facts.docs_by_lang)} language varieties.\n",
        "## Loading\n",
        "```python\nfrom datasets import load_dataset\n\n"
        f'ds = load_dataset("path/to/this/folder", "{example}")   # one config per lang_tag; "{ALL}" is the default\n'
        "```\n",
        f"Configs: {', '.join(f'`{c}`' for c in [ALL, *configs])}. Each reads only the `*.parquet` files of its "
        "`lang_tag` partition." + _left_out(facts) + "\n",
        _table(["lang_tag", "documents", "share"], rows) + "\n",
    ]
    if "languages" in images:
        parts.append(f"![Share of documents per language]({images['languages']})\n")
    return "\n".join(parts)


def _left_out(facts: RunFacts) -> str:
    _, left_out = hf_features(facts)
    if not left_out:
        return ""
    return (f" Left out of the configs: {', '.join(f'`{c}`' for c in left_out)} (datasets has no feature type "
            "for an Arrow map, and a column missing from some files cannot be declared; nested columns go with "
            "them); pyarrow, polars and DuckDB read the files whole.")  # fmt: skip


def sources(facts: RunFacts) -> str:
    inputs = [shard for shards in facts.manifest.get("inputs", {}).values() for shard in shards]
    total = sum(int(s.get("size", 0) or 0) for s in inputs)
    shown = inputs[:20]
    rows = [[f"`{s.get('path') or s.get('index') or json.dumps(s)}`", f"{int(s.get('size', 0) or 0):,}"] for s in shown]
    text = [
        "## Sources and dates\n",
        f"{len(inputs)} input shard(s), {total:,} bytes"
        + (f", the first {len(shown)} listed" if len(inputs) > len(shown) else "")
        + ". Pages were fetched between "
        f"**{facts.fetch_first or 'unknown'}** and **{facts.fetch_last or 'unknown'}** (WARC-Date of the kept "
        f"documents); the run finished {facts.manifest.get('finished')}.\n",
    ]
    if rows:
        text.append(_table(["input", "bytes"], rows) + "\n")
    return "\n".join(text)


def stages(facts: RunFacts) -> str:
    digest, covered = thresholds_hash(facts.manifest)
    rows = []
    for n in facts.manifest["nodes"]:
        version = n["stage"].rsplit(".", 1)[-1]
        params = json.dumps(n["params"], ensure_ascii=False, sort_keys=True)
        data = ", ".join(f"{k} `{v[:12]}`" for k, v in sorted(n.get("data", {}).items())) or "-"
        rows.append([f"`{n['id']}`", f"`{n['stage']}`", version, n["kind"], f"`{params}`", data])
    packages = ", ".join(f"{k} {v}" for k, v in sorted(facts.manifest.get("packages", {}).items()))
    return "\n".join(
        [
            "## Processing\n",
            "Every stage, in order, with its version and parameters (defaults included) and the versions "
            "(SHA-256, first 12 hex digits) of the data files it used:\n",
            _table(["node", "stage", "version", "kind", "parameters", "data files"], rows) + "\n",
            f"**Thresholds hash** `{digest}`: SHA-256 of the parameters and data versions of every node that "
            f"decides ({', '.join(covered) or 'none'}); two runs with the same hash applied the same thresholds.\n",
            f"Python {facts.manifest.get('python')}; {packages}.\n",
        ]
    )


def funnel(facts: RunFacts, images: dict[str, str]) -> str:
    langs = _langs(facts)
    nodes = [n for n in facts.manifest["nodes"] if n.get("kept_by_lang")]
    rows = [[f"`{n['id']}`", *[n["kept_by_lang"].get(lang, 0) for lang in langs]] for n in nodes]
    overall = [[f"`{n['id']}`", n["in"], n["kept"], sum(n["rejected"].values()), sum(n["errors"].values())]
               for n in facts.manifest["nodes"]]  # fmt: skip
    parts = [
        "## Funnel\n",
        "Documents in, kept, rejected and counted as errors at every node (each rejected document is kept in "
        "`rejected/<node>/` with its reason):\n",
        _table(["node", "in", "kept", "rejected", "errors"], overall) + "\n",
    ]
    if "funnel" in images:
        parts.append(f"![Documents kept after each node]({images['funnel']})\n")
    if rows:
        parts += ["Per language, documents kept after each node from language identification on:\n",
                  _table(["node", *langs], rows) + "\n"]  # fmt: skip
    parts.append(reasons(facts, langs))
    return "\n".join(parts)


def reasons(facts: RunFacts, langs: list[str]) -> str:
    rows = []
    for lang in [*langs, *sorted(k for k in facts.rejections_by_lang if k and k not in langs), ""]:
        counts: Counter[str] = facts.rejections_by_lang.get(lang, Counter())
        if not counts:
            continue
        top = "; ".join(f"{why} ({n})" for why, n in counts.most_common(TOP_REASONS))
        rows.append([lang or "(before language ID)", sum(counts.values()), top])
    if not rows:
        return "No document was rejected.\n"
    return (
        "Main rejection reasons per language (the language of a rejected document as identified):\n\n"
        + _table(["language", "rejected", f"top {TOP_REASONS} reasons (node: reason)"], rows)
        + "\n"
    )


def tokens(facts: RunFacts) -> str:
    if not facts.tokens:
        return "## Tokens\n\nNot packed: no `pack.tokens.v1` node in this run.\n"
    parts = ["## Tokens\n"]
    for node, pack in facts.tokens.items():
        by_lang = pack.get("corpus_tokens_by_lang", {})
        total = sum(by_lang.values())
        rows = [[lang, f"{n:,}", _pct(n, total)] for lang, n in sorted(by_lang.items(), key=lambda x: -x[1])]
        parts.append(f"Node `{node}`: {total:,} tokens ({pack.get('vocab_size')}-token vocabulary, tokenizer "
                     f"SHA-256 `{str(pack.get('tokenizer_sha256', ''))[:12]}`), splits "
                     + ", ".join(f"{k} {v.get('tokens', 0):,}" for k, v in pack.get("splits", {}).items()) + ".\n")  # fmt: skip
        parts.append(_table(["lang_tag", "tokens", "share"], rows) + "\n")
    return "\n".join(parts)


def pii(facts: RunFacts) -> str:
    nodes = facts.nodes("pii.")
    if not nodes:
        return "## Personal data\n\n**No PII redaction ran**: documents may hold e-mail addresses, phone numbers and IDs.\n"
    parts = ["## Personal data\n"]
    for n in nodes:
        p = n["params"]
        what = "counted only (dry run): the text is unchanged" if p.get("dry_run") else "replaced by tokens"
        parts.append(f"Node `{n['id']}` (`{n['stage']}`) looks for {', '.join(p.get('kinds', []))}; matches are "
                     f"{what}" + (f" (custom tokens: {json.dumps(p['tokens'], ensure_ascii=False)})" if p.get("tokens")
                                  else " (`<EMAIL>`, `<PHONE>`, `<DNI>`, ...)")
                     + ". Detections are validated (checksums of DNI/NIE/CIF, IBAN and cards). Names and street "
                     "addresses are not detected.\n")  # fmt: skip
    if facts.pii:
        rows = [[k.removeprefix("pii_"), f"{v:,}"] for k, v in sorted(facts.pii.items())]
        parts.append("Redactions in the published documents:\n\n" + _table(["kind", "count"], rows) + "\n")
    return "\n".join(parts)


def decontamination(facts: RunFacts) -> str:
    if not facts.decontam:
        return ("## Benchmark decontamination\n\n**Not decontaminated**: no `decontam.ngram.v1` node ran, so "
                "evaluation sets may overlap this data.\n")  # fmt: skip
    parts = ["## Benchmark decontamination\n"]
    for node, s in facts.decontam.items():
        unit = (
            "whole documents"
            if s["mode"] == "document"
            else "the lines holding the match (documents left empty: whole)"
        )
        parts.append(f"Node `{node}`: a document sharing a run of {s['ngram']} normalised words (lower case, "
                     f"punctuation ignored{', digits folded' if s.get('fold_digits') else ''}) with an evaluation "
                     f"record ({s.get('min_hits', 1)} such n-gram(s) or more) lost {unit}. Scanned {s['documents']:,} "
                     f"documents, {s['words']:,} words; removed {s['documents_removed']:,} documents and cut "
                     f"{s['documents_cut']:,}, {s['words_removed']:,} words in all.\n")  # fmt: skip
        rows = [[f"`{name}`", c["records"], c["indexed"], c["too_short"], c["documents_matched"], c["documents_removed"],
                 c["documents_cut"], f"{c['words_removed']:,}"] for name, c in s["sets"].items()]  # fmt: skip
        parts.append(_table(["set", "records", "indexed", f"shorter than {s['ngram']} words", "documents matched",
                             "removed", "cut", "words removed"], rows) + "\n")  # fmt: skip
        parts.append(f"Reason `decontam:<set>`; the matches, each with its evaluation record, are kept for review "
                     f"under `_reports/{node}/` (`corpusforge.decontam.read_matches`).\n")  # fmt: skip
    return "\n".join(parts)


def provenance(facts: RunFacts) -> str:
    n = facts.documents
    optout_nodes = [x for x in facts.nodes("url.filter") if x["params"].get("respect_ai_optout")]
    dropped = sum(x["rejected"].get("url:ai_optout", 0) for x in optout_nodes)
    if optout_nodes:
        policy = (f"Pages that opted out of AI training at crawl time ({', '.join(f'`{d}`' for d in AI_OPTOUT)} in "
                  f"`X-Robots-Tag`, `<meta name=\"robots\">` or a meta tag naming an AI crawler) were **dropped** "
                  f"(node(s) {', '.join(x['id'] for x in optout_nodes)}: {dropped:,} pages, reason `url:ai_optout`).")  # fmt: skip
    else:
        optout = sum(v for k, v in facts.robots.items() if k in AI_OPTOUT)
        policy = (f"AI-training opt-outs were **not** applied (`url.filter.v1` without `respect_ai_optout`): "
                  f"{optout:,} kept documents carry such a signal in `robots`.")  # fmt: skip
    robots = ", ".join(f"`{k}` {v:,}" for k, v in facts.robots.most_common(8)) or "none"
    licenses = ", ".join(f"`{k}` {v:,}" for k, v in facts.licenses.most_common()) or "none"
    return "\n".join(
        [
            "## Licence and provenance\n",
            "Each document keeps its publisher's copyright and terms; this card's `license: other` says so. "
            "Every document carries where it came from and what its publisher signalled when it was fetched:\n",
            "- `source`: the WARC file and record offset (or the Common Crawl index record) it was read from "
            f"({_pct(facts.with_source, n)} of documents), and `fetch_time` (WARC-Date);",
            '- `robots`: robots directives that apply to us (from `X-Robots-Tag` and `<meta name="robots">`, and '
            f"from either when it names an AI crawler; `tdm-reservation` for the W3C TDMRep opt-out): {robots};",
            f'- `license_url`: the licence link of the page (`rel="license"` or a Creative Commons link): {licenses}.\n',
            policy + "\n",
        ]
    )


def limitations(facts: RunFacts) -> str:
    items = [
        "Language identification is per document; mixed-language pages carry their majority language, and "
        "Valencian (`ca-valencia`) versus central Catalan is told apart with lower accuracy than languages are.",
        "Quality filtering uses heuristic thresholds per language; some good text is rejected and some "
        "boilerplate or machine-translated text is kept.",
        "Near-duplicate removal compares documents by MinHash; paraphrases and translations are not duplicates.",
        "PII redaction covers validated patterns only; names, addresses and other personal data remain.",
        "Robots and licence signals are those seen at fetch time; a page may have changed its terms since.",
    ]
    for node, s in facts.decontam.items():
        short = sum(c["too_short"] for c in s["sets"].values())
        items.append(f"Decontamination (`{node}`) covers only the listed sets, and only overlaps of {s['ngram']} "
                     f"words or more: {short:,} evaluation records shorter than that cannot be detected.")  # fmt: skip
    if not facts.decontam:
        items.append("No benchmark decontamination was run.")
    return "## Known limitations\n\n" + "\n".join(f"- {i}" for i in items) + "\n"


def render(facts: RunFacts, *, pretty_name: str, card_dir: str, images: dict[str, str]) -> str:
    sections = [
        summary(facts, pretty_name=pretty_name, card_dir=card_dir, images=images),
        sources(facts),
        stages(facts),
        funnel(facts, images),
        tokens(facts),
        pii(facts),
        decontamination(facts),
        provenance(facts),
        limitations(facts),
        "---\nGenerated by `corpusforge card` from the run's manifest and files.\n",
    ]
    return "\n".join(sections)
