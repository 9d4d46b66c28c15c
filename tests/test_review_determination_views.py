"""Which determinations count (workspace migration 004): a sample, then a full count that
does not re-examine sampled lines but does make a sampled line a petition-wide DUPLICATE;
undo markers are never current; reports and the certificate read the same views."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from recallkit.reports.facts import gather
from recallkit.verification import duplicates, fullcount, review, stages
from recallkit.verification.determine import now
from test_verification_engine import LINES, build

SEED = "12345678901234567890123"
# 1:2:1 repeats voter V8, whose first signature in filing order is 2:1:1 (section 2 was
# filed first). The sample holds the repeat but not the first occurrence.
SAMPLED = ["1:1:1", "1:1:2", "1:1:8", "1:2:1", "2:2:1", "8:1:1", "8:2:1", "8:3:1"]


def _sample(ws, lines: list[str]) -> None:
    con = ws.con
    con.execute("INSERT INTO sample_draws VALUES (1, ?, 'x', ?, ?, ?, 'test')",
                [SEED, stages.raw_count(ws), len(lines), datetime(2022, 7, 10)])
    con.executemany("INSERT INTO sample VALUES (?, ?, ?, 1)",
                    [(lid, i + 1, "0" * 64) for i, lid in enumerate(lines)])
    con.execute("UPDATE petition SET stage = 'sampled' WHERE id = 1")


def _decide_queue(ws, name: str = "oracle") -> int:
    n = 0
    while (item := review.lease_next(ws, name)) is not None:
        review.decide(ws, item.line_id, name, "valid")
        n += 1
    return n


@pytest.fixture(scope="module")
def counted(tmp_path_factory):
    ws = build(tmp_path_factory.mktemp("views"), filler_lines=12)
    _sample(ws, SAMPLED)
    stages.verify(ws, "sample", "sup")
    _decide_queue(ws)
    before = stages.sample_figures(ws)
    sample_rows = ws.con.execute(
        "SELECT line_id, determination, reason FROM sample_determinations ORDER BY 1"
    ).fetchall()
    fc = fullcount.run_full_count(ws, "sup", force=True)
    _decide_queue(ws)
    yield ws, before, sample_rows, fc
    ws.close()


def _one(ws, sql, params=None):
    return ws.con.execute(sql, params or []).fetchall()


def test_sampled_repeat_is_valid_in_the_sample(counted):
    ws, before, sample_rows, _ = counted
    rows = {r[0]: r[1:] for r in sample_rows}
    assert rows["1:2:1"] == ("valid", None)  # the sample sees no earlier V8
    assert before["undecided"] == 0 and before["duplicates"] == 0


def test_full_count_makes_the_sampled_repeat_a_duplicate(counted):
    ws, before, sample_rows, _ = counted
    cur = _one(ws, "SELECT determination, reason, mode FROM full_count_determinations "
                   "WHERE line_id = '1:2:1'")
    assert cur == [("invalid", "DUPLICATE", "full")]
    first = _one(ws, "SELECT determination FROM full_count_determinations "
                     "WHERE line_id = '2:1:1'")
    assert first == [("valid",)]
    # ... without touching the sample's figures (what the projection read)
    assert stages.sample_figures(ws) == before
    assert _one(ws, "SELECT line_id, determination, reason FROM sample_determinations "
                    "ORDER BY 1") == sample_rows


def test_sampled_lines_are_not_examined_again(counted):
    ws, *_ = counted
    engine_runs = _one(ws, """SELECT count(DISTINCT decided_by) FROM determinations
                             WHERE line_id IN (SELECT line_id FROM sample)
                               AND decided_by LIKE 'engine:%'""")
    assert engine_runs == [(1,)]


def test_full_count_is_complete_and_the_report_counts_every_line(counted):
    ws, *_, fc = counted
    raw = stages.raw_count(ws)
    n, lines = _one(ws, "SELECT count(*), count(DISTINCT line_id) "
                        "FROM full_count_determinations")[0]
    assert n == lines == raw
    facts = gather(ws.con)
    assert facts.method == "full" and facts.complete
    assert facts.examined == raw
    valid = _one(ws, "SELECT count(*) FROM full_count_determinations "
                     "WHERE determination = 'valid'")[0][0]
    assert facts.valid == valid
    assert fc.verify.mode == "full"


def test_export_has_one_current_row_per_examined_line(counted):
    ws, *_ = counted
    n, lines = _one(ws, "SELECT count(*), count(DISTINCT section_id || ':' || page || ':' "
                        "|| line) FROM determinations_export")[0]
    examined = _one(ws, "SELECT count(DISTINCT line_id) FROM determinations")[0][0]
    assert n == lines == examined


def test_undo_leaves_no_current_determination(tmp_path):
    ws = build(tmp_path, lines=LINES[:3], filler_lines=5)
    stages.verify(ws, "full", "test", epsilon=-1.0)  # everything to review
    item = review.lease_next(ws, "alice")
    review.decide(ws, item.line_id, "alice", "valid")
    assert _one(ws, "SELECT count(*) FROM current_determinations WHERE line_id = ?",
                [item.line_id]) == [(1,)]
    assert review.undo(ws, "alice") == item.line_id
    for view in ("current_determinations", "full_count_determinations",
                 "determinations_export"):
        where = "line_id = ?" if view != "determinations_export" else \
            "section_id || ':' || page || ':' || line = ?"
        assert _one(ws, f"SELECT count(*) FROM {view} WHERE {where}",
                    [item.line_id]) == [(0,)], view
    assert _one(ws, "SELECT count(*) FROM unverified_lines WHERE line_id = ?",
                [item.line_id]) == [(1,)]
    review.decide(ws, item.line_id, "alice", *review.KEYS["n"])
    assert _one(ws, "SELECT reason FROM current_determinations WHERE line_id = ?",
                [item.line_id]) == [("NOT_REGISTERED",)]
    ws.close()


def test_undo_of_a_sample_decision_undecides_the_sample(tmp_path):
    ws = build(tmp_path, filler_lines=6)
    _sample(ws, ["1:1:1", "8:1:1", "8:2:1"])
    stages.verify(ws, "sample", "sup", epsilon=-1.0)
    item = review.lease_next(ws, "alice")
    review.decide(ws, item.line_id, "alice", "valid")
    undecided = stages.sample_figures(ws)["undecided"]
    review.undo(ws, "alice")
    assert stages.sample_figures(ws)["undecided"] == undecided + 1
    ws.close()


def test_incremental_duplicates_match_a_whole_pass(tmp_path):
    """After a review decision, resolving only the decided line's voters gives what a
    whole-petition pass would (the whole pass then has nothing left to append)."""
    ws = build(tmp_path, filler_lines=10)
    stages.verify(ws, "full", "test")
    # a reviewer says the first occurrence of V8 is not theirs: the repeat becomes valid
    con = ws.con
    t = now()
    con.execute("INSERT INTO review_queue (line_id, mode, status, lease_holder, "
                "lease_expires, queued_at) VALUES ('2:1:1', 'full', 'leased', 'bob', ?, ?)",
                [t + timedelta(hours=1), t])
    review.decide(ws, "2:1:1", "bob", "invalid", "SIGNATURE_MISMATCH")
    assert _one(ws, "SELECT determination, reason FROM current_determinations "
                    "WHERE line_id = '1:2:1'") == [("valid", None)]
    assert duplicates.resolve(con, "full") == {"new_duplicates": 0, "restored_valid": 0}
    ws.close()


@pytest.mark.parametrize("mode", ["sample", "full"])
def test_per_voter_basis_reads_like_the_views(counted, mode):
    """The duplicates pass after one decision reads only its voters' lines; those rows
    are exactly what the migration-004 views say for the same lines (with an undo too)."""
    ws = counted[0]
    con = ws.con
    line = _one(ws, "SELECT line_id FROM current_determinations WHERE voter_id IS NOT NULL "
                    "ORDER BY line_id LIMIT 1")[0][0]
    con.execute("INSERT INTO review_queue (line_id, mode, status, lease_holder, lease_expires, "
                "queued_at) VALUES (?, 'full', 'leased', 'checker', ?, ?) ON CONFLICT (line_id) "
                "DO UPDATE SET status = 'leased', lease_holder = 'checker', "
                "lease_expires = excluded.lease_expires",
                [line, now() + timedelta(hours=1), now()])
    review.decide(ws, line, "checker", "valid")
    review.undo(ws, "checker")
    voters = sorted(r[0] for r in _one(ws, "SELECT DISTINCT voter_id FROM determinations "
                                           "WHERE voter_id IS NOT NULL"))
    cols = "line_id, determination_id, determination, reason, voter_id, mode"
    mine = _one(ws, f"SELECT {cols} FROM {duplicates._basis_of_voters(mode)} ORDER BY 1, 2",
                [voters])
    view = _one(ws, f"SELECT {cols} FROM {duplicates.BASIS[mode]} WHERE line_id IN ("
                    "SELECT line_id FROM determinations WHERE voter_id IS NOT NULL) "
                    "ORDER BY 1, 2")
    assert mine == view and view
    review.decide(ws, line, "checker", "valid")  # leave the module's workspace decided
