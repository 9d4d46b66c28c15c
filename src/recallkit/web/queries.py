"""Read-only views of a workspace for the pages: overview, imports, the public aggregates,
the observers' determinations. Each function takes the workspace and returns plain data.

What each audience may see is decided here, by the columns selected, not by templates:
observers get line ids, sections, reasons and numeric evidence but never voter ids, names or
addresses (Gov. Code §7924.110: petition signatures are not public records); the public
gets counts only.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from recallkit.workspace.imports import REASON_CODES

from . import library


def _one(ws: Any, sql: str, params: list[Any] | None = None) -> Any:
    row = ws.con.execute(sql, params or []).fetchone()
    return row[0] if row else None


def _rows(ws: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = ws.con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def petition(ws: Any) -> dict[str, Any] | None:
    rows = _rows(ws, "SELECT * EXCLUDE (plan_json), plan_json::VARCHAR AS plan_json "
                     "FROM petition WHERE id = 1")
    if not rows:
        return None
    row = rows[0]
    plan = row.pop("plan_json")
    row["plan"] = json.loads(plan) if plan else None
    return row


def _as_date(value: Any) -> str | None:
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
        return value[:10]
    return None


def deadlines(p: dict[str, Any] | None) -> list[dict[str, str]]:
    """Dated milestones: the petition's own dates plus each dated deadline of its plan
    (recallkit.timeline's `deadlines`: label, date, cite)."""
    if not p:
        return []
    out = [{"what": "Petition format approved", "date": _as_date(p.get("format_approved")),
            "cite": ""},
           {"what": "Circulation deadline", "date": _as_date(p.get("circulation_deadline")),
            "cite": ""}]
    if p.get("filed"):
        out.append({"what": "Sections filed", "date": _as_date(p["filed"]), "cite": ""})
    plan = p.get("plan") or {}
    for d in plan.get("deadlines") or [] if isinstance(plan, dict) else []:
        if not isinstance(d, dict):
            continue
        when = _as_date(d.get("date") or d.get("computed"))
        label = d.get("label") or d.get("name")
        if when and isinstance(label, str):
            cite = d.get("cite") if isinstance(d.get("cite"), str) else ""
            out.append({"what": label, "date": when, "cite": cite})
    seen: set[str] = set()
    unique = []
    for d in sorted((d for d in out if d["date"]), key=lambda d: d["date"]):
        if d["date"] in seen and not d["cite"]:
            continue  # the plan already names this date, with its citation
        seen.add(d["date"])
        unique.append(d)
    return unique


def raw_count(ws: Any) -> int:
    if library.available("raw_count"):
        result = library.call("raw_count")(ws)
        return int(getattr(result, "total", result))
    # Data formats: every line with a signer's entry that is not struck.
    return int(_one(ws, "SELECT count(*) FROM signatures WHERE has_signature AND NOT struck"))


def counts(ws: Any) -> dict[str, Any]:
    """Whole-petition counts (no personal data)."""
    c: dict[str, Any] = {
        "voters": _one(ws, "SELECT count(*) FROM voters"),
        "sections": _one(ws, "SELECT count(*) FROM sections"),
        "signature_lines": _one(ws, "SELECT count(*) FROM signatures"),
        "raw_count": raw_count(ws),
        "sample_size": _one(ws, "SELECT count(*) FROM sample"),
        "withdrawals": _one(ws, "SELECT count(*) FROM withdrawals"),
    }
    # The views of workspace migration 004 say which determinations count: the sample's
    # (what the projection reads) and the full count's (sampled lines included).
    for mode, view in (("sample", "sample_determinations"),
                       ("full", "full_count_determinations")):
        row = ws.con.execute(
            "SELECT count(*) FILTER (WHERE determination = 'valid'), "
            f"count(*) FILTER (WHERE determination = 'invalid') FROM {view}").fetchone()
        c[f"{mode}_valid"], c[f"{mode}_invalid"] = int(row[0]), int(row[1])
        c[f"{mode}_examined"] = c[f"{mode}_valid"] + c[f"{mode}_invalid"]
    q = dict(ws.con.execute(
        "SELECT status, count(*) FROM review_queue GROUP BY status").fetchall())
    c["queue"] = {"open": q.get("open", 0), "leased": q.get("leased", 0),
                  "decided": q.get("decided", 0)}
    return c


def seed_status(ws: Any) -> dict[str, Any] | None:
    rows = _rows(ws, "SELECT draw_id, seed, seed_sha256, universe, size, drawn_at "
                     "FROM sample_draws ORDER BY draw_id")
    if not rows:
        return None
    return {"seed": rows[0]["seed"], "seed_sha256": rows[0]["seed_sha256"], "draws": rows}


def projection(ws: Any) -> dict[str, Any] | None:
    """The statutory projection, when the stage allows one (None before the sample)."""
    if not library.available("project_workspace"):
        return None
    try:
        result = library.call("project_workspace")(ws)
    except Exception:  # no sample yet, or not examined: nothing to project
        return None
    if result is None:
        return None
    data = result.as_dict() if hasattr(result, "as_dict") else result
    return data if isinstance(data, dict) else None


def overview(ws: Any) -> dict[str, Any]:
    p = petition(ws)
    return {"petition": p, "deadlines": deadlines(p), "counts": counts(ws),
            "seed": seed_status(ws), "projection": projection(ws)}


_PUBLIC_PETITION = ("jurisdiction", "office", "officer", "required", "measure", "stage",
                    "format_approved", "circulation_deadline", "filed", "rules")


def public_dashboard(ws: Any) -> dict[str, Any]:
    """Aggregates only: nothing here identifies a signer or a voter."""
    p = petition(ws) or {}
    c = counts(ws)
    full_total = c["raw_count"]
    return {
        "petition": {k: p.get(k) for k in _PUBLIC_PETITION},
        "deadlines": [{"what": d["what"], "date": d["date"]} for d in deadlines(p)],
        "raw_count": c["raw_count"],
        "sample": {"size": c["sample_size"], "examined": c["sample_examined"],
                   "valid": c["sample_valid"], "invalid": c["sample_invalid"]},
        "projection": projection(ws),
        "full_count": {"lines": full_total, "examined": c["full_examined"],
                       "valid": c["full_valid"], "invalid": c["full_invalid"]},
    }


def imports(ws: Any) -> list[dict[str, Any]]:
    return _rows(ws, "SELECT import_id, kind, file_name, file_sha256, profile, read, accepted, "
                     "rejected, rejects_file, replaced, imported_at, actor FROM imports "
                     "ORDER BY import_id DESC")


def import_row(ws: Any, import_id: int) -> dict[str, Any]:
    rows = _rows(ws, "SELECT * FROM imports WHERE import_id = ?", [import_id])
    if not rows:
        raise LookupError(f"There is no import number {import_id}.")
    return rows[0]


def evidence_for_observers(raw: Any) -> dict[str, Any]:
    """Score components and other reason codes; no voter ids, names, addresses or notes."""
    try:
        data = json.loads(raw) if isinstance(raw, str) else (raw or {})
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, bool) or isinstance(value, (int, float)):
            out[key] = value  # scores and flags, e.g. {"name": 0.93}
        elif isinstance(value, str) and value in REASON_CODES:
            out[key] = value  # text only when it is a reason code: never a name
        elif isinstance(value, list) and value and all(v in REASON_CODES for v in value):
            out[key] = value
        elif isinstance(value, dict):
            nested = evidence_for_observers(value)
            if nested:
                out[key] = nested
    return out


def _decider_kind(decided_by: str) -> str:
    # Observers see whether a person or the engine decided, not which staff member.
    return decided_by.split(":", 1)[0] if decided_by else ""


def determinations(ws: Any, *, section: str | None = None, reason: str | None = None,
                   determination: str | None = None, limit: int = 100,
                   offset: int = 0) -> dict[str, Any]:
    """Current determinations for observers: no voter data (see module docstring)."""
    where, params = ["TRUE"], []
    if section:
        where.append("s.section_id = ?")
        params.append(section.strip().upper())
    if reason:
        where.append("d.reason = ?")
        params.append(reason.strip().upper())
    if determination in ("valid", "invalid"):
        where.append("d.determination = ?")
        params.append(determination)
    cond = " AND ".join(where)
    base = (f"FROM current_determinations d JOIN signatures s USING (line_id) WHERE {cond}")
    total = _one(ws, f"SELECT count(*) {base}", params)
    rows = _rows(
        ws,
        "SELECT d.line_id, s.section_id, s.page, s.line, d.determination, d.reason, "
        "d.decided_by, d.score, d.evidence::VARCHAR AS evidence, d.decided_at, d.mode, "
        "d.supersedes IS NOT NULL AS corrected "
        f"{base} ORDER BY s.section_id, s.page, s.line LIMIT ? OFFSET ?",
        params + [int(limit), int(offset)])
    for r in rows:
        r["decided_by"] = _decider_kind(r["decided_by"])
        r["evidence"] = evidence_for_observers(r["evidence"])
    return {"total": int(total or 0), "limit": limit, "offset": offset, "rows": rows}


def filter_choices(ws: Any) -> dict[str, list[str]]:
    return {
        "sections": [r[0] for r in ws.con.execute(
            "SELECT DISTINCT section_id FROM sections ORDER BY section_id").fetchall()],
        "reasons": [r[0] for r in ws.con.execute(
            "SELECT DISTINCT reason FROM current_determinations WHERE reason IS NOT NULL "
            "ORDER BY reason").fetchall()],
    }
