"""`recallkit report WS --out DIR`: the whole report set, with its manifest.

Audiences (data-formats spec, Confidentiality): `official` gets everything, including the
determinations table with voter ids and printed names, marked confidential
(Gov. Code §7924.110); `observer` gets every determination and reason without voter ids
or names; `public` gets aggregates only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from recallkit.reports import charts, tables
from recallkit.reports.anomalies import AnomalyParams, find_anomalies, same_hand_sql
from recallkit.reports.facts import PetitionFacts, determinations_view
from recallkit.reports.manifest import MANIFEST_NAME, build_manifest, write_manifest
from recallkit.reports.source import audit_verified, workspace_facts, workspace_projection

AUDIENCES = ("official", "observer", "public")


@dataclass(frozen=True)
class ReportSet:
    out_dir: Path
    audience: str
    files: tuple[Path, ...]
    manifest: Path
    summary: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "audience": self.audience,
            "manifest": str(self.manifest),
            "files": [p.relative_to(self.out_dir).as_posix() for p in self.files],
            "summary": self.summary,
        }


def progress_points(con: Any, mode: str) -> list[tuple[datetime, int, int]]:
    """(time, lines decided so far, valid so far) at each first decision of a line that
    counts for `mode` (sample | full; a full count includes the lines the sample decided)."""
    stage = "AND mode = 'sample'" if mode == "sample" else ""
    rows = con.execute(
        f"""WITH first AS (
               SELECT line_id, min(decided_at) AS t FROM determinations
               WHERE mode <> 'undone' {stage} GROUP BY line_id),
           cur AS (SELECT line_id, determination FROM {determinations_view(mode)})
           SELECT date_trunc('hour', f.t) AS t, count(*) AS n,
                  count(*) FILTER (WHERE c.determination = 'valid') AS v
           FROM first f JOIN cur c USING (line_id) GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    out, n, v = [], 0, 0
    for t, dn, dv in rows:
        n += dn
        v += dv
        out.append((t, n, v))
    return out


def _write(out_dir: Path, table: tables.Table, meta: dict[str, Any]) -> list[Path]:
    csv_path = out_dir / f"{table.name}.csv"
    json_path = out_dir / f"{table.name}.json"
    csv_path.write_text(table.to_csv(), encoding="utf-8")
    json_path.write_text(table.to_json(meta), encoding="utf-8")
    return [csv_path, json_path]


def write_report_set(ws: Any, out_dir: Path, audience: str = "official",
                     params: AnomalyParams | None = None,
                     now: datetime | None = None, with_charts: bool = True) -> ReportSet:
    """Write every table (CSV + JSON), chart (PNG + SVG), anomaly flags and the manifest."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; choose one of {', '.join(AUDIENCES)}")
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / MANIFEST_NAME).is_file():
            raise ValueError(f"{out_dir} is not empty and holds no report set; "
                             "choose an empty or new folder")
        for f in sorted(out_dir.rglob("*"), reverse=True):
            f.unlink() if f.is_file() else f.rmdir()
    out_dir.mkdir(parents=True, exist_ok=True)
    facts = workspace_facts(ws)
    projection = workspace_projection(ws, facts)
    con = ws.con
    mode = facts.method if facts.method != "raw_count" else "sample"
    meta = {"petition": f"recall of {facts.officer}, {facts.office}, {facts.jurisdiction}",
            "method": facts.method, "audit_log_head": facts.audit_head_hash}

    files: list[Path] = []
    summary_table = tables.summary(facts)
    files += _write(out_dir, summary_table, meta)
    layout, codes = tables.invalid_by_reason(con, mode)
    files += _write(out_dir, layout, meta)
    files += _write(out_dir, codes, meta)
    by_section = tables.validity_table(con, mode, "section")
    by_circ = tables.validity_table(con, mode, "circulator")
    files += _write(out_dir, by_section, meta)
    files += _write(out_dir, by_circ, meta)
    confidential: list[str] = []
    if audience in ("official", "observer"):
        det = tables.determinations(con, audience)
        files += _write(out_dir, det, meta)
        if det.confidential:
            confidential += [f"{det.name}.csv", f"{det.name}.json"]
            notice = out_dir / "CONFIDENTIAL.txt"
            notice.write_text(tables.CONFIDENTIAL_NOTICE + "\nFiles: "
                              + ", ".join(confidential) + "\n", encoding="utf-8")
            files.append(notice)

    sec_rows = tables.group_counts(con, mode, "section")
    circ_rows = tables.group_counts(con, mode, "circulator")
    same = [tuple(r) for r in con.execute(same_hand_sql(determinations_view(mode))
                                           ).fetchall()]
    anomalies = find_anomalies(sec_rows, circ_rows, same, params)
    anomaly_doc = anomalies.as_dict()
    if audience == "public":
        for s in anomaly_doc["same_hand_patterns"]:
            s["lines"] = len(s["lines"])
    a_path = out_dir / "anomalies.json"
    a_path.write_text(json.dumps(anomaly_doc, indent=2, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    files.append(a_path)
    flagged = tables.Table(
        "anomalies", "Anomaly flags (leads for investigators)",
        ("group_kind", "group", "metric", "count", "examined", "rate_percent",
         "rest_rate_percent", "p_value", "q_value"),
        tuple((f.group_kind, f.group, f.metric, f.count, f.examined, round(100 * f.rate, 2),
               round(100 * f.rest_rate, 2), f"{f.p_value:.3g}", f"{f.q_value:.3g}")
              for f in anomalies.flagged),
        note=anomalies.disclaimer + " " + anomalies.threshold,
    )
    (out_dir / "anomalies.csv").write_text(flagged.to_csv(), encoding="utf-8")
    files.append(out_dir / "anomalies.csv")

    if with_charts:
        files += _charts(ws, facts, projection, layout, sec_rows, circ_rows, out_dir)
    if projection is not None:
        p_path = out_dir / "projection.json"
        p_path.write_text(json.dumps(projection, indent=2, default=str) + "\n", encoding="utf-8")
        files.append(p_path)

    manifest = build_manifest(facts, out_dir, files, audience, confidential,
                              audit_verified(ws), now)
    m_path = write_manifest(out_dir, manifest)
    return ReportSet(out_dir, audience, tuple(files), m_path, _summary(facts, projection,
                                                                       anomalies))


def _charts(ws: Any, facts: PetitionFacts, projection: dict[str, Any] | None,
            layout: tables.Table, sec_rows: list[dict[str, Any]],
            circ_rows: list[dict[str, Any]], out_dir: Path) -> list[Path]:
    chart_dir = out_dir / "charts"
    mode = facts.method if facts.method != "raw_count" else "sample"
    files = charts.validity_chart(sec_rows, "section_id", "Validity by section", chart_dir,
                                   "validity_by_section")
    files += charts.validity_chart(circ_rows, "circulator", "Validity by circulator", chart_dir,
                                   "validity_by_circulator")
    files += charts.reasons_chart([(r[0], int(r[1])) for r in layout.rows[:-1]], chart_dir)
    universe = facts.sample_size if facts.method == "sample" else facts.raw_count
    files += charts.progress_chart(progress_points(ws.con, mode), universe, chart_dir)
    bands = ws.pack.bands
    if projection is not None and bands is not None:
        files += charts.projection_chart(
            projection, facts.required, float(bands.insufficient_below_percent.value),
            float(bands.sufficient_above_percent.value), facts.sample_valid, chart_dir)
    return files


def _summary(facts: PetitionFacts, projection: dict[str, Any] | None, anomalies: Any
             ) -> dict[str, Any]:
    out: dict[str, Any] = {
        "method": facts.method, "raw_count": facts.raw_count, "required": facts.required,
        "examined": facts.examined, "valid": facts.valid, "invalid": facts.invalid,
        "anomalies_flagged": len(anomalies.flagged),
        "same_hand_patterns": len(anomalies.same_hand),
        "audit_log_head": facts.audit_head_hash,
    }
    if projection is not None:
        out["projected_valid"] = projection["projected_valid"]
        out["percent_of_required"] = projection["percent_of_required"]
        out["outcome"] = projection["outcome"]
    elif facts.method == "full":
        out["outcome"] = "sufficient" if facts.valid >= facts.required else "insufficient"
    return out
