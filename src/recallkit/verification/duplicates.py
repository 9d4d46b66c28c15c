"""Duplicates: one signature of a voter counts, the rest are invalid.

The first *otherwise-valid* occurrence in filing order — (date_filed, section_id, page,
line), numbers compared as numbers — counts (data-formats.md; the rule pack's
[duplicates] table). Duplicates are an overlay on the other reasons: a line is a
candidate when its current determination is valid or DUPLICATE (DUPLICATE is only ever
given to otherwise-valid lines). After a review changes an earlier line, rerunning this
pass turns a later DUPLICATE back into valid, always by appending a new determination.

Scope: full mode, the whole petition; sample mode, the lines of the sample only — the
D of the projection formula (2 CCR 20530–20532).
"""

from __future__ import annotations

import duckdb

from recallkit.verification.determine import now


def resolve(con: duckdb.DuckDBPyConnection, mode: str) -> dict[str, int]:
    """Append the determinations that make DUPLICATE right for `mode`. Returns counts."""
    scope = ("SELECT line_id FROM sample" if mode == "sample"
             else "SELECT line_id FROM signatures WHERE NOT struck")
    # sample: the latest sample-mode determination of each line (the projection's view);
    # full: every line's current determination, whatever stage made it.
    current = ("""SELECT d.* FROM (
                SELECT *, row_number() OVER (PARTITION BY line_id
                          ORDER BY determination_id DESC) AS k
                FROM determinations WHERE mode IN ('sample', 'undone')
            ) d WHERE k = 1 AND mode = 'sample'""" if mode == "sample" else
               "SELECT *, 1 AS k FROM current_determinations WHERE mode <> 'undone'")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_dup AS
        WITH cur AS ({current}), cand AS (
            SELECT c.*, s.page, s.line, sec.date_filed, s.section_id
            FROM cur c JOIN ({scope}) sc USING (line_id)
            JOIN signatures s USING (line_id)
            LEFT JOIN sections sec ON sec.section_id = s.section_id
            WHERE c.voter_id IS NOT NULL
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
    """)
    made = con.execute("SELECT count(*) FILTER (WHERE occurrence > 1), "
                       "count(*) FILTER (WHERE occurrence = 1) FROM rk_dup").fetchall()[0]
    con.execute(f"""
        INSERT INTO determinations (line_id, determination, reason, voter_id, decided_by,
                                    score, evidence, supersedes, decided_at, mode)
        SELECT line_id,
               CASE WHEN occurrence > 1 THEN 'invalid' ELSE 'valid' END,
               CASE WHEN occurrence > 1 THEN 'DUPLICATE' END,
               voter_id, 'rule:duplicates', score,
               to_json(struct_pack(first_occurrence := first_line,
                                   occurrence := occurrence,
                                   previous := evidence)),
               determination_id, ?, '{mode}'
        FROM rk_dup
    """, [now()])
    return {"new_duplicates": made[0], "restored_valid": made[1]}
