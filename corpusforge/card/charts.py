"""Two charts beside the card: the funnel (documents kept after each node) and language shares.

matplotlib is optional (it comes with the `train` extra): without it `write_charts` returns no
images and says why, and the card is written without them.
"""

from __future__ import annotations

from pathlib import Path

from corpusforge.card.facts import RunFacts

MISSING = "charts skipped: matplotlib is not installed (pip install matplotlib, or corpusforge[train])"


def write_charts(facts: RunFacts, directory: Path) -> tuple[dict[str, Path], str | None]:
    """({"funnel": path, "languages": path}, None), or ({}, why) when charts cannot be drawn."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return {}, MISSING
    directory.mkdir(parents=True, exist_ok=True)
    out = {"funnel": directory / "funnel.png", "languages": directory / "languages.png"}
    nodes = facts.manifest["nodes"]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(nodes) + 1.2))
    ax.barh([n["id"] for n in nodes][::-1], [n["kept"] for n in nodes][::-1], color="#4C72B0")
    ax.set_xlabel("documents kept")
    ax.set_title("Funnel: documents kept after each node")
    fig.tight_layout()
    fig.savefig(out["funnel"], dpi=110)
    plt.close(fig)
    langs = facts.docs_by_lang.most_common()
    fig, ax = plt.subplots(figsize=(6, 0.4 * len(langs) + 1.2))
    total = sum(n for _, n in langs) or 1
    ax.barh([lang for lang, _ in langs][::-1], [100 * n / total for _, n in langs][::-1], color="#55A868")
    ax.set_xlabel("% of documents")
    ax.set_title("Documents per language")
    fig.tight_layout()
    fig.savefig(out["languages"], dpi=110)
    plt.close(fig)
    return out, None
