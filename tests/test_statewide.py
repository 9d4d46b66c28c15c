"""State recalls: county 30-day reports (EC 11104), aggregation, 5-county rule, EC 11108."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recallkit.reports.statewide import (
    REPORT_KIND,
    StatewideError,
    aggregate,
    county_report,
    read_county_report,
    read_county_votes,
    withdrawal_period,
)
from recallkit.rules import load_pack
from test_reports_fixture import build

STATE = load_pack("ca-state")
# Six counties; 1% minimums are 1,000 / 500 / 400 / 300 / 200 / 100.
VOTES = {"Los Angeles": 100_000, "Alameda": 50_000, "Fresno": 40_000, "Kern": 30_000,
         "Marin": 20_000, "Alpine": 10_000}


def _report(county: str, valid: int, period_end: str = "2021-03-15", submitted: int = 0,
            **extra) -> dict:
    return {"kind": REPORT_KIND, "report_type": "periodic", "county": county, "rules": "ca-state",
            "period_end": period_end, "submitted_cumulative": submitted or valid * 2,
            "valid_cumulative": valid, "generated_at": "2021-03-16T00:00:00",
            "_source": f"{county}.json", "_sha256": "0" * 64, **extra}


def test_sufficient_with_five_counties_at_one_percent() -> None:
    reps = [_report("Los Angeles", 5000), _report("Alameda", 600), _report("Fresno", 400),
            _report("Kern", 300), _report("Marin", 250), _report("Alpine", 10)]
    r = aggregate(reps, VOTES, STATE, required=6000, office_kind="statewide")
    assert r.valid == 6560 and r.outcome == "sufficient"
    assert r.county_rule["counties_meeting"] == 5 and r.county_rule["met"]
    by = {c["county"]: c for c in r.counties}
    assert by["Kern"]["meets_minimum"] is True  # exactly at the minimum counts (≥)
    assert by["Alpine"]["meets_minimum"] is False


def test_enough_statewide_but_only_four_counties_is_not_sufficient() -> None:
    """The 5-county edge case: Const. art. II §14(b)."""
    reps = [_report("Los Angeles", 9000), _report("Alameda", 600), _report("Fresno", 400),
            _report("Kern", 300), _report("Marin", 199), _report("Alpine", 99)]
    r = aggregate(reps, VOTES, STATE, required=6000, office_kind="statewide")
    assert r.valid >= r.required
    assert r.county_rule["counties_meeting"] == 4
    assert r.outcome == "not_sufficient"
    assert any("4 of 6 counties" in x and "not met" in x for x in r.reasons)


def test_not_enough_statewide() -> None:
    reps = [_report(c, 2000) for c in VOTES]
    r = aggregate(reps, VOTES, STATE, required=20_000, office_kind="statewide")
    assert r.outcome == "not_sufficient" and r.as_dict()["shortfall"] == 8000


def test_legislative_offices_have_no_county_rule() -> None:
    reps = [_report("Los Angeles", 9000)]
    r = aggregate(reps, VOTES, STATE, required=6000, office_kind="legislative")
    assert r.county_rule is None and r.outcome == "sufficient"


def test_latest_report_per_county_is_used_and_missing_counties_show() -> None:
    reps = [_report("Los Angeles", 9000, "2021-02-15"), _report("los angeles county", 7000),
            _report("Alameda", 600)]
    r = aggregate(reps, VOTES, STATE, required=6000, office_kind="statewide")
    by = {c["county"]: c for c in r.counties}
    assert by["Los Angeles"]["valid"] == 7000 and r.valid == 7600
    assert by["Kern"]["status"] == "no report" and by["Kern"]["valid"] == 0


def test_withdrawal_period_reproduces_the_2021_newsom_dates() -> None:
    """Sufficiency announced 2021-04-26; withdrawals until 2021-06-08; counties by 06-22."""
    w = withdrawal_period(STATE, date(2021, 4, 26), notified=date(2021, 4, 26))
    assert w.window_ends == date(2021, 6, 8)
    assert w.county_reports_due == date(2021, 6, 22)
    assumed = withdrawal_period(STATE, date(2021, 4, 26))
    assert assumed.notice_by == date(2021, 5, 6) and assumed.notified_assumed


def test_withdrawal_tracking_in_the_aggregate() -> None:
    reps = [_report("Los Angeles", 5000, "2021-06-08", report_type="withdrawal",
                    signatures_withdrawn=12),
            _report("Alameda", 600, "2021-04-20")]
    r = aggregate(reps, {"Los Angeles": 100_000, "Alameda": 50_000}, STATE, 5000,
                  "statewide", sufficient_on=date(2021, 4, 26), notified=date(2021, 4, 26),
                  as_of=date(2021, 6, 30))
    by = {c["county"]: c for c in r.counties}
    assert by["Los Angeles"]["withdrawal_report"]["status"] == "received"
    assert by["Alameda"]["withdrawal_report"]["status"] == "overdue"
    assert r.withdrawal["counties_pending"] == ["Alameda"] and not r.withdrawal["complete"]


def test_county_report_periods_add_up(tmp_path: Path) -> None:
    b = build(tmp_path / "ws", method="full", rules="ca-state")
    con = b.ws.con
    first = county_report(con, STATE, date(2024, 1, 31))
    assert first["period_start"] == "2024-01-02"  # 30 days ending the period end
    assert first["submitted_in_period"] == 2100 and first["submitted_cumulative"] == 2100
    assert first["valid_cumulative"] == 0
    assert first["due_by"] == "2024-02-07"  # 5 business days (EC 11104)
    second = county_report(con, STATE, date(2024, 3, 5))
    assert second["submitted_cumulative"] == b.raw
    later = county_report(con, STATE, date(2024, 4, 4))
    assert later["valid_in_period"] + second["valid_cumulative"] == later["valid_cumulative"]
    assert later["valid_cumulative"] == sum(1 for r in b.truth.values() if r is None)
    assert later["examined_cumulative"] == b.raw
    assert later["inputs"] and later["audit_log_head"]["sha256"]


def test_bad_inputs_are_named(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text("county,votes\nAlameda,12x\n")
    with pytest.raises(StatewideError, match="row 2, column votes"):
        read_county_votes(votes)
    bad = tmp_path / "r.json"
    bad.write_text(json.dumps({"kind": REPORT_KIND, "county": "A", "period_end": "2021-01-01",
                               "submitted_cumulative": 1, "valid_cumulative": 5}))
    with pytest.raises(StatewideError, match="more valid"):
        read_county_report(bad)


def test_state_cli_report_and_aggregate(tmp_path: Path) -> None:
    from recallkit.cli import app

    b = build(tmp_path / "ws", method="full", rules="ca-state", county="Alpine")
    b.ws.close()
    run = CliRunner()
    res = run.invoke(app, ["state", "report", str(tmp_path / "ws"), "--period-end",
                           "2024-04-04", "--out", str(tmp_path / "r"), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    assert Path(rep["files"]["html"]).read_text().count("Valid signatures") == 1
    others = []
    for i, (county, valid) in enumerate((("Los Angeles", 2000), ("Alameda", 600),
                                         ("Fresno", 400), ("Kern", 300))):
        p = tmp_path / f"c{i}.json"
        doc = _report(county, valid)
        del doc["_source"], doc["_sha256"]
        p.write_text(json.dumps(doc))
        others.append(str(p))
    votes = tmp_path / "votes.csv"
    votes.write_text("county,votes\n" + "".join(f"{k},{v}\n" for k, v in VOTES.items()))
    res = run.invoke(app, ["state", "aggregate", "--rules", "ca-state", "--required", "3000",
                           "--county-votes", str(votes), rep["files"]["json"], *others,
                           "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    alpine = next(c for c in doc["counties"] if c["county"] == "Alpine")
    assert alpine["valid"] == rep["valid_cumulative"] and alpine["meets_minimum"]
    assert doc["county_rule"]["counties_meeting"] == 5 and doc["outcome"] == "sufficient"
    bad = run.invoke(app, ["state", "aggregate", "--required", "3000", "--county-votes",
                           str(tmp_path / "missing.csv"), *others])
    assert bad.exit_code != 0 and "cannot read" in bad.output
