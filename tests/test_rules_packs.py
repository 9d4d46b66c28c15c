"""Rule packs: every band edge, rounding up, monotone thresholds, loader errors naming keys."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recallkit.rules import (
    RulePackError,
    circulation_days,
    county_minimums,
    load_pack,
    pack_ids,
    parse_pack,
    proponents_required,
    required_signatures,
)
from recallkit.rules.thresholds import RuleInputError

LOCAL = load_pack("ca-local")
STATE = load_pack("ca-state")
INITIATIVE = load_pack("ca-initiative")


def test_shipped_packs_load() -> None:
    assert pack_ids() == ["ca-initiative", "ca-local", "ca-state"]
    for pid in pack_ids():
        assert load_pack(pid).id == pid


# EC 11221(a): (voters, percent) on both sides of every band edge.
THRESHOLD_EDGES = [
    (0, 0), (1, 1), (999, 300), (1_000, 250), (4_999, 1_250), (5_000, 1_250),
    (9_999, 2_500), (10_000, 2_000), (49_999, 10_000), (50_000, 7_500),
    (99_999, 15_000), (100_000, 10_000), (5_790_620, 579_062),
]


@pytest.mark.parametrize(("voters", "expected"), THRESHOLD_EDGES)
def test_local_threshold_band_edges(voters: int, expected: int) -> None:
    assert required_signatures(LOCAL, voters).value == expected


def test_local_threshold_rounds_up_fractions() -> None:
    # 30% of 999 = 299.7 → 300; 25% of 4,999 = 1,249.75 → 1,250; 15% of 99,999 = 14,999.85.
    assert required_signatures(LOCAL, 999).value == 300
    assert required_signatures(LOCAL, 9_999).value == 2_500  # 2,499.75
    assert required_signatures(LOCAL, 49_999).value == 10_000  # 9,999.8
    assert required_signatures(LOCAL, 99_999).value == 15_000  # 14,999.85
    assert required_signatures(LOCAL, 100_001).value == 10_001  # 10,000.1


# EC 11220(a): circulation days on both sides of every edge.
CIRCULATION_EDGES = [
    (0, 40), (999, 40), (1_000, 60), (4_999, 60), (5_000, 90), (9_999, 90),
    (10_000, 120), (49_999, 120), (50_000, 160), (99_999, 160), (100_000, 160),
]


@pytest.mark.parametrize(("voters", "days"), CIRCULATION_EDGES)
def test_local_circulation_band_edges(voters: int, days: int) -> None:
    fig = circulation_days(LOCAL, voters)
    assert fig.value == days
    assert fig.cite.startswith("EC 11220(a)")


def test_state_thresholds() -> None:
    # Newsom 2021: 12% of 12,464,235 = 1,495,708.2 → 1,495,709.
    assert required_signatures(STATE, 12_464_235).value == 1_495_709
    assert required_signatures(STATE, 12_464_235, "statewide").value == 1_495_709
    assert required_signatures(STATE, 100_001, "legislative").value == 20_001
    assert required_signatures(STATE, 100_001, "judicial").value == 20_001
    assert circulation_days(STATE, 10).value == 160
    with pytest.raises(RuleInputError, match="office kind"):
        required_signatures(STATE, 10, "mayor")


def test_county_minimums_round_up_and_apply_only_statewide() -> None:
    m = county_minimums(STATE, {"Alpine": 601, "Los Angeles": 2_500_000})
    assert m["Alpine"].value == 7  # 6.01 → 7
    assert m["Los Angeles"].value == 25_000
    assert county_minimums(STATE, {"Alpine": 601}, "legislative") == {}


def test_proponents_bands() -> None:
    assert proponents_required(LOCAL, 999, 100).value == 30
    assert proponents_required(LOCAL, 1_000, 5).value == 30
    assert proponents_required(LOCAL, 1_000, 20).value == 60
    assert proponents_required(LOCAL, 99_999, 20).value == 60
    assert proponents_required(LOCAL, 100_000, 5).value == 50
    assert proponents_required(LOCAL, 100_000, 20).value == 100
    assert proponents_required(STATE, 10, 65).value == 325


def test_negative_measure_is_refused() -> None:
    with pytest.raises(RuleInputError, match="negative"):
        required_signatures(LOCAL, -1)


@given(st.integers(min_value=0, max_value=50_000_000), st.integers(0, 5_000_000))
def test_thresholds_monotone(a: int, delta: int) -> None:
    """More voters never need fewer signatures within a band; across a band edge the
    lower percent can drop the count, so monotone means: within the same band."""
    b = a + delta
    fa, fb = required_signatures(LOCAL, a), required_signatures(LOCAL, b)
    if fa.steps[1].value == fb.steps[1].value:  # same percent band
        assert fb.value >= fa.value
    assert circulation_days(LOCAL, b).value >= circulation_days(LOCAL, a).value


@given(st.integers(min_value=0, max_value=50_000_000))
def test_thresholds_rounded_up(voters: int) -> None:
    fig = required_signatures(LOCAL, voters)
    percent = Decimal(fig.steps[1].value)
    exact = Decimal(voters) * percent / 100
    assert fig.value >= exact
    assert fig.value - exact < 1


@given(st.integers(min_value=0, max_value=30_000_000),
       st.sampled_from(["statewide", "legislative", "judicial"]))
def test_state_thresholds_rounded_up_and_monotone(votes: int, kind: str) -> None:
    a = required_signatures(STATE, votes, kind).value
    b = required_signatures(STATE, votes + 1, kind).value
    assert b >= a
    pct = Decimal(12 if kind == "statewide" else 20)
    assert 0 <= a - Decimal(votes) * pct / 100 < 1


def _local_data() -> dict:
    text = (resources.files("recallkit.rules") / "packs" / "ca-local.toml").read_text("utf-8")
    return tomllib.loads(text)


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda d: d.pop("measure"), "'measure'"),
        (lambda d: d["threshold"].pop("bands"), "'threshold.bands'"),
        (lambda d: d["threshold"]["bands"][0].pop("percent"), "threshold.bands[0]"),
        (lambda d: d["threshold"]["bands"][0].update(percent="ten"), "threshold.bands[0].percent"),
        (lambda d: d["circulation"]["bands"].pop(), "circulation.bands"),
        (lambda d: d["verification"]["sample"]["minimum"].pop("cite"),
         "'verification.sample.minimum'"),
        (lambda d: d["periods"].update(noi_file_after_service_days=7),
         "'periods.noi_file_after_service_days'"),
        (lambda d: d["threshold"].update(rounding="down"), "'threshold.rounding'"),
        (lambda d: d.update(kind="referendum"), "'kind'"),
    ],
)
def test_loader_names_the_broken_key(mutate, key: str) -> None:
    data = _local_data()
    mutate(data)
    with pytest.raises(RulePackError) as err:
        parse_pack(data, "broken.toml")
    assert key in str(err.value)
    assert "broken.toml" in str(err.value)


def test_loader_unknown_pack_and_bad_file(tmp_path) -> None:
    with pytest.raises(RulePackError, match="unknown rule pack 'ca-nope'.*ca-local"):
        load_pack("ca-nope")
    bad = tmp_path / "bad.toml"
    bad.write_text("id = [", encoding="utf-8")
    with pytest.raises(RulePackError, match="not valid TOML"):
        load_pack(str(bad))
    with pytest.raises(RulePackError, match="does not exist"):
        load_pack(str(tmp_path / "missing.toml"))


def test_every_number_has_a_cite() -> None:
    for pack in (LOCAL, STATE, INITIATIVE):
        for band in (*pack.threshold_bands, *pack.circulation_bands, *pack.proponent_bands):
            assert band.cite.strip()
        for table in (pack.periods, pack.eligibility, pack.election, pack.withdrawal):
            for value in table.values():
                if hasattr(value, "cite"):
                    assert value.cite.strip()
