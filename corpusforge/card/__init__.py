"""`corpusforge card RUN`: a Hugging Face dataset card (README.md) for a finished run, with charts.

    from corpusforge.card import write_card
    result = write_card("runs/demo")            # runs/demo/README.md and runs/demo/_card/*.png
    # datasets.load_dataset("runs/demo", "ca-valencia") then reads that language's final shards

The card's YAML header declares the languages, the licence field, the size category and one
config per `lang_tag` (see `header.py`); its body (see `body.py`) gives the sources and dates,
every stage with its version and parameters, the thresholds hash, the funnel per language with
the main rejection reasons, tokens per language when packed, the PII policy, decontamination
results, the provenance and opt-out policy, and known limitations.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from corpusforge import io
from corpusforge.card import body, header
from corpusforge.card.charts import write_charts
from corpusforge.card.facts import gather

ASSETS = "_card"  # beside README.md; a leading underscore keeps it out of a data folder's view


@dataclass(frozen=True)
class CardResult:
    readme: Path
    images: dict[str, Path]
    note: str | None  # why charts are missing, when they are


def write_card(
    root: str, *, out: str | None = None, license_id: str = "other", name: str | None = None, charts: bool = True
) -> CardResult:
    """Write `README.md` (and `_card/*.png`) for the finished run at `root` into `out` (default: the root)."""
    facts = gather(root)
    card_dir = Path(out or root).resolve()
    if "://" in str(out or root) and out is None:
        raise ValueError(f"{root} is not a local directory: pass an output directory (--out)")
    card_dir.mkdir(parents=True, exist_ok=True)
    images, note = write_charts(facts, card_dir / ASSETS) if charts else ({}, "charts skipped (--no-charts)")
    links = {k: os.path.relpath(v, card_dir).replace(os.sep, "/") for k, v in images.items()}
    pretty = name or str(facts.manifest.get("pipeline") or Path(root).name)
    text = header.render(facts, card_dir=str(card_dir), license_id=license_id, pretty_name=pretty)
    text += "\n" + body.render(facts, pretty_name=pretty, card_dir=str(card_dir), images=links)
    readme = card_dir / "README.md"
    with io.atomic_path(readme) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return CardResult(readme=readme, images=images, note=note)
