"""One error shape for every failure: `{"error": {"code", "message"}}` in the API, the same
sentence on an HTML page. Messages are for people and never carry a stack trace or voter
data; a locked stage answers 409 with the library's plain sentence (Arlo's habit).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("recallkit.web")


class WebError(Exception):
    """A failure to show the person asking: HTTP status, a stable code, a plain sentence."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class LoginRequired(WebError):
    def __init__(self) -> None:
        super().__init__(401, "login_required", "Sign in to see this page.")


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def from_library(exc: Exception) -> WebError:
    """Map an exception raised by a library call to what the person should read."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    cause = exc.__cause__
    if "NotAllowed" in names or (cause is not None and "NotAllowed" in
                                 {cls.__name__ for cls in type(cause).__mro__}):
        # workspace.require_role: the signed-in person lacks the role (e.g. certify)
        return WebError(403, "forbidden", str(exc) or "You may not do that.")
    if "StageLocked" in names:
        return WebError(409, "stage_locked", str(exc))
    if "AlreadyImported" in names:
        return WebError(409, "already_done", str(exc))
    if isinstance(exc, PermissionError):
        return WebError(403, "forbidden", str(exc) or "You may not do that.")
    if isinstance(exc, (LookupError, FileNotFoundError)):
        message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
        return WebError(404, "not_found", message or "Not found.")
    if isinstance(exc, ValueError) or type(exc).__module__.startswith("recallkit."):
        # Our library raises plain sentences meant for the person who asked.
        return WebError(400, "invalid", str(exc))
    return WebError(500, "internal", "Something went wrong on the server; it has been logged.")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def render_error(request: Request, err: WebError) -> Response:
    if wants_json(request):
        return JSONResponse(error_body(err.code, err.message), status_code=err.status)
    if isinstance(err, LoginRequired) and request.method == "GET":
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    from .pages import render

    return render(request, "error.html", status_code=err.status, status=err.status,
                  code=err.code, message=err.message)


def install(app: FastAPI) -> None:
    """Route every exception through `render_error`."""

    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> Response:
        return render_error(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = {404: "There is no such page.", 405: "That method is not allowed here."}.get(
            exc.status_code, str(exc.detail)
        )
        return render_error(request, WebError(exc.status_code, code, message))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query"))
            parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else e.get("msg", ""))
        message = "The request was not valid: " + "; ".join(parts) + "."
        return render_error(request, WebError(422, "invalid_request", message))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        err = from_library(exc)
        if err.status >= 500:
            log.exception("unhandled error on %s %s", request.method, request.url.path)
        return render_error(request, err)
