"""`recallkit state report` and `recallkit state aggregate`: state recalls (EC 11104, 11108)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from recallkit.cli.common import console, fail, print_json, warn

state_app = typer.Typer(help="State recalls: county 30-day reports and the statewide count.",
                        no_args_is_help=True)


def _date(value: str, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not an ISO date (YYYY-MM-DD)")


@state_app.command("report")
def report_cmd(
    ws: Path = typer.Argument(..., help="The county's workspace directory."),
    period_end: str = typer.Option(..., "--period-end", help="Last day of the period (ISO)."),
    period_start: str = typer.Option("", "--period-start",
                                     help="First day (default: 30 days ending --period-end)."),
    county: str = typer.Option("", "--county", help="County name (default: the workspace's)."),
    withdrawal: bool = typer.Option(False, "--withdrawal",
                                    help="This is the county's withdrawal report (EC 11108)."),
    out: Path = typer.Option(None, "--out", help="Folder (default: WS/reports)."),
    official: str = typer.Option("", "--official", help="Name on the signature line."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Write the county's periodic report (EC 11104) as JSON and printable HTML."""
    from recallkit.calendar import CalendarError
    from recallkit.reports.render import render
    from recallkit.reports.statewide import StatewideError, county_report, report_digest
    from recallkit.workspace.db import WorkspaceError, open_workspace

    end = _date(period_end, "--period-end")
    start = _date(period_start, "--period-start")
    try:
        w = open_workspace(ws)
    except WorkspaceError as exc:
        fail(str(exc))
    try:
        if w.pack.level != "state" or w.pack.kind != "recall":
            fail(f"{w.pack.id} is not a state recall; county 30-day reports are for ca-state "
                 "petitions (EC 11104)")
        rep = county_report(w.con, w.pack, end, county or None, start,
                            "withdrawal" if withdrawal else "periodic")
        digest = report_digest(rep)
        folder = out or w.reports_dir
        folder.mkdir(parents=True, exist_ok=True)
        slug = "".join(ch if ch.isalnum() else "-" for ch in rep["county"].lower()).strip("-")
        stem = f"county-report-{slug}-{rep['period_end']}" + ("-withdrawal" if withdrawal else "")
        jpath, hpath = folder / f"{stem}.json", folder / f"{stem}.html"
        jpath.write_text(json.dumps(rep, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        hpath.write_text(render("county_report.html", r=rep, digest=digest, official=official,
                                official_title="Elections Official"), encoding="utf-8")
        from recallkit.reports.manifest import sha256_file

        w.audit("cli", "state.report", {"period_end": rep["period_end"],
                                        "report_type": rep["report_type"]},
                {jpath.name: sha256_file(jpath), hpath.name: sha256_file(hpath)})
    except (StatewideError, CalendarError, WorkspaceError) as exc:
        fail(str(exc))
    finally:
        w.close()
    if as_json:
        print_json({**rep, "files": {"json": str(jpath), "html": str(hpath)}})
        return
    console.print(f"{rep['county']}: period {rep['period_start']} – {rep['period_end']} "
                  f"(due {rep['due_by']})", highlight=False)
    console.print(f"  submitted {rep['submitted_in_period']:,} (total "
                  f"{rep['submitted_cumulative']:,}); valid {rep['valid_in_period']:,} (total "
                  f"{rep['valid_cumulative']:,})", highlight=False)
    console.print(f"  {jpath}\n  {hpath}", highlight=False)


@state_app.command("aggregate")
def aggregate_cmd(
    reports: list[Path] = typer.Argument(..., help="County report JSON files."),
    rules: str = typer.Option("ca-state", "--rules", help="Rule pack."),
    required: int = typer.Option(..., "--required", help="Valid signatures required statewide."),
    county_votes: Path = typer.Option(..., "--county-votes",
                                      help="CSV `county,votes`: last vote for the office."),
    office_kind: str = typer.Option("statewide", "--office-kind",
                                    help="statewide | legislative | judicial."),
    sufficient_on: str = typer.Option("", "--sufficient-on",
                                      help="Date sufficiency was found: track withdrawals."),
    notified: str = typer.Option("", "--notified",
                                 help="Date the Secretary of State notified the counties."),
    as_of: str = typer.Option("", "--as-of", help="Today, for overdue reports (ISO)."),
    out: Path = typer.Option(None, "--out", help="Also write statewide.json here (a folder)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Merge the latest report of each county; apply the requirement and the county rule."""
    from recallkit.calendar import CalendarError
    from recallkit.reports.statewide import (
        StatewideError,
        aggregate,
        read_county_report,
        read_county_votes,
    )
    from recallkit.rules import RulePackError, load_pack
    from recallkit.rules.thresholds import RuleInputError

    try:
        pack = load_pack(rules)
        votes = read_county_votes(county_votes)
        docs = [read_county_report(p) for p in reports]
        result = aggregate(docs, votes, pack, required, office_kind,
                           _date(sufficient_on, "--sufficient-on"), _date(notified, "--notified"),
                           _date(as_of, "--as-of"))
    except (RulePackError, StatewideError, RuleInputError, CalendarError) as exc:
        fail(str(exc))
    doc = result.as_dict()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "statewide.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    if as_json:
        print_json(doc)
        return
    for w in result.warnings:
        warn(w)
    from rich.table import Table

    t = Table(title=f"Statewide: {result.outcome.replace('_', ' ').upper()}")
    for col in ("county", "votes", "1% minimum", "valid", "meets", "latest period"):
        t.add_column(col, justify="left" if col in ("county", "latest period") else "right")
    for r in result.counties:
        t.add_row(r["county"], f"{r['votes']:,}" if r["votes"] is not None else "—",
                  f"{r['minimum']:,}" if r["minimum"] is not None else "—", f"{r['valid']:,}",
                  {True: "yes", False: "no", None: "—"}[r["meets_minimum"]],
                  r["latest_period_end"] or "no report")
    console.print(t)
    for reason in result.reasons:
        console.print("• " + reason, highlight=False)
    if result.withdrawal:
        wd = result.withdrawal
        console.print(f"Withdrawal window ends {wd['window_ends']}; county reports due "
                      f"{wd['county_reports_due']}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(state_app, name="state")
