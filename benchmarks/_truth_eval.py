"""Compare a workspace's determinations with the generator's truth.csv (benchmark helper)."""

from __future__ import annotations

from typing import Any


def _truth(truth_csv: str) -> str:
    """The truth as a CTE `t` (line_id, t_voter, expected, t_reason)."""
    return f"""t AS (SELECT section_id || ':' || page || ':' || line AS line_id,
                         nullif(voter_id, '') AS t_voter, expected,
                         nullif(reason, '') AS t_reason
                  FROM read_csv('{truth_csv}', all_varchar = true))"""


# the line's current determination (d) and reason equal the truth (t)
_RIGHT = ("d.determination = t.expected "
          "AND coalesce(d.reason, '') = coalesce(t.t_reason, '')")


def evaluate(con: Any, truth_csv: str) -> dict[str, Any]:
    """Automatic share, automatic error rate, and after an oracle review of the queue the
    share of lines with the right determination and reason."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ev AS
        WITH {_truth(truth_csv)},
             d AS (SELECT * FROM current_determinations)
        SELECT t.*, d.determination, d.reason, d.voter_id, d.decided_by,
               q.line_id IS NOT NULL AND q.status <> 'decided' AS queued
        FROM t LEFT JOIN d USING (line_id) LEFT JOIN review_queue q USING (line_id)
    """)
    r = con.execute("""
        SELECT count(*),
               count(*) FILTER (WHERE decided_by LIKE 'engine:%' OR decided_by LIKE 'rule:%'),
               count(*) FILTER (WHERE (decided_by LIKE 'engine:%' OR decided_by LIKE 'rule:%')
                   AND NOT (determination = expected
                            AND coalesce(reason, '') = coalesce(t_reason, ''))),
               count(*) FILTER (WHERE (decided_by LIKE 'engine:%' OR decided_by LIKE 'rule:%')
                   AND determination <> expected),
               count(*) FILTER (WHERE queued),
               -- oracle review: queued lines get the truth; SIGNATURE_MISMATCH is found by
               -- a person comparing signatures, so an oracle finds it on every line it sees
               count(*) FILTER (WHERE queued OR (determination = expected
                            AND coalesce(reason, '') = coalesce(t_reason, ''))),
               count(*) FILTER (WHERE (decided_by LIKE 'engine:%' OR decided_by LIKE 'rule:%')
                   AND coalesce(t_reason, '') <> 'SIGNATURE_MISMATCH'),
               count(*) FILTER (WHERE (decided_by LIKE 'engine:%' OR decided_by LIKE 'rule:%')
                   AND coalesce(t_reason, '') <> 'SIGNATURE_MISMATCH'
                   AND NOT (determination = expected
                            AND coalesce(reason, '') = coalesce(t_reason, '')))
        FROM ev
    """).fetchall()[0]
    n, auto, auto_wrong, auto_wrong_det, queued, right_after, auto_ns, wrong_ns = r
    confusion = con.execute("""
        SELECT coalesce(t_reason, 'valid') AS truth, coalesce(reason, determination, 'queued')
               AS got, count(*) FROM ev
        WHERE NOT queued AND NOT (determination = expected
              AND coalesce(reason, '') = coalesce(t_reason, ''))
        GROUP BY ALL ORDER BY 3 DESC LIMIT 15""").fetchall()
    return {"lines": n, "auto_share": auto / n if n else 0,
            "auto_wrong_share": auto_wrong / auto if auto else 0,
            "auto_wrong_determination_share": auto_wrong_det / auto if auto else 0,
            "auto_wrong_excl_sigmismatch": wrong_ns / auto_ns if auto_ns else 0,
            "queued": queued, "right_after_oracle": right_after / n if n else 0,
            "confusion": confusion}


def oracle_review(con: Any, truth_csv: str) -> int:
    """Decide every open queue item as the truth says (a perfect reviewer), as reviewer
    determinations, then let the duplicate rule run again. Returns lines decided."""
    from recallkit.verification import duplicates
    from recallkit.verification.determine import now

    con.execute("BEGIN TRANSACTION")
    n = con.execute(f"""
        INSERT INTO determinations (line_id, determination, reason, voter_id, decided_by,
                                    score, evidence, supersedes, decided_at, mode)
        WITH {_truth(truth_csv)}
        SELECT q.line_id, t.expected, t.t_reason, t.t_voter,
               'reviewer:oracle', NULL, '{{}}', cur.determination_id, ?, q.mode
        FROM review_queue q
        JOIN t USING (line_id)
        LEFT JOIN current_determinations cur USING (line_id)
        WHERE q.status <> 'decided'
    """, [now()]).fetchall()[0][0]
    con.execute("UPDATE review_queue SET status = 'decided' WHERE status <> 'decided'")
    duplicates.resolve(con, "full")
    con.execute("COMMIT")
    return n


def accuracy(con: Any, truth_csv: str) -> float:
    """Share of lines whose current determination and reason equal the truth."""
    return con.execute(f"""
        WITH {_truth(truth_csv)}
        SELECT avg(CASE WHEN {_RIGHT} THEN 1.0 ELSE 0.0 END)
        FROM t LEFT JOIN current_determinations d USING (line_id)""").fetchall()[0][0]


def auto_wrong_after_review(con: Any, truth_csv: str) -> float:
    """Share of the lines the engine decided automatically (table `ev` of evaluate) whose
    current determination is wrong once the queue was reviewed and the duplicate rule ran
    again — a later line decided valid becomes DUPLICATE when its earlier occurrence is
    found valid in review, by rule, with no person looking at it."""
    return con.execute(f"""
        WITH {_truth(truth_csv)}
        SELECT avg(CASE WHEN {_RIGHT} THEN 0.0 ELSE 1.0 END)
        FROM ev JOIN t USING (line_id) LEFT JOIN current_determinations d USING (line_id)
        WHERE NOT ev.queued
          AND (ev.decided_by LIKE 'engine:%' OR ev.decided_by LIKE 'rule:%')""").fetchall()[0][0]
