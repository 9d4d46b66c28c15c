"""recallkit's matcher vs Splink 5 (DuckDB) on the same synthetic county and petition.

    .venv/bin/pip install 'splink>=5,<6'     # the 'bench' extra
    .venv/bin/python benchmarks/match_vs_splink.py [--voters 1000000 --signatures 125000]

The task is the voter link: for each petition line, which voter signed it (or nobody).
Truth comes from truth.csv (voter_id per line, empty when the signer is not registered).
Both tools link at posterior match probability ≥ 0.5, best candidate per line.

Fair timing: Splink cannot parse a handwritten "printed name" itself, so it is fed
recallkit's normalized fields (first name, surname key, house number, street key, ZIP,
city). Building those fields is timed again for Splink, the same way it is counted for
recallkit, and the table shows both the end-to-end times (normalization included on
both sides) and the matching-only times (normalization excluded on both sides). Both
run on one DuckDB connection (a database file, like a workspace) with threads = 2.

Both tools run --repeat times, taking turns (recallkit, then Splink, in each round), and
the table shows each tool's median round: on a shared 2-core machine one run of either
varies by ±20%. Every round's ratio is printed too. Accuracy and memory come from the
first round (both tools are deterministic here).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import duckdb

from recallkit.matching import match_entries, normalize, sqlscript

sys.path.insert(0, str(Path(__file__).parent))

from _data import ensure  # noqa: E402


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def load(con: duckdb.DuckDBPyConnection, data: Path) -> None:
    con.execute((Path(normalize.__file__).parents[1] / "workspace" / "migrations" /
                 "001_initial.sql").read_text())
    con.execute(f"""INSERT INTO voters BY NAME SELECT voter_id, first_name, middle_name,
        last_name, name_suffix, residence_address, city, zip, county,
        try_cast(registration_date AS DATE) AS registration_date, status
        FROM read_csv('{data / 'voters.csv'}', all_varchar = true)""")
    con.execute(f"""CREATE TABLE entries AS SELECT section_id || ':' || page || ':' || line
        AS id, printed_name, residence_address, city, zip
        FROM read_csv('{data / 'signatures.csv'}', all_varchar = true)
        WHERE struck <> 'true'""")
    con.execute(f"""CREATE TABLE truth AS SELECT section_id || ':' || page || ':' || line
        AS id, nullif(voter_id, '') AS voter_id
        FROM read_csv('{data / 'truth.csv'}', all_varchar = true)""")


def scores(con: duckdb.DuckDBPyConnection, links: str) -> tuple[float, float, float]:
    tp, pred, true = con.execute(f"""
        SELECT count(*) FILTER (WHERE l.voter_id = t.voter_id),
               count(l.voter_id), count(t.voter_id)
        FROM truth t LEFT JOIN {links} l USING (id)""").fetchall()[0]
    p = tp / pred if pred else 0.0
    r = tp / true if true else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_recallkit(con: duckdb.DuckDBPyConnection) -> tuple[float, float, dict]:
    """(end-to-end seconds, normalization seconds, step timings)."""
    t = time.perf_counter()
    run = match_entries(con, "SELECT * FROM entries")
    con.execute("""CREATE OR REPLACE TABLE rk_links AS SELECT id, voter_id FROM rk_match
                   WHERE voter_id IS NOT NULL AND p_best >= 0.5""")
    norm = run.timings.get("normalize_voters", 0) + run.timings.get("normalize_entries", 0)
    return time.perf_counter() - t, norm, run.timings


def prepare_splink(con: duckdb.DuckDBPyConnection) -> float:
    """Splink's inputs: recallkit's normalized fields (orientation as written), built
    again from the raw tables and timed. Returns seconds."""
    t = time.perf_counter()
    with sqlscript.scratch_work(con):
        normalize.install(con)
        normalize.build_voters(con, "sp_v")
        normalize.build_entries(con, "SELECT * FROM entries", "sp_s")
    con.execute("""CREATE OR REPLACE TABLE sp_left AS SELECT id AS unique_id, first,
        last_key AS last, house, street_key AS street, zip, city FROM sp_s WHERE orient = 0""")
    con.execute("""CREATE OR REPLACE TABLE sp_right AS SELECT voter_id AS unique_id, first,
        last_key AS last, house, street_key AS street, zip, city FROM sp_v""")
    con.execute("DROP TABLE sp_v")
    con.execute("DROP TABLE sp_s")
    return time.perf_counter() - t


def run_splink(file_con: duckdb.DuckDBPyConnection) -> tuple[float, duckdb.DuckDBPyConnection]:
    """Splink on an in-memory DuckDB holding its two input tables (copied untimed): its
    faster setting here — Splink writes its intermediate tables as persistent tables,
    which cost it about a third more on a database file."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect()
    con.execute("SET threads = 2")
    # the same as recallkit's scratch_work: no checkpoints of intermediate tables
    con.execute("SET checkpoint_threshold = '1TB'")
    for tab in ("sp_left", "sp_right", "truth"):
        con.register("src_arrow", file_con.table(tab).arrow())
        con.execute(f"CREATE TABLE {tab} AS SELECT * FROM src_arrow")
        con.unregister("src_arrow")
    t = time.perf_counter()
    db = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first"),
            cl.NameComparison("last").configure(term_frequency_adjustments=True),
            cl.ExactMatch("house"),
            cl.JaroWinklerAtThresholds("street", [0.9]),
            cl.ExactMatch("zip"),
            cl.ExactMatch("city"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("last", "zip"), block_on("house", "street"), block_on("first", "last"),
        ],
        retain_matching_columns=False,
    )
    left = db.register(con.table("sp_left"), table_name="sp_left_in")
    right = db.register(con.table("sp_right"), table_name="sp_right_in")
    linker = Linker([left, right], settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first", "last", "zip")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("house", "street"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first", "last"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    con.execute(f"""CREATE OR REPLACE TABLE sp_links AS
        SELECT CASE WHEN source_dataset_l = 'sp_left_in' THEN unique_id_l ELSE unique_id_r END
                   AS id,
               CASE WHEN source_dataset_l = 'sp_left_in' THEN unique_id_r ELSE unique_id_l END
                   AS voter_id, match_probability
        FROM {pred.physical_name}
        QUALIFY row_number() OVER (PARTITION BY id ORDER BY match_probability DESC) = 1""")
    return time.perf_counter() - t, con


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--voters", type=int, default=1_000_000)
    ap.add_argument("--signatures", type=int, default=125_000)
    ap.add_argument("--seed", type=int, default=2022)
    ap.add_argument("--dir", default="/tmp/recallkit-bench-la")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; the median is shown")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    data = ensure(Path(args.dir), args.voters, args.signatures, args.seed)
    # a database file, as a workspace is (DuckDB's in-memory tables were markedly slower
    # for both tools here)
    db = Path(args.dir) / "match_vs_splink.duckdb"
    db.unlink(missing_ok=True)
    Path(str(db) + ".wal").unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    load(con, data)
    con.execute("CHECKPOINT")
    con.close()
    rounds = []
    for r in range(args.repeat):
        con = duckdb.connect(str(db))
        # warm DuckDB's buffers with the input tables, so neither tool pays the first read
        for tab in ("voters", "entries"):
            con.execute(f"CREATE TEMP TABLE warm AS SELECT * FROM {tab}")
            con.execute("DROP TABLE warm")
        con.execute("SET threads = 2")
        if r == 0:
            rss0 = rss_gb()
        t_rk, n_rk, steps = run_recallkit(con)
        if r == 0:
            rss_rk = rss_gb()
            rk = scores(con, "rk_links")
        try:
            n_sp = prepare_splink(con)
            t_sp, sp_con = run_splink(con)
        except ImportError:
            sys.exit("Splink is not installed: .venv/bin/pip install 'splink>=5,<6'")
        if r == 0:
            rss_sp = rss_gb()
            sp = scores(sp_con, "sp_links")
        sp_con.close()
        con.close()
        rounds.append({"rk": t_rk, "rk_norm": n_rk, "sp": n_sp + t_sp, "sp_norm": n_sp,
                       "steps": steps})
        print(f"  round {r + 1}: recallkit {t_rk:.1f} s, Splink {n_sp + t_sp:.1f} s, "
              f"ratio {(n_sp + t_sp) / t_rk:.2f}x", flush=True)
    mid_rk = sorted(rounds, key=lambda x: x["rk"])[len(rounds) // 2]
    mid_sp = sorted(rounds, key=lambda x: x["sp"])[len(rounds) // 2]
    t_rk, n_rk, steps = mid_rk["rk"], mid_rk["rk_norm"], mid_rk["steps"]
    t_end_sp, n_sp = mid_sp["sp"], mid_sp["sp_norm"]
    print(f"\nmatch_vs_splink: {args.voters:,} voters, {args.signatures:,} signatures "
          f"(median of {len(rounds)} rounds)")
    print(f"  {'':<34}{'recallkit':>12}{'Splink 5':>12}")
    print(f"  {'time, end to end (s)':<34}{t_rk:>12.1f}{t_end_sp:>12.1f}")
    print(f"  {'  of which normalization (s)':<34}{n_rk:>12.1f}{n_sp:>12.1f}")
    print(f"  {'time, matching only (s)':<34}{t_rk - n_rk:>12.1f}{t_end_sp - n_sp:>12.1f}")
    print(f"  {'peak RSS (GB, cumulative)':<34}{rss_rk:>12.2f}{rss_sp:>12.2f}"
          f"   (before: {rss0:.2f})")
    for name, i in (("precision", 0), ("recall", 1), ("F1", 2)):
        print(f"  {name:<34}{rk[i]:>12.4f}{sp[i]:>12.4f}")
    print(f"  speed ratio end to end (Splink / recallkit): {t_end_sp / t_rk:.2f}x "
          "(target ≥ 3x)")
    print(f"  speed ratio matching only:                   "
          f"{(t_end_sp - n_sp) / (t_rk - n_rk):.2f}x")
    each = ", ".join(f"{x['sp'] / x['rk']:.2f}x" for x in rounds)
    print(f"  per-round end-to-end ratios: {each}")
    print(f"  recallkit steps (s): {steps}")


if __name__ == "__main__":
    main()
