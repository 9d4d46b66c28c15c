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
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

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
    """One pass over the bytes: content hash, UTF-8 validity, BOM, quote count.

    The SHA-256 runs in a second thread (hashlib releases the GIL on large buffers) while
    this one counts quotes and checks UTF-8, so a 1 GB voter file costs about what hashing
    it alone does. Quotes are counted with numpy (bytes.count is ~10x slower on one byte)
    and pure-ASCII chunks skip the UTF-8 decoder.
    """
    h = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    quotes = 0
    size = 0
    qb = quote.encode("latin-1") if quote else b""
    bom = False
    with open(path, "rb") as f, ThreadPoolExecutor(1) as pool:
        first = True
        hashing: Future[None] | None = None
        while chunk := f.read(1 << 22):
            if hashing is not None:
                hashing.result()
            hashing = pool.submit(h.update, chunk)
            if first:
                bom = chunk.startswith(codecs.BOM_UTF8)
                first = False
            size += len(chunk)
            if len(qb) == 1:
                quotes += int(np.count_nonzero(np.frombuffer(chunk, np.uint8) == qb[0]))
            elif qb:
                quotes += chunk.count(qb)
            # An ASCII chunk is valid UTF-8 unless a multi-byte sequence was cut before it.
            if utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if hashing is not None:
            hashing.result()
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    return FileScan(h.hexdigest(), "utf-8" if utf8 else "latin-1", bom, quotes, size)


def _py_encoding(scan: FileScan) -> str:
    return "utf-8-sig" if scan.encoding == "utf-8" else "latin-1"


def _first_record(path: Path, scan: FileScan, delimiter: str, quote: str) -> list[str]:
    with open(path, encoding=_py_encoding(scan), newline="") as f:
        reader = csv.reader(f, delimiter=delimiter, quotechar=quote or None,
                            quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
        for row in reader:
            if any(cell.strip() for cell in row):
                return [c.strip() for c in row]
    return []


def read_header(path: Path, scan: FileScan, delimiter: str, quote: str) -> list[str]:
    """The first record's fields, trimmed (a trailing empty field from a trailing
    delimiter is dropped)."""
    names = _first_record(path, scan, delimiter, quote)
    while names and names[-1] == "":
        names.pop()
    return names


def spare_columns(path: Path, scan: FileScan, delimiter: str, quote: str,
                  header: bool) -> int:
    """How many columns past the header to read: OVERFLOW, plus the header's own trailing
    empty fields (spreadsheets pad every row of an export to its widest row)."""
    if not header:
        return OVERFLOW
    fields = _first_record(path, scan, delimiter, quote)
    trailing = 0
    while fields and fields[-1] == "":
        fields.pop()
        trailing += 1
    return OVERFLOW + trailing


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


# In the lenient re-read, empty fields stay '' so that a padded (absent) field, NULL, can be
# told from an empty one: a row that fills the last spare column had that many values.
LENIENT_NULL = "\x01recallkit-absent\x01"


@dataclass(frozen=True)
class Loaded:
    records: int  # header included
    lenient: bool  # re-read without strict mode: values past the spare columns were cut


def _too_wide(exc: Exception) -> bool:
    """Only too many values: other strict-mode errors (a value with a stray quote) would be
    read leniently into something else, so they stay errors."""
    return "Expected Number of Columns" in str(exc)


def _describe(exc: Exception) -> tuple[str, str]:
    """(where, what) from DuckDB's CSV error, without echoing the row's content."""
    lines = [m.strip() for m in str(exc).split("\n") if m.strip()]
    where = next((m for m in lines if "Line" in m and not m.startswith("Original Line")),
                 lines[0] if lines else "")
    where = where.replace("Invalid Input Error: ", "")
    what = ""
    for m in lines[1:]:
        if m.startswith("Possible fixes") or "=" in m:
            break
        if not m.startswith("Original Line"):
            what = m
            break
    return where, what


def load(con: duckdb.DuckDBPyConnection, path: Path, scan: FileScan, ncols: int,
         delimiter: str, quote: str, select: str, table: str = "_t",
         spare: int = OVERFLOW, inner: tuple[str, ...] = ()) -> Loaded:
    """CREATE TEMP TABLE `table` AS SELECT `select` FROM the file, every field as text
    (header row included, columns named c0…cN plus `spare` columns that catch rows with
    too many values). Temp-table row ids follow the file's record order.

    The parallel reader is used when it can be (much faster on a 5.7M-row voter file);
    DuckDB refuses it for quoted line breaks with padding, and then one thread reads.

    A row with more values than the header and all spare columns makes DuckDB's strict
    reader fail the whole file. Then the file is read again leniently (strict_mode=false:
    values past the last spare column are dropped) with empty fields kept as '' — so such
    a row still has its last spare column filled and `select` can reject it by row number
    instead of the whole import failing. Ordinary files never take this path.

    `inner`: select lists applied to the file first, innermost first (`select` reads the
    last one's columns), so that a value computed once can be read by several outer ones.
    """
    cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols + spare))
    q = quote.replace("'", "''")
    d = delimiter.replace("'", "''")
    enc = "latin-1" if scan.encoding == "latin-1" else "utf-8"
    last: Exception | None = None
    attempts = [("true", ""), ("false", ""),
                ("false", f", strict_mode=false, nullstr='{LENIENT_NULL}'")]
    i = 0
    while i < len(attempts):
        parallel, lenient = attempts[i]
        src = (
            f"read_csv(?, auto_detect=false, header=false, columns={{{cols}}}, delim='{d}', "
            f"quote='{q}', escape='{q}', null_padding=true, parallel={parallel}, "
            f"encoding='{enc}', max_line_size=10000000{lenient})"
        )
        for level in inner:
            src = f"(SELECT {level} FROM {src})"
        sql = f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select} FROM {src}"
        try:
            con.execute(sql, [str(path)])
            n = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            return Loaded(n, bool(lenient))
        except duckdb.Error as exc:
            if not isinstance(exc, (duckdb.InvalidInputException,)) and "CSV Error" not in str(
                    exc):
                raise
            last = exc
            if lenient:
                break
            if _too_wide(exc):
                i = len(attempts) - 1
                continue
            if parallel == "true" and "parallel" in str(exc).lower():
                i += 1
                continue
            break
    where, what = _describe(last) if last else ("", "")
    raise HeaderError(f"{path.name}: cannot read the file ({where}{': ' + what if what else ''})"
                      "; fix that row (for example a stray or unclosed quote) and import "
                      "again. Nothing was imported.") from last
