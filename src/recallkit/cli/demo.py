"""`recallkit demo`: a whole petition on a synthetic county, with progress on every step."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from recallkit.cli.common import console, print_json


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        out: Path = typer.Option(Path("demo-output"), help="Folder for every file the demo makes."),
        voters: int = typer.Option(200_000, min=1_000, help="Voters in the synthetic county."),
        signatures: int = typer.Option(25_000, min=600, help="Signature lines on the petition."),
        seed: int = typer.Option(2022, help="Generator seed (same seed, same files)."),
        json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Generate a synthetic county and petition, then verify it end to end."""
        from recallkit.demo import run_demo

        @contextmanager
        def step(label: str):
            with console.status(f"[bold]{label}…[/]", spinner="dots"):
                yield
            console.print(f"[green]✓[/] {label}")

        run = run_demo(out, voters=voters, signatures=signatures, seed=seed,
                       step=None if json_out else step)
        if json_out:
            print_json({"out": run.out, "stages": run.stages})
            return
        table = Table(title="recallkit demo — a whole petition", show_lines=False)
        table.add_column("stage")
        table.add_column("status")
        table.add_column("detail", overflow="fold")
        for s in run.stages:
            colour = {"done": "green", "refused": "yellow"}.get(s.status, "red")
            table.add_row(s.name, f"[{colour}]{s.status}[/]", escape(s.detail))
            if "accuracy" in s.data:
                acc = s.data["accuracy"]
                table.add_row("", "", ", ".join(f"{k}: {v}" for k, v in acc.items()))
        console.print(table)
        ws = run.out / "workspace"
        console.print("\n[bold]Where to look[/]")
        console.print(f"  files:       {run.out}/ (county/, petition/, workspace/, report/)")
        console.print(f"  status:      .venv/bin/recallkit status {ws}")
        console.print(f"  audit log:   .venv/bin/recallkit audit show {ws}")
        console.print(f"  web app:     .venv/bin/recallkit serve {ws}  → http://127.0.0.1:8000/")
        if any(s.status == "failed" for s in run.stages):
            raise typer.Exit(1)
