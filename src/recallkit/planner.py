"""How many raw signatures a campaign should file.

Organisers add a margin above the requirement because some signatures will be invalid,
some duplicated, and because a random sample can land in the full-count band (or worse)
even when the petition is good. Los Angeles organisers, for example, aimed about 200,000
above a requirement of about 590,000.

The plan is derived from the same code that decides a real petition: `sample_size` from
the rule pack and `projected_valid` / `band_outcome` from recallkit.projection, so that it
cannot drift from the statute. The probabilities are exact under this model (no
simulation, no seed):

* each filed line is, independently, valid (rate q), an extra copy by a voter who has
  already signed (duplicate rate P), or otherwise invalid;
* full count: valid lines K ~ Binomial(R, q); goal (a) is P(K ≥ required) ≥ confidence;
* sample of S lines (from the pack): lines that look valid on their own L ~ Binomial(S,
  q + P); of the round(P·R) duplicate pairs, those with both lines in the sample are found,
  D ~ Binomial(round(P·R), S(S−1)/(R(R−1))), and V = L − D; goal (b) is that the statutory
  projection from (R, S, V, D) lands above the upper band with probability ≥ confidence.

L and D are treated as independent, a close approximation when duplicates are rare.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import numpy as np
from scipy.stats import binom

from recallkit.explain import Step
from recallkit.projection import band_edges_in_sample
from recallkit.rules.model import RulePack
from recallkit.sampling import NoSamplingError, no_sampling_reason, sample_size

_TAIL = 1e-12  # duplicate counts beyond this tail probability are ignored
_MAX_RAW = 10**9


class PlanInputError(ValueError):
    """Rates or counts that cannot describe a campaign."""


@dataclass(frozen=True)
class Odds:
    """What happens at a given raw count: the chance of each outcome."""

    raw: int
    sample: int | None
    p_full_count_clears: float
    p_sufficient: float | None
    p_full_count: float | None
    p_insufficient: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "sample": self.sample,
            "p_full_count_clears": self.p_full_count_clears,
            "p_sufficient": self.p_sufficient,
            "p_full_count": self.p_full_count,
            "p_insufficient": self.p_insufficient,
        }


@dataclass(frozen=True)
class CampaignPlan:
    """Raw signatures to file, the margin over the requirement, and why."""

    rules: str
    required: int
    validity_rate: Decimal
    duplicate_rate: Decimal
    confidence: Decimal
    raw_to_file: int
    margin: int
    margin_percent: str
    raw_for_full_count: int
    raw_for_sample_sufficient: int | None
    odds: Odds
    steps: tuple[Step, ...]
    assumptions: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules,
            "required": self.required,
            "validity_rate": str(self.validity_rate),
            "duplicate_rate": str(self.duplicate_rate),
            "confidence": str(self.confidence),
            "raw_to_file": self.raw_to_file,
            "margin": self.margin,
            "margin_percent": self.margin_percent,
            "raw_for_full_count": self.raw_for_full_count,
            "raw_for_sample_sufficient": self.raw_for_sample_sufficient,
            "odds": self.odds.as_dict(),
            "steps": [s.as_dict() for s in self.steps],
            "assumptions": list(self.assumptions),
        }


def _rate(value: Any, name: str, allow_zero: bool) -> Decimal:
    try:
        rate = Decimal(str(value))
    except InvalidOperation as exc:
        raise PlanInputError(f"{name} must be a number between 0 and 1 (got {value!r})") from exc
    low_ok = rate >= 0 if allow_zero else rate > 0
    if not rate.is_finite() or not low_ok or rate > 1:
        bound = "0" if allow_zero else "above 0"
        raise PlanInputError(f"{name} must be from {bound} to 1 (got {value})")
    return rate


# -- the two goals ---------------------------------------------------------------------------


def p_full_count_clears(raw: int, required: int, validity_rate: float) -> float:
    """P(valid lines in a full count ≥ required) when each line is valid with the given rate."""
    return float(binom.sf(required - 1, raw, validity_rate))


def outcome_odds(
    pack: RulePack, raw: int, required: int, validity_rate: float, duplicate_rate: float = 0.0
) -> Odds:
    """Exact chance of each band outcome of the statutory sample at this raw count."""
    full = p_full_count_clears(raw, required, validity_rate)
    try:
        size = sample_size(pack, raw).size
    except NoSamplingError:
        return Odds(raw, None, full, None, None, None)
    pairs = round(duplicate_rate * raw)
    both_in = size * (size - 1) / (raw * (raw - 1))
    if pairs and both_in > 0:
        d_lo = int(binom.ppf(_TAIL, pairs, both_in))
        d_hi = int(binom.isf(_TAIL, pairs, both_in))
        ds = np.arange(d_lo, min(d_hi, size) + 1)
        weights = binom.pmf(ds, pairs, both_in)
    else:
        ds = np.array([0])
        weights = np.array([1.0])
    looks_valid = min(1.0, validity_rate + duplicate_rate)
    p_suff = p_insuff = 0.0
    for d, weight in zip(ds.tolist(), weights.tolist(), strict=True):
        edges = band_edges_in_sample(raw, size, d, required, pack, pack.projection_variant)
        first_ok = edges["min_valid_for_sufficient"]
        last_bad = edges["max_valid_for_insufficient"]
        # V = L − d, so V ≥ e  ⇔  L ≥ e + d.
        if first_ok is not None:
            p_suff += weight * float(binom.sf(first_ok + d - 1, size, looks_valid))
        if last_bad is not None:
            p_insuff += weight * float(binom.cdf(last_bad + d, size, looks_valid))
    total = float(weights.sum())
    p_suff, p_insuff = p_suff / total, p_insuff / total
    return Odds(raw, size, full, p_suff, max(0.0, 1.0 - p_suff - p_insuff), p_insuff)


def _smallest_raw(low: int, ok: Any) -> int:
    """Smallest raw ≥ low with ok(raw), by doubling then bisection."""
    if ok(low):
        return low
    step = max(1, low // 8)
    hi = low + step
    while not ok(hi):
        low = hi
        step *= 2
        hi = low + step
        if hi > _MAX_RAW:
            raise PlanInputError(
                f"no raw count up to {_MAX_RAW:,} reaches the goal; check the validity rate"
            )
    while hi - low > 1:  # ok(hi) holds, ok(low) does not
        mid = (low + hi) // 2
        if ok(mid):
            hi = mid
        else:
            low = mid
    return hi


def plan_campaign(
    pack: RulePack,
    required: int,
    validity_rate: float | Decimal | str,
    duplicate_rate: float | Decimal | str = 0,
    confidence: float | Decimal | str = 0.95,
) -> CampaignPlan:
    """Raw signatures to file so that, with the stated confidence, the full count clears
    the requirement and the random sample alone lands above the upper band."""
    if isinstance(required, bool) or not isinstance(required, int) or required < 1:
        raise PlanInputError(f"required must be a whole number ≥ 1 (got {required!r})")
    q = _rate(validity_rate, "the validity rate", allow_zero=False)
    dup = _rate(duplicate_rate, "the duplicate rate", allow_zero=True)
    conf = _rate(confidence, "the confidence", allow_zero=False)
    if conf >= 1:
        raise PlanInputError("the confidence must be below 1 (e.g. 0.95)")
    if q + dup > 1:
        raise PlanInputError(
            f"the validity rate ({q}) and duplicate rate ({dup}) together exceed 1; duplicates "
            "are counted among the lines that are not valid"
        )
    qf, df, cf = float(q), float(dup), float(conf)

    raw_a = _smallest_raw(required, lambda r: p_full_count_clears(r, required, qf) >= cf)
    raw_b: int | None = None
    assumptions = [
        "Each filed line is independently valid, a duplicate of a voter who already signed, "
        "or otherwise invalid, at the stated rates.",
        "The sample outcome uses the rule pack's sample size and the statutory projection "
        f"({pack.projection_cite}, variant '{pack.projection_variant}'), computed exactly.",
    ]
    if pack.sample is not None and pack.bands is not None:
        start = max(required, pack.sample.raw_more_than.value + 1)

        def sample_ok(r: int) -> bool:
            p = outcome_odds(pack, r, required, qf, df).p_sufficient
            return p is not None and p >= cf

        raw_b = _smallest_raw(start, sample_ok)
        assumptions.append(
            "The chance of a sufficient sample is not perfectly monotone in the raw count "
            "(rounding, sample-size steps); the figure is the smallest found by bisection."
        )
    else:
        assumptions.append(no_sampling_reason(pack) + " Only the full-count goal applies.")
    raw = max(raw_a, raw_b or 0)
    odds = outcome_odds(pack, raw, required, qf, df)
    margin = raw - required
    margin_pct = (Decimal(margin) * 100 / Decimal(required)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    pct = format((conf * 100).normalize(), "f")
    steps = [
        Step("required", required, "valid signatures the petition needs", pack.threshold_cite),
        Step("validity_rate", str(q), "share of filed lines expected to be valid"),
        Step("duplicate_rate", str(dup), "share of filed lines expected to repeat a signer",
             str(pack.duplicates.get("cite", ""))),
        Step("raw_for_full_count", raw_a,
             f"smallest raw count whose full count clears {required:,} with {pct}% "
             "probability (binomial)"),
    ]
    if raw_b is not None and pack.sample is not None and pack.bands is not None:
        steps.append(Step(
            "raw_for_sample_sufficient", raw_b,
            f"smallest raw count whose statutory sample projects above "
            f"{pack.bands.sufficient_above_percent.value}% of the requirement with {pct}% "
            "probability", pack.bands.sufficient_above_percent.cite))
    steps.append(Step("raw_to_file", raw, "the larger of the two"))
    steps.append(Step("margin", margin, f"{margin_pct}% above the requirement"))
    return CampaignPlan(
        rules=pack.id,
        required=required,
        validity_rate=q,
        duplicate_rate=dup,
        confidence=conf,
        raw_to_file=raw,
        margin=margin,
        margin_percent=str(margin_pct),
        raw_for_full_count=raw_a,
        raw_for_sample_sufficient=raw_b,
        odds=odds,
        steps=tuple(steps),
        assumptions=tuple(assumptions),
    )
