"""Normalization: the same SQL macros on both sides; names and addresses to keys."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recallkit.matching import normalize


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    normalize.install(c)
    yield c
    c.close()


def _street(con, addr: str) -> tuple:
    con.execute("CREATE OR REPLACE TEMP TABLE t AS SELECT ? AS addr", [addr])
    normalize.address_keys(con, "SELECT addr FROM t", "t_keys")
    return con.execute("SELECT house, house_hi, street_key, unit FROM t_keys").fetchall()[0]


@pytest.mark.parametrize("a,b", [
    ("1234 N. Main Street Apt 5", "1234 MAIN ST"),
    ("55 West First Avenue", "55 W 1ST AVE"),
    ("3030 1/2 Wilshire Blvd #12", "3030 WILSHIRE BOULEVARD"),
    ("77 Glenoaks Boulevard, Unit B", "77 GLENOAKS BL"),
    ("18 Sunset Blvd Ste 200", "18 SUNSET BLVD SUITE 4"),
])
def test_address_tolerances_give_the_same_key(con, a, b):
    ka, kb = _street(con, a), _street(con, b)
    assert (ka[0], ka[2]) == (kb[0], kb[2])


def test_house_number_range_and_unit(con):
    house, hi, key, unit = _street(con, "1234-1236 N Main St Apt 5")
    assert (house, hi, key, unit) == ("1234", "1236", "MAIN", "5")


@pytest.mark.parametrize("addr,key,unit", [
    ("10300 Garvey Ave Sp 14", "GARVEY", "14"),        # a mobile-home space
    ("10300 GARVEY AVE SP14", "GARVEY", "14"),
    ("10300 Garvey Ave Spc #14", "GARVEY", "14"),
    ("100 Sp Ranch Rd", "SP RANCH", None),              # SP as a word stays in the street
    ("12 Espanol St", "ESPANOL", None),
])
def test_space_designator_only_before_a_number(con, addr, key, unit):
    assert _street(con, addr)[2:] == (key, unit)


def test_nickname_roots_meet(con):
    rows = dict(con.execute("SELECT name, roots FROM rk_nick_roots WHERE name IN "
                            "('BOB', 'PEPE', 'LUPE', 'CHUY', 'PACO', 'LIZ')").fetchall())
    assert "ROBERT" in rows["BOB"] and "JOSE" in rows["PEPE"]
    assert "GUADALUPE" in rows["LUPE"] and "JESUS" in rows["CHUY"]
    assert "FRANCISCO" in rows["PACO"] and "ELIZABETH" in rows["LIZ"]


def _entry(con, name: str) -> list[tuple]:
    normalize.build_entries(con, f"SELECT 'x' AS id, '{name}' AS printed_name, "
                                 "'' AS residence_address, '' AS city, '' AS zip")
    return con.execute("SELECT orient, first, last_toks, last_key FROM rk_s "
                       "ORDER BY orient").fetchall()


def test_last_first_writing_and_swaps(con):
    assert _entry(con, "Garcia-López, José") == [(0, "JOSE", ["GARCIA", "LOPEZ"],
                                                  "GARCIALOPEZ")]
    rows = _entry(con, "Nguyen Thi Hoa")
    assert rows[0][1] == "NGUYEN" and rows[1][1] == "HOA"
    assert _entry(con, "Juan de la Cruz Jr.")[0][2:] == (["CRUZ"], "DELACRUZ")


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="abcdefgh ñéÁ-',.#/0123456789", max_size=30))
def test_cleaning_is_idempotent(con, s):
    once = con.execute("SELECT rk_clean(?)", [s]).fetchall()[0][0]
    assert con.execute("SELECT rk_clean(?)", [once]).fetchall()[0][0] == once
    a1 = con.execute("SELECT rk_addr_clean(?)", [s]).fetchall()[0][0]
    assert con.execute("SELECT rk_addr_clean(?)", [a1]).fetchall()[0][0] == a1


def test_address_hyphens_clean_in_one_go(con):
    assert con.execute("SELECT rk_addr_clean('-b-'), rk_addr_clean('12-B OAK-ST')"
                       ).fetchall()[0] == ("B", "12B OAK ST")


@pytest.mark.parametrize("addr,key,unit", [
    ("4000 Wilshire Blvd Apt 5-C", "WILSHIRE", "5C"),   # as the voter file has APT 5C
    ("4500 Wilshire Blvd #9-D", "WILSHIRE", "9D"),
    ("1200 W 7th St Apt A-12", "7TH", "A12"),
    ("500 S Main St Ste B-2", "MAIN", "B2"),
    ("44-B Ocean Ave", "OCEAN", None),                  # a house number's letter
    ("900 W Avenue J-8", "AVE J8", None),               # Lancaster's lettered avenues
    ("2300 E Pico-Union Way", "PICO UNION", None),      # words stay apart
])
def test_a_hyphen_between_a_letter_and_a_digit_joins_them(con, addr, key, unit):
    assert _street(con, addr)[2:] == (key, unit)


# The cleaning as plain regexp_replace passes, before the fast path for already clean
# text; the macros must give exactly the same strings. (A hyphen between a digit and a
# letter is dropped, 5-C = 5C; one next to a letter otherwise becomes a space, in two
# passes, letter-hyphen then hyphen-letter: one alternation pass left the second hyphen of
# "-B-" in place, and cleaning twice differed from cleaning once.)
_OLD_KEEP_COMMA = r"""trim(regexp_replace(regexp_replace(regexp_replace(
    upper(strip_accents(coalesce(?, ''))), '[''`\.]', '', 'g'), '[^A-Z0-9,/# ]', ' ', 'g'),
    '\s+', ' ', 'g'))"""
_OLD_ADDR = r"""trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(
    upper(strip_accents(coalesce(?, ''))), '[''`\.,]', '', 'g'),
    '[^A-Z0-9/#\- ]', ' ', 'g'), '(\d)-([A-Z])', '\1\2', 'g'), '([A-Z])-(\d)', '\1\2', 'g'),
    '([A-Z])-', '\1 ', 'g'), '-([A-Z])', ' \1', 'g'), '\s+', ' ', 'g'))"""


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(alphabet="ABCZaz019 -,./#'`\t\nñÉß", max_size=25)))
def test_fast_path_cleaning_equals_the_regex_passes(con, s):
    got = con.execute("SELECT rk_clean_keep_comma(?), rk_clean(?), rk_addr_clean(?)",
                      [s, s, s]).fetchall()[0]
    kc = con.execute(f"SELECT {_OLD_KEEP_COMMA}", [s]).fetchall()[0][0]
    clean = con.execute(r"SELECT trim(regexp_replace(replace(?, ',', ' '), '\s+', ' ', 'g'))",
                        [kc]).fetchall()[0][0]
    addr = con.execute(f"SELECT {_OLD_ADDR}", [s]).fetchall()[0][0]
    assert got == (kc, clean, addr)


def test_street_words_per_street_part(con):
    rows = con.execute("SELECT rk_addr_street_words('12-14B 1/2 NORTH FIRST AVENUE'), "
                       "rk_street_part_words(rk_addr_street_part('12 MAIN  STREET'))"
                       ).fetchall()[0]
    assert rows == (["N", "1ST", "AVE"], ["MAIN", "ST"])


@pytest.mark.parametrize("addr,street,zip_,city", [
    ("1450 W 60th St, Los Angeles, CA 90044", "1450 W 60TH ST", "90044", "LOS ANGELES"),
    ("55 Elm Ave Pasadena CA 91101-2231", "55 ELM AVE", "91101", "PASADENA"),
    ("300 S Grand Ave #1204 Los Angeles", "300 S GRAND AVE #1204", None, "LOS ANGELES"),
    ("88 Elm St Apt 4 Pasadena", "88 ELM ST APT 4", None, "PASADENA"),
    ("100 N Pasadena 91101", "100 N PASADENA", "91101", None),  # a street, not the city
])
def test_a_place_written_into_the_address_is_cut_off(con, addr, street, zip_, city):
    con.execute("CREATE OR REPLACE TEMP TABLE rk_v AS SELECT unnest(['LOS ANGELES', "
                "'PASADENA', 'SANTA MONICA']) AS city")
    con.execute("CREATE OR REPLACE TEMP TABLE t AS SELECT ? AS addr", [addr])
    normalize.split_place(con, "SELECT addr FROM t", "t_place")
    assert con.execute("SELECT street, zip, city FROM t_place").fetchall() == [
        (street, zip_, city)]


@pytest.mark.parametrize("addr", [
    "1683 S Santa Monica",        # Santa Monica Blvd without its type
    "123 Main St Apt 12345",      # a five-digit unit, no ZIP
    "12 Oak St, Building C",      # a unit after the comma
    "4360 North Pasadena",
    "1257 GARFIELD DR",
])
def test_an_address_without_a_place_is_left_alone(con, addr):
    con.execute("CREATE OR REPLACE TEMP TABLE rk_v AS SELECT unnest(['LOS ANGELES', "
                "'PASADENA', 'SANTA MONICA']) AS city")
    con.execute("CREATE OR REPLACE TEMP TABLE t AS SELECT ? AS addr", [addr])
    normalize.split_place(con, "SELECT addr FROM t", "t_place")
    assert con.execute("SELECT count(*) FROM t_place").fetchall() == [(0,)]


@pytest.mark.parametrize("addr,house,key,unit", [
    ("Apt 4, 123 Main St", "123", "MAIN", "4"),          # the unit written first
    ("#4 123 Main St", "123", "MAIN", "4"),
    ("Unit B 77 Glenoaks Blvd", "77", "GLENOAKS", "B"),
])
def test_an_address_the_macros_cannot_read_is_parsed_by_usaddress(con, addr, house, key,
                                                                    unit):
    normalize.build_entries(con, f"SELECT 'x' AS id, 'Ann Lee' AS printed_name, "
                                 f"'{addr}' AS residence_address, '' AS city, '' AS zip")
    assert con.execute("SELECT house, street_key, unit FROM rk_s WHERE orient = 0"
                       ).fetchall() == [(house, key, unit)]


@pytest.mark.parametrize("a,b,same", [
    ("PHILIP", "PHILLIP", True), ("KATHERINE", "CATHERINE", True),
    ("STEPHEN", "STEVEN", True), ("THERESA", "TERESA", True),
    ("ANTONIO", "ANTONIA", False), ("JOHN", "JOAN", False), ("ERIC", "ERICA", False),
])
def test_spelling_key_joins_spellings_not_names(con, a, b, same):
    ka, kb = con.execute("SELECT rk_spell_key(?), rk_spell_key(?)", [a, b]).fetchone()
    assert (ka == kb) is same


@pytest.mark.parametrize("addr,kept,only", [
    ("PO Box 4412", "", True),
    ("P.O. Box 12, Panorama City CA 91402", "", True),
    ("Post Office Box 9", "", True),
    ("PO BOX 5 123 MAIN ST", "123 MAIN ST", False),        # 2 CCR 20931(a)(4)
    ("123 Main St, P O Box 77", "123 Main St", False),
    ("100 1ST ST PO BOX 3", "100 1ST ST", False),
    ("1234 W 36th St", "1234 W 36th St", False),
    ("3900 Boxwood Ln", "3900 Boxwood Ln", False),
])
def test_a_post_office_box_is_no_residence(con, addr, kept, only):
    assert con.execute("SELECT rk_drop_po_box(?), rk_po_box_only(?)",
                       [addr, addr]).fetchone() == (kept, only)


def test_pch_is_pacific_coast_highway(con):
    assert _street(con, "21000 PCH")[2] == _street(con, "21000 PACIFIC COAST HWY")[2]


def test_a_lone_letter_after_the_number_is_the_numbers(con):
    assert _street(con, "1234 A MAPLE AVE")[2] == _street(con, "1234A MAPLE AVE")[2] == "MAPLE"
    assert _street(con, "1234 B ST")[2] == "B"            # B Street
    assert _street(con, "1234 E MAPLE AVE")[2] == "MAPLE"  # East, as before


def test_a_trailing_country_is_cut_off_with_the_place(con):
    con.execute("CREATE OR REPLACE TEMP TABLE t AS SELECT "
                "'3300 E 4th St, Los Angeles, CA 90063-1234, USA' AS addr")
    normalize.split_place(con, "SELECT addr FROM t", "t_place")
    assert con.execute("SELECT street, zip, city FROM t_place").fetchone() == (
        "3300 E 4TH ST", "90063", "LOS ANGELES")
