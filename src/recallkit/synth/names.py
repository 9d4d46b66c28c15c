"""Personal names drawn from public frequency tables, vectorized.

The bulk comes from the U.S. Census Bureau's 1990 name frequency files (surnames,
male and female first names), which the `names` package ships as plain text. Los
Angeles County's electorate is far more varied than the 1990 national tables, so
small curated tables in `synth/data/` add Hispanic, Vietnamese, Korean, Chinese and
Armenian names with rough relative weights. The mix of groups is a synthetic-data
choice, documented in docs/synthetic-data.md, not a demographic claim.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

GROUPS = ("census", "hispanic", "vietnamese", "korean", "chinese", "armenian")
# Share of each group among generated households (a synthetic choice, see docs).
GROUP_SHARES = (0.505, 0.38, 0.02, 0.025, 0.04, 0.03)

SUFFIXES = ("JR", "SR", "II", "III", "IV")
SUFFIX_SHARES = (0.6, 0.2, 0.05, 0.12, 0.03)


def strip_accents(text: str) -> str:
    """José → Jose: county files and hurried hands often drop diacritics."""
    if text.isascii():
        return text
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )


def _census_file(name: str) -> list[tuple[str, float]]:
    import names as names_pkg

    path = Path(names_pkg.__file__).with_name(name)
    rows = []
    with path.open(encoding="ascii") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                rows.append((parts[0], float(parts[1])))
    return rows


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("recallkit.synth").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _proper(name: str) -> str:
    """SMITH → Smith, MCDONALD → McDonald, DE LA CRUZ stays as written in tables."""
    out = name.title() if name.isupper() else name
    if out.startswith("Mc") and len(out) > 2:
        out = "Mc" + out[2:].capitalize()
    return out


@dataclass(frozen=True)
class Table:
    """One weighted list: values are indexes into the shared vocabulary."""

    index: np.ndarray
    cdf: np.ndarray

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.index[np.searchsorted(self.cdf, rng.random(n), side="right")]


class NameTables:
    """Every name once in a vocabulary (accented, then plain), and weighted tables over it."""

    def __init__(self, upper: bool = True) -> None:
        self.upper = upper
        self._words: list[str] = []
        self._pos: dict[str, int] = {}
        self.last: dict[str, Table] = {}
        self.first: dict[tuple[str, str], Table] = {}

        last_rows = _data_rows("surnames.csv")
        first_rows = _data_rows("first_names.csv")
        self.last["census"] = self._table(_census_file("dist.all.last")[:20000])
        self.first[("census", "M")] = self._table(_census_file("dist.male.first"))
        self.first[("census", "F")] = self._table(_census_file("dist.female.first"))
        for group in GROUPS[1:]:
            self.last[group] = self._table(
                [(r["surname"], float(r["weight"])) for r in last_rows if r["group"] == group]
            )
            for sex in ("M", "F"):
                self.first[(group, sex)] = self._table(
                    [
                        (r["name"], float(r["weight"]))
                        for r in first_rows
                        if r["group"] == group and r["sex"] == sex
                    ]
                )
        for word in ("Thi", "Van"):
            self._id(word)
        for letter in "ABCDEFGHIJKLMNOPRSTW":
            self._id(letter)
        accented = [self._case(w) for w in self._words]
        plain = [self._case(strip_accents(w)) for w in self._words]
        self.size = len(accented)
        # Index i is the accented form, i + size the plain form.
        self.vocab = pa.array(accented + plain, pa.string())

    def _case(self, word: str) -> str:
        return word.upper() if self.upper else _proper(word)

    def _id(self, word: str) -> int:
        word = _proper(word)
        if word not in self._pos:
            self._pos[word] = len(self._words)
            self._words.append(word)
        return self._pos[word]

    def _table(self, rows: list[tuple[str, float]]) -> Table:
        idx = np.array([self._id(w) for w, _ in rows], dtype=np.int32)
        weights = np.array([max(f, 1e-4) for _, f in rows], dtype=np.float64)
        cdf = np.cumsum(weights) / weights.sum()
        cdf[-1] = 1.0
        return Table(idx, cdf)

    def word_id(self, word: str) -> int:
        return self._pos[_proper(word)]

    def strings(self, ids: np.ndarray, keep_accents: np.ndarray | None = None) -> pa.Array:
        """Names for vocabulary ids (-1 → null), plain unless keep_accents says otherwise."""
        ids = np.asarray(ids)
        offset = np.full(ids.shape, self.size, dtype=np.int64)
        if keep_accents is not None:
            offset[keep_accents] = 0
        take = np.where(ids < 0, 0, ids + offset)
        out = pc.take(self.vocab, pa.array(take))
        if (ids < 0).any():
            out = pc.if_else(pa.array(ids < 0), pa.scalar(None, pa.string()), out)
        return out


@lru_cache(maxsize=2)
def name_tables(upper: bool = True) -> NameTables:
    return NameTables(upper)


@dataclass(frozen=True)
class PersonNames:
    first: np.ndarray
    middle: np.ndarray  # vocabulary id, -1 none; initials are ids of single letters
    last1: np.ndarray
    last2: np.ndarray  # second surname (Hispanic compound), -1 none
    hyphen: np.ndarray  # join last1/last2 with "-" instead of " "
    suffix: np.ndarray  # index into SUFFIXES, -1 none
    sex: np.ndarray  # 0 male, 1 female


def draw_first(
    tables: NameTables, rng: np.random.Generator, group: np.ndarray, sex: np.ndarray
) -> np.ndarray:
    out = np.empty(len(group), dtype=np.int32)
    for g, gname in enumerate(GROUPS):
        for s, sname in enumerate(("M", "F")):
            mask = (group == g) & (sex == s)
            k = int(mask.sum())
            if k:
                out[mask] = tables.first[(gname, sname)].draw(rng, k)
    return out


def draw_surnames(
    tables: NameTables, rng: np.random.Generator, group: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First surname, optional second surname (Hispanic custom), hyphenation flag."""
    n = len(group)
    last1 = np.empty(n, dtype=np.int32)
    for g, gname in enumerate(GROUPS):
        mask = group == g
        k = int(mask.sum())
        if k:
            last1[mask] = tables.last[gname].draw(rng, k)
    last2 = np.full(n, -1, dtype=np.int32)
    u = rng.random(n)
    hisp = group == GROUPS.index("hispanic")
    compound = hisp & (u < 0.30)
    last2[compound] = tables.last["hispanic"].draw(rng, int(compound.sum()))
    # A few non-Hispanic double-barrelled names (marriage).
    other = (~hisp) & (u < 0.012)
    last2[other] = tables.last["census"].draw(rng, int(other.sum()))
    last2[last2 == last1] = -1
    hyphen = (last2 >= 0) & ((rng.random(n) < 0.15) | other)
    return last1, last2, hyphen


def draw_middle(
    tables: NameTables, rng: np.random.Generator, group: np.ndarray, sex: np.ndarray
) -> np.ndarray:
    n = len(group)
    middle = np.full(n, -1, dtype=np.int32)
    u = rng.random(n)
    full = draw_first(tables, rng, group, sex)
    # Full middle name / initial shares per group (synthetic, documented).
    shares = {"census": (0.55, 0.2), "hispanic": (0.35, 0.05), "korean": (0.0, 0.05),
              "chinese": (0.2, 0.05), "armenian": (0.3, 0.05), "vietnamese": (0.0, 0.0)}
    letters = np.array([tables.word_id(c) for c in "ABCDEFGHIJKLMNOPRSTW"], dtype=np.int32)
    for g, gname in enumerate(GROUPS):
        p_full, p_init = shares[gname]
        mask = group == g
        m_full = mask & (u < p_full)
        middle[m_full] = full[m_full]
        m_init = mask & (u >= p_full) & (u < p_full + p_init)
        middle[m_init] = letters[rng.integers(0, len(letters), int(m_init.sum()))]
    viet = group == GROUPS.index("vietnamese")
    middle[viet & (sex == 1) & (u < 0.8)] = tables.word_id("Thi")
    middle[viet & (sex == 0) & (u < 0.65)] = tables.word_id("Van")
    return middle


def draw_suffix(rng: np.random.Generator, group: np.ndarray, sex: np.ndarray) -> np.ndarray:
    n = len(group)
    rate = np.where(group == 0, 0.045, np.where(group == 1, 0.01, 0.0))
    has = (sex == 0) & (rng.random(n) < rate)
    suffix = np.full(n, -1, dtype=np.int8)
    cdf = np.cumsum(SUFFIX_SHARES)
    suffix[has] = np.searchsorted(cdf, rng.random(int(has.sum())) * cdf[-1], side="right")
    return suffix


def last_name_strings(
    tables: NameTables, last1: np.ndarray, last2: np.ndarray, hyphen: np.ndarray,
    keep_accents: np.ndarray,
) -> pa.Array:
    a = tables.strings(last1, keep_accents)
    b = tables.strings(last2, keep_accents)
    sep = pa.array(np.where(hyphen, "-", " "))
    return pc.binary_join_element_wise(a, b, sep, null_handling="skip")


def suffix_strings(suffix: np.ndarray) -> pa.Array:
    vocab = pa.array(list(SUFFIXES) + [None], pa.string())
    return pc.take(vocab, pa.array(np.where(suffix < 0, len(SUFFIXES), suffix)))
