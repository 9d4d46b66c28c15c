"""Fellegi–Sunter scoring with weights learned from the workspace's own data.

Why unsupervised: the engine must work on county files it has never seen, so its weights
cannot come from our synthetic generator. Like Splink, we estimate

* u (chance agreement) from random voter/entry pairs, which are almost all non-matches,
  with term-frequency adjustment on exact first and last names (a shared GARCIA says
  less than a shared KHACHATRYAN), and
* m (agreement among true matches) and the match prior λ by expectation–maximisation
  over the candidate pairs, run on the pattern counts (a few hundred rows), so EM costs
  nothing whatever the petition size.

The score of a pair is Σ log2(m/u) over its fields (a blank field adds 0). Weights, u,
m and λ are returned as plain data and stored with the match run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

SQL_DIR = Path(__file__).parent
FIELDS: dict[str, tuple[int, ...]] = {
    "first": (0, 1, 2, 3, 4),
    "last": (0, 1, 2, 3, 4),
    "mid": (0, 1),
    "house": (0, 1, 2),
    "street": (0, 1, 2),
    "loc": (0, 1, 2),
    "unit": (0, 1),
}
# Splink's training trick: learn the m of the address fields from pairs that were blocked
# on the name, and the m of the name fields from pairs blocked on the address, so that
# neither group of fields is judged on pairs it was selected by.
NAME_FIELDS = ("first", "last", "mid")
ADDRESS_FIELDS = ("house", "street", "loc", "unit")
TF_FIELDS = {"first": ("v_first_name", 4), "last": ("v_last_key", 4)}
FLOOR = 1e-5
# The line of compare.sql where the ranking of the two readings of a name begins.
_RANKING = "-- The better reading of the pairs found in both"


@dataclass(frozen=True)
class Model:
    """Learned parameters: per field and level, m, u and the weight log2(m/u)."""

    m: dict[str, dict[int, float]]
    u: dict[str, dict[int, float]]
    prior: float
    iterations: int
    pairs: int
    tf_floor: dict[str, float] = field(default_factory=dict)

    def weight(self, f: str, level: int) -> float:
        return math.log2(max(self.m[f][level], FLOOR) / max(self.u[f][level], FLOOR))

    def as_dict(self) -> dict[str, Any]:
        return {
            "prior": self.prior, "iterations": self.iterations, "pairs": self.pairs,
            "m": {f: {str(k): v for k, v in d.items()} for f, d in self.m.items()},
            "u": {f: {str(k): v for k, v in d.items()} for f, d in self.u.items()},
            "weights": {f: {str(k): round(self.weight(f, k), 4) for k in self.m[f]}
                        for f in self.m},
            "tf_floor": self.tf_floor,
        }


def compare(con: duckdb.DuckDBPyConnection, pairs: str, out: str,
            s: str = "rk_s", v: str = "rk_v", fields: tuple[str, ...] | None = None) -> None:
    """Agreement levels of every pair in `pairs` (compare.sql) as the table `out`.

    `fields` (e.g. NAME_FIELDS) asks for only those levels, besides sid, orient, vid and
    passes: fit reads nothing else from its training pairs. When every pair has one
    reading of the name (orient 0 only, as in the training pairs) the other comparisons
    are then not computed at all; otherwise all columns are built."""
    sql = (SQL_DIR / "compare.sql").read_text(encoding="utf-8")
    if fields is not None and not con.execute(
            f"SELECT count(*) FROM {pairs} WHERE orient <> 0").fetchall()[0][0]:
        head, cut, _ = sql.partition(_RANKING)
        if cut:
            keep = ", ".join(("sid", "orient", "vid", "passes", *fields))
            sql = (head.replace("l AS MATERIALIZED (", "l AS (")
                   + f"SELECT {keep} FROM l;\n")
    con.execute(sql.replace("{OUT}", out).replace("{PAIRS}", pairs)
                .replace("{S}", s).replace("{V}", v))


def estimate_u(con: duckdb.DuckDBPyConnection, entries: str = "rk_s",
               voters: str = "rk_v", n_entries: int = 2000, n_voters: int = 60,
               seed: float = 0.42) -> dict[str, dict[int, float]]:
    """u-probabilities from random-like pairs (entries × voters, cross join of two samples).

    The samples are drawn by a seeded hash of the ids, not random(): random() under
    parallel threads differs between runs, and so did the weights and the decisions. A
    verification must come out the same when it is run again on the same files."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_upairs AS
        SELECT s.sid, s.orient, v.vid, 0 AS passes
        FROM (SELECT sid, orient FROM {entries} WHERE orient = 0
              ORDER BY hash(id, {seed!r}), id LIMIT {n_entries}) s
        CROSS JOIN (SELECT vid FROM {voters}
                    ORDER BY hash(voter_id, {seed!r}), voter_id LIMIT {n_voters}) v
    """)
    compare(con, "rk_upairs", "rk_ucmp", entries, voters, fields=tuple(FIELDS))
    return _level_freqs(con, "rk_ucmp")


def _level_freqs(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    for f, levels in FIELDS.items():
        rows = dict(con.execute(
            f"SELECT {f}, count(*) FROM {table} WHERE {f} >= 0 GROUP BY 1").fetchall())
        total = sum(rows.values()) + len(levels)
        out[f] = {lv: (rows.get(lv, 0) + 1) / total for lv in levels}  # +1 smoothing
    return out


def fit(con: duckdb.DuckDBPyConnection, cmp: str, u: dict[str, dict[int, float]],
        name_train: str | None = None, address_train: str | None = None) -> Model:
    """m for address fields from name-blocked pairs (pass 1, or `address_train`: namesakes
    anywhere in the county), m for name fields from address-blocked pairs (pass 2, or
    `name_train`: everybody at the written address); each by EM with u fixed."""
    a = _em(con, address_train or cmp, u, ADDRESS_FIELDS, "passes & 2 <> 0")
    b = _em(con, name_train or cmp, u, NAME_FIELDS, "passes & 4 <> 0")
    m = {**a.m, **b.m}
    return Model(m, u, b.prior, a.iterations + b.iterations, a.pairs + b.pairs)


def _em(con: duckdb.DuckDBPyConnection, cmp: str, u: dict[str, dict[int, float]],
        fields: tuple[str, ...], where: str, max_iter: int = 60, tol: float = 1e-6) -> Model:
    """EM for m and λ over the pattern counts of the selected pairs, u held fixed."""
    names = list(fields)
    rows = con.execute(
        f"SELECT {', '.join(names)}, count(*) FROM {cmp} WHERE {where} GROUP BY ALL"
    ).fetchall()
    if not rows:  # nothing to learn from: agreement at the top level is what matches do
        m0 = {f: {lv: (0.95 if lv == max(FIELDS[f]) else 0.05 / (len(FIELDS[f]) - 1))
                  for lv in FIELDS[f]} for f in names}
        return Model(m0, u, 0.5, 0, 0)
    pat = np.array([r[:-1] for r in rows], dtype=np.int64)
    cnt = np.array([r[-1] for r in rows], dtype=np.float64)
    # start: matches agree at the top level of every field
    m = {f: {lv: (0.9 if lv == max(FIELDS[f]) else 0.1 / max(len(FIELDS[f]) - 1, 1))
             for lv in FIELDS[f]} for f in names}
    lam = 0.3
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (it counts the iterations run)
        lm = np.full(len(rows), math.log(lam))
        lu = np.full(len(rows), math.log(1 - lam))
        for j, f in enumerate(names):
            col = pat[:, j]
            for lv in FIELDS[f]:
                sel = col == lv
                lm[sel] += math.log(max(m[f][lv], FLOOR))
                lu[sel] += math.log(max(u[f][lv], FLOOR))
        post = 1.0 / (1.0 + np.exp(np.clip(lu - lm, -700, 700)))
        w = post * cnt
        new_lam = float(w.sum() / cnt.sum())
        delta = abs(new_lam - lam)
        new_m: dict[str, dict[int, float]] = {}
        for j, f in enumerate(names):
            col = pat[:, j]
            seen = col >= 0
            denom = float(w[seen].sum()) + len(FIELDS[f]) * 1e-3
            new_m[f] = {lv: (float(w[col == lv].sum()) + 1e-3) / denom for lv in FIELDS[f]}
            delta = max(delta, *(abs(new_m[f][lv] - m[f][lv]) for lv in FIELDS[f]))
        m, lam = new_m, min(max(new_lam, 1e-6), 1 - 1e-6)
        if delta < tol:
            break
    return Model(m, u, lam, it, int(cnt.sum()))


def score(con: duckdb.DuckDBPyConnection, model: Model, cmp: str, out: str,
          voters: str = "rk_v", mover_rate: float = 0.05) -> None:
    """Add per-field weights (components) and the total score to every pair: a view
    `out` (decide.py materializes it once, together with its own columns).

    Exact first/last names are term-frequency adjusted: weight = log2(m / tf(name)),
    where tf is the name's share of the voter file (floored at u's smoothing level).

    The address fields together never count below log2(mover_rate): a registered voter
    who signs at a new address is as likely as voters are to move, and EM (which sees
    few movers) would otherwise learn that a different address rules a voter out. The
    address then decides the reason (ADDRESS_MISMATCH), not who the signer is.
    """
    n = con.execute(f"SELECT count(*) FROM {voters}").fetchall()[0][0] or 1
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_tf_first AS
        SELECT first AS name, count(*) / {n}::DOUBLE AS tf FROM {voters} GROUP BY 1""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rk_tf_last AS
        SELECT last_key AS name, count(*) / {n}::DOUBLE AS tf FROM {voters} GROUP BY 1""")
    parts = []
    for f, levels in FIELDS.items():
        # the weight of level k is element k + 1 of a constant list (level -1, a blank
        # side, reads index 0: NULL, weight 0): half the cost of a CASE per level
        weights = ", ".join(f"{model.weight(f, lv)!r}::DOUBLE" for lv in levels)
        expr = f"coalesce([{weights}][c.{f} + 1], 0.0)"
        if f in TF_FIELDS:
            top = TF_FIELDS[f][1]
            tf_tab = "tff" if f == "first" else "tfl"
            m_top = max(model.m[f][top], FLOOR)
            expr = (f"CASE WHEN c.{f} = {top} AND {tf_tab}.tf IS NOT NULL THEN "
                    f"log2({m_top!r} / greatest({tf_tab}.tf, {FLOOR!r})) ELSE {expr} END")
        parts.append(f"{expr} AS w_{f}")
    addr_floor = math.log2(mover_rate)
    # The address the signer wrote is one the voter had before (voter_history): as
    # strong evidence of identity as the current address (the reason is decided apart).
    w_hist = model.weight("house", 2) + model.weight("street", 2)
    wsum = (f"w_first + w_last + w_mid + greatest(w_house + w_street + w_loc + w_unit, "
            f"CASE WHEN hist THEN {w_hist!r} ELSE {addr_floor!r} END)")
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW {out} AS
        SELECT *, {wsum} AS score FROM (
            SELECT c.*, {', '.join(parts)}
            FROM {cmp} c
            LEFT JOIN rk_tf_first tff ON tff.name = c.v_first_name
            LEFT JOIN rk_tf_last tfl ON tfl.name = c.v_last_key
        )
    """)
