"""Names and addresses as Los Angeles writes them, decided without a person: Vietnamese,
Chinese and Korean names surname first, Korean given names with and without the hyphen,
Armenian spellings, compound Hispanic names used in part or hyphenated, Spanish and
English nicknames, accents, suffixes, ZIP+4, units and fractions, and family members who
are not registered."""

from __future__ import annotations

from datetime import date

import pytest

from recallkit.verification import stages
from test_verification_engine import FILED, FROM, LINES, SECTIONS, TO, VOTERS, build

D = date(2005, 1, 1)


def _v(i: int, first: str, middle: str | None, last: str, addr: str, city: str,
       z: str) -> tuple:
    return (f"G{i}", first, middle, last, None, addr, city, z, "Los Angeles", D, "active",
            None)


EXTRA_VOTERS = [
    _v(1, "MINH", "VAN", "NGUYEN", "1500 W WESTMINSTER BLVD", "WESTMINSTER", "92683"),
    _v(2, "MIN-JUN", None, "KIM", "3700 W 6TH ST APT 12", "LOS ANGELES", "90020"),
    _v(3, "ARMEN", None, "HOVSEPIAN", "1020 E COLORADO ST", "GLENDALE", "91205"),
    _v(4, "WEI", None, "WANG", "88 S ATLANTIC BLVD", "MONTEREY PARK", "91754"),
    _v(5, "MARIA DEL CARMEN", None, "RODRIGUEZ HERNANDEZ", "4510 E CESAR E CHAVEZ AVE",
       "LOS ANGELES", "90022"),
    _v(6, "JESUS", None, "RAMIREZ", "2211 E 1ST ST", "LOS ANGELES", "90033"),
    _v(7, "IGNACIO", None, "FLORES", "310 N SOTO ST", "LOS ANGELES", "90033"),
    _v(8, "MARGARET", "ANN", "O'BRIEN", "742 EVERGREEN TER", "BURBANK", "91505"),
    _v(9, "JUAN", None, "MARTINEZ", "1601 S CENTRAL AVE", "LOS ANGELES", "90021"),
    _v(11, "SEO-YEON", None, "PARK", "600 S NORMANDIE AVE UNIT 3", "LOS ANGELES", "90005"),
    _v(12, "HOVHANNES", None, "TER-PETROSYAN", "221 W BROADWAY", "GLENDALE", "91204"),
    _v(13, "XUAN", "THI", "TRAN", "9200 BOLSA AVE", "WESTMINSTER", "92683"),
    _v(14, "FRANCISCO", "JAVIER", "DE LA TORRE", "77 W AVENUE 26", "LOS ANGELES", "90031"),
    _v(15, "WILLIAM", None, "JOHNSON", "1900 N VERMONT AVE", "LOS ANGELES", "90027"),
    _v(16, "JI", "HOON", "CHOI", "410 S WESTERN AVE", "LOS ANGELES", "90020"),
    ("G17", "JOSE", None, "GARCIA", "JR", "1200 S HOPE ST", "LOS ANGELES", "90015",
     "Los Angeles", D, "active", None),
    _v(18, "ANNA", None, "SMITH JONES", "45 N MARENGO AVE", "PASADENA", "91101"),
    _v(19, "DAVID", None, "OKAFOR", "1800 W 3RD ST APT 5B", "LOS ANGELES", "90057"),
    _v(20, "ROSA", None, "MEDINA", "1234 1/2 E 4TH ST", "LOS ANGELES", "90033"),
    _v(21, "ELIZABETH", None, "HARGROVE", "19 LINDEN AVE", "LONG BEACH", "90802"),
    _v(22, "RICHARD", None, "PETTIGREW", "200 E GARVEY AVE", "MONTEREY PARK", "91755"),
    _v(23, "GUILLERMO", None, "SANDOVAL", "3100 CITY TERRACE DR", "LOS ANGELES", "90063"),
    _v(24, "JOSE", None, "MUNOZ", "655 S FAIRFAX AVE", "LOS ANGELES", "90036"),
    _v(25, "MARIA", None, "LOPEZ GARCIA", "2900 FIRESTONE BLVD", "SOUTH GATE", "90280"),
    _v(26, "TAI MAN", None, "CHAN", "700 N SPRING ST", "LOS ANGELES", "90012"),
    _v(27, "JI-EUN", None, "LEE", "950 S VERMONT AVE", "LOS ANGELES", "90006"),
    _v(28, "ROBERTO", None, "AGUILAR", "4100 WHITTIER BLVD", "LOS ANGELES", "90023"),
    _v(29, "KATHERINE", "L", "NAKAMURA", "1440 W 190TH ST", "GARDENA", "90248"),
    _v(30, "FRANCISCO", None, "GUTIERREZ", "8800 S WESTERN AVE", "LOS ANGELES", "90047"),
    _v(31, "ANI", None, "GRIGORYAN", "1100 N CENTRAL AVE", "GLENDALE", "91202"),
    _v(32, "MARY ANN", None, "SULLIVAN", "301 E 3RD ST", "LONG BEACH", "90802"),
    _v(33, "MARYANN", None, "KOWALCZYK", "52 N LAKE AVE", "PASADENA", "91101"),
    _v(34, "PATRICK", None, "ST JOHN", "1616 N LA BREA AVE", "LOS ANGELES", "90028"),
    _v(35, "ANGUS", None, "MCDONALD", "4 OAK KNOLL TER", "PASADENA", "91106"),
    _v(36, "MARIA", "ELENA", "GOMEZ", "615 S LA FAYETTE PARK PL", "LOS ANGELES", "90057"),
    _v(37, "SUSAN", None, "BLACKWOOD", "3 PALOS VERDES DR W", "PALOS VERDES ESTATES",
       "90274"),
    _v(38, "DANIEL", None, "KRIKORIAN", "330 N JACKSON ST APT 201", "GLENDALE", "91206"),
    _v(39, "ALEJANDRO", None, "CASTANEDA", "1101 W 7TH ST", "SAN PEDRO", "90731"),
    _v(40, "SHEILA", "CINDI", "FLORES", "274 N SAN FERNANDO ST", "SAN FERNANDO", "91340"),
    _v(41, "ALEJANDRO", None, "DE LEON", "213 GRIFFIN ST APT 202", "ROSEMEAD", "91770"),
    _v(42, "MARIA", None, "DE LEON", "213 GRIFFIN ST APT 202", "ROSEMEAD", "91770"),
    _v(43, "GUADALUPE", "SILVIA", "CHAVEZ", "1279 CERVANTES AVE", "LA PUENTE", "91745"),
    _v(44, "JAMES", "ROBERT", "SOLBERG", "2200 COLORADO AVE", "SANTA MONICA", "90404"),
    _v(45, "JOHN", None, "PRITCHARD", "808 W 5TH ST", "LOS ANGELES", "90071"),
    _v(46, "MARY JANE", None, "OKONKWO", "1500 N FAIR OAKS AVE", "PASADENA", "91103"),
    _v(47, "SAMUEL", None, "TESFAYE", "12 E PALM AVE APT 5", "BURBANK", "91502"),
    _v(48, "ROSA", None, "ECHEVERRIA", "3300 E CESAR E CHAVEZ AVE", "LOS ANGELES", "90063"),
    _v(49, "DENISE", None, "HOLLOWAY", "4120 W MARTIN LUTHER KING JR BLVD", "LOS ANGELES",
       "90008"),
    _v(50, "MARIA", "GUADALUPE", "TORRES", "1450 W 60TH ST", "LOS ANGELES", "90044"),
    _v(51, "DENISE", None, "OKAFOR", "3800 W MARTIN LUTHER KING JR BLVD", "LOS ANGELES",
       "90008"),
    _v(52, "LORENZO", None, "QUEZADA", "150 W ARTESIA BLVD", "COMPTON", "90220"),
    _v(53, "ESPERANZA", None, "VILLASENOR", "4500 HUNTINGTON DR S", "LOS ANGELES", "90032"),
    _v(54, "SUNG MIN", None, "PARK", "4000 WILSHIRE BLVD APT 5C", "LOS ANGELES", "90010"),
    _v(55, "JI HO", None, "CHOI", "4100 WILSHIRE BLVD APT 6C", "LOS ANGELES", "90010"),
    _v(56, "OLIVIA", None, "HASSELBECK", "1450 W 60TH ST", "LOS ANGELES", "90044"),
    _v(57, "PRIYA", None, "RAMASWAMY", "300 S GRAND AVE APT 1204", "LOS ANGELES", "90071"),
    _v(58, "ANTONIO", None, "ZEPEDA", "100 W 50TH ST", "LOS ANGELES", "90037"),
    _v(59, "DANIEL", None, "ARELLANO", "200 W 51ST ST", "LOS ANGELES", "90037"),
    _v(60, "ERIC", None, "LINDGREN", "700 W 56TH ST", "LOS ANGELES", "90037"),
    _v(61, "ERIC", "TIMOTHY", "GUTHRIE", "850 W 57TH ST", "LOS ANGELES", "90037"),
    _v(62, "DMITRI", None, "VOLKOV", "700 E GARVEY AVE", "MONTEREY PARK", "91755"),
    _v(63, "JOSE", None, "GARCIA LOPEZ", "1100 W 70TH ST", "LOS ANGELES", "90044"),
    _v(64, "MARIA", None, "RAMIREZ-SOTO", "1200 W 71ST ST", "LOS ANGELES", "90044"),
    _v(65, "DAVID", None, "BARAJAS-RUIZ", "3684 ZAMORA AVE APT 202", "LOS ANGELES", "90011"),
    _v(66, "HAYK", None, "HARUTYUNYAN", "1234 E ELK AVE", "GLENDALE", "91205"),
    _v(67, "ARMANDO", None, "QUINTERO", "1600 W 75TH ST", "LOS ANGELES", "90047"),
    _v(68, "NADIA", None, "KOURY", "401 S BURNSIDE AVE APT 9", "LOS ANGELES", "90036"),
    _v(69, "PHILLIP", None, "OCHOA", "300 W 52ND ST", "LOS ANGELES", "90037"),
    _v(70, "KATHERINE", None, "BECERRA", "500 W 54TH ST", "LOS ANGELES", "90037"),
    _v(71, "RICARDO", None, "SALAZAR", "21000 PACIFIC COAST HWY", "MALIBU", "90265"),
    _v(72, "TERRENCE", None, "MCALLISTER", "14825 ROSCOE BLVD", "PANORAMA CITY", "91402"),
    _v(73, "GLORIA", None, "CISNEROS", "2501 W SUNSET BLVD", "LOS ANGELES", "90026"),
    _v(74, "HAROLD", None, "BRISCOE", "9120 RESEDA BLVD", "NORTHRIDGE", "91324"),
    _v(75, "NGOC", "ANH", "PHAM", "10100 GARDEN GROVE BLVD", "GARDEN GROVE", "92844"),
    _v(76, "SOO", "YOUNG", "YOON", "3250 W OLYMPIC BLVD APT 210", "LOS ANGELES", "90006"),
    _v(77, "J", "ROBERT", "PEMBROKE", "330 S BARRINGTON AVE", "LOS ANGELES", "90049"),
    _v(78, "ALICIA", None, "FONSECA", "1234 A MAPLE AVE", "LOS ANGELES", "90015"),
    _v(79, "MARIA", None, "LOPEZ", "1500 E 52ND ST", "LOS ANGELES", "90011"),
    _v(80, "ROSA MARIA", None, "DE LA O", "700 N GLENDALE AVE", "GLENDALE", "91206"),
]

# Two surnames each, the first shared and the second another (the son JOSE GARCIA
# HERNANDEZ of JOSE GARCIA LOPEZ): never accepted as the voter, and not rejected alone
# either (a woman may sign with her husband's surname in place of her mother's).
SURNAME_CONFLICTS = [
    ("9:9:6", "Jose Garcia Hernandez", "1100 W 70th St", "Los Angeles", "90044", "G63"),
    ("9:9:7", "Maria Ramirez-Vega", "1200 W 71st St", "Los Angeles", "90044", "G64"),
]

# A suffix written for a voter registered without one: the voter, or his unregistered son
# of the same name. A person tells them apart.
SUFFIX_ADDED = [
    ("9:9:9", "Armando Quintero Jr", "1600 W 75th St", "Los Angeles", "90047", "G67"),
]

# Unregistered family members whose first name is the voter's, a letter changed: two real
# names, two people (the daughter ANTONIA of ANTONIO); or the voter's middle name (the son
# TIMOTHY of ERIC TIMOTHY). Never accepted as the voter by the engine alone.
HOUSEMATES = [
    ("9:9:1", "Antonia Zepeda", "100 W 50th St", "Los Angeles", "90037", "G58"),
    ("9:9:2", "Daniela Arellano", "200 W 51st St", "Los Angeles", "90037", "G59"),
    ("9:9:3", "Erica Lindgren", "700 W 56th St", "Los Angeles", "90037", "G60"),
    ("9:9:4", "Timothy Guthrie", "850 W 57th St", "Los Angeles", "90037", "G61"),
]

# The voter's house number and ZIP on a street of another name: more likely the street
# written another way than a move to the same number, so a person looks first.
SAME_HOUSE = [
    ("9:8:4", "Esperanza Villasenor", "4500 Valley Blvd", "Los Angeles", "90032", "G53"),
    # and read surname first
    ("9:8:6", "Choi Ji Ho", "4100 W 6th St Apt 6C", "Los Angeles", "90010", "G55"),
]

# Voters at their own address under a misspelt nickname (LAEX for ALEX, for ALEJANDRO)
# or initials (J.R., not the suffix JR): a person may be asked, but the household rule
# must not decide NOT_REGISTERED alone.
TYPOS = [
    ("9:7:3", "J.R. Solberg", "2200 Colorado Ave", "Santa Monica", "90404", "G44"),
    ("9:7:1", "Laex De Leon", "213 Griffin Street Apt 202", "Rosemead", "91770", "G41"),
    ("9:7:2", "Lpue Chávez", "1279 Cervantes Ave", "La Puente", "91745", "G43"),
]

# Movers (registered at another address; one with a typo in the name): the engine may ask
# a person, but must not decide that nobody of the name is registered.
MOVERS = [
    ("9:6:1", "Sheila Cindi Flires", "22995 Broadway Ave", "Sierra Madre", "91024",
     "G40"),                                        # middle name in full, surname typo
    ("9:6:5", "Dmitri Volkov", "2200 E Katella Ave", "Anaheim", "92806", "G62"),
]

VALID = ("valid", None)
# line id, printed name, address, city, zip, has_signature, expected, voter
EXTRA_LINES = [
    ("9:1:1", "Nguyen Van Minh", "1500 W Westminster Boulevard", "Westminster", "92683",
     VALID, "G1"),                                  # surname first, no comma
    ("9:1:2", "Min Jun Kim", "3700 W 6th St #12", "Los Angeles", "90020", VALID, "G2"),
    ("9:1:3", "Hovsepyan Armen", "1020 E Colorado St", "Glendale", "91205", VALID,
     "G3"),                                         # -YAN for -IAN, surname first
    ("9:1:4", "Wang Wei", "88 S Atlantic Blvd", "Monterey Park", "91754", VALID, "G4"),
    ("9:1:5", "Carmen Rodriguez", "4510 E Cesar Chavez Ave", "Los Angeles", "90022",
     VALID, "G5"),                                  # goes by a later given name
    ("9:1:6", "Chuy Ramirez", "2211 E First St", "Los Angeles", "90033", VALID, "G6"),
    ("9:1:7", "Nacho Flores", "310 N Soto St", "Los Angeles", "90033", VALID, "G7"),
    ("9:1:8", "Peggy OBrien", "742 Evergreen Terrace", "Burbank", "91505", VALID, "G8"),
    ("9:1:9", "Carlos Martinez", "1601 S Central Ave", "Los Angeles", "90021",
     ("invalid", "NOT_REGISTERED"), None),          # a family member, not registered
    ("9:1:10", "Seoyeon Park", "600 S Normandie Ave #3", "Los Angeles", "90005", VALID,
     "G11"),                                        # the hyphenated given name as one
    ("9:2:1", "Hovhannes Ter Petrosyan", "221 W Broadway", "Glendale", "91204", VALID,
     "G12"),
    ("9:2:2", "TRAN, XUAN T", "9200 Bolsa Ave", "Westminster", "92683", VALID, "G13"),
    ("9:2:3", "Frank De La Torre", "77 W Ave 26", "Los Angeles", "90031", VALID, "G14"),
    ("9:2:4", "Bill Johnson", "1900 North Vermont Avenue", "Los Angeles", "90027", VALID,
     "G15"),
    ("9:2:5", "Jihoon Choi", "410 S Western Ave", "Los Angeles", "90020", VALID, "G16"),
    ("9:3:1", "GARCIA JR, JOSE", "1200 S Hope St", "Los Angeles", "90015", VALID, "G17"),
    ("9:3:2", "Jose Garcia Sr", "1200 S Hope St", "Los Angeles", "90015",
     ("invalid", "NOT_REGISTERED"), None),          # the father of the JR on file
    ("9:3:3", "Anna Smith-Jones", "45 N Marengo Ave", "Pasadena", "91101", VALID, "G18"),
    ("9:3:4", "David Okafor", "1800 W Third St #5B", "Los Angeles", "90057-1234", VALID,
     "G19"),                                        # ZIP+4, unit as #
    ("9:3:5", "Rosa Medina", "1234 1/2 E 4th St", "Los Angeles", "90033", VALID, "G20"),
    ("9:3:6", "Liz Hargrove", "19 Linden Ave", "Long Beach", "90802", VALID, "G21"),
    ("9:3:7", "Dick Pettigrew", "200 E Garvey Ave", "Monterey Park", "91755", VALID,
     "G22"),
    ("9:3:8", "Memo Sandoval", "3100 City Terrace Dr", "Los Angeles", "90063", VALID,
     "G23"),
    ("9:3:9", "José Muñoz", "655 S Fairfax Ave", "Los Angeles", "90036", VALID, "G24"),
    ("9:3:10", "Maria Lopez-Garcia", "2900 Firestone Blvd", "South Gate", "90280", VALID,
     "G25"),
    ("9:4:1", "Chan Tai Man", "700 N Spring St", "Los Angeles", "90012", VALID,
     "G26"),                                        # surname first, two given names
    ("9:4:2", "Lee Ji-Eun", "950 S Vermont Ave", "Los Angeles", "90006", VALID, "G27"),
    ("9:4:3", "Beto Aguilar", "4100 Whittier Blvd", "Los Angeles", "90023", VALID, "G28"),
    ("9:4:4", "Kathy Nakamura", "1440 W 190th Street", "Gardena", "90248", VALID, "G29"),
    ("9:4:5", "Pancho Gutierrez", "8800 S Western Ave", "Los Angeles", "90047", VALID,
     "G30"),
    ("9:4:6", "Ani Grigorian", "1100 N Central Ave", "Glendale", "91202", VALID, "G31"),
    ("9:5:1", "Mary Ann Sullivan", "301 East Third Street", "Long Beach", "90802", VALID,
     "G32"),
    ("9:5:2", "Mary Ann Kowalczyk", "52 N. Lake Ave.", "Pasadena", "91101", VALID, "G33"),
    ("9:5:3", "Patrick Saint John", "1616 N La Brea", "Los Angeles", "90028", VALID,
     "G34"),                                        # no street type written
    ("9:5:4", "Angus Mc Donald", "4 Oak Knoll Terrace", "Pasadena", "91106", VALID, "G35"),
    ("9:5:5", "Maria Gomez", "615 S Lafayette Park Pl", "Los Angeles", "90057", VALID,
     "G36"),                                        # middle name left out
    ("9:5:6", "Susan Blackwood", "3 Palos Verdes Dr West", "Palos Verdes Estates",
     "90274", VALID, "G37"),
    ("9:5:7", "Danny Krikorian", "330 N Jackson St #201", "Glendale", "91206", VALID,
     "G38"),
    ("9:5:8", "Alex Castaneda", "1101 W Seventh St", "San Pedro", "90731", VALID, "G39"),
    ("9:5:9", "Dr. John  Pritchard .", "808 W. 5th St.", "Los Angeles", "90071", VALID,
     "G45"),                                        # a title, stray spaces and periods
    ("9:5:10", "Mary-Jane Okonkwo", "1500 N Fair Oaks Ave", "Pasadena", "91103", VALID,
     "G46"),
    ("9:6:2", "Samuel Tesfaye", "12 E Palm Ave#5", "Burbank", "91502", VALID, "G47"),
    ("9:6:3", "Rosa Echeverria", "3300 E Brooklyn Ave", "Los Angeles", "90063", VALID,
     "G48"),                                        # the street's name before 1994
    ("9:6:4", "Denise Holloway", "4120 W Santa Barbara Ave", "Los Angeles", "90008", VALID,
     "G49"),                                        # and before 1983
    ("9:8:1", "Ma. Guadalupe Torres", "1450 W 60th St", "Los Angeles", "90044", VALID,
     "G50"),                                        # Ma. for María
    ("9:8:2", "Denise Okafor", "3800 W MLK Jr Blvd", "Los Angeles", "90008", VALID, "G51"),
    ("9:8:3", "Lencho Quezada", "150 W Artesia Blvd", "Compton", "90220", VALID, "G52"),
    ("9:8:5", "Park Sung-Min", "4000 Wilshire Blvd Apt 5-C", "Los Angeles", "90010", VALID,
     "G54"),                                        # 5-C for the file's 5C
    ("9:8:7", "Olivia Hasselbeck", "1450 W 60th St, Los Angeles, CA 90044", "", "", VALID,
     "G56"),                                        # the whole address in one field
    ("9:8:8", "Priya Ramaswamy", "300 S Grand Ave #1204 Los Angeles", "", "90071", VALID,
     "G57"),
    ("9:8:9", "Haik Arutyunyan", "1234 E Elk Ave", "Glendale", "91205", VALID,
     "G66"),                                        # Western Armenian spelling
    ("9:8:10", "Nadia Koury", "Apt 9, 401 S Burnside Ave", "Los Angeles", "90036", VALID,
     "G68"),                                        # the unit first (usaddress)
    ("9:10:1", "Philip Ochoa", "300 W 52nd St", "Los Angeles", "90037", VALID,
     "G69"),                                        # one name spelt two ways
    ("9:10:2", "Catherine Becerra", "500 W 54th St", "Los Angeles", "90037", VALID, "G70"),
    ("9:10:3", "Ricardo Salazar", "21000 PCH", "Malibu", "90265", VALID, "G71"),
    # a post office box is no residence (EC 105(a)): alone it leaves no address; with
    # the street address (2 CCR 20931(a)(4)) the street address is checked
    ("9:10:4", "Terrence McAllister", "P.O. Box 4412, Panorama City CA", "Panorama City",
     "91402", ("invalid", "NO_ADDRESS"), "G72"),
    ("9:10:5", "Harold Briscoe", "PO Box 77 9120 Reseda Blvd", "Northridge", "91324",
     VALID, "G74"),
    # a house number written otherwise is another address (EC 105(a); 2 CCR 20931
    # tolerates units, fractions and street names, not house numbers)
    ("9:10:6", "Gloria Cisneros", "2510 W Sunset Blvd", "Los Angeles", "90026",
     ("invalid", "ADDRESS_MISMATCH"), "G73"),
    # the voter's full name, family name first (Vietnamese, Korean order)
    ("9:10:7", "Pham Ngoc Anh", "10100 Garden Grove Blvd", "Garden Grove", "92844", VALID,
     "G75"),
    ("9:10:8", "Yoon Soo Young", "3250 W Olympic Blvd #210", "Los Angeles", "90006", VALID,
     "G76"),
    # registered with an initial for a first name: goes by the middle name
    ("9:10:9", "Robert Pembroke", "330 S Barrington Ave", "Los Angeles", "90049", VALID,
     "G77"),
    ("9:10:10", "Alicia Fonseca", "1234-A Maple Ave", "Los Angeles", "90015", VALID, "G78"),
    # a surname ending in one letter (DE LA O), with the second given name written out
    ("9:10:11", "Rosa Maria De La O", "700 N Glendale Ave", "Glendale", "91206", VALID,
     "G80"),
]

# A name in another script (the voter file is in Latin letters): a person reads it; the
# engine does not say "not registered". A name with no letter at all is illegible.
SCRIPT = [("9:11:2", "李小龍", "455 E Garvey Ave", "Monterey Park", "91755"),
          ("9:11:3", "Ռուբեն Սարգսյան", "1340 E Wilson Ave", "Glendale", "91206")]
NO_LETTERS = [("9:11:4", ",,, -", "455 E Garvey Ave", "Monterey Park", "91755")]

# A surname not like the voter's at all, at the voter's address: the voter married, or
# another person of that first name in the house. Never decided alone.
OTHER_SURNAME = [
    ("9:11:1", "Maria Garcia", "1500 E 52nd St", "Los Angeles", "90011", "G79"),
]


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    sections = [*SECTIONS, ("9", "Los Angeles", True, FROM, TO, FILED, None)]
    lines = [*LINES, *((lid, name, addr, city, z, True, exp)
                       for lid, name, addr, city, z, exp, _ in EXTRA_LINES),
             *((lid, name, addr, city, z, True, ("invalid", "ADDRESS_MISMATCH"))
               for lid, name, addr, city, z, _ in MOVERS),
             *((lid, name, addr, city, z, True, VALID)
               for lid, name, addr, city, z, _ in TYPOS),
             *((lid, name, addr, city, z, True, ("invalid", "ADDRESS_MISMATCH"))
               for lid, name, addr, city, z, _ in SAME_HOUSE),
             *((lid, name, addr, city, z, True, ("invalid", "NOT_REGISTERED"))
               for lid, name, addr, city, z, _ in HOUSEMATES + SURNAME_CONFLICTS + SUFFIX_ADDED
               + OTHER_SURNAME),
             ("9:9:8", "Dave Alejandro Barajas", "3684 Zamora Ave #202", "Los Angeles",
              "90011", True, VALID),
             *((lid, name, addr, city, z, True, ("invalid", "NOT_REGISTERED"))
               for lid, name, addr, city, z in SCRIPT),
             *((lid, name, addr, city, z, True, ("invalid", "ILLEGIBLE"))
               for lid, name, addr, city, z in NO_LETTERS)]
    ws = build(tmp_path_factory.mktemp("names"), lines=lines,
               voters=[*VOTERS, *EXTRA_VOTERS], sections=sections)
    stages.verify(ws, "full", "test")
    yield ws
    ws.close()


def _decided(ws, lid: str) -> tuple | None:
    """(determination, reason, voter_id) of the line, or None when nothing is decided."""
    return ws.con.execute("SELECT determination, reason, voter_id FROM "
                          "current_determinations WHERE line_id = ?", [lid]).fetchone()


def _hint(ws, lid: str) -> str | None:
    """The review queue's hint for the line, or None when it is not queued."""
    row = ws.con.execute("SELECT reason_hint FROM review_queue WHERE line_id = ?",
                         [lid]).fetchone()
    return row[0] if row else None


def _doubt(ws, lid: str) -> str | None:
    """Why the line was sent to a person (matching.decide.DOUBTS)."""
    row = ws.con.execute("SELECT doubt FROM review_queue WHERE line_id = ?", [lid]).fetchone()
    return row[0] if row else None


def _asks(ws, lid: str, hint: str, doubt: str) -> None:
    """The line waits for a person, with this lean and this doubt."""
    assert _decided(ws, lid) is None
    assert (_hint(ws, lid), _doubt(ws, lid)) == (hint, doubt)


def _component(ws, lid: str, voter: str, name: str) -> list[tuple]:
    return ws.con.execute(f"SELECT components->>'{name}' FROM match_candidates "
                          "WHERE line_id = ? AND voter_id = ?", [lid, voter]).fetchall()


# Lines a person may be asked about (their evidence is thinner), as long as the engine
# does not decide them wrongly and points the reviewer to the right voter.
MAY_QUEUE = {"9:1:5"}


@pytest.mark.parametrize("line", EXTRA_LINES, ids=[x[1] for x in EXTRA_LINES])
def test_decided_alone_with_the_right_voter(verified, line):
    lid, *_, expected, voter = line
    row, hint = _decided(verified, lid), _hint(verified, lid)
    if lid in MAY_QUEUE and hint:
        assert hint == f"valid voter:{voter}"
        return
    assert row, f"{lid} was sent to review ({hint}) instead of decided"
    assert row == (*expected, voter)


@pytest.mark.parametrize("line", MOVERS, ids=[x[1] for x in MOVERS])
def test_a_mover_is_not_decided_not_registered(verified, line):
    lid, *_, voter = line
    row, hint = _decided(verified, lid), _hint(verified, lid)
    # a person is pointed to the voter and to the address, not told "valid"
    assert (hint == f"ADDRESS_MISMATCH voter:{voter}"
            or row == ("invalid", "ADDRESS_MISMATCH", voter)), (row, hint)
    if hint:
        assert _doubt(verified, lid) == "moved_or_namesake"


@pytest.mark.parametrize("line", TYPOS, ids=[x[1] for x in TYPOS])
def test_a_misspelt_nickname_at_home_is_not_decided_not_registered(verified, line):
    lid, *_, voter = line
    row = _decided(verified, lid)
    assert _hint(verified, lid) or row == ("valid", None, voter), row


@pytest.mark.parametrize("line", SAME_HOUSE, ids=[x[1] for x in SAME_HOUSE])
def test_the_voters_house_number_on_another_street_goes_to_a_person(verified, line):
    lid, *_, voter = line
    _asks(verified, lid, f"ADDRESS_MISMATCH voter:{voter}", "street_differs")


@pytest.mark.parametrize("line", HOUSEMATES, ids=[x[1] for x in HOUSEMATES])
def test_a_housemates_name_like_the_voters_is_not_the_voter(verified, line):
    lid, *_, voter = line
    row = _decided(verified, lid)
    assert row is None or row[0] != "valid"
    assert _component(verified, lid, voter, "first") == [("1",)]  # only loosely alike


@pytest.mark.parametrize("line", SURNAME_CONFLICTS, ids=[x[1] for x in SURNAME_CONFLICTS])
def test_a_conflicting_second_surname_goes_to_a_person(verified, line):
    lid, *_, voter = line
    assert _decided(verified, lid) is None and _hint(verified, lid)
    assert _component(verified, lid, voter, "excluded") == [("surname_conflict",)]


def test_a_middle_name_before_the_shared_surname_is_no_conflict(verified):
    # DAVE ALEJANDRO BARAJAS for DAVID BARAJAS-RUIZ: ALEJANDRO may be a middle name
    assert _component(verified, "9:9:8", "G65", "excluded") == [(None,)]


@pytest.mark.parametrize("line", SUFFIX_ADDED, ids=[x[1] for x in SUFFIX_ADDED])
def test_a_suffix_the_voter_has_not_goes_to_a_person(verified, line):
    lid, *_, voter = line
    _asks(verified, lid, f"valid voter:{voter}", "suffix_added")


@pytest.mark.parametrize("line", OTHER_SURNAME, ids=[x[1] for x in OTHER_SURNAME])
def test_another_surname_at_the_voters_address_goes_to_a_person(verified, line):
    lid, *_, voter = line
    _asks(verified, lid, f"valid voter:{voter}", "surname_differs")


@pytest.mark.parametrize("line", SCRIPT, ids=[x[0] for x in SCRIPT])
def test_a_name_in_another_script_goes_to_a_person(verified, line):
    assert _decided(verified, line[0]) is None
    assert _doubt(verified, line[0]) == "script"


def test_a_name_without_a_letter_is_illegible(verified):
    assert _decided(verified, NO_LETTERS[0][0]) == ("invalid", "ILLEGIBLE", None)
