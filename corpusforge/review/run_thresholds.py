"""The thresholds a run decided with: its quality filter's and its language filter's.

Read from the run's manifest (the quality node's `thresholds_dir` and `skip_rules`, the language
filter's `min_score` and `default_min_score`). `corpusforge sample` stores them in `sample.json`, so
the app and the report show and compare against what the run used, even if the files change later;
the manifest's thresholds hash says whether they did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corpusforge.quality import rules
from corpusforge.review.reasons import LANG_SCORE_RULE
from corpusforge.rundir import RunDir

QUALITY_STAGE = "quality.filter.v1"
LANG_FILTER_STAGE = "langid.filter.v1"


@dataclass(frozen=True)
class RunThresholds:
    sets: dict[str, rules.Thresholds]  # the quality filter's effective thresholds per lang_tag ("default" too)
    lang_min_score: dict[str, float] = field(default_factory=dict)  # {"*": default, tag: value}
    thresholds_dir: str | None = None  # the project directory the run used (None: the shipped files)
    recorded_hash: str | None = None  # the hash the run's manifest recorded
    quality_node: str | None = None

    @property
    def hash(self) -> str:
        return rules.thresholds_hash(self.sets) if self.sets else ""

    @property
    def changed_since_run(self) -> bool:
        """The files no longer give what the run used (they were edited after it)."""
        return bool(self.recorded_hash) and self.recorded_hash != self.hash

    def rules_for(self, lang_tag: str | None) -> rules.Thresholds | None:
        return self.sets.get(lang_tag or "") or self.sets.get(rules.DEFAULT_TAG)

    def value(self, lang_tag: str | None, rule: str) -> float | None:
        if rule == LANG_SCORE_RULE:
            return self.lang_min_score.get(lang_tag or "", self.lang_min_score.get("*"))
        found = self.rules_for(lang_tag)
        return next((r.value for r in found.rules if r.name == rule), None) if found else None

    def to_json(self) -> dict[str, Any]:
        return {
            "quality": rules.as_dict(self.sets),
            "lang_min_score": self.lang_min_score,
            "thresholds_dir": self.thresholds_dir,
            "hash": self.hash,
            "recorded_hash": self.recorded_hash,
            "quality_node": self.quality_node,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunThresholds:
        return cls(
            sets=rules.from_dict(data.get("quality") or {}, source="sample.json"),
            lang_min_score={k: float(v) for k, v in (data.get("lang_min_score") or {}).items()},
            thresholds_dir=data.get("thresholds_dir"),
            recorded_hash=data.get("recorded_hash"),
            quality_node=data.get("quality_node"),
        )


def from_run(run_dir: str | None) -> RunThresholds:
    """The run's thresholds; the shipped ones when the run has no quality filter or no manifest."""
    manifest = RunDir(run_dir).read_manifest() if run_dir else None
    nodes = (manifest or {}).get("nodes", [])
    quality = next((n for n in nodes if n.get("stage") == QUALITY_STAGE), None)
    params = (quality or {}).get("params") or {}
    try:
        sets = rules.without(rules.load_dir(params.get("thresholds_dir")), set(params.get("skip_rules") or ()))
    except ValueError:  # the project directory moved or broke since the run: fall back, and say so (hash)
        sets = rules.load_dir()
    return RunThresholds(
        sets=sets,
        lang_min_score=_lang_min_score(nodes),
        thresholds_dir=params.get("thresholds_dir"),
        recorded_hash=((quality or {}).get("data") or {}).get("thresholds"),
        quality_node=(quality or {}).get("id"),
    )


def _lang_min_score(nodes: list[dict[str, Any]]) -> dict[str, float]:
    for node in nodes:
        params = node.get("params") or {}
        if node.get("stage") == LANG_FILTER_STAGE:
            per_tag = {str(k): float(v) for k, v in (params.get("min_score") or {}).items()}
            return {"*": float(params.get("default_min_score", 0.5)), **per_tag}
        for key, value in params.items():  # other language filters: a `min_*score*` parameter
            if "min" in key and "score" in key and isinstance(value, int | float) and not isinstance(value, bool):
                return {"*": float(value)}
            if "min" in key and "score" in key and isinstance(value, dict) and value:
                return {str(k): float(v) for k, v in value.items() if isinstance(v, int | float)}
    return {}
