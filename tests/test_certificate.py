"""Certificate of sufficiency/insufficiency: the decision, the lock, the audit, the PDF page."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recallkit.reports.certificate import CertificationError, build_certificate, decide
from recallkit.reports.certify import certify
from recallkit.reports.facts import gather
from recallkit.rules import load_pack
from test_reports_fixture import REQUIRED, build

LOCAL = load_pack("ca-local")


def _proj(outcome: str, projected: int = 1000, pct: str = "111.11") -> dict:
    return {"projected_valid": projected, "percent_of_required": pct, "outcome": outcome,
            "steps": [{"name": "projected_valid", "value": projected, "rule": "U − E",
                       "cite": "2 CCR 20530-20532"}], "confidence": None}


@pytest.fixture(scope="module")
def certified(tmp_path_factory: pytest.TempPathFactory):
    b = build(tmp_path_factory.mktemp("cert") / "ws")
    head_before = b.ws.con.execute(
        "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
    result = certify(b.ws, "sup", "Tim Dupuis", "Registrar of Voters", date(2024, 3, 12))
    return b, result, head_before


def test_certificate_states_every_required_fact(certified) -> None:
    b, result, head_before = certified
    c = result.certificate.as_dict()
    assert c["outcome"] == "sufficient" and c["basis"] == "sample"
    p = c["petition"]
    assert p["required"] == REQUIRED and p["raw_count"] == b.raw
    assert p["sample_size"] == 500 and p["sample_seed"]
    assert p["audit_head_hash"] == head_before
    cites = {x["cite"] for x in c["citations"]}
    for cite in ("EC 11222(b)", "EC 11225(a)", "EC 11226", "EC 11227", "2 CCR 20530-20532",
                 "2 CCR 20540"):
        assert cite in cites, cite
    names = [s["name"] for s in c["projection"]["steps"]]
    assert {"p", "U", "A", "W", "E", "projected_valid"} <= set(names)
    assert all(s["cite"] for s in c["projection"]["steps"])
    html = result.files["html"].read_text()
    for text in ("CERTIFICATE OF SUFFICIENCY", "Tim Dupuis", "Registrar of Voters",
                 head_before, "IN WITNESS WHEREOF", "County of Alameda"):
        assert text in html, text


def test_certify_locks_and_audits(certified) -> None:
    from recallkit.workspace.audit import check_entries, read_entries

    b, result, _ = certified
    assert b.ws.stage == "certified"
    entries = read_entries(b.ws.con)
    last = entries[-1]
    assert last.action == "certify" and last.actor == "sup"
    assert last.params["certificate_digest"] == result.certificate.digest()
    assert result.hashes["pdf"] in last.input_hashes.values()
    assert check_entries(entries).ok
    with pytest.raises(CertificationError, match="already certified"):
        certify(b.ws, "sup")


def test_pdf_page_renders_non_blank(certified, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed; .ci/run "
                    "installs it")
    from PIL import Image

    _, result, _ = certified
    pdf = result.files["pdf"]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    page = next(tmp_path.glob("page*.png"))
    with Image.open(page) as im:
        gray = im.convert("L")
        w, h = gray.size
        assert h > w  # portrait letter
        hist = gray.histogram()
        dark = sum(hist[:128]) / (w * h)
        assert 0.005 < dark < 0.5, dark  # text on a white page


def test_raw_count_below_requirement_is_insufficient(tmp_path: Path) -> None:
    b = build(tmp_path / "ws")
    facts = replace(gather(b.ws.con), raw_count=REQUIRED - 1)
    d = decide(facts, LOCAL, None)
    assert (d.outcome, d.basis, d.cite) == ("insufficient", "raw_count", "EC 11222(b)")
    cert = build_certificate(facts, LOCAL, None, date(2024, 3, 1))
    assert cert.title.startswith("CERTIFICATE OF INSUFFICIENCY")


def test_decisions_refuse_what_cannot_be_certified(tmp_path: Path) -> None:
    b = build(tmp_path / "ws")
    facts = gather(b.ws.con)
    with pytest.raises(CertificationError, match="every signature must be examined"):
        decide(facts, LOCAL, _proj("full_count", 950, "105.55"))
    assert decide(facts, LOCAL, _proj("insufficient", 700, "77.77")).cite == "EC 11225(a)(1)"
    unfinished = replace(facts, examined=499)
    with pytest.raises(CertificationError, match="not finished"):
        decide(unfinished, LOCAL, _proj("sufficient"))
    with pytest.raises(CertificationError, match="Secretary of State"):
        build_certificate(facts, load_pack("ca-state"), None, date(2024, 3, 1))


def test_full_count_certificate(tmp_path: Path) -> None:
    b = build(tmp_path / "ws", method="full")
    facts = gather(b.ws.con)
    assert facts.method == "full" and facts.complete
    cert = build_certificate(facts, LOCAL, None, date(2024, 3, 1))
    valid = sum(1 for r in b.truth.values() if r is None)
    assert facts.valid == valid
    assert cert.outcome == ("sufficient" if valid >= REQUIRED else "insufficient")
    assert cert.basis == "full" and "EC 11224" in cert.finding


def test_only_a_supervisor_certifies(tmp_path: Path) -> None:
    b = build(tmp_path / "ws")
    b.ws.con.execute("INSERT INTO users VALUES ('rev', 'reviewer', 'x', now(), false)")
    with pytest.raises(CertificationError, match="supervisor"):
        certify(b.ws, "rev")
    assert b.ws.stage != "certified"


def test_certify_cli_json(tmp_path: Path) -> None:
    from recallkit.cli import app

    b = build(tmp_path / "ws")
    b.ws.close()
    res = CliRunner().invoke(app, ["certify", str(tmp_path / "ws"), "--actor", "sup",
                                   "--official", "A. Clerk", "--date", "2024-03-12", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["outcome"] == "sufficient" and Path(doc["files"]["pdf"]).is_file()
    again = CliRunner().invoke(app, ["certify", str(tmp_path / "ws"), "--actor", "sup"])
    assert again.exit_code != 0 and "already certified" in again.output
