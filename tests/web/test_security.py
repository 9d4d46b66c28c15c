"""CSRF on every write, login rate limiting, session cookies, one error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

from recallkit.web.auth import RateLimiter, hash_password, verify_password

from .conftest import PASSWORD, csrf_of, login


def test_passwords_are_argon2_hashes() -> None:
    h = hash_password("a long passphrase")
    assert h.startswith("$argon2id$")
    assert verify_password(h, "a long passphrase")
    assert not verify_password(h, "wrong")
    assert not verify_password(None, "anything")


def test_login_form_needs_csrf(client: TestClient) -> None:
    r = client.post("/login", data={"username": "sam", "password": PASSWORD})
    assert r.status_code == 403
    assert "expired" in r.text


def test_post_without_or_with_wrong_token_is_refused(client: TestClient) -> None:
    token = login(client, "rita")
    assert client.post("/review/next").status_code == 403
    assert client.post("/review/next", data={"csrf_token": "forged"}).status_code == 403
    r = client.post("/api/review/next", headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert r.json() == {"error": {"code": "csrf", "message": r.json()["error"]["message"]}}
    assert client.post("/review/next", data={"csrf_token": token}).status_code == 200


def test_signing_in_issues_a_new_token(client: TestClient) -> None:
    before = csrf_of(client.get("/login").text)
    after = login(client, "sam")
    assert before != after


def test_session_cookie_flags(client: TestClient) -> None:
    page = client.get("/login")
    r = client.post("/login", data={"username": "sam", "password": PASSWORD,
                                    "csrf_token": csrf_of(page.text)})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_tampered_cookie_is_anonymous(client: TestClient) -> None:
    login(client, "sam")
    client.cookies.set("recallkit_session", client.cookies["recallkit_session"][:-2] + "xx")
    assert client.get("/api/petition").status_code == 401


def test_login_rate_limit(client: TestClient) -> None:
    page = client.get("/login")
    token = csrf_of(page.text)
    for _ in range(3):
        r = client.post("/login", data={"username": "sam", "password": "nope",
                                        "csrf_token": token})
        assert r.status_code == 401
    r = client.post("/login", data={"username": "sam", "password": PASSWORD,
                                    "csrf_token": token})
    assert r.status_code == 429
    assert "Too many failed sign-ins" in r.text
    r = client.post("/api/login", json={"username": "sam", "password": PASSWORD},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"


def test_rate_limiter_window() -> None:
    t = [0.0]
    rl = RateLimiter(limit=2, window_s=60, clock=lambda: t[0])
    rl.failed("k")
    rl.failed("k")
    assert rl.retry_after("k") == 60
    t[0] = 61
    assert rl.retry_after("k") == 0


def test_api_login_and_error_shape(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    r = client.post("/api/login", json={"username": "sam", "password": "bad"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "bad_credentials"
    r = client.post("/api/login", json={"username": "sam", "password": PASSWORD},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["role"] == "supervisor"
    new = r.json()["csrf_token"]
    r = client.post("/api/verify", json={"mode": "sideways"}, headers={"X-CSRF-Token": new})
    assert r.status_code == 422 and set(r.json()["error"]) == {"code", "message"}
    assert client.get("/api/nothing-here").json()["error"]["code"] == "not_found"


def test_locked_stage_answers_409_with_a_sentence(client: TestClient, tmp_path) -> None:
    token = login(client, "sam")
    csv = "section_id,county,pages,signature_lines\nS-9,Los Angeles,1,1\n"
    r = client.post("/api/imports", data={"kind": "sections"},
                    files={"file": ("sections.csv", csv.encode())},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "stage_locked"
    assert "sample has been drawn" in r.json()["error"]["message"]


def test_security_headers(client: TestClient) -> None:
    r = client.get("/public")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["server-timing"].startswith("app;dur=")
