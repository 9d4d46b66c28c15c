"""Filing batches: state recalls are verified as their sections arrive.

For a state recall every signature is verified, county by county, as sections are filed,
and the county reports to the Secretary of State every 30 days (EC 11104, 11106). So the
workspace of such a petition keeps accepting sections and signature lines after
verification has begun, as a new *batch*; what it protects is each batch already verified:
its sections and lines cannot change (the stage lock applies per verified batch). A local
recall is different: its sample is drawn over the whole petition, so after the draw
nothing may change at all (EC 11225; see `Workspace.require_unlocked`).

Whether a petition files in batches is the rule pack's to say: the pack verifies every
signature (no sample) and sets a periodic report (`report_every_days`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from recallkit.workspace.db import StageLocked, Workspace

BATCH_KINDS = ("sections", "signatures")


@dataclass(frozen=True)
class Batch:
    """One filing batch. `verified`: verification has begun on it (a line of it has a
    determination or a review-queue item), so it can no longer change."""

    batch: int
    sections: int
    lines: int
    examined: int
    decided: int
    verified: bool
    first_filed: date | None
    last_filed: date | None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def files_in_batches(ws: Workspace) -> bool:
    """True when the rule pack verifies every signature and reports periodically
    (ca-state: EC 11104), so sections keep arriving while verification runs."""
    v = ws.pack.verification
    methods = tuple(v.get("methods", ()))
    return methods == ("full",) and "report_every_days" in v


def batches(ws: Workspace) -> list[Batch]:
    """Every batch of sections, in order, with its lines and how far verification got."""
    rows = ws.con.execute(
        "SELECT batch, sections, lines, examined, decided, verified, first_filed, last_filed "
        "FROM batches ORDER BY batch").fetchall()
    return [Batch(*r) for r in rows]


def open_batch(ws: Workspace) -> int:
    """The batch the next sections file joins: the latest batch while verification has not
    begun on it, else a new one (max(batch) + 1). 1 when no section is filed yet."""
    last = ws.con.execute(
        "SELECT batch, verified FROM batches ORDER BY batch DESC LIMIT 1").fetchall()
    if not last:
        return 1
    batch, verified = last[0]
    return batch + 1 if verified else batch


def unverified_lines_sql(batch: int | None = None) -> str:
    """SQL selecting `line_id` of raw-count lines with no current full-count determination,
    optionally of one batch: what an incremental full count still has to examine."""
    where = f" WHERE batch = {int(batch)}" if batch is not None else ""
    return f"SELECT line_id FROM unverified_lines{where}"


def import_gate(ws: Workspace, kind: str, what: str, replace: bool) -> int | None:
    """May an import of `kind` change the workspace now? Raises StageLocked if not.

    Returns None when the ordinary rules apply, or the open batch number when the petition
    files in batches and verification has begun: then sections join that batch and
    signature lines may belong only to sections of batches not yet verified.
    """
    stage = ws.stage
    if stage == "intake" or stage == "certified" or kind not in BATCH_KINDS \
            or not files_in_batches(ws):
        ws.require_unlocked(what)
        return None
    if replace:
        raise StageLocked(
            f"Cannot replace the {what}: verification has begun and batches already verified "
            "cannot change. Import the new sections and lines as a new batch (without "
            "--replace), or have a supervisor reopen the workspace (`recallkit reopen WS "
            "--reason TEXT`).")
    return open_batch(ws)


def batch_problems_sql(kind: str, batch: int, source_col: str) -> str:
    """INSERT INTO _problems the rows of the staged file (`_tv`) that would change a verified
    batch. `source_col` is the file's name for the section id column (for the rejects file)."""
    col = "'" + source_col.replace("'", "''") + "'"
    if kind == "sections":
        return (
            "INSERT INTO _problems SELECT rn, 'batch', batch::VARCHAR, 'verification has "
            f"begun, so new sections go in batch {batch} (not batch ' || batch::VARCHAR || "
            "'); leave batch empty or give the new batch' FROM _tv WHERE len(_bad) = 0 AND "
            f"rn NOT IN (SELECT rn FROM _problems) AND batch IS NOT NULL AND batch <> {batch}")
    return (
        f"INSERT INTO _problems SELECT t.rn, {col}, t.section_id, CASE WHEN x.section_id IS "
        "NULL THEN 'section ' || t.section_id || ' is not filed; while verification is under "
        "way a batch''s sections must be imported before its signature lines' ELSE 'section ' "
        "|| t.section_id || ' is in batch ' || x.batch::VARCHAR || ', which has already been "
        "verified; its lines cannot change (file new lines with new sections as a new batch, "
        "or have a supervisor reopen the workspace)' END FROM _tv t LEFT JOIN sections x "
        "USING (section_id) WHERE len(t._bad) = 0 AND t.rn NOT IN (SELECT rn FROM _problems) "
        "AND (x.section_id IS NULL OR x.batch IN (SELECT batch FROM batches WHERE verified))")
