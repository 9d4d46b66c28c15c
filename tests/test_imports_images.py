"""Signatures on file (`signature-images import`): attached to known voters, relative paths
resolved against the list's folder, unknown voters rejected with row and column, audited,
locked with the voters once a sample is drawn."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recallkit.cli import app
from recallkit.workspace import (
    AlreadyImported,
    ImportFailed,
    StageLocked,
    create_workspace,
    import_signature_images,
    import_voters,
    verify_audit,
)

VOTERS = (
    "voter_id,first_name,last_name,residence_address,city,zip,county,registration_date,status,"
    "signature_image\n"
    "V1,Ann,Lee,1 Main St,LA,90012,Los Angeles,2020-01-01,active,\n"
    "V2,Bo,Kim,2 Main St,LA,90012,Los Angeles,2020-01-01,active,\n"
    "V3,Cy,Park,3 Main St,LA,90012,Los Angeles,2020-01-01,active,/old/V3.png\n"
)


@pytest.fixture
def ws(tmp_path):
    w = create_workspace(tmp_path / "ws", rules="ca-local", jurisdiction="Tiny City",
                         office="Mayor", officer="Test Officer", measure=4_000,
                         format_approved=date(2024, 1, 10), counties=["Los Angeles"])
    src = tmp_path / "voters.csv"
    src.write_text(VOTERS, encoding="utf-8")
    import_voters(w, src)
    yield w
    w.close()


def images(ws) -> dict[str, str | None]:
    return dict(ws.con.execute("SELECT voter_id, signature_image FROM voters").fetchall())


def write(folder: Path, text: str, name: str = "voter_images.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def test_known_voters_get_absolute_paths_unknown_are_rejected(ws, tmp_path):
    folder = tmp_path / "county"
    f = write(folder, "voter_id,signature_image\n"
                      "V1,images/voters/V1.png\n"
                      "NOPE,images/voters/NOPE.png\n"
                      "V2,./images/V2.png\n"
                      "V3,https://imaging.example/V3.png\n"
                      "V1,images/voters/V1-again.png\n"
                      ",x.png\n")
    r = import_signature_images(ws, f, actor="clerk")
    assert (r.read, r.accepted, r.rejected) == (6, 3, 3)
    assert r.read == r.accepted + r.rejected
    got = images(ws)
    base = folder.resolve()
    assert got["V1"] == str(base / "images" / "voters" / "V1.png")
    assert got["V2"] == str(base / "images" / "V2.png")
    assert got["V3"] == "https://imaging.example/V3.png"
    assert "NOPE" not in got
    with open(r.rejects_file, newline="", encoding="utf-8") as fh:
        bad = {(x["source_row"], x["column"]): x["reason"] for x in csv.DictReader(fh)}
    assert "no voter with this voter_id" in bad[("3", "voter_id")]
    assert "repeats row 2" in bad[("6", "voter_id")]
    assert "empty" in bad[("7", "voter_id")]
    assert any("already had a different signature image" in w for w in r.warnings)
    entry = ws.con.execute("SELECT actor, action, params::VARCHAR, input_hashes::VARCHAR "
                           "FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()[0]
    assert entry[:2] == ("clerk", "import_signature_images")
    params = json.loads(entry[2])
    assert (params["accepted"], params["rejected"], params["replaced_rows"]) == (3, 3, 1)
    assert json.loads(entry[3]) == {"voter_images.csv": r.sha256}
    assert verify_audit(ws).ok
    kinds = ws.con.execute("SELECT kind, read FROM imports ORDER BY import_id").fetchall()
    assert kinds[-1] == ("signature_images", 6)


def test_header_problems_fail_fast_and_reimport_needs_replace(ws, tmp_path):
    with pytest.raises(ImportFailed, match="signature_image"):
        import_signature_images(ws, write(tmp_path, "voter_id,path\nV1,a.png\n", "bad.csv"))
    f = write(tmp_path, "voter_id,signature_image\nV1,/a/V1.png\n")
    import_signature_images(ws, f)
    with pytest.raises(AlreadyImported, match="--replace"):
        import_signature_images(ws, f)
    again = import_signature_images(ws, f, replace=True)
    assert again.accepted == 1 and images(ws)["V1"] == "/a/V1.png"
    assert ws.con.execute("SELECT count(*) FROM voters").fetchall()[0][0] == 3


def test_a_failed_import_changes_nothing(ws, tmp_path, monkeypatch):
    import recallkit.workspace.imports as imports

    before = images(ws)
    seq = ws.con.execute("SELECT max(seq) FROM audit_log").fetchall()[0][0]

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_report", boom)
    with pytest.raises(RuntimeError):
        import_signature_images(ws, write(tmp_path, "voter_id,signature_image\nV1,/x.png\n"))
    assert images(ws) == before
    assert ws.con.execute("SELECT max(seq) FROM audit_log").fetchall()[0][0] == seq
    assert ws.con.execute("SELECT count(*) FROM imports WHERE kind = 'signature_images'"
                          ).fetchall()[0][0] == 0


def test_locked_with_the_voters_once_sampled(ws, tmp_path):
    ws.con.execute("UPDATE petition SET stage = 'sampled'")
    with pytest.raises(StageLocked, match="signatures on file"):
        import_signature_images(ws, write(tmp_path, "voter_id,signature_image\nV1,/x.png\n"))


def test_cli(ws, tmp_path):
    f = write(tmp_path / "imgs", "voter_id,signature_image\nV2,V2.png\n")
    path = ws.path
    ws.close()
    res = CliRunner().invoke(app, ["signature-images", "import", str(path), str(f), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert (out["read"], out["accepted"], out["rejected"]) == (1, 1, 0)


def test_images_not_on_disk_are_noticed(ws, tmp_path):
    folder = tmp_path / "imaging"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "V1.png").write_bytes(b"png")
    ok = import_signature_images(ws, write(folder, "voter_id,signature_image\nV1,img/V1.png\n"))
    assert not any("not on disk" in w for w in ok.warnings)
    moved = import_signature_images(ws, write(folder, "voter_id,signature_image\n"
                                                      "V2,elsewhere/V2.png\n", "more.csv"))
    assert moved.accepted == 1
    assert any("1 of the first 1 signature images are not on disk" in w
               for w in moved.warnings)


def test_petition_line_images_are_stored_absolute(ws, tmp_path):
    """Scanned line signatures named relative to signatures.csv are found from anywhere."""
    from recallkit.workspace import import_sections, import_signatures

    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "sections.csv").write_text(
        "section_id,county,pages,signature_lines,circulator_name,circulator_address,"
        "declaration_signed,circulated_from,circulated_to,date_filed\n"
        "S1,Los Angeles,1,2,C Person,1 Main St,true,2024-01-11,2024-02-01,2024-02-05\n",
        encoding="utf-8")
    (folder / "signatures.csv").write_text(
        "section_id,page,line,printed_name,residence_address,city,zip,has_signature,"
        "signature_image\n"
        "S1,1,1,Ann Lee,1 Main St,LA,90012,true,images/S1-1-1.png\n"
        "S1,1,2,Bo Kim,2 Main St,LA,90012,true,https://imaging.example/S1-1-2.png\n",
        encoding="utf-8")
    import_sections(ws, folder / "sections.csv")
    import_signatures(ws, folder / "signatures.csv")
    stored = dict(ws.con.execute("SELECT line_id, signature_image FROM signatures").fetchall())
    assert stored["S1:1:1"] == str(folder.resolve() / "images" / "S1-1-1.png")
    assert stored["S1:1:2"] == "https://imaging.example/S1-1-2.png"
