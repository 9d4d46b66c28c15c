"""Rule packs: the law as data, each number with its citation."""

from recallkit.rules.load import RulePackError, load_pack, pack_ids, parse_pack
from recallkit.rules.model import Band, Cited, RulePack
from recallkit.rules.thresholds import (
    Figure,
    circulation_days,
    county_minimums,
    proponents_required,
    required_signatures,
)

__all__ = [
    "Band",
    "Cited",
    "Figure",
    "RulePack",
    "RulePackError",
    "circulation_days",
    "county_minimums",
    "load_pack",
    "pack_ids",
    "parse_pack",
    "proponents_required",
    "required_signatures",
]
