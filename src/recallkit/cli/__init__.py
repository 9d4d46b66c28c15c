"""The `recallkit` command line: thin commands over library calls.

Each command group lives in its own module with a `register(app)` function; this file
only assembles them. Human output goes to stdout, warnings and errors to stderr, and a
non-zero exit means the command did not do its job.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="recallkit",
    help="Verify recall petitions: plan, import, sample, match, project, certify.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules, in the order their commands appear in --help.
COMMAND_MODULES = (
    "rules",
    "plan",
    "sample",
    "project",
    "campaign",
    "workspace",
    "synth",
    "verify",
    "review",
    "results",
    "state",
    "web",
    "demo",
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"recallkit.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"recallkit.cli.{name}":
                continue  # that command group is not built yet
            raise
        module.register(app)


_register_all()


def main() -> None:
    app()
