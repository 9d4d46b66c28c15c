"""Exports of workspace tables as CSV, JSON or Parquet.

Every public table can be exported for auditors and observers; `users` (password hashes)
never is. Exports with voter ids and names are for officials (signatures are not public
records, Gov. Code §7924.110); the public sees aggregates only.
"""

from __future__ import annotations

from pathlib import Path

from recallkit.workspace.db import Workspace, WorkspaceError

EXPORTABLE = (
    "petition", "voters", "voter_history", "sections", "signatures", "withdrawals",
    "county_votes", "imports", "sample_draws", "sample", "match_runs", "match_candidates",
    "determinations", "current_determinations", "review_queue", "audit_log",
)
FORMATS = ("csv", "json", "parquet")


def export_table(ws: Workspace, table: str, fmt: str, out: str | Path,
                 actor: str | None = None) -> Path:
    """Write `table` to `out`; rows in a stable order (by the table's first column)."""
    if table not in EXPORTABLE:
        raise WorkspaceError(f"cannot export {table!r}; tables: {', '.join(EXPORTABLE)}")
    if fmt not in FORMATS:
        raise WorkspaceError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    options = {"csv": "(HEADER, DELIMITER ',')", "json": "(FORMAT json, ARRAY true)",
               "parquet": "(FORMAT parquet)"}[fmt]
    target = str(out).replace("'", "''")
    ws.con.execute(f"COPY (SELECT * FROM {table} ORDER BY 1) TO '{target}' {options}")
    if actor and not ws.read_only:
        ws.audit(actor, "export", {"table": table, "format": fmt, "file": out.name})
    return out
