"""`recallkit rules list|show`: the rule packs and every number in them, with citations."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from recallkit.cli.common import console, fail, print_json
from recallkit.rules import RulePack, RulePackError, load_pack, pack_ids
from recallkit.rules.model import Band, Cited

rules_app = typer.Typer(help="List the rule packs and show their numbers with citations.",
                        no_args_is_help=True)


def list_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the shipped rule packs."""
    rows = []
    for pid in pack_ids():
        try:
            p = load_pack(pid)
        except RulePackError as exc:
            fail(str(exc))
        rows.append({"id": p.id, "title": p.title, "kind": p.kind, "level": p.level,
                     "measure": p.measure, "methods": list(p.methods)})
    if as_json:
        print_json(rows)
        return
    t = Table(title="Rule packs")
    for col in ("id", "title", "kind", "level", "counts from", "verification"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["id"], r["title"], r["kind"], r["level"], r["measure"].replace("_", " "),
                  ", ".join(r["methods"]))
    console.print(t)


def show_cmd(
    pack: str = typer.Argument(..., help="Pack id (e.g. ca-local) or path to a TOML file."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole pack as JSON."),
) -> None:
    """Show every number of a rule pack beside the section that sets it."""
    try:
        p = load_pack(pack)
    except RulePackError as exc:
        fail(str(exc))
    if as_json:
        print_json(p.as_dict())
        return
    console.print(f"[bold]{p.title}[/] ({p.id}, {p.source})")
    console.print(f"Counts from: {p.measure.replace('_', ' ')} — {escape(p.measure_note)} "
                  f"[dim]({p.measure_cite})[/]", highlight=False)
    console.print(_bands_table("Signatures required", p.threshold_bands, "percent", "%"))
    if p.county_rule is not None:
        r = p.county_rule
        console.print(f"County rule ({', '.join(r.office_kinds)}): at least {r.percent.value}% "
                      f"of the last vote for the office in each of at least "
                      f"{r.min_counties.value} counties [dim]({r.percent.cite})[/]",
                      highlight=False)
    console.print(_bands_table("Days to circulate", p.circulation_bands, "days", ""))
    if p.proponent_bands:
        console.print(_proponents_table(p))
    console.print(_cited_table(p))
    if p.ballot:
        t = Table(title="Ballot")
        for col in ("in force", "successor question", "note", "cite"):
            t.add_column(col, overflow="fold")
        for b in p.ballot:
            when = f"{b.valid_from or '…'} to {b.valid_to or 'now'}"
            note = escape(b.note) + (f" [yellow]Pending:[/] {escape(b.pending)}"
                                     if b.pending else "")
            t.add_row(when, "yes" if b.successor_question else "no", note, b.cite)
        console.print(t)


def _bands_table(title: str, bands: tuple[Band, ...], field: str, unit: str) -> Table:
    kinds = any(b.office_kind for b in bands)
    t = Table(title=title)
    if kinds:
        t.add_column("office kind")
    for col in ("from", "to", field, "cite"):
        t.add_column(col, justify="right" if col in ("from", "to") else "left")
    ordered = sorted(bands, key=lambda b: (b.office_kind or "", b.min_measure))
    for i, b in enumerate(ordered):
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        upper = (f"{nxt.min_measure - 1:,}" if nxt and nxt.office_kind == b.office_kind
                 else "and more")
        row = [f"{b.min_measure:,}", upper, f"{getattr(b, field)}{unit}", b.cite]
        t.add_row(*([b.office_kind or ""] if kinds else []), *row)
    return t


def _proponents_table(p: RulePack) -> Table:
    t = Table(title=f"Proponents on the notice of intention ({p.proponents_cite})")
    for col in ("from", "rule", "cite"):
        t.add_column(col)
    for b in sorted(p.proponent_bands, key=lambda b: b.min_measure):
        rule = (f"greater of {b.minimum} or {b.times_nomination} × nomination signatures"
                if b.times_nomination else f"{b.minimum}")
        t.add_row(f"{b.min_measure:,}", rule, b.cite)
    return t


def _cited_table(p: RulePack) -> Table:
    t = Table(title="Periods, verification, withdrawal, election")
    for col in ("section", "item", "value", "cite"):
        t.add_column(col, overflow="fold")
    groups: list[tuple[str, dict[str, Any]]] = [
        ("eligibility", p.eligibility), ("periods", p.periods),
        ("verification", p.verification), ("withdrawal", p.withdrawal),
        ("election", p.election),
    ]
    for group, table in groups:
        for key, val in table.items():
            if isinstance(val, Cited):
                unit = f" {val.unit} days" if val.unit == "calendar" else (
                    " business days" if key.endswith("business_days") else "")
                t.add_row(group, key.replace("_", " "), f"{val.value}{unit}", val.cite)
    if p.sample is not None:
        s = p.sample
        t.add_row("verification", "random sample",
                  f"greater of {s.minimum.value} or {s.percent.value}% of the raw count "
                  f"(raw count over {s.raw_more_than.value}); {s.business_days.value} "
                  "business days", s.cite)
    if p.bands is not None:
        b = p.bands
        t.add_row("verification", "sample bands",
                  f"> {b.sufficient_above_percent.value}% sufficient; "
                  f"< {b.insufficient_below_percent.value}% insufficient; between: full count",
                  b.cite)
    return t


def register(app: typer.Typer) -> None:
    rules_app.command("list")(list_cmd)
    rules_app.command("show")(show_cmd)
    app.add_typer(rules_app, name="rules")
