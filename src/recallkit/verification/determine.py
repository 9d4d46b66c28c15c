"""Examine lines: match them, apply the reasons in order, write determinations.

Everything heavy is SQL over temp tables (see recallkit.matching); Python only moves
the results into the workspace inside one audited transaction.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from recallkit.matching import MatchRun, build_voters, match_entries, sqlscript
from recallkit.matching import signatures as _sig

SQL = (Path(__file__).parent / "determine.sql").read_text(encoding="utf-8")

# Reasons that need no identity decision (section-level, or the line itself is unusable).
IDENTITY_FREE = ("SIGNED_BEFORE_APPROVAL", "SECTION_FILED_LATE",
                 "CIRCULATOR_DECLARATION_DEFECT", "SECTION_FORMAT_DEFECT",
                 "WRONG_COUNTY_SECTION", "NO_SIGNATURE", "ILLEGIBLE", "NO_ADDRESS")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Examined:
    lines: int
    auto: int
    review: int
    run: MatchRun


# What examine reads after the withdrawals are matched (rk_v and rk_vh are reused, not
# rebuilt, by that match).
_KEPT = ("rk_s", "rk_match", "rk_top")


def _drop(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop the temp table or view `name`, if there is one."""
    for kind, in con.execute("SELECT 'TABLE' FROM duckdb_tables() WHERE temporary AND "
                             "table_name = $1 UNION ALL SELECT 'VIEW' FROM duckdb_views() "
                             "WHERE temporary AND view_name = $1", [name]).fetchall():
        con.execute(f"DROP {kind} {name}")


def _set_aside(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Keep `name` as `name`_keep: renamed when it is a table (copying the petition's
    rk_s/rk_match/... cost ~1 s at 125,000 lines), materialized when it is a view."""
    _drop(con, f"{name}_keep")
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
                   [name]).fetchall()[0][0]:
        con.execute(f"ALTER TABLE {name} RENAME TO {name}_keep")
    else:
        con.execute(f"CREATE TEMP TABLE {name}_keep AS SELECT * FROM {name}")


def prepare_support(con: duckdb.DuckDBPyConnection, run: MatchRun) -> None:
    """rk_wd: withdrawals matched to voters (rk_vh, the normalized history, is kept
    from the petition's match). The petition's rk_s and rk_match are kept; the other
    matching tables (rk_scored ...) are the withdrawals' afterwards.

    A withdrawal the engine could not tie to one voter (two JUAN GONZALEZ at one
    address) is kept for each plausible voter with `sure` false: it withdraws nobody
    by itself, but a line that may be one of those voters' goes to a person."""
    n_w = con.execute("SELECT count(*) FROM withdrawals").fetchall()[0][0]
    con.execute("CREATE OR REPLACE TEMP TABLE rk_wd "
                "(voter_id VARCHAR, date_received DATE, withdrawal_id INTEGER, sure BOOLEAN)")
    if n_w == 0:
        return
    for t in _KEPT:  # matching the withdrawals rebuilds them
        _set_aside(con, t)
    match_entries(con, "SELECT withdrawal_id::VARCHAR AS id, printed_name, residence_address, "
                       "city, zip FROM withdrawals", voters_ready=True, history_ready=True,
                  model=run.model,
                  epsilon=run.params["epsilon"], registered=run.params["registered_share"])
    con.execute(f"""
        INSERT INTO rk_wd
        SELECT t.voter_id, w.date_received, w.withdrawal_id,
               m.status = 'match' AND m.voter_id = t.voter_id
        FROM rk_top t JOIN rk_match m ON m.id = t.id
        JOIN withdrawals w ON w.withdrawal_id::VARCHAR = t.id
        WHERE t.voter_id IS NOT NULL
          AND ((m.status = 'match' AND m.voter_id = t.voter_id)
               OR (m.status = 'review' AND t.c.first >= 2 AND t.c.last >= 2
                   AND t.p >= {material_p(run.params["epsilon"])!r}))
    """)
    for t in _KEPT:
        _drop(con, t)
        con.execute(f"ALTER TABLE {t}_keep RENAME TO {t}")


def material_p(epsilon: float) -> float:
    """The posterior below which a candidate cannot change a decision taken at 1 − ε:
    even the TOP_K listed candidates together stay under ε."""
    return epsilon / 10


def _workspace_dir(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute("SELECT path FROM duckdb_databases() "
                      "WHERE database_name = current_database()").fetchone()
    return Path(row[0]).resolve().parent if row and row[0] else None


def _resolve(path: str, roots: list[Path]) -> str:
    p = Path(path)
    if p.is_absolute():
        return path
    for r in roots:
        if (r / p).is_file():
            return str(r / p)
    return path


def compare_signatures(con: duckdb.DuckDBPyConnection,
                       image_roots: list[Path] | None = None) -> dict[str, Any]:
    """rk_sig(line_id, similarity, state): each line matched to a voter whose signature is
    on file, compared with it (matching.signatures). state is 'compared', or 'no_image'
    when either side has no usable image (presumption of validity, 2 CCR 20960).
    Returns the run's signature parameters (threshold chosen from the distribution)."""
    rows = con.execute("""
        SELECT m.id, s.signature_image, v.signature_image
        FROM rk_match m JOIN signatures s ON s.line_id = m.id
        JOIN voters v ON v.voter_id = m.voter_id
        WHERE m.voter_id IS NOT NULL AND s.has_signature
          AND nullif(s.signature_image, '') IS NOT NULL
          AND nullif(v.signature_image, '') IS NOT NULL
    """).fetchall()
    roots = [*(image_roots or [])]
    ws = _workspace_dir(con)
    if ws is not None:
        roots += [ws, ws.parent]
    sims = _sig.compare_many((lid, _resolve(a, roots), [_resolve(b, roots)])
                             for lid, a, b in rows) if rows else {}
    got = [v for v in sims.values() if v is not None]
    thr = _sig.threshold(got)
    like = _sig.like_threshold(got)
    con.execute("CREATE OR REPLACE TEMP TABLE rk_sig "
                "(line_id VARCHAR, similarity DOUBLE, state VARCHAR)")
    if sims:
        sqlscript.from_arrow(con, "INSERT INTO rk_sig SELECT * FROM rk_arrow", pa.table({
            "line_id": pa.array(list(sims), pa.string()),
            "similarity": pa.array(list(sims.values()), pa.float64()),
            "state": pa.array(["compared" if v is not None else "no_image"
                               for v in sims.values()], pa.string())}))
    return {"method": "ink-grid/profiles/directions", "threshold": round(thr, 4),
            "like": None if like is None else round(like, 4),
            "compared": len(got), "unreadable": len(sims) - len(got),
            "below": sum(1 for v in got if v < thr)}


def examine(con: duckdb.DuckDBPyConnection, lines_sql: str,
            epsilon: float | None = None, *,
            image_roots: list[Path] | None = None,
            signature_identity: bool = True) -> Examined:
    """Match and reason the lines of `lines_sql` (one column line_id). Leaves rk_det.

    Relative signature image paths are looked up under `image_roots`, then the
    workspace directory. With `signature_identity` off, no identity is settled by a
    signature (it only sends lines to a person)."""
    with sqlscript.scratch_work(con):
        return _examine(con, lines_sql, epsilon, image_roots, signature_identity)


def _examine(con: duckdb.DuckDBPyConnection, lines_sql: str, epsilon: float | None,
             image_roots: list[Path] | None, signature_identity: bool) -> Examined:
    con.execute(f"CREATE OR REPLACE TEMP TABLE rk_lines AS {lines_sql}")
    build_voters(con)
    kw: dict[str, Any] = {} if epsilon is None else {"epsilon": epsilon}
    run = match_entries(
        con, "SELECT s.line_id AS id, printed_name, residence_address, city, zip "
             "FROM signatures s JOIN rk_lines USING (line_id)", voters_ready=True, **kw)
    prepare_support(con, run)
    sig = compare_signatures(con, image_roots)
    sig = {**sig, "settles_identity": signature_identity,
           "like": sig["like"] if signature_identity else None}
    run = dataclasses.replace(run, params={**run.params, "signatures": sig})
    like = 2.0 if sig["like"] is None else float(sig["like"])  # 2.0: never reached
    sqlscript.run(con, SQL.replace("{SIG_THRESHOLD}", repr(float(sig["threshold"])))
                 .replace("{SIG_LIKE}", repr(like))
                 .replace("{EPSILON}", repr(float(run.params["epsilon"])))
                 .replace("{MATERIAL_P}", repr(material_p(float(run.params["epsilon"])))))
    auto, review = con.execute(
        "SELECT count(*) FILTER (WHERE route = 'auto'), count(*) FILTER (WHERE route = "
        "'review') FROM rk_det").fetchall()[0]
    return Examined(auto + review, auto, review, run)


def write_results(con: duckdb.DuckDBPyConnection, run: MatchRun, mode: str,
                  started: datetime) -> int:
    """Record the run, its candidates, the automatic determinations and the queue.
    Call inside the workspace transaction. Returns the run id."""
    run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM match_runs").fetchall()[0][0]
    n = con.execute("SELECT count(*) FROM rk_det").fetchall()[0][0]
    con.execute("INSERT INTO match_runs VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, mode, json.dumps({**run.params, "timings": run.timings,
                                           "pairs": run.pairs}),
                 started, now(), n])
    con.execute(f"""
        INSERT INTO match_candidates
        SELECT {run_id}, id, voter_id, rank, c.score, to_json(c)
        FROM rk_top
        WHERE voter_id IS NOT NULL AND id IN (SELECT line_id FROM rk_det)
    """)
    ts = now()
    con.execute(f"""
        INSERT INTO determinations (line_id, determination, reason, voter_id, decided_by,
                                    score, evidence, supersedes, decided_at, mode)
        SELECT d.line_id, d.determination, d.reason,
               CASE WHEN d.status = 'match' THEN d.voter_id END,
               'engine:{run_id}', round(d.p_best, 6),
               to_json(struct_pack(reasons := d.reasons, p_match := round(d.p_best, 6),
                       p_nobody := round(d.p_none, 6), score := round(d.score, 3),
                       p_outcome := round(d.p_outcome, 6), settled_by := d.settled_by,
                       candidates := d.candidates, moved_ok := d.moved_ok,
                       withdrawal_received := d.withdrawal_received,
                       signature := struct_pack(similarity := round(d.sig_similarity, 4),
                                                state := d.sig_state),
                       top := t.top)),
               cur.determination_id, ?, ?
        FROM rk_det d
        -- the three best candidates as evidence, in rank order
        LEFT JOIN (SELECT id, list_transform(list_sort(list(struct_pack(k := rank, v := c))),
                                             lambda x: x.v) AS top
                   FROM rk_top
                   WHERE rank <= 3
                     AND id IN (SELECT line_id FROM rk_det WHERE route = 'auto')
                   GROUP BY id) t ON t.id = d.line_id
        LEFT JOIN current_determinations cur ON cur.line_id = d.line_id
        WHERE d.route = 'auto'
    """, [ts, mode])
    con.execute("""
        INSERT INTO review_queue (line_id, mode, reason_hint, doubt, priority, status,
                                  queued_at)
        SELECT line_id, ?,
               CASE WHEN p_none >= p_best THEN 'NOT_REGISTERED'
                    ELSE coalesce(
                        list_filter(reasons, lambda r: r <> 'NOT_REGISTERED')[1],
                        lean_reason, 'valid')
                    END || CASE WHEN voter_id IS NOT NULL AND p_best > p_none
                                THEN ' voter:' || voter_id ELSE '' END,
               doubt, 1 - abs(p_best - p_none), 'open', ?
        FROM rk_det WHERE route = 'review'
        ON CONFLICT (line_id) DO UPDATE SET mode = excluded.mode,
            reason_hint = excluded.reason_hint, doubt = excluded.doubt,
            priority = excluded.priority,
            status = 'open', lease_holder = NULL, lease_expires = NULL,
            determination_id = NULL, queued_at = excluded.queued_at
    """, [mode, ts])
    return run_id
