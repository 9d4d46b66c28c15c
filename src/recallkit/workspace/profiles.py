"""Mapping profiles and the canonical layouts they map onto.

A profile (a small TOML file, see docs/formats.md) says how a county's file is laid out:
delimiter, header or positional columns, date formats, which file column holds each
canonical column, and how status codes translate. The canonical layouts themselves
(`KINDS`) follow the data-formats spec: for each column its type and whether the header
must have it and whether a value must be present.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROFILES_DIR = Path(__file__).parent / "profiles"


class ProfileError(ValueError):
    """A profile file is missing or malformed."""


@dataclass(frozen=True)
class Col:
    """A canonical column: its type, and whether the header / each value must have it."""

    name: str
    type: str = "text"  # text|upper|date|int|posint|year|bool|zip|zip_raw|status|defects
    header: bool = False
    value: bool = False


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    cols: tuple[Col, ...]
    key: str | None = None  # the unique id column (line_id is built from section:page:line)

    def col(self, name: str) -> Col:
        return next(c for c in self.cols if c.name == name)


_VOTERS = Kind("voters", "voters", (
    Col("voter_id", "text", True, True),
    Col("first_name", "text", True, True),
    Col("middle_name"),
    Col("last_name", "text", True, True),
    Col("name_suffix"),
    Col("residence_address"),
    Col("house_number"), Col("house_fraction"), Col("street_predirection"),
    Col("street_name"), Col("street_type"), Col("street_postdirection"),
    Col("unit_type"), Col("unit_number"),
    Col("city", "text", True, True),
    Col("zip", "zip", True, True),
    Col("county", "text", True, True),
    Col("registration_date", "date", True, True),
    Col("status", "status", True, True),
    Col("status_date", "date"),
    Col("birth_year", "year"),
    Col("party"), Col("precinct"), Col("mailing_address"), Col("phone"),
    Col("signature_image"),
), key="voter_id")

_SECTIONS = Kind("sections", "sections", (
    Col("section_id", "upper", True, True),
    Col("county", "text", True, True),
    Col("pages", "posint", True, True),
    Col("signature_lines", "int", True, True),
    Col("lines_per_page", "posint"),
    Col("circulator_name", "text", True, False),
    Col("circulator_address", "text", True, False),
    Col("declaration_signed", "bool", True, True),
    Col("circulated_from", "date", True, True),
    Col("circulated_to", "date", True, True),
    Col("date_filed", "date", True, True),
    Col("defects", "defects"),
    Col("batch", "posint"),
), key="section_id")

_SIGNATURES = Kind("signatures", "signatures", (
    Col("section_id", "upper", True, True),
    Col("page", "posint", True, True),
    Col("line", "posint", True, True),
    Col("printed_name", "text", True, False),
    Col("residence_address", "text", True, False),
    Col("city", "text", True, False),
    Col("zip", "zip_raw", True, False),
    Col("has_signature", "bool", True, True),
    Col("signature_image"),
    Col("struck", "bool"),
    Col("notes"),
), key="line_id")

_WITHDRAWALS = Kind("withdrawals", "withdrawals", (
    Col("printed_name", "text", True, True),
    Col("residence_address", "text", True, False),
    Col("city", "text", True, False),
    Col("zip", "zip_raw", True, False),
    Col("date_received", "date", True, True),
    Col("signature_image"),
    Col("notes"),
))

_HISTORY = Kind("voter_history", "voter_history", (
    Col("voter_id", "text", True, True),
    Col("residence_address", "text", True, False),
    Col("city", "text", True, False),
    Col("zip", "zip", True, False),
    Col("county", "text", True, False),
    Col("status", "status", True, False),
    Col("valid_from", "date", True, False),
    Col("valid_to", "date", True, False),
))

_COUNTY_VOTES = Kind("county_votes", "county_votes", (
    Col("county", "text", True, True),
    Col("votes", "int", True, True),
), key="county")

# Signatures on file, kept by counties in a separate imaging system: the import updates
# voters.signature_image for voters already in the workspace (it adds no voters).
_SIGNATURE_IMAGES = Kind("signature_images", "voters", (
    Col("voter_id", "text", True, True),
    Col("signature_image", "text", True, True),
), key="voter_id")

KINDS: dict[str, Kind] = {k.name: k for k in
                          (_VOTERS, _SECTIONS, _SIGNATURES, _WITHDRAWALS, _HISTORY, _COUNTY_VOTES,
                           _SIGNATURE_IMAGES)}

DEFAULT_STATUS_CODES = {"ACTIVE": "active", "INACTIVE": "inactive", "CANCELLED": "cancelled",
                        "CANCELED": "cancelled", "A": "active", "I": "inactive",
                        "C": "cancelled"}


@dataclass(frozen=True)
class Profile:
    name: str
    kind: str
    delimiter: str = ","
    header: bool = True
    quote: str = '"'
    date_formats: tuple[str, ...] = ("%Y-%m-%d", "%m/%d/%Y")
    fields: tuple[str, ...] = ()
    optional: frozenset[str] = frozenset()
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> file column
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # col -> CODE -> value
    title: str = ""
    source: str = ""


def builtin_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILES_DIR.glob("*.toml"))


def canonical_profile(kind: str) -> Profile:
    """The identity profile of a canonical layout (what recallkit's own files use)."""
    if kind == "voters":
        return load_profile("canonical", kind)
    spec = KINDS[kind]
    optional = frozenset(c.name for c in spec.cols if not c.header)
    return Profile(name="canonical", kind=kind, columns={c.name: c.name for c in spec.cols},
                   optional=optional, codes={"status": dict(DEFAULT_STATUS_CODES)},
                   source="builtin")


def load_profile(name_or_path: str | Path, kind: str = "voters") -> Profile:
    """A built-in profile by name, or the user's own TOML file by path."""
    text_name = str(name_or_path)
    if kind != "voters" and text_name == "canonical":
        return canonical_profile(kind)
    path = Path(text_name)
    if not (path.suffix == ".toml" or path.exists()):
        path = PROFILES_DIR / f"{text_name}.toml"
        if not path.exists():
            raise ProfileError(f"no profile named {text_name!r}; built-in profiles: "
                               f"{', '.join(builtin_profiles())}, or pass a .toml file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"cannot read profile {path}: {exc}") from exc
    return parse_profile(data, str(path), kind)


def parse_profile(data: dict[str, Any], source: str, kind: str) -> Profile:
    pkind = data.get("kind", "voters")
    if pkind != kind:
        raise ProfileError(f"profile {source} is for {pkind} files, not {kind}")
    spec = KINDS[kind]
    known = {c.name for c in spec.cols}
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ProfileError(f"{source}: [columns] must map canonical names to column names")
    unknown = sorted(set(columns) - known)
    if unknown:
        raise ProfileError(f"{source}: [columns] names {', '.join(unknown)}, which are not "
                           f"{kind} columns ({', '.join(sorted(known))})")
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise ProfileError(f"{source}: delimiter must be one character")
    header = bool(data.get("header", True))
    fields = tuple(data.get("fields", ()))
    if not header and not fields:
        raise ProfileError(f"{source}: a profile without a header row must list `fields`")
    if not header:
        missing = sorted(set(columns.values()) - set(fields))
        if missing:
            raise ProfileError(f"{source}: [columns] uses {', '.join(missing)}, not in fields")
    codes = {col: {str(k).strip().upper(): str(v) for k, v in m.items()}
             for col, m in data.get("codes", {}).items()}
    for col, m in codes.items():
        bad = sorted({v for v in m.values()} - {"active", "inactive", "cancelled"})
        if col == "status" and bad:
            raise ProfileError(f"{source}: status codes must map to active, inactive or "
                               f"cancelled (not {', '.join(bad)})")
    formats = data.get("date_formats", ["%Y-%m-%d"])
    if isinstance(formats, str):
        formats = [formats]
    return Profile(
        name=str(data.get("name", Path(source).stem)), kind=kind, delimiter=delimiter,
        header=header, quote=str(data.get("quote", '"')), date_formats=tuple(formats),
        fields=fields, optional=frozenset(data.get("optional", ())), columns=dict(columns),
        codes=codes, title=str(data.get("title", "")), source=source,
    )
