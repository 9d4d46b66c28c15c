"""A review item as the review screen shows it: the line as written beside each candidate
voter, with the words that differ marked, so the reviewer's eye goes to the difference.

The review library returns dataclasses; this module only reshapes them for the template
and the JSON API (no decision logic here).
"""

from __future__ import annotations

import re
from dataclasses import asdict, is_dataclass
from typing import Any

from . import library

_WORD = re.compile(r"[A-Za-z0-9']+")
_FIELDS = (("name", "Name"), ("address", "Address"), ("city", "City"), ("zip", "ZIP"))


def _plain(obj: Any) -> Any:
    if hasattr(obj, "as_dict") and callable(obj.as_dict):
        return obj.as_dict()
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return obj


def _get(d: Any, *keys: str) -> Any:
    d = _plain(d)
    if not isinstance(d, dict):
        return None
    for k in keys:
        if d.get(k) not in (None, ""):
            return d[k]
    return None


def _name_of(d: Any) -> str:
    direct = _get(d, "printed_name", "name", "full_name")
    if direct:
        return str(direct)
    parts = [_get(d, k) for k in ("first_name", "middle_name", "last_name", "name_suffix")]
    return " ".join(str(p) for p in parts if p)


def _words(text: str) -> set[str]:
    return {w.upper() for w in _WORD.findall(text or "")}


def mark_differences(text: str, other: str) -> list[tuple[str, bool]]:
    """`text` split into (piece, differs) where differs means the word is not in `other`."""
    others = _words(other)
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _WORD.finditer(text or ""):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(0), m.group(0).upper() not in others))
        pos = m.end()
    if pos < len(text or ""):
        out.append((text[pos:], False))
    return out


def _fields_of(d: Any) -> dict[str, str]:
    zip_code = str(_get(d, "zip") or "")[:5]
    return {"name": _name_of(d), "address": str(_get(d, "residence_address", "address") or ""),
            "city": str(_get(d, "city") or ""), "zip": zip_code}


def item_view(item: Any) -> dict[str, Any]:
    """Plain data for one review item: line, candidates with marked differences, keys."""
    raw = _plain(item) or {}
    transcription = raw.get("transcription") or raw.get("line") or {}
    line = _fields_of(transcription)
    candidates = []
    for c in raw.get("candidates") or []:
        c = _plain(c)
        if isinstance(c.get("voter"), dict):  # the voter's registration, beside the scores
            c = {**c["voter"], **{k: v for k, v in c.items() if k != "voter"}}
        cf = _fields_of(c)
        components = _get(c, "components") or {}
        candidates.append({
            "voter_id": _get(c, "voter_id"),
            "rank": _get(c, "rank"),
            "score": _get(c, "score"),
            "components": {k: v for k, v in dict(_plain(components)).items()
                           if isinstance(v, (int, float, str, bool))},
            "status": _get(c, "status"),
            "registration_date": str(_get(c, "registration_date") or ""),
            "has_image": bool(_get(c, "signature_image")),
            "fields": [{"key": k, "label": label, "value": cf[k],
                        "pieces": mark_differences(cf[k], line[k])} for k, label in _FIELDS],
        })
    return {
        "line_id": raw.get("line_id") or _get(transcription, "line_id"),
        "mode": raw.get("mode"),
        "hint": raw.get("reason_hint") or raw.get("hint") or raw.get("engine_hint"),
        "doubt": raw.get("doubt_text"),
        "line": [{"key": k, "label": label, "value": line[k],
                  "pieces": mark_differences(line[k], candidates[0]["fields"][i]["value"]
                                             if candidates else line[k])}
                 for i, (k, label) in enumerate(_FIELDS)],
        "has_signature": _get(transcription, "has_signature"),
        "has_image": bool(_get(transcription, "signature_image")),
        "notes": _get(transcription, "notes"),
        "section_id": _get(transcription, "section_id"),
        "section": {k: str(v) for k, v in (_plain(raw.get("section")) or {}).items()
                    if k in ("county", "date_filed", "circulated_from", "circulated_to")
                    and v is not None},
        "lease_expires": str(raw.get("lease_expires") or ""),
        "candidates": candidates,
    }


UNDO_KEY = "u"


def keys() -> list[dict[str, str | None]]:
    """The one-key decisions, from the review library (the terminal queue uses the same)."""
    table = library.get("review_keys")
    return [{"key": k, "determination": d, "reason": r} for k, (d, r) in table.items()
            if k != UNDO_KEY]


def next_key() -> str:
    """'n' asks for the next line, unless the library uses 'n' for a decision (then 'N')."""
    return "N" if "n" in library.get("review_keys") else "n"


REASON_LABELS = {
    "NOT_REGISTERED": "not registered", "REGISTERED_LATE": "registered late",
    "OUT_OF_JURISDICTION": "out of jurisdiction", "WRONG_COUNTY_SECTION": "wrong county",
    "ADDRESS_MISMATCH": "address differs", "NO_ADDRESS": "no address",
    "ILLEGIBLE": "illegible", "NO_SIGNATURE": "not signed",
    "SIGNATURE_MISMATCH": "signature differs", "NOT_PERSONALLY_AFFIXED": "not own hand",
    "DUPLICATE": "duplicate", "CANCELLED": "cancelled", "WITHDRAWN": "withdrawn",
    "OTHER": "other (note required)",
}
