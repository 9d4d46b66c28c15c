"""Reference tables the matcher joins against: nicknames and USPS street words.

Nicknames come from the public `nicknames` package (Carlton Northern's name–nickname
list, English) plus a small Spanish list we ship (data/nicknames_extra.csv: Pepe → José,
Paco → Francisco, Lupe → Guadalupe, Chuy → Jesús …). Each name gets a set of *roots*:
itself and every canonical name it is a nickname of. Two first names are nickname-
equivalent when their root sets intersect, and blocking joins on a shared root, so
BOB, BOBBY and ROBERT meet at ROBERT without any pairwise table.
"""

from __future__ import annotations

import csv
import unicodedata
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from recallkit.matching import sqlscript

DATA = Path(__file__).parent / "data"


def _plain_upper(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).upper().strip()


@lru_cache(maxsize=1)
def nickname_pairs() -> tuple[tuple[str, str], ...]:
    """(nickname, canonical) pairs, upper case, accents stripped."""
    pairs: set[tuple[str, str]] = set()
    try:
        from nicknames import name_triplets

        for t in name_triplets():
            a, rel, b = (str(x) for x in (t.name1, t.relationship, t.name2))
            if "has_nickname" in rel.lower():
                pairs.add((_plain_upper(b), _plain_upper(a)))
    except ImportError:  # the package is a declared dependency; degrade, never crash
        pass
    with open(DATA / "nicknames_extra.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pairs.add((_plain_upper(row["nickname"]), _plain_upper(row["name"])))
    return tuple(sorted(p for p in pairs if p[0] and p[1] and p[0] != p[1]))


@lru_cache(maxsize=1)
def given_names() -> tuple[str, ...]:
    """The first names of the 1990 US census lists (male and female, which the `names`
    package ships): real names. Two of them a letter apart are two names (ANTONIO and
    ANTONIA, father and daughter), not one name misspelt."""
    try:
        import names as names_pkg
    except ImportError:  # a declared dependency; degrade, never crash
        return ()
    out: set[str] = set()
    for f in ("dist.male.first", "dist.female.first"):
        with (Path(names_pkg.__file__).with_name(f)).open(encoding="ascii") as fh:
            out.update(line.split()[0] for line in fh if line.strip())
    return tuple(sorted(out))


# A first name is a man's (or a woman's) when the census found it this many times more
# often among men than among women (or the reverse): HAROLD 371 : 1, MARIA 1 : 166, but
# not TERRY (4 : 1) or JORDAN (5 : 1), which both sexes bear.
ONE_SEX_RATIO = 30.0


@lru_cache(maxsize=1)
def first_name_sexes() -> tuple[tuple[str, str], ...]:
    """(name, 'M' or 'F') for the census first names borne almost only by one sex: a
    title of the other sex before one (MRS HAROLD WAINWRIGHT, his wife) names someone
    else than the voter of that name."""
    try:
        import names as names_pkg
    except ImportError:  # a declared dependency; degrade, never crash
        return ()
    freq: dict[str, dict[str, float]] = {}
    for sex, f in (("M", "dist.male.first"), ("F", "dist.female.first")):
        with (Path(names_pkg.__file__).with_name(f)).open(encoding="ascii") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2:
                    freq.setdefault(parts[0], {})[sex] = float(parts[1])
    out = []
    for name, fr in freq.items():
        m, w = fr.get("M", 0.0), fr.get("F", 0.0)
        if m >= ONE_SEX_RATIO * w:
            out.append((name, "M"))
        elif w >= ONE_SEX_RATIO * m:
            out.append((name, "F"))
    return tuple(sorted(out))


@lru_cache(maxsize=1)
def street_words() -> tuple[tuple[str, str, str], ...]:
    with open(DATA / "street_words.csv", encoding="utf-8") as f:
        return tuple((r["word"], r["standard"], r["kind"]) for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def street_renames() -> tuple[tuple[str, str, str], ...]:
    """(county, old street, new street): streets a city renamed. 2 CCR 20931 lets a signer
    write the old or the new name while the address can still be determined. Counties
    add their own renames to data/street_renames.csv, with the act as the source."""
    with open(DATA / "street_renames.csv", encoding="utf-8") as f:
        return tuple((_plain_upper(r["county"]), _plain_upper(r["old_street"]),
                      _plain_upper(r["new_street"])) for r in csv.DictReader(f))


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def street_map_literal() -> str:
    items = ", ".join(f"{_sql_str(w)}: {_sql_str(s)}" for w, s, _ in street_words())
    return "MAP {" + items + "}"


def street_types_literal() -> str:
    types = sorted({s for _, s, k in street_words() if k == "type"})
    return "[" + ", ".join(_sql_str(t) for t in types) + "]"


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temp tables rk_nick_roots(name, roots), rk_given_ref(name) (census first
    names and the nickname table's), rk_first_sex(name, sex), rk_street_words and
    rk_street_renames(county, old_street, new_street) (street keys come later, from the
    address macros: normalize.build_voters)."""
    words = street_words()
    sqlscript.temp_table(con, "rk_street_words", pa.table({
        "word": [w[0] for w in words], "standard": [w[1] for w in words],
        "kind": [w[2] for w in words]}))
    pairs = nickname_pairs()
    sqlscript.temp_table(con, "rk_nick", pa.table({"nick": [p[0] for p in pairs],
                                                   "canonical": [p[1] for p in pairs]}))
    sqlscript.from_arrow(con, "CREATE OR REPLACE TEMP TABLE rk_given_ref AS SELECT name "
                              "FROM rk_arrow UNION SELECT nick FROM rk_nick "
                              "UNION SELECT canonical FROM rk_nick",
                         pa.table({"name": list(given_names())}))
    # the real names until normalize.build_voters adds the voter file's own
    con.execute("CREATE OR REPLACE TEMP TABLE rk_given AS SELECT name FROM rk_given_ref")
    sexes = first_name_sexes()
    sqlscript.temp_table(con, "rk_first_sex", pa.table({
        "name": pa.array([x[0] for x in sexes], pa.string()),
        "sex": pa.array([x[1] for x in sexes], pa.string())}))
    renames = street_renames()
    sqlscript.temp_table(con, "rk_street_renames", pa.table({
        "county": pa.array([r[0] for r in renames], pa.string()),
        "old_street": pa.array([r[1] for r in renames], pa.string()),
        "new_street": pa.array([r[2] for r in renames], pa.string())}))
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE rk_nick_roots AS
        SELECT nick AS name, list_sort(list_distinct(list(canonical) || [nick])) AS roots
        FROM rk_nick GROUP BY nick
        """
    )
