"""Lines whose determination is certain while the signer's record is not (two records of
one person), the lines that must not be settled that way, and names written differently
from the voter file: a middle name in full, a letter off, two short forms of one name."""

from __future__ import annotations

import json
from datetime import date

import pytest

from recallkit.verification import stages
from test_verification_engine import VOTERS, build

LA = "Los Angeles"


def _voter(vid: str, first: str, middle: str | None, last: str, addr: str, zip_: str,
           reg: date = date(2001, 1, 1), status: str = "active") -> tuple:
    return (vid, first, middle, last, None, addr, "LOS ANGELES", zip_, LA, reg, status, None)


# Two records of one person at one address (a re-registration never merged), a pair where
# the second record was registered after circulation, one namesake pair signed twice, a
# voter whose middle name is written in full, and a voter written first as an initial.
EXTRA = [
    _voter("T1", "VAHE", None, "SARGSYAN", "6737 1ST AVE APT B", "91104"),
    _voter("T2", "VAHE", None, "SARGSYAN", "6737 1ST AVE APT B", "91104"),
    # a housemate of the same initial: not the signer of a line that names VAHE exactly
    _voter("T4", "VARDAN", None, "SARGSYAN", "6737 1ST AVE APT B", "91104"),
    _voter("L1", "OKSANA", None, "WOJCIECHOWSKA", "12 CAMINO REAL", "90065"),
    _voter("L2", "OKSANA", None, "WOJCIECHOWSKA", "12 CAMINO REAL", "90065",
           reg=date(2022, 9, 1)),
    _voter("S1", "TEODORO", None, "QUINTANILLA", "48 ARGYLE AVE", "90028"),
    _voter("S2", "TEODORO", None, "QUINTANILLA", "48 ARGYLE AVE", "90028"),
    _voter("M1", "KENNETH", "DANIEL", "AGARWAL", "4019 E 44TH ST", "91010"),
    _voter("D1", "PERPETUA", None, "HOLLINGSWORTH", "310 VISTA DEL MAR", "90293"),
    _voter("N1", "OKWUDILI", None, "NWACHUKWU", "77 LARCHMONT BLVD", "90004"),
    _voter("W1", "LINDA", None, "PAPENFUSS", "9397 VENTURA ST", "90094"),
    _voter("B1", "BOB", None, "STRZELECKI", "15 CORONADO ST", "90026"),
    # a namesake of T1/T2 in the same ZIP: for each line, the other address's voters are
    # candidates too, but 2^-30 as likely
    _voter("T3", "VAHE", None, "SARGSYAN", "2210 N LAKE AVE", "91104"),
    # father and son of one name, one of whom withdrew (which one, the engine cannot say)
    _voter("G1", "ANSELMO", None, "GUERRERO-PAZ", "155 VERMONT ST", "90004"),
    _voter("G2", "ANSELMO", None, "GUERRERO-PAZ", "155 VERMONT ST", "90004"),
    # LISA and ELIZABETH at one address: LISA is also short for ELIZABETH
    _voter("E1", "LISA", None, "WHITLOCK", "8812 CEDROS AVE", "91402"),
    _voter("E2", "ELIZABETH", None, "WHITLOCK", "8812 CEDROS AVE", "91402"),
    # a title says who signed: MRS before a man's name is his wife
    _voter("H1", "HAROLD", None, "WAINWRIGHT", "1402 LAGUNA AVE", "90039"),
    _voter("H2", "DOLORES", None, "ITURRALDE", "51 ECHO PARK AVE", "90026"),
    _voter("H3", "TERRY", None, "OKONKWO", "87 MICHELTORENA ST", "90026"),
    # one name only (a mononym, filed as the surname), a file's placeholders for a first
    # or middle name nobody knew (NFN, NMN)
    _voter("O1", None, None, "SUHARTONO", "2240 RIVERSIDE DR", "90039"),
    _voter("O2", "NFN", None, "WIRYAWAN", "2250 RIVERSIDE DR", "90039"),
    _voter("O3", "PETRA", "NMN", "KOVALENKO", "2260 RIVERSIDE DR", "90039"),
]

LINES = [
    ("1:1:1", "Vahe Sargsyan", "6737 1st Ave Apt B", "Los Angeles", "91104", True, None),
    ("1:1:2", "Oksana Wojciechowska", "12 Camino Real", "Los Angeles", "90065", True, None),
    ("1:1:3", "Teodoro Quintanilla", "48 Argyle Ave", "Los Angeles", "90028", True, None),
    ("1:1:4", "Teodoro Quintanilla", "48 Argyle Avenue", "Los Angeles", "90028", True, None),
    ("1:1:5", "Kenneth Daniel Agarwal", "4019 E 44th St", "Los Angeles", "91010", True, None),
    # filed first (section 2 is filed before section 1): an initial only, so a person
    # decides it — and the later full-name line waits for that decision
    ("2:1:1", "P Hollingsworth", "310 Vista del Mar", "Los Angeles", "90293", True, None),
    ("1:1:6", "Perpetua Hollingsworth", "310 Vista del Mar", "Los Angeles", "90293", True,
     None),
    # a mover whose surname is written one letter off, at an address not in the file
    ("1:1:7", "Okwudili Nwavhukwu", "5 Nowhere Pl", "Los Angeles", "90012", True, None),
    # ROSE and LINDA are both short for ROSALINDA: at one address, two people
    ("1:1:8", "Rose Papenfuss", "9397 Ventura St", "Los Angeles", "90094", True, None),
    # BOBBY and BOB are both short for ROBERT and start alike: one person
    ("1:1:9", "Bobby Strzelecki", "15 Coronado St", "Los Angeles", "90026", True, None),
    ("1:2:1", "Vahe Sargsyan", "2210 N Lake Ave", "Pasadena", "91104", True, None),
    ("1:2:2", "Anselmo Guerrero-Paz", "155 Vermont St", "Los Angeles", "90004", True, None),
    ("1:2:3", "Lisa Whitlock", "8812 Cedros Ave", "Panorama City", "91402", True, None),
    ("1:2:4", "Elizabeth Whitlock", "8812 Cedros Ave", "Panorama City", "91402", True, None),
    ("1:2:5", "Mrs. Harold Wainwright", "1402 Laguna Ave", "Los Angeles", "90039", True, None),
    ("1:2:6", "Mrs. Dolores Iturralde", "51 Echo Park Ave", "Los Angeles", "90026", True, None),
    ("1:2:7", "Ms Terry Okonkwo", "87 Micheltorena St", "Los Angeles", "90026", True, None),
    ("1:2:8", "Suhartono", "2240 Riverside Dr", "Los Angeles", "90039", True, None),
    ("1:2:9", "Wiryawan", "2250 Riverside Dr", "Los Angeles", "90039", True, None),
    ("1:2:10", "Petra N Kovalenko", "2260 Riverside Dr", "Los Angeles", "90039", True, None),
]


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    ws = build(tmp_path_factory.mktemp("outcome"), lines=LINES, filler_lines=80,
               voters=VOTERS + EXTRA)
    ws.con.execute("INSERT INTO withdrawals (withdrawal_id, printed_name, residence_address, "
                   "city, zip, date_received) VALUES (3, 'Anselmo Guerrero Paz', "
                   "'155 Vermont St', 'Los Angeles', '90004', '2022-06-30')")
    stages.verify(ws, "full", "test")
    yield ws
    ws.close()


def _det(ws, line_id: str):
    return ws.con.execute("SELECT determination, reason, voter_id, decided_by, evidence "
                          "FROM current_determinations WHERE line_id = ?", [line_id]).fetchone()


def _queued(ws, line_id: str) -> bool:
    return bool(ws.con.execute("SELECT count(*) FROM review_queue WHERE line_id = ? AND "
                               "status = 'open'", [line_id]).fetchone()[0])


def test_two_records_of_one_person_settle_the_line(verified):
    det = _det(verified, "1:1:1")
    assert det is not None, "two records with the same outcome should not need a person"
    assert det[:3] == ("valid", None, "T1") and det[3].startswith("engine:")
    ev = json.loads(det[4])
    assert ev["p_match"] < 0.999 <= ev["p_outcome"]  # the identity is open, the outcome not


def test_records_with_different_outcomes_go_to_a_person(verified):
    # one record valid, the other registered after circulation: which one signed matters
    assert _det(verified, "1:1:2") is None and _queued(verified, "1:1:2")


def test_open_identity_shared_with_another_line_goes_to_a_person(verified):
    # one person twice (DUPLICATE) or two namesakes once each: only a person can tell
    for line in ("1:1:3", "1:1:4"):
        assert _det(verified, line) is None and _queued(verified, line)


def test_a_namesake_elsewhere_does_not_hold_an_open_identity(verified):
    # 1:1:1 (T1 or T2) and 1:2:1 (T3) share every candidate, but no plausible one
    assert _det(verified, "1:1:1")[0] == "valid"
    assert _det(verified, "1:2:1")[:3] == ("valid", None, "T3")


def test_a_withdrawal_of_one_of_two_namesakes_sends_the_line_to_a_person(verified):
    assert _det(verified, "1:2:2") is None and _queued(verified, "1:2:2")


def test_each_writes_her_own_first_name_where_a_nickname_lives_too(verified):
    # LISA WHITLOCK and ELIZABETH WHITLOCK both sign at their address: neither line is
    # the other woman's under a nickname, so neither waits for a person
    assert _det(verified, "1:2:3")[:3] == ("valid", None, "E1")
    assert _det(verified, "1:2:4")[:3] == ("valid", None, "E2")
    assert _levels(verified, "1:2:3", "E2")["excluded"] == "housemate_exact_name"


def test_a_title_of_the_other_sex_sends_the_line_to_a_person(verified):
    # MRS HAROLD WAINWRIGHT is how his wife may sign; MRS DOLORES and MS TERRY (a name
    # both sexes bear) are the voters themselves
    assert _det(verified, "1:2:5") is None and _queued(verified, "1:2:5")
    assert verified.con.execute("SELECT doubt FROM review_queue WHERE line_id = '1:2:5'"
                                ).fetchone()[0] == "title_sex"
    assert _det(verified, "1:2:6")[:3] == ("valid", None, "H2")
    assert _det(verified, "1:2:7")[:3] == ("valid", None, "H3")


def test_a_voter_of_one_name_and_placeholders_for_names(verified):
    assert _det(verified, "1:2:8")[:3] == ("valid", None, "O1")
    assert _det(verified, "1:2:9")[:3] == ("valid", None, "O2")
    # NMN is no middle name: the written initial N does not disagree with it
    assert _det(verified, "1:2:10")[:3] == ("valid", None, "O3")
    assert _levels(verified, "1:2:10", "O3")["mid"] == -1


def test_middle_name_written_in_full_is_not_part_of_the_surname(verified):
    comp = verified.con.execute("SELECT components FROM match_candidates WHERE line_id = "
                                "'1:1:5' AND voter_id = 'M1'").fetchone()[0]
    c = json.loads(comp)
    assert c["last"] == 4 and c["mid"] == 1
    assert _det(verified, "1:1:5")[:3] == ("valid", None, "M1")


def test_line_waits_for_an_earlier_queued_line_of_the_same_voter(verified):
    assert _queued(verified, "2:1:1")  # an initial never settles an identity alone
    assert _det(verified, "1:1:6") is None and _queued(verified, "1:1:6")


def _levels(ws, line_id: str, voter_id: str) -> dict | None:
    row = ws.con.execute("SELECT components FROM match_candidates WHERE line_id = ? AND "
                         "voter_id = ?", [line_id, voter_id]).fetchone()
    return json.loads(row[0]) if row else None


def test_name_one_letter_off_is_still_searched_county_wide(verified):
    c = _levels(verified, "1:1:7", "N1")
    assert c is not None and 8 in c["passes"] and c["first"] == 4 and c["last"] >= 1
    det = _det(verified, "1:1:7")
    assert det is None or det[1] != "NOT_REGISTERED"  # never "nobody" with N1 in sight


def test_two_short_forms_of_one_name(verified):
    assert _levels(verified, "1:1:8", "W1")["first"] == 1  # ROSE / LINDA: loose only
    det = _det(verified, "1:1:8")
    assert det is None or det[0] == "invalid"  # never accepted as LINDA
    assert _levels(verified, "1:1:9", "B1")["first"] == 3  # BOBBY / BOB
    assert _det(verified, "1:1:9")[:3] == ("valid", None, "B1")
