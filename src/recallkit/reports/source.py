"""The one converter from an open workspace to the plain data reports are made of."""

from __future__ import annotations

from typing import Any

from recallkit.reports.facts import PetitionFacts, gather
from recallkit.verification.stages import project_workspace
from recallkit.workspace import raw_count
from recallkit.workspace.audit import check_entries, read_entries


def workspace_facts(ws: Any) -> PetitionFacts:
    """Facts of the workspace's petition, with the raw count as the workspace counts it."""
    return gather(ws.con, raw_count=raw_count(ws).total)


def workspace_projection(ws: Any, facts: PetitionFacts) -> dict[str, Any] | None:
    """The projection of the workspace's sample, or None when no sample decides."""
    if facts.method != "sample" or facts.sample_size == 0 or ws.pack.bands is None:
        return None
    if not facts.complete:
        return None  # no projection from a sample still under review
    return project_workspace(ws).as_dict()


def audit_verified(ws: Any) -> bool:
    """Whether the workspace's audit chain checks out."""
    return bool(check_entries(read_entries(ws.con)).ok)
