"""Read and validate rule packs.

A pack with a missing or malformed number must fail loudly and name the key, because a
silently defaulted threshold would decide an election wrongly.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from recallkit.rules.model import (
    BallotRule,
    Band,
    BandsRule,
    Cited,
    CountyRule,
    RulePack,
    SampleRule,
)

KINDS = ("recall", "initiative")
LEVELS = ("local", "state")
ROUNDINGS = ("up",)
VARIANTS = ("regulation", "final-round")
METHODS = ("sample", "full")


class RulePackError(ValueError):
    """A rule pack is missing, unreadable or invalid; the message lists every problem."""


def pack_ids() -> list[str]:
    """The ids of the packs shipped with recallkit, sorted."""
    folder = resources.files("recallkit.rules") / "packs"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_pack(name: str) -> RulePack:
    """Load a shipped pack by id (`ca-local`) or a user's pack by path to a TOML file."""
    path = Path(name)
    if name.endswith(".toml") or path.exists():
        if not path.is_file():
            raise RulePackError(f"rule pack file {name!r} does not exist")
        text = path.read_text(encoding="utf-8")
        source = str(path)
    else:
        if name not in pack_ids():
            raise RulePackError(
                f"unknown rule pack {name!r}; available: {', '.join(pack_ids())}"
            )
        res = resources.files("recallkit.rules") / "packs" / f"{name}.toml"
        text = res.read_text(encoding="utf-8")
        source = f"recallkit/rules/packs/{name}.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{source}: not valid TOML: {exc}") from exc
    return parse_pack(data, source)


def parse_pack(data: dict[str, Any], source: str = "<pack>") -> RulePack:
    """Validate a decoded pack; collect every problem before raising."""
    v = _Validator(data, source)
    pack = v.build()
    if v.errors:
        raise RulePackError(
            f"{source}: invalid rule pack:\n" + "\n".join(f"  - {e}" for e in v.errors)
        )
    return pack


class _Validator:
    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source
        self.errors: list[str] = []

    # -- primitives -------------------------------------------------------------------
    def get(self, key: str, kind: type | tuple[type, ...], required: bool = True) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if required:
                    self.errors.append(f"missing key '{key}'")
                return None
            node = node[part]
        if not isinstance(node, kind) or isinstance(node, bool) and kind is not bool:
            self.errors.append(f"key '{key}' should be {_kind_name(kind)}, found {node!r}")
            return None
        return node

    def text(self, key: str, required: bool = True) -> str:
        return self.get(key, str, required) or ""

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value and value not in allowed:
            self.errors.append(f"key '{key}' is {value!r}; allowed: {', '.join(allowed)}")
        return value

    def decimal(self, raw: Any, key: str) -> Decimal | None:
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            self.errors.append(f"key '{key}' should be a decimal string like \"10\", found {raw!r}")
            return None
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            self.errors.append(f"key '{key}' is not a number: {raw!r}")
            return None
        if value < 0:
            self.errors.append(f"key '{key}' must not be negative: {raw!r}")
        return value

    def cited(self, key: str, required: bool = True, number: str = "int") -> Cited | None:
        node = self.get(key, dict, required)
        if node is None:
            return None
        cite = node.get("cite")
        if not isinstance(cite, str) or not cite.strip():
            self.errors.append(f"key '{key}' has no 'cite' naming the section that sets it")
        if "value" not in node:
            self.errors.append(f"key '{key}' has no 'value'")
            return None
        raw = node["value"]
        if number == "decimal":
            value: Any = self.decimal(raw, f"{key}.value")
        else:
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
                self.errors.append(f"key '{key}.value' should be a whole number ≥ 0, found {raw!r}")
                return None
            value = raw
        return Cited(value=value, cite=cite or "", unit=str(node.get("unit", "")))

    def bands(self, key: str, fields: tuple[str, ...]) -> tuple[Band, ...]:
        rows = self.get(key, list)
        if rows is None:
            return ()
        out: list[Band] = []
        for i, row in enumerate(rows):
            where = f"{key}[{i}]"
            if not isinstance(row, dict):
                self.errors.append(f"{where} should be a table")
                continue
            missing = [f for f in ("min_measure", "cite", *fields) if f not in row]
            if missing:
                self.errors.append(f"{where} is missing {', '.join(missing)}")
                continue
            kw: dict[str, Any] = {"min_measure": row["min_measure"], "cite": row["cite"]}
            if not isinstance(row["min_measure"], int) or row["min_measure"] < 0:
                self.errors.append(f"{where}.min_measure should be a whole number ≥ 0")
                continue
            for f in fields:
                if f == "percent":
                    kw[f] = self.decimal(row[f], f"{where}.percent")
                elif f == "office_kind":
                    kw[f] = row[f]
                else:
                    if not isinstance(row[f], int) or row[f] < 0:
                        self.errors.append(f"{where}.{f} should be a whole number ≥ 0")
                        continue
                    kw[f] = row[f]
            if "office_kind" in row:
                kw["office_kind"] = row["office_kind"]
            out.append(Band(**kw))
        groups: dict[str | None, list[Band]] = {}
        for b in out:
            groups.setdefault(b.office_kind, []).append(b)
        for kind, group in groups.items():
            if not any(b.min_measure == 0 for b in group):
                label = f" for office kind {kind!r}" if kind else ""
                self.errors.append(f"{key}: no band starts at min_measure = 0{label}")
            mins = [b.min_measure for b in group]
            if len(set(mins)) != len(mins):
                self.errors.append(f"{key}: two bands start at the same min_measure")
        return tuple(sorted(out, key=lambda b: (b.office_kind or "", -b.min_measure)))

    def cited_table(self, key: str, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        """A table whose numeric entries are all {value, cite}; strings pass through."""
        node = self.get(key, dict, required=False) or {}
        out: dict[str, Any] = {}
        for name, val in node.items():
            if name in skip:
                continue
            if isinstance(val, dict):
                number = "decimal" if isinstance(val.get("value"), str) else "int"
                c = self.cited(f"{key}.{name}", number=number)
                if c is not None:
                    out[name] = c
            elif isinstance(val, (int, float)) and not isinstance(val, bool):
                self.errors.append(f"key '{key}.{name}' is a bare number; write {{ value, cite }}")
            else:
                out[name] = val
        return out

    # -- the pack ---------------------------------------------------------------------
    def build(self) -> RulePack:
        kind = self.choice("kind", KINDS)
        office_kinds = tuple(self.get("threshold.office_kinds", list, required=False) or ())
        threshold_fields = ("percent", "office_kind") if office_kinds else ("percent",)
        threshold_bands = self.bands("threshold.bands", threshold_fields)
        for b in threshold_bands:
            if office_kinds and b.office_kind not in office_kinds:
                self.errors.append(
                    f"threshold band office_kind {b.office_kind!r} not in threshold.office_kinds"
                )
        county_rule = None
        if self.get("threshold.county_rule", dict, required=False) is not None:
            pct = self.cited("threshold.county_rule.percent", number="decimal")
            mc = self.cited("threshold.county_rule.min_counties")
            if pct and mc:
                county_rule = CountyRule(
                    office_kinds=tuple(self.get("threshold.county_rule.office_kinds", list) or ()),
                    percent=pct,
                    min_counties=mc,
                    rounding=self.choice("threshold.county_rule.rounding", ROUNDINGS),
                )
        methods = tuple(self.get("verification.methods", list) or ())
        for m in methods:
            if m not in METHODS:
                self.errors.append(f"verification.methods has {m!r}; allowed: sample, full")
        sample = None
        if "sample" in methods:
            parts = {
                "raw_more_than": self.cited("verification.sample.raw_more_than"),
                "minimum": self.cited("verification.sample.minimum"),
                "percent": self.cited("verification.sample.percent", number="decimal"),
                "business_days": self.cited("verification.sample.business_days"),
            }
            cons = self.cited("verification.sample.business_days_consolidation", required=False)
            cap = self.get("verification.sample.cap_at_raw", bool)
            if all(parts.values()) and cap is not None:
                sample = SampleRule(
                    cite=self.text("verification.sample.cite"),
                    rounding=self.choice("verification.sample.rounding", ROUNDINGS),
                    cap_at_raw=cap,
                    business_days_consolidation=cons,
                    **parts,  # type: ignore[arg-type]
                )
        bands = None
        if "sample" in methods:
            hi = self.cited("verification.bands.sufficient_above_percent", number="decimal")
            lo = self.cited("verification.bands.insufficient_below_percent", number="decimal")
            if hi and lo:
                if lo.value is not None and hi.value is not None and lo.value > hi.value:
                    self.errors.append(
                        "verification.bands: insufficient edge above sufficient edge")
                bands = BandsRule(self.text("verification.bands.cite"), hi, lo)
        verification = self.cited_table("verification", skip=("sample", "bands"))
        ballot = []
        for i, row in enumerate(self.get("ballot", list, required=False) or []):
            try:
                ballot.append(
                    BallotRule(
                        successor_question=bool(row["successor_question"]),
                        cite=str(row["cite"]),
                        note=str(row.get("note", "")),
                        valid_from=_date(row.get("from")),
                        valid_to=_date(row.get("to")),
                        pending=str(row.get("pending", "")),
                    )
                )
            except (KeyError, ValueError, TypeError) as exc:
                self.errors.append(f"ballot[{i}] is invalid: {exc}")
        circulation = {
            k: self.text(f"circulation.{k}", required=k in ("cite", "count_from"))
            for k in ("count_from", "cite", "roll_forward_cite", "closure_cite")
        }
        return RulePack(
            id=self.text("id"),
            title=self.text("title"),
            kind=kind,
            level=self.choice("level", LEVELS),
            state=self.text("state"),
            holiday_calendar=self.text("holiday_calendar"),
            measure=self.text("measure"),
            measure_cite=self.text("measure_cite"),
            measure_note=self.text("measure_note", required=False),
            circulation_bands=self.bands("circulation.bands", ("days",)),
            circulation=circulation,
            threshold_bands=threshold_bands,
            threshold_rounding=self.choice("threshold.rounding", ROUNDINGS),
            threshold_cite=self.text("threshold.cite"),
            office_kinds=office_kinds,
            county_rule=county_rule,
            methods=methods,
            verification=verification,
            sample=sample,
            bands=bands,
            projection_variant=self.choice("projection.default_variant", VARIANTS),
            projection_cite=self.text("projection.cite"),
            duplicates=self.get("duplicates", dict) or {},
            eligibility=self.cited_table("eligibility"),
            proponent_bands=(
                self.bands("proponents.bands", ("minimum", "times_nomination"))
                if "proponents" in self.data
                else ()
            ),
            proponents_cite=self.text("proponents.cite", required=False),
            periods=self.cited_table("periods"),
            withdrawal=self.cited_table("withdrawal"),
            certification=self.get("certification", dict, required=False) or {},
            election=self.cited_table("election"),
            ballot=tuple(ballot),
            source=self.source,
        )


def _date(raw: Any) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, date):
        return raw
    return date.fromisoformat(str(raw))


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", dict: "a table", list: "a list",
             bool: "true/false"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)
