"""The core is pure: rules, calendar, timeline, sampling, projection and planner import
nothing from the workspace, engines or interfaces, and no database or web library.

Checked by an AST scan of the source files, so a module that is not written yet is simply
skipped, and an import hidden inside a function is still found.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "recallkit"
CORE = ["rules", "calendar", "timeline", "sampling", "projection", "planner", "explain"]
FORBIDDEN_OURS = ("workspace", "web", "cli", "matching", "verification", "reports", "synth",
                  "demo")
FORBIDDEN_THIRD_PARTY = ("duckdb", "fastapi", "uvicorn", "starlette", "typer", "rich",
                         "jinja2", "pyarrow")


def core_files() -> list[Path]:
    files: list[Path] = []
    for name in CORE:
        module, package = SRC / f"{name}.py", SRC / name
        if module.is_file():
            files.append(module)
        if package.is_dir():
            files.extend(sorted(package.rglob("*.py")))
    return files


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the package
                pkg = path.relative_to(SRC.parent).with_suffix("").parts[: -node.level]
                base = ".".join(pkg)
                out.append(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                out.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant):
                out.append(str(node.args[0].value))
    return out


def test_core_files_found() -> None:
    names = {p.stem for p in core_files()}
    assert {"calendar", "timeline", "thresholds", "load"} <= names


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_is_pure(path: Path) -> None:
    bad = []
    for mod in imported_modules(path):
        parts = mod.split(".")
        if parts[0] == "recallkit" and len(parts) > 1 and parts[1] in FORBIDDEN_OURS:
            bad.append(mod)
        if parts[0] in FORBIDDEN_THIRD_PARTY:
            bad.append(mod)
    assert not bad, f"{path.relative_to(SRC)} imports {', '.join(bad)}"


def test_scanner_catches_a_forbidden_import(tmp_path: Path) -> None:
    f = tmp_path / "probe.py"
    f.write_text("def f():\n    import duckdb\n    from recallkit.cli import app\n",
                 encoding="utf-8")
    assert imported_modules(f) == ["duckdb", "recallkit.cli"]
