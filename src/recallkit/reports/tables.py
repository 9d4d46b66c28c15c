"""The report tables: summary, invalid by reason, per section, per circulator, determinations.

Counts are SQL over the workspace (DuckDB), never Python loops over lines. Invalid
signatures are grouped in the layout Los Angeles County used for its 2022 recall report
("not registered", "duplicate", "different address", ...), mapped from our reason codes,
and also listed code by code so nothing is hidden inside "other".
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from recallkit.reports.facts import PetitionFacts, determinations_view

# Los Angeles County 2022 report categories, in the order that report printed them.
LA_2022_CATEGORIES: tuple[str, ...] = (
    "not registered",
    "duplicate",
    "different address",
    "signature mismatch",
    "cancelled",
    "out of county",
    "other",
)

# Our reason codes (data-formats spec) → the LA 2022 category that holds them.
REASON_CATEGORY: dict[str, str] = {
    "NOT_REGISTERED": "not registered",
    "REGISTERED_LATE": "not registered",
    "DUPLICATE": "duplicate",
    "ADDRESS_MISMATCH": "different address",
    "SIGNATURE_MISMATCH": "signature mismatch",
    "NOT_PERSONALLY_AFFIXED": "signature mismatch",
    "CANCELLED": "cancelled",
    "OUT_OF_JURISDICTION": "out of county",
    "WRONG_COUNTY_SECTION": "out of county",
    "NO_ADDRESS": "other",
    "ILLEGIBLE": "other",
    "NO_SIGNATURE": "other",
    "WITHDRAWN": "other",
    "SIGNED_BEFORE_APPROVAL": "other",
    "SECTION_FILED_LATE": "other",
    "CIRCULATOR_DECLARATION_DEFECT": "other",
    "SECTION_FORMAT_DEFECT": "other",
    "OTHER": "other",
}

CONFIDENTIAL_CITE = "Gov. Code §7924.110 (formerly §6253.5)"
CONFIDENTIAL_NOTICE = (
    "CONFIDENTIAL — petition signatures are not public records "
    f"({CONFIDENTIAL_CITE}). For elections officials only."
)


def category_of(reason: str | None) -> str:
    """The LA 2022 category of a reason code; unknown codes are 'other', never dropped."""
    return REASON_CATEGORY.get(reason or "OTHER", "other")


@dataclass(frozen=True)
class Table:
    """A report table: named columns and rows of plain values."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    confidential: bool = False
    note: str = ""

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.columns)
        w.writerows(["" if v is None else v for v in r] for r in self.rows)
        return buf.getvalue()

    def to_json(self, meta: dict[str, Any] | None = None) -> str:
        doc: dict[str, Any] = {"table": self.name, "title": self.title}
        if self.confidential:
            doc["confidential"] = CONFIDENTIAL_NOTICE
        if self.note:
            doc["note"] = self.note
        if meta:
            doc.update(meta)
        doc["columns"] = list(self.columns)
        doc["rows"] = self.records()
        return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def _category_case(col: str = "reason") -> str:
    whens = " ".join(f"WHEN '{code}' THEN '{cat}'" for code, cat in REASON_CATEGORY.items())
    return f"CASE {col} {whens} ELSE 'other' END"


def _rate(num: int, den: int) -> str | None:
    """A percentage as a string with two decimals (exact enough for a report, never a float)."""
    if den == 0:
        return None
    return f"{(100 * num / den):.2f}"


def summary(facts: PetitionFacts) -> Table:
    """One row per fact a reader asks first: how many, by which method, with what result."""
    rows: list[tuple[Any, ...]] = [
        ("jurisdiction", facts.jurisdiction),
        ("officer", facts.officer),
        ("office", facts.office),
        ("rules", facts.rules),
        ("stage", facts.stage),
        ("required", facts.required),
        ("raw_count", facts.raw_count),
        ("method", facts.method),
    ]
    if facts.method == "sample":
        rows += [
            ("sample_seed", facts.sample_seed),
            ("sample_size", facts.sample_size),
            ("sample_valid", facts.sample_valid),
            ("sample_duplicates", facts.sample_duplicates),
        ]
    rows += [
        ("examined", facts.examined),
        ("valid", facts.valid),
        ("invalid", facts.invalid),
        ("validity_percent", _rate(facts.valid, facts.examined)),
        ("audit_log_head", facts.audit_head_hash),
    ]
    return Table("summary", "Summary", ("item", "value"), tuple(rows))


def invalid_by_reason(con: Any, mode: str) -> tuple[Table, Table]:
    """Invalid lines in the LA 2022 layout, and the same broken down by our reason codes.

    `mode` is the report's method (sample | full): its view says which lines count."""
    view = determinations_view(mode)
    total = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    by_code = con.execute(
        f"""SELECT coalesce(reason, 'OTHER') AS reason, {_category_case()} AS category,
                   count(*) AS n
            FROM {view} WHERE determination = 'invalid'
            GROUP BY ALL ORDER BY n DESC, reason"""
    ).fetchall()
    invalid = sum(r[2] for r in by_code)
    per_cat = {c: 0 for c in LA_2022_CATEGORIES}
    for _, cat, n in by_code:
        per_cat[cat] += n
    cat_rows = tuple(
        (cat, n, _rate(n, invalid), _rate(n, total)) for cat, n in per_cat.items()
    ) + (("total invalid", invalid, _rate(invalid, invalid), _rate(invalid, total)),)
    layout = Table(
        "invalid_by_reason",
        "Invalid signatures by reason (Los Angeles County 2022 layout)",
        ("category", "count", "percent_of_invalid", "percent_of_examined"),
        cat_rows,
        note="Categories follow the Los Angeles County 2022 recall report; "
        "see invalid_by_code for our reason codes inside each category.",
    )
    codes = Table(
        "invalid_by_code",
        "Invalid signatures by reason code",
        ("reason", "category", "count", "percent_of_invalid", "percent_of_examined"),
        tuple((r, c, n, _rate(n, invalid), _rate(n, total)) for r, c, n in by_code),
    )
    return layout, codes


_GROUP_SQL = """
WITH lines AS (
    SELECT section_id, count(*) AS lines FROM signatures WHERE NOT struck GROUP BY section_id
), det AS (
    SELECT s.section_id,
           count(*) AS examined,
           count(*) FILTER (WHERE d.determination = 'valid') AS valid,
           count(*) FILTER (WHERE d.determination = 'invalid') AS invalid,
           count(*) FILTER (WHERE d.reason = 'DUPLICATE') AS duplicates,
           count(*) FILTER (WHERE d.reason = 'NOT_PERSONALLY_AFFIXED') AS same_hand
    FROM {view} d JOIN signatures s USING (line_id)
    GROUP BY s.section_id
)
SELECT {key}, {extra}
       sum(coalesce(l.lines, sec.signature_lines)) AS lines,
       sum(coalesce(det.examined, 0)) AS examined,
       sum(coalesce(det.valid, 0)) AS valid,
       sum(coalesce(det.invalid, 0)) AS invalid,
       sum(coalesce(det.duplicates, 0)) AS duplicates,
       sum(coalesce(det.same_hand, 0)) AS same_hand
FROM sections sec
LEFT JOIN lines l USING (section_id)
LEFT JOIN det USING (section_id)
GROUP BY ALL ORDER BY 1
"""

GROUP_COLUMNS = ("lines", "examined", "valid", "invalid", "duplicates", "same_hand")


def group_counts(con: Any, mode: str, by: str) -> list[dict[str, Any]]:
    """Counts per section (`by='section'`) or per circulator (`by='circulator'`) of the
    determinations that count for `mode` (sample | full)."""
    if by == "section":
        key = "sec.section_id AS section_id"
        extra = ("any_value(sec.county) AS county, any_value(sec.circulator_name) AS circulator, "
                 "any_value(sec.date_filed) AS date_filed, any_value(sec.batch) AS batch,")
    elif by == "circulator":
        key = "coalesce(sec.circulator_name, '(not named)') AS circulator"
        extra = "count(DISTINCT sec.section_id) AS sections,"
    else:
        raise ValueError(f"unknown grouping {by!r}; use 'section' or 'circulator'")
    cur = con.execute(_GROUP_SQL.format(key=key, extra=extra, view=determinations_view(mode)))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def validity_table(con: Any, mode: str, by: str) -> Table:
    rows = group_counts(con, mode, by)
    lead = ("section_id", "county", "circulator", "date_filed", "batch") if by == "section" \
        else ("circulator", "sections")
    cols = (*lead, *GROUP_COLUMNS, "validity_percent")
    out = tuple(
        tuple(r[c] for c in lead + GROUP_COLUMNS) + (_rate(r["valid"], r["examined"]),)
        for r in rows
    )
    title = "Validity by section" if by == "section" else "Validity by circulator"
    return Table(f"by_{by}", title, cols, out)


def determinations(con: Any, audience: str = "official") -> Table:
    """Every current determination. Officials get voter ids and names; others do not.

    Petition signatures are not public records (Gov. Code §7924.110): only the official
    variant carries voter ids and printed names, and it is marked confidential.
    """
    official = audience == "official"
    pii = ", d.voter_id, s.printed_name" if official else ""
    cur = con.execute(
        f"""SELECT d.line_id, s.section_id, s.page, s.line, d.mode, d.determination,
                   d.reason, {_category_case('d.reason')} AS category{pii},
                   d.decided_by, d.score, d.decided_at, d.determination_id, d.supersedes
            FROM current_determinations d LEFT JOIN signatures s USING (line_id)
            ORDER BY s.section_id, s.page, s.line, d.line_id"""
    )
    cols = tuple(c[0] for c in cur.description)
    rows = tuple(
        tuple(None if (c == "category" and r[6] is None) else v for c, v in zip(cols, r,
                                                                               strict=True))
        for r in cur.fetchall()
    )
    name = "determinations_confidential" if official else "determinations"
    return Table(
        name,
        "All current determinations" + (" (confidential)" if official else ""),
        cols,
        rows,
        confidential=official,
        note="" if official else "Voter ids and names are withheld (Gov. Code §7924.110).",
    )
