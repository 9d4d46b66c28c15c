"""What a signer writes and a data-entry clerk types: names and addresses with noise.

Valid lines get only the variation that 2 CCR 20931 and EC 105 tolerate for
addresses (abbreviations, old street names, unit number blank or different,
fraction omitted, no city when street, number and ZIP are there, an alternate city
name), plus the ordinary variation in how people write their names (nicknames,
initials, dropped middle names or second surnames, last name first, typos, case,
accents). One random generator per line keeps this per-row code deterministic.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from recallkit.synth.addresses import DIRECTION_WORDS, STREET_TYPE_WORDS
from recallkit.synth.names import strip_accents

PARTICLES = {"DE", "DEL", "LA", "LAS", "LOS", "Y", "VAN", "VON", "DA", "DI"}
KEYBOARD = {
    "A": "QSZ", "B": "VNG", "C": "XVD", "D": "SFE", "E": "WRD", "F": "DGR", "G": "FHT",
    "H": "GJY", "I": "UOK", "J": "HKU", "K": "JLI", "L": "KO", "M": "N", "N": "BM",
    "O": "IPL", "P": "O", "Q": "WA", "R": "ETF", "S": "ADW", "T": "RYG", "U": "YIJ",
    "V": "CB", "W": "QES", "X": "ZC", "Y": "TU", "Z": "XA",
}
UNIT_SPELLINGS = ("APT", "APT", "#", "UNIT", "NO")


@dataclass(frozen=True)
class Person:
    first: str
    middle: str
    last: str
    suffix: str


@dataclass(frozen=True)
class Place:
    house: str
    fraction: str
    predir: str
    street: str
    stype: str
    postdir: str
    unit_type: str
    unit: str
    city: str
    zip: str
    old_street: str = ""
    old_type: str = ""


@lru_cache(maxsize=1)
def _nick_table() -> dict[str, list[str]]:
    from nicknames import NickNamer

    namer = NickNamer()
    table: dict[str, list[str]] = {}
    text = resources.files("recallkit.synth").joinpath("data/spanish_nicknames.csv")
    for row in csv.DictReader(text.read_text("utf-8").splitlines()):
        table.setdefault(strip_accents(row["name"]).upper(), []).append(row["nickname"])
    table["_namer"] = [namer]  # type: ignore[list-item]
    return table


@lru_cache(maxsize=20000)
def nicknames_for(first: str) -> tuple[str, ...]:
    table = _nick_table()
    key = strip_accents(first).upper()
    out = list(table.get(key, ()))
    namer = table["_namer"][0]
    out += sorted(n.title() for n in namer.nicknames_of(key.lower()) if len(n) > 1)
    return tuple(out[:6])


@lru_cache(maxsize=20000)
def related_first_names(first: str) -> frozenset[str]:
    """The name, its nicknames and what it is a nickname of (upper, no accents)."""
    namer = _nick_table()["_namer"][0]
    key = strip_accents(first).upper()
    out = {key} | {n.upper() for n in namer.nicknames_of(key.lower())}
    out |= {n.upper() for n in namer.canonicals_of(key.lower())}
    out |= {strip_accents(n).upper() for n in _nick_table().get(key, ())}
    return frozenset(out)


def typo(word: str, rng: random.Random) -> str:
    """One slip of the pen or the keyboard: neighbour key, dropped, doubled or swapped letter."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    ch = word[i]
    if kind < 0.35 and ch.upper() in KEYBOARD:
        rep = rng.choice(KEYBOARD[ch.upper()])
        return word[:i] + (rep if ch.isupper() else rep.lower()) + word[i + 1:]
    if kind < 0.6:
        return word[:i] + word[i + 1:]
    if kind < 0.8:
        return word[:i] + ch + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1:]


def _first_surname(last: str) -> str | None:
    """García López → García; García-López → García; De la Cruz stays whole."""
    if "-" in last:
        return last.split("-")[0]
    parts = last.split()
    if len(parts) == 2 and not ({p.upper() for p in parts} & PARTICLES):
        return parts[0]
    return None


def apply_case(text: str, style: int) -> str:
    if style == 0:
        out = text.title()
        return _DIGIT_CAP.sub(lambda m: m.group(0).lower(), out) if _HAS_DIGIT(out) else out
    if style == 1:
        return text.upper()
    return text.lower()


# str.title() writes 4Th and 1St; people write 4th and 1st.
_DIGIT_CAP = re.compile(r"(?<=\d)[A-Z]+")
_HAS_DIGIT = re.compile(r"\d").search


def write_name(p: Person, rng: random.Random, style: int, accents: bool) -> str:
    """A printed name as a signer writes it (free text)."""
    first, middle, last = p.first, p.middle, p.last
    if rng.random() < 0.08:
        nicks = nicknames_for(first)
        if nicks:
            first = rng.choice(nicks)
    if rng.random() < 0.35:
        short = _first_surname(last)
        if short:
            last = short
    m = rng.random()
    viet = middle.upper() in ("THI", "VAN")
    if viet:
        middle_out = middle if m < 0.5 else ""
    elif m < 0.6 or not middle:
        middle_out = ""
    elif m < 0.85:
        middle_out = middle[0]
    else:
        middle_out = middle
    if rng.random() < 0.04:
        if rng.random() < 0.5:
            first = typo(first, rng)
        else:
            last = typo(last, rng)
    suffix = p.suffix if p.suffix and rng.random() < 0.5 else ""
    o = rng.random()
    if viet and o < 0.3:
        text = " ".join(x for x in (last, middle, first) if x)  # NGUYEN THI LAN
    elif o < 0.04:
        text = f"{last}, {' '.join(x for x in (first, middle_out) if x)}"
    else:
        text = " ".join(x for x in (first, middle_out, last, suffix) if x)
    if not accents or rng.random() < 0.5:
        text = strip_accents(text)
    return apply_case(text, style)


def write_address(
    a: Place, rng: random.Random, style: int, alt_cities: tuple[str, ...] = ()
) -> tuple[str, str, str]:
    """Residence address, city and ZIP as written, within the tolerated variation."""
    predir = a.predir
    if predir and rng.random() < 0.15:
        predir = DIRECTION_WORDS.get(predir, predir)
    street, stype = a.street, a.stype
    if a.old_street and rng.random() < 0.5:
        street, stype = a.old_street, a.old_type
    if len(street) >= 6 and not street[0].isdigit() and rng.random() < 0.02:
        street = typo(street, rng)
    t = rng.random()
    if stype and t < 0.3:
        stype = STREET_TYPE_WORDS.get(stype, stype)
    elif t < 0.34:
        stype = ""
    fraction = a.fraction if rng.random() < 0.6 else ""
    unit_part = ""
    if a.unit:
        u = rng.random()
        unit = a.unit
        if u < 0.03 and unit.isdigit():
            unit = str(int(unit) + rng.choice((-1, 1, 10)))  # wrong unit: tolerated
        if u < 0.85:
            kind = rng.choice(UNIT_SPELLINGS) if rng.random() < 0.3 else a.unit_type
            unit_part = f"#{unit}" if kind == "#" else f"{kind} {unit}"
    postdir = a.postdir
    line = " ".join(x for x in (a.house, fraction, predir, street, stype, postdir, unit_part) if x)
    city, zip_ = a.city, a.zip
    c = rng.random()
    if c < 0.08:
        city = ""  # street, number and ZIP but no city: tolerated
    elif c < 0.13 and alt_cities:
        city = rng.choice(alt_cities)
    elif c < 0.16 and city.upper() == "LOS ANGELES":
        city = "LA"
    if city and rng.random() < 0.12:
        zip_ = ""
    line = apply_case(line, style)
    city = city if city == "LA" else apply_case(city, style)
    return line, city, zip_
