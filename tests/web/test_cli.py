"""`recallkit users add/list` and the `.serving` lock that keeps the CLI from writing."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from recallkit.cli import app
from recallkit.web.writer import (
    release_serving_lock,
    serving_info,
    serving_message,
    take_serving_lock,
)

runner = CliRunner()


def test_users_add_and_list(ws_path: Path) -> None:
    r = runner.invoke(app, ["users", "add", str(ws_path), "nina", "--role", "observer",
                            "--password-stdin", "--json"], input="a fine long passphrase\n")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"username": "nina", "role": "observer"}
    r = runner.invoke(app, ["users", "list", str(ws_path), "--json"])
    assert r.exit_code == 0
    users = {u["username"]: u["role"] for u in json.loads(r.stdout)["users"]}
    assert users["nina"] == "observer" and "password_hash" not in r.stdout


def test_users_add_refuses_bad_input(ws_path: Path) -> None:
    r = runner.invoke(app, ["users", "add", str(ws_path), "bad name", "--role", "boss",
                            "--password-stdin"], input="short\n")
    assert r.exit_code != 0
    assert "role must be one of" in r.output and "at least 12" in r.output
    assert "Traceback" not in r.output
    r = runner.invoke(app, ["users", "add", str(ws_path), "sam", "--role", "observer",
                            "--password-stdin"], input="a fine long passphrase\n")
    assert r.exit_code != 0 and "already a user named sam" in r.output


def test_serving_lock_refuses_cli_writes(ws_path: Path) -> None:
    take_serving_lock(ws_path, "127.0.0.1", 8123)
    try:
        info = serving_info(ws_path)
        assert info is not None and info["pid"] == os.getpid()
        r = runner.invoke(app, ["users", "add", str(ws_path), "nina", "--role", "observer",
                                "--password-stdin"], input="a fine long passphrase\n")
        assert r.exit_code != 0 and "served by the web app" in r.output
        assert "8123" in serving_message(info)
    finally:
        release_serving_lock(ws_path)
    assert not (ws_path / ".serving").exists()


def test_stale_serving_file_is_ignored(ws_path: Path) -> None:
    (ws_path / ".serving").write_text(json.dumps({"pid": 2**22 + 12345, "host": "x",
                                                  "port": 1}))
    assert serving_info(ws_path) is None


def test_server_holds_the_lock_while_running(client) -> None:
    path = client.app.state.ws_path
    assert serving_info(path)["pid"] == os.getpid()


def test_workspace_writes_are_refused_while_served(ws_path: Path) -> None:
    """verify, review, review import, sample draw and certify name the server and stop."""
    (ws_path / ".serving").write_text(json.dumps({"pid": os.getpid(), "host": "x",
                                                  "port": 1}))
    decisions = ws_path.parent / "decisions.csv"
    decisions.write_text("line_id,determination\n")
    try:
        for args in (["verify", str(ws_path), "--mode", "full"],
                     ["review", str(ws_path), "--reviewer", "ann"],
                     ["review", "import", str(ws_path), str(decisions)],
                     ["sample", "draw", str(ws_path), "--seed", "1" * 22],
                     ["certify", str(ws_path), "--actor", "sup"]):
            r = runner.invoke(app, args)
            assert r.exit_code != 0, args
            assert "being served" in r.output and "Traceback" not in r.output, args
    finally:
        (ws_path / ".serving").unlink()


def test_not_allowed_is_forbidden() -> None:
    from recallkit.reports.certificate import CertificationError
    from recallkit.web.errors import from_library
    from recallkit.workspace.db import NotAllowed

    assert from_library(NotAllowed("only a supervisor may")).status == 403
    try:
        try:
            raise NotAllowed("only a supervisor may certify")
        except NotAllowed as exc:
            raise CertificationError(str(exc)) from exc
    except CertificationError as wrapped:
        err = from_library(wrapped)
    assert (err.status, err.code) == (403, "forbidden")
