"""An exact confidence statement beside the statutory projection.

The projection of 2 CCR 20530-20532 is a point estimate: it says nothing about how sure
we can be. Here the sample is treated as what it is, a draw without replacement of S lines
from R, so the number of valid lines in it is hypergeometric. From that we state

* the 95% lower bound L: the smallest number of valid signatures in the whole petition
  for which seeing at least V valid in the sample still has probability ≥ 5%;
* the probability that a petition with exactly the required number of valid signatures
  would have shown at least V valid in a sample of S.

Duplicates are not modelled here (a line is valid or not); the statutory formula handles
them. The statement says so wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scipy.stats import hypergeom

DUPLICATES_NOTE = (
    "This statement treats each sampled line as valid or not and ignores duplicates; "
    "the statutory projection accounts for duplicates."
)


class ConfidenceInputError(ValueError):
    """Counts that cannot describe a sample drawn from a petition."""


@dataclass(frozen=True)
class ConfidenceStatement:
    """The hypergeometric lower bound and the probability at the requirement, in words."""

    confidence: Decimal
    lower_bound: int
    p_at_requirement: float | None
    required: int | None
    sentence: str
    duplicates_note: str = DUPLICATES_NOTE

    def as_dict(self) -> dict[str, object]:
        return {
            "confidence": str(self.confidence),
            "lower_bound": self.lower_bound,
            "p_at_requirement": self.p_at_requirement,
            "required": self.required,
            "sentence": self.sentence,
            "duplicates_note": self.duplicates_note,
        }


def _check(raw: int, sample: int, valid: int) -> None:
    problems = []
    for name, value in (("raw", raw), ("sample", sample), ("valid", valid)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"{name} must be a whole number ≥ 0 (got {value!r})")
    if not problems:
        if sample > raw:
            problems.append(f"the sample ({sample:,}) is larger than the raw count ({raw:,})")
        if valid > sample:
            problems.append(f"valid ({valid:,}) is more than the sample ({sample:,})")
    if problems:
        raise ConfidenceInputError("; ".join(problems))


def _p_at_least(raw: int, sample: int, valid: int, valid_in_petition: int) -> float:
    """P(X ≥ valid) for X ~ Hypergeometric(population raw, successes K, draws sample)."""
    if valid <= 0:
        return 1.0
    return float(hypergeom.sf(valid - 1, raw, valid_in_petition, sample))


def lower_bound(
    raw: int, sample: int, valid: int, confidence: Decimal = Decimal("0.95")
) -> int:
    """Smallest K with P(X ≥ valid | N=raw, K, n=sample) ≥ 1 − confidence.

    P(X ≥ V) grows with K, so a binary search over K finds the edge exactly (to scipy's
    precision). With 95% confidence the petition has at least this many valid lines.
    """
    _check(raw, sample, valid)
    conf = Decimal(str(confidence))
    if not Decimal(0) < conf < Decimal(1):
        raise ConfidenceInputError(f"confidence must be between 0 and 1 (got {confidence})")
    alpha = float(1 - conf)
    # K ranges over what the sample allows: at least V valid, at most R − (S − V).
    lo, hi = valid, raw - (sample - valid)
    while lo < hi:
        mid = (lo + hi) // 2
        if _p_at_least(raw, sample, valid, mid) >= alpha:
            hi = mid
        else:
            lo = mid + 1
    return lo


def p_at_requirement(raw: int, sample: int, valid: int, required: int) -> float:
    """Probability that a petition with exactly `required` valid lines shows ≥ V in the sample.

    A small value means the sample is hard to explain unless the petition has more than
    the required number of valid signatures.
    """
    _check(raw, sample, valid)
    if isinstance(required, bool) or not isinstance(required, int) or required < 0:
        raise ConfidenceInputError(f"required must be a whole number ≥ 0 (got {required!r})")
    if required > raw:
        raise ConfidenceInputError(
            f"the requirement ({required:,}) exceeds the raw count ({raw:,}); "
            "no petition of this size can be exactly at it"
        )
    return _p_at_least(raw, sample, valid, required)


def confidence_statement(
    raw: int,
    sample: int,
    valid: int,
    required: int | None = None,
    confidence: Decimal = Decimal("0.95"),
) -> ConfidenceStatement:
    """Both figures and a sentence for people, saying that duplicates are not modelled."""
    conf = Decimal(str(confidence))
    bound = lower_bound(raw, sample, valid, conf)
    pct = _percent(conf)
    sentence = (
        f"With {pct}% confidence at least {bound:,} of the {raw:,} signatures are valid "
        f"(exact hypergeometric bound from {valid:,} valid in a sample of {sample:,})."
    )
    p_req: float | None = None
    if required is not None and 0 <= required <= raw:
        p_req = p_at_requirement(raw, sample, valid, required)
        sentence += (
            f" A petition with exactly the required {required:,} valid signatures would show "
            f"{valid:,} or more valid in such a sample with probability {_prob(p_req)}."
        )
    elif required is not None:
        sentence += (
            f" The raw count is below the requirement of {required:,}, so no petition of "
            "this size can reach it."
        )
    sentence += " " + DUPLICATES_NOTE
    return ConfidenceStatement(conf, bound, p_req, required, sentence)


def _percent(conf: Decimal) -> str:
    text = format((conf * 100).normalize(), "f")
    return text


def _prob(p: float) -> str:
    if p == 0.0:
        return "0 (below floating-point precision)"
    if p < 0.0001:
        return f"{p:.2e}"
    return f"{p:.4f}"
