"""Normalize voters and handwritten petition entries into comparable keys, in DuckDB.

Both sides pass through the same SQL macros (normalize.sql), so that a difference in
keys means the writers wrote different things, not that two normalizers disagree.

Voter side (structured): first/middle/last/suffix columns; the address from split parts
when the file has them (VoteCal, WA VRDB), else from the one-line residence address.
Petition side (free text): the printed name may be "FIRST MIDDLE LAST", "LAST, FIRST"
or swapped without a comma (surname first, as Chinese, Korean and Vietnamese names are
often written: CHAN TAI MAN, NGUYEN VAN MINH); every line gets an orientation row 0 (as
written) and, when there is no comma, an orientation row 1 (the last word as the first
name, the words before it as the surname, which the comparison tests against the
voter's given names). Scoring keeps the better orientation and records which one it
used.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from recallkit.matching import sqlscript
from recallkit.matching.reference import (
    load_reference,
    street_map_literal,
    street_types_literal,
    street_words,
)

SQL_DIR = Path(__file__).parent
# Words that open a unit (APT 4, STE 200, # 5), in rk_unit_re and split_place.
UNIT_DESIGNATORS = "APT|APARTMENT|UNIT|STE|SUITE|SPC|SPACE|RM|ROOM|LOT|BLDG|TRLR|FL|FLOOR|NO|#"
# A first name borne by this many voters of the file is a real name, not a typo.
REAL_NAME_BEARERS = 3


@lru_cache(maxsize=1)
def macros_sql() -> str:
    sql = (SQL_DIR / "normalize.sql").read_text(encoding="utf-8")
    return sql.replace("{STREET_MAP}", street_map_literal()).replace(
        "{STREET_TYPES}", street_types_literal()).replace("{UNIT_DESIGNATORS}",
                                                          UNIT_DESIGNATORS)


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Reference tables and macros on this connection (temp objects; nothing persisted)."""
    load_reference(con)
    sqlscript.run(con, macros_sql())


# A cheap phonetic code (Soundex-like: first letter + consonant classes, vowels dropped,
# repeats collapsed) in plain SQL, so blocking needs no Python UDF.
PHONETIC = (
    "CASE WHEN {t} IS NULL OR {t} = '' THEN NULL ELSE left({t}, 1) || left("
    "replace(replace(replace(replace(replace(replace("
    "translate(substr({t}, 2), 'BFPVCGJKQSXZDTLMNRAEIOUYHW', '111122222222334556'),"
    "'11','1'),'22','2'),'33','3'),'44','4'),'55','5'),'66','6'), 3) END"
)


def phonetic(expr: str) -> str:
    return PHONETIC.replace("{t}", expr)


def address_keys(con: duckdb.DuckDBPyConnection, addrs_sql: str, out: str) -> None:
    """Temp table `out` (addr, house, house_hi, street_key, unit): one row per
    distinct `addr` of `addrs_sql` (callers coalesce NULL to '': a WHERE here would make
    DuckDB compute the address expression twice).

    Each address is cleaned once however many people live there, and the street words
    (lists, a map lookup per word) are built once per distinct street part: 1M voters have
    470,000 addresses but only 13,000 street parts. One cleaning step per CTE, because a
    macro that repeats its argument would repeat the whole cleaning."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        WITH d AS (SELECT DISTINCT addr FROM ({addrs_sql})),
        c AS (SELECT addr, rk_addr_clean(addr) AS addr_clean FROM d),
        n AS (SELECT addr, rk_addr_nounit(addr_clean) AS nu,
                     rk_addr_unit(addr_clean) AS unit FROM c),
        p AS MATERIALIZED (
            SELECT addr, unit, rk_addr_house(nu) AS house,
                   rk_addr_house_hi(nu) AS house_hi, rk_addr_street_part(nu) AS sp FROM n),
        w1 AS (SELECT sp, rk_strip_dirs(rk_street_part_words(sp)) AS sw1
               FROM (SELECT DISTINCT sp FROM p)),
        w2 AS (SELECT sp, rk_strip_tail(sw1) AS sw2 FROM w1),
        k AS (SELECT sp, nullif(array_to_string(rk_strip_type(sw2), ' '), '') AS street_key
              FROM w2)
        SELECT addr, house, house_hi, street_key, unit FROM p JOIN k USING (sp)
    """)


def build_voters(con: duckdb.DuckDBPyConnection, table: str = "rk_v") -> int:
    """rk_v: one row per voter with name tokens, nickname roots and address keys, and
    `vid`, the voter's row number, by which matching joins (an integer key is cheaper).

    A county has far fewer distinct names and addresses than voters (1M voters: about
    5,000 first names, 33,000 surnames, 470,000 addresses, 268 cities, 5 county spellings),
    so each distinct value is normalized once and joined back, instead of running the
    macros per voter. The voters table is read directly (no copy of it)."""
    addr = ("coalesce(CASE WHEN nullif(trim(coalesce(street_name, '')), '') IS NOT NULL "
            "THEN concat_ws(' ', house_number, house_fraction, street_predirection, "
            "street_name, street_type, street_postdirection, "
            "CASE WHEN unit_number IS NOT NULL THEN 'UNIT ' || unit_number END) "
            "ELSE residence_address END, '')")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rk_v_fn AS
        WITH d AS (SELECT coalesce(first_name, '') AS fn, count(*) AS n FROM voters
                   GROUP BY 1),
        -- the placeholders of government files (NFN, FNU: no first name known) are none
        t AS (SELECT fn, n, list_filter(rk_tokens(fn), lambda x: x NOT IN ('NFN', 'FNU'))
                  AS ft FROM d)
        SELECT fn, n, ft, ft[1] AS first,
               coalesce(r.roots, CASE WHEN ft[1] IS NULL THEN [] ELSE [ft[1]] END) AS roots
        FROM t LEFT JOIN rk_nick_roots r ON r.name = t.ft[1]
    """)
    # Real first names: the census's and the nickname table's, and any the county's own
    # voters bear at least REAL_NAME_BEARERS times (XOCHITL, HOVHANNES). Two real names
    # a letter apart are two people's (compare.sql).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_given AS
        SELECT name FROM rk_given_ref
        UNION
        SELECT first FROM rk_v_fn WHERE first IS NOT NULL
        GROUP BY first HAVING sum(n) >= {REAL_NAME_BEARERS}
    """)
    con.execute("CREATE OR REPLACE TEMP TABLE rk_v_fn AS SELECT *, first IN "
                "(SELECT name FROM rk_given) AS first_real FROM rk_v_fn")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rk_v_mn AS
        SELECT mn, list_filter(rk_tokens(mn), lambda x: x NOT IN ('NMN', 'NMI', 'MNU'))
                   AS mt
        FROM (SELECT DISTINCT coalesce(middle_name, '') AS mn FROM voters)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_v_ln AS
        WITH d AS (SELECT DISTINCT coalesce(last_name, '') AS ln FROM voters),
        t AS (SELECT ln, rk_tokens(ln) AS lt FROM d),
        n AS (SELECT ln, lt, list_filter(lt, lambda t: NOT rk_is_suffix(t)) AS lt2 FROM t)
        SELECT ln, rk_surname_tokens(lt) AS last_toks,
               nullif(array_to_string(lt2, ''), '') AS last_key,
               {phonetic("nullif(array_to_string(lt2, ''), '')")} AS last_ph,
               list_filter(lt, lambda t: rk_is_suffix(t))[1] AS last_sfx
        FROM n
    """)
    con.execute(r"""
        CREATE OR REPLACE TEMP TABLE rk_v_pl AS
        SELECT city_raw, zip_raw, county_raw, rk_city(city_raw) AS city,
               rk_zip5(zip_raw) AS zip,
               upper(trim(regexp_replace(county_raw, '(?i)\s+county$', ''))) AS county
        FROM (SELECT DISTINCT coalesce(city, '') AS city_raw, coalesce(zip, '') AS zip_raw,
                     coalesce(county, '') AS county_raw FROM voters)
    """)
    address_keys(con, f"SELECT {addr} AS addr FROM voters", "rk_v_ad")
    # renamed streets (2 CCR 20931: the old name or the new one): the street keys of the
    # old names, for the voters who live on the new street, from the renames of the
    # counties in the voter file (of every county when the file names none)
    address_keys(con, "SELECT '1 ' || old_street AS addr FROM rk_street_renames UNION "
                      "SELECT '1 ' || new_street FROM rk_street_renames", "rk_v_ren")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rk_v_alts AS
        SELECT n.street_key AS street_key, list(DISTINCT o.street_key) AS alts
        FROM rk_street_renames r
        JOIN rk_v_ren o ON o.addr = '1 ' || r.old_street
        JOIN rk_v_ren n ON n.addr = '1 ' || r.new_street
        WHERE r.county IN (SELECT county FROM rk_v_pl)
           OR NOT EXISTS (SELECT 1 FROM rk_v_pl WHERE county <> '')
        GROUP BY ALL
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT v.vid, v.voter_id, f.first, f.first_real,
               -- the given names, and all of them written as one (SEOYEON for SEO-YEON,
               -- JIHOON for JI HOON)
               CASE WHEN len(f.ft) + len(m.mt) > 1
                    THEN list_append(list_concat(f.ft, m.mt),
                                     array_to_string(list_concat(f.ft, m.mt), ''))
                    ELSE list_concat(f.ft, m.mt) END AS given,
               m.mt AS mids, left(m.mt[1], 1) AS mid_initial,
               l.last_toks, l.last_key, l.last_ph,
               CASE WHEN v.sx = '' THEN l.last_sfx
                    ELSE coalesce(nullif(rk_clean(v.sx), ''), l.last_sfx) END AS suffix,
               f.roots, a.house, a.house_hi, a.street_key, alt.alts AS street_alts, a.unit,
               p.zip, p.city,
               p.county, v.registration_date, v.status, v.status_date
        FROM (SELECT rowid AS vid, voter_id, coalesce(first_name, '') AS fn,
                     coalesce(middle_name, '') AS mn, coalesce(last_name, '') AS ln,
                     coalesce(name_suffix, '') AS sx, {addr} AS addr,
                     coalesce(city, '') AS city_raw, coalesce(zip, '') AS zip_raw,
                     coalesce(county, '') AS county_raw, registration_date,
                     lower(trim(status)) AS status, status_date
              FROM voters) v
        JOIN rk_v_fn f USING (fn) JOIN rk_v_mn m USING (mn) JOIN rk_v_ln l USING (ln)
        JOIN rk_v_ad a USING (addr) JOIN rk_v_pl p USING (city_raw, zip_raw, county_raw)
        LEFT JOIN rk_v_alts alt ON alt.street_key = a.street_key
    """)
    for t in ("rk_v_fn", "rk_v_mn", "rk_v_ln", "rk_v_pl", "rk_v_ad", "rk_v_ren", "rk_v_alts"):
        con.execute(f"DROP TABLE {t}")
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


# Words that open a unit when split_place looks for one (a comma before one does not
# start the city: 12 OAK ST, APT 4): the designators, SP and BUILDING.
_UNIT_WORDS = UNIT_DESIGNATORS + "|SP|BUILDING"


def split_place(con: duckdb.DuckDBPyConnection, addrs_sql: str, out: str) -> None:
    """Temp table `out` (addr, street, zip, city): the written addresses of `addrs_sql`
    that carry their place in the address field ("1450 W 60TH ST, LOS ANGELES, CA 90044",
    "300 S GRAND AVE #1204 LOS ANGELES"), with the place cut off. Only such addresses
    have a row.

    In order, after a trailing country (USA): a trailing ZIP (not a five-digit unit
    number: APT 12345), then the state (CA, after a ZIP or a comma), then the text after
    the last comma when it is no unit and has no digit, else a trailing city of the
    voter file (rk_v) when what remains still ends as a street does (a street type or a
    unit): 100 N PASADENA and 1683 S SANTA MONICA, streets written without their type,
    keep their names."""
    types = "|".join(sorted({w for w, _, k in street_words() if k == "type"}
                            | {t for _, t, k in street_words() if k == "type"}))
    ends_as_street = (f"(?:\\s(?:{types})|\\s(?:{_UNIT_WORDS})(?:[\\s#]+[A-Z0-9-]+"
                      f"|\\d[A-Z0-9-]*)|#\\s*[A-Z0-9-]+)$")
    cities = ("SELECT DISTINCT city FROM rk_v WHERE city IS NOT NULL"
              if con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND "
                             "table_name = 'rk_v'").fetchall()[0][0]
              else "SELECT NULL::VARCHAR AS city WHERE FALSE")
    con.execute(rf"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        WITH d AS (SELECT DISTINCT addr FROM ({addrs_sql})),
        -- a trailing country is no part of a county's address
        u0 AS (SELECT addr, trim(regexp_replace(upper(strip_accents(addr)),
                   '[\s,]+(?:USA|U\.S\.A\.?|UNITED STATES(?: OF AMERICA)?)$', '')) AS u
               FROM d),
        -- most addresses end as a street does and hold no comma: nothing to split
        u AS (SELECT * FROM u0
              WHERE contains(u, ',') OR regexp_matches(u, '\d{{5}}(-\d{{4}})?$')
                 OR NOT regexp_matches(u, '{ends_as_street}')),
        z AS (SELECT addr, u,
                     CASE WHEN regexp_matches(u, '[^\d\s,][\s,]+\d{{5}}(-\d{{4}})?$')
                           AND NOT regexp_matches(
                               u, '(?:\s(?:{_UNIT_WORDS})[\s.#]*|#\s*)\d{{5}}(-\d{{4}})?$')
                          THEN regexp_extract(u, '(\d{{5}})(?:-\d{{4}})?$', 1) END AS zip
              FROM u),
        s AS (SELECT addr, zip,
                     CASE WHEN zip IS NULL THEN u
                          ELSE regexp_replace(u, '[\s,]+\d{{5}}(-\d{{4}})?$', '') END AS u1
              FROM z),
        st AS (SELECT addr, zip,
                      CASE WHEN zip IS NOT NULL OR contains(u1, ',')
                           THEN regexp_replace(u1, '[\s,]+(CA|CALIF|CALIFORNIA)\.?$', '')
                           ELSE u1 END AS u2
               FROM s),
        c AS (SELECT addr, zip, u2, trim(regexp_extract(u2, ',([^,]*)$', 1)) AS tail FROM st),
        cc AS (SELECT addr, zip, u2,
                      CASE WHEN tail <> '' AND NOT regexp_matches(tail, '\d')
                                AND NOT regexp_matches(tail, '^(?:{_UNIT_WORDS})\b')
                           THEN tail END AS city
               FROM c),
        w AS (
            -- a city at the end without a comma: the longest of the last 1-3 words that
            -- is a city of the voter file, when what precedes it still ends as a street
            SELECT addr, arg_max(rest, n) AS rest, arg_max(cand, n) AS city
            FROM (SELECT addr, n, array_to_string(ws[len(ws) - n + 1:], ' ') AS cand,
                         array_to_string(ws[:len(ws) - n], ' ') AS rest
                  FROM (SELECT addr, list_filter(string_split(
                                   regexp_replace(u2, '[^A-Z0-9#/ -]', ' ', 'g'), ' '),
                                   lambda t: t <> '') AS ws
                        FROM cc WHERE city IS NULL AND NOT contains(u2, ',')) x,
                       range(1, 4) r(n)
                  WHERE len(ws) > n + 1)
            WHERE cand IN ({cities}) AND regexp_matches(rest, '{ends_as_street}')
            GROUP BY addr
        ), res AS (
            SELECT cc.addr, cc.zip,
                   CASE WHEN cc.city IS NOT NULL THEN trim(regexp_replace(cc.u2, ',[^,]*$', ''))
                        ELSE coalesce(w.rest, cc.u2) END AS street,
                   coalesce(cc.city, w.city) AS city
            FROM cc LEFT JOIN w USING (addr)
        )
        SELECT addr, street, zip, city FROM res WHERE zip IS NOT NULL OR city IS NOT NULL
    """)


# usaddress labels, in the order a street address is written, and the unit's
_STREET_LABELS = ("AddressNumber", "AddressNumberSuffix", "StreetNamePreDirectional",
                  "StreetNamePreModifier", "StreetNamePreType", "StreetName",
                  "StreetNamePostType", "StreetNamePostDirectional")
_UNIT_LABELS = ("OccupancyIdentifier", "SubaddressIdentifier")


def reparse_odd(con: duckdb.DuckDBPyConnection, keys: str, out: str) -> None:
    """Temp table `out` (addr, street, zip, city): the written addresses of `keys` (an
    address_keys table) with a digit in them in which the SQL macros found no house
    number at the start (APT 4, 123 MAIN ST; UNIT B 77 GLENOAKS BLVD), parsed by
    `usaddress` (a conditional random field trained on US addresses) and written again
    in the usual order: number, street, UNIT. Few lines are written so; the rest never
    reach Python."""
    odd = [r[0] for r in con.execute(rf"""
        SELECT addr FROM {keys}
        WHERE house IS NULL AND regexp_matches(addr, '\d')""").fetchall()]
    rows = [(a, *_usaddress_parts(a)) for a in odd]
    rows = [r for r in rows if r[1]]
    sqlscript.temp_table(con, out, pa.table({
        "addr": pa.array([r[0] for r in rows], pa.string()),
        "street": pa.array([r[1] for r in rows], pa.string()),
        "zip": pa.array([r[2] for r in rows], pa.string()),
        "city": pa.array([r[3] for r in rows], pa.string())}))


def _usaddress_parts(addr: str) -> tuple[str | None, str | None, str | None]:
    """(NUMBER STREET [UNIT id], ZIP, city) from usaddress, or Nones."""
    try:
        import usaddress
        parts = usaddress.parse(addr)
    except Exception:  # noqa: BLE001 - a parser failure leaves the line as written
        return None, None, None
    first: dict[str, str] = {}
    for token, label in parts:
        first.setdefault(label, "")
        first[label] = (first[label] + " " + token.strip(",")).strip()
    if "AddressNumber" not in first or "StreetName" not in first:
        return None, None, None
    street = " ".join(first[k] for k in _STREET_LABELS if first.get(k))
    unit = next((first[k].lstrip("# ") for k in _UNIT_LABELS if first.get(k)), None)
    zip5 = (first.get("ZipCode") or "")[:5] or None
    return (street + (f" UNIT {unit}" if unit else ""), zip5,
            first.get("PlaceName") or None)


def build_entries(con: duckdb.DuckDBPyConnection, source_sql: str,
                  table: str = "rk_s") -> int:
    """Handwritten entries -> one row per (id, orientation), with `sid`, the line's rank
    by id, by which matching joins.

    `source_sql` must yield columns id, printed_name, residence_address, city, zip.
    The parsing steps are materialized one temp table at a time: as one statement, DuckDB
    evaluated the cleaning of every CTE once per later reference."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_s_b AS
        WITH src AS ({source_sql}),
        b AS (
            -- a title before a full name is no part of it (DR JOHN SMITH, MRS MARIA LOPEZ),
            -- but says whether a man or a woman signed (MRS HAROLD WAINWRIGHT, his wife)
            SELECT id, regexp_replace(cl, '^(?:MR|MRS|MS|MISS|DR) (\\S+ \\S)', '\\1') AS nm,
                   CASE WHEN regexp_matches(cl, '^(?:MRS|MS|MISS) \\S+ \\S') THEN 'F'
                        WHEN regexp_matches(cl, '^MR \\S+ \\S') THEN 'M' END AS title_sex,
                   addr, rk_zip5(zip) AS zip, rk_city(city) AS city,
                   -- no letter at all (",,,", "1234"): no name to read; letters of
                   -- another script (李小龍, Ռուբեն) are a name the macros cannot read
                   rk_unreadable(printed_name)
                   OR NOT regexp_matches(pn, '[A-Za-z]|[^\x00-\x7F]') AS name_unreadable,
                   regexp_matches(pn, '[^\x00-\x7F]') AS name_script,
                   -- nothing left once a post office box is dropped: no residence
                   rk_unreadable(residence_address) OR addr = '' AS addr_missing
            FROM (SELECT *, strip_accents(coalesce(printed_name, '')) AS pn,
                         rk_clean_keep_comma(printed_name) AS cl,
                         rk_drop_po_box(coalesce(residence_address, '')) AS addr
                  FROM src)
        )
        -- A suffix word opens no name: J.R. SOLBERG is two initials (JR), not a suffix.
        -- (Without a comma, the part before it is the whole name: tokenized once.)
        SELECT * EXCLUDE (toks),
               list_filter(CASE WHEN comma THEN rk_tokens(split_part(nm, ',', 1))
                                ELSE toks END,
                           lambda x, i: NOT rk_is_suffix(x) OR i = 1) AS head,
               CASE WHEN comma THEN list_filter(rk_tokens(substr(nm, strpos(nm, ',') + 1)),
                                                lambda x: NOT rk_is_suffix(x))
                    ELSE [] END AS tail,
               list_filter(toks, lambda x, i: rk_is_suffix(x) AND i > 1)[1] AS suffix
        FROM (SELECT *, contains(nm, ',') AS comma, rk_tokens(nm) AS toks FROM b)
    """)
    split_place(con, "SELECT addr FROM rk_s_b", "rk_s_pl")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rk_s_bp AS
        SELECT b.* REPLACE (coalesce(p.street, b.addr) AS addr, coalesce(b.zip, p.zip) AS zip,
                            coalesce(b.city, rk_city(p.city)) AS city)
        FROM rk_s_b b LEFT JOIN rk_s_pl p USING (addr)
    """)
    address_keys(con, "SELECT addr FROM rk_s_bp", "rk_s_ad")
    # the addresses in which no house number was found at the start, read by usaddress
    # and keyed again
    reparse_odd(con, "rk_s_ad", "rk_s_odd")
    address_keys(con, "SELECT street AS addr FROM rk_s_odd", "rk_s_ad_odd")
    con.execute("""
        UPDATE rk_s_bp SET addr = o.street, zip = coalesce(rk_s_bp.zip, o.zip),
                           city = coalesce(rk_s_bp.city, rk_city(o.city))
        FROM rk_s_odd o WHERE o.addr = rk_s_bp.addr
    """)
    con.execute("INSERT INTO rk_s_ad SELECT * FROM rk_s_ad_odd "
                "WHERE addr NOT IN (SELECT addr FROM rk_s_ad)")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH o AS MATERIALIZED (
            -- the surname key: middle initials (JOHN Q SMITH) are no part of it, but a
            -- last letter written as written is (DE LA O, surname O)
            SELECT *,
                   nullif(array_to_string(list_filter(rest, lambda x, i: length(x) > 1
                                          OR (orient = 0 AND i = len(rest))), ''),
                          '') AS last_key
            FROM (
                -- as written: FIRST [MIDDLE ...] LAST, or LAST, FIRST [MIDDLE]
                SELECT *, 0 AS orient,
                       CASE WHEN comma THEN tail[1] ELSE head[1] END AS first,
                       CASE WHEN comma THEN head ELSE head[2:] END AS rest,
                       CASE WHEN comma THEN tail[2:] ELSE head[2:len(head) - 1] END AS mids
                FROM rk_s_bp
                UNION ALL
                -- swapped without a comma: LAST FIRST [MIDDLE]
                SELECT *, 1 AS orient, head[-1] AS first, head[1:len(head) - 1] AS rest,
                       head[2:len(head) - 1] AS mids
                FROM rk_s_bp WHERE NOT comma AND len(head) >= 2)
        ), ph AS (
            -- the phonetic code (translate() is slow) once per distinct surname key
            SELECT last_key, {phonetic("last_key")} AS last_ph
            FROM (SELECT DISTINCT last_key FROM o WHERE last_key IS NOT NULL)
        )
        SELECT n.sid, id, orient, comma, name_unreadable, name_script, addr_missing,
               coalesce(fs.sex <> o.title_sex, FALSE) AS title_conflict, first,
               first IN (SELECT name FROM rk_given) AS first_real,
               -- the first two given names written as one (MARY ANN for MARYANN)
               CASE WHEN len(mids) > 0 AND length(mids[1]) > 1 THEN first || mids[1] END
                   AS first_joined,
               rk_surname_tokens(rest) AS last_toks, o.last_key, ph.last_ph,
               left(list_filter(mids, lambda x: length(x) >= 1)[1], 1) AS mid_initial,
               suffix,
               coalesce(r.roots, CASE WHEN first IS NULL THEN [] ELSE [first] END) AS roots,
               a.house, a.house_hi, a.street_key, a.unit, o.zip, o.city
        FROM o JOIN rk_s_ad a USING (addr) LEFT JOIN ph ON ph.last_key = o.last_key
        -- the line's rank by id, numbered on the ids alone (a window over the wide rows
        -- cost more than the rest of this statement)
        JOIN (SELECT id, row_number() OVER (ORDER BY id) AS sid
              FROM (SELECT DISTINCT id FROM rk_s_bp)) n USING (id)
        LEFT JOIN rk_nick_roots r ON r.name = o.first
        LEFT JOIN rk_first_sex fs ON fs.name = o.first
    """)
    for t in ("rk_s_b", "rk_s_pl", "rk_s_odd", "rk_s_bp", "rk_s_ad", "rk_s_ad_odd"):
        con.execute(f"DROP TABLE {t}")
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
    address_keys(con, "SELECT coalesce(residence_address, '') AS addr FROM voter_history",
                 "rk_vh_ad")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT h.voter_id, a.house, a.street_key, rk_zip5(h.zip) AS zip, h.valid_from,
               h.valid_to
        FROM voter_history h JOIN rk_vh_ad a ON a.addr = coalesce(h.residence_address, '')
        WHERE a.house IS NOT NULL AND a.street_key IS NOT NULL
    """)
    con.execute("DROP TABLE rk_vh_ad")
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
