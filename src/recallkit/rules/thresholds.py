"""Numbers a pack derives from the size of the jurisdiction: signatures, days, proponents.

Each function returns a `Figure`: the value and the steps (with citations) that made it,
so the CLI, web app and certificate can show why.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from recallkit.explain import Step
from recallkit.rules.model import Band, RulePack


class RuleInputError(ValueError):
    """An input to a rule (a count, an office kind) is impossible for this pack."""


@dataclass(frozen=True)
class Figure:
    value: int
    steps: tuple[Step, ...]
    cite: str


def ceil_percent(measure: int, percent: Decimal) -> int:
    """⌈measure × percent / 100⌉ exactly: the law says 'not less than' a percentage."""
    return int((Decimal(measure) * percent / Decimal(100)).to_integral_value(ROUND_CEILING))


def band_for(bands: tuple[Band, ...], measure: int, office_kind: str | None = None) -> Band:
    """The band whose range holds `measure` (bands apply from min_measure upward)."""
    if measure < 0:
        raise RuleInputError(f"the count must not be negative (got {measure:,})")
    candidates = [b for b in bands if office_kind is None or b.office_kind in (None, office_kind)]
    candidates = [b for b in candidates if b.min_measure <= measure]
    if not candidates:
        raise RuleInputError(f"no band covers {measure:,} for office kind {office_kind!r}")
    return max(candidates, key=lambda b: b.min_measure)


def _office_kind(pack: RulePack, office_kind: str | None) -> str | None:
    if not pack.office_kinds:
        return None
    if office_kind is None:
        return pack.office_kinds[0]
    if office_kind not in pack.office_kinds:
        raise RuleInputError(
            f"{pack.id} has no office kind {office_kind!r}; "
            f"choose one of {', '.join(pack.office_kinds)}"
        )
    return office_kind


def required_signatures(pack: RulePack, measure: int, office_kind: str | None = None) -> Figure:
    """Valid signatures needed: the band's percent of the measure, fractions rounded up."""
    kind = _office_kind(pack, office_kind)
    band = band_for(pack.threshold_bands, measure, kind)
    assert band.percent is not None
    value = ceil_percent(measure, band.percent)
    label = pack.measure.replace("_", " ")
    steps = (
        Step("measure", measure, f"{label} ({pack.measure_note or pack.measure_cite})",
             pack.measure_cite),
        Step("percent", str(band.percent), f"band from {band.min_measure:,}"
             + (f" for {kind} offices" if kind else ""), band.cite),
        Step("required_signatures", value,
             f"{band.percent}% of {measure:,}, fractions rounded up", band.cite),
    )
    return Figure(value, steps, band.cite)


def circulation_days(pack: RulePack, measure: int) -> Figure:
    """Days allowed to circulate, from the band that holds the jurisdiction's size."""
    band = band_for(pack.circulation_bands, measure)
    assert band.days is not None
    step = Step("circulation_days", band.days,
                f"jurisdiction of {measure:,} is in the band from {band.min_measure:,}", band.cite)
    return Figure(band.days, (step,), band.cite)


def proponents_required(pack: RulePack, measure: int, nomination_signatures: int) -> Figure:
    """Proponents who must sign the notice of intention (EC 11020(b))."""
    if not pack.proponent_bands:
        raise RuleInputError(f"{pack.id} sets no proponent count")
    if nomination_signatures < 0:
        raise RuleInputError("nomination signatures must not be negative")
    band = band_for(pack.proponent_bands, measure)
    assert band.minimum is not None and band.times_nomination is not None
    multiple = band.times_nomination * nomination_signatures
    value = max(band.minimum, multiple)
    rule = (
        f"greater of {band.minimum} or {band.times_nomination} × {nomination_signatures:,} "
        f"nomination signatures = {multiple:,}"
        if band.times_nomination
        else f"{band.minimum} proponents"
    )
    return Figure(value, (Step("proponents_required", value, rule, band.cite),), band.cite)


def county_minimums(
    pack: RulePack, county_votes: dict[str, int], office_kind: str | None = None
) -> dict[str, Figure]:
    """Per-county minimums for the 'at least 1% in each of at least 5 counties' rule."""
    kind = _office_kind(pack, office_kind)
    rule = pack.county_rule
    if rule is None or (kind is not None and kind not in rule.office_kinds):
        return {}
    out: dict[str, Figure] = {}
    for county, votes in sorted(county_votes.items()):
        if votes < 0:
            raise RuleInputError(f"votes for {county} must not be negative (got {votes:,})")
        value = ceil_percent(votes, rule.percent.value)
        step = Step(f"minimum_{county}", value,
                    f"{rule.percent.value}% of {votes:,} votes for the office in {county}, "
                    "rounded up", rule.percent.cite)
        out[county] = Figure(value, (step,), rule.percent.cite)
    return out
