"""Residence addresses on real ZIP/city pairs, with synthetic streets, vectorized.

ZIP codes and their postal cities come from the `zipcodes` package (USPS data), so
every generated ZIP/city pair exists. Streets, house numbers and units are invented:
numbered streets, Spanish and common American names, surnames used as street names,
USPS Publication 28 suffix and direction abbreviations, fractions (1/2) and
apartments.
"""

from __future__ import annotations

import csv
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

STREET_TYPES = ("ST", "AVE", "BLVD", "DR", "WAY", "PL", "CT", "LN", "RD")
STREET_TYPE_SHARES = (0.30, 0.30, 0.08, 0.10, 0.05, 0.07, 0.04, 0.04, 0.02)
STREET_TYPE_WORDS = {
    "ST": "Street", "AVE": "Avenue", "BLVD": "Boulevard", "DR": "Drive", "WAY": "Way",
    "PL": "Place", "CT": "Court", "LN": "Lane", "RD": "Road",
}
DIRECTIONS = ("N", "S", "E", "W")
DIRECTION_WORDS = {"N": "North", "S": "South", "E": "East", "W": "West"}
UNIT_TYPES = ("APT", "UNIT", "#")
UNIT_TYPE_SHARES = (0.7, 0.2, 0.1)


def _ordinal(n: int) -> str:
    suffix = "TH" if 10 <= n % 100 <= 20 else {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")
    return f"{n}{suffix}"


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("recallkit.synth").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _stable_unit(key: str) -> float:
    """A number in [0, 1) fixed by a string: same ZIP, same weight, on every machine."""
    return (zlib.crc32(key.encode()) & 0xFFFFFFFF) / 2**32


@dataclass(frozen=True)
class ZipArea:
    zip: str
    city: str
    county: str
    alt_cities: tuple[str, ...]
    area_code: str
    weight: float


def _county_name(raw: str) -> str:
    return raw.removesuffix(" County")


@lru_cache(maxsize=8)
def state_zips(state: str = "CA") -> tuple[ZipArea, ...]:
    """Every active standard ZIP of the state (P.O. box and unique ZIPs have no homes)."""
    import zipcodes

    out = []
    for z in zipcodes.filter_by(state=state):
        if z["zip_code_type"] != "STANDARD" or not z["active"] or not z["county"]:
            continue
        # Lognormal weights fixed by the ZIP itself: some ZIPs are big, most are not.
        u = min(max(_stable_unit(z["zip_code"]), 1e-6), 1 - 1e-6)
        weight = math.exp(0.8 * _probit(u))
        codes = z.get("area_codes") or ["213"]
        out.append(
            ZipArea(
                zip=z["zip_code"], city=z["city"], county=_county_name(z["county"]),
                alt_cities=tuple(z.get("acceptable_cities") or ()),
                area_code=str(codes[0]), weight=weight,
            )
        )
    return tuple(sorted(out, key=lambda a: a.zip))


def _probit(u: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(u)


def counties(state: str = "CA") -> list[str]:
    return sorted({a.county for a in state_zips(state)})


def neighbours(county: str, k: int = 4, state: str = "CA") -> list[str]:
    """The k counties whose ZIP centroids lie nearest: stand-ins for adjacent counties."""
    import zipcodes

    pts: dict[str, list[tuple[float, float]]] = {}
    for z in zipcodes.filter_by(state=state):
        if z["county"] and z["lat"] and z["long"]:
            pts.setdefault(_county_name(z["county"]), []).append(
                (float(z["lat"]), float(z["long"]))
            )
    cent = {c: (sum(p[0] for p in v) / len(v), sum(p[1] for p in v) / len(v))
            for c, v in pts.items()}
    if county not in cent:
        return []
    here = cent[county]
    others = sorted(
        (c for c in cent if c != county),
        key=lambda c: ((cent[c][0] - here[0]) ** 2 + (cent[c][1] - here[1]) ** 2, c),
    )
    return others[:k]


@dataclass(frozen=True)
class Streets:
    """All synthetic streets, grouped by ZIP (rows start[z] .. start[z]+count[z]-1)."""

    predir: np.ndarray  # index into DIRECTIONS, -1 none
    name: pa.Array
    stype: np.ndarray  # index into STREET_TYPES, -1 none
    postdir: np.ndarray
    old_name: pa.Array  # former name when the street was renamed, else null
    old_type: pa.Array
    start: np.ndarray
    count: np.ndarray


def street_name_pool() -> tuple[list[str], np.ndarray]:
    from recallkit.synth.names import _census_file

    names = [r["name"] for r in _data_rows("street_names.csv")]
    weights = [float(r["weight"]) * 40 for r in _data_rows("street_names.csv")]
    for n in range(1, 221):
        names.append(_ordinal(n))
        weights.append(600.0 / n)
    for surname, _ in _census_file("dist.all.last")[:1500]:
        names.append(surname)
        weights.append(6.0)
    w = np.array(weights)
    return names, np.cumsum(w) / w.sum()


def build_streets(areas: tuple[ZipArea, ...], per_zip: np.ndarray, seed: int,
                  home_county: str) -> Streets:
    rng = np.random.default_rng([seed, 7])
    count = np.asarray(per_zip, dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    total = int(count.sum())
    pool, cdf = street_name_pool()
    name_idx = np.searchsorted(cdf, rng.random(total), side="right")
    names = pc.take(pa.array(pool), pa.array(name_idx))
    tcdf = np.cumsum(STREET_TYPE_SHARES)
    stype = np.searchsorted(tcdf, rng.random(total) * tcdf[-1], side="right").astype(np.int8)
    numbered = np.array([p[0].isdigit() for p in pool])[name_idx]
    predir = np.where(rng.random(total) < np.where(numbered, 0.7, 0.25),
                      rng.integers(0, 4, total), -1).astype(np.int8)
    postdir = np.where(rng.random(total) < 0.015, rng.integers(0, 4, total), -1).astype(np.int8)
    old_name = [None] * total
    old_type: list[str | None] = [None] * total
    name_list = names.to_pylist()
    renames = [r for r in _data_rows("street_renames.csv") if r["county"] == home_county]
    home = [i for i, a in enumerate(areas) if a.county == home_county]
    for k, r in enumerate(renames):
        # Put each renamed street in a handful of the county's ZIPs.
        for z in rng.choice(home, size=min(12, len(home)), replace=False) if home else []:
            if count[z] == 0:
                continue
            s = int(start[z] + (k * 7919) % count[z])
            name_list[s] = r["new_name"]
            stype[s] = STREET_TYPES.index(r["new_type"])
            predir[s] = -1
            old_name[s] = r["old_name"]
            old_type[s] = r["old_type"] or None
    return Streets(
        predir=predir, name=pa.array(name_list, pa.string()), stype=stype, postdir=postdir,
        old_name=pa.array(old_name, pa.string()), old_type=pa.array(old_type, pa.string()),
        start=start, count=count,
    )


@dataclass(frozen=True)
class Addresses:
    """Address parts for a batch of households (arrays aligned by household)."""

    zip_idx: np.ndarray
    street: np.ndarray  # global street row
    house: np.ndarray
    fraction: np.ndarray  # bool: 1/2
    unit_type: np.ndarray  # index into UNIT_TYPES, -1 none
    unit: pa.Array  # unit number as text, null none


def draw_addresses(rng: np.random.Generator, n: int, zip_cdf: np.ndarray,
                   streets: Streets) -> Addresses:
    """Households: single-family homes and apartment buildings of several units."""
    apt = rng.random(n) < 0.42
    zip_idx = np.searchsorted(zip_cdf, rng.random(n), side="right").astype(np.int32)
    zip_idx = np.minimum(zip_idx, len(zip_cdf) - 1)
    street = streets.start[zip_idx] + (rng.random(n) * streets.count[zip_idx]).astype(np.int64)
    house = np.exp(rng.uniform(np.log(100), np.log(24999), n)).astype(np.int64)
    # Apartment households come in buildings: consecutive ones share street and number.
    apt_rows = np.flatnonzero(apt)
    bsize = 6
    lead = apt_rows[(np.arange(len(apt_rows)) // bsize) * bsize]
    pos = np.arange(len(apt_rows)) % bsize
    zip_idx[apt_rows] = zip_idx[lead]
    street[apt_rows] = street[lead]
    house[apt_rows] = house[lead]
    style = (house[apt_rows] % 3).astype(np.int64)  # per building: 101.., 1.., A..
    unit_num = np.where(style == 0, (1 + pos // 3) * 100 + pos % 3 + 1,
                        np.where(style == 1, pos + 1, pos))
    letters = np.array(list("ABCDEFGH"))
    unit_str = np.where(style == 2, letters[np.minimum(unit_num, 7)], unit_num.astype(str))
    units = np.full(n, None, dtype=object)
    units[apt_rows] = unit_str
    ucdf = np.cumsum(UNIT_TYPE_SHARES)
    utype_b = np.searchsorted(ucdf, (house[apt_rows] % 97) / 97.0, side="right")
    unit_type = np.full(n, -1, dtype=np.int8)
    unit_type[apt_rows] = np.minimum(utype_b, 2)
    fraction = (~apt) & (rng.random(n) < 0.012)
    return Addresses(zip_idx, street, house, fraction, unit_type, pa.array(units, pa.string()))


def _codes(values: tuple[str, ...], idx: np.ndarray) -> pa.Array:
    vocab = pa.array(list(values) + [None], pa.string())
    return pc.take(vocab, pa.array(np.where(idx < 0, len(values), idx)))


def address_columns(a: Addresses, streets: Streets) -> dict[str, pa.Array]:
    """Split parts plus the one-line residence address, as a county export has them."""
    house = pc.cast(pa.array(a.house), pa.string())
    frac = pa.array(np.where(a.fraction, "1/2", None), pa.string())
    predir = _codes(DIRECTIONS, streets.predir[a.street])
    name = pc.take(streets.name, pa.array(a.street))
    stype = _codes(STREET_TYPES, streets.stype[a.street])
    postdir = _codes(DIRECTIONS, streets.postdir[a.street])
    utype = _codes(UNIT_TYPES, a.unit_type)
    unit_text = pc.if_else(
        pc.equal(utype, "#"),
        pc.binary_join_element_wise("#", a.unit, ""),
        pc.binary_join_element_wise(utype, a.unit, " "),
    )
    line = pc.binary_join_element_wise(
        house, frac, predir, name, stype, postdir, unit_text, " ", null_handling="skip"
    )
    return {
        "residence_address": line, "house_number": house, "house_fraction": frac,
        "street_predirection": predir, "street_name": name, "street_type": stype,
        "street_postdirection": postdir, "unit_type": utype, "unit_number": a.unit,
    }
