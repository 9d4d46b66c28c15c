"""The campaign planner: its goals hold, it agrees with a simulation through `project`."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from recallkit.planner import PlanInputError, outcome_odds, plan_campaign
from recallkit.projection import band_outcome, projected_valid
from recallkit.rules import load_pack
from recallkit.sampling import sample_size

LOCAL = load_pack("ca-local")


def test_los_angeles_sized_plan_meets_both_goals():
    plan = plan_campaign(LOCAL, 590_000, "0.75", "0.02", "0.95")
    assert plan.raw_to_file == max(plan.raw_for_full_count, plan.raw_for_sample_sufficient)
    assert plan.margin == plan.raw_to_file - 590_000
    # the sample alone must project above 110%: R × 0.75 > 1.1 × 590,000 → R > 865,333
    assert 865_333 < plan.raw_to_file < 900_000
    assert plan.odds.p_sufficient >= 0.95
    assert plan.odds.p_full_count_clears >= 0.95
    assert plan.odds.sample == sample_size(LOCAL, plan.raw_to_file).size
    # the full-count goal is the smallest raw count that meets it
    a = plan.raw_for_full_count
    assert binom.sf(590_000 - 1, a, 0.75) >= 0.95 > binom.sf(590_000 - 1, a - 1, 0.75)


def test_small_plan_sample_goal_just_fails_below():
    plan = plan_campaign(LOCAL, 5_000, 0.7, 0.05)
    below = outcome_odds(LOCAL, plan.raw_for_sample_sufficient - 1, 5_000, 0.7, 0.05)
    assert below.p_sufficient < 0.95 <= plan.odds.p_sufficient


def test_odds_agree_with_a_simulation_through_the_projection():
    """Draw petitions line by line, sample them, and decide with `projected_valid`."""
    rng = np.random.default_rng(20240601)
    raw, required, q, dup = 3_000, 1_800, 0.66, 0.04
    size = sample_size(LOCAL, raw).size
    exact = outcome_odds(LOCAL, raw, required, q, dup)
    pairs = round(dup * raw)
    outcomes = {"sufficient": 0, "full_count": 0, "insufficient": 0}
    runs = 3_000
    for _ in range(runs):
        # kinds: 0 valid first signature, 1 extra copy of a pair, 2 invalid
        kinds = np.full(raw, 2)
        kinds[: pairs] = 1
        kinds[pairs: 2 * pairs] = 0  # the first copies of the pairs are valid
        single_rate = (q * raw - pairs) / (raw - 2 * pairs)  # overall valid rate stays q
        n_valid_single = rng.binomial(raw - 2 * pairs, single_rate)
        kinds[2 * pairs: 2 * pairs + n_valid_single] = 0
        picked = rng.choice(raw, size=size, replace=False)
        chosen = set(picked.tolist())
        looks_valid = int(np.isin(kinds[picked], (0, 1)).sum())
        found = sum(1 for j in range(pairs) if j in chosen and pairs + j in chosen)
        valid = looks_valid - found
        pv = projected_valid(raw, size, valid, found)
        outcomes[band_outcome(pv, required, LOCAL)] += 1
    share = outcomes["sufficient"] / runs
    # Monte Carlo error with 3,000 runs is about 0.01; the planner's binomial model of the
    # sample is an approximation of drawing without replacement.
    assert abs(share - exact.p_sufficient) < 0.04, (share, exact.p_sufficient)


def test_state_pack_plans_the_full_count_only():
    plan = plan_campaign(load_pack("ca-state"), 1_500_000, 0.8)
    assert plan.raw_for_sample_sufficient is None
    assert plan.odds.p_sufficient is None
    assert any("EC 11104" in a for a in plan.assumptions)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"validity_rate": 0}, "validity rate"),
        ({"validity_rate": 1.2}, "validity rate"),
        ({"validity_rate": 0.8, "duplicate_rate": 0.3}, "together exceed 1"),
        ({"validity_rate": 0.8, "confidence": 1}, "below 1"),
        ({"validity_rate": "abc"}, "validity rate"),
        ({"validity_rate": 0.8, "required": 0}, "required"),
    ],
)
def test_bad_inputs(kwargs, message):
    args = {"required": 1_000, **kwargs}
    with pytest.raises(PlanInputError, match=message):
        plan_campaign(LOCAL, **args)
