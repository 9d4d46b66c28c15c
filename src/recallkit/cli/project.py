"""`recallkit project`: the statutory projection from a sample, step by step."""

from __future__ import annotations

from pathlib import Path

import typer

from recallkit.cli.common import console, fail, print_json, steps_table, warn
from recallkit.confidence import ConfidenceInputError
from recallkit.projection import VARIANTS, Projection, ProjectionInputError, project
from recallkit.rules import RulePackError, load_pack

OUTCOME_WORDS = {
    "sufficient": "[bold green]SUFFICIENT[/]",
    "full_count": "[bold yellow]FULL COUNT — examine every signature[/]",
    "insufficient": "[bold red]INSUFFICIENT[/]",
}


def project_cmd(
    ws: Path | None = typer.Argument(None, help="A workspace (reads its sample results)."),
    rules: str | None = typer.Option(None, "--rules", help="Rule pack id or TOML file."),
    raw: int | None = typer.Option(None, "--raw", help="R: raw count of signatures."),
    sample: int | None = typer.Option(None, "--sample", help="S: signatures in the sample."),
    valid: int | None = typer.Option(
        None, "--valid", help="V: valid in the sample (withdrawn ones excluded)."
    ),
    duplicates: int = typer.Option(0, "--duplicates", help="D: duplicates found in the sample."),
    required: int | None = typer.Option(None, "--required", help="Valid signatures required."),
    withdrawn: int = typer.Option(
        0, "--withdrawn", help="Withdrawn signatures in the sample (already not in V)."
    ),
    variant: str | None = typer.Option(
        None, "--variant", help=f"{' | '.join(VARIANTS)} (default: the rule pack's)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Project valid signatures (2 CCR 20530-20532) and place them in the statutory bands."""
    if variant is not None and variant not in VARIANTS:
        fail(f"unknown projection variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    if ws is not None:
        from recallkit.verification.stages import project_workspace

        try:
            result = project_workspace(ws, variant=variant)
        except ValueError as exc:
            fail(str(exc))
    else:
        missing = [
            name for name, value in (
                ("--rules", rules), ("--raw", raw), ("--sample", sample),
                ("--valid", valid), ("--required", required),
            ) if value is None
        ]
        if missing:
            fail(f"missing {', '.join(missing)} (or give a workspace as the first argument)")
        assert rules is not None and raw is not None and sample is not None
        assert valid is not None and required is not None
        try:
            pack = load_pack(rules)
            result = project(raw, sample, valid, duplicates, required, pack, variant, withdrawn)
        except (RulePackError, ProjectionInputError, ConfidenceInputError) as exc:
            fail(str(exc))
    if as_json:
        print_json(result)
        return
    if isinstance(result, Projection):
        show_projection(result)
    else:
        console.print(result)


def show_projection(result: Projection) -> None:
    """Human output: every step with its citation, the outcome, the band edges, confidence."""
    for w in result.warnings:
        warn(w)
    title = "Projection (2 CCR 20530-20532)"
    if result.variant != "regulation":
        title = f"Projection — NON-CONFORMING '{result.variant}' variant"
    table = steps_table(title, result.steps)
    console.print(table)
    for note in result.notes:
        console.print(f"Note: {note}")
    console.print(
        f"Projected valid: [bold]{result.projected_valid:,}[/] "
        f"({result.percent_of_required}% of required) → {OUTCOME_WORDS[result.outcome]}"
    )
    edges = result.band_edges_in_sample
    sample = result.inputs["sample"]
    suff = edges["min_valid_for_sufficient"]
    insuff = edges["max_valid_for_insufficient"]
    console.print(
        f"In this sample of {sample:,}: "
        + (f"{suff:,} or more valid → sufficient" if suff is not None
           else "no number of valid signatures would be sufficient")
        + "; "
        + (f"{insuff:,} or fewer valid → insufficient" if insuff is not None
           else "no number of valid signatures would be insufficient")
        + " (same duplicates)."
    )
    if result.confidence is not None:
        console.print(result.confidence.sentence, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("project")(project_cmd)
