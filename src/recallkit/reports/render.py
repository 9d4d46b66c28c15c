"""Render report templates: Jinja2 to HTML, WeasyPrint to PDF.

Templates live beside this module; the print stylesheet is inlined so that a saved HTML
file prints the same as the PDF without any other file.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import markupsafe


def _num(v: Any) -> str:
    if isinstance(v, bool) or v is None:
        return "" if v is None else str(v)
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _longdate(v: Any) -> str:
    if isinstance(v, str):
        try:
            v = date.fromisoformat(v[:10])
        except ValueError:
            return v
    if isinstance(v, (date, datetime)):
        return f"{v:%B} {v.day}, {v.year}"
    return "" if v is None else str(v)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    folder = resources.files("recallkit.reports") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["longdate"] = _longdate
    env.globals["css"] = lambda name: markupsafe.Markup((folder / name).read_text(encoding="utf-8"))
    return env


def render(template: str, **context: Any) -> str:
    from recallkit import __version__

    return environment().get_template(template).render(version=__version__, **context)


def html_to_pdf(html: str, path: Path) -> Path:
    """Write a PDF; a missing system library becomes a plain sentence, not a traceback."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # libpango missing
        raise RuntimeError(
            "WeasyPrint cannot load the Pango library; install libpango-1.0-0 and "
            f"libpangoft2-1.0-0 (Debian) to write PDFs ({exc})"
        ) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(str(path))
    return path
