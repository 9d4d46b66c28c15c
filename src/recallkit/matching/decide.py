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
conflicting generational suffix (JR vs SR) excludes a candidate the same way. When one
resident of the written address bears exactly the written first name, a housemate of the
same surname whose first name only resembles it (JOAN for JOHN, agreement level 1–2) or
is a nickname of it (ELIZABETH for LISA, level 3) is excluded too: a signer writes his or
her own name, and the near spelling is the other person in the house, not a misspelling
of the exact one.
"""

from __future__ import annotations

import math

import duckdb

DEFAULT_EPSILON = 0.001
DEFAULT_REGISTERED_SHARE = 0.85
DEFAULT_MOVER_RATE = 0.05
TOP_K = 5
# A first name written as an initial or only loosely like the voter's (agreement level 1)
# never settles an identity alone, however the rest agrees: at the same address it is as
# often an unregistered family member (J SMITH for JOHN or JANE) — one in ten such
# automatic matches was wrong on synthetic data. Such lines go to a person.
MIN_AUTO_FIRST = 2
# Nor does a surname that is not like the voter's at all (agreement level 0): MARIA
# GARCIA at MARIA LOPEZ's address may be Maria Lopez married, or another Maria of the
# house. Seven of nine such automatic matches were wrong on synthetic data.
MIN_AUTO_LAST = 1

# Why a line goes to a person: rk_match.doubt (and rk_det.doubt, which adds the reasons
# found after matching), shown to reviewers with the queue's hint.
DOUBTS = {
    "script": "the name is written in letters other than the Latin alphabet's, which the "
              "engine cannot compare with the voter file",
    "suffix_added": "a suffix (JR) is written for a voter registered without one: the "
                    "voter, or his son?",
    "title_sex": "the title is a woman's and the first name a man's, or the reverse (MRS "
                 "HAROLD WAINWRIGHT): the voter's wife or husband?",
    "housemate": "someone else at the address with the surname may be the signer",
    "first_name_loose": "the first name is missing, only an initial, or only loosely "
                        "like the voter's",
    "surname_differs": "the surname is not like the voter's",
    "name_too_common": "nobody of this name lives at the address, and the name is too "
                       "common to look for across the county",
    "unsure": "more than one voter, or nobody, could be the signer",
    "moved_or_namesake": "a voter of this name is registered elsewhere: moved, or an "
                         "unregistered namesake?",
    "shared_voter": "another line may be the same voter's (a duplicate, or two "
                    "namesakes)",
    "earlier_line": "an earlier-filed line waiting for a person may be the same voter's "
                    "(this one would then be the duplicate)",
    "withdrawal_unsure": "a withdrawal request may be this voter's",
    "signature": "the signature is unlike the one on file",
    "street_differs": "the voter's house number is written on a street of another name",
}


def decide(con: duckdb.DuckDBPyConnection, scored: str, registered_share: float | None,
           n_voters: int, epsilon: float = DEFAULT_EPSILON, entries: str = "rk_s",
           out: str = "rk_match", unsearched: str = "rk_unsearched",
           elig: str = "rk_scored", top: str = "rk_top",
           nick_typo: str = "rk_nick_typo") -> float:
    """rk_match(id, voter_id, score, p_best, p_none, status, doubt, candidates, ...),
    `top` (rk_top: each line's TOP_K best candidates, one row each, with posterior p and
    evidence c) and `elig`: every scored candidate with its exclusion (household rule …)
    and rank.

    The prior odds scale every candidate of a line alike, so the per-line sums
    Σ 2^score are computed once (rk_dec_agg); re-estimating the registered share
    (`registered_share=None`: start at DEFAULT_REGISTERED_SHARE, one re-estimate) and
    classifying are then cheap queries over one row per line. Returns the share used."""
    here = "house = 2 AND street >= 1 AND last >= 3"
    # One window over the candidates, partitioned by entry, for the ranks and the best
    # score; then one GROUP BY per entry, and the top candidates kept as rows (a list of
    # structs built by an aggregate cost more than everything else here). Whether someone
    # at the written address bears exactly the written first name is a semi-join, not a
    # second window over every column. A candidate is excluded exactly when it has a
    # reason to be (excluded_why).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {elig} AS
        SELECT *, excluded_why IS NOT NULL AS excluded,
            row_number() OVER (PARTITION BY sid ORDER BY excluded_why IS NOT NULL,
                               score DESC, voter_id) AS rnk,
            max(score) FILTER (WHERE excluded_why IS NULL) OVER (PARTITION BY sid) AS best
        FROM (
            SELECT *,
                CASE WHEN first = 0 AND last >= 3 AND house = 2 THEN 'household_rule'
                     WHEN first = 0 THEN 'first_name_differs'
                     WHEN suffix_conflict THEN 'suffix_conflict'
                     WHEN surname_conflict THEN 'surname_conflict'
                     WHEN last = 0 AND first <= 1 THEN 'name_differs'
                     WHEN first IN (1, 2, 3) AND {here} AND sid IN (
                         SELECT sid FROM {scored}
                         WHERE first = 4 AND {here} AND NOT suffix_conflict)
                          THEN 'housemate_exact_name'
                     END AS excluded_why
            FROM {scored})
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_dec_agg AS
        WITH g AS (
            SELECT sid,
                   -- Σ 2^score over the eligible candidates, scaled by the best one
                   -- (kept in range whatever the scores)
                   any_value(best) AS best,
                   sum(pow(2.0, score - best)) FILTER (WHERE NOT excluded) AS rel_sum,
                   count(*) AS candidates,
                   count(*) FILTER (WHERE excluded) AS excluded,
                   -- an excluded housemate with the same initial (or middle name) may be
                   -- the signer under a nickname no table knows (KIKE = ENRIQUE), or
                   -- under a misspelt one (LAEX = ALEX, rk_nick_typo): a person decides,
                   -- the engine does not say "not registered". Not when a resident bears
                   -- exactly the written first name: the signer wrote his or her own name.
                   -- A conflicting second surname is another person's as a rule, but a
                   -- woman may sign with her husband's in place of her mother's: at her
                   -- address a person decides either way.
                   bool_or(excluded AND house = 2
                           AND ((first = 0 AND last >= 3
                                 AND (first_initial_same OR mid = 1 OR nick_typo))
                                OR (surname_conflict AND first >= 2)))
                   AND NOT coalesce(bool_or(NOT excluded AND first = 4 AND {here}), FALSE)
                       AS doubtful,
                   -- a suffix written for the best voter, registered without one: a
                   -- person tells the voter from his son
                   coalesce(any_value(suffix_added) FILTER (WHERE rnk = 1 AND NOT excluded),
                            FALSE) AS suffix_added,
                   any_value(voter_id) FILTER (WHERE rnk = 1 AND NOT excluded) AS voter_id,
                   any_value(score) FILTER (WHERE rnk = 1 AND NOT excluded) AS score,
                   any_value(first) FILTER (WHERE rnk = 1 AND NOT excluded) AS first_level,
                   any_value(last) FILTER (WHERE rnk = 1 AND NOT excluded) AS last_level
            FROM (SELECT e.*, t.sid IS NOT NULL AS nick_typo FROM {elig} e
                  LEFT JOIN {nick_typo} t ON t.sid = e.sid AND t.vid = e.vid)
            GROUP BY sid
        )
        SELECT e.sid, e.id, g.voter_id, g.score, g.best, g.rel_sum,
               coalesce(g.candidates, 0) AS candidates, coalesce(g.excluded, 0) AS excluded,
               coalesce(g.doubtful OR g.suffix_added, FALSE)
                   OR (e.title_sex AND g.voter_id IS NOT NULL) AS doubtful,
               coalesce(g.suffix_added, FALSE) AS suffix_added,
               e.title_sex AND g.voter_id IS NOT NULL AS title_sex,
               g.first_level, g.last_level, u.sid IS NOT NULL AS unsearched, e.name_script
        FROM (SELECT sid, id, coalesce(bool_or(name_script), FALSE) AS name_script,
                     -- a title of the other sex than the written first name's: the line
                     -- is somebody else's than the voter of that name (DOUBTS)
                     coalesce(bool_or(title_conflict), FALSE) AS title_sex
              FROM {entries} GROUP BY ALL) e
        LEFT JOIN g USING (sid)
        LEFT JOIN (SELECT DISTINCT sid FROM {unsearched}) u USING (sid)
    """)
    share = DEFAULT_REGISTERED_SHARE if registered_share is None else registered_share
    if registered_share is None:  # one re-estimate of the registered share from this run
        share = _share(con, _p_exprs(share, n_voters)[1])
    p_best, p_none = _p_exprs(share, n_voters)
    lpo = _log_prior_odds(share, n_voters)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        WITH p AS (
            SELECT *, {p_best} AS p_best, {p_none} AS p_none FROM rk_dec_agg
        )
        SELECT sid, id, voter_id, score, p_best, p_none, candidates, excluded, doubtful,
               status,
               -- why a person is asked (DOUBTS)
               CASE WHEN status <> 'review' THEN NULL
                    WHEN name_script AND voter_id IS NULL THEN 'script'
                    WHEN suffix_added THEN 'suffix_added'
                    WHEN title_sex THEN 'title_sex'
                    WHEN doubtful THEN 'housemate'
                    WHEN leans AND first_level < {MIN_AUTO_FIRST} THEN 'first_name_loose'
                    WHEN leans AND last_level < {MIN_AUTO_LAST} THEN 'surname_differs'
                    WHEN unsearched AND p_none >= 1 - {epsilon!r} THEN 'name_too_common'
                    ELSE 'unsure' END AS doubt
        FROM (
            SELECT *,
                   CASE WHEN voter_id IS NOT NULL AND p_best >= 1 - {epsilon!r}
                             AND first_level >= {MIN_AUTO_FIRST}
                             AND last_level >= {MIN_AUTO_LAST} AND NOT suffix_added
                             AND NOT title_sex
                             THEN 'match'
                        WHEN p_none >= 1 - {epsilon!r} AND NOT doubtful AND NOT unsearched
                             AND NOT name_script THEN 'none'
                        ELSE 'review' END AS status,
                   voter_id IS NOT NULL AND p_best > p_none AS leans
            FROM p)
    """)
    # The top candidates of every line, one row each, with their evidence and their own
    # posterior (NULL for an excluded one): the reasons step adds up the candidates that
    # lead to the same outcome, and the run stores them for reviewers and auditors.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {top} AS
        SELECT e.id, e.rnk AS rank, e.voter_id,
               CASE WHEN NOT e.excluded THEN
                   pow(2.0, least(e.score + {lpo!r}, 1000.0)) * m.p_none END AS p,
               struct_pack(voter_id := e.voter_id, rank := e.rnk, score := round(e.score, 3),
                    excluded := e.excluded_why, orient := e.orient,
                    passes := list_filter(range(1, 9), lambda b: (e.passes >> b) & 1 = 1),
                    first := e.first, last := e.last, mid := e.mid, house := e.house,
                    street := e.street, loc := e.loc, unit := e.unit, hist := e.hist,
                    first_jw := e.first_jw, last_jw := e.last_jw, street_jw := e.street_jw,
                    w_first := round(e.w_first, 3), w_last := round(e.w_last, 3),
                    w_mid := round(e.w_mid, 3), w_house := round(e.w_house, 3),
                    w_street := round(e.w_street, 3), w_loc := round(e.w_loc, 3),
                    w_unit := round(e.w_unit, 3)) AS c
        FROM {elig} e JOIN {out} m USING (sid)
        WHERE e.rnk <= {TOP_K}
    """)
    return share


def _log_prior_odds(share: float, n_voters: int) -> float:
    """log2 of the prior odds that the signer is one given voter: π / (N (1 − π))."""
    pi = min(max(share, 0.01), 0.99)
    return math.log2(pi / (max(n_voters, 1) * (1 - pi)))


def _p_exprs(share: float, n_voters: int) -> tuple[str, str]:
    """SQL for P(best candidate) and P(nobody) over rk_dec_agg at registered share π:
    with L = log2 prior odds and B the best score, Σ odds = 2^(B+L) · rel_sum."""
    lpo = _log_prior_odds(share, n_voters)
    # 1 / (1 + 2^(B+L) · rel_sum), computed without overflow
    sum_odds = f"pow(2.0, least(best + {lpo!r}, 1000.0)) * rel_sum"
    p_none = f"coalesce(1.0 / (1.0 + {sum_odds}), 1.0)"
    p_best = (f"coalesce(CASE WHEN voter_id IS NULL THEN 0.0 ELSE "
              f"pow(2.0, least(score + {lpo!r}, 1000.0)) / (1.0 + {sum_odds}) END, 0.0)")
    return p_best, p_none


def _share(con: duckdb.DuckDBPyConnection, p_none: str) -> float:
    v = con.execute(f"SELECT avg(1 - {p_none}) FROM rk_dec_agg").fetchall()[0][0]
    return float(v) if v is not None else DEFAULT_REGISTERED_SHARE


def registered_share(con: duckdb.DuckDBPyConnection, out: str = "rk_match") -> float:
    """The share of entries whose signer is a registered voter, as the run sees it."""
    v = con.execute(f"SELECT avg(1 - p_none) FROM {out}").fetchall()[0][0]
    return float(v) if v is not None else DEFAULT_REGISTERED_SHARE
