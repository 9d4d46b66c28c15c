"""Normalize voters and handwritten petition entries into comparable keys, in DuckDB.

Both sides pass through the same SQL macros (normalize.sql), so that a difference in
keys means the writers wrote different things, not that two normalizers disagree.

Voter side (structured): first/middle/last/suffix columns; the address from split parts
when the file has them (VoteCal, WA VRDB), else from the one-line residence address.
Petition side (free text): the printed name may be "FIRST MIDDLE LAST", "LAST, FIRST"
or swapped without a comma; every line gets an orientation row 0 (as written) and, when
there is no comma, an orientation row 1 (first and last swapped). Scoring keeps the
better orientation and records which one it used.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb

from recallkit.matching.reference import (
    load_reference,
    street_map_literal,
    street_types_literal,
)

SQL_DIR = Path(__file__).parent


@lru_cache(maxsize=1)
def macros_sql() -> str:
    sql = (SQL_DIR / "normalize.sql").read_text(encoding="utf-8")
    return sql.replace("{STREET_MAP}", street_map_literal()).replace(
        "{STREET_TYPES}", street_types_literal())


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Reference tables and macros on this connection (temp objects; nothing persisted)."""
    load_reference(con)
    for stmt in macros_sql().split(";\n"):
        if stmt.strip() and not all(
                ln.strip().startswith("--") or not ln.strip() for ln in stmt.splitlines()):
            con.execute(stmt)


# A cheap phonetic code (Soundex-like: first letter + consonant classes, vowels dropped,
# repeats collapsed) in plain SQL, so blocking needs no Python UDF.
PHONETIC = (
    "CASE WHEN {t} IS NULL OR {t} = '' THEN NULL ELSE left({t}, 1) || left("
    "replace(replace(replace(replace(replace(replace("
    "translate(substr({t}, 2), 'BFPVCGJKQSXZDTLMNRAEIOUYHW', '111122222222334556'),"
    "'11','1'),'22','2'),'33','3'),'44','4'),'55','5'),'66','6'), 3) END"
)


REST_KEY = "nullif(array_to_string(list_filter(rest, lambda x: length(x) > 1), ''), '')"


def phonetic(expr: str) -> str:
    return PHONETIC.replace("{t}", expr)


def _addr_ctes(src: str, addr: str) -> str:
    """CTEs a1..a4 adding address keys to the rows of `src`, one cleaning step each."""
    return f"""
        a1 AS (SELECT *, rk_addr_clean({addr}) AS addr_clean FROM {src}),
        a2 AS (SELECT *, rk_addr_nounit(addr_clean) AS nu, rk_addr_unit(addr_clean) AS unit
               FROM a1),
        a3 AS (SELECT *, rk_addr_house(nu) AS house, rk_addr_house_hi(nu) AS house_hi,
                      rk_strip_dirs(rk_addr_street_words(nu)) AS sw1 FROM a2),
        a4 AS (SELECT * EXCLUDE (sw1, nu), rk_strip_tail(sw1) AS sw2 FROM a3),
        a5 AS (SELECT * EXCLUDE (sw2),
                      nullif(array_to_string(rk_strip_type(sw2), ' '), '') AS street_key
               FROM a4)"""


ADDR_COLS = "house, house_hi, street_key, unit, rk_zip5(zip_raw) AS zip, " \
    "rk_city(city_raw) AS city, addr_clean"


def build_voters(con: duckdb.DuckDBPyConnection, table: str = "rk_v") -> int:
    """rk_v: one row per voter with name tokens, nickname roots and address keys.

    A county has far fewer distinct names and addresses than voters (1M voters: about
    5,000 first names, 33,000 surnames, 470,000 addresses), so each distinct value is
    normalized once and joined back, instead of running the macros per voter."""
    addr = ("CASE WHEN nullif(trim(coalesce(street_name, '')), '') IS NOT NULL "
            "THEN concat_ws(' ', house_number, house_fraction, street_predirection, "
            "street_name, street_type, street_postdirection, "
            "CASE WHEN unit_number IS NOT NULL THEN 'UNIT ' || unit_number END) "
            "ELSE residence_address END")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_v_src AS
        SELECT voter_id, coalesce(first_name, '') AS fn, coalesce(middle_name, '') AS mn,
               coalesce(last_name, '') AS ln, coalesce(name_suffix, '') AS sx,
               coalesce({addr}, '') AS addr, coalesce(city, '') AS city_raw,
               coalesce(zip, '') AS zip_raw,
               upper(trim(regexp_replace(coalesce(county, ''), '(?i)\\s+county$', '')))
                   AS county,
               registration_date, lower(trim(status)) AS status, status_date
        FROM voters
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rk_v_fn AS
        WITH d AS (SELECT DISTINCT fn FROM rk_v_src),
        t AS (SELECT fn, rk_tokens(fn) AS ft FROM d)
        SELECT fn, ft, ft[1] AS first,
               coalesce(r.roots, CASE WHEN ft[1] IS NULL THEN [] ELSE [ft[1]] END) AS roots
        FROM t LEFT JOIN rk_nick_roots r ON r.name = t.ft[1]
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rk_v_mn AS
        SELECT mn, rk_tokens(mn) AS mt FROM (SELECT DISTINCT mn FROM rk_v_src)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_v_ln AS
        WITH d AS (SELECT DISTINCT ln FROM rk_v_src),
        t AS (SELECT ln, rk_tokens(ln) AS lt FROM d),
        n AS (SELECT ln, lt, list_filter(lt, lambda t: NOT rk_is_suffix(t)) AS lt2 FROM t)
        SELECT ln, rk_surname_tokens(lt) AS last_toks,
               nullif(array_to_string(lt2, ''), '') AS last_key,
               {phonetic("nullif(array_to_string(lt2, ''), '')")} AS last_ph,
               list_filter(lt, lambda t: rk_is_suffix(t))[1] AS last_sfx
        FROM n
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_v_ad AS
        WITH d AS (SELECT DISTINCT addr, city_raw, zip_raw FROM rk_v_src),
        {_addr_ctes('d', 'addr')}
        SELECT addr, city_raw, zip_raw, {ADDR_COLS} FROM a5
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT v.voter_id, f.first, list_concat(f.ft, m.mt) AS given,
               left(m.mt[1], 1) AS mid_initial,
               l.last_toks, l.last_key, l.last_ph,
               coalesce(nullif(rk_clean(v.sx), ''), l.last_sfx) AS suffix,
               f.roots, a.house, a.house_hi, a.street_key, a.unit, a.zip, a.city,
               a.addr_clean, v.county, v.registration_date, v.status, v.status_date
        FROM rk_v_src v
        JOIN rk_v_fn f USING (fn) JOIN rk_v_mn m USING (mn) JOIN rk_v_ln l USING (ln)
        JOIN rk_v_ad a USING (addr, city_raw, zip_raw)
    """)
    for t in ("rk_v_src", "rk_v_fn", "rk_v_mn", "rk_v_ln", "rk_v_ad"):
        con.execute(f"DROP TABLE {t}")
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def build_entries(con: duckdb.DuckDBPyConnection, source_sql: str,
                  table: str = "rk_s") -> int:
    """Handwritten entries -> one row per (id, orientation).

    `source_sql` must yield columns id, printed_name, residence_address, city, zip.
    """
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH src AS ({source_sql}),
        b AS (
            SELECT id, printed_name, rk_clean_keep_comma(printed_name) AS nm,
                   residence_address AS addr, city AS city_raw, zip AS zip_raw,
                   rk_unreadable(printed_name) AS name_unreadable,
                   rk_unreadable(residence_address) AS addr_missing
            FROM src
        ), t AS (
            SELECT *, contains(nm, ',') AS comma,
                   list_filter(rk_tokens(split_part(nm, ',', 1)),
                               lambda x: NOT rk_is_suffix(x)) AS head,
                   list_filter(rk_tokens(CASE WHEN contains(nm, ',')
                                              THEN substr(nm, strpos(nm, ',') + 1) END),
                               lambda x: NOT rk_is_suffix(x)) AS tail,
                   list_filter(rk_tokens(nm), lambda x: rk_is_suffix(x))[1] AS suffix
            FROM b
        ), o AS (
            -- as written: FIRST [MIDDLE ...] LAST, or LAST, FIRST [MIDDLE]
            SELECT *, 0 AS orient,
                   CASE WHEN comma THEN tail[1] ELSE head[1] END AS first,
                   CASE WHEN comma THEN head ELSE head[2:] END AS rest,
                   CASE WHEN comma THEN tail[2:] ELSE head[2:len(head) - 1] END AS mids
            FROM t
            UNION ALL
            -- swapped without a comma: LAST FIRST [MIDDLE]
            SELECT *, 1 AS orient, head[-1] AS first, head[1:len(head) - 1] AS rest,
                   head[2:len(head) - 1] AS mids
            FROM t WHERE NOT comma AND len(head) >= 2
        ), ad AS (
            -- the address is the same for both readings of the name: normalize it once
            WITH {_addr_ctes('b', 'addr')}
            SELECT id, {ADDR_COLS} FROM a5
        )
        SELECT id, orient, comma, name_unreadable, addr_missing, first,
               rk_surname_tokens(rest) AS last_toks,
               nullif(array_to_string(list_filter(rest, lambda x: length(x) > 1), ''), '')
                   AS last_key,
               {phonetic(REST_KEY)}
                   AS last_ph,
               left(list_filter(mids, lambda x: length(x) >= 1)[1], 1) AS mid_initial,
               suffix,
               coalesce(r.roots, CASE WHEN first IS NULL THEN [] ELSE [first] END) AS roots,
               ad.* EXCLUDE (id)
        FROM o JOIN ad USING (id) LEFT JOIN rk_nick_roots r ON r.name = o.first
    """)
    return con.execute(f"SELECT count(DISTINCT id) FROM {table}").fetchall()[0][0]


def build_history(con: duckdb.DuckDBPyConnection, table: str = "rk_vh") -> int:
    """rk_vh: earlier addresses of voters (voter_history), as address keys with the dates
    the voter lived there. A signer who writes a former address is still that voter (a
    mover); the dates decide whether the move excuses the address (2 CCR 20931). Empty
    without a history. Built once per verification, shared by matching and reasons."""
    has = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                      "'voter_history' AND NOT temporary").fetchall()[0][0]
    if not has:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (voter_id VARCHAR, "
                    "house VARCHAR, street_key VARCHAR, zip VARCHAR, valid_from DATE, "
                    "valid_to DATE)")
        return 0
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH src AS (SELECT voter_id, residence_address AS addr, zip AS zip_raw,
                            city AS city_raw, valid_from, valid_to FROM voter_history),
        {_addr_ctes('src', 'addr')}
        SELECT voter_id, house, street_key, rk_zip5(zip_raw) AS zip, valid_from, valid_to
        FROM a5
        WHERE house IS NOT NULL AND street_key IS NOT NULL
    """)
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
