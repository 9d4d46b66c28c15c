"""Supervisor actions: with web accounts only an enabled supervisor (or admin) reopens;
without accounts the name given is recorded. `require_role` is the one check."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from recallkit.cli import app
from recallkit.workspace import (
    SUPERVISOR_ROLES,
    NotAllowed,
    WorkspaceError,
    create_workspace,
    reopen,
    require_role,
)


@pytest.fixture
def ws(tmp_path):
    w = create_workspace(tmp_path / "ws", rules="ca-local", jurisdiction="Tiny City",
                         office="Mayor", officer="Test Officer", measure=4_000,
                         format_approved=date(2024, 1, 10), counties=["Los Angeles"])
    w.con.execute("UPDATE petition SET stage = 'sampled'")
    yield w
    w.close()


def add(ws, name: str, role: str, disabled: bool = False) -> None:
    ws.con.execute("INSERT INTO users VALUES (?, ?, 'x', now(), ?)", [name, role, disabled])


def last_entry(ws) -> tuple[str, str, dict]:
    a, b, c = ws.con.execute("SELECT actor, action, params::VARCHAR FROM audit_log "
                             "ORDER BY seq DESC LIMIT 1").fetchall()[0]
    return a, b, json.loads(c)


def test_without_accounts_the_name_is_recorded_as_given(ws):
    assert require_role(ws, "Pat Clerk", SUPERVISOR_ROLES) is None
    reopen(ws, "Pat Clerk", "wrong voter file")
    assert ws.stage == "intake"
    assert last_entry(ws) == ("Pat Clerk", "reopen",
                              {"from": "sampled", "to": "intake", "reason": "wrong voter file"})
    with pytest.raises(NotAllowed, match="--actor"):
        require_role(ws, "  ", SUPERVISOR_ROLES)


def test_with_accounts_only_an_enabled_supervisor_or_admin(ws):
    add(ws, "sam", "supervisor")
    add(ws, "ada", "admin")
    add(ws, "rita", "reviewer")
    add(ws, "old", "supervisor", disabled=True)
    for who in ("rita", "old", "nobody", "cli:rita"):
        with pytest.raises(NotAllowed, match="only a supervisor or admin may reopen"):
            reopen(ws, who, "fix")
        assert ws.stage == "sampled"
    assert require_role(ws.con, "web:sam", SUPERVISOR_ROLES) == "supervisor"
    assert require_role(ws, "ada", SUPERVISOR_ROLES) == "admin"
    with pytest.raises(WorkspaceError, match="only a supervisor may certify"):
        require_role(ws, "ada", ("supervisor",), action="certify")
    reopen(ws, "cli:sam", "section S-4 mistyped")
    assert ws.stage == "intake" and last_entry(ws)[0] == "cli:sam"


def test_cli_reopen_actor(ws):
    add(ws, "sam", "supervisor")
    path = ws.path
    ws.close()
    runner = CliRunner()
    res = runner.invoke(app, ["reopen", str(path), "--reason", "fix", "--actor", "rita"])
    assert res.exit_code != 0 and "only a supervisor or admin" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["reopen", str(path), "--reason", "fix", "--actor", "sam",
                              "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["to"] == "intake"
