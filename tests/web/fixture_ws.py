"""A small workspace with planted, distinctive personal data, for the web tests.

The names and addresses below must never appear on public or observer pages; tests search
every such page for them. Until the review library is installed, `FakeReview` stands in for
recallkit.verification.review with the same call signatures (leases in review_queue,
append-only determinations).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

from recallkit.workspace import create_workspace

PLANTED_NAMES = ("Zebulon Quixotic-Farnsworth", "Philomena Xylander", "Thaddeus Wrenfield")
PLANTED_WORDS = ("Quixotic", "Farnsworth", "Xylander", "Wrenfield", "Philomena", "Zebulon",
                 "Thaddeus", "Marigoldvale", "V-ZX-0001")
PLANTED_ADDRESS = "4821 Marigoldvale Crescent"
N_LINES = 40
SECTIONS = ("S-001", "S-002")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def build(path: Path, *, sampled: bool = True, n_lines: int = N_LINES,
          measure: int = 100_000, format_approved: date = date(2026, 1, 5)) -> Path:
    """A workspace of `measure` registered voters. A test that draws a sample must pass the
    raw-count gate (EC 11222(b)): `n_lines` at least the requirement, and a format approval
    date that keeps the sections (circulated 2026-01-10, filed 2026-03-10) in time for the
    jurisdiction's circulation period (EC 11220)."""
    ws = create_workspace(path, rules="ca-local", jurisdiction="City of Example",
                          office="Mayor", officer="Pat Officeholder", measure=measure,
                          format_approved=format_approved, counties=["Los Angeles"],
                          actor="test")
    con = ws.con
    img = path / "images"
    img.mkdir()
    Image.new("RGB", (120, 40), "white").save(img / "line.png")
    Image.new("RGB", (120, 40), "lightgray").save(img / "voter.png")
    for s in SECTIONS:
        con.execute(
            "INSERT INTO sections (section_id, county, pages, signature_lines, "
            "circulator_name, declaration_signed, circulated_from, circulated_to, date_filed) "
            "VALUES (?, 'Los Angeles', 2, 20, 'Circe Petitionwalker', TRUE, DATE '2026-01-10',"
            " DATE '2026-03-01', DATE '2026-03-10')", [s])
    for i in range(n_lines):
        first, last = PLANTED_NAMES[i % 3].split(" ", 1)
        vid = f"V-ZX-{i:04d}"
        con.execute(
            "INSERT INTO voters (voter_id, first_name, last_name, residence_address, city, zip, "
            "county, registration_date, status, signature_image) VALUES "
            "(?, ?, ?, ?, 'Example', '90001', 'Los Angeles', DATE '2010-01-01', 'active', ?)",
            [vid, first, last, f"{4821 + i} Marigoldvale Crescent", "images/voter.png"])
        section = SECTIONS[i % 2]
        page, line = 1 + (i // 2) // 10, 1 + (i // 2) % 10  # 10 lines a page
        line_id = f"{section}:{page}:{line}"
        con.execute(
            "INSERT INTO signatures (line_id, section_id, page, line, printed_name, "
            "residence_address, city, zip, has_signature, signature_image) VALUES "
            "(?, ?, ?, ?, ?, ?, 'Example', '90001', TRUE, 'images/line.png')",
            [line_id, section, page, line, f"{first} {last}",
             f"{4821 + i} Marigoldvale Cres"])
        if sampled:
            con.execute("INSERT INTO sample VALUES (?, ?, ?, 1)", [line_id, i + 1, "0" * 64])
        con.execute(
            "INSERT INTO match_candidates VALUES (1, ?, ?, 1, 0.71, ?)",
            [line_id, vid, json.dumps({"name": 0.9, "address": 0.6, "zip": 1.0})])
        if i >= N_LINES:
            continue  # only the first N_LINES are matched and queued
        if i < 10 and sampled:  # decided by the engine
            con.execute(
                "INSERT INTO determinations (line_id, determination, reason, voter_id, "
                "decided_by, score, evidence, decided_at, mode) VALUES "
                "(?, ?, ?, ?, 'engine:1', 0.99, ?, ?, 'sample')",
                [line_id, "valid" if i % 3 else "invalid", None if i % 3 else "ADDRESS_MISMATCH",
                 vid, json.dumps({"components": {"name": 0.99}, "voter_name": f"{first} {last}",
                                  "other_reasons": ["SIGNATURE_MISMATCH"],
                                  "note": PLANTED_ADDRESS}), now()])
        else:  # waiting for a person
            con.execute("INSERT INTO review_queue (line_id, mode, reason_hint, doubt, "
                        "priority, queued_at) VALUES (?, 'sample', 'SIGNATURE_MISMATCH', "
                        "'signature', ?, ?)",
                        [line_id, float(i), now()])
    if sampled:
        con.execute("INSERT INTO sample_draws VALUES (1, '12345678901234567890', ?, ?, ?, ?, "
                    "'test')", ["a" * 64, n_lines, N_LINES, now()])
        con.execute("UPDATE petition SET stage = 'verifying'")
    ws.close()
    return path


# --- a stand-in for recallkit.verification.review --------------------------------------

KEYS: dict[str, tuple[str, str | None]] = {
    "v": ("valid", None), "r": ("invalid", "NOT_REGISTERED"), "a": ("invalid", "ADDRESS_MISMATCH"),
    "s": ("invalid", "SIGNATURE_MISMATCH"), "d": ("invalid", "DUPLICATE"),
    "o": ("invalid", "OTHER"),
}


@dataclass(frozen=True)
class Candidate:
    voter_id: str
    rank: int
    score: float
    components: dict[str, float]
    first_name: str
    last_name: str
    residence_address: str
    city: str
    zip: str
    status: str
    signature_image: str | None


@dataclass(frozen=True)
class ReviewItem:
    line_id: str
    mode: str
    reason_hint: str | None
    transcription: dict[str, Any]
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


class FakeReview:
    """The review library's calls, minimal but with real leases and an undo stack."""

    def __init__(self) -> None:
        self.undo_stack: dict[str, list[str]] = {}

    def get_item(self, ws: Any, line_id: str) -> ReviewItem:
        row = ws.con.execute(
            "SELECT q.mode, q.reason_hint, s.printed_name, s.residence_address, s.city, s.zip, "
            "s.has_signature, s.signature_image, s.section_id FROM review_queue q "
            "JOIN signatures s USING (line_id) WHERE line_id = ?", [line_id]).fetchone()
        if row is None:
            raise LookupError(f"line {line_id} is not in the review queue")
        cands = ws.con.execute(
            "SELECT c.voter_id, c.rank, c.score, c.components::VARCHAR, v.first_name, "
            "v.last_name, v.residence_address, v.city, v.zip, v.status, v.signature_image "
            "FROM match_candidates c JOIN voters v USING (voter_id) WHERE c.line_id = ? "
            "ORDER BY c.rank", [line_id]).fetchall()
        keys = ("printed_name", "residence_address", "city", "zip", "has_signature",
                "signature_image", "section_id")
        return ReviewItem(line_id, row[0], row[1], dict(zip(keys, row[2:], strict=True)),
                          tuple(Candidate(c[0], c[1], c[2], json.loads(c[3]), *c[4:])
                                for c in cands))

    def lease_next(self, ws: Any, reviewer: str, lease_seconds: int = 600) -> ReviewItem | None:
        held = ws.con.execute(
            "SELECT line_id FROM review_queue WHERE status = 'leased' AND lease_holder = ? "
            "AND lease_expires > ? ORDER BY priority DESC LIMIT 1", [reviewer, now()]).fetchone()
        if held is None:
            held = ws.con.execute(
                "SELECT line_id FROM review_queue WHERE status = 'open' OR (status = 'leased' "
                "AND lease_expires <= ?) ORDER BY priority DESC, line_id LIMIT 1",
                [now()]).fetchone()
            if held is None:
                return None
            ws.con.execute(
                "UPDATE review_queue SET status = 'leased', lease_holder = ?, "
                "lease_expires = ? WHERE line_id = ?",
                [reviewer, now() + timedelta(seconds=lease_seconds), held[0]])
        return self.get_item(ws, held[0])

    def decide(self, ws: Any, line_id: str, reviewer: str, determination: str,
               reason: str | None = None, voter_id: str | None = None, note: str = "") -> int:
        row = ws.con.execute("SELECT status, lease_holder FROM review_queue WHERE line_id = ?",
                             [line_id]).fetchone()
        if row is None or row[0] != "leased" or row[1] != reviewer:
            raise ValueError(f"Line {line_id} is not leased to {reviewer}.")
        with ws.transaction(f"reviewer:{reviewer}", "review.decide",
                            {"line_id": line_id, "determination": determination}):
            det_id = ws.con.execute(
                "INSERT INTO determinations (line_id, determination, reason, voter_id, "
                "decided_by, evidence, decided_at, mode) VALUES (?, ?, ?, ?, ?, ?, ?, 'sample') "
                "RETURNING determination_id",
                [line_id, determination, reason, voter_id, f"reviewer:{reviewer}",
                 json.dumps({"note": note}), now()]).fetchone()[0]
            ws.con.execute("UPDATE review_queue SET status = 'decided', determination_id = ? "
                           "WHERE line_id = ?", [det_id, line_id])
        self.undo_stack.setdefault(reviewer, []).append(line_id)
        return int(det_id)

    def undo(self, ws: Any, reviewer: str) -> str | None:
        stack = self.undo_stack.get(reviewer) or []
        if not stack:
            return None
        line_id = stack.pop()
        with ws.transaction(f"reviewer:{reviewer}", "review.undo", {"line_id": line_id}):
            ws.con.execute("DELETE FROM determinations WHERE determination_id = (SELECT "
                           "determination_id FROM review_queue WHERE line_id = ?)", [line_id])
            ws.con.execute(
                "UPDATE review_queue SET status = 'leased', lease_holder = ?, lease_expires = ?,"
                " determination_id = NULL WHERE line_id = ?",
                [reviewer, now() + timedelta(seconds=600), line_id])
        return line_id

    def release(self, ws: Any, reviewer: str) -> int:
        n = ws.con.execute("SELECT count(*) FROM review_queue WHERE status = 'leased' AND "
                           "lease_holder = ?", [reviewer]).fetchone()[0]
        ws.con.execute("UPDATE review_queue SET status = 'open', lease_holder = NULL, "
                       "lease_expires = NULL WHERE status = 'leased' AND lease_holder = ?",
                       [reviewer])
        return int(n)

    def queue_stats(self, ws: Any) -> dict[str, int]:
        return dict(ws.con.execute(
            "SELECT status, count(*) FROM review_queue GROUP BY status").fetchall())


def install_fake_review() -> FakeReview:
    from recallkit.web import library

    fake = FakeReview()
    for name in ("lease_next", "get_item", "decide", "undo", "release", "queue_stats"):
        library.override(name, getattr(fake, name))
    library.override("review_keys", KEYS)
    return fake
