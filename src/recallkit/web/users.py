"""Web accounts: create, list, disable. Passwords are kept only as argon2 hashes, and every
change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .auth import hash_password

ACCOUNT_ROLES = ("admin", "supervisor", "reviewer", "observer")
MIN_PASSWORD_LENGTH = 12  # NIST SP 800-63B allows 8; staff accounts see voter data
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    password_hash: str
    disabled: bool = False


def check_new_account(username: str, role: str, password: str) -> list[str]:
    """Every problem with a proposed account, as sentences (empty when it is fine)."""
    problems = []
    if not _NAME.fullmatch(username or ""):
        problems.append("The user name may use letters, digits, '.', '_' and '-' only "
                        "(1 to 64 characters).")
    if role not in ACCOUNT_ROLES:
        problems.append(f"The role must be one of: {', '.join(ACCOUNT_ROLES)}.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        problems.append(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    return problems


def add_user(ws: Any, username: str, role: str, password: str, *, actor: str) -> Account:
    """Create an account. Raises ValueError with every problem when the input is not valid."""
    problems = check_new_account(username, role, password)
    if not problems and ws.con.execute(
            "SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
        problems.append(f"There is already a user named {username}.")
    if problems:
        raise ValueError(" ".join(problems))
    account = Account(username, role, hash_password(password))
    with ws.transaction(actor, "users.add", {"username": username, "role": role}, {}):
        ws.con.execute(
            "INSERT INTO users (username, role, password_hash, created_at, disabled) "
            "VALUES (?, ?, ?, ?, FALSE)",
            [username, role, account.password_hash, datetime.now(UTC).replace(tzinfo=None)])
    return account


def set_disabled(ws: Any, username: str, disabled: bool, *, actor: str) -> None:
    if not ws.con.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
        raise LookupError(f"There is no user named {username}.")
    action = "users.disable" if disabled else "users.enable"
    with ws.transaction(actor, action, {"username": username}, {}):
        ws.con.execute("UPDATE users SET disabled = ? WHERE username = ?", [disabled, username])


def list_users(ws: Any) -> list[dict[str, Any]]:
    cur = ws.con.execute(
        "SELECT username, role, created_at, disabled FROM users ORDER BY username")
    return [dict(zip(("username", "role", "created_at", "disabled"), r, strict=True))
            for r in cur.fetchall()]


def accounts(ws: Any) -> dict[str, Account]:
    """username → account, for the sign-in cache."""
    return {r[0]: Account(r[0], r[1], r[2], bool(r[3])) for r in ws.con.execute(
        "SELECT username, role, password_hash, disabled FROM users").fetchall()}
