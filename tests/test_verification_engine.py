"""The verification engine on a small hand-made petition: every reason code, the
household rule, nicknames, address tolerances, duplicates, withdrawals, section defects."""

from __future__ import annotations

import random
from datetime import date

import pyarrow as pa
import pytest

from recallkit.verification import stages
from recallkit.workspace.db import create_workspace

FROM, TO, FILED = date(2022, 2, 1), date(2022, 7, 1), date(2022, 7, 5)
APPROVED = date(2022, 1, 27)

FIRST = ["JAMES", "MARY", "LINDA", "DAVID", "SUSAN", "KAREN", "NANCY", "BRIAN", "KEVIN",
         "LAURA", "HELEN", "SCOTT", "ERIC", "AMY", "ANNA", "PAUL", "RUTH", "CARL", "DIANA"]
LAST = ["ANDERSON", "THOMPSON", "WHITE", "HARRIS", "CLARK", "LEWIS", "WALKER", "HALL",
        "ALLEN", "YOUNG", "KING", "WRIGHT", "SCOTT", "GREEN", "BAKER", "ADAMS", "NELSON"]
STREETS = ["OAK", "PINE", "CEDAR", "ELM", "MAPLE", "LAUREL", "BIRCH", "ASPEN", "WILLOW"]

# voter_id, first, middle, last, suffix, address, city, zip, county, reg, status, status_date
VOTERS = [
    ("V1", "ROBERT", "ALLEN", "KOWALSKI", None, "1234 N MAIN ST APT 5", "LOS ANGELES",
     "90012", "Los Angeles", date(2001, 1, 1), "active", None),
    ("V2", "JOSE", None, "GARCIA LOPEZ", None, "55 W FIRST AVE", "LOS ANGELES", "90001",
     "Los Angeles", date(2010, 5, 1), "active", None),
    ("V3", "NGUYEN", None, "THI HOA", None, "900 BOLSA AVE", "WESTMINSTER", "92683",
     "Los Angeles", date(2015, 1, 1), "inactive", None),
    ("V4", "ARAM", None, "PETROSYAN", None, "77 GLENOAKS BLVD", "GLENDALE", "91202",
     "Los Angeles", date(2012, 1, 1), "cancelled", date(2021, 6, 1)),
    ("V5", "JI", "HOON", "PARK", None, "3030 WILSHIRE BLVD 1/2", "LOS ANGELES", "90010",
     "Los Angeles", date(2022, 8, 1), "active", None),
    ("V6", "XIAOMING", None, "ZHANG", None, "12 ORANGE GROVE AVE", "PASADENA", "91105",
     "Orange", date(2005, 1, 1), "active", None),
    ("V7", "WILHELMINA", None, "ABERNATHY", None, "400 OCEAN BLVD", "LONG BEACH", "90802",
     "Los Angeles", date(2000, 1, 1), "active", None),
    ("V8", "GUADALUPE", None, "DE LA CRUZ", None, "18 SUNSET BLVD", "LOS ANGELES", "90026",
     "Los Angeles", date(2003, 1, 1), "active", None),
    ("V9", "BARTHOLOMEW", None, "QUIGLEY", None, "61 HILL ST", "LOS ANGELES", "90012",
     "Los Angeles", date(1999, 1, 1), "active", None),
    ("V10", "PRISCILLA", None, "VANDERMEER", None, "8 ROSE AVE", "VENICE", "90291",
     "Los Angeles", date(1999, 1, 1), "active", None),
    ("V11", "OCTAVIA", None, "FAIRWEATHER", None, "9 IVY LN", "LOS ANGELES", "90027",
     "Los Angeles", date(1999, 1, 1), "cancelled", date(2022, 3, 1)),
    ("V12", "THADDEUS", None, "MONTGOMERY", None, "14 PALM DR", "BURBANK", "91501",
     "Los Angeles", date(1999, 1, 1), "active", None),
    ("V13", "CORNELIUS", None, "WAINWRIGHT", None, "250 NEW ADDRESS RD", "TORRANCE",
     "90501", "Los Angeles", date(2022, 4, 1), "active", None),
]

# section_id, county, declaration_signed, circulated_from, circulated_to, date_filed, defects
SECTIONS = [
    ("1", "Los Angeles", True, FROM, TO, FILED, None),
    ("2", "Los Angeles", True, FROM, TO, date(2022, 7, 2), None),
    ("3", "Los Angeles", False, FROM, TO, FILED, None),
    ("4", "Orange", True, FROM, TO, FILED, None),
    ("5", "Los Angeles", True, date(2022, 1, 10), TO, FILED, None),
    ("6", "Los Angeles", True, FROM, TO, date(2023, 1, 5), None),
    ("7", "Los Angeles", True, FROM, TO, FILED, ["SECTION_FORMAT_DEFECT"]),
]

# line id, printed name, address, city, zip, has_signature, expected (det, reason)
LINES = [
    ("1:1:1", "Bob Kowalski", "1234 North Main Street", "Los Angeles", "90012", True,
     ("valid", None)),                      # nickname, abbreviations, unit blank
    ("1:1:2", "Pepe Garcia", "55 West 1st Avenue", "", "90001", True,
     ("valid", None)),                      # Spanish nickname, compound surname, no city
    ("1:1:3", "THI HOA, NGUYEN", "900 Bolsa Ave", "Westminster", "", True,
     ("valid", None)),                      # LAST, FIRST; inactive is registered; no ZIP
    ("1:1:4", "Aram Petrosyan", "77 Glenoaks Blvd", "Glendale", "91202", True,
     ("invalid", "CANCELLED")),
    ("1:1:5", "Ji Hoon Park", "3030 Wilshire Blvd", "Los Angeles", "90010", True,
     ("invalid", "REGISTERED_LATE")),       # fraction omitted, registered after circulation
    ("1:1:6", "Xiaoming Zhang", "12 Orange Grove Ave", "Pasadena", "91105", True,
     ("invalid", "OUT_OF_JURISDICTION")),
    ("1:1:7", "Mary Kowalski", "1234 N Main St Apt 5", "Los Angeles", "90012", True,
     ("invalid", "NOT_REGISTERED")),        # household rule: a family member
    ("1:1:8", "Zebulon Quartermaine", "5 Nowhere Pl", "Los Angeles", "90012", True,
     ("invalid", "NOT_REGISTERED")),
    ("1:1:9", "Wilhelmina Abernathy", "400 Ocean Blvd", "Long Beach", "90802", False,
     ("invalid", "NO_SIGNATURE")),
    ("1:1:10", "", "400 Ocean Blvd", "Long Beach", "90802", True,
     ("invalid", "ILLEGIBLE")),
    ("1:1:11", "Bartholomew Quigley", "", "", "", True, ("invalid", "NO_ADDRESS")),
    ("1:2:1", "Lupe De La Cruz", "18 Sunset Blvd", "Los Angeles", "90026", True,
     ("invalid", "DUPLICATE")),             # section 1 is filed after section 2
    ("2:1:1", "Guadalupe Delacruz", "18 Sunset Boulevard", "LA", "90026", True,
     ("valid", None)),                      # the first occurrence in filing order counts
    ("2:10:1", "Priscilla Vandermeer", "8 Rose Ave", "Venice", "90291", True,
     ("invalid", "WITHDRAWN")),
    ("2:2:1", "Octavia Fairweather", "9 Ivy Ln", "Los Angeles", "90027", True,
     ("valid", None)),                      # cancelled only after circulation began
    ("2:3:1", "Cornelius Wainwright", "77 Old Address St", "Torrance", "90501", True,
     ("valid", None)),                      # moved during circulation (voter_history)
    ("3:1:1", "Thaddeus Montgomery", "14 Palm Dr", "Burbank", "91501", True,
     ("invalid", "CIRCULATOR_DECLARATION_DEFECT")),
    ("4:1:1", "Thaddeus Montgomery", "14 Palm Dr", "Burbank", "91501", True,
     ("invalid", "WRONG_COUNTY_SECTION")),
    ("5:1:1", "Thaddeus Montgomery", "14 Palm Dr", "Burbank", "91501", True,
     ("invalid", "SIGNED_BEFORE_APPROVAL")),
    ("6:1:1", "Thaddeus Montgomery", "14 Palm Dr", "Burbank", "91501", True,
     ("invalid", "SECTION_FILED_LATE")),
    ("7:1:1", "Thaddeus Montgomery", "14 Palm Dr", "Burbank", "91501", True,
     ("invalid", "SECTION_FORMAT_DEFECT")),
]


def _filler(rng: random.Random, n: int) -> list[tuple]:
    out = []
    for i in range(n):
        street = rng.choice(STREETS)
        out.append((f"F{i}", rng.choice(FIRST), None, rng.choice(LAST), None,
                    f"{rng.randint(100, 9999)} {street} ST", "LOS ANGELES",
                    f"900{rng.randint(10, 99)}", "Los Angeles", date(2000, 1, 1), "active",
                    None))
    return out


def _insert(con, table: str, cols: list[str], rows: list[tuple]) -> None:
    data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})
    con.register("rows_arrow", data)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM rows_arrow")
    con.unregister("rows_arrow")


def build(tmp_path, lines=LINES, filler_lines: int = 60, measure: int = 200_000,
          voters=VOTERS, sections=SECTIONS):
    """The hand-made petition plus `filler_lines` clean signers (one registered filler voter
    each; at least 400 filler voters). `measure` is the registered voters: a test that draws
    a sample must pass the raw-count gate (EC 11222(b)), so keep 15% of it (50,000 or more
    registered: 160 days, which the sections' dates need) within the raw count."""
    ws = create_workspace(tmp_path / "ws", rules="ca-local", jurisdiction="Los Angeles County",
                          office="District Attorney", officer="A. Officer", measure=measure,
                          format_approved=APPROVED, counties=["Los Angeles"], actor="test")
    rng = random.Random(5)
    filler = _filler(rng, max(400, filler_lines))  # the first 400 are the same either way
    con = ws.con
    _insert(con, "voters", ["voter_id", "first_name", "middle_name", "last_name",
                            "name_suffix", "residence_address", "city", "zip", "county",
                            "registration_date", "status", "status_date"], voters + filler)
    con.execute("INSERT INTO voter_history (voter_id, residence_address, city, zip, county, "
                "status, valid_from, valid_to, source_row) VALUES ('V13', '77 OLD ADDRESS ST', "
                "'TORRANCE', "
                "'90501', 'Los Angeles', 'active', '2010-01-01', '2022-04-01', 1)")
    con.executemany(
        "INSERT INTO sections (section_id, county, pages, signature_lines, declaration_signed, "
        "circulated_from, circulated_to, date_filed, defects, circulator_name) "
        "VALUES (?, ?, 10, 10, ?, ?, ?, ?, ?, 'C')", sections)
    rows = [(lid, *lid.split(":"), name, addr, city, z, sig)
            for lid, name, addr, city, z, sig, _ in lines]
    # filler signers: registered voters signing cleanly (the model learns from them)
    for i, v in enumerate(filler[:filler_lines]):
        rows.append((f"8:{i + 1}:1", "8", i + 1, 1, f"{v[1]} {v[3]}", v[5], v[6], v[7], True))
    con.execute("INSERT INTO sections (section_id, county, pages, signature_lines, "
                "declaration_signed, circulated_from, circulated_to, date_filed) VALUES "
                "('8', 'Los Angeles', ?, ?, true, ?, ?, ?)",
                [max(100, filler_lines), max(100, filler_lines), FROM, TO, FILED])
    _insert(con, "signatures", ["line_id", "section_id", "page", "line", "printed_name",
                                "residence_address", "city", "zip", "has_signature"],
            [(r[0], r[1], int(r[2]), int(r[3]), *r[4:]) for r in rows])
    con.execute("INSERT INTO withdrawals (withdrawal_id, printed_name, residence_address, city, "
                "zip, date_received) VALUES (1, 'Priscilla Vandermeer', '8 Rose Avenue', "
                "'Venice', '90291', '2022-06-30'), (2, 'Octavia Fairweather', '9 Ivy Lane', "
                "'Los Angeles', '90027', '2022-07-20')")
    return ws


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    ws = build(tmp_path_factory.mktemp("engine"))
    result = stages.verify(ws, "full", "test")
    yield ws, result
    ws.close()


def _current(ws) -> dict[str, tuple]:
    rows = ws.con.execute("SELECT line_id, determination, reason, voter_id, decided_by "
                          "FROM current_determinations").fetchall()
    return {r[0]: r[1:] for r in rows}


@pytest.mark.parametrize("line", LINES, ids=[f"{x[0]}-{x[6][1] or 'valid'}" for x in LINES])
def test_each_line_gets_its_determination_and_reason(verified, line):
    ws, _ = verified
    cur = _current(ws)
    lid, *_, expected = line
    queued = ws.con.execute("SELECT reason_hint FROM review_queue WHERE line_id = ?",
                            [lid]).fetchall()
    assert lid in cur, f"{lid} was sent to review ({queued}) instead of decided"
    assert cur[lid][:2] == expected


def test_clean_filler_lines_are_valid_and_matched(verified):
    ws, result = verified
    bad = ws.con.execute("""SELECT count(*) FROM signatures s
        LEFT JOIN current_determinations d USING (line_id)
        WHERE s.section_id = '8' AND coalesce(d.determination, '') <> 'valid'""").fetchall()
    assert bad[0][0] <= 2  # a filler namesake at another address may go to review
    assert result.decided_automatically >= len(LINES)


def test_duplicate_keeps_evidence_of_first_occurrence(verified):
    ws, _ = verified
    ev = ws.con.execute("""SELECT evidence->>'$.first_occurrence' FROM current_determinations
                           WHERE line_id = '1:2:1'""").fetchall()[0][0]
    assert ev == "2:1:1"


def test_candidates_keep_score_components_and_run_params(verified):
    ws, _ = verified
    comp = ws.con.execute("SELECT components FROM match_candidates WHERE line_id = '1:1:1' "
                          "ORDER BY rank LIMIT 1").fetchall()[0][0]
    assert '"first":3' in comp.replace(" ", "")  # nickname level
    params = ws.con.execute("SELECT params FROM match_runs").fetchall()[0][0]
    assert "weights" in params and "epsilon" in params


def test_verify_is_incremental(verified):
    ws, _ = verified
    again = stages.verify(ws, "full", "test")
    assert again.examined == 0 and again.run_id is None


def test_export_view_has_auditor_columns(verified):
    ws, _ = verified
    cols = [d[0] for d in ws.con.execute("SELECT * FROM determinations_export LIMIT 1")
            .description]
    for c in ("section_id", "page", "line", "determination", "reason", "voter_id",
              "decided_by", "score"):
        assert c in cols


def test_full_count_counts_valid_lines(verified):
    from recallkit.verification.fullcount import run_full_count

    ws, _ = verified
    fc = run_full_count(ws, "test", force=True)
    expected_valid = ws.con.execute("SELECT count(*) FROM current_determinations "
                                    "WHERE determination = 'valid'").fetchall()[0][0]
    assert fc.valid == expected_valid and fc.required == ws.petition.required
    assert fc.outcome in ("in_progress", "insufficient")


def test_signature_comparison_sends_unlike_signatures_to_review(tmp_path):
    """2 CCR 20960: a signature unlike the one on file goes to a person (never rejected by
    the machine); no image on either side leaves the presumption of validity."""
    from recallkit.synth.images import draw_signature, hand_for

    ws = build(tmp_path, lines=LINES[:1], filler_lines=40)
    con = ws.con
    fillers = con.execute("SELECT s.line_id, v.voter_id, s.printed_name FROM signatures s "
                          "JOIN voters v ON s.printed_name = v.first_name || ' ' || v.last_name "
                          "AND s.residence_address = v.residence_address "
                          "WHERE s.section_id = '8' ORDER BY s.line_id").fetchall()
    img = tmp_path / "img"
    img.mkdir()
    forged, no_file = fillers[0][0], fillers[1][0]
    for k, (lid, vid, name) in enumerate(fillers):
        hand = hand_for(vid + "#other" if lid == forged else vid)
        draw_signature(name, hand, tremor=k + 1).save(img / f"line{k}.png")
        con.execute("UPDATE signatures SET signature_image = ? WHERE line_id = ?",
                    [f"img/line{k}.png", lid])  # relative to the workspace's parent
        if lid != no_file:
            draw_signature(name, hand_for(vid)).save(img / f"{vid}.png")
            con.execute("UPDATE voters SET signature_image = ? WHERE voter_id = ?",
                        [str(img / f"{vid}.png"), vid])
    stages.verify(ws, "full", "test")
    hint = con.execute("SELECT reason_hint FROM review_queue WHERE line_id = ?",
                       [forged]).fetchall()
    assert hint and hint[0][0].startswith("SIGNATURE_MISMATCH")
    assert forged not in _current(ws)
    state = con.execute("SELECT determination, evidence->>'$.signature.state' FROM "
                        "current_determinations WHERE line_id = ?", [no_file]).fetchall()
    assert state == [("valid", "no_image")]
    compared = con.execute("SELECT count(*) FROM current_determinations WHERE "
                           "evidence->>'$.signature.state' = 'compared' AND "
                           "determination = 'valid'").fetchall()[0][0]
    assert compared >= len(fillers) - 6
    params = con.execute("SELECT params->>'$.signatures.threshold' FROM match_runs"
                         ).fetchall()[0][0]
    assert params is not None
    ws.close()


def test_initial_alone_never_settles_identity(tmp_path):
    """R KOWALSKI at Robert Kowalski's address may be an unregistered family member:
    an initial (first-name level 1) sends the line to a person, never auto-matches."""
    extra = ("1:3:1", "R Kowalski", "1234 N Main St", "Los Angeles", "90012", True,
             ("valid", None))
    ws = build(tmp_path, lines=[LINES[0], extra])
    try:
        stages.verify(ws, "full", "test")
        queued = ws.con.execute("SELECT count(*) FROM review_queue WHERE line_id = '1:3:1'"
                                ).fetchall()[0][0]
        assert queued == 1
        assert "1:1:1" in _current(ws)  # the nickname line is still decided alone
    finally:
        ws.close()


@pytest.mark.parametrize("settles", [True, False], ids=["default", "switched-off"])
def test_signature_like_the_one_on_file_settles_an_open_identity(tmp_path, settles):
    """Two namesakes elsewhere, a line at an address in neither record: the names cannot
    tell who signed; a signature like one voter's on file does (the line is then that
    voter's ADDRESS_MISMATCH), one like neither leaves it to a person."""
    from recallkit.synth.images import draw_signature, hand_for

    twins = [("MA", "MORTIMER", None, "GALLOWAY", None, "10 PINE ST", "LOS ANGELES", "90041",
              "Los Angeles", date(2000, 1, 1), "active", None),
             ("MZ", "MORTIMER", None, "GALLOWAY", None, "99 CEDAR ST", "LOS ANGELES", "90065",
              "Los Angeles", date(2000, 1, 1), "active", None)]
    lines = [("9:1:1", "Mortimer Galloway", "5 Nowhere Pl", "Los Angeles", "90012", True, None),
             ("9:1:2", "Mortimer Galloway", "7 Elsewhere Pl", "Los Angeles", "90013", True,
              None)]
    ws = build(tmp_path, lines=lines, filler_lines=40, voters=VOTERS + twins)
    con = ws.con
    con.execute("INSERT INTO sections (section_id, county, pages, signature_lines, "
                "declaration_signed, circulated_from, circulated_to, date_filed) VALUES "
                "('9', 'Los Angeles', 1, 10, true, ?, ?, ?)", [FROM, TO, FILED])
    img = tmp_path / "img"
    img.mkdir()
    signers = con.execute("SELECT s.line_id, v.voter_id, s.printed_name FROM signatures s "
                          "JOIN voters v ON s.printed_name = v.first_name || ' ' || "
                          "v.last_name AND s.residence_address = v.residence_address "
                          "WHERE s.section_id = '8'").fetchall()
    signers = [("9:1:1", "MA", "Mortimer Galloway"), ("9:1:2", "nobody", "Mortimer Galloway"),
               *signers]
    for k, (lid, vid, name) in enumerate(signers):
        # the fillers' scans vary (tremor), so the line written by MA is among the likest
        draw_signature(name, hand_for(vid), tremor=k).save(img / f"line{k}.png")
        con.execute("UPDATE signatures SET signature_image = ? WHERE line_id = ?",
                    [str(img / f"line{k}.png"), lid])
    on_file = [(v, n) for _, v, n in signers if v != "nobody"] + [("MZ", "Mortimer Galloway")]
    for vid, name in on_file:
        draw_signature(name, hand_for(vid)).save(img / f"{vid}.png")
        con.execute("UPDATE voters SET signature_image = ? WHERE voter_id = ?",
                    [str(img / f"{vid}.png"), vid])
    stages.verify(ws, "full", "test", signature_identity=settles)
    like = con.execute("SELECT params->>'$.signatures.like' FROM match_runs").fetchall()[0][0]
    row = con.execute("SELECT determination, reason, voter_id, evidence->>'$.settled_by' "
                      "FROM current_determinations WHERE line_id = '9:1:1'").fetchall()
    if not settles:  # a county that wants a person on every such line
        assert like is None and row == []
        ws.close()
        return
    assert like is not None
    assert row == [("invalid", "ADDRESS_MISMATCH", "MA", "signature")]
    assert "9:1:2" not in _current(ws)  # like neither: a person decides
    ws.close()
