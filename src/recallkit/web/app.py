"""The web app factory: `create_app(ws_path)` serves one petition's workspace.

The app owns the workspace while it runs (single writer, WS/.serving), refuses to start if
any route lacks a permission action, and answers every error in one shape.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response

from . import api, errors, library
from .auth import RateLimiter, Sessions
from .permissions import check_routes
from .routes import observe, petition, public, review, session, users
from .users import accounts
from .writer import Writer, release_serving_lock, take_serving_lock, writer_timing

HERE = Path(__file__).parent
SECRET_FILE = ".web-secret"

# Content-Security-Policy: our own scripts and styles only, so injected markup cannot run.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def load_secret(ws_path: Path) -> str:
    """The cookie-signing key, kept in the workspace (mode 600) so restarts keep sessions."""
    path = ws_path / SECRET_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        secret = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(secret)
        return secret


def create_app(ws_path: str | Path, *, secret_key: str | None = None,
               secure_cookies: bool = False, host: str = "127.0.0.1", port: int = 8000,
               rate_limiter: RateLimiter | None = None,
               opener: Callable[[], Any] | None = None) -> FastAPI:
    """An app serving the workspace at `ws_path`.

    `secure_cookies` should be True whenever the app is reached over HTTPS (behind a
    proxy); `recallkit serve` sets it for any non-loopback host.
    """
    ws_path = Path(ws_path)
    open_ws = opener or (lambda: library.call("open_workspace")(ws_path))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        take_serving_lock(ws_path, host, port)
        try:
            app.state.writer = Writer(open_ws)
            app.state.users = app.state.writer.call(accounts)
            yield
        finally:
            writer = getattr(app.state, "writer", None)
            if writer is not None:
                writer.close()
            release_serving_lock(ws_path)

    app = FastAPI(title="recallkit", version="1", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None,
                  description="Recall petition verification: the pages' JSON API.")
    app.state.ws_path = ws_path
    app.state.sessions = Sessions(secret_key or load_secret(ws_path), secure=secure_cookies)
    app.state.limiter = rate_limiter or RateLimiter()
    app.state.job = None
    app.state.templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(),
        trim_blocks=True, lstrip_blocks=True)

    errors.install(app)

    @app.middleware("http")
    async def _envelope(request: Request, call_next: Callable[..., Any]) -> Response:
        started = time.perf_counter()
        timing = [0.0, 0.0]
        token = writer_timing.set(timing)
        try:
            response: Response = await call_next(request)
        finally:
            writer_timing.reset(token)
        elapsed = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = (
            f"app;dur={elapsed:.2f}, queue;dur={timing[0]:.2f}, db;dur={timing[1]:.2f}")
        for k, v in _SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        if getattr(request.state, "new_session", False) and not getattr(
                request.state, "session_cookie_set", False):
            app.state.sessions.set_cookie(response, request.state.session)
        return response

    for module in (public, session, petition, review, observe, users):
        app.include_router(module.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.route_actions = check_routes(app.routes)
    return app
