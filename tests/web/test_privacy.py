"""No personal data on the public dashboard or the observers' pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import login
from .fixture_ws import PLANTED_ADDRESS, PLANTED_WORDS


def _assert_clean(text: str, where: str) -> None:
    for word in (*PLANTED_WORDS, PLANTED_ADDRESS):
        assert word.lower() not in text.lower(), f"{word!r} appears on {where}"


def test_public_dashboard_has_aggregates_only(client: TestClient) -> None:
    for url in ("/public", "/api/public"):
        r = client.get(url)
        assert r.status_code == 200
        _assert_clean(r.text, url)
    data = client.get("/api/public").json()
    assert data["raw_count"] == 40
    assert data["sample"] == {"size": 40, "examined": 10, "valid": 6, "invalid": 4}
    assert {"what", "date"} <= set(data["deadlines"][0])
    assert data["petition"]["officer"] == "Pat Officeholder"  # the officer is public


def test_observer_sees_reasons_and_evidence_but_no_voter_data(client: TestClient) -> None:
    login(client, "olga")
    for url in ("/observe", "/observe?reason=ADDRESS_MISMATCH", "/api/determinations",
                "/api/determinations?section=S-002", "/public"):
        r = client.get(url)
        assert r.status_code == 200, url
        _assert_clean(r.text, url)
    data = client.get("/api/determinations?reason=ADDRESS_MISMATCH").json()
    assert data["total"] == 4
    row = data["rows"][0]
    assert row["reason"] == "ADDRESS_MISMATCH" and row["decided_by"] == "engine"
    assert row["evidence"] == {"components": {"name": 0.99},
                               "other_reasons": ["SIGNATURE_MISMATCH"]}
    assert "voter_id" not in row
    assert "ADDRESS_MISMATCH" in client.get("/observe?section=S-001").text


def test_observer_cannot_reach_voter_data(client: TestClient) -> None:
    token = login(client, "olga")
    for url in ("/review", "/api/petition", "/imports/1/rejects", "/review/image/S-001:1:1"):
        assert client.get(url).status_code == 403, url
    r = client.post("/api/review/next", headers={"X-CSRF-Token": token})
    assert r.status_code == 403
