"""Supervisor stages through the web: seed checks, sample, verification job, certificate."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import login


def test_seed_check_shows_the_seed_back_without_writing(client: TestClient) -> None:
    token = login(client, "sam")
    client.app.state.writer.call(lambda ws: ws.con.execute("DELETE FROM sample_draws"))
    r = client.post("/seed/check", data={"dice": "1 2 3", "csrf_token": token})
    assert r.status_code == 400 and "at least 20" in r.text
    r = client.post("/seed/check", data={"dice": "12345 67890\n12345 67890 1",
                                         "csrf_token": token})
    assert r.status_code == 200 and "123456789012345678901" in r.text
    assert client.app.state.writer.call(
        lambda ws: ws.con.execute("SELECT count(*) FROM sample_draws").fetchone()[0]) == 0


def test_a_locked_seed_cannot_be_replaced(client: TestClient) -> None:
    token = login(client, "sam")
    r = client.post("/seed/check", data={"dice": "1" * 25, "csrf_token": token})
    assert r.status_code == 409 and "already locked" in r.text
    r = client.post("/api/sample", json={"dice": "12a"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and "only the digits" in r.json()["error"]["message"]


def test_certify_answers_with_a_sentence(client: TestClient) -> None:
    token = login(client, "sam")
    r = client.post("/certify", data={"official": "Dean Logan", "csrf_token": token})
    assert r.status_code in (200, 400, 409), r.text[:500]
    if r.status_code == 200:
        assert "Certified" in r.text
        link = r.text.split('href="/reports/')[1].split('"')[0]
        assert client.get(f"/reports/{link}").status_code == 200
    else:
        assert "Something went wrong" not in r.text


def test_report_files_stay_inside_the_workspace(client: TestClient) -> None:
    login(client, "sam")
    assert client.get("/reports/..%2Fpetition.duckdb").status_code == 404
    assert client.get("/reports/nothing.pdf").status_code == 404


def test_verification_runs_as_a_job(client: TestClient) -> None:
    token = login(client, "sam")
    r = client.post("/api/verify", json={"mode": "sample"}, headers={"X-CSRF-Token": token})
    assert r.status_code in (202, 501), r.text
    if r.status_code == 202:
        client.app.state.writer.job.future.result(timeout=60)
        body = client.get("/api/progress").json()
        assert body["job"]["state"] in ("done", "failed")
        assert "progress" in body


def test_verification_can_leave_signature_identities_to_a_person(client: TestClient) -> None:
    token = login(client, "sam")
    r = client.post("/api/verify", json={"mode": "sample", "signature_identity": False},
                    headers={"X-CSRF-Token": token})
    assert r.status_code in (202, 501), r.text
    if r.status_code == 202:
        client.app.state.writer.job.future.result(timeout=60)
        assert client.get("/api/progress").json()["job"]["state"] in ("done", "failed")


def test_import_report_and_rejects_download(tmp_path, fake_review) -> None:
    from recallkit.web.app import create_app
    from recallkit.web.users import add_user
    from recallkit.workspace import open_workspace

    from .conftest import PASSWORD
    from .fixture_ws import build

    path = build(tmp_path / "intake", sampled=False, n_lines=2)
    with open_workspace(path) as ws:
        add_user(ws, "sam", "supervisor", PASSWORD, actor="test")
    csv = ("section_id,county,pages,signature_lines,circulator_name,circulator_address,"
           "declaration_signed,circulated_from,circulated_to,date_filed\n"
           "S-100,Los Angeles,2,15,A B,1 Main St,true,2026-01-10,2026-03-01,2026-03-10\n"
           "S-101,Los Angeles,two,15,A B,1 Main St,true,2026-01-10,2026-03-01,2026-03-10\n")
    with TestClient(create_app(path, secret_key="k"), follow_redirects=False) as c:
        token = login(c, "sam")
        r = c.post("/imports", data={"kind": "sections", "profile": "canonical",
                                     "csrf_token": token},
                   files={"file": ("sections.csv", csv.encode())})
        assert r.status_code == 200, r.text[:500]
        assert "Import report: sections" in r.text
        rows = c.get("/api/imports").json()["imports"]
        latest = rows[0]
        assert latest["kind"] == "sections" and latest["file_name"] == "sections.csv"
        assert (latest["read"], latest["accepted"], latest["rejected"]) == (2, 1, 1)
        assert f'href="/imports/{latest["import_id"]}/rejects"' in r.text
        d = c.get(f"/imports/{latest['import_id']}/rejects")
        assert d.status_code == 200 and "3,pages,two" in d.text


def test_no_sample_below_the_raw_count(tmp_path, fake_review) -> None:
    """40 lines against the 10,000 that 100,000 registered need: the seed page and the API
    answer with the refusal as a sentence citing EC 11222(b), and record nothing."""
    from recallkit.web.app import create_app
    from recallkit.web.users import add_user
    from recallkit.workspace import open_workspace

    from .conftest import PASSWORD
    from .fixture_ws import build

    path = build(tmp_path / "short", sampled=False)
    with open_workspace(path) as ws:
        add_user(ws, "sam", "supervisor", PASSWORD, actor="test")
    seed = "12345678901234567890123"
    with TestClient(create_app(path, secret_key="k"), follow_redirects=False) as c:
        token = login(c, "sam")
        r = c.post("/seed/draw", data={"seed": seed, "size": "20", "csrf_token": token})
        assert r.status_code in (400, 409), r.text[:500]
        assert "no sample is drawn" in r.text and "EC 11222(b)" in r.text
        assert 'role="alert"' in r.text and "Something went wrong" not in r.text
        r = c.post("/api/sample", json={"seed": seed}, headers={"X-CSRF-Token": token})
        assert r.status_code in (400, 409)
        assert "EC 11222(b)" in r.json()["error"]["message"]
        assert c.app.state.writer.call(
            lambda ws: ws.con.execute("SELECT count(*) FROM sample_draws").fetchone()[0]) == 0
