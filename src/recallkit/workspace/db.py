"""A petition's workspace: one directory, one DuckDB file, all writes through here.

    WS/petition.duckdb   the schema of migrations/*.sql
    WS/rejects/          rows an import could not accept, with reasons
    WS/exports/ WS/reports/

Every change runs in `Workspace.transaction`, which writes the change and its audit-log
entry in the same database transaction: either both are there or neither is, so a failed
or killed command leaves the workspace as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from recallkit.explain import plain
from recallkit.rules import RulePack, load_pack, required_signatures
from recallkit.timeline import plan_recall
from recallkit.workspace.audit import AuditEntry, append_entry

DB_NAME = "petition.duckdb"
SERVING_LOCK = ".serving"
STAGES = ("intake", "sampled", "verifying", "certified")
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class WorkspaceError(Exception):
    """A workspace cannot do what was asked; the message says why, for people."""


class StageLocked(WorkspaceError):
    """Inputs are frozen once sampling or verification has begun."""


@dataclass(frozen=True)
class Petition:
    rules: str
    jurisdiction: str
    office: str
    officer: str
    office_kind: str | None
    measure: int
    required: int
    format_approved: date
    circulation_deadline: date
    filed: date | None
    counties: tuple[str, ...]
    stage: str
    created_at: datetime
    plan: dict[str, Any] = field(default_factory=dict)


def read_petition(con: duckdb.DuckDBPyConnection) -> Petition | None:
    """The petition row of a workspace's connection (None before `recallkit init`)."""
    rows = con.execute(
        "SELECT rules, jurisdiction, office, officer, office_kind, measure, required, "
        "format_approved, circulation_deadline, filed, counties, stage, created_at, "
        "plan_json::VARCHAR FROM petition WHERE id = 1"
    ).fetchall()
    if not rows:
        return None
    row = rows[0]
    return Petition(*row[:10], tuple(row[10] or ()), *row[11:13],
                    json.loads(row[13]) if row[13] else {})


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def migrations() -> list[tuple[int, Path]]:
    """Numbered SQL files, applied in order: NNN_name.sql."""
    out = []
    for p in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = re.match(r"(\d+)_", p.name)
        if m:
            out.append((int(m.group(1)), p))
    return out


def _applied_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    sql = "SELECT coalesce(max(version), 0) FROM schema_migrations"
    return con.execute(sql).fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations, each in its own transaction. Returns the versions applied."""
    done = _applied_version(con)
    applied = []
    for version, path in migrations():
        if version <= done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                        [version, datetime.now(UTC).replace(tzinfo=None)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def is_served(path: str | Path) -> bool:
    """The web server writes WS/.serving while it is the workspace's single writer."""
    return (Path(path) / SERVING_LOCK).exists()


class Workspace:
    """An open workspace. Use as a context manager or call `close()`."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, read_only: bool) -> None:
        self.path = path
        self.db_path = path / DB_NAME
        self.rejects_dir = path / "rejects"
        self.exports_dir = path / "exports"
        self.reports_dir = path / "reports"
        self.con = con
        self.read_only = read_only
        self._pack: RulePack | None = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.con.close()
        except duckdb.Error:
            pass

    @property
    def petition(self) -> Petition:
        p = read_petition(self.con)
        if p is None:
            raise WorkspaceError(f"{self.path} has no petition recorded (run `recallkit init`)")
        return p

    @property
    def pack(self) -> RulePack:
        if self._pack is None:
            self._pack = load_pack(self.petition.rules)
        return self._pack

    @property
    def stage(self) -> str:
        return self.petition.stage

    @contextmanager
    def transaction(self, actor: str, action: str, params: dict[str, Any],
                    input_hashes: dict[str, str] | None = None
                    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """BEGIN … the block's writes … audit entry … COMMIT; ROLLBACK on any error.

        The audit entry is written when the block ends, so the block may add its results
        (counts, ids) to `params` and `input_hashes` and they are recorded.
        """
        if self.read_only:
            raise WorkspaceError(f"{self.path} is open read-only")
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
            append_entry(self.con, actor, action, params, input_hashes)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def audit(self, actor: str, action: str, params: dict[str, Any],
              input_hashes: dict[str, str] | None = None) -> AuditEntry:
        """A standalone entry (for actions that change nothing else, e.g. an export)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            entry = append_entry(self.con, actor, action, params, input_hashes)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return entry

    def require_unlocked(self, what: str) -> None:
        """Voters, sections and signatures are the facts the sample and determinations rest
        on; once a sample is drawn they may change only after an audited reopen."""
        stage = self.stage
        if stage != "intake":
            raise StageLocked(
                f"Cannot change {what} after the sample has been drawn or verification has "
                f"begun (stage: {stage}). A supervisor can reopen the workspace with "
                "`recallkit reopen WS --reason TEXT`; the reopen is recorded in the audit log."
            )

    @property
    def files_in_batches(self) -> bool:
        """State recalls: sections keep arriving while verification runs (EC 11104)."""
        from recallkit.workspace.batches import files_in_batches

        return files_in_batches(self)

    def open_batch(self) -> int:
        """The batch the next sections file joins (see recallkit.workspace.batches)."""
        from recallkit.workspace.batches import open_batch

        return open_batch(self)

    def batches(self) -> list[Any]:
        """Every filing batch with its lines and whether verification has begun on it."""
        from recallkit.workspace.batches import batches

        return batches(self)

    def set_stage(self, stage: str, actor: str) -> None:
        if stage not in STAGES:
            raise WorkspaceError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
        before = self.stage
        with self.transaction(actor, "set_stage", {"from": before, "to": stage}):
            self.con.execute("UPDATE petition SET stage = ? WHERE id = 1", [stage])


def _connect(db_path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        con = duckdb.connect(str(db_path), read_only=read_only)
        con.execute("SET enable_progress_bar = false")
        return con
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WorkspaceError(
                f"{db_path.parent} is in use by another process; close it and try again"
            ) from exc
        raise WorkspaceError(f"cannot open {db_path}: {exc}") from exc


def _plan(pack: RulePack, measure: int, format_approved: date,
          office_kind: str | None) -> tuple[date, dict[str, Any]]:
    """The circulation deadline and the whole timeline, kept with the petition."""
    plan = plan_recall(pack, measure, format_approved=format_approved, office_kind=office_kind)
    assert plan.circulation_deadline is not None  # an approval date always dates it
    return plan.circulation_deadline, plain(plan)


def create_workspace(path: str | Path, *, rules: str, jurisdiction: str, office: str,
                     officer: str, measure: int, format_approved: date,
                     counties: list[str] | tuple[str, ...], office_kind: str | None = None,
                     filed: date | None = None, actor: str = "cli") -> Workspace:
    """Make WS/ with its database, record the petition, its requirement and its timeline."""
    path = Path(path)
    if (path / DB_NAME).exists():
        raise WorkspaceError(f"{path} already holds a workspace")
    pack = load_pack(rules)
    need = required_signatures(pack, measure, office_kind)
    deadline, plan = _plan(pack, measure, format_approved, office_kind)
    plan = {**plan, "required_signatures": plain(need)}
    if not counties:
        raise WorkspaceError("name at least one county the jurisdiction covers (--county)")
    path.mkdir(parents=True, exist_ok=True)
    for sub in ("rejects", "exports", "reports"):
        (path / sub).mkdir(exist_ok=True)
    con = _connect(path / DB_NAME, read_only=False)
    migrate(con)
    ws = Workspace(path, con, read_only=False)
    params = {
        "rules": rules, "jurisdiction": jurisdiction, "office": office, "officer": officer,
        "office_kind": office_kind, "measure": measure, "required": need.value,
        "format_approved": format_approved.isoformat(),
        "circulation_deadline": deadline.isoformat(),
        "filed": filed.isoformat() if filed else None, "counties": list(counties),
    }
    with ws.transaction(actor, "init", params):
        con.execute(
            "INSERT INTO petition (id, rules, jurisdiction, office, officer, office_kind, "
            "measure, required, format_approved, circulation_deadline, filed, counties, stage, "
            "created_at, plan_json) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'intake', ?, ?)",
            [rules, jurisdiction, office, officer, office_kind, measure, need.value,
             format_approved, deadline, filed, list(counties),
             datetime.now(UTC).replace(tzinfo=None), json.dumps(plan)],
        )
    return ws


# voters.voter_id is looked up one voter at a time (review screens, candidates); migration 2
# dropped the primary key because maintaining it was most of a 5.7M-row import, so
# migration 5 made this plain index, and the voters import drops it first and rebuilds it
# after its transaction has committed (one bulk build, about 3.5 s at LA scale).
VOTER_INDEX = "voters_voter_id"


def ensure_voter_index(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE INDEX IF NOT EXISTS {VOTER_INDEX} ON voters (voter_id)")


def open_workspace(path: str | Path, read_only: bool = False) -> Workspace:
    """Open WS/ and bring its schema up to date (pending migrations run on write opens)."""
    path = Path(path)
    db = path / DB_NAME
    if not db.exists():
        raise WorkspaceError(f"{path} is not a workspace (no {DB_NAME}); create one with "
                             "`recallkit init`")
    con = _connect(db, read_only=read_only)
    if not read_only:
        migrate(con)
        # a voters import rebuilds this index after its commit; a process killed in
        # between leaves the voters without it (lookups slow down, nothing else)
        ensure_voter_index(con)
    for sub in ("rejects", "exports", "reports"):
        if not read_only:
            (path / sub).mkdir(exist_ok=True)
    return Workspace(path, con, read_only)


SUPERVISOR_ROLES = ("supervisor", "admin")
ACTOR_PREFIXES = ("web:", "cli:")  # how the web app and the CLI name people in the audit log


class NotAllowed(WorkspaceError):
    """The named person may not do this in this workspace."""


def require_role(ws: Workspace | duckdb.DuckDBPyConnection, actor: str,
                 roles: Iterable[str], action: str = "do this") -> str | None:
    """Check that `actor` may act in one of `roles`; return their role.

    A workspace without web accounts (empty `users`) belongs to whoever runs the CLI on it:
    the name is recorded as given in the audit log and None is returned. Once accounts
    exist, the name must be an enabled account with one of `roles` (architecture: only a
    supervisor files sections, draws, reopens and certifies). `web:NAME` and `cli:NAME`
    are looked up as NAME. The CLI cannot check a password: the web app authenticates, the
    CLI relies on who can open the workspace's files, and the audit log records the name.
    """
    allowed = tuple(roles)
    name = (actor or "").strip()
    if not name:
        raise NotAllowed(f"name who is to {action} (--actor NAME); it goes in the audit log")
    con = getattr(ws, "con", ws)  # a Workspace (or a wrapper of one) or a connection
    if con.execute("SELECT count(*) FROM users").fetchall()[0][0] == 0:
        return None
    names = [name] + [name[len(p):] for p in ACTOR_PREFIXES if name.startswith(p)]
    for n in names:
        rows = con.execute("SELECT role, disabled FROM users WHERE username = ?",
                           [n]).fetchall()
        if rows:
            role, disabled = rows[0]
            if not disabled and role in allowed:
                return str(role)
            break
    who = " or ".join(allowed) or "(no role)"
    raise NotAllowed(f"{actor!r} is not an enabled {who} of this workspace; only a {who} "
                     f"may {action}")


def reopen(ws: Workspace, actor: str, reason: str) -> None:
    """A supervisor's explicit, audited return to intake so inputs can be corrected.
    With web accounts, only an enabled supervisor (or admin) may; see `require_role`."""
    require_role(ws, actor, SUPERVISOR_ROLES, action="reopen the workspace")
    if not reason or not reason.strip():
        raise WorkspaceError("a reopen needs a reason (--reason TEXT); it goes in the audit log")
    before = ws.stage
    if before == "intake":
        raise WorkspaceError("the workspace is already open for changes (stage: intake)")
    with ws.transaction(actor, "reopen", {"from": before, "to": "intake",
                                          "reason": reason.strip()}):
        ws.con.execute("UPDATE petition SET stage = 'intake' WHERE id = 1")
