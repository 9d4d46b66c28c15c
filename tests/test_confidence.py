"""The exact hypergeometric confidence statement, checked against exact integer sums."""

from __future__ import annotations

from decimal import Decimal
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recallkit.confidence import (
    ConfidenceInputError,
    confidence_statement,
    lower_bound,
    p_at_requirement,
)


def _p_at_least(raw: int, sample: int, valid: int, k: int) -> float:
    """P(X ≥ valid), X hypergeometric, by exact integer sums (independent of scipy)."""
    total = comb(raw, sample)
    hits = sum(comb(k, x) * comb(raw - k, sample - x) for x in range(valid, sample + 1))
    return hits / total


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 120), st.data())
def test_lower_bound_is_the_smallest_plausible_count(raw, data):
    sample = data.draw(st.integers(1, raw))
    valid = data.draw(st.integers(0, sample))
    bound = lower_bound(raw, sample, valid)
    assert valid <= bound <= raw - (sample - valid)
    assert _p_at_least(raw, sample, valid, bound) >= 0.05 - 1e-12
    if bound > 0:
        assert _p_at_least(raw, sample, valid, bound - 1) < 0.05 + 1e-12


def test_p_at_requirement_matches_exact_sum():
    assert p_at_requirement(100, 30, 20, 60) == pytest.approx(_p_at_least(100, 30, 20, 60))
    assert p_at_requirement(100, 30, 0, 60) == 1.0


def test_higher_confidence_gives_a_lower_bound_that_is_not_higher():
    a = lower_bound(24_034, 722, 516, Decimal("0.95"))
    b = lower_bound(24_034, 722, 516, Decimal("0.99"))
    assert b <= a < 17_178  # below the point estimate R × V / S


def test_statement_says_it_ignores_duplicates():
    s = confidence_statement(24_034, 722, 516, 12_000)
    assert "ignores duplicates" in s.sentence
    assert s.lower_bound == lower_bound(24_034, 722, 516)
    assert s.p_at_requirement is not None and s.p_at_requirement < 1e-20
    assert "95% confidence" in s.sentence
    over = confidence_statement(1_000, 500, 400, 2_000)
    assert over.p_at_requirement is None and "below the requirement" in over.sentence


@pytest.mark.parametrize(
    "args", [(100, 200, 10), (100, 20, 30), (-1, 0, 0), (100, 20, True)]
)
def test_bad_counts(args):
    with pytest.raises(ConfidenceInputError):
        lower_bound(*args)


def test_bad_confidence_and_requirement():
    with pytest.raises(ConfidenceInputError):
        lower_bound(100, 20, 10, Decimal("1"))
    with pytest.raises(ConfidenceInputError, match="exceeds the raw count"):
        p_at_requirement(100, 20, 10, 101)
