"""The whole timeline and targets of one recall: `plan_recall`.

Given a rule pack, the size of the jurisdiction and whatever dates are already known,
compute how many signatures are needed, by when, whether the recall may start, and every
statutory deadline, each with the rule and citation that produced it. Pure: no database,
no printing; the holiday table and rule packs are package data.

Dates that are not known yet stay undated (date None) but keep their rule, so a plan made
before the notice of intention is served still shows every step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from recallkit.calendar import BusinessCalendar, CalendarError, load_calendar
from recallkit.explain import Step
from recallkit.rules.load import load_pack
from recallkit.rules.model import BallotRule, Cited, RulePack
from recallkit.rules.thresholds import (
    RuleInputError,
    circulation_days,
    county_minimums,
    proponents_required,
    required_signatures,
)


class PlanInputError(ValueError):
    """The inputs to a plan are impossible (negative counts, dates out of order, a date the
    holiday table does not cover); the message says which and why."""


@dataclass(frozen=True)
class Deadline:
    """One dated (or not yet datable) step. `name` is a stable id, `label` is for people;
    `computed` is the date before EC 15 / EC 10104 moved it."""

    name: str
    date: date | None
    rule: str
    cite: str
    label: str = ""
    computed: date | None = None
    flags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "date": self.date.isoformat() if self.date else None,
            "computed": self.computed.isoformat() if self.computed else None,
            "rule": self.rule,
            "cite": self.cite,
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class RecallPlan:
    pack: str
    title: str
    measure_name: str
    measure: int
    office_kind: str | None
    required_signatures: int
    circulation_days: int
    circulation_deadline: date | None
    eligible_from: date | None
    proponents_required: int | None
    deadlines: tuple[Deadline, ...]
    county_minimums: dict[str, int] | None
    county_rule: dict[str, Any] | None
    ballot: dict[str, Any] | None
    verification: dict[str, Any]
    steps: tuple[Step, ...]
    warnings: tuple[str, ...] = ()
    calendar: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)

    def deadline(self, name: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        iso = lambda d: d.isoformat() if isinstance(d, date) else d  # noqa: E731
        return {
            "pack": self.pack,
            "title": self.title,
            "measure_name": self.measure_name,
            "measure": self.measure,
            "office_kind": self.office_kind,
            "required_signatures": self.required_signatures,
            "circulation_days": self.circulation_days,
            "circulation_deadline": iso(self.circulation_deadline),
            "eligible_from": iso(self.eligible_from),
            "proponents_required": self.proponents_required,
            "deadlines": [d.as_dict() for d in self.deadlines],
            "county_minimums": self.county_minimums,
            "county_rule": self.county_rule,
            "ballot": self.ballot,
            "verification": self.verification,
            "steps": [s.as_dict() for s in self.steps],
            "warnings": list(self.warnings),
            "calendar": self.calendar,
            "inputs": {k: iso(v) for k, v in self.inputs.items()},
        }


@lru_cache(maxsize=32)
def _calendar(name: str, closures: str | None) -> BusinessCalendar:
    return load_calendar(name, closures)


def plan_recall(
    pack: RulePack | str,
    measure: int,
    *,
    sworn_in: date | None = None,
    noi_served: date | None = None,
    noi_filed: date | None = None,
    format_approved: date | None = None,
    nomination_signatures: int | None = None,
    office_kind: str | None = None,
    county_votes: dict[str, int] | None = None,
    closures: str | None = None,
    format_filed: date | None = None,
    petition_filed: date | None = None,
    election_ordered: date | None = None,
    certified: date | None = None,
    calendar: BusinessCalendar | None = None,
) -> RecallPlan:
    """Targets and deadlines for one recall under `pack`.

    `measure` is what the pack counts from (registered voters for ca-local, the last vote
    for the office for ca-state). `format_filed`, `petition_filed`, `election_ordered` and
    `certified` date the later steps when known. Raises PlanInputError for impossible
    input, including dates outside the years the holiday table covers.
    """
    if isinstance(pack, str):
        pack = load_pack(pack)
    dates = {
        "sworn_in": sworn_in, "noi_served": noi_served, "noi_filed": noi_filed,
        "format_filed": format_filed, "format_approved": format_approved,
        "petition_filed": petition_filed, "certified": certified,
        "election_ordered": election_ordered,
    }
    _validate(pack, measure, nomination_signatures, county_votes, dates)
    if office_kind is not None and office_kind not in pack.office_kinds:
        kinds = ", ".join(pack.office_kinds)
        raise PlanInputError(
            f"{pack.id} has no office kind {office_kind!r}"
            + (f"; choose one of {kinds}" if kinds else "; its thresholds do not depend on it"))
    try:
        cal = calendar or _calendar(pack.holiday_calendar or "ca", closures)
        return _plan(pack, measure, cal, dates, nomination_signatures, office_kind,
                     county_votes, closures)
    except CalendarError as exc:
        raise PlanInputError(str(exc)) from exc
    except RuleInputError as exc:
        raise PlanInputError(str(exc)) from exc


def _validate(pack: RulePack, measure: int, nomination: int | None,
              county_votes: dict[str, int] | None, dates: dict[str, date | None]) -> None:
    problems: list[str] = []
    label = pack.measure.replace("_", " ")
    if isinstance(measure, bool) or not isinstance(measure, int):
        problems.append(f"{label} must be a whole number, got {measure!r}")
    elif measure < 0:
        problems.append(f"{label} must not be negative (got {measure:,})")
    if nomination is not None and (isinstance(nomination, bool) or not isinstance(nomination, int)
                                   or nomination < 0):
        problems.append(f"nomination signatures must be a whole number ≥ 0 (got {nomination!r})")
    for county, votes in (county_votes or {}).items():
        if not str(county).strip():
            problems.append("a county in the county votes has no name")
        if isinstance(votes, bool) or not isinstance(votes, int) or votes < 0:
            problems.append(f"votes for {county} must be a whole number ≥ 0 (got {votes!r})")
    if county_votes and pack.county_rule is None:
        problems.append(f"{pack.id} has no county distribution rule; county votes do not apply")
    for name, value in dates.items():
        if value is not None and not isinstance(value, date):
            problems.append(f"{name.replace('_', ' ')} must be a date, got {value!r}")
    # Each pair (earlier, later): the later step cannot happen before the earlier one.
    order = [
        ("sworn_in", "noi_served", "the notice of intention was served before the officer "
         "took office"),
        ("noi_served", "noi_filed", "the notice of intention was filed before it was served"),
        ("noi_filed", "format_filed", "the blank petition was filed before the notice of "
         "intention"),
        ("noi_served", "format_approved", "the petition format was approved before the notice "
         "of intention was served"),
        ("noi_filed", "format_approved", "the petition format was approved before the notice "
         "of intention was filed"),
        ("format_filed", "format_approved", "the petition format was approved before it was "
         "filed for review"),
        ("format_approved", "petition_filed", "the petition was filed before its format was "
         "approved (signatures gathered before approval are invalid, EC 11042)"),
        ("petition_filed", "certified", "the result was certified before the petition was "
         "filed"),
        ("certified", "election_ordered", "the election was ordered before the result was "
         "certified"),
    ]
    for early, late, text in order:
        a, b = dates.get(early), dates.get(late)
        if isinstance(a, date) and isinstance(b, date) and b < a:
            problems.append(f"{text}: {_LABELS[late]} {b.isoformat()} is before "
                            f"{_LABELS[early]} {a.isoformat()}")
    if problems:
        raise PlanInputError("; ".join(problems))


_LABELS = {
    "sworn_in": "sworn in", "noi_served": "notice served", "noi_filed": "notice filed",
    "format_filed": "blank petition filed", "format_approved": "format approved",
    "petition_filed": "petition filed", "certified": "certified",
    "election_ordered": "election ordered",
}


def _period(pack: RulePack, key: str) -> Cited | None:
    c = pack.periods.get(key)
    return c if isinstance(c, Cited) else None


def _plan(pack: RulePack, measure: int, cal: BusinessCalendar, dates: dict[str, date | None],
          nomination: int | None, office_kind: str | None,
          county_votes: dict[str, int] | None, closures: str | None) -> RecallPlan:
    req = required_signatures(pack, measure, office_kind)
    circ = circulation_days(pack, measure)
    kind = office_kind or (pack.office_kinds[0] if pack.office_kinds else None)
    steps: list[Step] = [*req.steps, *circ.steps]
    warnings: list[str] = []
    props = None
    if nomination is not None and pack.proponent_bands:
        p = proponents_required(pack, measure, nomination)
        props = p.value
        steps.extend(p.steps)
    deadlines, eligible, circ_deadline = build_deadlines(
        pack, cal, dates, circ.value, req.value, measure, warnings, steps
    )
    minimums = None
    county_rule = None
    if pack.county_rule is not None:
        rule = pack.county_rule
        applies = kind in rule.office_kinds
        county_rule = {
            "applies": applies,
            "office_kinds": list(rule.office_kinds),
            "percent": str(rule.percent.value),
            "min_counties": rule.min_counties.value,
            "cite": rule.percent.cite,
        }
        if county_votes is not None:
            figs = county_minimums(pack, county_votes, kind)
            minimums = {c: f.value for c, f in figs.items()} if applies else {}
            if applies:
                steps.append(Step(
                    "county_rule", rule.min_counties.value,
                    f"at least {rule.percent.value}% of the last vote for the office in each of "
                    f"at least {rule.min_counties.value} counties", rule.percent.cite))
                if len(county_votes) < rule.min_counties.value:
                    warnings.append(
                        f"only {len(county_votes)} counties given; the rule needs "
                        f"{rule.min_counties.value} counties at {rule.percent.value}%")
            else:
                warnings.append(f"the county rule applies only to {', '.join(rule.office_kinds)}"
                                f" offices, not {kind}")
    as_of = max((d for d in dates.values() if d is not None), default=None)
    return RecallPlan(
        pack=pack.id, title=pack.title, measure_name=pack.measure, measure=measure,
        office_kind=kind, required_signatures=req.value, circulation_days=circ.value,
        circulation_deadline=circ_deadline, eligible_from=eligible,
        proponents_required=props, deadlines=tuple(deadlines), county_minimums=minimums,
        county_rule=county_rule, ballot=_ballot(pack.ballot, as_of),
        verification=_verification(pack), steps=tuple(steps), warnings=tuple(warnings),
        calendar=cal.id + (f"+{cal.closures.id}" if cal.closures else ""),
        inputs={"measure": measure, **{k: v for k, v in dates.items() if v is not None},
                "nomination_signatures": nomination, "office_kind": office_kind,
                "closures": closures},
    )


def _ballot(rules: tuple[BallotRule, ...], as_of: date | None) -> dict[str, Any] | None:
    """The ballot rule in force on `as_of` (the latest known date; today's law without one)."""
    if not rules:
        return None

    def in_force(r: BallotRule) -> bool:
        if as_of is None:
            return r.valid_to is None
        return (r.valid_from is None or r.valid_from <= as_of) and (
            r.valid_to is None or as_of <= r.valid_to)

    r = next((r for r in rules if in_force(r)), rules[-1])
    return {
        "successor_question": r.successor_question,
        "cite": r.cite,
        "note": r.note,
        "from": r.valid_from.isoformat() if r.valid_from else None,
        "to": r.valid_to.isoformat() if r.valid_to else None,
        "pending": r.pending,
        "as_of": as_of.isoformat() if as_of else None,
    }


def _verification(pack: RulePack) -> dict[str, Any]:
    out: dict[str, Any] = {"methods": list(pack.methods)}
    if pack.sample is not None:
        s = pack.sample
        out["sample"] = {
            "rule": f"greater of {s.minimum.value} or {s.percent.value}% of the raw count "
                    f"(when the raw count exceeds {s.raw_more_than.value})",
            "business_days": s.business_days.value,
            "cite": s.cite,
        }
    if pack.bands is not None:
        b = pack.bands
        out["bands"] = {
            "sufficient_above_percent": str(b.sufficient_above_percent.value),
            "insufficient_below_percent": str(b.insufficient_below_percent.value),
            "cite": b.cite,
        }
    note = pack.verification.get("no_sample_note")
    if note:
        out["note"] = f"{note} ({pack.verification.get('no_sample_cite', '')})"
    return out


def days_after(start: date, n: int) -> date:
    """start + n calendar days; for eligibility, where no holiday rule applies."""
    return start + timedelta(days=n)


# -- the deadlines -----------------------------------------------------------------------


class _Builder:
    """Collects deadlines; every dated one goes through the calendar so EC 15 applies."""

    def __init__(self, cal: BusinessCalendar, roll_cite: str) -> None:
        self.cal = cal
        self.roll_cite = roll_cite
        self.items: list[Deadline] = []

    def undated(self, name: str, label: str, rule: str, cite: str) -> None:
        self.items.append(Deadline(name, None, rule, cite, label))

    def on(self, name: str, label: str, d: date, rule: str, cite: str) -> Deadline:
        """A date that is not a deadline (it is not moved): eligibility, raw count."""
        self.cal.check(d)
        item = Deadline(name, d, rule, cite, label, d)
        self.items.append(item)
        return item

    def calendar(self, name: str, label: str, start: date, days: Cited, rule: str) -> Deadline:
        """start + N calendar days, moved forward by EC 15 / EC 10104 when needed."""
        computed = self.cal.add_calendar_days(start, days.value)
        rolled = self.cal.roll(computed)
        cite = days.cite
        text = f"{rule}: {start.isoformat()} + {days.value} days = {computed.isoformat()}"
        if rolled.moved:
            text += f"; {rolled.reason}"
            cite = "; ".join([cite, *rolled.cites])
        item = Deadline(name, rolled.date, text, cite, label, computed, rolled.flags)
        self.items.append(item)
        return item

    def business(self, name: str, label: str, start: date, days: Cited, rule: str) -> Deadline:
        """The N-th day after start excluding Saturdays, Sundays and holidays."""
        counted = self.cal.count_business_days(start, days.value)
        skipped = [d.isoformat() for d, _ in counted.skipped]
        text = (f"{rule}: {days.value} days after {start.isoformat()}, excluding Saturdays, "
                "Sundays and holidays")
        if skipped:
            text += f" (weekdays skipped: {', '.join(skipped)})"
        item = Deadline(name, counted.date, text, days.cite, label, counted.date, counted.flags)
        self.items.append(item)
        return item


def build_deadlines(
    pack: RulePack, cal: BusinessCalendar, dates: dict[str, date | None], circ_days: int,
    required: int, measure: int, warnings: list[str], steps: list[Step],
) -> tuple[list[Deadline], date | None, date | None]:
    """Every step of the timeline, in order; returns (deadlines, eligible_from, circulation
    deadline)."""
    b = _Builder(cal, pack.circulation.get("roll_forward_cite", "EC 15"))
    eligible = _eligibility(pack, b, dates, warnings)
    _notice_steps(pack, b, dates, warnings)
    circ_deadline = None
    circ_cite = circulation_days(pack, measure).cite
    days = Cited(circ_days, circ_cite)
    count_from = pack.circulation.get("count_from", "format_approved")
    start_label = "the petition format was approved" if count_from == "format_approved" \
        else "the title and summary were issued"
    if dates.get("format_approved"):
        d = b.calendar("circulation_deadline", "Last day to file the petition",
                       dates["format_approved"], days,
                       f"{circ_days} days after {start_label}")
        circ_deadline = d.date
        filed = dates.get("petition_filed")
        if filed and circ_deadline and filed > circ_deadline:
            warnings.append(f"the petition was filed {filed.isoformat()}, after the last day "
                            f"{circ_deadline.isoformat()} ({circ_cite})")
    else:
        b.undated("circulation_deadline", "Last day to file the petition",
                  f"{circ_days} days after {start_label}; moved to the next business day when "
                  "it falls on a Saturday, Sunday or holiday (EC 15)", circ_cite)
    _verification_steps(pack, b, dates, circ_deadline, required, steps)
    _election_steps(pack, b, dates)
    return b.items, eligible, circ_deadline


def _eligibility(pack: RulePack, b: _Builder, dates: dict[str, date | None],
                 warnings: list[str]) -> date | None:
    more_than = pack.eligibility.get("days_in_office_more_than")
    if not isinstance(more_than, Cited):
        return None
    sworn = dates.get("sworn_in")
    label = "Earliest day to serve the notice of intention"
    if sworn is None:
        b.undated("eligible_from", label,
                  f"the officer must have held office more than {more_than.value} days in the "
                  "current term", more_than.cite)
        return None
    eligible = days_after(sworn, more_than.value + 1)
    b.on("eligible_from", label, eligible,
         f"held office more than {more_than.value} days: sworn in {sworn.isoformat()}, "
         f"day {more_than.value + 1} is {eligible.isoformat()}", more_than.cite)
    served = dates.get("noi_served")
    if served and served < eligible:
        warnings.append(f"the notice of intention was served {served.isoformat()}, before "
                        f"{eligible.isoformat()}: recall proceedings may not begin until the "
                        f"officer has held office more than {more_than.value} days "
                        f"({more_than.cite})")
    return eligible


def _notice_steps(pack: RulePack, b: _Builder, dates: dict[str, date | None],
                  warnings: list[str]) -> None:
    file_noi = _period(pack, "noi_file_after_service_days")
    answer = _period(pack, "answer_after_noi_filed_days")
    fmt = _period(pack, "format_filing_after_answer_days")
    review = _period(pack, "format_review_days")
    served, filed = dates.get("noi_served"), dates.get("noi_filed")
    if file_noi:
        label = "File the notice of intention and proof of service"
        if served:
            d = b.calendar("noi_filing_deadline", label, served, file_noi,
                           "within 7 days after service".replace("7", str(file_noi.value)))
            if filed and d.date and filed > d.date:
                warnings.append(f"the notice of intention was filed {filed.isoformat()}, after "
                                f"the last day {d.date.isoformat()} ({file_noi.cite})")
        else:
            b.undated("noi_filing_deadline", label,
                      f"within {file_noi.value} days after the notice is served", file_noi.cite)
    answer_end = None
    if answer:
        label = "Officer's answer due (optional)"
        if filed:
            d = b.calendar("answer_deadline", label, filed, answer,
                           f"within {answer.value} days after the notice is filed")
            answer_end = d.computed
        else:
            b.undated("answer_deadline", label,
                      f"within {answer.value} days after the notice is filed", answer.cite)
    if fmt:
        label = "File two blank copies of the petition for format review"
        if answer_end:
            b.calendar("format_filing_deadline", label, answer_end, fmt,
                       f"within {fmt.value} days after the answer period ends (an answer filed "
                       "earlier starts this period earlier)")
        else:
            b.undated("format_filing_deadline", label,
                      f"within {fmt.value} days after the answer is filed or the answer period "
                      "ends", fmt.cite)
    if review:
        label = "Elections official's format review ends"
        start = dates.get("format_filed")
        filing_deadline = next((d for d in b.items if d.name == "format_filing_deadline"), None)
        if start:
            b.calendar("format_review_end", label, start, review,
                       f"{review.value} days after the blank petition is filed")
        elif filing_deadline and filing_deadline.date:
            b.calendar("format_review_end", label + " (if filed on the last day)",
                       filing_deadline.date, review,
                       f"{review.value} days after the blank petition is filed")
        else:
            b.undated("format_review_end", label,
                      f"{review.value} days after the blank petition is filed; defects are "
                      "corrected and resubmitted within 10 days", review.cite)
    exam = _period(pack, "public_examination_days")
    if exam:
        b.undated("public_examination", "Public examination of the petition",
                  f"{exam.value} days, concurrent with the format review", exam.cite)


def _verification_steps(pack: RulePack, b: _Builder, dates: dict[str, date | None],
                        circ_deadline: date | None, required: int, steps: list[Step]) -> None:
    filed = dates.get("petition_filed")
    raw_cite = str(pack.verification.get("raw_count_cite", ""))
    if pack.level == "local" or pack.kind == "initiative":
        rule = (f"when the petition is presented, the official counts every signature; below "
                f"{required:,} no further action is taken")
        if filed:
            b.on("raw_count", "Raw count of all signatures", filed, rule, raw_cite)
        else:
            b.undated("raw_count", "Raw count of all signatures", rule, raw_cite)
        if pack.sample is not None:
            s = pack.sample
            label = "Random-sample verification complete"
            rule = (f"sample of the greater of {s.minimum.value} or {s.percent.value}% of the "
                    "raw count")
            if filed:
                b.business("sample_verification_deadline", label, filed, s.business_days, rule)
            else:
                b.undated("sample_verification_deadline", label,
                          f"{rule}, within {s.business_days.value} days of filing excluding "
                          "Saturdays, Sundays and holidays", s.business_days.cite)
            cons = s.business_days_consolidation
            if cons is not None:
                label = "Verification complete when needed to consolidate"
                rule = "when 60 days could miss consolidation with the next regular election" \
                    .replace("60", str(s.business_days.value))
                if filed:
                    b.business("consolidation_verification_deadline", label, filed, cons, rule)
                else:
                    b.undated("consolidation_verification_deadline", label,
                              f"{rule}: {cons.value} days excluding Saturdays, Sundays and "
                              "holidays", cons.cite)
        full = pack.verification.get("full_business_days")
        if isinstance(full, Cited):
            label = "Full examination complete"
            rule = "every signature examined"
            if filed:
                b.business("full_verification_deadline", label, filed, full, rule)
            else:
                b.undated("full_verification_deadline", label,
                          f"{rule}, within {full.value} days of filing excluding Saturdays, "
                          "Sundays and holidays", full.cite)
        return
    # State recall: counties verify every signature as sections arrive (no sample).
    every = pack.verification.get("report_every_days")
    if isinstance(every, Cited):
        b.undated("county_reports", "County progress reports to the Secretary of State",
                  f"every {every.value} days after the recall is initiated: signatures "
                  "submitted and valid, in the period and cumulative", every.cite)
    finish = pack.verification.get("finish_after_deadline_business_days")
    if isinstance(finish, Cited):
        label = "Counties finish verifying every signature"
        start = circ_deadline or filed
        rule = "every signature verified; no random sample"
        if start:
            b.business("state_verification_deadline", label, start, finish,
                       f"{rule}, counted from the last day to file")
        else:
            b.undated("state_verification_deadline", label,
                      f"{rule}, within {finish.value} days after the last day to file, "
                      "excluding Saturdays, Sundays and holidays", finish.cite)
    win = pack.withdrawal.get("window_business_days")
    if isinstance(win, Cited):
        b.undated("withdrawal_window", "Signature withdrawal period",
                  f"{win.value} business days after the Secretary of State notifies counties "
                  "that the petition has enough signatures", win.cite)


def _election_steps(pack: RulePack, b: _Builder, dates: dict[str, date | None]) -> None:
    e = pack.election
    order_days, lo, hi = (e.get("order_after_meeting_days"), e.get("min_days_after_order"),
                          e.get("max_days_after_order"))
    cons = e.get("max_days_consolidation")
    if isinstance(lo, Cited) and isinstance(hi, Cited):
        if isinstance(order_days, Cited):
            b.undated("election_order", "Governing body orders the election",
                      f"within {order_days.value} days after the meeting at which the "
                      "certificate of sufficiency is presented; otherwise the elections "
                      "official sets the date", order_days.cite)
        ordered = dates.get("election_ordered")
        _window(b, "election", ordered, lo, hi, cons, "after the election is ordered")
        return
    lo, hi = e.get("min_days_after_certification"), e.get("max_days_after_certification")
    if isinstance(lo, Cited) and isinstance(hi, Cited):
        _window(b, "election", dates.get("certified"), lo, hi, cons,
                "after certification of sufficiency")


def _window(b: _Builder, name: str, start: date | None, lo: Cited, hi: Cited,
            cons: Any, after: str) -> None:
    cons_text = (f"; up to {cons.value} days to consolidate with a regular election"
                 if isinstance(cons, Cited) else "")
    if start is None:
        b.undated(f"{name}_earliest", "Recall election: earliest day",
                  f"{lo.value} to {hi.value} days {after}{cons_text}", lo.cite)
        return
    b.on(f"{name}_earliest", "Recall election: earliest day", days_after(start, lo.value),
         f"{lo.value} days {after} ({start.isoformat()})", lo.cite)
    b.on(f"{name}_latest", "Recall election: latest day", days_after(start, hi.value),
         f"{hi.value} days {after} ({start.isoformat()}){cons_text}", hi.cite)
