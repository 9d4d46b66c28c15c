"""Explanations that travel with every result.

The law rounds and cites; a county must be able to show a court which rule produced
which number. Core functions therefore return values together with the steps that
made them, each step naming its rule and citation.
"""

from __future__ import annotations

from dataclasses import dataclass
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
