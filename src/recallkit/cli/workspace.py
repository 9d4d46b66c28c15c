"""`recallkit init | <kind> import | raw-count | audit | export | status | reopen`.

Thin commands over recallkit.workspace. Writes are refused while the web server serves
the workspace (it writes WS/.serving and is then the single writer).
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from recallkit.cli.common import console, fail, print_json, warn
from recallkit.rules import RulePackError
from recallkit.workspace import (
    EXPORTABLE,
    Workspace,
    WorkspaceError,
    create_workspace,
    export_table,
    is_served,
    open_workspace,
    raw_count,
    reopen,
    run_import,
    status,
    verify_audit,
)
from recallkit.workspace.audit import read_entries
from recallkit.workspace.profiles import ProfileError

IMPORT_KINDS = {
    "voters": "voters",
    "sections": "sections",
    "signatures": "signatures",
    "withdrawals": "withdrawals",
    "voter-history": "voter_history",
    "county-votes": "county_votes",
    "signature-images": "signature_images",
}
WS_ARG = typer.Argument(..., help="Workspace directory.")


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _date(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{flag} must be a date like 2024-03-15 (got {text!r})")


def _open(ws: Path, write: bool) -> Workspace:
    if write and is_served(ws):
        fail(f"{ws} is being served by `recallkit serve` (found {ws / '.serving'}); make "
             "changes through the web app, or stop the server first")
    try:
        return open_workspace(ws, read_only=not write)
    except WorkspaceError as exc:
        fail(str(exc))


def init_cmd(
    ws: Path = WS_ARG,
    rules: str = typer.Option(..., "--rules", help="Rule pack id (ca-local, ca-state) or path."),
    jurisdiction: str = typer.Option(..., "--jurisdiction"),
    office: str = typer.Option(..., "--office"),
    officer: str = typer.Option(..., "--officer"),
    registered_voters: int = typer.Option(None, "--registered-voters",
                                          help="Registered voters (local recalls)."),
    last_vote: int = typer.Option(None, "--last-vote-for-office",
                                  help="Votes cast for the office last time (state recalls)."),
    office_kind: str = typer.Option(None, "--office-kind",
                                    help="ca-state: statewide|legislative|judicial."),
    format_approved: str = typer.Option(..., "--format-approved", help="YYYY-MM-DD"),
    county: list[str] = typer.Option([], "--county", help="County covered (repeatable)."),
    filed: str = typer.Option(None, "--filed", help="Date the sections were filed."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create a petition workspace and compute its requirement and deadlines."""
    measure = registered_voters if registered_voters is not None else last_vote
    if measure is None:
        fail("give --registered-voters N (local) or --last-vote-for-office N (state)")
    approved = _date(format_approved, "--format-approved")
    try:
        w = create_workspace(ws, rules=rules, jurisdiction=jurisdiction, office=office,
                             officer=officer, measure=measure, format_approved=approved,
                             counties=county or [jurisdiction], office_kind=office_kind,
                             filed=_date(filed, "--filed"), actor=actor())
    except (WorkspaceError, RulePackError, ValueError) as exc:
        fail(str(exc))
    with w:
        p = w.petition
        if as_json:
            print_json(status(w))
            return
        console.print(f"Created workspace [bold]{ws}[/] for the recall of {p.officer} "
                      f"({p.office}, {p.jurisdiction}).")
        console.print(f"Required valid signatures: [bold]{p.required:,}[/]; circulation "
                      f"deadline {p.circulation_deadline:%Y-%m-%d}.")


def _import_cmd(kind: str):  # noqa: ANN202 - a Typer command factory
    def cmd(
        ws: Path = WS_ARG,
        file: Path = typer.Argument(..., help="The file to import."),
        profile: str = typer.Option("canonical", "--profile",
                                    help="Built-in profile name or path to a .toml profile."),
        replace: bool = typer.Option(False, "--replace",
                                     help="Replace what this kind already holds (audited)."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        w = _open(ws, write=True)
        with w:
            try:
                r = run_import(w, kind, file, profile=profile, actor=actor(), replace=replace)
            except (WorkspaceError, ProfileError) as exc:
                fail(str(exc))
        for message in r.warnings:
            warn(message)
        if as_json:
            print_json({"read": r.read, "accepted": r.accepted, "rejected": r.rejected,
                        "rejects_file": str(r.rejects_file) if r.rejects_file else None,
                        "warnings": list(r.warnings), "import_id": r.import_id,
                        "sha256": r.sha256})
            return
        console.print(f"{file.name}: read {r.read:,}, accepted {r.accepted:,}, "
                      f"rejected {r.rejected:,}.")
        if r.rejects_file:
            console.print(f"Rejected rows and reasons: {r.rejects_file}")

    cmd.__doc__ = f"Import a {kind.replace('_', ' ')} file (every row accepted or rejected)."
    return cmd


def raw_count_cmd(ws: Path = WS_ARG, as_json: bool = typer.Option(False, "--json")) -> None:
    """The raw count (lines not struck), per section and county, against the requirement."""
    with _open(ws, write=False) as w:
        rc = raw_count(w)
    if as_json:
        print_json(rc)
        return
    console.print(f"Raw count: [bold]{rc.total:,}[/] (from {rc.source}); required "
                  f"{rc.required:,}.")
    t = Table("county", "lines")
    for c, n in rc.by_county.items():
        t.add_row(c, f"{n:,}")
    console.print(t)
    console.print(f"Gate: [bold]{rc.gate}[/] — {rc.reason} ({rc.cite}).")


def audit_verify_cmd(ws: Path = WS_ARG, as_json: bool = typer.Option(False, "--json")) -> None:
    """Recompute the audit log's hash chain; exit 1 naming the first broken entry."""
    with _open(ws, write=False) as w:
        check = verify_audit(w)
    if as_json:
        print_json(check)
    elif check.ok:
        console.print(check.message)
    if not check.ok:
        fail(check.message, code=1)


def audit_show_cmd(ws: Path = WS_ARG, as_json: bool = typer.Option(False, "--json")) -> None:
    """List the audit log."""
    with _open(ws, write=False) as w:
        entries = read_entries(w.con)
    if as_json:
        print_json([e.as_dict() for e in entries])
        return
    t = Table("seq", "at (UTC)", "actor", "action", "params", "hash")
    for e in entries:
        params = ", ".join(f"{k}={v}" for k, v in e.params.items() if v not in (None, ""))
        t.add_row(str(e.seq), f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.action, params[:80],
                  e.hash[:12])
    console.print(t)


def export_cmd(
    ws: Path = WS_ARG,
    table: str = typer.Argument(..., help=f"One of: {', '.join(EXPORTABLE)}."),
    fmt: str = typer.Option("csv", "--format", help="csv, json or parquet."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Export a table for auditors (rows in a stable order)."""
    writable = not is_served(ws)
    with _open(ws, write=writable) as w:
        try:
            path = export_table(w, table, fmt, out, actor=actor() if writable else None)
        except WorkspaceError as exc:
            fail(str(exc))
    if as_json:
        print_json({"table": table, "format": fmt, "out": str(path)})
    else:
        console.print(f"Wrote {table} to {path}.")


def status_cmd(ws: Path = WS_ARG, as_json: bool = typer.Option(False, "--json")) -> None:
    """What is loaded, counts, stage and the next deadline."""
    with _open(ws, write=False) as w:
        s = status(w)
    if as_json:
        print_json(s)
        return
    console.print(f"[bold]{s['jurisdiction']}[/] — recall of {s['officer']} ({s['office']}), "
                  f"rules {s['rules']}, stage [bold]{s['stage']}[/].")
    console.print(f"Required: {s['required']:,}; circulation deadline "
                  f"{s['circulation_deadline']}.")
    if s["next_deadline"]:
        n = s["next_deadline"]
        console.print(f"Next deadline: {n['name']} on {n['date']} ({n['days_left']} days).")
    t = Table("table", "rows")
    for k, v in s["counts"].items():
        t.add_row(k, f"{v:,}")
    console.print(t)


def reopen_cmd(ws: Path = WS_ARG,
               reason: str = typer.Option(..., "--reason", help="Why (goes in the audit log)."),
               who: str = typer.Option(None, "--actor",
                                       help="Supervisor who reopens (required when the "
                                            "workspace has web accounts)."),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """Supervisor: return a sampled/verifying workspace to intake so inputs can change."""
    with _open(ws, write=True) as w:
        before = w.stage
        try:
            reopen(w, who or actor(), reason)
        except WorkspaceError as exc:
            fail(str(exc))
    if as_json:
        print_json({"from": before, "to": "intake", "reason": reason})
    else:
        console.print(f"Reopened {ws} (was {before}); recorded in the audit log.")


def register(app: typer.Typer) -> None:
    app.command("init")(init_cmd)
    for name, kind in IMPORT_KINDS.items():
        group = typer.Typer(help=f"{name.replace('-', ' ').capitalize()} files.",
                            no_args_is_help=True)
        group.command("import")(_import_cmd(kind))
        app.add_typer(group, name=name)
    app.command("raw-count")(raw_count_cmd)
    audit = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
    audit.command("verify")(audit_verify_cmd)
    audit.command("show")(audit_show_cmd)
    app.add_typer(audit, name="audit")
    app.command("export")(export_cmd)
    app.command("status")(status_cmd)
    app.command("reopen")(reopen_cmd)
