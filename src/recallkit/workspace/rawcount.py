"""The raw count and the workspace's status.

The raw count is every signature line with a signer's entry that is not struck (data
formats spec). If it is below the requirement, no further action is taken on the petition
(EC 11222(b) for local recalls; the pack names the section).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from recallkit.projection import raw_count_gate
from recallkit.workspace.batches import batches, files_in_batches
from recallkit.workspace.db import Workspace


@dataclass(frozen=True)
class RawCount:
    total: int
    by_section: dict[str, int]
    by_county: dict[str, int]
    required: int
    gate: str  # proceed | insufficient
    cite: str
    source: str = "signatures"  # signatures | sections (lines declared at filing)
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "required": self.required, "gate": self.gate,
                "cite": self.cite, "reason": self.reason, "source": self.source,
                "by_county": self.by_county, "by_section": self.by_section}


def _gate(ws: Workspace, total: int, required: int) -> tuple[str, str, str]:
    g = raw_count_gate(total, required, ws.pack)
    return g.outcome, g.cite, g.reason


def raw_count(ws: Workspace) -> RawCount:
    """Count from transcribed lines when there are any, else from the lines each section
    declared at filing (sections.signature_lines)."""
    con = ws.con
    required = ws.petition.required
    lines = con.execute("SELECT count(*) FROM signatures").fetchall()[0][0]
    if lines:
        source = "signatures"
        rows = con.execute(
            "SELECT s.section_id, coalesce(x.county, '(section not filed)'), count(*) "
            "FROM signatures s LEFT JOIN sections x USING (section_id) "
            "WHERE NOT s.struck GROUP BY ALL ORDER BY 1").fetchall()
    else:
        source = "sections"
        rows = con.execute("SELECT section_id, county, signature_lines FROM sections "
                           "ORDER BY section_id").fetchall()
    by_section = {r[0]: int(r[2]) for r in rows}
    by_county: dict[str, int] = {}
    for r in rows:
        by_county[r[1]] = by_county.get(r[1], 0) + int(r[2])
    total = sum(by_section.values())
    gate, cite, reason = _gate(ws, total, required)
    return RawCount(total, by_section, dict(sorted(by_county.items())), required, gate, cite,
                    source, reason)


TABLES_FOR_STATUS = ("voters", "voter_history", "sections", "signatures", "withdrawals",
                     "county_votes", "sample", "determinations", "review_queue")


def status(ws: Workspace, today: date | None = None) -> dict[str, Any]:
    """What is loaded, counts, stage, the next deadline: one dict for CLI and web."""
    p = ws.petition
    today = today or date.today()
    counts = {t: ws.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
              for t in TABLES_FOR_STATUS}
    imports = [
        {"import_id": r[0], "kind": r[1], "file": r[2], "read": r[3], "accepted": r[4],
         "rejected": r[5], "at": r[6].isoformat(), "replaced": r[7]}
        for r in ws.con.execute(
            "SELECT import_id, kind, file_name, read, accepted, rejected, imported_at, "
            "replaced FROM imports ORDER BY import_id").fetchall()
    ]
    deadlines = [("circulation_deadline", p.circulation_deadline)]
    for d in p.plan.get("deadlines") or []:  # the timeline's dated deadlines, with cites
        if isinstance(d, dict) and d.get("date"):
            try:
                deadlines.append((str(d.get("label") or d.get("name")),
                                  date.fromisoformat(str(d["date"])[:10])))
            except ValueError:
                continue
    upcoming = sorted((d, k) for k, d in deadlines if d >= today)
    nxt = {"name": upcoming[0][1], "date": upcoming[0][0].isoformat(),
           "days_left": (upcoming[0][0] - today).days} if upcoming else None
    return {
        "workspace": str(ws.path), "jurisdiction": p.jurisdiction, "office": p.office,
        "officer": p.officer, "rules": p.rules, "stage": p.stage, "required": p.required,
        "measure": p.measure, "format_approved": p.format_approved.isoformat(),
        "circulation_deadline": p.circulation_deadline.isoformat(),
        "filed": p.filed.isoformat() if p.filed else None, "counties": list(p.counties),
        "counts": counts, "imports": imports, "next_deadline": nxt,
        "served": (ws.path / ".serving").exists(),
        "batches": _batches(ws),
    }


def _batches(ws: Workspace) -> list[dict[str, Any]]:
    """Filing batches of a petition verified as sections arrive (state recalls)."""
    if not files_in_batches(ws):
        return []
    try:
        found = batches(ws)
    except duckdb.CatalogException:  # opened read-only before migration 3 ran
        return []
    return [{**b.as_dict(), "first_filed": b.first_filed and b.first_filed.isoformat(),
             "last_filed": b.last_filed and b.last_filed.isoformat()} for b in found]
