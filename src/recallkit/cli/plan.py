"""`recallkit plan`: how many signatures, by when, and can the recall start."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from recallkit.cli.common import console, fail, print_json, warn
from recallkit.rules import RulePackError, load_pack
from recallkit.timeline import PlanInputError, RecallPlan, plan_recall


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date; write it as YYYY-MM-DD (e.g. 2021-05-20)")


def read_county_votes(path: Path) -> dict[str, int]:
    """A CSV of `county,votes` (header optional): the last vote for the office per county."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        fail(f"the county votes file {path} does not exist")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read the county votes file {path}: {exc}")
    votes: dict[str, int] = {}
    problems: list[str] = []
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) < 2:
            problems.append(f"{path}, row {number}: expected 'county,votes', found {row!r}")
            continue
        county, raw = row[0].strip(), row[1].strip().replace(",", "").replace("_", "")
        if number == 1 and not raw.lstrip("-").isdigit():
            continue  # a header row
        if not county:
            problems.append(f"{path}, row {number}, column county: empty")
        elif not raw.lstrip("-").isdigit() or int(raw) < 0:
            problems.append(f"{path}, row {number}, column votes: {row[1]!r} is not a "
                            "whole number ≥ 0")
        elif county in votes:
            problems.append(f"{path}, row {number}: county {county!r} appears twice")
        else:
            votes[county] = int(raw)
    if problems:
        fail("the county votes file has problems:\n  " + "\n  ".join(problems[:20]))
    if not votes:
        fail(f"the county votes file {path} has no rows")
    return votes


def plan_cmd(
    rules: str = typer.Option(..., "--rules", help="Rule pack: ca-local, ca-state, …"),
    registered_voters: int | None = typer.Option(
        None, "--registered-voters", help="Registered voters in the jurisdiction (local)."),
    last_vote: int | None = typer.Option(
        None, "--last-vote-for-office", help="Votes cast for the office at its last election "
        "(state)."),
    sworn_in: str | None = typer.Option(None, "--sworn-in", help="Date the officer took office."),
    noi_served: str | None = typer.Option(None, "--noi-served", help="Notice of intention "
                                          "served on."),
    noi_filed: str | None = typer.Option(None, "--noi-filed", help="Notice of intention "
                                         "filed on."),
    format_filed: str | None = typer.Option(None, "--format-filed", help="Blank petition "
                                            "filed for format review on."),
    format_approved: str | None = typer.Option(None, "--format-approved", help="Date the "
                                               "proponents were told the format is approved."),
    filed: str | None = typer.Option(None, "--filed", help="Date the petition was filed."),
    nomination: int | None = typer.Option(None, "--nomination-signatures", help="Signatures "
                                          "needed to nominate a candidate for the office."),
    office_kind: str | None = typer.Option(None, "--office-kind",
                                           help="statewide | legislative | judicial (state)."),
    county_votes: Path | None = typer.Option(None, "--county-votes", help="CSV county,votes "
                                             "(state: the 1%-in-5-counties rule)."),
    closures: str | None = typer.Option(None, "--closures", help="Office closure calendar "
                                        "(e.g. los-angeles) or a TOML file (EC 10104)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The signatures required, the circulation deadline and every statutory date."""
    try:
        pack = load_pack(rules)
    except RulePackError as exc:
        fail(str(exc))
    measure = _measure(pack.id, pack.measure, registered_voters, last_vote)
    votes = read_county_votes(county_votes) if county_votes else None
    try:
        plan = plan_recall(
            pack, measure,
            sworn_in=_date(sworn_in, "--sworn-in"),
            noi_served=_date(noi_served, "--noi-served"),
            noi_filed=_date(noi_filed, "--noi-filed"),
            format_filed=_date(format_filed, "--format-filed"),
            format_approved=_date(format_approved, "--format-approved"),
            petition_filed=_date(filed, "--filed"),
            nomination_signatures=nomination, office_kind=office_kind,
            county_votes=votes, closures=closures,
        )
    except PlanInputError as exc:
        fail(str(exc))
    for w in plan.warnings:
        warn(w)
    if as_json:
        print_json(plan.as_dict())
        return
    show_plan(plan)


def _measure(pack_id: str, measure: str, voters: int | None, last_vote: int | None) -> int:
    if measure == "registered_voters":
        if last_vote is not None:
            fail(f"{pack_id} counts from registered voters; use --registered-voters, "
                 "not --last-vote-for-office")
        if voters is None:
            fail(f"{pack_id} needs --registered-voters N")
        value = voters
    else:
        if voters is not None:
            fail(f"{pack_id} counts from the last vote for the office "
                 f"({measure.replace('_', ' ')}); use --last-vote-for-office N")
        if last_vote is None:
            fail(f"{pack_id} needs --last-vote-for-office N")
        value = last_vote
    if value < 0:
        fail(f"the count must not be negative (got {value:,})")
    return value


def show_plan(plan: RecallPlan) -> None:
    """The human view: targets first, then the timeline table."""
    console.print(f"[bold]{plan.title}[/] — {plan.measure_name.replace('_', ' ')} "
                  f"{plan.measure:,}" + (f", {plan.office_kind} office" if plan.office_kind
                                         else ""), highlight=False)
    t = Table(title="Targets", show_header=True)
    for col in ("item", "value", "why", "cite"):
        t.add_column(col, overflow="fold")
    for s in plan.steps:
        value = f"{s.value:,}" if isinstance(s.value, int) else str(s.value)
        t.add_row(s.name.replace("_", " "), value, escape(s.rule), escape(s.cite))
    console.print(t)
    if plan.county_minimums:
        c = Table(title="County minimums (1% of the last vote for the office)")
        c.add_column("county")
        c.add_column("minimum valid signatures", justify="right")
        for county, v in plan.county_minimums.items():
            c.add_row(county, f"{v:,}")
        console.print(c)
    tl = Table(title=f"Timeline (calendar: {plan.calendar})")
    for col in ("date", "step", "rule", "cite"):
        tl.add_column(col, overflow="fold")
    for d in plan.deadlines:
        when = d.date.isoformat() if d.date else "—"
        if d.date:
            when += f" {d.date:%a}"
        rule = escape(d.rule) + "".join(f"\n[yellow]⚑ {escape(f)}[/]" for f in d.flags)
        tl.add_row(when, escape(d.label or d.name), rule, escape(d.cite))
    console.print(tl)
    if plan.ballot:
        b = plan.ballot
        q = "recall question and successor candidates" if b["successor_question"] \
            else "recall question only"
        console.print(f"Ballot: {q} [dim]({escape(b['cite'])})[/]. {escape(b['note'])}",
                      highlight=False)
        if b.get("pending"):
            console.print(f"[yellow]Pending:[/] {escape(b['pending'])}", highlight=False)
    note = plan.verification.get("note")
    if note:
        console.print(f"Verification: {escape(note)}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_cmd)
