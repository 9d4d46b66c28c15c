"""`recallkit review WS --reviewer NAME`: a keyboard-first queue for small offices, and
`recallkit review import WS FILE` for bulk decisions."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import click
import typer
from rich.table import Table

from recallkit.cli.common import console, fail, print_json


def _open(ws: Path) -> Any:
    from recallkit.workspace.db import WorkspaceError, is_served, open_workspace

    if is_served(ws):  # the web server is the single writer while it serves
        fail(f"{ws} is being served by `recallkit serve` (found {ws / '.serving'}); make "
             "changes through the web app, or stop the server first")
    try:
        return open_workspace(ws)
    except WorkspaceError as exc:
        fail(str(exc))


def _show(item: Any) -> None:
    t = item.transcription
    console.rule(f"line {item.line_id}  (engine: {item.engine_hint or '-'})")
    if item.doubt_text:
        console.print(f"[italic]asked because {item.doubt_text}[/]")
    console.print(f"[bold]{t.get('printed_name') or '(no name)'}[/]  "
                  f"{t.get('residence_address') or '(no address)'}, {t.get('city') or ''} "
                  f"{t.get('zip') or ''}   signed: {t.get('has_signature')}")
    if t.get("signature_image"):
        console.print(f"signature: {t['signature_image']}")
    table = Table("#", "voter", "name", "address", "status", "score", "why")
    for c in item.candidates:
        v = c.voter
        name = " ".join(x for x in (v.get("first_name"), v.get("middle_name"),
                                    v.get("last_name")) if x)
        comp = c.components
        why = " ".join(f"{k}={comp.get(k)}" for k in ("first", "last", "house", "street",
                                                      "loc") if k in comp)
        if comp.get("excluded"):
            why += f" [red]{comp['excluded']}[/]"
        table.add_row(str(c.rank), c.voter_id, name,
                      f"{v.get('residence_address')}, {v.get('city')} {v.get('zip')}",
                      str(v.get("status")), f"{c.score:.1f}", why)
    console.print(table)


def review_cmd(
    first: str = typer.Argument(..., help="WS, or 'import' followed by WS FILE."),
    second: Path | None = typer.Argument(None, help="(import) the workspace."),
    third: Path | None = typer.Argument(None, help="(import) CSV: line_id,determination,"
                                                  "reason,voter_id,note"),
    reviewer: str | None = typer.Option(None, "--reviewer", help="Your name."),
    as_json: bool = typer.Option(False, "--json", help="(import) the report as JSON."),
) -> None:
    """Work the review queue: `recallkit review WS --reviewer NAME` (one keystroke per
    decision, u = undo, q = quit) or `recallkit review import WS FILE` (bulk decisions)."""
    if first == "import":
        if second is None or third is None:
            fail("usage: recallkit review import WS FILE")
        _import(second, third, reviewer, as_json)
        return
    _queue(Path(first), reviewer)


def _queue(ws: Path, reviewer: str | None) -> None:
    from recallkit.verification import review

    who = reviewer or getpass.getuser()
    w = _open(ws)
    legend = "  ".join(f"{k}={r or d}" for k, (d, r) in review.KEYS.items())
    try:
        while True:
            item = review.lease_next(w, who)
            if item is None:
                console.print("The queue is empty.")
                break
            _show(item)
            console.print(f"[dim]{legend}  u=undo  q=quit[/]")
            key = click.getchar().lower()
            if key == "q":
                review.release(w, who)
                break
            if key == "u":
                review.release(w, who)
                back = review.undo(w, who)
                console.print(f"undone: {back}" if back else "nothing to undo")
                continue
            if key not in review.KEYS:
                console.print(f"[yellow]{key!r} is not a decision key[/]")
                continue
            det, reason = review.KEYS[key]
            note = typer.prompt("note") if reason == "OTHER" else ""
            top = item.candidates[0].voter_id if item.candidates else None
            review.decide(w, item.line_id, who, det, reason,
                          voter_id=None if reason == "NOT_REGISTERED" else top, note=note)
        console.print(review.queue_stats(w))
    finally:
        w.close()


def _import(ws: Path, file: Path, actor: str | None, as_json: bool) -> None:
    from recallkit.verification import review

    if not file.exists():
        fail(f"{file} does not exist")
    w = _open(ws)
    try:
        rep = review.import_decisions(w, file, actor or getpass.getuser())
    except review.ReviewError as exc:
        fail(str(exc))
    finally:
        w.close()
    if as_json:
        print_json(rep)
    else:
        console.print(f"{rep.read} rows read, {rep.applied} applied, {rep.rejected} rejected")
    if rep.problems:
        for p in rep.problems:
            console.print(f"[red]{p}[/]")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("review")(review_cmd)
