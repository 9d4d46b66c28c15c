"""`recallkit demo` runs a whole petition: every stage done, the certificate issued, the
report's figures equal to the certificate's, the audit chain intact."""

from __future__ import annotations

import json

import pytest

from recallkit.demo import run_demo


@pytest.mark.slow
def test_demo_runs_a_whole_petition(tmp_path):
    run = run_demo(tmp_path / "demo", voters=20_000, signatures=5_000, seed=11)
    stages = {s.name: s for s in run.stages}
    assert all(s.status == "done" for s in run.stages), [(s.name, s.status, s.detail)
                                                         for s in run.stages]
    for name in ("init", "import voters", "raw count", "sample", "verify sample",
                 "projection", "report", "certificate", "audit log"):
        assert name in stages, name
    # a jurisdiction of this size files within its own circulation period, so the sample
    # is examined on its merits and the band sends it to a full count
    assert "full count" in stages, stages["projection"].detail
    summary = json.loads((tmp_path / "demo" / "report" / "summary.json").read_text())
    figures = {row["item"]: row["value"] for row in summary["rows"]}
    cert = next((tmp_path / "demo" / "workspace" / "reports").glob("certificate-*.json"))
    certificate = json.loads(cert.read_text())["petition"]
    assert figures["method"] == certificate["method"] == "full"
    assert figures["valid"] == certificate["valid"] and figures["examined"] == 5_000
    assert "SECTION_FILED_LATE" not in (tmp_path / "demo" / "report" /
                                        "invalid_by_code.csv").read_text()
    public = (tmp_path / "demo" / "report-public").rglob("*.json")
    voter_ids = {line.split(",")[0] for line in
                 (tmp_path / "demo" / "county" / "voters.csv").read_text().splitlines()[1:50]}
    for path in public:
        text = path.read_text()
        assert not any(v in text for v in voter_ids), path
