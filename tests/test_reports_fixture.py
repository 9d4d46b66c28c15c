"""A small synthetic petition with known truth, built straight from the workspace schema.

Report tests use it so that they do not depend on the import and matching engines: every
count the reports print can be checked against the truth list kept here.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

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
    con: Any
    path: Path
    truth: dict[str, str | None]  # line_id -> reason (None = valid), sampled lines only
    sample: list[str]
    raw: int
    inputs: list[Path]


def schema_sql() -> str:
    sql = (resources.files("recallkit.workspace") / "migrations" / "001_initial.sql").read_text()
    # DuckDB 2 reserves AT; quote it if the migration does not (yet).
    return sql.replace("\n    at           TIMESTAMP", '\n    "at"         TIMESTAMP')


def build(tmp: Path, method: str = "sample", rules: str = "ca-local",
          required: int = REQUIRED, county: str = "Alameda", same_hand: bool = True) -> Built:
    """Create `tmp/petition.duckdb` with a petition, sections, lines and determinations."""
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "petition.duckdb"
    con = duckdb.connect(str(path))
    con.execute(schema_sql())
    now = datetime(2024, 3, 1, 9, 0, 0)
    con.execute(
        """INSERT INTO petition VALUES (1, ?, 'County of Alameda', 'District Attorney',
           'Jane Q. Officer', NULL, 3600, ?, DATE '2023-09-01', DATE '2024-02-08',
           DATE '2024-02-08', [?], 'verifying', ?, NULL)""",
        [rules, required, county, now],
    )
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
    prev = "0" * 64
    for seq, action in enumerate(("init", "import", "import", "sample.draw", "verify"), 1):
        params = json.dumps({"n": seq})
        h = hashlib.sha256(f"{prev}|{seq}|{action}|{params}".encode()).hexdigest()
        con.execute("INSERT INTO audit_log VALUES (?, ?, 'admin', ?, ?, '{}', ?, ?)",
                    [seq, now, action, params, prev, h])
        prev = h
    return Built(con, path, truth, sample, len(ids), inputs)


def _bulk(con: Any, table: str, cols: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows at once through Arrow (executemany is slow in DuckDB)."""
    import pyarrow as pa

    data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})  # noqa: F841
    con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT * FROM data")


def regulation_projection(raw: int, s: int, v: int, d: int, required: int) -> dict[str, Any]:
    """2 CCR 20530 by hand, in the shape of recallkit.projection's as_dict (for fixtures)."""
    p = (Decimal(v) * 100 / Decimal(s)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    u = int((Decimal(raw) * p / 100).to_integral_value(ROUND_CEILING))
    a = (Decimal(raw) / Decimal(s)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    w = a * (a - 1)
    e = int((w * d).to_integral_value(ROUND_CEILING))
    proj = max(0, u - e)
    pct = (Decimal(proj) * 100 / required).quantize(Decimal("0.01"), ROUND_HALF_UP)
    outcome = ("sufficient" if proj * 100 > 110 * required
               else "insufficient" if proj * 100 < 90 * required else "full_count")
    cite = "2 CCR 20530"
    return {
        "projected_valid": proj, "percent_of_required": str(pct), "outcome": outcome,
        "steps": [
            {"name": "p", "value": str(p), "rule": "V / S as a percent", "cite": cite},
            {"name": "U", "value": u, "rule": "R × p, rounded up", "cite": cite},
            {"name": "A", "value": str(a), "rule": "R / S, four decimals", "cite": cite},
            {"name": "W", "value": str(w), "rule": "A × (A − 1)", "cite": cite},
            {"name": "E", "value": e, "rule": "W × D, rounded up", "cite": cite},
            {"name": "projected_valid", "value": proj, "rule": "U − E", "cite": cite},
        ],
        "band_edges_in_sample": {"min_valid_for_sufficient": None,
                                 "max_valid_for_insufficient": None},
        "confidence": {"lower_bound_95": proj - 150, "level": "0.95"},
    }


def test_fixture_has_known_shape(tmp_path: Path) -> None:
    b = build(tmp_path)
    assert b.raw == SECTIONS * PAGES * LINES
    assert len(b.sample) == 500
    cur = b.con.execute("SELECT count(*) FROM current_determinations").fetchone()[0]
    assert cur == 500


def test_projection_helper_reproduces_2ccr20540() -> None:
    assert regulation_projection(24034, 722, 516, 2, 10000)["projected_valid"] == 15028
