"""Run a file of SQL statements: the engine's steps live in .sql files, one statement per
`;` at a line end, with `--` comments that DuckDB would otherwise see as empty statements."""

from __future__ import annotations

import duckdb


def run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    for stmt in sql.split(";\n"):
        if any(ln.strip() and not ln.strip().startswith("--") for ln in stmt.splitlines()):
            con.execute(stmt)
