"""`recallkit verify WS --mode sample|full`: match and decide, queue the doubtful lines."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer
from rich.table import Table

from recallkit.cli.common import console, fail, print_json
from recallkit.workspace.db import is_served


def verify_cmd(
    ws: Path = typer.Argument(..., help="The petition workspace (a directory)."),
    mode: str = typer.Option("sample", "--mode", help="sample | full"),
    actor: str | None = typer.Option(None, "--actor", help="Who runs the verification."),
    signature_identity: bool = typer.Option(
        True, "--signature-identity/--no-signature-identity",
        help="Let a signature like the one on file settle an identity the names left "
             "open (default); with --no-signature-identity such lines go to a person."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Examine the sample (or every line): match to the voter file, apply the reasons,
    queue what a person must decide. Lines already examined are not redone."""
    from recallkit.verification.stages import verify

    if mode not in ("sample", "full"):
        fail(f"unknown mode {mode!r}; use --mode sample or --mode full")
    if is_served(ws):  # the web server is the single writer while it serves
        fail(f"{ws} is being served by `recallkit serve` (found {ws / '.serving'}); make "
             "changes through the web app, or stop the server first")
    try:
        result = verify(ws, mode, actor or getpass.getuser(),
                        signature_identity=signature_identity)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_json(result)
        return
    console.print(f"[bold]{mode} verification[/]: {result.examined:,} lines examined, "
                  f"{result.decided_automatically:,} decided automatically, "
                  f"{result.queued_for_review:,} queued for review.")
    table = Table("determination / reason", "lines")
    for reason, n in result.by_reason.items():
        table.add_row(reason, f"{n:,}")
    console.print(table)
    if result.queued_for_review:
        console.print(f"Next: [bold]recallkit review {ws} --reviewer NAME[/]")


def register(app: typer.Typer) -> None:
    app.command("verify")(verify_cmd)
