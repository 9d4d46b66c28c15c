"""Who may do what: named actions mapped to roles, checked by one function.

Every route declares the action it performs (Datasette's `default_actions.py`, Arlo's role
decorators). `check_routes` makes the app refuse to start when a route declares none, so an
unguarded page cannot ship by accident. The roles follow docs/architecture: petition
signatures are not public records (Gov. Code §7924.110), so only officials see voter data,
observers see determinations without voter data, and the public sees aggregates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi.routing import APIRoute
from starlette.routing import Mount

ROLES = ("admin", "supervisor", "reviewer", "observer", "public")
STAFF_ROLES = ("admin", "supervisor", "reviewer", "observer")

_EVERYONE = frozenset(ROLES)
_SIGNED_IN = frozenset(STAFF_ROLES)
_OFFICIALS = frozenset({"admin", "supervisor"})

#: action → roles allowed. One registry; `allowed` is the only check.
ACTIONS: dict[str, frozenset[str]] = {
    # Anyone, signed in or not.
    "dashboard.view": _EVERYONE,  # aggregates only
    "session.login": _EVERYONE,
    "api.schema": _EVERYONE,
    "session.logout": _SIGNED_IN,
    "home.view": _EVERYONE,
    # Officials: the petition, its files and stages.
    "petition.view": _OFFICIALS,
    "imports.view": _OFFICIALS,
    "imports.run": _OFFICIALS,  # admin sets the workspace up, supervisor files sections
    "imports.rejects": _OFFICIALS,  # rejects hold voter rows: officials only
    "progress.view": _OFFICIALS,
    "sample.seed": frozenset({"supervisor"}),
    "verify.start": frozenset({"supervisor"}),
    "certify": frozenset({"supervisor"}),
    # The review queue: reviewers see only what is leased to them; supervisors decide
    # escalations through the same screen.
    "review.work": frozenset({"reviewer", "supervisor"}),
    # Observers: determinations with reasons and evidence, no voter data.
    "determinations.observe": frozenset({"observer", "supervisor", "admin"}),
    # Accounts.
    "users.view": frozenset({"admin"}),
    "users.manage": frozenset({"admin"}),
}

#: Mounted sub-apps that serve files everyone may fetch (css, vendored htmx).
PUBLIC_MOUNTS = frozenset({"static"})


@dataclass(frozen=True)
class User:
    """Who is asking. `username` is None for the anonymous public."""

    username: str | None
    role: str

    @property
    def signed_in(self) -> bool:
        return self.username is not None

    @property
    def actor(self) -> str:
        """The name written to the audit log."""
        return f"web:{self.username}" if self.username else "web:public"


ANONYMOUS = User(None, "public")


def allowed(role: str, action: str) -> bool:
    """The one permission check. An unknown action is a programming error, not a denial."""
    try:
        return role in ACTIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}; add it to permissions.ACTIONS") from None


def route_action(route: APIRoute) -> str | None:
    """The action a route declared through its `require(...)` dependency, if any."""
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        action = getattr(dep.call, "recallkit_action", None)
        if action is not None:
            return action
        stack.extend(dep.dependencies)
    return None


def iter_routes(routes: Iterable[object], prefix: str = "") -> Iterable[tuple[str, object]]:
    """Every route with its full path, looking inside included routers."""
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI >= 0.16x includes lazily
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from iter_routes(inner.routes, prefix + getattr(context, "prefix", ""))
        else:
            yield prefix + str(getattr(route, "path", "")), route


def check_routes(routes: Iterable[object]) -> dict[str, str]:
    """Refuse to start if any route lacks an action. Returns 'METHOD path' → action."""
    found: dict[str, str] = {}
    missing: list[str] = []
    for path, route in iter_routes(routes):
        if isinstance(route, Mount) and route.name in PUBLIC_MOUNTS:
            continue
        if not isinstance(route, APIRoute):
            missing.append(f"{type(route).__name__} {path}")
            continue
        action = route_action(route)
        for method in sorted(route.methods or ()):
            key = f"{method} {path}"
            if action is None:
                missing.append(key)
            elif action not in ACTIONS:
                missing.append(f"{key} (unknown action {action!r})")
            else:
                found[key] = action
    if missing:
        raise RuntimeError(
            "These routes declare no permission action, so the app will not start: "
            + ", ".join(missing)
        )
    return found
