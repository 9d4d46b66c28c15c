"""The library calls the web app makes, resolved by name when first used.

Routes stay thin (one library call each); this module only finds the function. A stage
whose module is not installed in this version answers 501 with a plain sentence instead of
stopping the whole app from starting.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .errors import WebError

#: short name → "module:function". The web app calls nothing else in the engines.
CALLS: dict[str, str] = {
    "open_workspace": "recallkit.workspace:open_workspace",
    "import_voters": "recallkit.workspace:import_voters",
    "import_sections": "recallkit.workspace:import_sections",
    "import_signatures": "recallkit.workspace:import_signatures",
    "import_withdrawals": "recallkit.workspace:import_withdrawals",
    "raw_count": "recallkit.workspace:raw_count",
    "validate_seed": "recallkit.sampling:validate_seed",
    "draw_sample": "recallkit.verification.stages:draw_sample",
    "verify": "recallkit.verification.stages:verify",
    "project_workspace": "recallkit.verification.stages:project_workspace",
    "progress": "recallkit.verification.stages:progress",
    "lease_next": "recallkit.verification.review:lease_next",
    "get_item": "recallkit.verification.review:get_item",
    "decide": "recallkit.verification.review:decide",
    "undo": "recallkit.verification.review:undo",
    "release": "recallkit.verification.review:release",
    "queue_stats": "recallkit.verification.review:queue_stats",
    "review_keys": "recallkit.verification.review:KEYS",
    "certify": "recallkit.reports.certify:certify",
}

_WHAT = {
    "recallkit.workspace": "the workspace",
    "recallkit.verification.stages": "the verification stages",
    "recallkit.verification.review": "the review queue",
    "recallkit.reports.certify": "certification",
    "recallkit.sampling": "sampling",
}

_FALLBACKS = {
    "recallkit.workspace": ("recallkit.workspace.db", "recallkit.workspace.imports"),
}

_overrides: dict[str, Any] = {}


def available(name: str) -> bool:
    try:
        get(name)
    except WebError:
        return False
    return True


def get(name: str) -> Any:
    """The library object behind `name`, or a 501 WebError saying what is missing."""
    if name in _overrides:
        return _overrides[name]
    module_name, attr = CALLS[name].split(":")
    # A package's public surface first, then the module that defines it.
    for candidate in (module_name, *_FALLBACKS.get(module_name, ())):
        try:
            return getattr(importlib.import_module(candidate), attr)
        except (ImportError, AttributeError):
            continue
    what = _WHAT.get(module_name, module_name)
    raise WebError(501, "not_built", f"This version of recallkit does not include {what} yet.")


def override(name: str, value: Any) -> None:
    """Replace a call (tests and benchmarks only)."""
    _overrides[name] = value


def clear_overrides() -> None:
    _overrides.clear()


def call(name: str) -> Callable[..., Any]:
    fn = get(name)
    if not callable(fn):
        raise TypeError(f"{name} is not callable")
    return fn
