"""The petition calendar: calendar days, business days and deadlines that roll forward.

California deadlines are counted in calendar days (EC 11220) or in days "excluding
Saturdays, Sundays, and holidays" (EC 11224, 11225). A deadline that falls on a Saturday,
Sunday or holiday moves to the next business day (EC 15), and so does one that falls on a
day the elections office is closed by local resolution (EC 10104).

The holidays come from our own dated table (`holidays/ca.toml`, Gov. Code §6700/§6701),
the closures from a per-jurisdiction file (`holidays/closures/<id>.toml`). A date outside
the years a table covers raises `CalendarError`: a wrong holiday moves a legal deadline, so
we never guess.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RULES = ("fixed", "nth_weekday", "last_weekday", "easter", "table")
ROLL_CITE = "EC 15"
CLOSURE_CITE = "EC 10104"


class CalendarError(ValueError):
    """A holiday or closure table is invalid, or a date lies outside the years it covers."""


@dataclass(frozen=True)
class Holiday:
    """A non-business day of the state table. `observed_from` is the actual date when this
    is the observed day of a holiday that fell on a weekend (Gov. Code §6701)."""

    date: date
    name: str
    cite: str
    observed_from: date | None = None
    partial: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "name": self.name,
            "cite": self.cite,
            "observed_from": self.observed_from.isoformat() if self.observed_from else None,
            "partial": self.partial,
        }


@dataclass(frozen=True)
class Closure:
    """A day a local elections office is closed by its governing body (EC 10104)."""

    date: date
    name: str
    cite: str


@dataclass(frozen=True)
class Disagreement:
    """A weekday on which the state table and the closure calendar differ."""

    date: date
    state: str
    closure: str

    def describe(self) -> str:
        return f"{self.date.isoformat()}: state table says {self.state}; closure calendar says " \
            f"{self.closure}"


@dataclass(frozen=True)
class Rolled:
    """A deadline after EC 15 / EC 10104: the date, why it moved, and any disagreement."""

    date: date
    original: date
    reason: str
    cites: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def moved(self) -> bool:
        return self.date != self.original


@dataclass(frozen=True)
class Counted:
    """The result of counting business days, with the non-business weekdays skipped."""

    date: date
    skipped: tuple[tuple[date, str], ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClosureCalendar:
    id: str
    title: str
    jurisdiction: str
    cite: str
    first_year: int
    last_year: int
    complete: bool
    days: dict[date, Closure] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class BusinessCalendar:
    """A state holiday table, optionally combined with one office's closure calendar."""

    id: str
    title: str
    first_year: int
    last_year: int
    holidays: dict[date, tuple[Holiday, ...]]
    partials: dict[date, tuple[Holiday, ...]]
    closures: ClosureCalendar | None = None
    source: str = ""

    # -- coverage ---------------------------------------------------------------------
    def covers(self, d: date) -> bool:
        """True when both the state table and the closure calendar cover d's year."""
        if not self.first_year <= d.year <= self.last_year:
            return False
        c = self.closures
        return c is None or c.first_year <= d.year <= c.last_year

    def check(self, d: date) -> None:
        """Raise CalendarError naming the covered years when d is outside them."""
        if not self.first_year <= d.year <= self.last_year:
            raise CalendarError(
                f"{d.isoformat()} is outside the holiday table '{self.id}', which covers "
                f"{self.first_year}-{self.last_year}; add that year to the table before "
                "computing deadlines in it"
            )
        c = self.closures
        if c is not None and not c.first_year <= d.year <= c.last_year:
            raise CalendarError(
                f"{d.isoformat()} is outside the closure calendar '{c.id}', which covers "
                f"{c.first_year}-{c.last_year}; add that year's closures or plan without "
                "--closures"
            )

    # -- what a day is ----------------------------------------------------------------
    def holidays_in(self, year: int) -> list[Holiday]:
        """Full-day state holidays (including observed days) in a covered year, by date."""
        self.check(date(year, 1, 1))
        out = [h for d, hs in self.holidays.items() if d.year == year for h in hs]
        return sorted(out, key=lambda h: (h.date, h.name))

    def partial_holidays_in(self, year: int) -> list[Holiday]:
        """Part-day holidays (Good Friday noon-3 p.m.): offices open, not counted."""
        self.check(date(year, 1, 1))
        out = [h for d, hs in self.partials.items() if d.year == year for h in hs]
        return sorted(out, key=lambda h: h.date)

    def holiday_on(self, d: date) -> tuple[Holiday, ...]:
        self.check(d)
        return self.holidays.get(d, ())

    def closure_on(self, d: date) -> Closure | None:
        self.check(d)
        return self.closures.days.get(d) if self.closures else None

    def is_business_day(self, d: date) -> bool:
        """Not a Saturday, Sunday, state holiday or (with closures) office closure day."""
        return self.why_closed(d) is None

    def why_closed(self, d: date) -> str | None:
        """Why d is not a business day, with the cite; None for a business day."""
        self.check(d)
        if d.weekday() == 5:
            return f"{d.isoformat()} is a Saturday"
        if d.weekday() == 6:
            return f"{d.isoformat()} is a Sunday (Gov. Code §6700(a))"
        hs = self.holidays.get(d, ())
        if hs:
            h = hs[0]
            when = f", observed for {h.observed_from.isoformat()}" if h.observed_from else ""
            return f"{d.isoformat()} is a state holiday, {h.name}{when} ({h.cite})"
        c = self.closure_on(d)
        if c is not None:
            return f"on {d.isoformat()} the elections office is closed, {c.name} ({c.cite})"
        return None

    def disagreement_on(self, d: date) -> Disagreement | None:
        """A weekday where the state table and the closure calendar differ."""
        if self.closures is None or d.weekday() >= 5:
            return None
        self.check(d)
        hs = self.holidays.get(d, ())
        c = self.closures.days.get(d)
        if hs and c is None and self.closures.complete:
            return Disagreement(d, f"holiday ({hs[0].name}, {hs[0].cite})",
                                f"'{self.closures.id}' office open")
        if c is not None and not hs:
            return Disagreement(d, "business day",
                                f"'{self.closures.id}' office closed ({c.name}, {c.cite})")
        return None

    def disagreements(self, start: date, end: date) -> list[Disagreement]:
        """Every disagreement between start and end inclusive."""
        out = []
        d = start
        while d <= end:
            x = self.disagreement_on(d)
            if x:
                out.append(x)
            d += timedelta(days=1)
        return out

    # -- arithmetic -------------------------------------------------------------------
    def add_calendar_days(self, start: date, n: int) -> date:
        """start + n calendar days (no rolling; see roll_forward for that)."""
        if n < 0:
            raise CalendarError(f"cannot add a negative number of days ({n})")
        result = start + timedelta(days=n)
        self.check(start)
        self.check(result)
        return result

    def add_business_days(self, start: date, n: int) -> date:
        """The n-th business day after start (start itself is never counted)."""
        return self.count_business_days(start, n).date

    def count_business_days(self, start: date, n: int) -> Counted:
        """Like add_business_days, and also lists the weekdays skipped and disagreements."""
        if n < 0:
            raise CalendarError(f"cannot add a negative number of business days ({n})")
        self.check(start)
        d = start
        left = n
        skipped: list[tuple[date, str]] = []
        flags: list[str] = []
        while left > 0:
            d += timedelta(days=1)
            why = self.why_closed(d)
            dis = self.disagreement_on(d)
            if dis:
                flags.append(dis.describe())
            if why is None:
                left -= 1
            elif d.weekday() < 5:
                skipped.append((d, why))
        return Counted(d, tuple(skipped), tuple(flags))

    def roll(self, d: date) -> Rolled:
        """The deadline d, moved to the next business day if the office cannot take it then."""
        reasons: list[str] = []
        cites: list[str] = []
        flags: list[str] = []
        cur = d
        while True:
            dis = self.disagreement_on(cur)
            if dis:
                flags.append(dis.describe())
            why = self.why_closed(cur)
            if why is None:
                break
            reasons.append(why)
            if cur.weekday() >= 5 or self.holidays.get(cur):
                cites.append(ROLL_CITE)
            else:
                cites.append(self.closures.cite if self.closures else CLOSURE_CITE)
            cur += timedelta(days=1)
        if not reasons:
            return Rolled(d, d, f"{d.isoformat()} is a business day; no change", (), tuple(flags))
        unique = tuple(dict.fromkeys(cites))
        reason = "; ".join(reasons) + f" → next business day {cur.isoformat()} " \
            f"({', '.join(unique)})"
        return Rolled(cur, d, reason, unique, tuple(flags))

    def roll_forward(self, d: date) -> tuple[date, str]:
        """(the date the act may still be done, why): EC 15 and, with closures, EC 10104."""
        r = self.roll(d)
        return r.date, r.reason


# -- loading --------------------------------------------------------------------------


def load_calendar(name: str = "ca", closures: str | None = None) -> BusinessCalendar:
    """Load a shipped holiday table by id (or a TOML path), with an optional closure
    calendar by id (`los-angeles`) or path."""
    data, source = _read(name, "")
    cal = parse_calendar(data, source)
    if closures:
        cdata, csource = _read(closures, "closures")
        c = parse_closures(cdata, csource)
        return BusinessCalendar(cal.id, cal.title, cal.first_year, cal.last_year,
                                cal.holidays, cal.partials, c, cal.source)
    return cal


def closure_ids() -> list[str]:
    """Ids of the shipped closure calendars."""
    folder = resources.files("recallkit.holidays") / "closures"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def calendar_ids() -> list[str]:
    folder = resources.files("recallkit.holidays")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _read(name: str, sub: str) -> tuple[dict[str, Any], str]:
    path = Path(name)
    if name.endswith(".toml") or path.exists():
        if not path.is_file():
            raise CalendarError(f"calendar file {name!r} does not exist")
        text, source = path.read_text(encoding="utf-8"), str(path)
    else:
        known = closure_ids() if sub else calendar_ids()
        if name not in known:
            what = "closure calendar" if sub else "holiday table"
            raise CalendarError(f"unknown {what} {name!r}; available: {', '.join(known)}")
        folder = resources.files("recallkit.holidays")
        res = (folder / sub / f"{name}.toml") if sub else (folder / f"{name}.toml")
        text, source = res.read_text(encoding="utf-8"), f"recallkit/holidays/{sub}/{name}.toml"
    try:
        return tomllib.loads(text), source.replace("//", "/")
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError(f"{source}: not valid TOML: {exc}") from exc


def _years(data: dict[str, Any], source: str, errors: list[str]) -> tuple[int, int]:
    cov = data.get("covers")
    if not isinstance(cov, dict) or not all(isinstance(cov.get(k), int) for k in ("from", "to")):
        errors.append("missing key 'covers' = { from = YEAR, to = YEAR }")
        return 0, -1
    if cov["from"] > cov["to"]:
        errors.append("key 'covers': 'from' is after 'to'")
    return cov["from"], cov["to"]


def _iso(raw: Any, where: str, errors: list[str]) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        errors.append(f"{where}: {raw!r} is not a date (YYYY-MM-DD)")
        return None


def parse_calendar(data: dict[str, Any], source: str = "<calendar>") -> BusinessCalendar:
    """Validate a holiday table and expand it over its covered years."""
    errors: list[str] = []
    first, last = _years(data, source, errors)
    for key in ("id", "title"):
        if not isinstance(data.get(key), str):
            errors.append(f"missing key '{key}'")
    holidays: dict[date, list[Holiday]] = {}
    partials: dict[date, list[Holiday]] = {}
    rows = data.get("holiday")
    if not isinstance(rows, list) or not rows:
        errors.append("missing key 'holiday' (a list of [[holiday]] tables)")
        rows = []
    for i, row in enumerate(rows):
        where = f"holiday[{i}]" + (f" ({row.get('name')})" if isinstance(row, dict) else "")
        if not isinstance(row, dict):
            errors.append(f"{where} should be a table")
            continue
        for h in _expand(row, where, first, last, errors):
            (partials if h.partial else holidays).setdefault(h.date, []).append(h)
    for i, row in enumerate(data.get("proclaimed", []) or []):
        where = f"proclaimed[{i}]"
        d = _iso(row.get("date") if isinstance(row, dict) else None, where, errors)
        if d and isinstance(row, dict):
            cite = str(row.get("cite", "Gov. Code §6700(a) (proclaimed day)"))
            holidays.setdefault(d, []).append(Holiday(d, str(row.get("name", "")), cite))
    if errors:
        raise CalendarError(f"{source}: invalid holiday table:\n"
                            + "\n".join(f"  - {e}" for e in errors))
    return BusinessCalendar(
        id=data["id"], title=data["title"], first_year=first, last_year=last,
        holidays={d: tuple(v) for d, v in holidays.items()},
        partials={d: tuple(v) for d, v in partials.items()}, source=source,
    )


def _expand(row: dict[str, Any], where: str, first: int, last: int,
            errors: list[str]) -> list[Holiday]:
    missing = [k for k in ("name", "rule", "cite") if not isinstance(row.get(k), str)]
    if missing:
        errors.append(f"{where} is missing {', '.join(missing)}")
        return []
    rule = row["rule"]
    if rule not in RULES:
        errors.append(f"{where}.rule is {rule!r}; allowed: {', '.join(RULES)}")
        return []
    start = max(first, int(row.get("from", first)))
    end = min(last, int(row.get("to", last)))
    name, cite, partial = row["name"], row["cite"], bool(row.get("partial", False))
    observed = row.get("observed", {}) or {}
    for k, v in observed.items():
        if (k, v) not in (("sunday", "monday"), ("saturday", "friday")):
            errors.append(f"{where}.observed: {k} = {v!r} is not a §6701 rule")
    ocite = str(row.get("observed_cite", "Gov. Code §6701"))
    table: dict[int, date] = {}
    if rule == "table":
        for raw in row.get("dates", []):
            d = _iso(raw, f"{where}.dates", errors)
            if d:
                if d.year in table:
                    errors.append(f"{where}.dates has two dates in {d.year}")
                table[d.year] = d
        absent = [y for y in range(start, end + 1) if y not in table]
        if absent:
            errors.append(f"{where}.dates has no date for {', '.join(map(str, absent))}, "
                          "which the table claims to cover")
    out: list[Holiday] = []
    for year in range(start, end + 1):
        try:
            d = _date_for(rule, row, year, table)
        except (KeyError, ValueError, TypeError) as exc:
            errors.append(f"{where}: cannot compute a date ({exc})")
            return []
        if d is None:
            continue
        out.append(Holiday(d, name, cite, partial=partial))
        if d.weekday() == 6 and observed.get("sunday") == "monday":
            out.append(Holiday(d + timedelta(days=1), f"{name} (observed)", ocite, d))
        if d.weekday() == 5 and observed.get("saturday") == "friday":
            out.append(Holiday(d - timedelta(days=1), f"{name} (observed)", ocite, d))
    return out


def _date_for(rule: str, row: dict[str, Any], year: int, table: dict[int, date]) -> date | None:
    offset = timedelta(days=int(row.get("offset_days", 0)))
    if rule == "table":
        return table.get(year)
    if rule == "fixed":
        return date(year, int(row["month"]), int(row["day"])) + offset
    if rule == "easter":
        return easter(year) + offset
    weekday = WEEKDAYS.index(row["weekday"])
    month = int(row["month"])
    if rule == "nth_weekday":
        nth = int(row["nth"])
        d = date(year, month, 1)
        d += timedelta(days=(weekday - d.weekday()) % 7 + 7 * (nth - 1))
        if d.month != month:
            raise ValueError(f"there is no {nth}th {row['weekday']} in month {month} of {year}")
        return d + offset
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    d = nxt - timedelta(days=1)
    return d - timedelta(days=(d.weekday() - weekday) % 7) + offset


def easter(year: int) -> date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def parse_closures(data: dict[str, Any], source: str = "<closures>") -> ClosureCalendar:
    """Validate a per-jurisdiction closure calendar (EC 10104)."""
    errors: list[str] = []
    first, last = _years(data, source, errors)
    for key in ("id", "title"):
        if not isinstance(data.get(key), str):
            errors.append(f"missing key '{key}'")
    cite = str(data.get("cite", CLOSURE_CITE))
    days: dict[date, Closure] = {}
    rows = data.get("closures")
    if not isinstance(rows, list):
        errors.append("missing key 'closures' (a list of { date, name })")
        rows = []
    for i, row in enumerate(rows):
        where = f"closures[{i}]"
        if not isinstance(row, dict) or "date" not in row or "name" not in row:
            errors.append(f"{where} needs a date and a name")
            continue
        d = _iso(row["date"], where, errors)
        if d is None:
            continue
        if not first <= d.year <= last:
            errors.append(f"{where}: {d.isoformat()} is outside covers {first}-{last}")
        if d in days:
            errors.append(f"{where}: {d.isoformat()} is listed twice")
        days[d] = Closure(d, str(row["name"]), str(row.get("cite", cite)))
    if errors:
        raise CalendarError(f"{source}: invalid closure calendar:\n"
                            + "\n".join(f"  - {e}" for e in errors))
    return ClosureCalendar(
        id=data["id"], title=data["title"], jurisdiction=str(data.get("jurisdiction", "")),
        cite=cite, first_year=first, last_year=last, complete=bool(data.get("complete", False)),
        days=days, source=source,
    )
