"""The verification stages on a workspace: draw the sample, verify, project, progress.

draw_sample records (and thereby locks) the seed in the same transaction as the draw,
so the seed can never be chosen after seeing the sample. verify examines the sample or
every line of the raw count; it is incremental — a line that already has a
determination, or sits in the review queue, is not examined again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from recallkit import projection as _projection
from recallkit import sampling
from recallkit.matching import sqlscript
from recallkit.verification import duplicates
from recallkit.verification.determine import examine, now, write_results

RAW_LINES = "SELECT line_id FROM signatures WHERE NOT struck"


class VerificationError(ValueError):
    """A stage cannot run; the message says why, for people."""


@contextmanager
def _opened(ws: Any) -> Iterator[Any]:
    """Accept an open Workspace, or a workspace directory (opened and closed here)."""
    if hasattr(ws, "con"):
        yield ws
        return
    from recallkit.workspace.db import WorkspaceError, open_workspace

    try:
        opened = open_workspace(Path(ws))
    except WorkspaceError as exc:
        raise VerificationError(str(exc)) from exc
    try:
        yield opened
    finally:
        opened.close()


@dataclass(frozen=True)
class VerifyResult:
    mode: str
    run_id: int | None
    examined: int
    decided_automatically: int
    queued_for_review: int
    duplicates: dict[str, int]
    by_reason: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def raw_count(ws: Any) -> int:
    return ws.con.execute(f"SELECT count(*) FROM ({RAW_LINES})").fetchall()[0][0]


def draw_sample(ws: Any, seed: str, actor: str,
                size: int | None = None) -> list[sampling.SampledLine]:
    """Record the seed and draw the sample (EC 11225; sampling.md). Returns the line ids.

    A second call with the same seed and a larger size extends the sample (the consistent
    order makes the old sample a prefix of the new); a different seed is refused. A raw
    count below the requirement is refused too: no further action is taken on such a
    petition (EC 11222(b)), so there is nothing to sample.
    """
    with _opened(ws) as w:
        return _draw(w, seed, actor, size)


def _draw(ws: Any, seed: str, actor: str, size: int | None) -> list[sampling.SampledLine]:
    seed = sampling.validate_seed(seed)
    prior = ws.con.execute("SELECT seed, size FROM sample_draws ORDER BY draw_id").fetchall()
    if prior and prior[0][0] != seed:
        raise VerificationError(
            "the sample seed is already recorded and locked; a different seed cannot be "
            "used for this petition")
    ids = [r[0] for r in ws.con.execute(RAW_LINES + " ORDER BY line_id").fetchall()]
    gate = _projection.raw_count_gate(len(ids), ws.petition.required, ws.pack)
    if gate.outcome != "proceed":  # no further action on the petition (EC 11222(b))
        raise VerificationError(f"no sample is drawn: {gate.reason} ({gate.cite})")
    if size is None:
        size = statutory = sampling.sample_size(ws.pack, len(ids)).size
    else:  # an explicit size is recorded beside the statute's, which may not apply
        try:
            statutory = sampling.sample_size(ws.pack, len(ids)).size
        except sampling.SamplingError:
            statutory = None
    if prior and size <= prior[-1][1]:
        raise VerificationError(f"the sample already has {prior[-1][1]:,} lines")
    drawn = sampling.draw(seed, ids, size)
    have = len(prior) and prior[-1][1]
    params = {"seed": seed, "size": size, "universe": len(ids), "statutory_size": statutory}
    with ws.transaction(actor, "sample_draw", params) as con:
        draw_id = con.execute(
            "SELECT coalesce(max(draw_id), 0) + 1 FROM sample_draws").fetchall()[0][0]
        con.execute("INSERT INTO sample_draws VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [draw_id, seed, sampling.seed_hash(seed), len(ids),
                     size, now(), actor])
        new = drawn[have:]
        sqlscript.from_arrow(con, "INSERT INTO sample SELECT * FROM rk_arrow", pa.table({
            "line_id": pa.array([s.id for s in new], pa.string()),
            "position": pa.array([s.position for s in new], pa.int64()),
            "ticket": pa.array([s.ticket_hex for s in new], pa.string()),
            "draw_id": pa.array([draw_id] * len(new), pa.int32())}))
        if ws.petition.stage == "intake":
            con.execute("UPDATE petition SET stage = 'sampled' WHERE id = 1")
    return drawn


def _pending_sql(mode: str) -> str:
    """Lines the engine still has to examine in `mode`. Examined once is examined: a line
    with a current determination (from any stage, for the full count) or an open queue
    item is not examined again; a sampled line needs its own sample determination (or a
    reviewer's decision)."""
    if mode == "sample":
        scope = "SELECT line_id FROM sample"
        done = """SELECT line_id FROM sample_determinations
                  UNION SELECT line_id FROM current_determinations
                        WHERE decided_by LIKE 'reviewer:%'"""
    else:
        scope, done = RAW_LINES, "SELECT line_id FROM current_determinations"
    return f"""
        SELECT line_id FROM ({scope})
        WHERE line_id NOT IN ({done})
          AND line_id NOT IN (SELECT line_id FROM review_queue WHERE status <> 'decided')
    """


def verify(ws: Any, mode: str, actor: str, epsilon: float | None = None,
           signature_identity: bool = True) -> VerifyResult:
    """Examine the sample (mode 'sample') or every raw-count line (mode 'full').

    `signature_identity=False` keeps signatures to their review role only: a signature
    like the one on file no longer settles an identity the names left open (a county
    that wants a person on every such line)."""
    with _opened(ws) as w:
        return _verify(w, mode, actor, epsilon, signature_identity)


def _verify(ws: Any, mode: str, actor: str, epsilon: float | None,
            signature_identity: bool = True) -> VerifyResult:
    if mode not in ("sample", "full"):
        raise VerificationError("mode must be 'sample' or 'full'")
    if mode == "sample":
        if not ws.con.execute("SELECT count(*) FROM sample").fetchall()[0][0]:
            raise VerificationError(
                "no sample has been drawn; run `recallkit sample draw WS --seed SEED` first")
    started = now()
    con = ws.con
    pending = con.execute(f"SELECT count(*) FROM ({_pending_sql(mode)})").fetchall()[0][0]
    run_id = None
    auto = review = 0
    timings: dict[str, float] = {}
    if pending:
        ex = examine(con, _pending_sql(mode), epsilon,
                     signature_identity=signature_identity)
        auto, review, timings = ex.auto, ex.review, ex.run.timings
    params: dict[str, Any] = {"mode": mode, "examined": pending}
    with ws.transaction(actor, f"verify_{mode}", params) as tx:
        if pending:
            run_id = write_results(tx, ex.run, mode, started)
            params["run_id"] = run_id
        dup = duplicates.resolve(tx, mode)
        if mode == "sample" and duplicates.full_count_begun(tx):
            duplicates.resolve(tx, "full")
        params.update(auto=auto, review=review, duplicates=dup)
        if ws.petition.stage in ("intake", "sampled"):
            tx.execute("UPDATE petition SET stage = 'verifying' WHERE id = 1")
    ensure_export_view(con)
    return VerifyResult(mode, run_id, pending, auto, review, dup, by_reason(ws, mode), timings)


def determinations_view(mode: str) -> str:
    """The view that says which determinations count for `mode` (migration 004)."""
    return duplicates.BASIS[mode]


def by_reason(ws: Any, mode: str) -> dict[str, int]:
    rows = ws.con.execute(f"""
        SELECT coalesce(reason, 'valid'), count(*) FROM {determinations_view(mode)}
        GROUP BY 1 ORDER BY 2 DESC""").fetchall()
    return {r: n for r, n in rows}


def sample_figures(ws: Any) -> dict[str, int]:
    """S, V, D (and the undecided and withdrawn) of the sample, from
    `sample_determinations`: what the projection reads (2 CCR 20530-20532)."""
    s, v, d, undecided, withdrawn = ws.con.execute("""
        SELECT (SELECT count(*) FROM sample),
               count(*) FILTER (WHERE l.determination = 'valid'),
               count(*) FILTER (WHERE l.reason = 'DUPLICATE'),
               (SELECT count(*) FROM sample) - count(l.line_id),
               count(*) FILTER (WHERE l.reason = 'WITHDRAWN')
        FROM sample s LEFT JOIN sample_determinations l USING (line_id)
    """).fetchall()[0]
    return {"sample": s, "valid": v, "duplicates": d, "undecided": undecided,
            "withdrawn": withdrawn}


def project_workspace(ws: Any, variant: str | None = None) -> _projection.Projection:
    """The 2 CCR 20530–20532 projection on this workspace's sample (after review):
    V = valid sampled lines, D = duplicates within the sample, S, R = raw count."""
    with _opened(ws) as w:
        return _project(w, variant)


def _project(ws: Any, variant: str | None) -> _projection.Projection:
    fig = sample_figures(ws)
    if fig["sample"] == 0:
        raise VerificationError("no sample has been drawn")
    if fig["undecided"]:
        raise VerificationError(
            f"{fig['undecided']:,} sampled lines have no determination yet (verify the "
            "sample and finish the review queue first)")
    return _projection.project(raw_count(ws), fig["sample"], fig["valid"], fig["duplicates"],
                               ws.petition.required, ws.pack, variant)


def progress(ws: Any) -> dict[str, Any]:
    with _opened(ws) as w:
        return _progress(w)


def _progress(ws: Any) -> dict[str, Any]:
    con = ws.con
    q = dict(con.execute("SELECT status, count(*) FROM review_queue GROUP BY 1").fetchall())
    decided = con.execute("SELECT count(*) FROM full_count_determinations").fetchall()[0][0]
    return {"raw_count": raw_count(ws), "decided": decided, "sample": sample_figures(ws),
            "queue": {k: q.get(k, 0) for k in ("open", "leased", "decided")},
            "stage": ws.petition.stage}


def ensure_export_view(con: Any) -> None:
    """determinations_export: what auditors get (`recallkit export WS determinations`):
    one row per examined line, its current determination (undo markers are never current)."""
    con.execute("""
        CREATE OR REPLACE VIEW determinations_export AS
        SELECT s.section_id, s.page, s.line, d.determination, d.reason, d.voter_id,
               d.decided_by, d.score, d.mode, d.decided_at, d.determination_id
        FROM current_determinations d JOIN signatures s USING (line_id)
        ORDER BY s.section_id, s.page, s.line
    """)
