"""Reading delimited files into DuckDB without losing a row.

Every field is read as text (validation happens afterwards, in SQL, so that a bad value
becomes a reject with a reason instead of a failed import). The file is loaded into a
temporary table whose row ids follow the file's record order, so each row keeps its
`source_row` (record number, header = 1, blank lines skipped).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

OVERFLOW = 16  # extra columns read past the header, to catch rows with too many values


class HeaderError(ValueError):
    """The header does not fit the profile; nothing was imported."""


@dataclass(frozen=True)
class FileScan:
    sha256: str
    encoding: str  # utf-8 | latin-1
    bom: bool
    quotes: int  # number of quote characters (odd: maybe an unterminated quote)
    size: int


def scan_file(path: Path, quote: str = '"') -> FileScan:
    """One pass over the bytes: content hash, UTF-8 validity, BOM, quote count."""
    h = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    quotes = 0
    size = 0
    qb = quote.encode("latin-1") if quote else b""
    bom = False
    with open(path, "rb") as f:
        first = True
        while chunk := f.read(1 << 22):
            if first:
                bom = chunk.startswith(codecs.BOM_UTF8)
                first = False
            h.update(chunk)
            size += len(chunk)
            if qb:
                quotes += chunk.count(qb)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    return FileScan(h.hexdigest(), "utf-8" if utf8 else "latin-1", bom, quotes, size)


def _py_encoding(scan: FileScan) -> str:
    return "utf-8-sig" if scan.encoding == "utf-8" else "latin-1"


def read_header(path: Path, scan: FileScan, delimiter: str, quote: str) -> list[str]:
    """The first record's fields, trimmed (a trailing empty field from a trailing
    delimiter is dropped)."""
    with open(path, encoding=_py_encoding(scan), newline="") as f:
        reader = csv.reader(f, delimiter=delimiter, quotechar=quote or None,
                            quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
        for row in reader:
            if any(cell.strip() for cell in row):
                names = [c.strip() for c in row]
                while names and names[-1] == "":
                    names.pop()
                return names
    return []


def check_quotes(path: Path, scan: FileScan, delimiter: str, quote: str) -> str | None:
    """Find an unterminated quote, which would swallow the rest of the file into one
    field. Only run when the quote count is odd (stray quotes inside unquoted values are
    harmless and also make it odd)."""
    if not quote or scan.quotes % 2 == 0:
        return None
    with open(path, encoding=_py_encoding(scan), newline="") as f:
        reader = csv.reader(f, delimiter=delimiter, quotechar=quote, strict=True)
        record = 0
        try:
            for _ in reader:
                record += 1
        except csv.Error:
            start = record + 1
            return (f"{path.name}: a quoted value opened in record {start} (near line "
                    f"{reader.line_num}) is never closed, so every row after it would be "
                    "lost; close the quote and import again")
    return None


def load(con: duckdb.DuckDBPyConnection, path: Path, scan: FileScan, ncols: int,
         delimiter: str, quote: str, select: str, table: str = "_t") -> int:
    """CREATE TEMP TABLE `table` AS SELECT `select` FROM the file, every field as text
    (header row included, columns named c0…cN plus OVERFLOW spare columns that catch rows
    with too many values). Temp-table row ids follow the file's record order.

    The parallel reader is used when it can be (much faster on a 5.7M-row voter file);
    DuckDB refuses it for quoted line breaks with padding, and then one thread reads.
    Returns the number of records (header included).
    """
    cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols + OVERFLOW))
    q = quote.replace("'", "''")
    d = delimiter.replace("'", "''")
    enc = "latin-1" if scan.encoding == "latin-1" else "utf-8"
    last: Exception | None = None
    for parallel in ("true", "false"):
        sql = (
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select} FROM read_csv(?, "
            f"auto_detect=false, header=false, columns={{{cols}}}, delim='{d}', quote='{q}', "
            f"escape='{q}', null_padding=true, parallel={parallel}, encoding='{enc}', "
            f"max_line_size=10000000)"
        )
        try:
            con.execute(sql, [str(path)])
            return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        except duckdb.Error as exc:
            if not isinstance(exc, (duckdb.InvalidInputException,)) and "CSV Error" not in str(
                    exc):
                raise
            last = exc
            if parallel == "true" and "parallel" in str(exc).lower():
                continue
            break
    msg = str(last).split("\n")
    where = next((m for m in msg if "Line" in m), msg[0])
    raise HeaderError(f"{path.name}: cannot read the file ({where.strip()}): a row has far "
                      f"more values than the header ({ncols}) or is malformed; nothing was "
                      "imported") from last
