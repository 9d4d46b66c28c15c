"""`recallkit plan` and `recallkit rules`: the Gascón example, JSON keys, clear errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from recallkit.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_plan_gascon_json() -> None:
    r = run("plan", "--rules", "ca-local", "--registered-voters", "5790620",
            "--sworn-in", "2020-12-07", "--format-approved", "2021-05-20", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["required_signatures"] == 579_062
    assert out["circulation_days"] == 160
    assert out["circulation_deadline"] == "2021-10-27"
    assert out["eligible_from"] == "2021-03-08"
    assert out["proponents_required"] is None
    for d in out["deadlines"]:
        assert {"name", "date", "rule", "cite"} <= set(d)


def test_plan_gascon_human_table() -> None:
    r = run("plan", "--rules", "ca-local", "--registered-voters", "5790620",
            "--sworn-in", "2020-12-07", "--format-approved", "2021-05-20")
    assert r.exit_code == 0, r.output
    assert "579,062" in r.stdout
    assert "2021-10-27" in r.stdout and "2021-03-08" in r.stdout
    assert "Timeline" in r.stdout


def test_plan_state_with_county_votes(tmp_path) -> None:
    f = tmp_path / "votes.csv"
    f.write_text("county,votes\nAlpine,601\nLos Angeles,\"2,500,000\"\n", encoding="utf-8")
    r = run("plan", "--rules", "ca-state", "--last-vote-for-office", "12464235",
            "--office-kind", "statewide", "--county-votes", str(f),
            "--format-approved", "2020-06-10", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["required_signatures"] == 1_495_709
    assert out["county_minimums"] == {"Alpine": 7, "Los Angeles": 25_000}
    assert out["circulation_deadline"] == "2020-11-17"
    assert "SCA 1" in out["ballot"]["pending"]


def test_plan_with_closures_and_nomination() -> None:
    r = run("plan", "--rules", "ca-local", "--registered-voters", "60000",
            "--format-approved", "2020-10-20", "--closures", "los-angeles",
            "--nomination-signatures", "20", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["circulation_deadline"] == "2021-03-30"
    assert out["proponents_required"] == 60


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rules", "ca-nope", "--registered-voters", "5"], "unknown rule pack"),
        (["--rules", "ca-local", "--registered-voters", "-5"], "negative"),
        (["--rules", "ca-local"], "needs --registered-voters"),
        (["--rules", "ca-state", "--registered-voters", "5"], "--last-vote-for-office"),
        (["--rules", "ca-local", "--registered-voters", "5", "--format-approved", "2021-13-01"],
         "not a date"),
        (["--rules", "ca-local", "--registered-voters", "5", "--noi-filed", "2021-03-10",
          "--format-approved", "2021-03-01"], "approved before"),
        (["--rules", "ca-local", "--registered-voters", "5", "--format-approved", "2041-01-01"],
         "covers 2016-2035"),
        (["--rules", "ca-local", "--registered-voters", "5", "--nomination-signatures", "-1"],
         "nomination signatures"),
        (["--rules", "ca-state", "--last-vote-for-office", "5", "--county-votes",
          "/nonexistent.csv"], "does not exist"),
    ],
)
def test_plan_errors(args: list[str], message: str) -> None:
    r = run("plan", *args)
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output


def test_bad_county_votes_file(tmp_path) -> None:
    f = tmp_path / "votes.csv"
    f.write_text("county,votes\nAlpine,lots\n,5\n", encoding="utf-8")
    r = run("plan", "--rules", "ca-state", "--last-vote-for-office", "5",
            "--county-votes", str(f))
    assert r.exit_code != 0
    assert "row 2, column votes" in r.output and "row 3, column county" in r.output


def test_rules_list_and_show() -> None:
    r = run("rules", "list", "--json")
    assert r.exit_code == 0
    assert [p["id"] for p in json.loads(r.stdout)] == ["ca-initiative", "ca-local", "ca-state"]
    r = run("rules", "show", "ca-local")
    assert r.exit_code == 0, r.output
    assert "EC 11221(a)(5)" in r.stdout and "EC 11220(a)(1)" in r.stdout
    assert "[officer]" in r.stdout
    r = run("rules", "show", "ca-local", "--json")
    data = json.loads(r.stdout)
    assert data["id"] == "ca-local"
    assert data["threshold_bands"][0]["percent"] == "10"
    r = run("rules", "show", "ca-zz")
    assert r.exit_code != 0 and "unknown rule pack" in r.output
