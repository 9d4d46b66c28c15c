"""The statutory projection from a random sample (2 CCR 20530-20532) and its bands.

With R raw signatures, S in the sample, V valid and D duplicates found in the sample:

    p = V / S as a percent, rounded half-up to two decimals      (20530)
    U = R × p, rounded up                                        (20531)
    A = R / S, rounded half-up to four decimals                  (20532)
    W = A × (A − 1)
    E = W × D, rounded up
    projected valid = U − E

All arithmetic is exact (integers scaled by powers of ten), because a single signature
can move a petition across a band edge. Band edges are compared exactly too
(projected × 100 > 110 × required), never on a rounded percentage.

Some counties have published figures that round only the final result,
⌈R·V/S − W·D⌉. The regulation does not support that; it is offered as the labelled
non-conforming variant 'final-round' so such figures can be reproduced and compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import Any

from recallkit.confidence import ConfidenceStatement, confidence_statement
from recallkit.explain import Step
from recallkit.rules.model import RulePack
from recallkit.sampling import NoSamplingError, sample_size

VARIANTS = ("regulation", "final-round")
OUTCOMES = ("insufficient", "full_count", "sufficient")  # ordered worst to best

_HUNDREDTHS = 10_000  # p is kept in hundredths of a percent: V/S × 100 × 100
_TEN_THOUSANDTHS = 10_000  # A is kept in ten-thousandths
_W_SCALE = _TEN_THOUSANDTHS**2  # W = A(A − 1) has eight decimals


class ProjectionInputError(ValueError):
    """Counts that cannot come from a real sample, or a variant the pack does not know."""


@dataclass(frozen=True)
class Gate:
    """The raw-count gate: below the requirement nothing more is done (EC 11222(b))."""

    outcome: str  # 'proceed' | 'insufficient'
    reason: str
    cite: str

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "reason": self.reason, "cite": self.cite}


@dataclass(frozen=True)
class Projection:
    """A projection with every step, the band outcome and the confidence statement."""

    projected_valid: int
    percent_of_required: str
    outcome: str
    variant: str
    steps: tuple[Step, ...]
    band_edges_in_sample: dict[str, int | None]
    confidence: ConfidenceStatement | None
    warnings: tuple[str, ...]
    inputs: dict[str, Any]
    cite: str
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "projected_valid": self.projected_valid,
            "percent_of_required": self.percent_of_required,
            "outcome": self.outcome,
            "variant": self.variant,
            "steps": [s.as_dict() for s in self.steps],
            "band_edges_in_sample": dict(self.band_edges_in_sample),
            "confidence": self.confidence.as_dict() if self.confidence else None,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "inputs": dict(self.inputs),
            "cite": self.cite,
        }


# -- the arithmetic (integers only) ------------------------------------------------------------


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


@dataclass(frozen=True)
class _Figures:
    p: int  # hundredths of a percent
    u: int
    a: int  # ten-thousandths
    w: int  # 1e-8
    e: int
    unclamped: int


def _figures(raw: int, sample: int, valid: int, duplicates: int, variant: str) -> _Figures:
    p = _half_up(valid * _HUNDREDTHS, sample)
    u = _ceil_div(raw * p, _HUNDREDTHS)
    a = _half_up(raw * _TEN_THOUSANDTHS, sample)
    w = a * (a - _TEN_THOUSANDTHS)
    e = _ceil_div(w * duplicates, _W_SCALE)
    if variant == "regulation":
        unclamped = u - e
    else:  # final-round: ⌈R·V/S − W·D⌉, one rounding at the end
        unclamped = _ceil_div(raw * valid * _W_SCALE - sample * w * duplicates, sample * _W_SCALE)
    return _Figures(p, u, a, w, e, unclamped)


def projected_valid(
    raw: int, sample: int, valid: int, duplicates: int, variant: str = "regulation"
) -> int:
    """Just the projected number of valid signatures (clamped at 0); no checks, no steps.

    The planner and the band-edge search call this many times; `project` is the checked,
    explained entry point.
    """
    return max(0, _figures(raw, sample, valid, duplicates, variant).unclamped)


def band_outcome(projected: int, required: int, pack: RulePack) -> str:
    """'sufficient' above the upper edge, 'insufficient' below the lower, else 'full_count'.

    Exact comparison: projected × 100 > upper% × required (EC 11225(a)(1)-(2) for ca-local).
    """
    bands = _bands(pack)
    hi = Fraction(bands.sufficient_above_percent.value)
    lo = Fraction(bands.insufficient_below_percent.value)
    if projected * 100 > hi * required:
        return "sufficient"
    if projected * 100 < lo * required:
        return "insufficient"
    return "full_count"


def _bands(pack: RulePack) -> Any:
    if pack.bands is None:
        raise ProjectionInputError(_no_sample_text(pack))
    return pack.bands


def _no_sample_text(pack: RulePack) -> str:
    try:
        sample_size(pack, 10**9)
    except NoSamplingError as exc:
        return f"no projection: {exc}"
    return f"no projection: the rule pack {pack.id} sets no bands for a sample"


# -- checks --------------------------------------------------------------------------------------


def _validate(
    raw: int, sample: int, valid: int, duplicates: int, required: int, withdrawn: int
) -> None:
    """Collect every impossible input before raising, so the user fixes them all at once."""
    values = {
        "raw": raw, "sample": sample, "valid": valid,
        "duplicates": duplicates, "required": required, "withdrawn": withdrawn,
    }
    problems = [
        f"{name} must be a whole number ≥ 0 (got {value!r})"
        for name, value in values.items()
        if isinstance(value, bool) or not isinstance(value, int) or value < 0
    ]
    if problems:
        raise ProjectionInputError("; ".join(problems))
    if sample == 0:
        problems.append("the sample is empty; a projection needs at least one sampled line")
    if sample > raw:
        problems.append(f"the sample ({sample:,}) is larger than the raw count ({raw:,})")
    if valid > sample:
        problems.append(f"valid ({valid:,}) is more than the sample ({sample:,})")
    elif duplicates + withdrawn > sample - valid:
        what = "duplicates" if not withdrawn else "duplicates plus withdrawn"
        problems.append(
            f"{what} ({duplicates + withdrawn:,}) exceed the lines of the sample that are not "
            f"valid ({sample:,} − {valid:,} = {sample - valid:,}); duplicates and withdrawn "
            "signatures are counted among the invalid lines"
        )
    if required == 0:
        problems.append("the number of valid signatures required must be at least 1")
    if problems:
        raise ProjectionInputError("; ".join(problems))


# -- the public calls ----------------------------------------------------------------------------


def raw_count_gate(raw: int, required: int, pack: RulePack) -> Gate:
    """Below the requirement the petition fails on the raw count alone (EC 11222(b))."""
    cite = str(pack.verification.get("raw_count_cite", "")) or pack.threshold_cite
    if raw < required:
        return Gate(
            "insufficient",
            f"the raw count ({raw:,}) is below the {required:,} valid signatures required; "
            "no further action is taken on the petition",
            cite,
        )
    return Gate(
        "proceed",
        f"the raw count ({raw:,}) reaches the {required:,} required; verification proceeds",
        cite,
    )


def band_edges_in_sample(
    raw: int, sample: int, duplicates: int, required: int, pack: RulePack, variant: str
) -> dict[str, int | None]:
    """Valid lines in this sample (same S and D) that would cross each band edge.

    `min_valid_for_sufficient`: the fewest valid for 'sufficient'; `max_valid_for_insufficient`:
    the most valid still 'insufficient'. None when no V in 0..S−D reaches that band. The
    projection never falls as V grows, so a binary search over V is exact.
    """
    top = sample - duplicates

    def outcome(v: int) -> str:
        return band_outcome(projected_valid(raw, sample, v, duplicates, variant), required, pack)

    lo, hi = 0, top + 1  # first V that is sufficient, top + 1 if none
    while lo < hi:
        mid = (lo + hi) // 2
        if outcome(mid) == "sufficient":
            hi = mid
        else:
            lo = mid + 1
    min_sufficient = lo if lo <= top else None
    lo, hi = 0, top + 1  # first V that is not insufficient
    while lo < hi:
        mid = (lo + hi) // 2
        if outcome(mid) != "insufficient":
            hi = mid
        else:
            lo = mid + 1
    max_insufficient = lo - 1 if lo > 0 else None
    return {
        "min_valid_for_sufficient": min_sufficient,
        "max_valid_for_insufficient": max_insufficient,
    }


def project(
    raw: int,
    sample: int,
    valid: int,
    duplicates: int,
    required: int,
    pack: RulePack,
    variant: str | None = None,
    withdrawn: int = 0,
) -> Projection:
    """Project valid signatures from a sample and place the result in the pack's bands.

    `valid` must already exclude withdrawn signatures drawn into the sample: a withdrawn
    signature counts as not valid (2 CCR 20530(b)(1)); `withdrawn` is only reported.
    """
    chosen = variant or pack.projection_variant or "regulation"
    if chosen not in VARIANTS:
        raise ProjectionInputError(
            f"unknown projection variant {chosen!r}; choose one of {', '.join(VARIANTS)}"
        )
    _validate(raw, sample, valid, duplicates, required, withdrawn)
    bands = _bands(pack)
    cite = pack.projection_cite or "2 CCR 20530-20532"
    f = _figures(raw, sample, valid, duplicates, chosen)
    projected = max(0, f.unclamped)
    outcome = band_outcome(projected, required, pack)

    warnings: list[str] = []
    notes: list[str] = []
    warnings += _sample_warnings(pack, raw, sample)
    if raw < required:
        gate = raw_count_gate(raw, required, pack)
        warnings.append(f"{gate.reason} ({gate.cite}); no sample is needed")

    steps = _steps(raw, sample, valid, duplicates, withdrawn, f, chosen, cite)
    if f.unclamped < 0:
        note = (
            f"the formula gives {f.unclamped:,}, below zero (a small sample with many "
            "duplicates); the projection is taken as 0"
        )
        notes.append(note)
        steps.append(Step("projected_valid", 0, note, cite))
    hi = bands.sufficient_above_percent
    lo = bands.insufficient_below_percent
    percent = (Decimal(projected) * 100 / Decimal(required)).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN
    )
    steps.append(
        Step("percent_of_required", str(percent),
             f"{projected:,} / {required:,} × 100, shown truncated to two decimals; the band "
             "test below is exact", bands.cite)
    )
    steps.append(Step("outcome", outcome, _outcome_rule(outcome, hi, lo), _outcome_cite(
        outcome, hi.cite, lo.cite, bands.cite)))
    if chosen != "regulation":
        warnings.append(
            "the 'final-round' variant rounds only the final result; 2 CCR 20530-20532 does "
            "not support it (shown only to reproduce published figures)"
        )
    conf = confidence_statement(raw, sample, valid, required)
    inputs = {
        "raw": raw, "sample": sample, "valid": valid, "duplicates": duplicates,
        "withdrawn": withdrawn, "required": required, "rules": pack.id, "variant": chosen,
    }
    return Projection(
        projected_valid=projected,
        percent_of_required=str(percent),
        outcome=outcome,
        variant=chosen,
        steps=tuple(steps),
        band_edges_in_sample=band_edges_in_sample(raw, sample, duplicates, required, pack, chosen),
        confidence=conf,
        warnings=tuple(warnings),
        inputs=inputs,
        cite=cite,
        notes=tuple(notes),
    )


def _sample_warnings(pack: RulePack, raw: int, sample: int) -> list[str]:
    """Say when the sample is smaller than the statute requires, naming the section."""
    try:
        needed = sample_size(pack, raw)
    except NoSamplingError as exc:
        return [f"{exc} This projection has no legal effect."]
    if sample < needed.size:
        return [
            f"the sample of {sample:,} is smaller than the {needed.size:,} that {needed.cite} "
            f"requires for a raw count of {raw:,}"
        ]
    return []


def _steps(
    raw: int, sample: int, valid: int, duplicates: int, withdrawn: int,
    f: _Figures, variant: str, cite: str,
) -> list[Step]:
    p = Decimal(f.p) / 100
    a = Decimal(f.a) / _TEN_THOUSANDTHS
    w = Decimal(f.w) / _W_SCALE
    steps = [
        Step("raw_count", raw, "R: signatures counted on all sections", "2 CCR 20530"),
        Step("sample", sample, "S: signatures in the random sample", "2 CCR 20530"),
        Step("valid_in_sample", valid,
             "V: valid signatures in the sample"
             + (f" ({withdrawn:,} withdrawn counted as not valid)" if withdrawn else
                "; a withdrawn signature counts as not valid"),
             "2 CCR 20530(b)(1)"),
        Step("duplicates_in_sample", duplicates, "D: duplicate signatures found in the sample",
             "2 CCR 20530"),
        Step("p", f"{p:.2f}", f"V / S = {valid:,} / {sample:,} as a percent, rounded half-up "
             "to two decimals", "2 CCR 20530"),
        Step("U", f.u, f"R × p = {raw:,} × {p:.2f}%, rounded up", "2 CCR 20531"),
        Step("A", f"{a:.4f}", f"R / S = {raw:,} / {sample:,}, rounded half-up to four decimals",
             "2 CCR 20532"),
        Step("W", f"{w:.8f}", f"A × (A − 1) = {a:.4f} × {a - 1:.4f}", "2 CCR 20532"),
        Step("E", f.e, f"W × D = {w:.8f} × {duplicates:,}, rounded up", "2 CCR 20532"),
    ]
    if variant == "regulation":
        steps.append(Step("projected_valid", max(0, f.unclamped), f"U − E = {f.u:,} − {f.e:,}",
                          cite))
    else:
        steps.append(Step(
            "projected_valid", max(0, f.unclamped),
            f"NON-CONFORMING final-round variant: ⌈R × V / S − W × D⌉ = ⌈{raw:,} × {valid:,} / "
            f"{sample:,} − {w:.8f} × {duplicates:,}⌉; the regulation rounds p, U and E instead",
            "not supported by 2 CCR 20530-20532",
        ))
    return steps


def _outcome_rule(outcome: str, hi: Any, lo: Any) -> str:
    if outcome == "sufficient":
        return f"more than {hi.value}% of the requirement: the petition is sufficient"
    if outcome == "insufficient":
        return f"less than {lo.value}% of the requirement: the petition is insufficient"
    return (
        f"from {lo.value}% to {hi.value}% of the requirement (inclusive): every signature "
        "must be examined"
    )


def _outcome_cite(outcome: str, hi_cite: str, lo_cite: str, both: str) -> str:
    return {"sufficient": hi_cite, "insufficient": lo_cite}.get(outcome, both)
