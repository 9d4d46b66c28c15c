"""The hash-chained audit log.

Every change to a workspace appends one entry: who, what, with which parameters and
input-file hashes, when, and the SHA-256 of the previous entry. Each entry's hash covers
all of that, so altering, removing or reordering any entry breaks the chain from there on,
and `verify_audit` names the first entry that no longer checks out. The log is how a
county shows a court or an observer exactly what was done to the petition.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    params: dict[str, Any]
    input_hashes: dict[str, str]
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "at": self.at.isoformat(), "actor": self.actor,
            "action": self.action, "params": self.params, "input_hashes": self.input_hashes,
            "prev_hash": self.prev_hash, "hash": self.hash,
        }


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    entries: int
    first_broken_seq: int | None
    message: str


def canonical_json(obj: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept, dates as ISO strings."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_default)


def _default(obj: Any) -> Any:
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def entry_hash(seq: int, at: datetime, actor: str, action: str, params: dict[str, Any],
               input_hashes: dict[str, str], prev_hash: str) -> str:
    body = canonical_json({
        "seq": seq, "at": at.isoformat(), "actor": actor, "action": action,
        "params": params, "input_hashes": input_hashes, "prev_hash": prev_hash,
    })
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append_entry(con: duckdb.DuckDBPyConnection, actor: str, action: str,
                 params: dict[str, Any] | None = None,
                 input_hashes: dict[str, str] | None = None) -> AuditEntry:
    """Append one entry inside the caller's transaction (the change and its record commit
    together or not at all)."""
    # Round-trip params through JSON so the hash is over exactly what is stored.
    params = json.loads(canonical_json(params or {}))
    input_hashes = dict(input_hashes or {})
    rows = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()
    seq, prev = (rows[0][0] + 1, rows[0][1]) if rows else (1, GENESIS)
    at = datetime.now(UTC).replace(tzinfo=None)
    digest = entry_hash(seq, at, actor, action, params, input_hashes, prev)
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [seq, at, actor, action, canonical_json(params), canonical_json(input_hashes), prev,
         digest],
    )
    return AuditEntry(seq, at, actor, action, params, input_hashes, prev, digest)


def read_entries(con: duckdb.DuckDBPyConnection) -> list[AuditEntry]:
    rows = con.execute(
        'SELECT seq, "at", actor, action, params::VARCHAR, input_hashes::VARCHAR, prev_hash, hash '
        "FROM audit_log ORDER BY seq"
    ).fetchall()
    return [AuditEntry(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]), r[6], r[7])
            for r in rows]


def head_hash(con: duckdb.DuckDBPyConnection) -> str:
    """The hash of the newest entry: reports cite it so readers can tie them to the log."""
    rows = con.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()
    return rows[0][0] if rows else GENESIS


def check_entries(entries: list[AuditEntry]) -> AuditCheck:
    """Recompute the chain; the first entry whose hash, link or number is wrong is named."""
    prev = GENESIS
    for i, e in enumerate(entries, start=1):
        if e.seq != i:
            return AuditCheck(False, len(entries), e.seq,
                              f"entry {e.seq} is out of sequence (expected {i}): an entry "
                              "was removed or inserted")
        if e.prev_hash != prev:
            return AuditCheck(False, len(entries), e.seq,
                              f"entry {e.seq} does not link to entry {i - 1}: the chain is "
                              "broken there")
        actual = entry_hash(e.seq, e.at, e.actor, e.action, e.params, e.input_hashes,
                            e.prev_hash)
        if actual != e.hash:
            return AuditCheck(False, len(entries), e.seq,
                              f"entry {e.seq} ({e.action}) was altered: its hash does not "
                              "match its contents")
        prev = e.hash
    return AuditCheck(True, len(entries), None,
                      f"audit log intact: {len(entries)} entries, head {prev[:16]}…")


def verify_audit(ws: Any) -> AuditCheck:
    """Check a workspace's whole chain (`ws` is a Workspace; duck-typed to avoid a cycle)."""
    return check_entries(read_entries(ws.con))
