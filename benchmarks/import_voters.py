"""Benchmark: import a Los Angeles-sized voter file (5.7M rows) into a workspace.

Generates a simple canonical voters.csv with DuckDB (fast, vectorized; names and streets
are drawn from small lists, which is all an import benchmark needs), creates a workspace,
imports the file, and prints rows/s and the process's peak resident memory. The peer in the
same run is a plain DuckDB load of the same file into a fresh database (read_csv, no checks,
no rejects, no audit): the floor that our validation and bookkeeping are measured against.
Targets (issue 5): >= 200,000 rows/s and peak RSS < 4 GB on a 2-core machine.

    .venv/bin/python benchmarks/import_voters.py [--rows 5700000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from recallkit.workspace import create_workspace, import_voters

FIRST = ["MARIA", "JOSE", "JAMES", "MARY", "DAVID", "JENNIFER", "MICHAEL", "LINDA", "JUAN",
         "PATRICIA", "ROBERT", "ELIZABETH", "CARLOS", "SUSAN", "WEI", "NGUYEN", "ANA", "LUIS"]
LAST = ["GARCIA", "HERNANDEZ", "SMITH", "LOPEZ", "MARTINEZ", "KIM", "NGUYEN", "JOHNSON",
        "LEE", "GONZALEZ", "RODRIGUEZ", "WILLIAMS", "PEREZ", "BROWN", "CHEN", "DE LA CRUZ"]
STREETS = ["MAIN", "FIGUEROA", "SUNSET", "WILSHIRE", "VERMONT", "OLYMPIC", "PICO", "ALVARADO"]
TYPES = ["ST", "AVE", "BLVD", "DR", "PL", "WAY"]


def generate(path: Path, rows: int) -> None:
    con = duckdb.connect()
    lit = lambda xs: "[" + ", ".join(f"'{x}'" for x in xs) + "]"  # noqa: E731
    con.execute(f"""
        COPY (
          SELECT 'LA' || lpad(i::VARCHAR, 9, '0') AS voter_id,
                 {lit(FIRST)}[1 + (hash(i) % 1000000007)::BIGINT % {len(FIRST)}] AS first_name,
                 CASE WHEN i % 3 = 0 THEN 'A' END AS middle_name,
                 {lit(LAST)}[1 + (hash(i * 7) % 1000000007)::BIGINT % {len(LAST)}] AS last_name,
                 (1 + (hash(i * 3) % 1000000007)::BIGINT % 20000)::VARCHAR || ' '
                   || {lit(STREETS)}[1 + i % 8] || ' '
                   || {lit(TYPES)}[1 + i % 6]
                   || CASE WHEN i % 5 = 0 THEN ' APT ' || (i % 40)::VARCHAR ELSE '' END
                   AS residence_address,
                 'LOS ANGELES' AS city,
                 (90001 + (hash(i * 11) % 1000000007)::BIGINT % 900)::VARCHAR AS zip,
                 'Los Angeles' AS county,
                 strftime(DATE '1970-01-01'
                   + ((hash(i * 13) % 1000000007)::BIGINT % 19000)::INTEGER, '%Y-%m-%d')
                   AS registration_date,
                 CASE WHEN i % 10 = 0 THEN 'inactive' WHEN i % 97 = 0 THEN 'cancelled'
                      ELSE 'active' END AS status,
                 (1930 + (hash(i * 17) % 1000000007)::BIGINT % 75)::VARCHAR AS birth_year,
                 ['DEM', 'REP', 'NPP', 'AI'][1 + i % 4] AS party,
                 (9000000 + i % 5000)::VARCHAR AS precinct
          FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
    """)
    con.close()


def plain_duckdb_load(csv: Path, db: Path) -> tuple[int, float]:
    """The peer: what DuckDB alone takes to load the file (no validation at all)."""
    con = duckdb.connect(str(db))
    try:
        start = time.perf_counter()
        con.execute(f"CREATE TABLE voters AS SELECT * FROM read_csv('{csv}', header=true, "
                    "all_varchar=true)")
        seconds = time.perf_counter() - start
        return int(con.execute("SELECT count(*) FROM voters").fetchall()[0][0]), seconds
    finally:
        con.close()


def peak_rss_mb() -> float:
    # Linux reports ru_maxrss in KiB; children (none here) are not counted.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5_700_000)
    ap.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="rk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv = work / "voters.csv"
    try:
        t0 = time.perf_counter()
        generate(csv, args.rows)
        gen_s = time.perf_counter() - t0
        size_mb = csv.stat().st_size / 1e6
        ws = create_workspace(work / "ws", rules="ca-local", jurisdiction="Los Angeles County",
                              office="District Attorney", officer="Bench Mark",
                              measure=5_600_000, format_approved=date(2021, 9, 15),
                              counties=["Los Angeles"], actor="bench")
        rss_before = peak_rss_mb()
        t1 = time.perf_counter()
        report = import_voters(ws, csv, actor="bench")
        imp_s = time.perf_counter() - t1
        ws.close()
        rate = report.read / imp_s
        rss = peak_rss_mb()
        peer_rows, peer_s = plain_duckdb_load(csv, work / "plain.duckdb")
        rows = [
            ("rows", f"{report.read:,}"),
            ("file size", f"{size_mb:,.0f} MB"),
            ("generate", f"{gen_s:.1f} s"),
            ("import", f"{imp_s:.1f} s"),
            ("accepted / rejected", f"{report.accepted:,} / {report.rejected:,}"),
            ("rows/s", f"{rate:,.0f}  (target >= 200,000)"),
            ("peer: plain DuckDB load", f"{peer_s:.1f} s, {peer_rows / peer_s:,.0f} rows/s "
                                        f"(no checks; recallkit takes {imp_s / peer_s:.1f}x)"),
            ("peak RSS", f"{rss:,.0f} MB  (target < 4,096; {rss_before:,.0f} MB before import)"),
        ]
        width = max(len(k) for k, _ in rows)
        print("import_voters benchmark")
        for k, v in rows:
            print(f"  {k:<{width}}  {v}")
        ok = rate >= 200_000 and rss < 4096
        print("  result" + " " * (width - 4) + ("PASS" if ok else "MISS"))
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
