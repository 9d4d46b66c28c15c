"""Imports: county files into the workspace, every row accepted or rejected with a reason.

The file is loaded as text into DuckDB, then validated in SQL (no Python loop over rows):
each check yields (source_row, column, value, reason) rows; rows with no problem are
inserted, the others go to the rejects file. `read == accepted + rejected` always holds,
and the whole import (rows, import record, audit entry) is one transaction, so a failed or
killed import leaves the workspace as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from recallkit.workspace.batches import (
    batch_problems_sql,
    files_in_batches,
    import_gate,
    open_batch,
)
from recallkit.workspace.csvread import (
    FileScan,
    HeaderError,
    check_quotes,
    load,
    read_header,
    scan_file,
    spare_columns,
)
from recallkit.workspace.db import VOTER_INDEX, Workspace, WorkspaceError, ensure_voter_index
from recallkit.workspace.profiles import KINDS, Kind, Profile, ProfileError, load_profile
from recallkit.workspace.signature_images import attach_images, resolved_image_sql

LOCKED_KINDS = {"voters": "voters", "sections": "sections", "signatures": "signatures",
                "signature_images": "voters' signatures on file"}

REASON_CODES = (
    "NOT_REGISTERED", "REGISTERED_LATE", "OUT_OF_JURISDICTION", "WRONG_COUNTY_SECTION",
    "ADDRESS_MISMATCH", "NO_ADDRESS", "ILLEGIBLE", "NO_SIGNATURE", "SIGNATURE_MISMATCH",
    "NOT_PERSONALLY_AFFIXED", "DUPLICATE", "CANCELLED", "WITHDRAWN", "SIGNED_BEFORE_APPROVAL",
    "SECTION_FILED_LATE", "CIRCULATOR_DECLARATION_DEFECT", "SECTION_FORMAT_DEFECT", "OTHER",
)
TRUE_WORDS = ("true", "t", "yes", "y", "1", "x")
FALSE_WORDS = ("false", "f", "no", "n", "0")
ADDRESS_PARTS = ("house_number", "house_fraction", "street_predirection", "street_name",
                 "street_type", "street_postdirection", "unit_type", "unit_number")


class ImportFailed(WorkspaceError):
    """The import did not happen (header, profile, unreadable file); nothing changed."""


class AlreadyImported(ImportFailed):
    """The same file content was imported before; `replace=True` re-imports it."""


@dataclass(frozen=True)
class ImportReport:
    read: int
    accepted: int
    rejected: int
    rejects_file: Path | None
    warnings: tuple[str, ...]
    kind: str = ""
    file: str = ""
    sha256: str = ""
    import_id: int = 0
    profile: str = ""
    replaced: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "file": self.file, "read": self.read, "accepted": self.accepted,
            "rejected": self.rejected,
            "rejects_file": str(self.rejects_file) if self.rejects_file else None,
            "warnings": list(self.warnings), "sha256": self.sha256,
            "import_id": self.import_id, "profile": self.profile, "replaced": self.replaced,
        }


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _resolve_columns(kind: Kind, prof: Profile, names: list[str], file: Path) -> dict[str, int]:
    """canonical column -> index in the file; fail fast with missing and found columns."""
    index: dict[str, int] = {}
    seen: dict[str, int] = {}
    for i, n in enumerate(names):
        key = n.strip().lower()
        if key in seen and key:
            raise ImportFailed(f"{file.name}: column {n!r} appears twice in the header "
                               f"(columns {seen[key] + 1} and {i + 1})")
        seen[key] = i
    missing = []
    for canon, src in prof.columns.items():
        i = seen.get(src.strip().lower())
        if i is not None:
            index[canon] = i
            continue
        col = kind.col(canon)
        if col.header or canon not in prof.optional:
            missing.append(src if src == canon else f"{src} (for {canon})")
    for col in kind.cols:  # a required canonical column the profile does not map at all
        if col.header and col.name not in prof.columns:
            missing.append(col.name)
    if kind.name == "voters" and "residence_address" not in index and not (
            "house_number" in index and "street_name" in index):
        missing.append("residence_address (or house_number and street_name)")
    if missing:
        raise ImportFailed(
            f"{file.name} does not fit the {prof.name} profile for {kind.name}: missing "
            f"column(s) {', '.join(missing)}. Found: {', '.join(names) or '(no header)'}."
        )
    return index


def _pretyped(kind: Kind, prof: Profile, col_name: str, r: str) -> str | None:
    """SQL for the parse a typed value rests on (read once, then range-checked by `_typed`),
    or None when the type has none."""
    t = kind.col(col_name).type
    if t == "date":
        return "coalesce(" + ", ".join(f"try_strptime({r}, {_lit(f)})"
                                       for f in prof.date_formats) + ")"
    if t in ("int", "posint"):
        return f"TRY_CAST({r} AS BIGINT)"
    if t == "year":
        return f"TRY_CAST({r} AS INTEGER)"
    return None


def _typed(kind: Kind, prof: Profile, col_name: str, r: str, p: str | None = None) -> str:
    """SQL turning the trimmed text value `r` of a column into its canonical type; `p` is
    the column holding `_pretyped(r)` when the staging query computed it (once) beforehand."""
    col = kind.col(col_name)
    t = col.type
    if p is None:
        p = _pretyped(kind, prof, col_name, r)
    if t in ("text", "zip_raw"):
        return r
    if t == "upper":
        return f"upper({r})"
    if t == "date":
        return f"(CASE WHEN year({p}) BETWEEN 1800 AND 2200 THEN {p}::DATE END)"
    if t == "int":
        return f"(CASE WHEN {p} >= 0 THEN {p} END)"
    if t == "posint":
        return f"(CASE WHEN {p} > 0 THEN {p} END)"
    if t == "year":
        return f"(CASE WHEN {p} BETWEEN 1850 AND 2200 THEN {p} END)"
    if t == "bool":
        tw = ", ".join(_lit(w) for w in TRUE_WORDS)
        fw = ", ".join(_lit(w) for w in FALSE_WORDS)
        return (f"(CASE WHEN lower({r}) IN ({tw}) THEN TRUE "
                f"WHEN lower({r}) IN ({fw}) THEN FALSE END)")
    if t == "zip":
        return (f"(CASE WHEN regexp_full_match({r}, '[0-9]{{5}}(-?[0-9]{{4}})?') "
                f"THEN left({r}, 5) "
                f"WHEN regexp_full_match({r}, '[0-9]{{4}}') THEN '0' || {r} END)")
    if t == "status":
        codes = prof.codes.get(col_name) or {}
        if not codes:
            return f"lower({r})"
        whens = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in codes.items())
        return f"(CASE upper({r}) {whens} END)"
    if t == "defects":
        return (f"list_filter(list_transform(string_split({r}, ';'), lambda x: upper(trim(x))), "
                f"lambda x: x <> '')")
    raise AssertionError(t)


def _why(kind: Kind, prof: Profile, col_name: str) -> str:
    t = kind.col(col_name).type
    if t == "date":
        human = " or ".join(f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
                            for f in prof.date_formats)
        return f"not a valid date (expected {human})"
    if t == "int":
        return "not a whole number of zero or more"
    if t == "posint":
        return "not a positive whole number"
    if t == "year":
        return "not a year"
    if t == "bool":
        return "not true/false (yes/no, 1/0)"
    if t == "zip":
        return "not a ZIP code (5 digits or ZIP+4)"
    if t == "status":
        known = ", ".join(sorted(prof.codes.get(col_name, {})))
        return f"unknown status code (profile {prof.name} knows {known})"
    return "invalid value"


def _previous(ws: Workspace, kind: str, sha: str) -> tuple[int, datetime] | None:
    rows = ws.con.execute(
        "SELECT import_id, imported_at FROM imports WHERE kind = ? AND file_sha256 = ? "
        "ORDER BY import_id DESC LIMIT 1", [kind, sha]).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def run_import(ws: Workspace, kind_name: str, file: str | Path, profile: str = "canonical",
               actor: str = "cli", replace: bool = False) -> ImportReport:
    """Import one file of `kind_name` (voters, sections, signatures, withdrawals,
    voter_history, county_votes)."""
    kind = KINDS[kind_name]
    path = Path(file)
    if not path.is_file():
        raise ImportFailed(f"{path} does not exist or is not a file")
    batch: int | None = None  # set when a batch-filing petition takes a new batch
    if kind_name in LOCKED_KINDS:
        batch = import_gate(ws, kind_name, LOCKED_KINDS[kind_name], replace)
    try:
        prof = load_profile(profile, kind_name)
    except ProfileError as exc:
        raise ImportFailed(str(exc)) from exc
    scan = scan_file(path, prof.quote)
    warnings: list[str] = []
    if scan.encoding == "latin-1":
        warnings.append(f"{path.name} is not valid UTF-8; read it as Latin-1 (Windows-1252 "
                        "exports). Check accented names in the result.")
    prev = _previous(ws, kind_name, scan.sha256)
    if prev and not replace:
        raise AlreadyImported(
            f"{path.name} was already imported as import #{prev[0]} on "
            f"{prev[1]:%Y-%m-%d %H:%M} UTC (same content, SHA-256 {scan.sha256[:12]}…); "
            f"pass --replace to import it again, replacing the {kind_name.replace('_', ' ')} in "
            "the workspace"
        )
    if prof.header:
        names = read_header(path, scan, prof.delimiter, prof.quote)
        if not names:
            raise ImportFailed(f"{path.name} is empty: no header row")
    else:
        names = list(prof.fields)
    index = _resolve_columns(kind, prof, names, path)
    problem = check_quotes(path, scan, prof.delimiter, prof.quote)
    if problem:
        raise ImportFailed(problem)
    params: dict[str, Any] = {"kind": kind_name, "file": path.name, "profile": prof.name,
                              "replace": replace, "encoding": scan.encoding}
    hashes = {path.name: scan.sha256}
    import_id = ws.con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports"
                               ).fetchall()[0][0]
    rejects_path: Path | None = ws.rejects_dir / f"{kind_name}-{import_id}.csv"
    try:
        read = _stage(ws, kind, prof, path, scan, names, index, warnings)
        with ws.transaction(actor, f"import_{kind_name}", params, hashes) as con:
            report, replaced_rows = _commit(ws, kind, names, index, read, replace, warnings,
                                            import_id, path, scan, prof, batch)
            if batch is not None:
                params["batch"] = batch
            rejects_path = report.rejects_file
            params.update(read=report.read, accepted=report.accepted,
                          rejected=report.rejected, import_id=report.import_id,
                          rejects_file=rejects_path.name if rejects_path else None,
                          replaced_rows=replaced_rows)
            con.execute(
                "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [report.import_id, kind_name, path.name, scan.sha256, prof.name, report.read,
                 report.accepted, report.rejected,
                 str(rejects_path.relative_to(ws.path)) if rejects_path else None, replace,
                 datetime.now(UTC).replace(tzinfo=None), actor])
        if kind_name == "voters":
            _index_voters(ws, warnings)
    except HeaderError as exc:
        _remove(rejects_path)
        raise ImportFailed(str(exc)) from exc
    except BaseException:
        _remove(rejects_path)
        raise
    finally:
        for t in ("VIEW IF EXISTS _tv", "TABLE IF EXISTS _t", "TABLE IF EXISTS _problems",
                  "TABLE IF EXISTS _images"):
            try:
                ws.con.execute(f"DROP {t}")
            except Exception:  # noqa: BLE001 - connection may be gone after an error
                pass
    return ImportReport(report.read, report.accepted, report.rejected, rejects_path,
                        tuple(warnings), kind_name, str(path), scan.sha256, report.import_id,
                        prof.name, replace)


def _index_voters(ws: Workspace, warnings: list[str]) -> None:
    """Rebuild the voter_id index once the voters are committed. Built inside the import's
    transaction, DuckDB maintains it row by row as the new rows are committed (about 6 s at
    Los Angeles scale); built afterwards it is one bulk build (about 3.5 s). The index only
    speeds up lookups, so the import stands if this fails (the next voters import, which
    drops and rebuilds it, puts it back)."""
    try:
        ensure_voter_index(ws.con)
    except duckdb.Error as exc:
        warnings.append(f"the voters were imported, but their voter_id index could not be "
                        f"rebuilt ({exc.__class__.__name__}); lookups will be slower until "
                        "the next voters import")


def _remove(path: Path | None) -> None:
    if path is not None and path.exists():
        path.unlink()


def _stage(ws: Workspace, kind: Kind, prof: Profile, path: Path, scan: FileScan,
           names: list[str], index: dict[str, int], warnings: list[str]) -> int:
    """Load and check the file into temp tables `_t` (typed rows with their problems) and
    `_problems`, outside any transaction: nothing in the workspace changes here, and the
    reader may retry single-threaded. Returns the number of data rows read.

    The staging query is layered so that each value is trimmed, parsed and typed once
    (a check reads the typed column instead of typing the value again), and a row's list
    of problems (`_bad`) is only built for rows that have one (the others get []).
    """
    con = ws.con
    width = len(names)
    first = 2 if prof.header else 1
    srcname = {canon: names[i] for canon, i in index.items()}
    # Level 0 (on the file): trimmed values `_rK`, the surplus past the header, extras.
    rid = {c.name: f"_r{k}" for k, c in enumerate(kind.cols)}
    pid = {c.name: f"_p{k}" for k, c in enumerate(kind.cols)}
    vid = {c.name: f"_v{k}" for k, c in enumerate(kind.cols)}
    level0 = [(f"NULLIF(trim(c{index[c.name]}), '')" if c.name in index
               else "NULL::VARCHAR") + f" AS {rid[c.name]}" for c in kind.cols]
    # Values past the header (empty trailing ones are fine). A filled last spare column
    # means at least OVERFLOW more values (only the lenient re-read keeps '' there).
    spare = spare_columns(path, scan, prof.delimiter, prof.quote, prof.header)
    over = ", ".join(f"NULLIF(c{i}, '')" for i in range(width, width + spare))
    level0.append(f"concat_ws({_lit(prof.delimiter)}, {over}) AS _surplus")
    level0.append(f"c{width + spare - 1} IS NOT NULL AS _filled")
    mapped = set(index.values())
    extra = [(names[i], f"NULLIF(c{i}, '')") for i in range(width)
             if i not in mapped and names[i]]
    level0.append(("json_object(" + ", ".join(f"{_lit(n)}, {c}" for n, c in extra) + ")")
                  if extra else "NULL::JSON")
    level0[-1] += " AS extra"
    keep = [*rid.values(), "_surplus", "_filled", "extra"]
    # Level 1: parses (dates, numbers); level 2: typed values `_vK`.
    level1 = list(keep)
    pre = {}
    for c in kind.cols:
        sql = _pretyped(kind, prof, c.name, rid[c.name])
        if sql is not None:
            pre[c.name] = pid[c.name]
            level1.append(f"{sql} AS {pid[c.name]}")
    level2 = list(keep)
    for c in kind.cols:
        t = _typed(kind, prof, c.name, rid[c.name], pre.get(c.name))
        if kind.name == "voters" and c.name == "residence_address":
            parts = ", ".join(rid[p] for p in ADDRESS_PARTS)
            t = f"coalesce({rid[c.name]}, NULLIF(concat_ws(' ', {parts}), ''))"
        level2.append(f"{t} AS {vid[c.name]}")

    def bad(cond: str, col: str, value: str, reason: str) -> tuple[str, str]:
        return cond, (f"CASE WHEN {cond} THEN {{'col': {_lit(col)}, 'value': "
                      f"({value})::VARCHAR, 'reason': {_lit(reason)}}} END")

    checks = []
    for col in kind.cols:
        if col.name not in index:
            continue
        src, r, t = srcname[col.name], rid[col.name], vid[col.name]
        if col.value:
            checks.append(bad(f"{r} IS NULL", src, "NULL", "required value is empty"))
        if col.type not in ("text", "zip_raw", "upper", "defects"):
            checks.append(bad(f"{r} IS NOT NULL AND {t} IS NULL", src, r,
                              _why(kind, prof, col.name)))
        if col.type == "defects":
            okc = ", ".join(_lit(c) for c in REASON_CODES)
            checks.append(bad(f"len(list_filter({t}, lambda x: x NOT IN ({okc}))) > 0", src, r,
                              "unknown defect code (use the reason codes of the data-formats "
                              "spec, separated by ;)"))
    checks.append(bad("NOT (_filled) AND _surplus <> ''", "(row)", "_surplus",
                      f"row has more values than the header's {width} columns"))
    checks.append(bad("_filled", "(row)", "_surplus",
                      f"row has {width + spare} values or more, the header {width} columns "
                      f"(values past the {width + spare}th were not read)"))
    if kind.name == "voters":
        checks.append(bad(f"{vid['residence_address']} IS NULL", "residence_address", "NULL",
                          "no residence address (neither a one-line address nor house "
                          "number and street name)"))
    if kind.name == "sections":
        checks.append(bad(f"{vid['circulated_to']} < {vid['circulated_from']}",
                          srcname["circulated_to"], rid["circulated_to"],
                          "circulation ends before it begins (circulated_from)"))
    sel = [f"{vid[c.name]} AS {_q(c.name)}" for c in kind.cols]
    if kind.name == "signatures":
        sel.append(f"upper({rid['section_id']}) || ':' || ({vid['page']})::VARCHAR || ':' "
                   f"|| ({vid['line']})::VARCHAR AS line_id")
    sel.append("extra")
    # A row is bad when any check holds (a NULL condition is no problem, as in CASE WHEN).
    anybad = " OR ".join(f"coalesce({cond}, FALSE)" for cond, _ in checks)
    sel.append(f"CASE WHEN {anybad} THEN list_filter([{', '.join(e for _, e in checks)}], "
               "lambda x: x IS NOT NULL) ELSE [] END AS _bad")
    loaded = load(con, path, scan, width, prof.delimiter, prof.quote, ", ".join(sel),
                  spare=spare, inner=(", ".join(level0), ", ".join(level1), ", ".join(level2)))
    if loaded.lenient:
        warnings.append(
            f"{path.name}: some rows have {width + spare} values or more (the header has "
            f"{width}); values past the {width + spare}th were not read, and those rows are "
            "rejected")
    read = max(loaded.records - (first - 1), 0)
    # Temp-table row ids follow insertion (= file) order but do not start at 0.
    base = con.execute("SELECT coalesce(min(rowid), 0) FROM _t").fetchall()[0][0]
    con.execute(f"CREATE OR REPLACE TEMP VIEW _tv AS SELECT rowid - {base} + 1 AS rn, * "
                f"FROM _t WHERE rowid - {base} + 1 >= {first}")
    con.execute("CREATE OR REPLACE TEMP TABLE _problems AS SELECT rn, b.col AS col, "
                "b.value AS value, b.reason AS reason FROM (SELECT rn, unnest(_bad) AS b "
                "FROM _tv WHERE len(_bad) > 0)")

    key = "line_id" if kind.name == "signatures" else kind.key
    if key:
        kcol = _lit("section_id/page/line" if key == "line_id" else srcname.get(key, key))
        con.execute(
            f"INSERT INTO _problems SELECT rn, {kcol}, k, 'duplicate ' || {_lit(key)} || "
            f"': repeats row ' || first_rn::VARCHAR FROM (SELECT rn, {_q(key)} AS k, "
            f"min(rn) OVER (PARTITION BY {_q(key)}) AS first_rn FROM _tv WHERE "
            f"{_q(key)} IN (SELECT {_q(key)} FROM _tv WHERE len(_bad) = 0 GROUP BY ALL "
            f"HAVING count(*) > 1) AND len(_bad) = 0) WHERE rn > first_rn")
    return read


def _commit(ws: Workspace, kind: Kind, names: list[str], index: dict[str, int],
            read: int, replace: bool, warnings: list[str], import_id: int,
            path: Path, scan: FileScan, prof: Profile,
            batch: int | None = None) -> tuple[ImportReport, int]:
    """Inside the import's transaction: replace, insert accepted rows, write rejects.
    `batch`: the open batch when a batch-filing petition is being verified (rows that would
    change a verified batch are rejected). Returns the report and how many earlier rows
    were replaced."""
    con = ws.con
    if kind.name == "signature_images":
        replaced = attach_images(con, path, names[index["voter_id"]], warnings)
        return _report(ws, kind, read, import_id, path, scan, prof, replace), replaced
    replaced_rows = 0
    if kind.name == "voters":  # rebuilt after the insert: cheaper than maintaining it
        con.execute(f"DROP INDEX IF EXISTS {VOTER_INDEX}")
    if replace:
        replaced_rows = con.execute(f"SELECT count(*) FROM {kind.table}").fetchall()[0][0]
        con.execute(f"DELETE FROM {kind.table}")
    key = "line_id" if kind.name == "signatures" else kind.key
    if key:
        srcname = {canon: names[i] for canon, i in index.items()}
        kcol = _lit("section_id/page/line" if key == "line_id" else srcname.get(key, key))
        con.execute(
            f"INSERT INTO _problems SELECT rn, {kcol}, {_q(key)}, {_lit(key)} || ' is "
            f"already in the workspace (imported earlier; use --replace to reload)' FROM _tv "
            f"WHERE len(_bad) = 0 AND rn NOT IN (SELECT rn FROM _problems) AND {_q(key)} IN "
            f"(SELECT {_q(key)} FROM {kind.table})")
    if batch is not None:
        srcname = {canon: names[i] for canon, i in index.items()}
        con.execute(batch_problems_sql(kind.name, batch, srcname["section_id"]))

    cols = [c.name for c in kind.cols if c.name != "batch" or kind.name == "sections"]
    target = list(cols)
    values = [_q(c) for c in cols]
    if "signature_image" in cols:  # scanned signatures named relative to the CSV
        values[cols.index("signature_image")] = resolved_image_sql("signature_image", path)
    if kind.name == "sections":
        if batch is None:
            batch = open_batch(ws) if files_in_batches(ws) else 1
        values[cols.index("batch")] = f"coalesce(batch, {int(batch)})"
    if kind.name == "signatures":
        target = ["line_id", *cols]
        values = ["line_id", *values]
        values[target.index("struck")] = "coalesce(struck, FALSE)"
    if kind.name == "withdrawals":
        base = con.execute("SELECT coalesce(max(withdrawal_id), 0) FROM withdrawals"
                           ).fetchall()[0][0]
        target = ["withdrawal_id", *cols]
        values = [f"{base} + row_number() OVER (ORDER BY rn)", *values]
    if kind.name != "county_votes":
        target += ["extra", "source_row"]
        values += ["extra", "rn"]
    con.execute(
        f"INSERT INTO {kind.table} ({', '.join(_q(t) for t in target)}) "
        f"SELECT {', '.join(values)} FROM _tv WHERE len(_bad) = 0 AND rn NOT IN "
        "(SELECT rn FROM _problems)")  # _t is in file order; DuckDB keeps insertion order
    warnings.extend(_warnings(ws, kind))
    return _report(ws, kind, read, import_id, path, scan, prof, replace), replaced_rows


def _report(ws: Workspace, kind: Kind, read: int, import_id: int, path: Path, scan: FileScan,
            prof: Profile, replace: bool) -> ImportReport:
    """Count the rejected rows and write them, with their reasons, to the rejects file."""
    con = ws.con
    rejected = con.execute("SELECT count(DISTINCT rn) FROM _problems").fetchall()[0][0]
    accepted = read - rejected
    rejects = None
    if rejected:
        ws.rejects_dir.mkdir(exist_ok=True)
        rejects = ws.rejects_dir / f"{kind.name}-{import_id}.csv"
        con.execute(
            "COPY (SELECT rn AS source_row, col AS \"column\", value, reason FROM _problems "
            f"ORDER BY rn, col) TO {_lit(str(rejects))} (HEADER, DELIMITER ',')")
    return ImportReport(read, accepted, rejected, rejects, (), kind.name, str(path),
                        scan.sha256, import_id, prof.name, replace)


def _warnings(ws: Workspace, kind: Kind) -> list[str]:
    con = ws.con
    out = []
    if kind.name == "signatures":
        n = con.execute("SELECT count(*) FROM signatures s WHERE NOT EXISTS (SELECT 1 FROM "
                        "sections x WHERE x.section_id = s.section_id)").fetchall()[0][0]
        have = con.execute("SELECT count(*) FROM sections").fetchall()[0][0]
        if n and have:
            out.append(f"{n:,} signature lines name a section that is not in sections.csv")
    return out


def import_voters(ws: Workspace, file: str | Path, profile: str = "canonical",
                  actor: str = "cli", replace: bool = False) -> ImportReport:
    return run_import(ws, "voters", file, profile, actor, replace)


def import_sections(ws: Workspace, file: str | Path, profile: str = "canonical",
                    actor: str = "cli", replace: bool = False) -> ImportReport:
    return run_import(ws, "sections", file, profile, actor, replace)


def import_signatures(ws: Workspace, file: str | Path, profile: str = "canonical",
                      actor: str = "cli", replace: bool = False) -> ImportReport:
    return run_import(ws, "signatures", file, profile, actor, replace)


def import_withdrawals(ws: Workspace, file: str | Path, profile: str = "canonical",
                       actor: str = "cli", replace: bool = False) -> ImportReport:
    return run_import(ws, "withdrawals", file, profile, actor, replace)


def import_voter_history(ws: Workspace, file: str | Path, profile: str = "canonical",
                         actor: str = "cli", replace: bool = False) -> ImportReport:
    return run_import(ws, "voter_history", file, profile, actor, replace)


def import_signature_images(ws: Workspace, file: str | Path, profile: str = "canonical",
                            actor: str = "cli", replace: bool = False) -> ImportReport:
    """Attach signatures on file (voter_id, signature_image) to voters already loaded."""
    return run_import(ws, "signature_images", file, profile, actor, replace)


def import_county_votes(ws: Workspace, file: str | Path, profile: str = "canonical",
                        actor: str = "cli", replace: bool = False) -> ImportReport:
    return run_import(ws, "county_votes", file, profile, actor, replace)
