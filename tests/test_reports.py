"""Report set against a synthetic petition with known truth: tables, manifest, audiences."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recallkit.reports.anomalies import AnomalyParams, benjamini_hochberg, find_anomalies
from recallkit.reports.manifest import sha256_file, verify_manifest
from recallkit.reports.reportset import write_report_set
from recallkit.reports.tables import LA_2022_CATEGORIES, REASON_CATEGORY, category_of
from test_reports_fixture import BAD_CIRCULATOR, build


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("reports")
    b = build(base / "ws")
    rs = write_report_set(b.ws, base / "out", "official")
    return b, rs


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_reason_code_has_an_la_category() -> None:
    codes = {"NOT_REGISTERED", "REGISTERED_LATE", "OUT_OF_JURISDICTION", "WRONG_COUNTY_SECTION",
             "ADDRESS_MISMATCH", "NO_ADDRESS", "ILLEGIBLE", "NO_SIGNATURE", "SIGNATURE_MISMATCH",
             "NOT_PERSONALLY_AFFIXED", "DUPLICATE", "CANCELLED", "WITHDRAWN",
             "SIGNED_BEFORE_APPROVAL", "SECTION_FILED_LATE", "CIRCULATOR_DECLARATION_DEFECT",
             "SECTION_FORMAT_DEFECT", "OTHER"}
    assert codes == set(REASON_CATEGORY)
    assert set(REASON_CATEGORY.values()) <= set(LA_2022_CATEGORIES)
    assert category_of("SOMETHING_NEW") == "other"


def test_invalid_by_reason_matches_truth(official) -> None:
    b, rs = official
    truth = Counter(category_of(r) for r in b.truth.values() if r is not None)
    rows = {r["category"]: int(r["count"]) for r in _csv(rs.out_dir / "invalid_by_reason.csv")}
    assert [c for c in rows][:7] == list(LA_2022_CATEGORIES)
    for cat in LA_2022_CATEGORIES:
        assert rows[cat] == truth.get(cat, 0), cat
    assert rows["total invalid"] == sum(truth.values())
    codes = {r["reason"]: int(r["count"]) for r in _csv(rs.out_dir / "invalid_by_code.csv")}
    assert codes == dict(Counter(r for r in b.truth.values() if r is not None))


def test_summary_and_groups_match_truth(official) -> None:
    b, rs = official
    valid = sum(1 for r in b.truth.values() if r is None)
    assert rs.summary["examined"] == len(b.sample) == 500
    assert rs.summary["valid"] == valid
    assert rs.summary["raw_count"] == b.raw
    sections = _csv(rs.out_dir / "by_section.csv")
    assert sum(int(r["examined"]) for r in sections) == 500
    assert sum(int(r["lines"]) for r in sections) == b.raw
    per_section = Counter(k.split(":")[0] for k, r in b.truth.items() if r is None)
    for r in sections:
        assert int(r["valid"]) == per_section.get(r["section_id"], 0)
    circ = {r["circulator"]: r for r in _csv(rs.out_dir / "by_circulator.csv")}
    assert float(circ[BAD_CIRCULATOR]["validity_percent"]) < 50


def test_projection_and_outcome_come_from_the_statutory_formula(official) -> None:
    from recallkit.projection import project
    from recallkit.rules import load_pack

    b, rs = official
    valid = sum(1 for r in b.truth.values() if r is None)
    dups = sum(1 for r in b.truth.values() if r == "DUPLICATE")
    expect = project(b.raw, 500, valid, dups, 900, load_pack("ca-local"))
    assert rs.summary["projected_valid"] == expect.projected_valid
    assert rs.summary["outcome"] == expect.outcome
    doc = json.loads((rs.out_dir / "projection.json").read_text())
    assert [s["name"] for s in doc["steps"]][:4] == ["raw_count", "sample", "valid_in_sample",
                                                     "duplicates_in_sample"]


def test_manifest_lists_inputs_outputs_and_audit_head(official) -> None:
    b, rs = official
    m = json.loads(rs.manifest.read_text())
    head = b.ws.con.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert m["audit_log_head"]["sha256"] == head
    assert m["audit_log_head"]["chain_verified"] is True
    assert {i["sha256"] for i in m["inputs"]} == {sha256_file(p) for p in b.inputs}
    listed = {o["path"]: o for o in m["outputs"]}
    on_disk = {p.relative_to(rs.out_dir).as_posix() for p in rs.out_dir.rglob("*")
               if p.is_file() and p.name != "manifest.json"}
    assert set(listed) == on_disk
    for rel, entry in listed.items():
        assert sha256_file(rs.out_dir / rel) == entry["sha256"]
    assert "confidential" in listed["determinations_confidential.csv"]
    assert verify_manifest(rs.out_dir) == []


def test_manifest_detects_a_changed_file(tmp_path: Path, official) -> None:
    import shutil

    _, rs = official
    copy = tmp_path / "copy"
    shutil.copytree(rs.out_dir, copy)
    (copy / "summary.csv").write_text("item,value\nvalid,999999\n")
    (copy / "extra.txt").write_text("x")
    problems = verify_manifest(copy)
    assert any("summary.csv" in p and "changed" in p for p in problems)
    assert any("extra.txt" in p for p in problems)


def test_official_determinations_are_confidential_and_complete(official) -> None:
    b, rs = official
    rows = _csv(rs.out_dir / "determinations_confidential.csv")
    assert len(rows) == 500
    assert "voter_id" in rows[0] and "printed_name" in rows[0]
    got = {r["line_id"]: (r["reason"] or None) for r in rows}
    assert got == b.truth
    doc = json.loads((rs.out_dir / "determinations_confidential.json").read_text())
    assert "7924.110" in doc["confidential"]
    assert (rs.out_dir / "CONFIDENTIAL.txt").is_file()


def test_observer_and_public_variants_hold_no_voter_data(tmp_path: Path) -> None:
    b = build(tmp_path / "ws")
    obs = write_report_set(b.ws, tmp_path / "obs", "observer", with_charts=False)
    pub = write_report_set(b.ws, tmp_path / "pub", "public", with_charts=False)
    rows = _csv(obs.out_dir / "determinations.csv")
    assert len(rows) == 500 and "voter_id" not in rows[0] and "printed_name" not in rows[0]
    assert not list(pub.out_dir.glob("determinations*"))
    for folder in (obs.out_dir, pub.out_dir):
        for f in folder.rglob("*"):
            if f.suffix in (".csv", ".json", ".txt"):
                text = f.read_text()
                assert "Signer " not in text and "V000" not in text, f
        assert verify_manifest(folder) == []


def test_charts_are_written_as_png_and_svg(official) -> None:
    from PIL import Image

    _, rs = official
    for stem in ("validity_by_section", "validity_by_circulator", "reasons", "progress",
                 "projection"):
        png = rs.out_dir / "charts" / f"{stem}.png"
        assert (rs.out_dir / "charts" / f"{stem}.svg").stat().st_size > 1000
        with Image.open(png) as im:
            assert im.size[0] > 300
            assert im.convert("L").getextrema()[0] < 128  # not blank


def test_anomalies_flag_the_bad_circulator_and_same_hand(official) -> None:
    _, rs = official
    doc = json.loads((rs.out_dir / "anomalies.json").read_text())
    assert "never" in doc["disclaimer"] and "q-value" in doc["threshold"]
    flagged = {(f["group_kind"], f["group"], f["metric"]) for f in doc["flagged"]}
    assert ("circulator", BAD_CIRCULATOR, "invalid") in flagged
    assert not any(k == "circulator" and g != BAD_CIRCULATOR and m == "invalid"
                   for k, g, m in flagged)
    assert [s["section_id"] for s in doc["same_hand_patterns"]] == ["AL-0002"]


def test_anomalies_on_uniform_groups_flag_nothing() -> None:
    rows = [{"section_id": f"S{i}", "examined": 100, "invalid": 27, "duplicates": 6,
             "same_hand": 0} for i in range(10)]
    rep = find_anomalies(rows, [], [], AnomalyParams())
    assert rep.flagged == ()


def test_benjamini_hochberg_matches_hand_computation() -> None:
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.5])
    assert q == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])


def test_report_cli(tmp_path: Path) -> None:
    from recallkit.cli import app

    b = build(tmp_path / "ws")
    b.ws.close()
    res = CliRunner().invoke(app, ["report", str(tmp_path / "ws"), "--out",
                                   str(tmp_path / "out"), "--audience", "public", "--no-charts",
                                   "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["audience"] == "public" and "summary.csv" in doc["files"]
    bad = CliRunner().invoke(app, ["report", str(tmp_path / "nope"), "--out",
                                   str(tmp_path / "o2")])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
