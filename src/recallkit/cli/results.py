"""`recallkit certify` and `recallkit report`: the results of a verified petition."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from recallkit.cli.common import console, fail, print_json


def _open(ws: Path, read_only: bool = False):  # noqa: ANN202 - Workspace type from workspace
    from recallkit.workspace.db import WorkspaceError, is_served, open_workspace

    if not read_only and is_served(ws):  # the web server is the single writer
        fail(f"{ws} is being served by `recallkit serve` (found {ws / '.serving'}); make "
             "changes through the web app, or stop the server first")
    try:
        return open_workspace(ws, read_only=read_only)
    except WorkspaceError as exc:
        fail(str(exc))


def certify_cmd(
    ws: Path = typer.Argument(..., help="The petition's workspace directory."),
    actor: str = typer.Option(..., "--actor", help="Supervisor who certifies (audit log)."),
    official: str = typer.Option("", "--official", help="Name printed on the signature line."),
    title: str = typer.Option("Elections Official", "--title",
                              help="Title of the elections official, e.g. Registrar of Voters."),
    on: str = typer.Option("", "--date", help="Date of the certificate (ISO; default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Certify the petition sufficient or insufficient, write the certificate (HTML, PDF,
    JSON) and lock the workspace."""
    from recallkit.reports.certificate import CertificationError
    from recallkit.reports.certify import certify

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        fail(f"--date {on!r} is not an ISO date (YYYY-MM-DD)")
    w = _open(ws)
    try:
        result = certify(w, actor, official=official, official_title=title, on=day)
    except (CertificationError, RuntimeError) as exc:
        fail(str(exc))
    finally:
        w.close()
    if as_json:
        print_json(result.as_dict())
        return
    c = result.certificate
    console.print(f"[bold]{c.title}[/]")
    console.print(c.finding, highlight=False)
    for kind, path in result.files.items():
        console.print(f"  {kind:<5} {path}  sha256 {result.hashes[kind][:16]}…", highlight=False)
    console.print(f"The workspace is now certified and locked (audit entry #{result.audit_seq}).")


def report_cmd(
    ws: Path = typer.Argument(..., help="The petition's workspace directory."),
    out: Path = typer.Option(..., "--out", help="Folder for the report set (new or empty)."),
    audience: str = typer.Option(
        "official", "--audience",
        help="official (everything; determinations with voter ids are confidential), "
             "observer (no voter ids or names), public (aggregates only)."),
    with_charts: bool = typer.Option(True, "--charts/--no-charts",
                                     help="Draw the charts (PNG + SVG)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Write the report set: summary, invalid by reason, per section and circulator,
    determinations, anomaly flags, charts, and a manifest of SHA-256 hashes."""
    from recallkit.reports.reportset import write_report_set

    w = _open(ws, read_only=True)
    try:
        result = write_report_set(w, out, audience, with_charts=with_charts)
    except ValueError as exc:
        fail(str(exc))
    finally:
        w.close()
    if as_json:
        print_json(result.as_dict())
        return
    s = result.summary
    console.print(f"Report set ({audience}) written to {result.out_dir}: "
                  f"{len(result.files)} files + manifest.json", highlight=False)
    line = (f"method {s['method']}, raw count {s['raw_count']:,}, examined {s['examined']:,}, "
            f"valid {s['valid']:,}")
    if "projected_valid" in s:
        line += f", projected {s['projected_valid']:,} ({s['percent_of_required']}%)"
    if "outcome" in s:
        line += f" → {s['outcome']}"
    console.print(line, highlight=False)
    if s["anomalies_flagged"] or s["same_hand_patterns"]:
        console.print(f"{s['anomalies_flagged']} anomaly flag(s), {s['same_hand_patterns']} "
                      "same-hand pattern(s): leads for investigators, see anomalies.json",
                      highlight=False)
    if audience == "official":
        console.print("determinations_confidential.* hold voter ids and names: officials only "
                      "(Gov. Code §7924.110).", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("certify")(certify_cmd)
    app.command("report")(report_cmd)
