"""`recallkit serve` and `recallkit users`: the web app and its accounts."""

from __future__ import annotations

import getpass
import ipaddress
import sys
from pathlib import Path

import typer

from recallkit.cli.common import console, fail, print_json

users_app = typer.Typer(help="Web accounts: add and list users of a workspace.",
                        no_args_is_help=True)


def _open(ws: Path):  # type: ignore[no-untyped-def]
    from recallkit.workspace import WorkspaceError, open_workspace

    try:
        return open_workspace(ws)
    except WorkspaceError as exc:
        fail(str(exc))


def _refuse_if_served(ws: Path) -> None:
    from recallkit.web.writer import serving_info, serving_message

    info = serving_info(ws)
    if info is not None:
        fail(serving_message(info))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    ws: Path = typer.Argument(..., help="The workspace directory."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    secure_cookies: bool | None = typer.Option(
        None, "--secure-cookies/--no-secure-cookies",
        help="Mark session cookies Secure (HTTPS only). Default: on unless the host is "
             "loopback; put the app behind an HTTPS proxy when others reach it."),
) -> None:
    """Serve the workspace's web app. The server is the workspace's only writer while it
    runs; CLI commands that change the workspace refuse until it stops."""
    import uvicorn

    from recallkit.web.app import create_app

    _refuse_if_served(ws)
    if not (ws / "petition.duckdb").exists():
        fail(f"{ws} is not a workspace (no petition.duckdb); create one with `recallkit init`")
    secure = (not _is_loopback(host)) if secure_cookies is None else secure_cookies
    app = create_app(ws, host=host, port=port, secure_cookies=secure)
    console.print(f"Serving {ws} at http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@users_app.command("add")
def users_add(
    ws: Path = typer.Argument(..., help="The workspace directory."),
    name: str = typer.Argument(..., help="User name (letters, digits, . _ -)."),
    role: str = typer.Option(..., help="admin, supervisor, reviewer or observer."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Create a web account (the password is stored as an argon2 hash only)."""
    from recallkit.web.users import add_user, check_new_account

    _refuse_if_served(ws)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Password for {name}: ")
        if password != getpass.getpass("Repeat the password: "):
            fail("The two passwords differ; nothing was changed.")
    problems = check_new_account(name, role, password)
    if problems:
        fail(" ".join(problems))
    with _open(ws) as workspace:
        try:
            add_user(workspace, name, role, password, actor="cli")
        except ValueError as exc:
            fail(str(exc))
    if as_json:
        print_json({"username": name, "role": role})
    else:
        console.print(f"Added {name} ({role}).")


@users_app.command("list")
def users_list(
    ws: Path = typer.Argument(..., help="The workspace directory."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """List the workspace's web accounts (never their passwords)."""
    from recallkit.web.users import list_users
    from recallkit.workspace import WorkspaceError, open_workspace

    try:
        workspace = open_workspace(ws, read_only=True)
    except WorkspaceError as exc:
        fail(str(exc) + " (while the server runs, see the Users page instead)")
    with workspace:
        rows = list_users(workspace)
    if as_json:
        print_json({"users": rows})
        return
    if not rows:
        console.print("No users yet. Add one with `recallkit users add WS NAME --role ROLE`.")
    for r in rows:
        state = " (disabled)" if r["disabled"] else ""
        console.print(f"{r['username']:<24} {r['role']:<11}{state}")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
