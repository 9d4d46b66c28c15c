"""Typed view of a rule pack.

A rule pack is law as data: each number keeps the citation that sets it, so that any
figure recallkit prints can be traced to a section. These dataclasses are frozen; they
are built only by `recallkit.rules.load`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from recallkit.explain import plain, plain_fields


@dataclass(frozen=True)
class Cited:
    """A number together with the section of law that sets it."""

    value: Any
    cite: str
    unit: str = ""

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"value": plain(self.value), "cite": self.cite}
        if self.unit:
            d["unit"] = self.unit
        return d


@dataclass(frozen=True)
class Band:
    """One row of a size-banded table (circulation days, threshold percent, proponents).

    Bands apply from `min_measure` upward (inclusive) until the next higher band.
    """

    min_measure: int
    cite: str
    days: int | None = None
    percent: Decimal | None = None
    minimum: int | None = None
    times_nomination: int | None = None
    office_kind: str | None = None


@dataclass(frozen=True)
class CountyRule:
    """Const. art. II §14(b): a minimum share of the last vote in a minimum number of counties."""

    office_kinds: tuple[str, ...]
    percent: Cited
    min_counties: Cited
    rounding: str


@dataclass(frozen=True)
class SampleRule:
    cite: str
    raw_more_than: Cited
    minimum: Cited
    percent: Cited
    rounding: str
    cap_at_raw: bool
    business_days: Cited
    business_days_consolidation: Cited | None = None


@dataclass(frozen=True)
class BandsRule:
    cite: str
    sufficient_above_percent: Cited
    insufficient_below_percent: Cited


@dataclass(frozen=True)
class BallotRule:
    successor_question: bool
    cite: str
    note: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    pending: str = ""


@dataclass(frozen=True)
class RulePack:
    id: str
    title: str
    kind: str
    level: str
    state: str
    holiday_calendar: str
    measure: str
    measure_cite: str
    measure_note: str
    circulation_bands: tuple[Band, ...]
    circulation: dict[str, str]
    threshold_bands: tuple[Band, ...]
    threshold_rounding: str
    threshold_cite: str
    office_kinds: tuple[str, ...]
    county_rule: CountyRule | None
    methods: tuple[str, ...]
    verification: dict[str, Any]
    sample: SampleRule | None
    bands: BandsRule | None
    projection_variant: str
    projection_cite: str
    duplicates: dict[str, Any]
    eligibility: dict[str, Any] = field(default_factory=dict)
    proponent_bands: tuple[Band, ...] = ()
    proponents_cite: str = ""
    periods: dict[str, Cited] = field(default_factory=dict)
    withdrawal: dict[str, Any] = field(default_factory=dict)
    certification: dict[str, Any] = field(default_factory=dict)
    election: dict[str, Any] = field(default_factory=dict)
    ballot: tuple[BallotRule, ...] = ()
    source: str = ""

    @property
    def samples(self) -> bool:
        return self.sample is not None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (decimals as strings, dates ISO)."""
        return plain_fields(self)

