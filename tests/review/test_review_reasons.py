"""The reasons a label can give, and the rules each is evidence for."""

from __future__ import annotations

from corpusforge.quality import rules
from corpusforge.review import reasons


def test_every_shipped_rule_can_be_named_by_some_reason() -> None:
    # A "should keep" on a page any rule rejected must be able to name what that rule measures.
    names = {r.name for t in rules.load_dir().values() for r in t.rules}
    orphans = sorted(n for n in names if not any(n in r.rules for r in reasons.REASONS))
    assert orphans == []


def test_too_short_is_evidence_for_min_words_only() -> None:
    assert reasons.rules_of("too_short") == ("min_words",)
    assert not reasons.maps_to("too_short", "max_upper_ratio")
    assert reasons.rules_of("other") == () and reasons.rules_of(None) == ()


def test_the_reason_proposed_for_should_keep_follows_the_rule() -> None:
    assert reasons.reason_for_drop("quality:min_words") == "too_short"
    assert reasons.reason_for_drop("quality:max_boilerplate_line_ratio") == "boilerplate"
    assert reasons.reason_for_drop("quality:max_top_2gram_ratio") == "spam"
    assert reasons.reason_for_drop("quality:max_mojibake_ratio") == "mojibake"
    assert reasons.reason_for_drop("lang:low_score") == "wrong_language"
    assert reasons.reason_for_drop("lang:fr") == "wrong_language"
    assert reasons.reason_for_drop("dup:near") == "duplicate"
    assert reasons.reason_for_drop("dup:lines") == "boilerplate"
    assert reasons.reason_for_drop("error:timeout") == "other"
