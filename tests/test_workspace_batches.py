"""State recalls file in batches (EC 11104): after verification has begun a ca-state
workspace takes new sections and lines as a new batch, and a verified batch cannot change.
Local recalls stay locked once the sample is drawn."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recallkit.cli import app
from recallkit.workspace import (
    StageLocked,
    create_workspace,
    import_sections,
    import_signatures,
    import_voters,
    open_workspace,
    status,
    unverified_lines_sql,
    verify_audit,
)

HEAD = ("section_id,county,pages,signature_lines,circulator_name,circulator_address,"
        "declaration_signed,circulated_from,circulated_to,date_filed,batch\n")
LINE_HEAD = "section_id,page,line,printed_name,residence_address,city,zip,has_signature\n"


def section(sid: str, filed: str = "2021-03-01", batch: str = "") -> str:
    return f"{sid},Los Angeles,1,2,Pat Doe,1 Elm St,true,2021-01-02,2021-02-20,{filed},{batch}\n"


def lines(sid: str, *numbers: int) -> str:
    return "".join(f"{sid},1,{n},Ann Lee,1 Main St,LA,90012,true\n" for n in numbers)


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def rejects(report) -> dict[tuple[str, str], str]:
    if report.rejects_file is None:
        return {}
    with open(report.rejects_file, newline="", encoding="utf-8") as fh:
        return {(r["source_row"], r["column"]): r["reason"] for r in csv.DictReader(fh)}


def decide(ws, *line_ids: str) -> None:
    """What the engine does: determinations for some lines, stage verifying."""
    with ws.transaction("engine", "verify_full", {"lines": list(line_ids)}) as con:
        for lid in line_ids:
            con.execute("INSERT INTO determinations (line_id, determination, decided_by, "
                        "decided_at, mode) VALUES (?, 'valid', 'engine:1', ?, 'full')",
                        [lid, datetime.now(UTC).replace(tzinfo=None)])
        con.execute("UPDATE petition SET stage = 'verifying'")


@pytest.fixture
def state(tmp_path):
    w = create_workspace(tmp_path / "ws", rules="ca-state", jurisdiction="California",
                         office="Governor", officer="Test Officer", measure=1_000_000,
                         office_kind="statewide", format_approved=date(2020, 6, 10),
                         counties=["Los Angeles"])
    yield w
    w.close()


def test_batches_before_and_after_verification(state, tmp_path):
    ws = state
    assert ws.files_in_batches and ws.open_batch() == 1 and ws.batches() == []
    import_sections(ws, write(tmp_path, "s1.csv", HEAD + section("S-1") + section("S-2")))
    import_signatures(ws, write(tmp_path, "l1.csv", LINE_HEAD + lines("S-1", 1, 2)
                                + lines("S-2", 1)))
    [b1] = ws.batches()
    assert (b1.batch, b1.sections, b1.lines, b1.examined, b1.verified) == (1, 2, 3, 0, False)
    assert ws.open_batch() == 1  # nothing verified yet: more sections join batch 1

    decide(ws, "S-1:1:1", "S-1:1:2")
    [b1] = ws.batches()
    assert (b1.examined, b1.decided, b1.verified) == (2, 2, True)
    assert ws.open_batch() == 2

    r = import_sections(ws, write(tmp_path, "s2.csv", HEAD + section("S-3", "2021-04-01")
                                  + section("S-1") + section("S-4", batch="1")
                                  + section("S-5", batch="2")))
    assert (r.read, r.accepted, r.rejected) == (4, 2, 2)
    bad = rejects(r)
    assert "already in the workspace" in bad[("3", "section_id")]
    assert "new sections go in batch 2 (not batch 1)" in bad[("4", "batch")]
    got = dict(ws.con.execute("SELECT section_id, batch FROM sections").fetchall())
    assert got == {"S-1": 1, "S-2": 1, "S-3": 2, "S-5": 2}

    r = import_signatures(ws, write(tmp_path, "l2.csv", LINE_HEAD + lines("S-3", 1, 2)
                                    + lines("S-1", 3) + lines("S-2", 2) + lines("S-9", 1)))
    assert (r.read, r.accepted, r.rejected) == (5, 2, 3)
    bad = rejects(r)
    assert "batch 1, which has already been verified" in bad[("4", "section_id")]
    assert "batch 1, which has already been verified" in bad[("5", "section_id")]
    assert "S-9 is not filed" in bad[("6", "section_id")]
    assert not r.warnings

    # What an incremental full count still has to examine.
    todo = {x[0] for x in ws.con.execute(unverified_lines_sql()).fetchall()}
    assert todo == {"S-2:1:1", "S-3:1:1", "S-3:1:2"}
    assert {x[0] for x in ws.con.execute(unverified_lines_sql(2)).fetchall()} == \
        {"S-3:1:1", "S-3:1:2"}
    assert [(b.batch, b.lines, b.verified) for b in ws.batches()] == [(1, 3, True),
                                                                      (2, 2, False)]
    # Batch 2 not verified yet: another sections file joins it.
    import_sections(ws, write(tmp_path, "s3.csv", HEAD + section("S-6", "2021-04-20")))
    assert ws.con.execute("SELECT batch FROM sections WHERE section_id = 'S-6'"
                          ).fetchall() == [(2,)]
    assert [b["batch"] for b in status(ws)["batches"]] == [1, 2]
    params = json.loads(ws.con.execute("SELECT params::VARCHAR FROM audit_log WHERE action = "
                                       "'import_sections' ORDER BY seq DESC LIMIT 1"
                                       ).fetchall()[0][0])
    assert params["batch"] == 2
    assert verify_audit(ws).ok


def test_what_stays_locked_for_a_state_recall(state, tmp_path):
    ws = state
    import_sections(ws, write(tmp_path, "s1.csv", HEAD + section("S-1")))
    import_signatures(ws, write(tmp_path, "l1.csv", LINE_HEAD + lines("S-1", 1)))
    decide(ws, "S-1:1:1")
    with pytest.raises(StageLocked, match="batches already verified"):
        import_sections(ws, write(tmp_path, "s2.csv", HEAD + section("S-2")), replace=True)
    voters = write(tmp_path, "v.csv", "voter_id,first_name,last_name,residence_address,city,"
                   "zip,county,registration_date,status\n1,A,B,1 Main,LA,90012,LA,2020-01-01,A\n")
    with pytest.raises(StageLocked):
        import_voters(ws, voters)
    ws.con.execute("UPDATE petition SET stage = 'certified'")
    with pytest.raises(StageLocked):
        import_sections(ws, write(tmp_path, "s3.csv", HEAD + section("S-3")))
    assert ws.con.execute("SELECT count(*) FROM sections").fetchall()[0][0] == 1


def test_local_recall_unchanged_locked_after_the_sample(tmp_path):
    ws = create_workspace(tmp_path / "local", rules="ca-local", jurisdiction="Tiny City",
                          office="Mayor", officer="Test Officer", measure=4_000,
                          format_approved=date(2024, 1, 10), counties=["Los Angeles"])
    with ws:
        assert not ws.files_in_batches
        import_sections(ws, write(tmp_path, "s1.csv", HEAD + section("S-1")))
        assert ws.con.execute("SELECT batch FROM sections").fetchall() == [(1,)]
        ws.con.execute("UPDATE petition SET stage = 'sampled'")
        with pytest.raises(StageLocked, match="sample has been drawn"):
            import_sections(ws, write(tmp_path, "s2.csv", HEAD + section("S-2")))
        with pytest.raises(StageLocked):
            import_signatures(ws, write(tmp_path, "l2.csv", LINE_HEAD + lines("S-1", 1)))


def test_cli_takes_a_new_batch(state, tmp_path):
    ws = state
    import_sections(ws, write(tmp_path, "s1.csv", HEAD + section("S-1")))
    import_signatures(ws, write(tmp_path, "l1.csv", LINE_HEAD + lines("S-1", 1)))
    decide(ws, "S-1:1:1")
    path = ws.path
    ws.close()
    f = write(tmp_path, "s2.csv", HEAD + section("S-2"))
    res = CliRunner().invoke(app, ["sections", "import", str(path), str(f), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["accepted"] == 1
    with open_workspace(path, read_only=True) as w:
        assert w.con.execute("SELECT batch FROM sections WHERE section_id = 'S-2'"
                             ).fetchall() == [(2,)]
