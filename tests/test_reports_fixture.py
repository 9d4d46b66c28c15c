"""A small synthetic petition with known truth, built straight from the workspace schema.

Report tests use it so that they do not depend on the import and matching engines: every
count the reports print can be checked against the truth list kept here.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

SECTIONS = 24
PAGES = 10
LINES = 10
REQUIRED = 900
SEED = "31415926535897932384626"
BAD_CIRCULATOR = "Rex Quill"
CIRCULATORS = ("Ana Ruiz", "Ben Ortiz", "Cora Lee", BAD_CIRCULATOR)
# (reason or None for valid, weight) for ordinary circulators.
MIX = (
    (None, 72.7), ("NOT_REGISTERED", 12.4), ("DUPLICATE", 6.1), ("ADDRESS_MISMATCH", 4.5),
    ("SIGNATURE_MISMATCH", 1.3), ("CANCELLED", 1.0), ("OUT_OF_JURISDICTION", 0.75),
    ("ILLEGIBLE", 1.3),
)


@dataclass
class Built:
    ws: Any
    path: Path
    truth: dict[str, str | None]  # line_id -> reason (None = valid), sampled lines only
    sample: list[str]
    raw: int
    inputs: list[Path]


def build(tmp: Path, method: str = "sample", rules: str = "ca-local",
          county: str = "Alameda", same_hand: bool = True) -> Built:
    """A workspace at `tmp` with a petition, sections, lines and determinations."""
    from recallkit.workspace.db import create_workspace

    ws = create_workspace(
        tmp, rules=rules, jurisdiction=f"County of {county}", office="District Attorney",
        officer="Jane Q. Officer", measure=3600 if rules != "ca-state" else 1_000_000,
        format_approved=date(2023, 9, 1), counties=[county],
        office_kind="statewide" if rules == "ca-state" else None,
        filed=date(2024, 2, 8) if rules != "ca-state" else None, actor="admin",
    )
    con = ws.con
    now = datetime(2024, 3, 1, 9, 0, 0)
    rng = random.Random(7)
    sec_rows, sig_rows = [], []
    for s in range(1, SECTIONS + 1):
        sid = f"AL-{s:04d}"
        circ = CIRCULATORS[s % len(CIRCULATORS)]
        filed = date(2024, 1, 10) + timedelta(days=s)
        sec_rows.append((sid, county, PAGES, PAGES * LINES, LINES, circ, "1 Main St", True,
                         date(2023, 9, 5), date(2024, 1, 5), filed, None, 1 + (s > 12)))
        for p in range(1, PAGES + 1):
            for ln in range(1, LINES + 1):
                sig_rows.append((f"{sid}:{p}:{ln}", sid, p, ln, f"Signer {s}-{p}-{ln}",
                                 f"{ln} Oak St", "Oakland", "94601", True, False))
    _bulk(con, "sections", ("section_id", "county", "pages", "signature_lines",
                            "lines_per_page", "circulator_name", "circulator_address",
                            "declaration_signed", "circulated_from", "circulated_to",
                            "date_filed", "defects", "batch"), sec_rows)
    _bulk(con, "signatures", ("line_id", "section_id", "page", "line", "printed_name",
                              "residence_address", "city", "zip", "has_signature", "struck"),
          sig_rows)
    ids = [r[0] for r in sig_rows]
    seed_hash = hashlib.sha256(SEED.encode()).hexdigest()
    order = sorted(ids, key=lambda i: (int(hashlib.sha256(f"{seed_hash},{i}".encode())
                                           .hexdigest(), 16), i))
    size = 500
    sample = order[:size] if method == "sample" else []
    examined = sample if method == "sample" else ids
    if method == "sample":
        con.execute("INSERT INTO sample_draws VALUES (1, ?, ?, ?, ?, ?, 'sup')",
                    [SEED, seed_hash, len(ids), size, now])
        _bulk(con, "sample", ("line_id", "position", "ticket", "draw_id"),
              [(i, n + 1, hashlib.sha256(f"{seed_hash},{i}".encode()).hexdigest(), 1)
               for n, i in enumerate(sample)])
    reasons = [m[0] for m in MIX]
    weights = [m[1] for m in MIX]
    truth: dict[str, str | None] = {}
    det_rows = []
    circ_of = {r[0]: r[5] for r in sec_rows}
    for n, lid in enumerate(examined):
        sid = lid.split(":")[0]
        if circ_of[sid] == BAD_CIRCULATOR:
            reason = "NOT_REGISTERED" if rng.random() < 0.5 else rng.choices(reasons, weights)[0]
        else:
            reason = rng.choices(reasons, weights)[0]
        if same_hand and sid == "AL-0002" and lid.endswith((":1:1", ":1:2", ":1:3", ":2:1")):
            reason = "NOT_PERSONALLY_AFFIXED"
        truth[lid] = reason
        at = now + timedelta(minutes=7 * n)
        det_rows.append((lid, "valid" if reason is None else "invalid", reason,
                         None if reason in ("NOT_REGISTERED", "ILLEGIBLE") else f"V{n:06d}",
                         "engine:1", 0.9, at, method))
    _bulk(con, "determinations", ("line_id", "determination", "reason", "voter_id",
                                  "decided_by", "score", "decided_at", "mode"), det_rows)
    # A reviewer correction: the first examined line flips; truth follows the correction.
    first = examined[0]
    old = con.execute("SELECT determination_id, determination FROM determinations "
                      "WHERE line_id = ?", [first]).fetchone()
    new_reason = None if old[1] == "invalid" else "ADDRESS_MISMATCH"
    con.execute(
        """INSERT INTO determinations (line_id, determination, reason, voter_id, decided_by,
           score, decided_at, mode, supersedes) VALUES (?,?,?,?, 'reviewer:kim', NULL, ?, ?, ?)""",
        [first, "valid" if new_reason is None else "invalid", new_reason, "V999999",
         now + timedelta(days=3), method, old[0]],
    )
    truth[first] = new_reason
    inputs = []
    for k, text in (("sections", "section_id\n" + "\n".join(r[0] for r in sec_rows)),
                    ("signatures", "line_id\n" + "\n".join(ids))):
        f = tmp / f"{k}.csv"
        f.write_text(text + "\n")
        inputs.append(f)
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        con.execute("INSERT INTO imports VALUES (?, ?, ?, ?, 'canonical', 1, 1, 0, NULL, false, "
                    "?, 'admin')", [len(inputs), k, f.name, digest, now])
        ws.audit("admin", f"{k}.import", {"file": f.name}, {f.name: digest})
    con.execute("UPDATE petition SET stage = 'verifying' WHERE id = 1")
    ws.audit("sup", "verify", {"mode": method})
    return Built(ws, tmp, truth, sample, len(ids), inputs)


def _bulk(con: Any, table: str, cols: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows at once through Arrow (executemany is slow in DuckDB)."""
    import pyarrow as pa

    data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})  # noqa: F841
    con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT * FROM data")


def test_fixture_has_known_shape(tmp_path: Path) -> None:
    b = build(tmp_path)
    assert b.raw == SECTIONS * PAGES * LINES
    assert len(b.sample) == 500
    cur = b.ws.con.execute("SELECT count(*) FROM current_determinations").fetchone()[0]
    assert cur == 500
    assert b.ws.petition.required == REQUIRED
