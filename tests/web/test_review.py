"""The review screen and its API: one line at a time, keys, undo, leases, images."""

from __future__ import annotations

import threading
from collections import Counter

from fastapi.testclient import TestClient

from .conftest import PASSWORD, csrf_of, login
from .fixture_ws import N_LINES


def test_review_screen_shows_line_beside_candidate_with_differences(client: TestClient) -> None:
    login(client, "rita")
    r = client.get("/review")
    assert r.status_code == 200
    html = r.text
    assert 'id="item-heading"' in html and 'aria-live="polite"' in html
    assert "<mark>Cres</mark>" in html or "<mark>Crescent</mark>" in html
    assert 'data-key="s"' in html and 'aria-keyshortcuts="u"' in html
    assert '<img src="/review/image/' in html
    assert 'class="doubt">Asked because ' in html      # why the engine asks
    line_id = html.split('name="line_id" value="')[1].split('"')[0]
    img = client.get(f"/review/image/{line_id}")
    assert img.status_code == 200 and img.headers["content-type"] == "image/png"
    assert client.get(f"/review/image/{line_id}/voter/V-ZX-9999").status_code == 404


def test_decide_undo_next_by_key(client: TestClient) -> None:
    token = login(client, "rita")
    first = client.post("/api/review/next", headers={"X-CSRF-Token": token}).json()["item"]
    line = first["line_id"]
    again = client.post("/api/review/next", headers={"X-CSRF-Token": token}).json()["item"]
    assert again["line_id"] == line  # a reload keeps the same leased line
    r = client.post(f"/api/review/items/{line}/decision", json={"key": "s"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    body = r.json()
    assert body["decided"]["reason"] == "SIGNATURE_MISMATCH"
    assert body["item"]["line_id"] != line
    undone = client.post("/api/review/undo", headers={"X-CSRF-Token": token}).json()
    assert undone["undone"] == line and undone["item"]["line_id"] == line
    # htmx form post returns the partial with the live message
    r = client.post("/review/decide", data={"line_id": line, "key": "v", "csrf_token": token},
                    headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text
    assert f"Line {line} recorded as valid" in r.text
    # a refusal on the htmx screen is announced in place; the line stays on screen
    keys = client.get("/api/review/keys").json()["keys"]
    other = next(k["key"] for k in keys if k["reason"] == "OTHER")
    r = client.post("/review/decide", data={"line_id": line, "key": other, "note": "",
                                            "csrf_token": token}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Not recorded:" in r.text and "note" in r.text
    r = client.post("/api/review/items/X:1:1/decision", json={"key": "zz"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"


def test_two_reviewers_never_see_the_same_line(client: TestClient, ws_path) -> None:
    token = login(client, "rita")
    mine = client.post("/api/review/next", headers={"X-CSRF-Token": token}).json()["item"]
    other = TestClient(client.app, follow_redirects=False)
    token2 = login(other, "remy")
    theirs = other.post("/api/review/next", headers={"X-CSRF-Token": token2}).json()["item"]
    assert mine["line_id"] != theirs["line_id"]
    # and remy cannot see rita's line image
    assert other.get(f"/review/image/{mine['line_id']}").status_code == 403


def _reviewer(app, name: str, decided: list[str], errors: list[str]) -> None:
    c = TestClient(app, follow_redirects=False)
    page = c.get("/login")
    r = c.post("/login", data={"username": name, "password": PASSWORD,
                               "csrf_token": csrf_of(page.text)})
    assert r.status_code == 303
    token = csrf_of(c.get("/public").text)
    item = c.post("/api/review/next", headers={"X-CSRF-Token": token}).json()["item"]
    while item is not None:
        r = c.post(f"/api/review/items/{item['line_id']}/decision", json={"key": "v"},
                   headers={"X-CSRF-Token": token})
        if r.status_code != 200:
            errors.append(r.text)
            return
        decided.append(item["line_id"])
        item = r.json()["item"]


def test_concurrent_reviewers_decide_every_line_exactly_once(client: TestClient) -> None:
    decided: list[str] = []
    errors: list[str] = []
    threads = [threading.Thread(target=_reviewer, args=(client.app, n, decided, errors))
               for n in ("rita", "remy", "rory", "sam")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    queued = N_LINES - 10
    assert len(decided) == queued
    assert max(Counter(decided).values()) == 1
    w = client.app.state.writer
    rows = w.call(lambda ws: ws.con.execute(
        "SELECT count(*), count(DISTINCT line_id) FROM determinations "
        "WHERE decided_by LIKE 'reviewer:%'").fetchone())
    assert rows == (queued, queued)
    left = w.call(lambda ws: ws.con.execute(
        "SELECT count(*) FROM review_queue WHERE status <> 'decided'").fetchone()[0])
    assert left == 0
