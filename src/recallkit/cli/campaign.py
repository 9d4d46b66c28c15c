"""`recallkit plan-campaign`: how many raw signatures to file, and the margin."""

from __future__ import annotations

import typer

from recallkit.cli.common import console, fail, print_json, steps_table
from recallkit.planner import CampaignPlan, PlanInputError, plan_campaign
from recallkit.rules import RulePackError, load_pack


def parse_rate(text: str, name: str) -> str:
    """'0.75' or '75%' → '0.75' (kept as text so it stays an exact decimal)."""
    value = text.strip()
    if value.endswith("%"):
        from decimal import Decimal, InvalidOperation

        try:
            return str(Decimal(value[:-1].strip()) / 100)
        except InvalidOperation:
            fail(f"{name} {text!r} is not a number; write e.g. 0.75 or 75%")
    return value


def plan_campaign_cmd(
    rules: str = typer.Option(..., "--rules", help="Rule pack id or TOML file."),
    required: int = typer.Option(..., "--required", help="Valid signatures required."),
    validity_rate: str = typer.Option(
        ..., "--validity-rate", help="Expected share of valid lines, e.g. 0.75 or 75%."
    ),
    duplicate_rate: str = typer.Option(
        "0", "--duplicate-rate", help="Expected share of lines repeating a signer."
    ),
    confidence: str = typer.Option("0.95", "--confidence", help="e.g. 0.95"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Raw signatures to file so the full count and the sample both clear, with confidence."""
    try:
        pack = load_pack(rules)
        plan = plan_campaign(
            pack,
            required,
            parse_rate(validity_rate, "--validity-rate"),
            parse_rate(duplicate_rate, "--duplicate-rate"),
            parse_rate(confidence, "--confidence"),
        )
    except (RulePackError, PlanInputError) as exc:
        fail(str(exc))
    if as_json:
        print_json(plan)
        return
    show_plan(plan)


def show_plan(plan: CampaignPlan) -> None:
    table = steps_table(f"Campaign plan — {plan.rules}", plan.steps)
    console.print(table)
    o = plan.odds
    console.print(
        f"File at least [bold]{plan.raw_to_file:,}[/] raw signatures: "
        f"{plan.margin:,} ({plan.margin_percent}%) above the {plan.required:,} required."
    )
    line = f"At that count: full count clears with probability {o.p_full_count_clears:.4f}"
    if o.p_sufficient is not None:
        line += (
            f"; the sample of {o.sample:,} is sufficient with probability {o.p_sufficient:.4f}, "
            f"needs a full count with {o.p_full_count:.4f}, "
            f"insufficient with {o.p_insufficient:.2e}"
        )
    console.print(line + ".", highlight=False)
    for a in plan.assumptions:
        console.print(f"• {a}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("plan-campaign")(plan_campaign_cmd)
