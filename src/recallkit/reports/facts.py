"""What a report or certificate states about a petition, read once from its workspace.

Every figure a county certifies must come from the workspace it was computed from, so
this module is the one place that reads petition facts (the petition row, raw count,
method, sample, imports, audit-log head) out of DuckDB. Reports, charts and the
certificate take the resulting `PetitionFacts` and never query on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from recallkit.workspace.db import Petition, read_petition


@dataclass(frozen=True)
class InputFile:
    """One imported file, as the `imports` table recorded it."""

    kind: str
    file_name: str
    file_sha256: str
    imported_at: str
    accepted: int
    rejected: int
    replaced: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file_name": self.file_name,
            "sha256": self.file_sha256,
            "imported_at": self.imported_at,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "replaced": self.replaced,
        }


@dataclass(frozen=True, kw_only=True)
class PetitionFacts(Petition):
    """The petition as its workspace knows it (its row, `Petition`, and what was counted
    and examined): inputs to every report and the certificate."""

    raw_count: int
    method: str  # sample | full | raw_count (nothing examined)
    sample_seed: str | None
    sample_seed_sha256: str | None
    sample_size: int
    sample_valid: int
    sample_duplicates: int
    examined: int
    valid: int
    invalid: int
    inputs: tuple[InputFile, ...]
    audit_head_seq: int | None
    audit_head_hash: str | None

    @property
    def complete(self) -> bool:
        """Every line of the method's universe has a current determination."""
        universe = self.sample_size if self.method == "sample" else self.raw_count
        return self.method != "raw_count" and self.examined >= universe

    def as_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["inputs"] = [i.as_dict() for i in self.inputs]
        d["counties"] = list(self.counties)
        for k in ("format_approved", "circulation_deadline", "filed", "created_at"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


def raw_count_sql() -> str:
    """Raw count (EC 11222(b), data-formats): every line with a signer's entry, not struck.

    Before transcription the sections' own line counts stand in for the lines.
    """
    return """
        SELECT CASE WHEN (SELECT count(*) FROM signatures) > 0
                    THEN (SELECT count(*) FROM signatures WHERE NOT struck)
                    ELSE (SELECT coalesce(sum(signature_lines), 0) FROM sections) END
    """


# Which determinations count for each method: the views of workspace migration 004, the
# one definition shared with verification and the web app.
METHOD_VIEWS = {"sample": "sample_determinations", "full": "full_count_determinations",
                "raw_count": "sample_determinations"}


def determinations_view(method: str) -> str:
    """The view holding the determinations a report by `method` counts."""
    return METHOD_VIEWS[method]


def choose_method(con: Any) -> str:
    """A full count, once begun, decides; else the sample; else only the raw count exists.

    The full count has begun when `verify --mode full` ran (audit log) or a full-count
    determination exists (workspaces verified before the log recorded it).
    """
    begun = con.execute(
        """SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'verify_full')
               OR EXISTS (SELECT 1 FROM determinations WHERE mode = 'full')""").fetchone()[0]
    if begun:
        return "full"
    if con.execute("SELECT count(*) FROM sample").fetchone()[0] > 0:
        return "sample"
    return "raw_count"


def audit_head(con: Any) -> tuple[int | None, str | None]:
    row = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (None, None)


def gather(con: Any, raw_count: int | None = None) -> PetitionFacts:
    """Read the facts of the petition in `con` (a workspace's DuckDB connection)."""
    p = read_petition(con)
    if p is None:
        raise ValueError("the workspace has no petition row; run `recallkit init` first")
    raw = int(con.execute(raw_count_sql()).fetchone()[0]) if raw_count is None else raw_count
    method = choose_method(con)
    draw = con.execute(
        "SELECT seed, seed_sha256, size FROM sample_draws ORDER BY draw_id DESC LIMIT 1"
    ).fetchone()
    sample_size = int(con.execute("SELECT count(*) FROM sample").fetchone()[0])
    sv, sd = con.execute(
        """SELECT count(*) FILTER (WHERE determination = 'valid'),
                  count(*) FILTER (WHERE reason = 'DUPLICATE')
           FROM sample_determinations"""
    ).fetchone()
    examined, valid = con.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE determination = 'valid')
            FROM {determinations_view(method)}"""
    ).fetchone()
    inputs = tuple(
        InputFile(str(r[0]), str(r[1]), str(r[2]), _iso(r[3]), int(r[4]), int(r[5]), bool(r[6]))
        for r in con.execute(
            """SELECT kind, file_name, file_sha256, imported_at, accepted, rejected, replaced
               FROM imports ORDER BY import_id"""
        ).fetchall()
    )
    seq, head = audit_head(con)
    return PetitionFacts(
        **{f.name: getattr(p, f.name) for f in fields(Petition)},
        raw_count=raw, method=method,
        sample_seed=draw[0] if draw else None, sample_seed_sha256=draw[1] if draw else None,
        sample_size=sample_size, sample_valid=int(sv), sample_duplicates=int(sd),
        examined=int(examined), valid=int(valid), invalid=int(examined) - int(valid),
        inputs=inputs, audit_head_seq=seq, audit_head_hash=head,
    )


def _iso(v: Any) -> str:
    return v.isoformat() if isinstance(v, (date, datetime)) else str(v)
