from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from recallkit.web import library
from recallkit.web.app import create_app
from recallkit.web.auth import RateLimiter
from recallkit.web.users import add_user
from recallkit.workspace import open_workspace

from .fixture_ws import build, install_fake_review

PASSWORD = "correct horse battery"
ACCOUNTS = {"ada": "admin", "sam": "supervisor", "rita": "reviewer", "remy": "reviewer",
            "rory": "reviewer", "olga": "observer"}


@pytest.fixture(scope="session")
def template_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build(tmp_path_factory.mktemp("tpl") / "ws")
    with open_workspace(path) as ws:
        for name, role in ACCOUNTS.items():
            add_user(ws, name, role, PASSWORD, actor="test")
    return path


@pytest.fixture()
def ws_path(template_ws: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "ws"
    shutil.copytree(template_ws, target)
    return target


REAL_REVIEW = library.available("lease_next")


@pytest.fixture()
def fake_review() -> Iterator[object]:
    """The review library when installed, else the stand-in with the same calls."""
    fake = None if REAL_REVIEW else install_fake_review()
    yield fake
    library.clear_overrides()


@pytest.fixture()
def client(ws_path: Path, fake_review: object) -> Iterator[TestClient]:
    app = create_app(ws_path, secret_key="test-secret", rate_limiter=RateLimiter(limit=3))
    with TestClient(app, follow_redirects=False) as c:
        yield c


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def login(c: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    page = c.get("/login")
    r = c.post("/login", data={"username": username, "password": password,
                               "csrf_token": csrf_of(page.text)})
    assert r.status_code == 303, r.text
    return csrf_of(c.get("/public").text)
