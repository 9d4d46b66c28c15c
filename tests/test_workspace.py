"""Workspace: creation, stage lock and reopen, audit chain and tampering, exports, raw
count, profiles, and the CLI (including the served-workspace refusal)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from recallkit.cli import app
from recallkit.workspace import (
    EXPORTABLE,
    StageLocked,
    create_workspace,
    export_table,
    import_sections,
    import_signatures,
    import_voters,
    import_withdrawals,
    open_workspace,
    raw_count,
    reopen,
    run_import,
    verify_audit,
)

BROKEN = Path(__file__).parent / "fixtures" / "broken"
SECTIONS = (
    "section_id,county,pages,signature_lines,circulator_name,circulator_address,"
    "declaration_signed,circulated_from,circulated_to,date_filed,defects\n"
    " s-1 ,Los Angeles,2,3,Pat Doe,1 Elm St,true,2022-01-20,2022-03-01,2022-06-01,\n"
    "S-2,Orange,1,2,Sam Roe,2 Elm St,no,2022-02-01,2022-03-01,2022-06-01,"
    "CIRCULATOR_DECLARATION_DEFECT\n"
)
SIGNATURES = (
    "section_id,page,line,printed_name,residence_address,city,zip,has_signature,struck\n"
    "S-1,1,01,Ann Lee,1 Main St,LA,90012,true,\n"
    "S-1,1,2,,,,,false,\n"
    "S-1,2,1,Bo Kim,2 Main,LA,9001x,yes,true\n"
    "s-2,1,1,Cy Park,3 Oak,Anaheim,92801,1,no\n"
    "S-2,1,1,Cy Park again,3 Oak,Anaheim,92801,1,no\n"
    "S-2,0,3,Di,,,,1,\n"
)


@pytest.fixture
def ws(tmp_path):
    w = create_workspace(tmp_path / "ws", rules="ca-local", jurisdiction="Tiny City",
                         office="Mayor", officer="Test Officer", measure=4_000,
                         format_approved=date(2024, 1, 10), counties=["Los Angeles"])
    yield w
    w.close()


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_create_records_requirement_deadline_and_layout(ws):
    p = ws.petition
    assert p.required == 1000  # 25% of 4,000 (EC 11221(a)(2))
    assert p.circulation_deadline > p.format_approved
    assert p.stage == "intake" and p.counties == ("Los Angeles",)
    for d in (ws.rejects_dir, ws.exports_dir, ws.reports_dir):
        assert d.is_dir()
    versions = ws.con.execute("SELECT version FROM schema_migrations").fetchall()
    assert versions[0][0] == 1
    assert verify_audit(ws).ok


def test_sections_signatures_and_raw_count(ws, tmp_path):
    r = import_sections(ws, write(tmp_path, "sections.csv", SECTIONS))
    assert (r.accepted, r.rejected) == (2, 0)
    assert ws.con.execute("SELECT defects FROM sections WHERE section_id='S-2'"
                          ).fetchall() == [(["CIRCULATOR_DECLARATION_DEFECT"],)]
    r = import_signatures(ws, write(tmp_path, "signatures.csv", SIGNATURES))
    assert (r.read, r.accepted, r.rejected) == (6, 4, 2)
    ids = [x[0] for x in ws.con.execute("SELECT line_id FROM signatures ORDER BY 1").fetchall()]
    assert ids == ["S-1:1:1", "S-1:1:2", "S-1:2:1", "S-2:1:1"]
    rc = raw_count(ws)
    assert rc.total == 3 and rc.by_section == {"S-1": 2, "S-2": 1}
    assert rc.by_county == {"Los Angeles": 2, "Orange": 1}
    assert rc.gate == "insufficient" and rc.cite == "EC 11222(b)"


def test_raw_count_falls_back_to_sections_lines(ws, tmp_path):
    import_sections(ws, write(tmp_path, "sections.csv", SECTIONS))
    rc = raw_count(ws)
    assert rc.total == 5 and rc.source == "sections"


def test_withdrawals(ws, tmp_path):
    text = ("printed_name,residence_address,city,zip,date_received\n"
            "Ann Lee,1 Main St,LA,90012,2022-05-01\nBo,,,,not a date\n")
    r = import_withdrawals(ws, write(tmp_path, "w.csv", text))
    assert (r.accepted, r.rejected) == (1, 1)
    assert ws.con.execute("SELECT withdrawal_id FROM withdrawals").fetchall() == [(1,)]


def test_stage_lock_and_audited_reopen(ws, tmp_path):
    import_voters(ws, BROKEN / "bom.csv")
    ws.set_stage("sampled", "supervisor:kim")
    with pytest.raises(StageLocked, match="Cannot change voters"):
        import_voters(ws, BROKEN / "crlf.csv")
    with pytest.raises(StageLocked):
        import_signatures(ws, write(tmp_path, "signatures.csv", SIGNATURES))
    reopen(ws, "supervisor:kim", "county sent a corrected voter file")
    assert ws.stage == "intake"
    import_voters(ws, BROKEN / "crlf.csv")
    last = ws.con.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 3").fetchall()
    assert [a[0] for a in last] == ["import_voters", "reopen", "set_stage"]


def test_failed_import_changes_nothing(ws, tmp_path, monkeypatch):
    import recallkit.workspace.imports as imports

    before = ws.con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_warnings", boom)
    with pytest.raises(RuntimeError):
        import_voters(ws, BROKEN / "duplicate_ids.csv")
    assert ws.con.execute("SELECT count(*) FROM voters").fetchall()[0][0] == 0
    assert ws.con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0] == before
    assert list(ws.rejects_dir.iterdir()) == []


@pytest.mark.parametrize("column,value", [("actor", "'mallory'"), ("params", "'{}'"),
                                          ("prev_hash", "'00'"), ("hash", "'ff'")])
def test_audit_tampering_is_detected_at_the_entry(ws, column, value):
    import_voters(ws, BROKEN / "bom.csv")
    ws.set_stage("sampled", "a")
    ws.con.execute(f"UPDATE audit_log SET {column} = {value} WHERE seq = 2")
    check = verify_audit(ws)
    assert not check.ok and check.first_broken_seq == 2


def test_audit_deleted_entry_is_detected(ws):
    import_voters(ws, BROKEN / "bom.csv")
    ws.set_stage("sampled", "a")
    ws.con.execute("DELETE FROM audit_log WHERE seq = 2")
    check = verify_audit(ws)
    assert not check.ok and check.first_broken_seq == 3


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_every_public_table_exports(ws, tmp_path, fmt):
    import_voters(ws, BROKEN / "bom.csv")
    for table in EXPORTABLE:
        out = export_table(ws, table, fmt, tmp_path / f"{table}.{fmt}")
        assert out.exists()
    n = duckdb.sql(f"SELECT count(*) FROM '{tmp_path}/voters.{fmt}'").fetchall()[0][0]
    assert n == 1
    with pytest.raises(Exception, match="cannot export"):
        export_table(ws, "users", fmt, tmp_path / "users.csv")


VOTECAL = (
    "RegistrantID,LastName,FirstName,MiddleName,Suffix,AddressNumber,HouseFractionNumber,"
    "StreetDirPrefix,StreetName,StreetType,StreetDirSuffix,UnitType,UnitNumber,City,State,Zip,"
    "County,MailingAddress1,Phone,RegistrationDate,Status,StatusDate,BirthYear,PartyCode,"
    "PrecinctNumber\n"
    "1001,GARCIA,MARIA,L,,1234,1/2,N,MAIN,ST,,APT,5,LOS ANGELES,CA,90012-3344,Los Angeles,,,"
    "03/15/2004,A,,1970,DEM,9001\n"
    "1002,LEE,ANN,,,77,,,OAK,AVE,,,,LOS ANGELES,CA,90012,Los Angeles,,,02/30/2010,C,"
    "03/01/2021,1980,REP,9001\n"
)


def test_votecal_profile_builds_one_line_address(ws, tmp_path):
    r = import_voters(ws, write(tmp_path, "vc.csv", VOTECAL), profile="votecal")
    assert (r.accepted, r.rejected) == (1, 1)
    row = ws.con.execute("SELECT residence_address, zip, status, registration_date, "
                         "extra->>'State' FROM voters").fetchall()[0]
    assert row == ("1234 1/2 N MAIN ST APT 5", "90012", "active", date(2004, 3, 15), "CA")


def test_ncvoter_and_florida_profiles(ws, tmp_path):
    from recallkit.workspace.profiles import load_profile

    nc = load_profile("ncvoter")
    values = {f: "" for f in nc.fields}
    values.update(county_desc="WAKE", ncid="AA1", last_name="SMITH", first_name="JO",
                  status_cd="R", res_street_address="1 MAIN ST", res_city_desc="RALEIGH",
                  zip_code="27601", registr_dt="01/02/2003", birth_year="1950")
    text = "\t".join(nc.fields) + "\n" + "\t".join(values[f] for f in nc.fields) + "\n"
    r = import_voters(ws, write(tmp_path, "nc.txt", text), profile="ncvoter")
    assert r.accepted == 1
    assert ws.con.execute("SELECT status, birth_year FROM voters").fetchall() == \
        [("cancelled", 1950)]
    fl = load_profile("florida")
    values = {f: "" for f in fl.fields}
    values.update(county_code="DAD", voter_id="FL9", name_last="DIAZ", name_first="ANA",
                  residence_address_1="2 BAY RD", residence_city="MIAMI",
                  residence_zip="33101", registration_date="05/06/2007", voter_status="ACT")
    text = "\t".join(values[f] for f in fl.fields) + "\n"
    r = import_voters(ws, write(tmp_path, "fl.txt", text), profile="florida")
    assert (r.read, r.accepted) == (1, 1)


def test_user_profile_file(ws, tmp_path):
    prof = write(tmp_path, "mine.toml", """
name = "mine"
kind = "voters"
delimiter = ";"
date_formats = ["%d.%m.%Y"]
optional = []
[columns]
voter_id = "ID"
first_name = "Vorname"
last_name = "Name"
residence_address = "Adresse"
city = "Ort"
zip = "PLZ"
county = "Kreis"
registration_date = "Datum"
status = "S"
[codes.status]
J = "active"
""")
    data = write(tmp_path, "v.csv", "ID;Vorname;Name;Adresse;Ort;PLZ;Kreis;Datum;S\n"
                 "7;Eva;Roth;1 Main;LA;90012;LA;31.12.1999;j\n")
    r = run_import(ws, "voters", data, profile=str(prof))
    assert r.accepted == 1 and r.profile == "mine"


def cli(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_end_to_end(tmp_path):
    ws = tmp_path / "ws"
    r = cli("init", ws, "--rules", "ca-local", "--jurisdiction", "Tiny City", "--office",
            "Mayor", "--officer", "Test Officer", "--registered-voters", "4000",
            "--format-approved", "2024-01-10", "--county", "Los Angeles")
    assert r.exit_code == 0, r.output
    r = cli("voters", "import", ws, BROKEN / "duplicate_ids.csv", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert {k: out[k] for k in ("read", "accepted", "rejected")} == \
        {"read": 3, "accepted": 2, "rejected": 1}
    assert out["rejects_file"].endswith("voters-1.csv")
    r = cli("voters", "import", ws, BROKEN / "duplicate_ids.csv")
    assert r.exit_code != 0 and "already imported" in r.output
    r = cli("voters", "import", ws, BROKEN / "missing_columns.csv")
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert cli("sections", "import", ws, write(tmp_path, "s.csv", SECTIONS)).exit_code == 0
    assert cli("signatures", "import", ws, write(tmp_path, "g.csv", SIGNATURES)).exit_code == 0
    r = cli("raw-count", ws, "--json")
    assert json.loads(r.stdout)["total"] == 3
    assert cli("audit", "verify", ws).exit_code == 0
    r = cli("audit", "show", ws, "--json")
    assert [e["action"] for e in json.loads(r.stdout)][:2] == ["init", "import_voters"]
    r = cli("export", ws, "signatures", "--format", "json", "--out", tmp_path / "s.json")
    assert r.exit_code == 0 and (tmp_path / "s.json").exists()
    r = cli("status", ws, "--json")
    assert json.loads(r.stdout)["counts"]["signatures"] == 4
    r = cli("reopen", ws, "--reason", "x")
    assert r.exit_code != 0 and "already open" in r.output
    (ws / ".serving").write_text("pid 1")
    r = cli("voters", "import", ws, BROKEN / "bom.csv")
    assert r.exit_code != 0 and "served" in r.output
    (ws / ".serving").unlink()
    w = open_workspace(ws)
    w.con.execute("UPDATE audit_log SET action = 'x' WHERE seq = 3")
    w.close()
    r = cli("audit", "verify", ws)
    assert r.exit_code == 1 and "entry 3" in r.output


def test_voters_import_leaves_voter_id_indexed(tmp_path):
    """Review screens look voters up by id: the import rebuilds the index it drops."""
    from recallkit.workspace.imports import VOTER_INDEX

    ws = create_workspace(tmp_path / "ix", rules="ca-local", jurisdiction="X County",
                          office="Sheriff", officer="A. B", measure=1000,
                          format_approved=date(2026, 1, 5), counties=["X"])
    csv_path = tmp_path / "v.csv"
    csv_path.write_text("voter_id,first_name,last_name,residence_address,city,zip,county,"
                        "registration_date,status\n"
                        "A1,ANN,LEE,1 MAIN ST,X,90001,X,2000-01-01,active\n")
    for replace in (False, True):
        import_voters(ws, csv_path, actor="t", replace=replace)
        names = [r[0] for r in ws.con.execute(
            "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'voters'").fetchall()]
        assert names == [VOTER_INDEX]
    ws.close()
