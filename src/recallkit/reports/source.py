"""The one converter from an open workspace to the plain data reports are made of."""

from __future__ import annotations

from typing import Any

from recallkit.reports.facts import PetitionFacts, gather


def workspace_facts(ws: Any) -> PetitionFacts:
    """Facts of the workspace's petition (raw count from the workspace module when it has one)."""
    raw = None
    try:
        from recallkit.workspace import raw_count  # type: ignore[attr-defined]

        result = raw_count(ws)
        raw = int(getattr(result, "total", result))
    except (ImportError, AttributeError, TypeError, ValueError):
        raw = None
    return gather(ws.con, raw_count=raw)


def workspace_projection(ws: Any, facts: PetitionFacts) -> dict[str, Any] | None:
    """The projection of the workspace's sample, or None when no sample decides."""
    if facts.method != "sample" or facts.sample_size == 0 or ws.pack.bands is None:
        return None
    if not facts.complete:
        return None  # no projection from a sample still under review
    try:
        from recallkit.verification.stages import project_workspace
    except ImportError:
        project_workspace = None
    if project_workspace is not None:
        return project_workspace(ws).as_dict()
    from recallkit.projection import project

    withdrawn = int(ws.con.execute(
        "SELECT count(*) FROM sample_determinations WHERE reason = 'WITHDRAWN'"
    ).fetchone()[0])
    return project(facts.raw_count, facts.sample_size, facts.sample_valid,
                   facts.sample_duplicates, facts.required, ws.pack,
                   withdrawn=withdrawn).as_dict()


def audit_verified(ws: Any) -> bool | None:
    """Whether the audit chain checks out (None when the checker is not available)."""
    try:
        from recallkit.workspace.audit import check_entries, read_entries
    except ImportError:
        return None
    return bool(check_entries(read_entries(ws.con)).ok)
