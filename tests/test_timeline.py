"""plan_recall: targets, every deadline with its rule and cite, and refused inputs."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recallkit.rules import load_pack
from recallkit.timeline import PlanInputError, RecallPlan, plan_recall

LOCAL = load_pack("ca-local")
STATE = load_pack("ca-state")


def gascon(**kw) -> RecallPlan:
    return plan_recall(LOCAL, 5_790_620, sworn_in=date(2020, 12, 7),
                       format_approved=date(2021, 5, 20), **kw)


def test_gascon_example() -> None:
    plan = gascon()
    assert plan.required_signatures == 579_062
    assert plan.circulation_days == 160
    assert plan.circulation_deadline == date(2021, 10, 27)
    assert plan.eligible_from == date(2021, 3, 8)  # day 91 (EC 11007)
    d = plan.deadline("circulation_deadline")
    assert d and d.cite == "EC 11220(a)(5)" and "160" in d.rule
    e = plan.deadline("eligible_from")
    assert e and e.cite == "EC 11007"
    out = plan.as_dict()
    assert out["circulation_deadline"] == "2021-10-27"
    assert out["eligible_from"] == "2021-03-08"
    assert {"name", "date", "rule", "cite"} <= set(out["deadlines"][0])
    # Before AB 2582 (2023) a local recall ballot had the successor question.
    assert out["ballot"]["successor_question"] is True


def test_every_dated_deadline_has_rule_and_cite() -> None:
    plan = gascon(noi_served=date(2021, 3, 8), noi_filed=date(2021, 3, 10),
                  format_filed=date(2021, 3, 25), petition_filed=date(2021, 10, 27),
                  nomination_signatures=20)
    for d in plan.deadlines:
        assert d.rule and d.cite, d
    dated = {d.name: d.date for d in plan.deadlines if d.date}
    assert dated["noi_filing_deadline"] == date(2021, 3, 15)
    assert dated["answer_deadline"] == date(2021, 3, 17)
    assert dated["format_filing_deadline"] == date(2021, 3, 29)  # 03-27 is a Saturday
    assert dated["format_review_end"] == date(2021, 4, 5)  # 04-04 is a Sunday
    assert dated["raw_count"] == date(2021, 10, 27)
    assert dated["full_verification_deadline"] == date(2021, 12, 13)
    assert dated["sample_verification_deadline"] == date(2022, 1, 25)
    assert plan.proponents_required == 100
    assert not plan.warnings


def test_circulation_deadline_rolls_forward_pan_recall() -> None:
    # A deadline that lands on Sunday 2020-02-02 moves to Monday 2020-02-03 (EC 15).
    plan = plan_recall(LOCAL, 20_000, format_approved=date(2019, 10, 5))
    assert plan.circulation_days == 120
    d = plan.deadline("circulation_deadline")
    assert d.computed == date(2020, 2, 2)
    assert d.date == date(2020, 2, 3)
    assert "EC 15" in d.cite and "Sunday" in d.rule


def test_closures_move_deadline_and_flag() -> None:
    # Approved 2020-10-20 + 160 = 2021-03-29: LA County closed (César Chávez observance).
    plain = plan_recall(LOCAL, 60_000, format_approved=date(2020, 10, 20))
    la = plan_recall(LOCAL, 60_000, format_approved=date(2020, 10, 20), closures="los-angeles")
    assert plain.circulation_deadline == date(2021, 3, 29)
    assert la.circulation_deadline == date(2021, 3, 30)
    d = la.deadline("circulation_deadline")
    assert "EC 10104" in d.cite and d.flags
    assert la.calendar == "ca+los-angeles"


def test_state_plan_with_county_votes() -> None:
    votes = {"Alpine": 601, "Los Angeles": 2_500_000, "Orange": 1_000_000,
             "San Diego": 1_200_000, "Sierra": 1_700}
    plan = plan_recall(STATE, 12_464_235, format_approved=date(2020, 6, 10),
                       county_votes=votes, office_kind="statewide")
    assert plan.required_signatures == 1_495_709
    assert plan.circulation_deadline == date(2020, 11, 17)  # Newsom 2021 recall
    assert plan.county_minimums == {"Alpine": 7, "Los Angeles": 25_000, "Orange": 10_000,
                                    "San Diego": 12_000, "Sierra": 17}
    assert plan.county_rule and plan.county_rule["min_counties"] == 5
    assert plan.eligible_from is None
    assert plan.ballot and "SCA 1" in plan.ballot["pending"]
    assert plan.verification["methods"] == ["full"]
    assert plan.deadline("state_verification_deadline").date is not None
    legis = plan_recall(STATE, 100_000, office_kind="legislative", county_votes={"A": 10})
    assert legis.required_signatures == 20_000
    assert legis.county_minimums == {}
    assert legis.warnings


def test_ballot_rule_is_dated() -> None:
    assert plan_recall(LOCAL, 1000).ballot["successor_question"] is False  # current law
    p = plan_recall(LOCAL, 1000, format_approved=date(2023, 3, 1))
    assert p.ballot["successor_question"] is False
    assert "AB 2582" in p.ballot["cite"]


def test_early_service_is_a_warning() -> None:
    plan = plan_recall(LOCAL, 10_000, sworn_in=date(2020, 12, 7), noi_served=date(2021, 3, 7))
    assert any("EC 11007" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"noi_served": date(2021, 3, 10), "noi_filed": date(2021, 3, 9)},
         "filed before it was served"),
        ({"noi_filed": date(2021, 3, 10), "format_approved": date(2021, 3, 1)},
         "approved before the notice of intention was filed"),
        ({"sworn_in": date(2021, 3, 10), "noi_served": date(2021, 3, 1)},
         "before the officer took office"),
        ({"format_approved": date(2021, 5, 20), "petition_filed": date(2021, 5, 1)},
         "before its format was approved"),
        ({"format_approved": date(2040, 1, 1)}, "covers 2016-2035"),
        ({"nomination_signatures": -1}, "nomination signatures"),
        ({"office_kind": "mayor"}, "office kind"),
        ({"county_votes": {"A": 5}}, "no county distribution rule"),
        ({"closures": "nowhere"}, "unknown closure calendar"),
    ],
)
def test_impossible_inputs(kwargs: dict, message: str) -> None:
    with pytest.raises(PlanInputError, match=message):
        plan_recall(LOCAL, 10_000, **kwargs)


def test_negative_measure() -> None:
    with pytest.raises(PlanInputError, match="must not be negative"):
        plan_recall(LOCAL, -1)
    with pytest.raises(PlanInputError, match="votes for X"):
        plan_recall(STATE, 10, county_votes={"X": -3})


def test_pack_by_id_and_plan_is_frozen() -> None:
    plan = plan_recall("ca-local", 999)
    assert plan.required_signatures == 300 and plan.circulation_days == 40
    with pytest.raises(AttributeError):
        plan.required_signatures = 1  # type: ignore[misc]


@given(st.integers(0, 10_000_000),
       st.dates(min_value=date(2016, 1, 1), max_value=date(2034, 12, 31)))
def test_deadline_never_before_exact_count(voters: int, approved: date) -> None:
    plan = plan_recall(LOCAL, voters, format_approved=approved)
    d = plan.deadline("circulation_deadline")
    assert d.computed == approved.fromordinal(approved.toordinal() + plan.circulation_days)
    assert d.date >= d.computed
    assert (d.date - d.computed).days <= 5
