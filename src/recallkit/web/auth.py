"""Sign-in, sessions, CSRF and login rate limiting.

Passwords are stored as argon2 hashes only (the `users` table). A session is a signed,
timestamped cookie (itsdangerous) holding the username and a CSRF token; every form and
every htmx/API write sends that token back, so another site cannot post on a signed-in
person's behalf. Failed sign-ins are limited per client address and per username.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .errors import LoginRequired, WebError
from .permissions import ACTIONS, ANONYMOUS, User, allowed

SESSION_COOKIE = "recallkit_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_MAX_AGE_S = 12 * 3600  # one working day; then sign in again
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_hasher = PasswordHasher()
# Verifying against this when the username is unknown keeps the timing the same.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """An argon2id hash of the password (the only form we store)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@dataclass
class Session:
    username: str | None
    csrf: str

    def dump(self) -> dict[str, Any]:
        return {"u": self.username, "c": self.csrf}


class Sessions:
    """Signed session cookies."""

    def __init__(self, secret: str, *, secure: bool) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="recallkit-session")
        self.secure = secure

    def load(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            data = self._signer.loads(cookie, max_age=SESSION_MAX_AGE_S)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        return Session(data.get("u"), data["c"])

    def dump(self, session: Session) -> str:
        return self._signer.dumps(session.dump())

    def set_cookie(self, response: Any, session: Session) -> None:
        response.set_cookie(
            SESSION_COOKIE, self.dump(session), max_age=SESSION_MAX_AGE_S, httponly=True,
            samesite="strict", secure=self.secure, path="/",
        )


def new_session(username: str | None) -> Session:
    """A fresh session; signing in always issues a new CSRF token (no session fixation)."""
    return Session(username, secrets.token_urlsafe(32))


@dataclass
class RateLimiter:
    """At most `limit` failed sign-ins per `window_s` for one key (client address, username)."""

    limit: int = 5
    window_s: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _fails: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, *keys: str) -> float:
        """Seconds until another attempt is allowed (0 when allowed now)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                q = self._fails.get(key)
                if not q:
                    continue
                while q and now - q[0] > self.window_s:
                    q.popleft()
                if len(q) >= self.limit:
                    wait = max(wait, self.window_s - (now - q[0]))
        return wait

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._fails.setdefault(key, deque()).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._fails.pop(key, None)


def current_session(request: Request) -> Session:
    """The request's session; anonymous visitors get one too, so forms carry a CSRF token."""
    cached = getattr(request.state, "session", None)
    if cached is not None:
        return cached
    sessions: Sessions = request.app.state.sessions
    session = sessions.load(request.cookies.get(SESSION_COOKIE))
    if session is None:
        session = new_session(None)
        request.state.new_session = True
    request.state.session = session
    request.state.csrf_token = session.csrf
    return session


def current_user(request: Request) -> User:
    """The signed-in user, or the anonymous public. Disabled accounts count as signed out."""
    session = current_session(request)
    if not session.username:
        return ANONYMOUS
    account = request.app.state.users.get(session.username)
    if account is None or account.disabled:
        return ANONYMOUS
    return User(session.username, account.role)


async def check_csrf(request: Request, session: Session) -> None:
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            supplied = value if isinstance(value, str) else None
    if not supplied or not secrets.compare_digest(supplied, session.csrf):
        raise WebError(
            403, "csrf",
            "This form has expired or did not come from this site. Reload the page and "
            "try again.",
        )


def require(action: str) -> Callable[..., Any]:
    """A FastAPI dependency declaring and enforcing the route's action.

    Use as `user: User = Depends(require("review.work"))`. The app refuses to start if a
    route has no such dependency (`permissions.check_routes`).
    """
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}; add it to permissions.ACTIONS")

    async def dependency(request: Request) -> User:
        session = current_session(request)
        user = current_user(request)
        request.state.user = user
        if not allowed(user.role, action):
            if not user.signed_in:
                raise LoginRequired()
            raise WebError(403, "forbidden", "Your role does not allow this.")
        json_login = action == "session.login" and request.headers.get(
            "content-type", "").startswith("application/json")
        # A JSON body cannot be sent cross-site without a CORS preflight (which this app
        # never grants), so API sign-in needs no token; every other write does.
        if request.method in UNSAFE_METHODS and not json_login:
            await check_csrf(request, session)
        request.state.action = action
        return user

    dependency.recallkit_action = action  # type: ignore[attr-defined]
    dependency.__name__ = f"require_{action.replace('.', '_')}"
    return dependency


def client_key(request: Request) -> str:
    return f"ip:{request.client.host if request.client else 'unknown'}"


def sign_in(request: Request, username: str, password: str) -> tuple[User, Session]:
    """Check the password under the rate limit; returns the user and a fresh session.

    Failures say the same thing whether the name or the password was wrong.
    """
    limiter: RateLimiter = request.app.state.limiter
    keys = (client_key(request), f"user:{username.lower()}")
    wait = limiter.retry_after(*keys)
    if wait > 0:
        raise WebError(429, "too_many_attempts",
                       f"Too many failed sign-ins. Try again in {int(wait) + 1} seconds.")
    account = request.app.state.users.get(username)
    ok = verify_password(account.password_hash if account else None, password)
    if not ok or account is None or account.disabled:
        limiter.failed(*keys)
        raise WebError(401, "bad_credentials", "That user name and password do not match.")
    limiter.succeeded(f"user:{username.lower()}")
    session = new_session(account.username)
    request.state.session = session
    request.state.csrf_token = session.csrf
    request.state.session_cookie_set = True
    user = User(account.username, account.role)
    request.state.user = user
    return user, session


def sign_out(request: Request) -> Session:
    session = new_session(None)
    request.state.session = session
    request.state.session_cookie_set = True
    request.state.user = ANONYMOUS
    return session
