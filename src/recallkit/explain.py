"""Explanations that travel with every result.

The law rounds and cites; a county must be able to show a court which rule produced
which number. Core functions therefore return values together with the steps that
made them, each step naming its rule and citation.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Step:
    """One named step of a computation: what was computed, its value, and why."""

    name: str
    value: Any
    rule: str
    cite: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "rule": self.rule, "cite": self.cite}


def plain(obj: Any) -> Any:
    """JSON-ready data: exact decimals as strings, ISO dates, dataclasses as dicts.

    Objects that curate their own view (`as_dict()`) are asked for it first.
    """
    if hasattr(obj, "as_dict") and callable(obj.as_dict) and not isinstance(obj, type):
        return plain(obj.as_dict())
    if is_dataclass(obj) and not isinstance(obj, type):
        return plain_fields(obj)
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [plain(v) for v in obj]
    return obj


def plain_fields(obj: Any) -> dict[str, Any]:
    """Every field of a dataclass, made plain: the default `as_dict()` of a result."""
    return {f.name: plain(getattr(obj, f.name)) for f in fields(obj)}
