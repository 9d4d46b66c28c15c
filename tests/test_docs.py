"""The docs cannot rot: the CLI reference is generated and must be current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli_reference",
                                                  DOCS / "gen_cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    expected = _generator().reference()
    actual = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is stale: run python docs/gen_cli_reference.py"


def test_every_command_is_documented():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for cmd in ("plan", "sample draw", "project", "verify", "review", "certify", "report",
                "serve", "demo", "voters import", "audit verify", "state aggregate"):
        assert f"`recallkit {cmd}`" in text, cmd


def test_readme_docs_exist():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        if line.startswith("- `docs/"):
            for name in line.split("`")[1::2]:
                if name.startswith("docs/"):
                    assert (DOCS.parent / name).exists(), name
