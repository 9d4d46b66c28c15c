"""The statutory projection (2 CCR 20530-20532), bands, band edges and input errors."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from recallkit.projection import (
    OUTCOMES,
    ProjectionInputError,
    band_edges_in_sample,
    band_outcome,
    project,
    projected_valid,
    raw_count_gate,
)
from recallkit.rules import load_pack

LOCAL = load_pack("ca-local")
INIT = load_pack("ca-initiative")


def _step(result, name):
    return [s for s in result.steps if s.name == name][-1].value


def test_public_example_2_ccr_20540():
    # R = 24,034, S = 722, V = 516, D = 2 → 15,028 (2 CCR 20540).
    r = project(24_034, 722, 516, 2, 12_000, INIT)
    assert r.projected_valid == 15_028
    assert _step(r, "p") == "71.47"
    assert _step(r, "U") == 17_178
    assert _step(r, "A") == "33.2881"
    assert _step(r, "W") == "1074.80950161"
    assert _step(r, "E") == 2_150
    assert r.variant == "regulation"
    assert r.outcome == "sufficient"
    assert r.percent_of_required == "125.23"
    assert all(s.cite for s in r.steps)
    assert r.warnings == ()  # 722 is the 3% the initiative statute requires
    d = r.as_dict()
    assert set(d) >= {"projected_valid", "percent_of_required", "outcome", "steps",
                      "band_edges_in_sample", "confidence"}
    assert "ignores duplicates" in d["confidence"]["sentence"]


def test_public_example_final_round_variant_is_labelled():
    r = project(24_034, 722, 516, 2, 12_000, INIT, variant="final-round")
    assert r.projected_valid == 15_028  # ⌈17,177.27… − 2,149.62…⌉
    assert r.variant == "final-round"
    assert any("does not support" in w for w in r.warnings)
    final = [s for s in r.steps if s.name == "projected_valid"][-1]
    assert "NON-CONFORMING" in final.rule and "not supported" in final.cite


def test_variants_can_differ():
    # Rounding p first loses up to half a hundredth of a percent of R.
    reg = projected_valid(100_000, 600, 451, 0, "regulation")
    fin = projected_valid(100_000, 600, 451, 0, "final-round")
    assert reg == 75_170 and fin == 75_167  # p = 75.17% vs 75.1666…%


def test_local_sample_smaller_than_statute_warns_with_section():
    r = project(24_034, 722, 516, 2, 12_000, LOCAL)
    assert any("EC 11225(a)" in w and "1,202" in w for w in r.warnings)


def test_bands_are_exact_and_inclusive():
    assert band_outcome(1_100, 1_000, LOCAL) == "full_count"  # exactly 110%: full count
    assert band_outcome(1_101, 1_000, LOCAL) == "sufficient"
    assert band_outcome(900, 1_000, LOCAL) == "full_count"  # exactly 90%: full count
    assert band_outcome(899, 1_000, LOCAL) == "insufficient"
    assert band_outcome(950, 1_000, INIT) == "full_count"
    assert band_outcome(949, 1_000, INIT) == "insufficient"
    # 110.001% is shown as 110.00 but is above the edge
    assert band_outcome(110_001, 100_000, LOCAL) == "sufficient"


def test_negative_projection_is_clamped_with_a_note():
    r = project(100_000, 501, 0, 3, 1_000, LOCAL)
    assert r.projected_valid == 0
    assert r.notes and "below zero" in r.notes[0]
    assert r.outcome == "insufficient"


def test_withdrawn_lines_count_as_not_valid():
    r = project(24_034, 1_202, 1_000, 2, 12_000, LOCAL, withdrawn=5)
    assert "5 withdrawn" in [s for s in r.steps if s.name == "valid_in_sample"][0].rule
    assert r.inputs["withdrawn"] == 5
    with pytest.raises(ProjectionInputError, match="withdrawn"):
        project(24_034, 1_202, 1_200, 2, 12_000, LOCAL, withdrawn=1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1_000, 600, 601, 0, 500), "more than the sample"),
        ((500, 600, 100, 0, 400), "larger than the raw count"),
        ((1_000, 600, 590, 11, 500), "exceed the lines of the sample that are not valid"),
        ((1_000, 600, -1, 0, 500), "≥ 0"),
        ((1_000, 0, 0, 0, 500), "empty"),
        ((1_000, 600, 300, 0, 0), "at least 1"),
    ],
)
def test_bad_inputs(args, message):
    with pytest.raises(ProjectionInputError, match=message):
        project(*args, pack=LOCAL)


def test_all_problems_reported_at_once():
    with pytest.raises(ProjectionInputError) as info:
        project(500, 600, 700, 0, 0, LOCAL)
    text = str(info.value)
    assert "larger than the raw count" in text and "more than the sample" in text
    assert "at least 1" in text


def test_unknown_variant():
    with pytest.raises(ProjectionInputError, match="unknown projection variant"):
        project(24_034, 722, 516, 2, 12_000, INIT, variant="county")


def test_state_pack_has_no_projection():
    with pytest.raises(ProjectionInputError, match="EC 11104"):
        project(24_034, 722, 516, 2, 12_000, load_pack("ca-state"))


def test_raw_count_gate():
    below = raw_count_gate(9_999, 10_000, LOCAL)
    assert below.outcome == "insufficient" and below.cite == "EC 11222(b)"
    assert raw_count_gate(10_000, 10_000, LOCAL).outcome == "proceed"
    r = project(9_999, 1_000, 990, 0, 10_000, LOCAL)
    assert any("EC 11222(b)" in w for w in r.warnings)


# -- properties -----------------------------------------------------------------------------


@st.composite
def cases(draw):
    raw = draw(st.integers(501, 2_000_000))
    sample = draw(st.integers(1, min(raw, 50_000)))
    valid = draw(st.integers(0, sample))
    dups = draw(st.integers(0, min(sample - valid, 50)))
    required = draw(st.integers(1, raw * 2))
    variant = draw(st.sampled_from(["regulation", "final-round"]))
    pack = draw(st.sampled_from([LOCAL, INIT]))
    return raw, sample, valid, dups, required, variant, pack


@settings(max_examples=300, deadline=None)
@given(cases())
def test_projection_never_exceeds_raw(case):
    raw, sample, valid, dups, _, variant, _ = case
    assert 0 <= projected_valid(raw, sample, valid, dups, variant) <= raw


@settings(max_examples=300, deadline=None)
@given(cases())
def test_more_valid_never_lowers_the_outcome(case):
    raw, sample, valid, dups, required, variant, pack = case
    assume(valid + 1 <= sample - dups)
    a = band_outcome(projected_valid(raw, sample, valid, dups, variant), required, pack)
    b = band_outcome(projected_valid(raw, sample, valid + 1, dups, variant), required, pack)
    assert OUTCOMES.index(b) >= OUTCOMES.index(a)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_band_edges_agree_with_outcome(case):
    raw, sample, valid, dups, required, variant, pack = case
    r = project(raw, sample, valid, dups, required, pack, variant)
    edges = r.band_edges_in_sample
    lo, hi = edges["max_valid_for_insufficient"], edges["min_valid_for_sufficient"]
    assert (r.outcome == "sufficient") == (hi is not None and valid >= hi)
    assert (r.outcome == "insufficient") == (lo is not None and valid <= lo)
    if lo is not None and hi is not None:
        assert lo < hi
    # the edges are tight: one fewer valid is not sufficient, one more is not insufficient
    if hi is not None and hi > 0:
        below = projected_valid(raw, sample, hi - 1, dups, variant)
        assert band_outcome(below, required, pack) != "sufficient"
    if lo is not None and lo < sample - dups:
        above = projected_valid(raw, sample, lo + 1, dups, variant)
        assert band_outcome(above, required, pack) != "insufficient"
    assert r.projected_valid <= raw


def test_band_edges_of_public_example():
    edges = band_edges_in_sample(24_034, 722, 2, 14_000, INIT, "regulation")
    assert edges == {"min_valid_for_sufficient": 528, "max_valid_for_insufficient": 464}
    unreachable = band_edges_in_sample(24_034, 722, 2, 100_000, INIT, "regulation")
    assert unreachable["min_valid_for_sufficient"] is None
    assert unreachable["max_valid_for_insufficient"] == 720


def test_docs_worked_example_matches():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "projection.md").read_text("utf-8")
    r = project(24_034, 722, 516, 2, 12_000, INIT)
    for name in ("p", "A", "W"):
        assert f"| {name} | {_step(r, name)} |" in text
    for name in ("U", "E"):
        assert f"| {name} | {_step(r, name):,} |" in text
    assert f"**{r.projected_valid:,}**" in text
    edges = r.band_edges_in_sample
    assert f"{edges['min_valid_for_sufficient']} or more valid" in text
    assert f"{edges['max_valid_for_insufficient']} or fewer" in text
    assert f"at least {r.confidence.lower_bound:,} valid" in text
    assert projected_valid(100_000, 600, 451, 0, "final-round") == 75_167
