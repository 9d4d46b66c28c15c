"""Run a file of SQL statements: the engine's steps live in .sql files, one statement per
`;` at a line end, with `--` comments that DuckDB would otherwise see as empty statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa


def run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    for stmt in sql.split(";\n"):
        if any(ln.strip() and not ln.strip().startswith("--") for ln in stmt.splitlines()):
            con.execute(stmt)


@contextmanager
def scratch_work(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """No automatic checkpoints while the engine builds its temp tables.

    DuckDB checkpoints after every 16 MiB of changes, the in-memory temp database
    included: replacing scratch tables then costs a vacuum and a rewrite for nothing
    (a third of blocking time at 1M voters). The workspace's own writes still checkpoint
    as usual once the previous threshold is back."""
    before = con.execute("SELECT current_setting('checkpoint_threshold')").fetchall()[0][0]
    con.execute("SET checkpoint_threshold = '1TB'")
    try:
        yield
    finally:
        con.execute(f"SET checkpoint_threshold = '{before}'")


def from_arrow(con: duckdb.DuckDBPyConnection, sql: str, table: pa.Table) -> None:
    """Run `sql`, which reads `table` as `rk_arrow`: rows made in Python go in as one
    Arrow scan (executemany binds them one at a time: 20 s for 100,000 lines)."""
    con.register("rk_arrow", table)
    try:
        con.execute(sql)
    finally:
        con.unregister("rk_arrow")


def temp_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """The Arrow `table` as the temp table `name`."""
    from_arrow(con, f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM rk_arrow", table)
