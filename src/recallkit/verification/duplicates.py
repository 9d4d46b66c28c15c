"""Duplicates: one signature of a voter counts, the rest are invalid.

The first *otherwise-valid* occurrence in filing order — (date_filed, section_id, page,
line), numbers compared as numbers — counts (data-formats.md; the rule pack's
[duplicates] table). Duplicates are an overlay on the other reasons: a line is a
candidate when its determination is valid or DUPLICATE (DUPLICATE is only ever given to
otherwise-valid lines). After a review changes an earlier line, rerunning this pass turns
a later DUPLICATE back into valid, always by appending a new determination.

Scope and basis (the views of migration 004):
- sample mode: the lines of the sample, read through `sample_determinations` — the D of
  the projection formula (2 CCR 20530–20532), duplicates *within the sample*;
- full mode: every raw-count line, read through `full_count_determinations` — sampled
  lines included, so a sampled line that repeats a voter found earlier elsewhere in the
  petition becomes DUPLICATE in the full count (a 'full' row, which the sample's figures
  do not read).

Every appended row supersedes the line's *current* row, so each line keeps one chain.
`voters` limits the pass to those voters' lines: after one review decision only the
decided line's voters can change, and the pass stays cheap at county scale.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from recallkit.verification.determine import now

BASIS = {"sample": "sample_determinations", "full": "full_count_determinations"}


def full_count_begun(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a full count has started (a `verify_full` is in the audit log)."""
    return bool(con.execute("SELECT count(*) FROM audit_log WHERE action = 'verify_full'"
                            ).fetchall()[0][0])


def resolve(con: duckdb.DuckDBPyConnection, mode: str,
            voters: Iterable[str] | None = None) -> dict[str, int]:
    """Append the determinations that make DUPLICATE right for `mode`. Returns counts.

    With `voters`, only those voters' lines are reconsidered (an empty set does nothing).
    """
    if mode not in BASIS:
        raise ValueError(f"duplicates mode must be 'sample' or 'full', not {mode!r}")
    only = ""
    basis = BASIS[mode]
    params: list[object] = []
    if voters is not None:
        wanted = sorted({v for v in voters if v})
        if not wanted:
            return {"new_duplicates": 0, "restored_valid": 0}
        only = "AND c.voter_id IN (SELECT unnest($1::VARCHAR[]))"
        params.append(wanted)
        basis = _basis_of_voters(mode)
    ranked = f"""
        WITH cand AS (
            -- not the evidence (a large JSON): it is read for the few rows written
            SELECT c.determination_id, c.line_id, c.determination, c.reason, c.voter_id,
                   c.score, s.page, s.line, sec.date_filed, s.section_id
            FROM {basis} c
            JOIN signatures s USING (line_id)
            LEFT JOIN sections sec ON sec.section_id = s.section_id
            WHERE c.voter_id IS NOT NULL {only}
              AND (c.determination = 'valid' OR c.reason = 'DUPLICATE')
        ), ranked AS (
            SELECT *, row_number() OVER (PARTITION BY voter_id
                      ORDER BY date_filed, section_id, page, line) AS occurrence,
                   first_value(line_id) OVER (PARTITION BY voter_id
                      ORDER BY date_filed, section_id, page, line) AS first_line
            FROM cand
        )
        SELECT * FROM ranked
        WHERE (occurrence = 1 AND reason = 'DUPLICATE')
           OR (occurrence > 1 AND determination = 'valid')
    """
    if voters is not None:
        # After one decision there is usually nothing to change: look first, in one query,
        # and build the table of changes only when there is something to write. (The
        # occurrences are counted here: an aggregate over this query makes DuckDB plan the
        # whole petition's determinations, 30x slower.)
        found = con.execute(f"SELECT occurrence FROM ({ranked})", params).fetchall()
        if not found:
            return {"new_duplicates": 0, "restored_valid": 0}
    con.execute(f"CREATE OR REPLACE TEMP TABLE rk_dup AS {ranked}", params)
    made = con.execute("SELECT count(*) FILTER (WHERE occurrence > 1), "
                       "count(*) FILTER (WHERE occurrence = 1) FROM rk_dup").fetchall()[0]
    if made[0] or made[1]:
        con.execute(f"""
            INSERT INTO determinations (line_id, determination, reason, voter_id, decided_by,
                                        score, evidence, supersedes, decided_at, mode)
            SELECT r.line_id,
                   CASE WHEN r.occurrence > 1 THEN 'invalid' ELSE 'valid' END,
                   CASE WHEN r.occurrence > 1 THEN 'DUPLICATE' END,
                   r.voter_id, 'rule:duplicates', r.score,
                   to_json(struct_pack(first_occurrence := r.first_line,
                                       occurrence := r.occurrence,
                                       previous := e.evidence)),
                   coalesce(h.determination_id, r.determination_id), ?, '{mode}'
            FROM rk_dup r
            JOIN (SELECT determination_id, evidence FROM determinations) e
                 ON e.determination_id = r.determination_id
            LEFT JOIN (SELECT line_id, determination_id FROM current_determinations
                       WHERE line_id IN (SELECT line_id FROM rk_dup)) h USING (line_id)
        """, [now()])
    return {"new_duplicates": made[0], "restored_valid": made[1]}


def _basis_of_voters(mode: str) -> str:
    """The rows of BASIS[mode] for the lines ever matched to the voters in $1.

    The same reading as the views of migration 004, applied to those lines' rows only:
    every writer supersedes the *same line's* current row (one chain per line), so a
    line's own rows say which of them is current. Over the whole table the view's
    anti-join costs ~30 ms per review decision at Los Angeles scale; over a few lines'
    rows it is a lookup. Kept equal to the views by tests/test_review_determination_views.
    """
    mine = """(SELECT * FROM determinations WHERE line_id IN (
                 SELECT line_id FROM determinations
                 WHERE voter_id IN (SELECT unnest($1::VARCHAR[]))))"""
    if mode == "sample":
        return f"""(SELECT * EXCLUDE (k) FROM (
            SELECT d.*, row_number() OVER (PARTITION BY d.line_id
                                           ORDER BY d.determination_id DESC) AS k
            FROM {mine} d
            WHERE d.mode IN ('sample', 'undone')
              AND d.line_id IN (SELECT line_id FROM sample)
        ) WHERE k = 1 AND mode = 'sample')"""
    return f"""(SELECT d.* FROM {mine} d
        WHERE d.mode <> 'undone'
          AND NOT EXISTS (SELECT 1 FROM {mine} n WHERE n.supersedes = d.determination_id)
          AND d.line_id IN (SELECT line_id FROM signatures WHERE NOT struck))"""


def resolve_lines(con: duckdb.DuckDBPyConnection, line_ids: Iterable[str]
                  ) -> dict[str, dict[str, int]]:
    """Both passes after the determinations of `line_ids` changed (a review decision, an
    undo, an import), limited to the voters those lines were ever matched to.

    The sample's pass runs only when one of the lines is sampled (nothing else changes a
    sample-mode row), and first, because its rows supersede the line's current row; the
    full count's pass (once it has begun) then puts the petition-wide answer on top.
    """
    lines = sorted(set(line_ids))
    out: dict[str, dict[str, int]] = {}
    if not lines:
        return out
    # The lines' voters, whether one is sampled and whether a full count has begun, in
    # one query (each is a cheap lookup; the statements' own overhead is what adds up).
    found, sampled, full = con.execute("""
        SELECT (SELECT list(DISTINCT voter_id) FROM determinations
                WHERE voter_id IS NOT NULL AND line_id IN (SELECT unnest($1::VARCHAR[]))),
               (SELECT count(*) FROM sample WHERE line_id IN (SELECT unnest($1::VARCHAR[]))),
               EXISTS (SELECT 1 FROM audit_log WHERE action = 'verify_full')""",
                                       [lines]).fetchall()[0]
    voters = set(found or ())
    if sampled:
        out["sample"] = resolve(con, "sample", voters)
    if full:  # full_count_begun(con), asked above
        out["full"] = resolve(con, "full", voters)
    return out
