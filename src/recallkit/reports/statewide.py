"""State recalls: the counties' 30-day reports and the Secretary of State's aggregation.

Since 2017 every signature on a state recall petition is verified (no sample). Each county
verifies sections as they are filed and reports every 30 days: signatures submitted in the
period and in total, valid in the period and in total (EC 11104, applying EC 9031(b)).
The state adds up the latest report of each county and applies the requirement with the
county rule: at least 1% of the last vote for the office in each of at least 5 counties
(Const. art. II §14(b)). After sufficiency, voters may withdraw signatures for 30 business
days and counties report withdrawals within 10 business days (EC 11108).

County reports are plain JSON files that carry the hashes of what they were computed from,
so the aggregation states exactly which reports it merged (by SHA-256).
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from recallkit.reports.facts import audit_head
from recallkit.rules import RulePack, county_minimums

REPORT_KIND = "recallkit.county_report"
REPORT_KEYS = ("county", "period_end", "submitted_cumulative", "valid_cumulative")


class StatewideError(ValueError):
    """A county report or votes file cannot be used; the message names the file."""


def _cited(pack: RulePack, table: str, key: str) -> tuple[int, str]:
    item = getattr(pack, table).get(key)
    if item is None or not hasattr(item, "value"):
        raise StatewideError(f"rule pack {pack.id} has no {table}.{key}")
    return int(item.value), str(item.cite)


def business_calendar(pack: RulePack) -> Any:
    from recallkit.calendar import load_calendar

    return load_calendar(pack.holiday_calendar or "ca")


# -- a county's 30-day report (EC 11104) --------------------------------------------------

_SUBMITTED_SQL = """
WITH lines AS (
    SELECT section_id, count(*) AS n FROM signatures WHERE NOT struck GROUP BY section_id)
SELECT coalesce(sum(coalesce(l.n, s.signature_lines))
                FILTER (WHERE s.date_filed BETWEEN ? AND ?), 0),
       coalesce(sum(coalesce(l.n, s.signature_lines)) FILTER (WHERE s.date_filed <= ?), 0)
FROM sections s LEFT JOIN lines l USING (section_id)
"""

# Determinations as they stood at the end of a day: decided by then, not yet superseded,
# of raw-count lines — `full_count_determinations` (migration 004) as of that day. An undo
# marker supersedes the decision it undoes and is itself never a decision.
_ASOF_SQL = """
SELECT count(*) FILTER (WHERE d.determination = 'valid'),
       count(*),
       count(*) FILTER (WHERE d.reason = 'WITHDRAWN')
FROM determinations d
WHERE d.decided_at < ? AND d.mode <> 'undone'
  AND d.line_id IN (SELECT line_id FROM signatures WHERE NOT struck)
  AND NOT EXISTS (SELECT 1 FROM determinations n
                  WHERE n.supersedes = d.determination_id AND n.decided_at < ?)
"""


def _asof(con: Any, day: date) -> tuple[int, int, int]:
    end = datetime.combine(day + timedelta(days=1), datetime.min.time())
    v, n, w = con.execute(_ASOF_SQL, [end, end]).fetchone()
    return int(v), int(n), int(w)


def county_report(con: Any, pack: RulePack, period_end: date, county: str | None = None,
                  period_start: date | None = None, kind: str = "periodic",
                  calendar: Any = None, generated_at: datetime | None = None) -> dict[str, Any]:
    """The county's report for the period ending `period_end` (EC 11104)."""
    p = con.execute("SELECT rules, jurisdiction, office, officer, office_kind, required, "
                    "counties FROM petition WHERE id = 1").fetchone()
    if p is None:
        raise StatewideError("the workspace has no petition row")
    every, every_cite = _cited(pack, "verification", "report_every_days")
    lag, lag_cite = _cited(pack, "verification", "report_lag_business_days")
    start = period_start or period_end - timedelta(days=every - 1)
    if start > period_end:
        raise StatewideError(f"the period starts ({start}) after it ends ({period_end})")
    sub_period, sub_total = con.execute(_SUBMITTED_SQL, [start, period_end, period_end]
                                        ).fetchone()
    valid_end, examined_end, withdrawn_end = _asof(con, period_end)
    valid_before, _, _ = _asof(con, start - timedelta(days=1))
    withdrawal_requests = con.execute(
        "SELECT count(*) FROM withdrawals WHERE date_received <= ?", [period_end]).fetchone()[0]
    cal = calendar or business_calendar(pack)
    due = cal.add_business_days(period_end, lag)
    wait_pct = pack.verification.get("may_wait_until_percent")
    seq, head = audit_head(con)
    inputs = [{"kind": r[0], "file_name": r[1], "sha256": r[2]} for r in con.execute(
        "SELECT kind, file_name, file_sha256 FROM imports ORDER BY import_id").fetchall()]
    county_name = county or (p[6][0] if p[6] else p[1])
    report: dict[str, Any] = {
        "kind": REPORT_KIND,
        "report_type": kind,
        "county": county_name,
        "rules": p[0], "officer": p[3], "office": p[2], "office_kind": p[4],
        "required_statewide": int(p[5]),
        "period_start": start.isoformat(),
        "period_end": period_end.isoformat(),
        "due_by": due.isoformat(),
        "submitted_in_period": int(sub_period),
        "submitted_cumulative": int(sub_total),
        "valid_in_period": valid_end - valid_before,
        "valid_cumulative": valid_end,
        "examined_cumulative": examined_end,
        "unverified_cumulative": max(0, int(sub_total) - examined_end),
        "withdrawal_requests_received": int(withdrawal_requests),
        "signatures_withdrawn": withdrawn_end,
        "rules_applied": [
            {"rule": f"reports every {every} days", "cite": every_cite},
            {"rule": f"report due {lag} business days after the period ends", "cite": lag_cite},
            {"rule": "valid counts are determinations as they stood at the end of each day; "
                     "a correction moves a line between periods, never counts it twice",
             "cite": every_cite},
        ],
        "inputs": inputs,
        "audit_log_head": {"seq": seq, "sha256": head},
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(timespec="seconds"),
    }
    if wait_pct is not None:
        threshold = int(p[5]) * wait_pct.value / 100
        report["rules_applied"].append({
            "rule": f"counties may wait to verify until submissions reach {wait_pct.value}% of "
                    f"the requirement ({threshold:,.0f}); reached: "
                    f"{'yes' if sub_total >= threshold else 'no'}",
            "cite": wait_pct.cite})
    return report


def report_digest(report: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(report, sort_keys=True).encode("utf-8")).hexdigest()


# -- aggregation -------------------------------------------------------------------------

def county_key(name: str) -> str:
    """'Los Angeles County', 'los angeles' and ' LOS ANGELES ' are the same county."""
    key = " ".join(name.strip().casefold().split())
    return key[: -len(" county")] if key.endswith(" county") else key


def read_county_votes(path: Path) -> dict[str, int]:
    """county_votes.csv: `county, votes` (data-formats spec); problems name row and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise StatewideError(f"{path}: cannot read: {exc.strerror}") from exc
    rows = list(csv.DictReader(text.splitlines()))
    problems, out = [], {}
    fields = {f.strip().casefold(): f for f in (rows[0].keys() if rows else [])}
    if "county" not in fields or "votes" not in fields:
        raise StatewideError(f"{path}: needs the columns county, votes; found "
                             f"{', '.join(fields) or 'none'}")
    for i, r in enumerate(rows, start=2):
        name = (r[fields["county"]] or "").strip()
        raw = (r[fields["votes"]] or "").strip().replace(",", "")
        if not name:
            problems.append(f"row {i}, column county: empty")
        elif not raw.isdigit():
            problems.append(f"row {i}, column votes: {raw!r} is not a whole number")
        elif county_key(name) in {county_key(k) for k in out}:
            problems.append(f"row {i}, column county: {name} appears twice")
        else:
            out[name] = int(raw)
    if problems:
        raise StatewideError(f"{path}: " + "; ".join(problems))
    return out


def read_county_report(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StatewideError(f"{path}: cannot read: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise StatewideError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(doc, dict) or doc.get("kind") != REPORT_KIND:
        raise StatewideError(f"{path}: not a recallkit county report")
    missing = [k for k in REPORT_KEYS if k not in doc]
    if missing:
        raise StatewideError(f"{path}: missing {', '.join(missing)}")
    for k in ("submitted_cumulative", "valid_cumulative"):
        if not isinstance(doc[k], int) or doc[k] < 0:
            raise StatewideError(f"{path}: {k} should be a whole number ≥ 0")
    if doc["valid_cumulative"] > doc["submitted_cumulative"]:
        raise StatewideError(f"{path}: more valid ({doc['valid_cumulative']:,}) than "
                             f"submitted ({doc['submitted_cumulative']:,})")
    try:
        date.fromisoformat(doc["period_end"])
    except (TypeError, ValueError) as exc:
        raise StatewideError(f"{path}: period_end {doc['period_end']!r} is not a date") from exc
    return {**doc, "_source": str(path), "_sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def latest_per_county(reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The newest report of each county (by period end, then time generated)."""
    out: dict[str, dict[str, Any]] = {}
    for r in reports:
        k = county_key(r["county"])
        cur = out.get(k)
        if cur is None or (r["period_end"], r.get("generated_at", "")) > (
                cur["period_end"], cur.get("generated_at", "")):
            out[k] = r
    return out


@dataclass(frozen=True)
class WithdrawalPeriod:
    """EC 11108: notice to counties, the 30-business-day window, the counties' reports."""

    sufficient_on: date
    notice_by: date
    notified: date
    notified_assumed: bool
    window_ends: date
    county_reports_due: date
    steps: tuple[dict[str, str], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "sufficient_on": self.sufficient_on.isoformat(),
            "notice_by": self.notice_by.isoformat(),
            "notified": self.notified.isoformat(),
            "notified_assumed": self.notified_assumed,
            "window_ends": self.window_ends.isoformat(),
            "county_reports_due": self.county_reports_due.isoformat(),
            "steps": list(self.steps),
        }


def withdrawal_period(pack: RulePack, sufficient_on: date, notified: date | None = None,
                      calendar: Any = None) -> WithdrawalPeriod:
    """The withdrawal window after sufficiency (EC 11108), each date with its rule."""
    cal = calendar or business_calendar(pack)
    notice_days, notice_cite = _cited(pack, "withdrawal", "sos_notice_days")
    window, window_cite = _cited(pack, "withdrawal", "window_business_days")
    report_days, report_cite = _cited(pack, "withdrawal", "county_report_business_days")
    notice_by = sufficient_on + timedelta(days=notice_days)
    start = notified or notice_by
    ends = cal.add_business_days(start, window)
    due = cal.add_business_days(ends, report_days)
    steps = (
        {"name": "notice_by", "date": notice_by.isoformat(),
         "rule": f"Secretary of State notifies the counties within {notice_days} days of "
                 "sufficiency", "cite": notice_cite},
        {"name": "window_ends", "date": ends.isoformat(),
         "rule": f"{window} business days from the notice"
                 + (" (notice date assumed to be the latest allowed)" if notified is None
                    else ""), "cite": window_cite},
        {"name": "county_reports_due", "date": due.isoformat(),
         "rule": f"counties report withdrawals within {report_days} business days after the "
                 "window", "cite": report_cite},
    )
    return WithdrawalPeriod(sufficient_on, notice_by, start, notified is None, ends, due, steps)


@dataclass(frozen=True)
class StatewideResult:
    required: int
    valid: int
    submitted: int
    counties: tuple[dict[str, Any], ...]
    county_rule: dict[str, Any] | None
    outcome: str  # sufficient | not_sufficient
    reasons: tuple[str, ...]
    reports: tuple[dict[str, str], ...]
    withdrawal: dict[str, Any] | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome, "reasons": list(self.reasons),
            "required": self.required, "valid_statewide": self.valid,
            "submitted_statewide": self.submitted,
            "shortfall": max(0, self.required - self.valid),
            "county_rule": self.county_rule, "counties": list(self.counties),
            "reports": list(self.reports), "withdrawal": self.withdrawal,
            "warnings": list(self.warnings),
        }


def aggregate(reports: list[dict[str, Any]], county_votes: dict[str, int], pack: RulePack,
              required: int, office_kind: str | None = None,
              sufficient_on: date | None = None, notified: date | None = None,
              as_of: date | None = None, calendar: Any = None) -> StatewideResult:
    """Merge the latest county reports and apply the requirement and the county rule."""
    if required <= 0:
        raise StatewideError("the requirement must be a positive number (--required N)")
    latest = latest_per_county(reports)
    votes = {county_key(k): (k, v) for k, v in county_votes.items()}
    warnings = []
    for k, r in latest.items():
        if k not in votes:
            warnings.append(f"{r['county']} reported but is not in the county votes file")
        if r.get("rules") and r["rules"] != pack.id:
            warnings.append(f"{r['county']}'s report was made under {r['rules']}, not {pack.id}")
    minimums = county_minimums(pack, {name: v for name, v in county_votes.items()}, office_kind)
    rule = pack.county_rule if minimums else None
    window = withdrawal_period(pack, sufficient_on, notified, calendar) if sufficient_on \
        else None
    rows = []
    for k in sorted(set(votes) | set(latest)):
        r = latest.get(k)
        name, v = votes[k] if k in votes else (r["county"] if r else k, None)
        valid = int(r["valid_cumulative"]) if r else 0
        fig = minimums.get(name)
        row: dict[str, Any] = {
            "county": name, "votes": v, "minimum": fig.value if fig else None,
            "valid": valid, "submitted": int(r["submitted_cumulative"]) if r else 0,
            "meets_minimum": (valid >= fig.value) if fig else None,
            "latest_period_end": r["period_end"] if r else None,
            "report_sha256": r["_sha256"] if r else None,
            "status": "reported" if r else "no report",
        }
        if window is not None:
            row["withdrawal_report"] = _withdrawal_status(r, window, as_of)
        rows.append(row)
    valid_total = sum(int(r["valid_cumulative"]) for r in latest.values())
    submitted_total = sum(int(r["submitted_cumulative"]) for r in latest.values())
    short = "met" if valid_total >= required else f"short by {required - valid_total:,}"
    reasons = [f"{valid_total:,} valid statewide of {required:,} required ({short}) "
               f"({pack.threshold_cite})"]
    ok = valid_total >= required
    county_doc = None
    if rule is not None:
        meeting = sum(1 for r in rows if r["meets_minimum"])
        need = int(rule.min_counties.value)
        county_doc = {"percent": str(rule.percent.value), "min_counties": need,
                      "counties_meeting": meeting, "met": meeting >= need,
                      "cite": rule.min_counties.cite}
        reasons.append(f"{meeting} of {len(rows)} counties have at least {rule.percent.value}% of "
                       f"the last vote for the office; at least {need} are needed "
                       f"({'met' if meeting >= need else 'not met'}) ({rule.min_counties.cite})")
        ok = ok and meeting >= need
    wdoc = None
    if window is not None:
        wdoc = window.as_dict()
        pending = [r["county"] for r in rows if r["withdrawal_report"]["status"] != "received"]
        wdoc["counties_pending"] = pending
        wdoc["complete"] = not pending
        reasons.append("withdrawal period: " + (
            "every county has reported withdrawals; the counts above include them"
            if not pending else f"{len(pending)} county withdrawal report(s) outstanding; "
            "the outcome may still change"))
    return StatewideResult(
        required, valid_total, submitted_total, tuple(rows), county_doc,
        "sufficient" if ok else "not_sufficient", tuple(reasons),
        tuple({"county": r["county"], "file": r["_source"], "sha256": r["_sha256"],
               "period_end": r["period_end"]} for r in latest.values()),
        wdoc, tuple(warnings),
    )


def _withdrawal_status(r: dict[str, Any] | None, w: WithdrawalPeriod, as_of: date | None
                       ) -> dict[str, Any]:
    if r is not None and (r.get("report_type") == "withdrawal"
                          or date.fromisoformat(r["period_end"]) >= w.window_ends):
        return {"status": "received", "period_end": r["period_end"],
                "signatures_withdrawn": r.get("signatures_withdrawn")}
    today = as_of or date.today()
    status = "overdue" if today > w.county_reports_due else "due"
    return {"status": status, "due_by": w.county_reports_due.isoformat()}
