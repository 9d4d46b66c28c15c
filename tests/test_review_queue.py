"""The review queue: leases, decisions, undo, concurrent reviewers, bulk import; and the
sample stage end to end (draw → verify → review → project)."""

from __future__ import annotations

import threading

import pytest

from recallkit.matching.decide import DOUBTS
from recallkit.verification import review, stages
from test_verification_engine import build


@pytest.fixture()
def queued(tmp_path):
    ws = build(tmp_path, filler_lines=30)
    # ε < 0: the engine decides nothing that needs an identity, so the queue fills up
    stages.verify(ws, "full", "test", epsilon=-1.0)
    yield ws
    ws.close()


def test_lease_decide_undo(queued):
    ws = queued
    a = review.lease_next(ws, "alice")
    b = review.lease_next(ws, "bob")
    assert a and b and a.line_id != b.line_id
    assert review.lease_next(ws, "alice").line_id == a.line_id  # one lease at a time
    assert a.transcription["line_id"] == a.line_id and a.section
    # the reviewer is told why the engine asks, in words
    assert a.doubt in DOUBTS and a.doubt_text == DOUBTS[a.doubt]
    with pytest.raises(review.ReviewError):
        review.decide(ws, a.line_id, "bob", "valid")  # bob does not hold alice's lease
    with pytest.raises(review.ReviewError):
        review.decide(ws, a.line_id, "alice", "invalid")  # no reason
    did = review.decide(ws, a.line_id, "alice", *review.KEYS["n"])
    cur = ws.con.execute("SELECT determination_id, reason, decided_by FROM "
                         "current_determinations WHERE line_id = ?", [a.line_id]).fetchall()
    assert cur == [(did, "NOT_REGISTERED", "reviewer:alice")]
    assert review.undo(ws, "alice") == a.line_id
    again = review.lease_next(ws, "alice")
    assert again.line_id == a.line_id
    review.decide(ws, a.line_id, "alice", "valid")
    stats = review.queue_stats(ws)
    assert stats["decided"] == 1 and stats["leased"] == 1
    assert review.release(ws, "bob") == 1


def test_expired_lease_is_offered_again(queued):
    ws = queued
    a = review.lease_next(ws, "alice", lease_seconds=0)
    b = review.lease_next(ws, "bob")
    assert b.line_id == a.line_id
    with pytest.raises(review.ReviewError):
        review.decide(ws, a.line_id, "alice", "valid")


def test_two_concurrent_reviewers_never_decide_the_same_line(queued):
    ws = queued
    total = review.queue_stats(ws)["open"]
    decided: dict[str, list[str]] = {"r1": [], "r2": []}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            while (item := review.lease_next(ws, name)) is not None:
                review.decide(ws, item.line_id, name, "valid")
                decided[name].append(item.line_id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in decided]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    both = decided["r1"] + decided["r2"]
    assert len(both) == len(set(both)) == total
    twice = ws.con.execute("""SELECT count(*) FROM (SELECT line_id FROM determinations
        WHERE decided_by LIKE 'reviewer:%' GROUP BY 1 HAVING count(*) > 1)""").fetchall()
    assert twice[0][0] == 0


def test_import_decisions_checks_every_row_first(queued, tmp_path):
    ws = queued
    lid = ws.con.execute("SELECT line_id FROM review_queue ORDER BY line_id LIMIT 1"
                         ).fetchall()[0][0]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"line_id,determination,reason\n{lid},invalid,NOPE\n9:9:9,valid,\n")
    rep = review.import_decisions(ws, bad, "sup")
    assert rep.applied == 0 and len(rep.problems) == 2
    assert "row 2, column reason" in rep.problems[0] and "row 3" in rep.problems[1]
    good = tmp_path / "good.csv"
    good.write_text(f"line_id,determination,reason\n{lid},invalid,SIGNATURE_MISMATCH\n")
    rep = review.import_decisions(ws, good, "sup")
    assert rep.applied == 1
    assert ws.con.execute("SELECT reason FROM current_determinations WHERE line_id = ?",
                          [lid]).fetchall() == [("SIGNATURE_MISMATCH",)]


def test_sample_stage_end_to_end(tmp_path):
    # 50,000 registered (the fewest with 160 days to file) need 7,500: the raw count must
    # reach that before a sample is drawn (EC 11222(b))
    ws = build(tmp_path, filler_lines=7_500, measure=50_000)
    assert stages.raw_count(ws) >= ws.petition.required == 7_500
    drawn = stages.draw_sample(ws, "12345678901234567890123", "sup", size=60)
    assert len(drawn) == 60 and ws.petition.stage == "sampled"
    with pytest.raises(stages.VerificationError):
        stages.draw_sample(ws, "99999999999999999999999", "sup", size=80)
    res = stages.verify(ws, "sample", "sup")
    assert res.examined == 60
    while (item := review.lease_next(ws, "oracle")) is not None:
        review.decide(ws, item.line_id, "oracle", "valid")
    fig = stages.sample_figures(ws)
    assert fig["sample"] == 60 and fig["undecided"] == 0
    proj = stages.project_workspace(ws)
    assert proj.inputs["sample"] == 60 and proj.outcome in (
        "sufficient", "full_count", "insufficient")
    assert stages.progress(ws)["sample"]["valid"] == fig["valid"]
    ws.close()
