"""What every command shares: JSON output, errors for people, rich console."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from recallkit.explain import Step, plain

console = Console()
err_console = Console(stderr=True)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(plain(obj), indent=2, ensure_ascii=False) + "\n")


def fail(message: str, code: int = 2) -> NoReturn:
    """Stop with a plain sentence on stderr (never a stack trace) and a non-zero exit."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {message}", highlight=False, soft_wrap=True)


def steps_table(title: str, steps: Iterable[Step]) -> Table:
    """The steps of a computation with the rule and citation of each, as printed everywhere."""
    table = Table(title=title)
    for col in ("step", "value", "rule", "cite"):
        table.add_column(col)
    for s in steps:
        value = f"{s.value:,}" if isinstance(s.value, int) else str(s.value)
        table.add_row(s.name, value, s.rule, s.cite)
    return table
