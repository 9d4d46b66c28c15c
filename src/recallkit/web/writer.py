"""The single writer: every workspace call runs on one thread, in order.

DuckDB allows one writer per database file, so the server owns the workspace while it runs
(docs/architecture: "The web server is the workspace's single writer while it runs").
Reads go through the same thread too: the calls are short (one review action is a few
small queries) and a single queue keeps them consistent with the writes they follow.
Long stages (verification) run as a background job on the same thread.

While serving, `WS/.serving` names the server's process so the CLI can refuse writes with a
clear sentence instead of a DuckDB lock error.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from .errors import WebError, from_library

T = TypeVar("T")

SERVING_FILE = ".serving"

#: Per request: [ms waiting for the writer, ms working on it] (the Server-Timing header).
writer_timing: ContextVar[list[float] | None] = ContextVar("writer_timing", default=None)


class Writer:
    """Runs callables one at a time on a dedicated thread that owns the workspace."""

    def __init__(self, opener: Callable[[], Any]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recallkit-writer")
        self.ws: Any = self._pool.submit(opener).result()
        self.job: Job | None = None

    def start_job(self, kind: str, started_by: str, fn: Callable[..., Any], *args: Any,
                  **kwargs: Any) -> Job:
        """Run a long stage on the writer thread; other calls answer 503 until it ends."""
        self._check_idle()
        self.job = Job(kind, started_by, datetime.now(UTC), self.submit(fn, *args, **kwargs),
                       {k: v for k, v in kwargs.items() if isinstance(v, (str, int))})
        return self.job

    def _check_idle(self) -> None:
        job = self.job
        if job is not None and job.state == "running":
            raise WebError(
                503, "busy",
                f"The {job.kind} started by {job.actor} at "
                f"{job.started_at:%H:%M:%S} UTC is still running; try again when it has "
                "finished (the progress page shows it).")

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        return self._pool.submit(fn, self.ws, *args, **kwargs)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn(ws, *args, **kwargs)` on the writer thread and wait (sync callers)."""
        self._check_idle()
        try:
            return self.submit(fn, *args, **kwargs).result()
        except WebError:
            raise
        except Exception as exc:  # library errors become plain sentences
            raise from_library(exc) from exc

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn(ws, *args, **kwargs)` on the writer thread without blocking the loop."""
        self._check_idle()
        timing = writer_timing.get()
        queued = time.perf_counter()
        work: list[float] = []

        def timed(ws: Any) -> T:
            started = time.perf_counter()
            try:
                return fn(ws, *args, **kwargs)
            finally:
                work.append(started - queued)
                work.append(time.perf_counter() - started)

        try:
            return await asyncio.wrap_future(self._pool.submit(timed, self.ws))
        except WebError:
            raise
        except Exception as exc:
            raise from_library(exc) from exc
        finally:
            if timing is not None and work:
                timing[0] += work[0] * 1000
                timing[1] += work[1] * 1000

    def close(self) -> None:
        def _close(ws: Any) -> None:
            close = getattr(ws, "close", None) or getattr(getattr(ws, "con", None), "close", None)
            if close:
                close()

        try:
            self._pool.submit(_close, self.ws).result(timeout=30)
        finally:
            self._pool.shutdown(wait=True)


@dataclass
class Job:
    """A long stage running on the writer thread (verification), watched by the pages."""

    kind: str
    actor: str
    started_at: datetime
    future: Future[Any]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def state(self) -> str:
        if not self.future.done():
            return "running"
        return "failed" if self.future.exception() is not None else "done"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind, "actor": self.actor, "state": self.state,
            "started_at": self.started_at.isoformat(timespec="seconds"), "params": self.params,
        }
        if self.state == "failed":
            out["message"] = from_library(self.future.exception()).message  # type: ignore[arg-type]
        return out


# --- the .serving lock file ---------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def serving_info(ws_path: str | Path) -> dict[str, Any] | None:
    """Who is serving this workspace right now, or None. Stale files (dead pid) are ignored.

    CLI write commands call this and refuse with `serving_message(...)` when it is not None.
    """
    path = Path(ws_path) / SERVING_FILE
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    pid = info.get("pid")
    if not isinstance(pid, int) or not _pid_alive(pid):
        return None
    return info


def serving_message(info: dict[str, Any]) -> str:
    return (
        f"This workspace is being served by the web app (process {info.get('pid')}, "
        f"http://{info.get('host')}:{info.get('port')}), which is its only writer while it "
        "runs. Make the change in the web app or its API, or stop the server first."
    )


def take_serving_lock(ws_path: str | Path, host: str, port: int) -> Path:
    """Write WS/.serving; refuse if another live server holds it."""
    other = serving_info(ws_path)
    if other is not None and other.get("pid") != os.getpid():
        raise RuntimeError(serving_message(other))
    path = Path(ws_path) / SERVING_FILE
    info = {
        "pid": os.getpid(), "host": host, "port": port,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(info))
    tmp.replace(path)
    return path


def release_serving_lock(ws_path: str | Path) -> None:
    path = Path(ws_path) / SERVING_FILE
    info = serving_info(ws_path)
    if info is None or info.get("pid") == os.getpid():
        path.unlink(missing_ok=True)

