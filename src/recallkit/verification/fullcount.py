"""The full examination (EC 11224), when the sample's projection falls in the band
between the edges (ca-local: 90–110% of the requirement, EC 11225(a)), or when the
pack verifies every signature (state recalls) or the raw count allows no sample."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recallkit.verification import stages


@dataclass(frozen=True)
class FullCount:
    needed_because: str
    verify: stages.VerifyResult
    valid: int
    required: int
    undecided: int

    @property
    def outcome(self) -> str:
        """'sufficient' / 'insufficient' once every line is decided, else 'in_progress'."""
        if self.undecided:
            return "in_progress"
        return "sufficient" if self.valid >= self.required else "insufficient"


def full_count_needed(ws: Any) -> str | None:
    """Why a full count is needed now, or None."""
    if not ws.pack.samples:
        return "the rule pack verifies every signature"
    if not ws.con.execute("SELECT count(*) FROM sample").fetchall()[0][0]:
        return None
    proj = stages.project_workspace(ws)
    return "the projection falls between the bands" if proj.outcome == "full_count" else None


def run_full_count(ws: Any, actor: str, force: bool = False) -> FullCount:
    """Examine every raw-count line not yet examined (sampled lines keep the determination
    they got then) and count valid lines petition-wide (`full_count_determinations`)."""
    why = "requested" if force else full_count_needed(ws)
    if why is None:
        raise stages.VerificationError(
            "no full count is needed: the sample's projection is outside the full-count band "
            "(use force to examine every line anyway)")
    result = stages.verify(ws, "full", actor)
    valid, decided = ws.con.execute("""
        SELECT count(*) FILTER (WHERE determination = 'valid'), count(*)
        FROM full_count_determinations""").fetchall()[0]
    return FullCount(why, result, valid, ws.petition.required, stages.raw_count(ws) - decided)
