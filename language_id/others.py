"""Text in languages outside the model's set, for the out-of-set score and its measurement.

Two sources, neither copied into the repository:

- Django's translation catalogs (`django/conf/locale` and `django/contrib/*/locale`, BSD-3,
  translated by the Django community): ~500-900 interface strings per language ("Enter a valid
  date.", "This field is required.") in ~100 languages. Read from the installed package with
  the standard library's `gettext`; placeholders (%(name)s, {0}, %s) are removed.
- Unicode ranges: random "words" of letters from non-Latin scripts (Cyrillic, Greek, Arabic,
  Hebrew, Devanagari, Han, Hiragana, Hangul, Thai, Georgian, Armenian), for the script rule.

Other languages are split into two fixed groups: `CALIBRATION` fits the out-of-set score
(`outofset.py`), `HELDOUT` only measures it, so the reported rejection is on languages the
score never saw.
"""

from __future__ import annotations

import gettext
import random
import re
from pathlib import Path

# Latin-script languages outside the set, split into two fixed groups (alphabetical, alternating).
LATIN_OTHERS = [
    "af",
    "az",
    "br",
    "bs",
    "cs",
    "cy",
    "da",
    "de",
    "dsb",
    "eo",
    "et",
    "fi",
    "fy",
    "ga",
    "gd",
    "hr",
    "hsb",
    "hu",
    "ia",
    "id",
    "io",
    "is",
    "kab",
    "lb",
    "lt",
    "lv",
    "ms",
    "nb",
    "nl",
    "nn",
    "pl",
    "ro",
    "sk",
    "sl",
    "sq",
    "sr_Latn",
    "sv",
    "sw",
    "tk",
    "tr",
    "uz",
    "vi",
]
CALIBRATION = tuple(LATIN_OTHERS[0::2])
HELDOUT = tuple(LATIN_OTHERS[1::2])

_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}|<[^>]*>|&\w+;|\s*\([^)]*\)\s*$")

SCRIPTS: dict[str, tuple[int, int]] = {
    "Cyrl": (0x0430, 0x044F),
    "Grek": (0x03B1, 0x03C9),
    "Arab": (0x0627, 0x064A),
    "Hebr": (0x05D0, 0x05EA),
    "Deva": (0x0915, 0x0939),
    "Hani": (0x4E00, 0x9FFF),
    "Hira": (0x3041, 0x3096),
    "Hang": (0xAC00, 0xD7A3),
    "Thai": (0x0E01, 0x0E2E),
    "Geor": (0x10D0, 0x10F0),
    "Armn": (0x0561, 0x0586),
}


def django_locale_dirs() -> list[Path]:
    """Every `locale` folder of the installed Django (ImportError with a hint when it is absent)."""
    try:
        import django
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("the out-of-set text comes from Django's catalogs: pip install 'django>=5.2,<5.3'") from exc
    root = Path(django.__file__).parent
    return [root / "conf" / "locale", *sorted((root / "contrib").glob("*/locale"))]


def django_strings(lang: str) -> list[str]:
    """Translated interface strings of one Django locale (e.g. "de", "sr_Latn"), cleaned and
    deduplicated, at least three words each, in a stable order."""
    seen: dict[str, None] = {}
    for folder in django_locale_dirs():
        for mo in sorted((folder / lang / "LC_MESSAGES").glob("*.mo")):
            with mo.open("rb") as fh:
                catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
            for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
                if not key or not isinstance(value, str):
                    continue
                text = " ".join(_PLACEHOLDER.sub(" ", value).split())
                if len(text.split()) >= 3:
                    seen.setdefault(text, None)
    return list(seen)


def script_text(script: str, rng: random.Random, *, words: int = 8) -> str:
    """A line of random "words" of letters of one script (Unicode range in `SCRIPTS`)."""
    lo, hi = SCRIPTS[script]
    spaced = script not in ("Hani", "Hira", "Thai")
    parts = ["".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(2, 7))) for _ in range(words)]
    return (" " if spaced else "").join(parts)


# Django locales in other scripts (measured by the script rule; never used in the fit).
NON_LATIN = [
    "ar",
    "be",
    "bg",
    "bn",
    "ckb",
    "el",
    "fa",
    "he",
    "hi",
    "hy",
    "ja",
    "ka",
    "kk",
    "km",
    "kn",
    "ko",
    "ky",
    "mk",
    "ml",
    "mn",
    "mr",
    "my",
    "ne",
    "os",
    "pa",
    "ru",
    "sr",
    "ta",
    "te",
    "tg",
    "th",
    "tt",
    "udm",
    "ug",
    "uk",
    "ur",
    "zh_Hans",
    "zh_Hant",
]
