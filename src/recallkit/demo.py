"""A whole petition on a synthetic county, end to end, as `make demo` runs it.

The demo uses the same library calls a county would: generate → init → import → raw
count → seeded sample → verify → review → project → (full count) → report → certify.
Lines the engine cannot decide go to the review queue; in the demo a *simulated
reviewer* answers them from the generator's ground truth and is labelled as such in the
audit log.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from recallkit import synth, workspace
from recallkit.reports import reportset
from recallkit.reports.certificate import CertificationError
from recallkit.reports.certify import certify
from recallkit.timeline import plan_recall
from recallkit.verification import review, stages

DEMO_SEED = "3917402885163309471526"  # 22 dice digits, as a public ceremony would produce
DEMO_ACTOR = "demo"
# The demo follows the 2022 Gascón recall calendar: format approved 2022-01-27; the
# synthetic county is shaped around it. Circulation ends on the last day to file for a
# jurisdiction of the generated size (2022-07-06 for 50,000+ voters, EC 11220(a)(5)).
FORMAT_APPROVED = date(2022, 1, 27)
SIMULATED_REVIEWER = "simulated-reviewer (ground truth)"


@dataclass
class StageResult:
    name: str
    status: str  # done | refused | failed
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class DemoRun:
    out: Path
    stages: list[StageResult] = field(default_factory=list)

    def add(self, name: str, status: str, detail: str = "", **data: Any) -> StageResult:
        result = StageResult(name, status, detail, data)
        self.stages.append(result)
        return result


def _truth_voters(petition_dir: Path) -> dict[str, tuple[str, str, str]]:
    """line_id → (expected, reason, voter_id) from the generator's truth.csv; voter_id is
    the signer's registration, empty when they have none."""
    from recallkit.sampling import canonical_line_id

    out: dict[str, tuple[str, str, str]] = {}
    with open(petition_dir / "truth.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            line_id = canonical_line_id(row["section_id"], row["page"], row["line"])
            out[line_id] = (row["expected"], row.get("reason") or "",
                            row.get("voter_id") or "")
    return out


def _simulate_review(ws: Any, truth: dict[str, tuple[str, str, str]], out: Path) -> int:
    """Answer every queued line from ground truth through the bulk-decision import.

    Like a person comparing the line with the candidates, the simulated reviewer also
    names the signer's registration (voter_id), so the duplicates rule sees the right voter.
    """
    queued = [r[0] for r in ws.con.execute(
        "SELECT line_id FROM review_queue WHERE status <> 'decided' ORDER BY line_id"
    ).fetchall()]
    if not queued:
        return 0
    decisions = out / f"simulated-review-{len(list(out.glob('simulated-review-*.csv'))) + 1}.csv"
    with open(decisions, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["line_id", "determination", "reason", "voter_id", "note"])
        for line_id in queued:
            expected, reason, voter_id = truth.get(line_id, ("invalid", "OTHER", ""))
            determination = "valid" if expected == "valid" else "invalid"
            w.writerow([line_id, determination, "" if determination == "valid" else reason,
                        voter_id,
                        "demo: simulated reviewer answering from synthetic ground truth"])
    review.import_decisions(ws, decisions, actor=SIMULATED_REVIEWER)
    return len(queued)


def _accuracy(ws: Any, truth: dict[str, tuple[str, str]], mode: str) -> dict[str, Any]:
    view = "sample_determinations" if mode == "sample" else "full_count_determinations"
    rows = ws.con.execute(
        f"SELECT line_id, determination, coalesce(reason, ''), decided_by FROM {view}"
    ).fetchall()
    right = right_reason = auto = auto_wrong = 0
    for line_id, determination, reason, decided_by in rows:
        expected, exp_reason = truth.get(line_id, ("?", "?"))
        if mode == "sample" and exp_reason == "DUPLICATE" and reason != "DUPLICATE":
            # Truth marks duplicates across the whole petition; a sample only sees the
            # duplicates within itself (2 CCR 20530), so the line is valid in the sample.
            expected, exp_reason = "valid", ""
        ok = determination == ("valid" if expected == "valid" else "invalid")
        right += ok
        right_reason += ok and (determination == "valid" or reason == exp_reason)
        if decided_by.startswith("engine"):
            auto += 1
            auto_wrong += not ok
    n = len(rows) or 1
    return {
        "lines": len(rows),
        "decided_automatically": auto,
        "automatic_share": f"{auto / n:.1%}",
        "automatic_wrong": auto_wrong,
        "right_determination": f"{right / n:.2%}",
        "right_determination_and_reason": f"{right_reason / n:.2%}",
    }


def run_demo(
    out: Path,
    voters: int = 200_000,
    signatures: int = 25_000,
    seed: int = 2022,
    step: Callable[[str], Any] | None = None,
) -> DemoRun:
    """Run the whole petition. `step(label)` returns a context manager shown while a stage runs."""
    from contextlib import nullcontext

    step = step or (lambda _label: nullcontext())
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    run = DemoRun(out)
    county_dir, petition_dir, ws_dir = out / "county", out / "petition", out / "workspace"

    with step(f"Generating a synthetic county of {voters:,} voters"):
        county = synth.generate_county(voters, seed, county_dir, county="Los Angeles", images=0)
    run.add("synthetic county", "done", f"{county_dir / 'voters.csv'}", summary=str(county))
    registered = _registered_in_county(county_dir / "voters.csv", "Los Angeles")
    last_day = plan_recall("ca-local", registered, format_approved=FORMAT_APPROVED)
    with step(f"Generating a petition of {signatures:,} signature lines"):
        petition = synth.generate_petition(
            county_dir / "voters.csv", signatures, seed, petition_dir,
            circulation_from=FORMAT_APPROVED, circulation_to=last_day.circulation_deadline,
            images=True,
        )
    run.add("synthetic petition", "done", f"{petition_dir}", summary=str(petition))

    if ws_dir.exists():
        import shutil

        shutil.rmtree(ws_dir)
    filed = _filing_date(petition_dir / "sections.csv")
    ws = workspace.create_workspace(
        ws_dir, rules="ca-local", jurisdiction="County of Los Angeles (synthetic)",
        office="District Attorney", officer="Synthetic Officer", measure=registered,
        format_approved=FORMAT_APPROVED, counties=["Los Angeles"], filed=filed, actor=DEMO_ACTOR,
    )
    run.add("init", "done", f"{ws_dir}: {registered:,} registered voters → "
            f"{ws.petition.required:,} valid signatures required")
    imports = (
        ("voters", workspace.import_voters, county_dir / "voters.csv"),
        ("voter history", workspace.import_voter_history, county_dir / "voter_history.csv"),
        ("sections", workspace.import_sections, petition_dir / "sections.csv"),
        ("signatures", workspace.import_signatures, petition_dir / "signatures.csv"),
        ("withdrawals", workspace.import_withdrawals, petition_dir / "withdrawals.csv"),
        ("signatures on file", workspace.import_signature_images,
         petition_dir / "voter_images.csv"),
    )
    for label, fn, path in imports:
        if not path.exists():
            continue
        with step(f"Importing {label}"):
            report = fn(ws, path, actor=DEMO_ACTOR)
        run.add(f"import {label}", "done",
                f"read {report.read:,} = accepted {report.accepted:,} + rejected "
                f"{report.rejected:,}")

    rc = workspace.raw_count(ws)
    run.add("raw count", "done", f"{rc.total:,} lines; gate: {rc.gate} ({rc.cite})",
            raw=rc.total)
    if rc.gate != "proceed":
        return _finish(run, ws)

    truth_voters = _truth_voters(petition_dir)
    truth = {k: v[:2] for k, v in truth_voters.items()}
    with step("Drawing the seeded random sample"):
        stages.draw_sample(ws, DEMO_SEED, DEMO_ACTOR)
    size = ws.con.execute("SELECT count(*) FROM sample").fetchone()[0]
    run.add("sample", "done", f"{size:,} lines drawn with public seed {DEMO_SEED}")
    with step("Matching the sample against the voter file"):
        stages.verify(ws, "sample", DEMO_ACTOR)
    queued = _simulate_review(ws, truth_voters, out)
    run.add("verify sample", "done", f"{queued:,} lines answered by the simulated reviewer",
            accuracy=_accuracy(ws, truth, "sample"))
    projection = stages.project_workspace(ws)
    run.add("projection", "done",
            f"projected valid {projection.projected_valid:,} = "
            f"{projection.percent_of_required}% of required → {projection.outcome}")
    if projection.outcome == "full_count":
        with step("Full count: matching every signature"):
            stages.verify(ws, "full", DEMO_ACTOR)
        queued = _simulate_review(ws, truth_voters, out)
        progress = stages.progress(ws)
        run.add("full count", "done",
                f"{queued:,} lines answered by the simulated reviewer; {progress}",
                accuracy=_accuracy(ws, truth, "full"))
    return _finish(run, ws)


def _finish(run: DemoRun, ws: Any) -> DemoRun:
    report = reportset.write_report_set(ws, run.out / "report")
    run.add("report", "done", f"{report.out_dir} ({len(report.files)} files, "
            f"manifest {report.manifest.name})")
    public = reportset.write_report_set(ws, run.out / "report-public", audience="public")
    run.add("public report", "done", f"{public.out_dir} (aggregates only)")
    try:
        cert = certify(ws, actor=DEMO_ACTOR, official="Demo Registrar")
    except CertificationError as exc:  # a refusal is a finding, shown as written
        run.add("certificate", "refused", str(exc))
    else:
        files = ", ".join(str(p) for p in cert.files.values())
        run.add("certificate", "done",
                f"{cert.certificate.outcome.upper()}: {cert.certificate.finding} ({files})")
    check = workspace.verify_audit(ws)
    run.add("audit log", "done" if check.ok else "failed", check.message)
    ws.close()
    return run


def _registered_in_county(voters_csv: Path, county: str) -> int:
    """Registered (active or inactive) voters of the county: the EC 11221 measure."""
    import duckdb

    con = duckdb.connect()
    try:
        return int(con.execute(
            "SELECT count(*) FROM read_csv(?, header=true, all_varchar=true) "
            "WHERE upper(county) = upper(?) AND lower(status) IN ('active', 'inactive', 'a', 'i')",
            [str(voters_csv), county],
        ).fetchone()[0])
    finally:
        con.close()


def _filing_date(sections_csv: Path) -> date:
    """All sections are filed at once (EC 11222(a)); the latest date_filed is that day."""
    with open(sections_csv, newline="", encoding="utf-8") as fh:
        return max(date.fromisoformat(row["date_filed"]) for row in csv.DictReader(fh))
