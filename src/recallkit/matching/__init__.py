"""Match handwritten petition entries to the voter file, in DuckDB.

normalize (names, addresses) → blocking (candidate pairs) → compare (agreement levels)
→ score (Fellegi–Sunter weights learned by EM, stored with the run) → decide (match /
nobody / review). `match_entries` runs the whole chain and leaves `rk_match` (one row per
entry) and `rk_scored` (every candidate with its score components) as temp tables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from recallkit.matching import decide as _decide
from recallkit.matching import normalize, score, sqlscript

SQL_DIR = Path(__file__).parent
# County-wide name keys shared by more voters than this are not used for blocking: such
# a name cannot point to one voter without an address (the line goes to a person), and
# at 200 their pairs were 30% of all candidate pairs for 0.04 points less automation.
WIDE_CAP = 50
# The same for the fuzzier county-wide keys of pass 6 (sound-alike surname, first name
# by its first two letters), which are less specific.
FUZZY_CAP = 50
# The name fields learn their m from the residents at the written address of one entry
# in this many (a random-like share by hash of the line id).
TRAIN_EVERY = 16
# DuckDB may use this much memory for matching before it spills to disk.
MEMORY_LIMIT = "6GB"


@dataclass(frozen=True)
class MatchRun:
    """What a matching pass learned and decided; `params` is stored in match_runs."""

    entries: int
    pairs: int
    params: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    model: score.Model | None = None


def _run_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    sql = (SQL_DIR / name).read_text(encoding="utf-8")
    sql = sql.replace("{S}", "rk_s").replace("{V}", "rk_v").replace(
        "{WIDE_CAP}", str(WIDE_CAP)).replace("{TRAIN_EVERY}", str(TRAIN_EVERY)).replace(
        "{FUZZY_CAP}", str(FUZZY_CAP))
    sqlscript.run(con, sql)


def build_voters(con: duckdb.DuckDBPyConnection) -> int:
    """rk_v (normalized voters) and the voters' blocking keys, once per connection."""
    normalize.install(con)
    n = normalize.build_voters(con, "rk_v")
    _run_script(con, "blocking_voters.sql")
    return n


def match_entries(con: duckdb.DuckDBPyConnection, source_sql: str, *,
                  epsilon: float = _decide.DEFAULT_EPSILON, voters_ready: bool = False,
                  history_ready: bool = False,
                  model: score.Model | None = None, registered: float | None = None,
                  mover_rate: float = _decide.DEFAULT_MOVER_RATE) -> MatchRun:
    """Match the entries of `source_sql` (id, printed_name, residence_address, city, zip)
    against the voters. With `model` given (e.g. withdrawals matched with the petition's
    weights) no new weights are learned; `voters_ready`/`history_ready` reuse rk_v/rk_vh
    from an earlier call on the same connection."""
    with sqlscript.scratch_work(con):
        return _match_entries(con, source_sql, epsilon=epsilon, voters_ready=voters_ready,
                              history_ready=history_ready, model=model,
                              registered=registered, mover_rate=mover_rate)


def _match_entries(con: duckdb.DuckDBPyConnection, source_sql: str, *, epsilon: float,
                   voters_ready: bool, history_ready: bool, model: score.Model | None,
                   registered: float | None, mover_rate: float) -> MatchRun:
    t: dict[str, float] = {}
    t0 = time.perf_counter()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    if not voters_ready:
        build_voters(con)
    t["normalize_voters"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = normalize.build_entries(con, source_sql, "rk_s")
    if not history_ready:
        normalize.build_history(con, "rk_vh")
    t["normalize_entries"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _run_script(con, "blocking.sql")
    t["blocking"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    score.compare(con, "rk_cand", "rk_cmp")
    pairs = con.execute("SELECT count(*) FROM rk_cmp").fetchall()[0][0]
    t["compare"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if model is None:
        u = score.estimate_u(con)
        # fit reads only the levels it learns from each training set
        score.compare(con, "rk_train_addr", "rk_cmp_train", fields=score.NAME_FIELDS)
        score.compare(con, "rk_train_name", "rk_cmp_train_a", fields=score.ADDRESS_FIELDS)
        model = score.fit(con, "rk_cmp", u, name_train="rk_cmp_train",
                          address_train="rk_cmp_train_a")
    t["fit"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    score.score(con, model, "rk_cmp", "rk_weighted", mover_rate=mover_rate)
    n_voters = con.execute("SELECT count(*) FROM rk_v").fetchall()[0][0]
    share = _decide.decide(con, "rk_weighted", registered, n_voters, epsilon)
    t["score_decide"] = time.perf_counter() - t0
    params = {"method": "fellegi-sunter/em", "epsilon": epsilon,
              "registered_share": round(share, 5), "n_voters": n_voters,
              "mover_rate": mover_rate, "wide_key_cap": WIDE_CAP, "fuzzy_key_cap": FUZZY_CAP,
              "train_every": TRAIN_EVERY,
              "model": model.as_dict(), "top_k": _decide.TOP_K,
              "min_auto_first_level": _decide.MIN_AUTO_FIRST,
              "min_auto_last_level": _decide.MIN_AUTO_LAST}
    return MatchRun(n, pairs, params, {k: round(v, 3) for k, v in t.items()}, model)
