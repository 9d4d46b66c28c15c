"""People who sign but are not registered: family members and neighbours of voters.

A NOT_REGISTERED line must truly match no voter, so every candidate is checked
against the whole voter file (same ZIP, same surname, same first initial or a
nickname-related first name all count as a possible match) and redrawn until none
matches. Most such signers in real petitions live where registered voters live:
an unregistered adult child at a registered address, a neighbour down the street.
"""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa

from recallkit.synth import names as nm
from recallkit.synth.noise import Person, Place, related_first_names, strip_accents
from recallkit.synth.pools import VoterFile


def _surname_tokens(last: str) -> list[str]:
    return [strip_accents(t.upper()) for t in last.replace("-", " ").split()]


def unregistered_people(
    vf: VoterFile, anchors: list[dict], seed: int, upper: bool
) -> list[tuple[Person, Place]]:
    """One unregistered person per anchor voter, living at or near the anchor's address."""
    rng = np.random.default_rng([seed, 41])
    prng = random.Random(seed * 7919 + 41)
    tables = nm.name_tables(upper)
    n = len(anchors)
    family = rng.random(n) < 0.6
    people: list[Person | None] = [None] * n
    places: list[Place] = []
    for a in anchors:
        places.append(_place(a))
    for i, a in enumerate(anchors):
        if not family[i]:
            house = a["house_number"] or "100"
            new = int(house) + prng.choice((-1, 1)) * 2 * prng.randint(1, 60) if house.isdigit() \
                else 100 + prng.randint(0, 900)
            places[i] = Place(str(max(new, 1)), "", places[i].predir, places[i].street,
                              places[i].stype, places[i].postdir, "", "", places[i].city,
                              places[i].zip)
    pending = np.arange(n)
    for round_ in range(12):
        k = len(pending)
        if k == 0:
            break
        group = np.asarray(_draw_groups(rng, k))
        sex = (rng.random(k) < 0.5).astype(np.int8)
        first = tables.strings(nm.draw_first(tables, rng, group, sex)).to_pylist()
        l1, l2, hy = nm.draw_surnames(tables, rng, group)
        last = nm.last_name_strings(tables, l1, l2, hy, np.zeros(k, bool)).to_pylist()
        if round_ > 6:  # rare surnames settle the stubborn ones
            last = tables.strings(
                tables.last["census"].index[rng.integers(5000, 20000, k)]
            ).to_pylist()
        for j, i in enumerate(pending):
            surname = anchors[i]["last_name"] if family[i] and round_ < 6 else last[j]
            people[i] = Person(first[j], "", surname, "")
        rows = {"cid": [], "zip": [], "tok": [], "first_init": []}
        rel = {"cid": [], "name": []}
        for i in pending:
            p = people[i]
            assert p is not None
            for tok in _surname_tokens(p.last) or [""]:
                rows["cid"].append(int(i))
                rows["zip"].append(places[i].zip[:5])
                rows["tok"].append(tok)
                rows["first_init"].append(strip_accents(p.first[:1].upper()))
            for name in sorted(related_first_names(p.first)):
                rel["cid"].append(int(i))
                rel["name"].append(name)
        ok = vf.unknown(
            pa.table({"cid": pa.array(rows["cid"], pa.int64()), "zip": rows["zip"],
                      "tok": rows["tok"], "first_init": rows["first_init"]}),
            pa.table({"cid": pa.array(rel["cid"], pa.int64()),
                      "name": pa.array(rel["name"], pa.string())}),
        )
        pending = np.setdiff1d(pending, ok)
    if len(pending):
        raise RuntimeError("could not find unregistered names that match no voter")
    return [(p, pl) for p, pl in zip(people, places, strict=True)]  # type: ignore[misc]


def _draw_groups(rng: np.random.Generator, k: int) -> np.ndarray:
    cdf = np.cumsum(nm.GROUP_SHARES)
    return np.minimum(np.searchsorted(cdf, rng.random(k) * cdf[-1], side="right"),
                      len(nm.GROUPS) - 1)


def _place(a: dict) -> Place:
    g = lambda k: a.get(k) or ""  # noqa: E731
    return Place(g("house_number"), g("house_fraction"), g("street_predirection"),
                 g("street_name"), g("street_type"), g("street_postdirection"), g("unit_type"),
                 g("unit_number"), g("city"), g("zip")[:5])
