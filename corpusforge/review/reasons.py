"""Why a document should have been rejected (or kept): a small taxonomy tied to rules and families.

A "should reject" label says what is wrong with a kept page; a "should keep" label on a rejected
page says that what the rule held against it is not so (the app proposes the reason matching the
rule that rejected it). A threshold only gets evidence from labels whose reason maps to its rule:
"too short" speaks to `min_words` and to nothing else, so six such labels can never move
`max_upper_ratio`.

    reason            rules (quality thresholds, and the language filter's min_lang_score)      families
    too_short         min_words                                                                  quality
    boilerplate       menus, notices, lists, tables, code: line/punctuation/stop-word rules      quality, dup
    spam              machine-translated or generated text, keyword stuffing, repetition         quality
    mojibake          broken encoding: mojibake ratio, mean word length, words with letters      ingest, extract
    wrong_language    min_lang_score                                                             lang
    wrong_variety     (none: a variety is a tag, not a threshold)                                lang
    duplicate         (none: dedup has no per-language threshold here)                           dup
    personal_data     (none: PII is redacted, not a reason to reject)                            pii
    other             (none; needs a note)                                                       -
"""

from __future__ import annotations

from dataclasses import dataclass

LANG_SCORE_RULE = "min_lang_score"  # the language filter's threshold (a pipeline parameter, not a TOML key)


@dataclass(frozen=True)
class Reason:
    key: str
    label: str  # what the app shows
    rules: tuple[str, ...]
    families: tuple[str, ...]


_BOILERPLATE = (
    "max_boilerplate_line_ratio",
    "max_policy_line_ratio",
    "max_javascript_line_ratio",
    "max_short_line_ratio",
    "min_punct_line_ratio",
    "max_newline_word_ratio",
    "max_bullet_line_ratio",
    "max_ellipsis_line_ratio",
    "min_stopword_ratio",
    "min_alpha_word_ratio",
    "max_digit_ratio",
    "max_curly_ratio",
    "max_dup_line_ratio",
    "max_dup_para_ratio",
    "max_dup_line_char_ratio",
    "max_dup_para_char_ratio",
    "max_lorem_ipsum",
)
_SPAM = (
    "max_top_2gram_ratio",
    "max_top_3gram_ratio",
    "max_top_4gram_ratio",
    *(f"max_dup_{n}gram_ratio" for n in range(5, 11)),
    "max_dup_line_ratio",
    "max_dup_para_ratio",
    "max_dup_line_char_ratio",
    "max_dup_para_char_ratio",
    "min_stopword_ratio",
    "max_symbol_ratio",
    "max_upper_ratio",
    "max_lorem_ipsum",
    "min_mean_word_length",
    "max_mean_word_length",
    "max_words",
    "max_perplexity",
)
REASONS: tuple[Reason, ...] = (
    Reason("too_short", "too short", ("min_words",), ("quality",)),
    Reason("boilerplate", "boilerplate / not prose", _BOILERPLATE, ("quality", "dup")),
    Reason("spam", "machine-translated / spam", _SPAM, ("quality",)),
    Reason(
        "mojibake",
        "mojibake / broken encoding",
        ("max_mojibake_ratio", "max_mean_word_length", "min_alpha_word_ratio"),
        ("ingest", "extract"),
    ),
    Reason("wrong_language", "wrong language", (LANG_SCORE_RULE,), ("lang",)),
    Reason("wrong_variety", "wrong variety", (), ("lang",)),
    Reason("duplicate", "duplicate", (), ("dup",)),
    Reason("personal_data", "personal data", (), ("pii",)),
    Reason("other", "other (write a note)", (), ()),
)
BY_KEY = {r.key: r for r in REASONS}
KEYS = tuple(BY_KEY)
NEEDS_NOTE = "other"


def rules_of(reason: str | None) -> tuple[str, ...]:
    return BY_KEY[reason].rules if reason in BY_KEY else ()


def rule_of_drop(drop_reason: str | None) -> str | None:
    """The threshold a rejection turned on: `min_words` for quality:min_words, min_lang_score for
    lang:low_score; None for the rest (another language, a duplicate, an error)."""
    if not drop_reason:
        return None
    family, _, what = drop_reason.partition(":")
    if family == "quality":
        return what
    return LANG_SCORE_RULE if drop_reason == "lang:low_score" else None


def reason_for_drop(drop_reason: str | None) -> str:
    """The reason the app proposes for "should keep" on a page rejected with `drop_reason`."""
    rule = rule_of_drop(drop_reason)
    if rule is not None:
        return next((r.key for r in REASONS if rule in r.rules), "other")
    family = (drop_reason or "").partition(":")[0]
    if drop_reason == "dup:lines":  # a page left empty once its site's boilerplate lines were cut
        return "boilerplate"
    if family == "lang":
        return "wrong_language"
    return next((r.key for r in REASONS if family in r.families and not r.rules), "other")


def maps_to(reason: str | None, rule: str) -> bool:
    return rule in rules_of(reason)
