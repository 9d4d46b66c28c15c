"""From scored candidates to one identity decision per entry: match, none, or review.

Each entry has at most one true voter, so the candidates of an entry compete. A signer
is a registered voter with probability π (estimated from the run itself: start at 0.85,
then one re-estimate from the decided lines), any one of the N voters equally a priori,
so with odds_j = 2^score_j · π / (N (1 − π)),

    P(voter j)  = odds_j / (1 + Σ odds)       P(nobody) = 1 / (1 + Σ odds).

The engine decides alone only when one of these is at least 1 − ε (ε is a run
parameter stored with the run, default 0.001); everything else goes to a person.

Household rule: a candidate at the same address with the same surname but a different
first name (not a nickname, not a near spelling, not an initial) is a different person —
typically a family member — and is excluded outright, not merely scored down. A
conflicting generational suffix (JR vs SR) excludes a candidate the same way.
"""

from __future__ import annotations

import math

import duckdb

DEFAULT_EPSILON = 0.001
DEFAULT_REGISTERED_SHARE = 0.85
DEFAULT_MOVER_RATE = 0.05
TOP_K = 5


def decide(con: duckdb.DuckDBPyConnection, scored: str, registered_share: float,
           n_voters: int, epsilon: float = DEFAULT_EPSILON, entries: str = "rk_s",
           out: str = "rk_match", unsearched: str = "rk_unsearched") -> None:
    """rk_match(id, voter_id, score, p_best, p_none, status, candidates, top JSON)."""
    pi = min(max(registered_share, 0.01), 0.99)
    log2_prior_odds = math.log2(pi / (max(n_voters, 1) * (1 - pi)))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_elig AS
        SELECT *,
            (first = 0 OR suffix_conflict OR (last = 0 AND first <= 1)) AS excluded,
            CASE WHEN first = 0 AND last >= 3 AND house = 2 THEN 'household_rule'
                 WHEN first = 0 THEN 'first_name_differs'
                 WHEN suffix_conflict THEN 'suffix_conflict'
                 WHEN last = 0 AND first <= 1 THEN 'name_differs' END AS excluded_why,
            CASE WHEN first = 0 OR suffix_conflict OR (last = 0 AND first <= 1) THEN 0.0
                 ELSE pow(2.0, least(score + {log2_prior_odds!r}, 1000.0)) END AS odds
        FROM {scored}
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        WITH ranked AS (
            SELECT *, row_number() OVER (PARTITION BY id
                      ORDER BY excluded, score DESC, voter_id) AS rnk,
                   sum(odds) OVER (PARTITION BY id) AS sum_odds
            FROM rk_elig
        ), agg AS (
            SELECT id,
                   any_value(voter_id) FILTER (WHERE rnk = 1 AND NOT excluded) AS voter_id,
                   any_value(score) FILTER (WHERE rnk = 1 AND NOT excluded) AS score,
                   any_value(odds) FILTER (WHERE rnk = 1) / (1 + any_value(sum_odds))
                       AS p_best,
                   1 / (1 + any_value(sum_odds)) AS p_none,
                   count(*) AS candidates,
                   count(*) FILTER (WHERE excluded) AS excluded,
                   -- an excluded housemate with the same initial (or middle name) may be
                   -- the signer under a nickname no table knows (KIKE = ENRIQUE): a person
                   -- decides, the engine does not say "not registered"
                   bool_or(excluded AND first = 0 AND last >= 3 AND house = 2
                           AND (first_initial_same OR mid = 1)) AS doubtful,
                   list(struct_pack(voter_id := voter_id, rank := rnk, score := round(score, 3),
                        excluded := excluded_why, orient := orient, passes := passes,
                        first := first, last := last, mid := mid, house := house,
                        street := street, loc := loc, unit := unit, hist := hist,
                        first_jw := first_jw, last_jw := last_jw, street_jw := street_jw,
                        w_first := round(w_first, 3), w_last := round(w_last, 3),
                        w_mid := round(w_mid, 3), w_house := round(w_house, 3),
                        w_street := round(w_street, 3), w_loc := round(w_loc, 3),
                        w_unit := round(w_unit, 3))
                        ORDER BY rnk) FILTER (WHERE rnk <= {TOP_K}) AS top
            FROM ranked GROUP BY id
        )
        SELECT e.id, a.voter_id, a.score, coalesce(a.p_best, 0) AS p_best,
               coalesce(a.p_none, 1) AS p_none, coalesce(a.candidates, 0) AS candidates,
               coalesce(a.excluded, 0) AS excluded, a.top,
               CASE WHEN a.voter_id IS NOT NULL AND a.p_best >= 1 - {epsilon!r} THEN 'match'
                    WHEN coalesce(a.p_none, 1) >= 1 - {epsilon!r}
                         AND NOT coalesce(a.doubtful, FALSE)
                         AND e.id NOT IN (SELECT id FROM {unsearched}) THEN 'none'
                    ELSE 'review' END AS status
        FROM (SELECT DISTINCT id FROM {entries}) e LEFT JOIN agg a USING (id)
    """)


def registered_share(con: duckdb.DuckDBPyConnection, out: str = "rk_match") -> float:
    """The share of entries whose signer is a registered voter, as the run sees it."""
    v = con.execute(f"SELECT avg(1 - p_none) FROM {out}").fetchall()[0][0]
    return float(v) if v is not None else DEFAULT_REGISTERED_SHARE
