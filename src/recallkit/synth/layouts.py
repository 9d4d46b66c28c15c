"""Output layouts for the synthetic voter file.

`canonical` is the layout of data-formats.md. Other layouts (`votecal`, `ncvoter`) are
written by inverting the workspace's mapping profile
(src/recallkit/workspace/profiles/<layout>.toml): the profile's column map gives the
file column of each canonical column, its status codes are mapped back to codes, its
first date format is used for dates. The importer reads the file back through the same
profile, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

LAYOUTS = ("canonical", "votecal", "ncvoter")
STATE_FIELDS = {"state", "state_cd"}


def _profile(layout: str):
    from recallkit.workspace.profiles import load_profile

    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
    return load_profile(layout, "voters")


def writer_for(layout: str) -> Callable[[pa.Table], pa.Table]:
    """A function turning a canonical voter table into the layout's columns."""
    if layout == "canonical":
        _profile(layout)  # the profile must exist, even if writing is the identity
        return lambda t: t
    p = _profile(layout)
    source_of = {f: c for c, f in p.columns.items()}
    fields = list(p.fields) or [p.columns[c] for c in p.columns]
    fmt = p.date_formats[0]
    status_codes = {}
    for code, value in p.codes.get("status", {}).items():
        status_codes.setdefault(value, code)

    def convert(t: pa.Table) -> pa.Table:
        n = t.num_rows
        cols = []
        for f in fields:
            c = source_of.get(f)
            if c is None:
                value = "CA" if f.lower() in STATE_FIELDS else None
                cols.append(pa.array([value] * n, pa.string()))
                continue
            col = t.column(c)
            if pa.types.is_date32(col.type):
                col = pc.strftime(pc.cast(col, pa.timestamp("s")), format=fmt)
            elif c == "status" and status_codes:
                values = list(status_codes)
                col = pc.take(pa.array([status_codes[v] for v in values]),
                              pc.index_in(col, value_set=pa.array(values)))
            cols.append(pc.cast(col, pa.string()))
        return pa.table(cols, names=fields)

    return convert


def file_name(layout: str) -> str:
    return "voters.csv"


def delimiter(layout: str) -> str:
    return _profile(layout).delimiter


def read_back(layout: str) -> dict[str, Any]:
    """open_csv arguments that read the layout with canonical column names for the id and
    names (all the image step needs)."""
    p = _profile(layout)
    return {
        "parse_options": pacsv.ParseOptions(delimiter=p.delimiter),
        "read_options": pacsv.ReadOptions(
            column_names=None, block_size=1 << 20,
        ),
        "convert_options": pacsv.ConvertOptions(
            include_columns=[p.columns.get(c, c) for c in ("voter_id", "first_name",
                                                           "last_name")],
            column_types={p.columns.get(c, c): pa.string()
                          for c in ("voter_id", "first_name", "last_name")},
        ),
    }


def canonical_name(layout: str, column: str) -> str:
    return _profile(layout).columns.get(column, column)
