"""Per-host crawl stats and the language yield, read from the frontier (so they survive restarts).

Every URL the crawl has seen is in exactly one bucket: `queued`, a fetch outcome, or a
reason it was never requested (`disallowed`, `out_of_scope:*`, `handoff`, ...). Seeds and
sitemap entries that are not URLs at all are listed under `bad_input`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from corpusforge.crawl.frontier import Frontier

# Outcomes that are a stored HTTP response (the rest are errors or never-requested URLs).
RESPONSES = ("fetched", "redirect", "redirect_loop", "sitemap")
NEVER_REQUESTED = ("disallowed", "handoff", "host_limit", "too_many_redirects", "queued")


@dataclass
class HostStats:
    host: str
    fetched: int = 0
    bytes: int = 0
    robots_disallowed: int = 0
    out_of_scope: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> dict[str, int]:
        skip = (*RESPONSES, *NEVER_REQUESTED)
        return {k: v for k, v in self.outcomes.items() if k not in skip and not k.startswith("out_of_scope")}


@dataclass
class CrawlReport:
    hosts: dict[str, HostStats]
    langs: Counter[str]
    targets: tuple[str, ...]
    bad_input: list[tuple[str, str, str]]

    @property
    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for h in self.hosts.values():
            total.update(h.outcomes)
        return total

    @property
    def language_yield(self) -> float | None:
        """Share of identified fetched pages in a target language (None when focus is off)."""
        fetched = sum(n for lang, n in self.langs.items() if lang != "unknown")
        if not self.targets or not fetched:
            return None
        return sum(n for lang, n in self.langs.items() if _on_target(lang, self.targets)) / fetched

    def to_json(self) -> dict[str, Any]:
        return {
            "totals": dict(self.totals),
            "hosts": {
                h.host: {
                    "fetched": h.fetched,
                    "bytes": h.bytes,
                    "robots_disallowed": h.robots_disallowed,
                    "out_of_scope": h.out_of_scope,
                    "errors": h.errors,
                    "outcomes": dict(h.outcomes),
                }
                for h in self.hosts.values()
            },
            "langs": dict(self.langs),
            "language_yield": self.language_yield,
            "bad_input": [{"what": w, "value": v, "reason": r} for w, v, r in self.bad_input],
        }

    def render(self) -> str:
        lines = [f"{'host':<32}{'fetched':>8}{'bytes':>12}{'robots':>8}{'scope':>7}  errors"]
        for h in sorted(self.hosts.values(), key=lambda h: (-h.fetched, h.host)):
            if not (h.fetched or h.errors or h.robots_disallowed or h.outcomes.get("queued")):
                continue  # hosts only seen as out-of-scope links
            errs = ", ".join(f"{k} {v}" for k, v in sorted(h.errors.items())) or "-"
            lines.append(f"{h.host:<32}{h.fetched:>8}{h.bytes:>12}{h.robots_disallowed:>8}{h.out_of_scope:>7}  {errs}")
        totals = ", ".join(f"{k} {v}" for k, v in sorted(self.totals.items()))
        lines.append(f"all URLs by outcome: {totals}")
        if self.bad_input:
            lines.append(
                f"bad input ({len(self.bad_input)}): " + "; ".join(f"{w} {v!r}: {r}" for w, v, r in self.bad_input[:10])
            )
        if self.langs:
            langs = ", ".join(f"{k} {v}" for k, v in self.langs.most_common())
            yld = self.language_yield
            lines.append(f"fetched pages by language: {langs}")
            if yld is not None:
                lines.append(f"language yield ({', '.join(self.targets)}): {yld:.1%}")
        return "\n".join(lines)


def _on_target(lang: str, targets: tuple[str, ...]) -> bool:
    return any(lang == t or lang.split("|")[0] == t or (lang.split("|") + [""])[1] == t for t in targets)


def from_frontiers(frontiers: list[Frontier], *, targets: tuple[str, ...] = ()) -> CrawlReport:
    hosts: dict[str, HostStats] = {}
    langs: Counter[str] = Counter()
    bad: list[tuple[str, str, str]] = []
    for fr in frontiers:
        for host, outcome, n, nbytes in fr.outcomes_by_host():
            h = hosts.setdefault(host, HostStats(host))
            h.outcomes[outcome] += n
            h.bytes += nbytes or 0
            if outcome == "fetched":
                h.fetched += n
            elif outcome == "disallowed":
                h.robots_disallowed += n
            elif outcome.startswith("out_of_scope"):
                h.out_of_scope += n
        for lang, n in fr.lang_counts():
            langs[lang or "unknown"] += n
        bad.extend(fr.bad_inputs())
    # A URL handed to another partition is counted there; drop the sender's copy from totals.
    for h in hosts.values():
        h.outcomes.pop("handoff", None)
    return CrawlReport(hosts, langs, targets, bad)
