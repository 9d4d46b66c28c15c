"""Every route × every role: allowed roles get through, others are refused the right way."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from recallkit.web.permissions import ACTIONS, ROLES, check_routes

from .conftest import csrf_of, login

PARAMS = {"{import_id}": "1", "{line_id}": "S-001:1:1", "{voter_id}": "V-ZX-0000",
          "{username}": "rory"}
AS = {"admin": "ada", "supervisor": "sam", "reviewer": "rita", "observer": "olga"}


def _url(path: str) -> str:
    for k, v in PARAMS.items():
        path = path.replace(k, v)
    return path


def test_every_route_declares_a_known_action(client: TestClient) -> None:
    actions = client.app.state.route_actions
    assert len(actions) >= 40
    assert set(actions.values()) <= set(ACTIONS)


def test_app_refuses_to_start_when_a_route_lacks_an_action() -> None:
    app = FastAPI()
    router = APIRouter()

    @router.get("/unguarded")
    async def unguarded() -> dict[str, str]:
        return {}

    app.include_router(router)
    with pytest.raises(RuntimeError, match="GET /unguarded"):
        check_routes(app.routes)


@pytest.mark.parametrize("role", ROLES)
def test_route_role_matrix(client: TestClient, role: str) -> None:
    token = login(client, AS[role]) if role != "public" else csrf_of(client.get("/login").text)
    checked = 0
    for key, action in sorted(client.app.state.route_actions.items()):
        method, path = key.split(" ", 1)
        if path.endswith("/logout"):
            continue  # checked below, it ends the session
        url = _url(path)
        r = client.request(method, url, headers={"X-CSRF-Token": token})
        allowed = role in ACTIONS[action]
        assert r.status_code < 500 or r.status_code == 501, (role, key, r.text[:300])
        if allowed:
            # A resource-level refusal (a line leased to someone else) is not a role denial.
            resource_refusal = r.status_code == 403 and "not leased to you" in r.text
            assert resource_refusal or r.status_code not in (401, 403), (
                role, key, r.status_code, r.text[:300])
            assert not (r.status_code == 303 and r.headers["location"].startswith("/login")), key
        elif role == "public":
            if path.startswith("/api/") or method != "GET":
                assert r.status_code == 401, (role, key, r.status_code)
            else:
                assert r.status_code == 303 and r.headers["location"].startswith("/login"), key
        else:
            assert r.status_code == 403, (role, key, r.status_code)
        if path.startswith("/api/") and r.status_code >= 400:
            body = r.json()
            assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, key
        checked += 1
    assert checked >= 40
    if role != "public":
        r = client.post("/logout", headers={"X-CSRF-Token": token})
        assert r.status_code == 303
        assert client.get("/api/petition").status_code == 401


def test_disabled_account_is_signed_out(client: TestClient) -> None:
    token = login(client, "ada")
    r = client.post("/users/rory/disable", data={"disabled": "true", "csrf_token": token})
    assert r.status_code == 200
    client.cookies.clear()
    page = client.get("/login")
    assert "rory" not in page.text
    from .conftest import csrf_of

    r = client.post("/login", data={"username": "rory", "password": "correct horse battery",
                                    "csrf_token": csrf_of(page.text)})
    assert r.status_code == 401
