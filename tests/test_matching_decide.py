"""decide.py on hand-made scored candidates: the household rules."""

from __future__ import annotations

import duckdb

from recallkit.matching import decide

COLS = ("sid INTEGER, id VARCHAR, vid INTEGER, voter_id VARCHAR, orient INTEGER, "
        "passes INTEGER, score DOUBLE, first INTEGER, last INTEGER, mid INTEGER, "
        "house INTEGER, street INTEGER, "
        "loc INTEGER, unit INTEGER, hist BOOLEAN, suffix_conflict BOOLEAN, "
        "surname_conflict BOOLEAN, suffix_added BOOLEAN, "
        "first_initial_same BOOLEAN, first_jw DOUBLE, last_jw DOUBLE, street_jw DOUBLE, "
        "w_first DOUBLE, w_last DOUBLE, w_mid DOUBLE, w_house DOUBLE, w_street DOUBLE, "
        "w_loc DOUBLE, w_unit DOUBLE")


def _run(rows: list[tuple]) -> dict[str, tuple]:
    con = duckdb.connect()
    con.execute(f"CREATE TEMP TABLE sc ({COLS})")
    con.execute("CREATE TEMP TABLE rk_s AS SELECT 1 AS sid, 'L1' AS id, "
                "FALSE AS name_script, FALSE AS title_conflict")
    con.execute("CREATE TEMP TABLE rk_unsearched (sid INTEGER)")
    con.execute("CREATE TEMP TABLE rk_nick_typo (sid INTEGER, vid INTEGER)")
    for vid, (voter_id, score, first) in enumerate(rows):
        con.execute("INSERT INTO sc VALUES (1, 'L1', ?, ?, 0, 4, ?, ?, 4, -1, 2, 2, 2, -1, "
                    "FALSE, FALSE, FALSE, FALSE, TRUE, 0.9, 1, 1, 0, 0, 0, 0, 0, 0, 0)",
                    [vid, voter_id, score, first])
    decide.decide(con, "sc", 0.85, 1_000_000)
    return {r[0]: r[1:] for r in con.execute(
        "SELECT id, voter_id, status FROM rk_match").fetchall()}


def test_housemate_with_a_resembling_first_name_does_not_compete_with_the_exact_one() -> None:
    # JOHN written at an address where JOHN (exact, level 4) and JOAN (level 1) live
    assert _run([("JOHN", 40.0, 4), ("JOAN", 34.0, 1)])["L1"] == ("JOHN", "match")


def test_two_residents_with_the_exact_name_still_go_to_a_person() -> None:
    assert _run([("SR", 40.0, 4), ("JR", 40.0, 4)])["L1"][1] == "review"


def test_resembling_name_alone_is_not_excluded() -> None:
    # nobody bears the written name exactly: the near spelling stays a candidate
    got = _run([("JOAN", 34.0, 2)])["L1"]
    assert got[0] == "JOAN"
