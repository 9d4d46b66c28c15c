"""Leads for investigators: circulators and sections far from the rest.

A circulator whose sections carry many more invalid or duplicate lines than everyone
else's, or a section where several lines look written by one hand, is worth a closer
look — fraud investigations start that way. These are statistical flags only: no line
is ever invalidated because it sits in a flagged group. Each determination stands on its
own evidence.

Test: for each group and measure, a one-sided Fisher exact test of the group's rate
against all other groups' pooled rate, then the Benjamini–Hochberg procedure across all
the tests at the stated false discovery rate. Groups with too few examined lines are not
tested (any rate is plausible in a handful of lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scipy.stats import fisher_exact

DISCLAIMER = (
    "These flags are leads for investigators, never grounds to invalidate a signature: "
    "every determination stands on its own evidence."
)
METRICS = {
    "invalid": "invalid rate",
    "duplicates": "duplicate rate",
    "same_hand": "same-hand (NOT_PERSONALLY_AFFIXED) rate",
}


@dataclass(frozen=True)
class AnomalyParams:
    """The stated threshold: false discovery rate and the smallest group tested."""

    fdr: float = 0.05
    min_examined: int = 20
    same_hand_min_lines: int = 2


@dataclass(frozen=True)
class Flag:
    group_kind: str  # section | circulator
    group: str
    metric: str
    count: int
    examined: int
    rate: float
    rest_rate: float
    p_value: float
    q_value: float
    flagged: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "group_kind": self.group_kind, "group": self.group, "metric": self.metric,
            "count": self.count, "examined": self.examined,
            "rate_percent": round(100 * self.rate, 2),
            "rest_rate_percent": round(100 * self.rest_rate, 2),
            "p_value": self.p_value, "q_value": self.q_value, "flagged": self.flagged,
        }


@dataclass(frozen=True)
class SameHand:
    section_id: str
    circulator: str | None
    lines: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"section_id": self.section_id, "circulator": self.circulator,
                "lines": list(self.lines)}


@dataclass(frozen=True)
class AnomalyReport:
    method: str
    threshold: str
    disclaimer: str
    tests: tuple[Flag, ...]
    same_hand: tuple[SameHand, ...]

    @property
    def flagged(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.tests if f.flagged)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "threshold": self.threshold,
            "disclaimer": self.disclaimer,
            "flagged": [f.as_dict() for f in self.flagged],
            "same_hand_patterns": [s.as_dict() for s in self.same_hand],
            "tests": [f.as_dict() for f in self.tests],
        }


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """BH-adjusted q-values (monotone, capped at 1), in the input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = min(1.0, running)
    return q


def _tests(kind: str, key: str, rows: list[dict[str, Any]], params: AnomalyParams
           ) -> list[tuple[str, str, str, int, int, float, float, float]]:
    out = []
    for metric in METRICS:
        total = sum(int(r[metric]) for r in rows)
        n_total = sum(int(r["examined"]) for r in rows)
        if total == 0:
            continue
        for r in rows:
            n, x = int(r["examined"]), int(r[metric])
            rest_n, rest_x = n_total - n, total - x
            if n < params.min_examined or rest_n <= 0:
                continue
            _, p = fisher_exact([[x, n - x], [rest_x, rest_n - rest_x]], alternative="greater")
            out.append((kind, str(r[key]), metric, x, n, x / n, rest_x / rest_n, float(p)))
    return out


def find_anomalies(
    by_section: list[dict[str, Any]],
    by_circulator: list[dict[str, Any]],
    same_hand_lines: list[tuple[str, str | None, str]],
    params: AnomalyParams | None = None,
) -> AnomalyReport:
    """Flag groups from `tables.group_counts` rows; `same_hand_lines` = (section, circulator,
    line_id) of every NOT_PERSONALLY_AFFIXED determination."""
    params = params or AnomalyParams()
    raw = _tests("section", "section_id", by_section, params) + _tests(
        "circulator", "circulator", by_circulator, params)
    qs = benjamini_hochberg([t[7] for t in raw])
    tests = tuple(
        Flag(k, g, m, x, n, rate, rest, p, q, q <= params.fdr)
        for (k, g, m, x, n, rate, rest, p), q in zip(raw, qs, strict=True)
    )
    tests = tuple(sorted(tests, key=lambda f: (not f.flagged, f.q_value, f.group_kind, f.group)))
    groups: dict[str, list[str]] = {}
    circ: dict[str, str | None] = {}
    for section, circulator, line in same_hand_lines:
        groups.setdefault(section, []).append(line)
        circ[section] = circulator
    same = tuple(
        SameHand(s, circ[s], tuple(sorted(lines)))
        for s, lines in sorted(groups.items())
        if len(lines) >= params.same_hand_min_lines
    )
    threshold = (
        f"flagged when the Benjamini–Hochberg q-value ≤ {params.fdr} (false discovery rate "
        f"{params.fdr:.0%}) across all {len(tests)} tests; groups with fewer than "
        f"{params.min_examined} examined lines are not tested; a same-hand pattern is "
        f"{params.same_hand_min_lines} or more NOT_PERSONALLY_AFFIXED lines in one section"
    )
    method = ("one-sided Fisher exact test of each group's rate against all other groups "
              "pooled, for: " + ", ".join(METRICS.values()))
    return AnomalyReport(method, threshold, DISCLAIMER, tests, same)


def same_hand_sql(view: str = "full_count_determinations") -> str:
    """NOT_PERSONALLY_AFFIXED lines by section, from the determinations `view` that counts
    for the report (facts.determinations_view)."""
    return f"""SELECT s.section_id, sec.circulator_name, d.line_id
               FROM {view} d JOIN signatures s USING (line_id)
               JOIN sections sec USING (section_id)
               WHERE d.reason = 'NOT_PERSONALLY_AFFIXED'
               ORDER BY 1, 3"""
