"""`recallkit synth county|petition`: synthetic data with known answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from recallkit.cli.common import console, fail, print_json, warn


def register(app: typer.Typer) -> None:
    synth = typer.Typer(
        help="Generate a synthetic county voter file and petition with ground truth.",
        no_args_is_help=True,
    )

    @synth.command("county")
    def county(
        voters: int = typer.Option(..., "--voters", help="Number of voters."),
        seed: int = typer.Option(..., "--seed", help="Random seed (same seed, same files)."),
        out: Path = typer.Option(..., "--out", help="Output directory."),
        county_name: str = typer.Option("Los Angeles", "--county", help="California county."),
        layout: str = typer.Option("canonical", "--layout",
                                   help="canonical, votecal or ncvoter."),
        images: int = typer.Option(0, "--images", help="Signatures on file for N voters."),
        mixed_case: bool = typer.Option(False, "--mixed-case",
                                        help="Names and addresses in mixed case, not upper."),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    ) -> None:
        """Write voters.csv, voter_history.csv and county.json."""
        from recallkit.synth.county import generate_county

        try:
            with console.status(f"Generating {voters:,} voters…"):
                summary = generate_county(voters, seed, out, county=county_name, layout=layout,
                                          images=images, upper=not mixed_case)
        except (ValueError, OSError) as exc:
            fail(str(exc))
        if as_json:
            print_json(summary)
            return
        console.print(
            f"{summary.voters:,} voters ({summary.in_county:,} in {summary.county} County, "
            f"{summary.voters - summary.in_county:,} in neighbouring counties), "
            f"{summary.movers:,} history rows → {summary.voters_csv}"
        )

    @synth.command("petition")
    def petition(
        voters: Path = typer.Option(..., "--voters", help="voters.csv of a synthetic county."),
        signatures: int = typer.Option(..., "--signatures", help="Raw-count lines."),
        seed: int = typer.Option(..., "--seed", help="Random seed (same seed, same files)."),
        out: Path = typer.Option(..., "--out", help="Output directory."),
        circulation_from: str = typer.Option(None, "--circulation-from",
                                             help="First day of circulation (YYYY-MM-DD)."),
        circulation_to: str = typer.Option(None, "--circulation-to",
                                           help="Last day of circulation (YYYY-MM-DD)."),
        mix: str = typer.Option("la-2022", "--mix", help="Mix of determinations."),
        images: bool = typer.Option(False, "--images", help="Draw signature images."),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    ) -> None:
        """Write sections.csv, signatures.csv, withdrawals.csv and truth.csv."""
        from recallkit.synth.petition import generate_petition

        dates = []
        for label, text in (("--circulation-from", circulation_from),
                            ("--circulation-to", circulation_to)):
            try:
                dates.append(date.fromisoformat(text) if text else None)
            except ValueError:
                fail(f"{label} {text!r} is not a date like 2022-01-27")
        try:
            with console.status(f"Generating a petition of {signatures:,} signatures…"):
                summary = generate_petition(voters, signatures, seed, out, dates[0], dates[1],
                                            mix=mix, images=images)
        except (ValueError, OSError) as exc:
            fail(str(exc))
        for w in summary.warnings:
            warn(w)
        if as_json:
            print_json(summary)
            return
        console.print(
            f"{summary.raw_count:,} lines in {summary.sections:,} sections: {summary.valid:,} "
            f"valid, {summary.invalid:,} invalid → {Path(out) / 'truth.csv'}"
        )
        for code, n in sorted(summary.by_reason.items(), key=lambda kv: -kv[1]):
            console.print(f"  {code:<30} {n:>9,}  {n / summary.raw_count:6.2%}")

    app.add_typer(synth, name="synth")
