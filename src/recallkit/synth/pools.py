"""The voter file seen from the petition generator: who can sign with which outcome.

The voter file is read once into DuckDB (only the columns needed to pick signers),
each voter gets a row number, its place in the file (so picks are deterministic for a
seed), and the pools are SQL predicates that mirror the rules in data-formats.md:
CANCELLED only when cancelled before circulation began, REGISTERED_LATE only when
registered after the section's circulation ended, an inactive voter still counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

DETAIL_COLUMNS = (
    "voter_id", "first_name", "middle_name", "last_name", "name_suffix", "residence_address",
    "house_number", "house_fraction", "street_predirection", "street_name", "street_type",
    "street_postdirection", "unit_type", "unit_number", "city", "zip", "county",
    "registration_date", "status", "status_date",
)


PICK_COLUMNS = ("first_name", "last_name", "zip", "county", "status", "registration_date",
                "status_date")


def _batches(path: Path, columns: tuple[str, ...]):
    """Record batches of the named columns, all as text, in file order."""
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=32 << 20),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(columns),
                column_types={c: pa.string() for c in columns},
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, KeyError) as exc:
        raise ValueError(
            f"{path}: cannot read the voter file as a canonical voters.csv ({exc})"
        ) from None
    yield from reader


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


@dataclass
class VoterFile:
    con: duckdb.DuckDBPyConnection
    path: Path
    home: str
    rows: int
    _tokens: bool = False

    @classmethod
    def open(cls, path: Path, county: str | None) -> VoterFile:
        """Stream the file once with pyarrow (multi-threaded, in file order) and keep only
        the few columns that pick signers, indexed in DuckDB; a voter's row number is its
        place in the file. Full rows are read again later, for the chosen voters only."""
        con = duckdb.connect()
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        con.execute(
            """CREATE TABLE v (rn BIGINT, first_up VARCHAR, last_toks VARCHAR[], zip5 VARCHAR,
                               county VARCHAR, status VARCHAR, reg DATE, sd DATE)"""
        )
        offset = 0
        for batch in _batches(path, PICK_COLUMNS):
            chunk = pa.Table.from_batches([batch]).append_column(
                "rn", pa.array(np.arange(offset, offset + batch.num_rows, dtype=np.int64)))
            offset += batch.num_rows
            con.register("chunk", chunk)
            con.execute(
                """INSERT INTO v SELECT rn,
                       strip_accents(upper(first_name)),
                       string_split(strip_accents(upper(replace(last_name, '-', ' '))), ' '),
                       left(zip, 5), county, lower(status),
                       TRY_CAST(registration_date AS DATE), TRY_CAST(status_date AS DATE)
                   FROM chunk"""
            )
            con.unregister("chunk")
        if county is None:
            county = con.execute(
                "SELECT county FROM v GROUP BY county ORDER BY count(*) DESC, county LIMIT 1"
            ).fetchone()[0]
        return cls(con, path, county, offset)

    def pool(self, where: str, params: list) -> np.ndarray:
        """Row numbers of the voters matching a condition, in file order."""
        res = self.con.execute(
            f"SELECT rn FROM v WHERE {where} ORDER BY rn", params
        ).fetchnumpy()
        return np.asarray(res["rn"], dtype=np.int64)

    def pools(self, c_from: date, c_to: date) -> dict[str, np.ndarray]:
        h = self.home
        not_cancelled_then = "(status <> 'cancelled' OR sd >= ?)"
        return {
            # Registered before circulation and not cancelled before it ended.
            "valid": self.pool(
                f"county = ? AND reg <= ? AND {not_cancelled_then}", [h, c_from, c_to]
            ),
            # Registered during circulation: valid on sections circulated until later.
            "during": self.pool(
                f"county = ? AND reg > ? AND reg <= ? AND {not_cancelled_then}",
                [h, c_from, c_to, c_to],
            ),
            "cancelled": self.pool(
                "county = ? AND status = 'cancelled' AND sd < ?", [h, c_from]
            ),
            "late": self.pool("county = ? AND reg > ? AND status <> 'cancelled'", [h, c_to]),
            "other_county": self.pool("county <> ?", [h]),
            "home": self.pool("county = ?", [h]),
        }

    def registration_days(self, rns: np.ndarray) -> np.ndarray:
        self.con.register("q_rn", pa.table({"rn": pa.array(rns)}))
        res = self.con.execute(
            """SELECT datediff('day', DATE '1970-01-01', v.reg) AS d
               FROM q_rn JOIN v USING (rn) ORDER BY q_rn.rn"""
        ).fetchnumpy()
        self.con.unregister("q_rn")
        order = np.argsort(rns, kind="stable")
        out = np.empty(len(rns), dtype=np.int64)
        out[order] = res["d"]
        return out

    def details(self, rns: np.ndarray) -> tuple[np.ndarray, dict[str, list]]:
        """Full rows for the given row numbers (a second streaming pass over the file):
        sorted unique row numbers and their columns as lists."""
        want = np.unique(rns)
        parts = []
        offset = 0
        for batch in _batches(self.path, DETAIL_COLUMNS):
            lo, hi = np.searchsorted(want, [offset, offset + batch.num_rows])
            if hi > lo:
                parts.append(batch.take(pa.array(want[lo:hi] - offset)))
            offset += batch.num_rows
        rows = pa.Table.from_batches(parts) if parts else None
        return want, {c: (rows.column(c).to_pylist() if rows is not None else [])
                      for c in DETAIL_COLUMNS}

    def history(self, path: Path, voter_ids: list[str], before: date) -> dict[str, tuple]:
        """An address each voter left before `before` (registration history), if any."""
        if not path.exists() or not voter_ids:
            return {}
        self.con.register("hv", pa.table({"voter_id": pa.array(voter_ids, pa.string())}))
        rows = self.con.execute(
            f"""SELECT h.voter_id, arg_max(h.residence_address, h.valid_to), arg_max(h.city,
                       h.valid_to), arg_max(h.zip, h.valid_to)
                FROM read_csv('{_sql_path(path)}', header=true, all_varchar=true) h
                JOIN hv USING (voter_id)
                WHERE TRY_CAST(h.valid_to AS DATE) < ?
                GROUP BY h.voter_id ORDER BY h.voter_id""",
            [before],
        ).fetchall()
        self.con.unregister("hv")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def unknown(self, cands: pa.Table, related: pa.Table) -> np.ndarray:
        """Which candidate people match no voter. A voter in the same ZIP who shares any
        surname word and has the same first initial or a related first name (nickname)
        counts as a possible match, so the candidate is refused."""
        if not self._tokens:
            self.con.execute(
                """CREATE TABLE vt AS SELECT DISTINCT zip5, first_up, unnest(last_toks) AS tok
                   FROM v"""
            )
            self._tokens = True
        self.con.register("cand", cands)
        self.con.register("rel", related)
        res = self.con.execute(
            """WITH hits AS (
                   SELECT c.cid, t.first_up, c.first_init FROM cand c
                   JOIN vt t ON t.zip5 = c.zip AND t.tok = c.tok),
               bad AS (
                   SELECT DISTINCT h.cid FROM hits h
                   WHERE left(h.first_up, 1) = h.first_init
                      OR EXISTS (SELECT 1 FROM rel r WHERE r.cid = h.cid
                                 AND r.name = h.first_up))
               SELECT DISTINCT cid FROM cand WHERE cid NOT IN (SELECT cid FROM bad)
               ORDER BY cid"""
        ).fetchnumpy()
        self.con.unregister("cand")
        self.con.unregister("rel")
        return np.asarray(res["cid"], dtype=np.int64)
