"""`recallkit sample draw|size`: the consistent random sample and its statutory size."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import typer

from recallkit.cli.common import console, fail, print_json, steps_table
from recallkit.rules import RulePackError, load_pack
from recallkit.sampling import (
    SampledLine,
    SamplingError,
    canonical_line_id,
    draw,
    is_canonical_line_id,
    sample_size,
    validate_seed,
)

sample_app = typer.Typer(
    help="Draw the verifiable random sample; compute the sample size the statute requires.",
    no_args_is_help=True,
)


def read_ids(path: Path) -> list[str]:
    """One line id per line; blank lines are skipped, anything else must be canonical."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"the ids file {path} does not exist")
    except UnicodeDecodeError as exc:
        fail(f"the ids file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        fail(f"cannot read the ids file {path}: {exc.strerror}")
    ids: list[str] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line_id = raw.strip()
        if not line_id:
            continue
        if not is_canonical_line_id(line_id):
            problems.append(f"{path}, line {number}: {_why_not_canonical(line_id)}")
        ids.append(line_id)
    if problems:
        shown = "\n  ".join(problems[:10])
        more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
        fail(
            f"{len(problems)} id(s) are not in the form SECTION:PAGE:LINE (section trimmed "
            f"and upper case, page and line without leading zeros):\n  {shown}{more}"
        )
    return ids


def _why_not_canonical(line_id: str) -> str:
    parts = line_id.split(":")
    if len(parts) != 3:
        return f"{line_id!r} does not have three parts separated by ':'"
    try:
        return f"{line_id!r} should be written {canonical_line_id(*parts)!r}"
    except SamplingError as exc:
        return f"{line_id!r}: {exc}"


def draw_cmd(
    ws: Path | None = typer.Argument(None, help="A workspace (draws into it)."),
    seed: str = typer.Option(..., "--seed", help="The public seed, at least 20 digits."),
    ids: Path | None = typer.Option(None, "--ids", help="File with one line id per line."),
    size: int | None = typer.Option(None, "--size", help="How many lines to draw."),
    actor: str | None = typer.Option(None, "--actor", help="Who draws (workspace only)."),
    as_json: bool = typer.Option(False, "--json", help="A JSON list of {id, ticket}."),
) -> None:
    """Print the sample in order, one id per line (sha256 tickets, docs/sampling.md)."""
    try:
        validate_seed(seed)
    except SamplingError as exc:
        fail(str(exc))
    if ws is not None:
        from recallkit.verification.stages import draw_sample
        from recallkit.workspace.db import is_served

        if is_served(ws):  # the web server is the single writer while it serves
            fail(f"{ws} is being served by `recallkit serve` (found {ws / '.serving'}); make "
                 "changes through the web app, or stop the server first")
        try:
            # --size enlarges a drawn sample (a supplemental draw appends to the same order);
            # without it the statute's size for the raw count is drawn.
            result = draw_sample(ws, seed, actor or getpass.getuser(), size=size)
        except (SamplingError, ValueError) as exc:
            fail(str(exc))
        _show(result, as_json)
        return
    if ids is None or size is None:
        fail("give --ids FILE and --size N (or a workspace as the first argument)")
    id_list = read_ids(ids)
    try:
        lines = draw(seed, id_list, size)
    except SamplingError as exc:
        fail(f"{ids}: {exc}")
    _show(lines, as_json)


def _show(result: object, as_json: bool) -> None:
    if isinstance(result, list) and all(isinstance(x, SampledLine) for x in result):
        if as_json:
            print_json([{"id": x.id, "ticket": x.ticket_hex} for x in result])
        else:
            sys.stdout.write("".join(f"{x.id}\n" for x in result))
        return
    if as_json:
        print_json(result)
    else:
        console.print(result)


def size_cmd(
    rules: str = typer.Option(..., "--rules", help="Rule pack id or TOML file."),
    raw: int = typer.Option(..., "--raw", help="Raw count of signatures."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Print the sample size the statute requires for a raw count."""
    try:
        pack = load_pack(rules)
        result = sample_size(pack, raw)
    except (RulePackError, SamplingError) as exc:
        fail(str(exc))
    if as_json:
        print_json(result)
        return
    table = steps_table(f"Sample size — {pack.title}", result.steps)
    console.print(table)
    console.print(f"Sample size: [bold]{result.size:,}[/] ({result.cite})")


sample_app.command("draw")(draw_cmd)
sample_app.command("size")(size_cmd)


def register(app: typer.Typer) -> None:
    app.add_typer(sample_app, name="sample")
