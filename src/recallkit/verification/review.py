"""The review queue: people decide the lines the engine would not decide alone.

A reviewer leases one line at a time; while the lease runs nobody else gets that line,
and an expired lease is offered again. Every decision is a new determination (append-
only; a correction supersedes) and an audit-log entry. The terminal queue
(`recallkit review WS`) and the web app use these same calls.

All queue writes take one lock per workspace file and run in one database transaction,
so two reviewers (threads of the web server) can never lease or decide the same line.
"""

from __future__ import annotations

import csv
import json
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from recallkit.matching.decide import DOUBTS
from recallkit.verification import duplicates
from recallkit.verification.determine import now

# One key per decision: key -> (determination, reason).
KEYS: dict[str, tuple[str, str | None]] = {
    "v": ("valid", None),
    "n": ("invalid", "NOT_REGISTERED"),
    "a": ("invalid", "ADDRESS_MISMATCH"),
    "s": ("invalid", "SIGNATURE_MISMATCH"),
    "d": ("invalid", "DUPLICATE"),
    "c": ("invalid", "CANCELLED"),
    "l": ("invalid", "REGISTERED_LATE"),
    "o": ("invalid", "OUT_OF_JURISDICTION"),
    "i": ("invalid", "ILLEGIBLE"),
    "x": ("invalid", "NO_ADDRESS"),
    "g": ("invalid", "NO_SIGNATURE"),
    "p": ("invalid", "NOT_PERSONALLY_AFFIXED"),
    "w": ("invalid", "WITHDRAWN"),
    "r": ("invalid", "OTHER"),
}
REASONS = {r for _, r in KEYS.values() if r} | {
    "WRONG_COUNTY_SECTION", "SIGNED_BEFORE_APPROVAL", "SECTION_FILED_LATE",
    "CIRCULATOR_DECLARATION_DEFECT", "SECTION_FORMAT_DEFECT"}

_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


class ReviewError(Exception):
    """A review action cannot be done; the message says why, for people."""


def _lock(ws: Any) -> threading.RLock:
    key = str(Path(getattr(ws, "db_path", id(ws))).resolve()) if hasattr(ws, "db_path") \
        else str(id(ws))
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.RLock())


@dataclass(frozen=True)
class Candidate:
    voter_id: str
    rank: int
    score: float
    components: dict[str, Any]
    voter: dict[str, Any]


@dataclass(frozen=True)
class ReviewItem:
    line_id: str
    mode: str
    status: str
    lease_holder: str | None
    lease_expires: Any
    engine_hint: str | None
    transcription: dict[str, Any]
    section: dict[str, Any]
    candidates: tuple[Candidate, ...] = field(default=())
    # why the engine asks (a code of matching.decide.DOUBTS) and that in words
    doubt: str | None = None
    doubt_text: str | None = None

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict
        return asdict(self)


@dataclass(frozen=True)
class ImportReport:
    read: int
    applied: int
    rejected: int
    problems: tuple[str, ...]


def _rows(con: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


_LINE_SQL = """
    SELECT s.line_id, s.section_id, s.page, s.line, s.printed_name, s.residence_address,
           s.city, s.zip, s.has_signature, s.signature_image, s.notes,
           x.county, x.circulator_name, x.declaration_signed, x.circulated_from,
           x.circulated_to, x.date_filed
    FROM signatures s LEFT JOIN sections x USING (section_id)
    WHERE s.line_id = ?"""
_SECTION_COLS = ("county", "circulator_name", "declaration_signed", "circulated_from",
                 "circulated_to", "date_filed")
_VOTER_COLS = ("first_name", "middle_name", "last_name", "name_suffix", "residence_address",
               "city", "zip", "county", "status", "status_date", "registration_date",
               "signature_image")
_QUEUE_COLS = "line_id, mode, status, lease_holder, lease_expires, reason_hint, doubt"


def _candidates(con: Any, line_id: str) -> list[dict[str, Any]]:
    """The line's candidates from its latest match run, best first.

    A plain equality filter, sorted here: it is a lookup in the match_candidates.line_id
    index (migration 7), where ORDER BY ... LIMIT in SQL makes DuckDB scan the table.
    """
    rows = _rows(con, "SELECT run_id, voter_id, rank, score, components::VARCHAR AS components "
                      "FROM match_candidates WHERE line_id = ?", [line_id])
    if not rows:
        return []
    latest = max(r["run_id"] for r in rows)
    return sorted((r for r in rows if r["run_id"] == latest), key=lambda r: r["rank"])


def _voters(con: Any, voter_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Registration rows by voter_id (one lookup in the voters.voter_id index)."""
    ids = sorted(set(voter_ids))
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = _rows(con, f"SELECT voter_id, {', '.join(_VOTER_COLS)} FROM voters "
                      f"WHERE voter_id IN ({marks})", ids)
    return {r.pop("voter_id"): r for r in rows}


def _item(con: Any, line_id: str, queue_row: dict[str, Any] | None) -> ReviewItem:
    line = _rows(con, _LINE_SQL, [line_id])
    if not line:
        raise ReviewError(f"there is no signature line {line_id}")
    sig = {k: v for k, v in line[0].items() if k not in _SECTION_COLS}
    sec = {"section_id": sig["section_id"], **{k: line[0][k] for k in _SECTION_COLS}} \
        if line[0]["county"] is not None else {}
    cands = _candidates(con, line_id)
    voters = _voters(con, [c["voter_id"] for c in cands])
    empty = dict.fromkeys(_VOTER_COLS)
    qi = queue_row or {}
    return ReviewItem(
        line_id=line_id, mode=qi.get("mode", ""), status=qi.get("status", "not queued"),
        lease_holder=qi.get("lease_holder"), lease_expires=qi.get("lease_expires"),
        engine_hint=qi.get("reason_hint"), transcription=sig, section=sec,
        doubt=qi.get("doubt"), doubt_text=DOUBTS.get(qi.get("doubt") or ""),
        candidates=tuple(
            Candidate(c["voter_id"], c["rank"], c["score"], json.loads(c["components"]),
                      dict(voters.get(c["voter_id"], empty)))
            for c in cands))


def get_item(ws: Any, line_id: str) -> ReviewItem:
    """Everything a reviewer needs for one line: transcription, section, candidates."""
    con = ws.con
    with _lock(ws):
        q = _rows(con, f"SELECT {_QUEUE_COLS} FROM review_queue WHERE line_id = ?", [line_id])
        return _item(con, line_id, q[0] if q else None)


def lease_next(ws: Any, reviewer: str, lease_seconds: int = 600) -> ReviewItem | None:
    """Lease the most doubtful open line (or an expired lease) to `reviewer`.

    A reviewer holds at most one lease: asking again returns the line already held.
    One query finds the held line or the next free one; the lease itself is one UPDATE
    that re-checks the line is still free, so it is atomic on its own (and the queue lock
    keeps this process's reviewers in line).
    """
    con = ws.con
    with _lock(ws):
        while True:
            t = now()
            rows = _rows(con, f"""
                SELECT {_QUEUE_COLS},
                       status = 'leased' AND lease_holder = ? AND lease_expires > ? AS held
                FROM review_queue
                WHERE status = 'open' OR status = 'leased' AND (lease_expires <= ?
                      OR lease_holder = ?)
                ORDER BY held DESC, priority DESC, line_id LIMIT 1""",
                [reviewer, t, t, reviewer])
            if not rows:
                return None
            q = rows[0]
            if not q.pop("held"):
                until = t + timedelta(seconds=lease_seconds)
                got = con.execute(
                    "UPDATE review_queue SET status = 'leased', lease_holder = ?, "
                    "lease_expires = ? WHERE line_id = ? AND (status = 'open' OR "
                    "(status = 'leased' AND lease_expires <= ?))",
                    [reviewer, until, q["line_id"], t]).fetchall()[0][0]
                if not got:  # taken meanwhile (another process): look again
                    continue
                q.update(status="leased", lease_holder=reviewer, lease_expires=until)
            return _item(con, q["line_id"], q)


def decide(ws: Any, line_id: str, reviewer: str, determination: str,
           reason: str | None = None, voter_id: str | None = None, note: str = "") -> int:
    """Record a reviewer's determination for a leased line. Returns its id."""
    if determination not in ("valid", "invalid"):
        raise ReviewError("a determination is 'valid' or 'invalid'")
    if determination == "invalid" and reason not in REASONS:
        raise ReviewError(f"an invalid determination needs a reason code, one of "
                          f"{', '.join(sorted(REASONS))}")
    if determination == "valid":
        reason = None
    if reason == "OTHER" and not note.strip():
        raise ReviewError("reason OTHER needs a note saying what is wrong")
    with _lock(ws):
        q = ws.con.execute("SELECT status, lease_holder, lease_expires, mode FROM review_queue "
                           "WHERE line_id = ?", [line_id]).fetchall()
        if not q or q[0][0] != "leased" or q[0][1] != reviewer or q[0][2] <= now():
            raise ReviewError(f"{reviewer} does not hold the lease on line {line_id}; lease "
                              "it first (its lease may have expired)")
        mode = q[0][3]
        return _record(ws, line_id, reviewer, determination, reason, voter_id, note, mode,
                       "review_decide")


def _record(ws: Any, line_id: str, reviewer: str, determination: str, reason: str | None,
            voter_id: str | None, note: str, mode: str, action: str,
            resolve: bool = True) -> int:
    params = {"line_id": line_id, "determination": determination, "reason": reason,
              "voter_id": voter_id}
    with ws.transaction(f"reviewer:{reviewer}", action, params) as con:
        cur = con.execute("SELECT determination_id, voter_id FROM current_determinations "
                          "WHERE line_id = ?", [line_id]).fetchall()
        if voter_id is None and cur and determination == "valid":
            voter_id = cur[0][1]
        if voter_id is None and reason != "NOT_REGISTERED":
            top = _candidates(con, line_id)  # the engine's best candidate, kept as evidence
            voter_id = top[0]["voter_id"] if top else None
        did = con.execute("""
            INSERT INTO determinations (line_id, determination, reason, voter_id, decided_by,
                score, evidence, supersedes, decided_at, mode)
            VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?) RETURNING determination_id""",
            [line_id, determination, reason, voter_id, f"reviewer:{reviewer}",
             json.dumps({"note": note}), cur[0][0] if cur else None, now(), mode]
        ).fetchall()[0][0]
        con.execute("UPDATE review_queue SET status = 'decided', determination_id = ?, "
                    "lease_holder = ?, lease_expires = NULL WHERE line_id = ?",
                    [did, reviewer, line_id])
        if resolve:  # only this line's voters (old and new) can change as duplicates
            duplicates.resolve_lines(con, [line_id])
        params["determination_id"] = did
    return did


def undo(ws: Any, reviewer: str) -> str | None:
    """Take back the reviewer's latest decision: the line returns to them, leased.

    The determination is not deleted; a row marking it withdrawn supersedes it and the
    line's previous determination (if any) is restored by a new row.
    """
    with _lock(ws):
        row = ws.con.execute("""
            SELECT q.line_id, q.determination_id, q.mode FROM review_queue q
            JOIN determinations d ON d.determination_id = q.determination_id
            WHERE q.status = 'decided' AND d.decided_by = ?
            ORDER BY d.determination_id DESC LIMIT 1""", [f"reviewer:{reviewer}"]).fetchall()
        if not row:
            return None
        line_id, did, mode = row[0]
        with ws.transaction(f"reviewer:{reviewer}", "review_undo",
                            {"line_id": line_id, "determination_id": did}) as con:
            # An 'undone' marker supersedes the line's current row (the decision, or a
            # duplicates row laid over it); the line has no current determination, and no
            # sample determination, until it is decided again (views of migration 004).
            head = con.execute("SELECT max(determination_id) FROM current_determinations "
                               "WHERE line_id = ?", [line_id]).fetchall()[0][0]
            con.execute("""
                INSERT INTO determinations (line_id, determination, reason, voter_id,
                    decided_by, score, evidence, supersedes, decided_at, mode)
                SELECT line_id, determination, reason, voter_id, decided_by, score,
                       json_object('undone', true, 'decision', ?), ?, ?, 'undone'
                FROM determinations WHERE determination_id = ?""",
                [did, head if head is not None else did, now(), did])
            con.execute("UPDATE review_queue SET status = 'leased', lease_holder = ?, "
                        "lease_expires = ?, determination_id = NULL WHERE line_id = ?",
                        [reviewer, now() + timedelta(seconds=600), line_id])
            duplicates.resolve_lines(con, [line_id])
        return line_id


def release(ws: Any, reviewer: str) -> int:
    """Give back every lease the reviewer holds. Returns how many."""
    with _lock(ws):
        n = ws.con.execute("SELECT count(*) FROM review_queue WHERE status = 'leased' "
                           "AND lease_holder = ?", [reviewer]).fetchall()[0][0]
        if n:
            ws.con.execute("UPDATE review_queue SET status = 'open', lease_holder = NULL, "
                           "lease_expires = NULL WHERE status = 'leased' AND lease_holder = ?",
                           [reviewer])
        return n


def queue_stats(ws: Any) -> dict[str, Any]:
    with _lock(ws):
        t = now()
        rows = ws.con.execute("""
            SELECT CASE WHEN status = 'leased' AND lease_expires <= ? THEN 'open'
                        ELSE status END, count(*)
            FROM review_queue GROUP BY 1""", [t]).fetchall()
        by_rev = ws.con.execute("""
            SELECT lease_holder, count(*) FROM review_queue
            WHERE status = 'decided' GROUP BY 1""").fetchall()
    d = dict(rows)
    return {"open": d.get("open", 0), "leased": d.get("leased", 0),
            "decided": d.get("decided", 0), "total": sum(d.values()),
            "decided_by_reviewer": dict(by_rev)}


def import_decisions(ws: Any, csv_file: str | Path, actor: str) -> ImportReport:
    """Apply bulk decisions: CSV with line_id (or section_id,page,line), determination,
    reason, voter_id, note. Every row is checked first; problems name row and column."""
    problems: list[str] = []
    todo: list[tuple[str, str, str | None, str | None, str, str]] = []
    path = Path(csv_file)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        cols = {c.strip().lower() for c in (reader.fieldnames or [])}
        if "determination" not in cols or not ("line_id" in cols or
                                               {"section_id", "page", "line"} <= cols):
            raise ReviewError(f"{path.name}: needs columns line_id (or section_id,page,line) "
                              f"and determination; found {', '.join(sorted(cols))}")
        rows = list(reader)
    known = {r[0]: r[1] for r in ws.con.execute(
        "SELECT s.line_id, coalesce(q.mode, d.mode, 'full') FROM signatures s "
        "LEFT JOIN review_queue q USING (line_id) "
        "LEFT JOIN current_determinations d USING (line_id)").fetchall()}
    for i, raw in enumerate(rows, start=2):
        r = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        lid = r.get("line_id") or f"{r.get('section_id')}:{r.get('page')}:{r.get('line')}"
        det = r.get("determination", "").lower()
        reason = r.get("reason") or None
        if lid not in known:
            problems.append(f"{path.name} row {i}, column line_id: no line {lid}")
        elif det not in ("valid", "invalid"):
            problems.append(f"{path.name} row {i}, column determination: {det!r} is not "
                            "valid/invalid")
        elif det == "invalid" and reason not in REASONS:
            problems.append(f"{path.name} row {i}, column reason: {reason!r} is not a "
                            "reason code")
        elif reason == "OTHER" and not r.get("note"):
            problems.append(f"{path.name} row {i}, column note: OTHER needs a note")
        else:
            todo.append((lid, det, reason, r.get("voter_id") or None, r.get("note", ""),
                         known[lid]))
    applied = 0
    if not problems:
        with _lock(ws):
            touched: set[str] = set()
            for lid, det, reason, vid, note, mode in todo:
                mode = mode if mode in ("sample", "full") else "full"
                _record(ws, lid, actor, det, reason, vid, note, mode, "review_import",
                        resolve=False)
                touched.add(lid)
                applied += 1
            if touched:  # duplicates once, after every row is in
                with ws.transaction(actor, "resolve_duplicates",
                                    {"lines": len(touched)}) as con:
                    duplicates.resolve_lines(con, touched)
    return ImportReport(len(rows), applied, len(rows) - applied, tuple(problems))
