"""Output layouts for the synthetic voter file.

`canonical` is the layout of docs/data-formats (shared spec). Other layouts are
written by inverting the workspace's mapping profile
(src/recallkit/workspace/profiles/<layout>.toml), so that a file written here is read
back by the same profile and the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

LAYOUTS = ("canonical",)


def writer_for(layout: str) -> Callable[[pa.Table], pa.Table]:
    if layout == "canonical":
        return lambda t: t
    raise ValueError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")


def file_name(layout: str) -> str:
    return "voters.csv"


def delimiter(layout: str) -> str:
    return ","
