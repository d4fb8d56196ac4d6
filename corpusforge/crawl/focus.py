"""Language focus: guess a page's language with the `language_id` library, if it is usable.

The crawl works without it (no priorities, no yield); `load_identifier` says why it is off.
Costs one model load per crawl worker and one prediction per fetched HTML page.
"""

from __future__ import annotations

from collections.abc import Callable

LanguageGuess = Callable[[list[str]], list[tuple[str, str, float]]]


def load_identifier() -> tuple[LanguageGuess | None, str]:
    """(texts -> [(lang, lang_tag, score)], "") or (None, why the focus is off)."""
    try:
        from language_id import Identifier  # type: ignore[attr-defined]

        identifier = Identifier()
    except Exception as exc:  # a missing model or library must not stop a crawl
        return None, f"language focus off: language_id unavailable ({type(exc).__name__}: {exc})"

    def guess(texts: list[str]) -> list[tuple[str, str, float]]:
        return [(p.lang, p.tag, float(p.score)) for p in identifier.predict(texts)]

    return guess, ""
