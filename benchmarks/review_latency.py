"""Server time per review action (p50/p95) on a synthetic Los Angeles-scale workspace.

Scale (defaults, about LA County 2022): 5,700,000 voters, 716,000 signature lines, of
which 700,000 already have an engine determination (with a matched voter) and 16,000
wait in the review queue; every line has 3 candidate voters (as the engine stores them,
2.1M rows of match_candidates); a full count is under way, so each
decision also runs the full-count duplicates pass for the decided line's voters. The
workspace is generated with SQL (no names that exist).

Timing is the app's own `Server-Timing` header: from the request entering the app to the
response leaving it, including the wait for the single writer thread and the library
calls. One or several reviewers work at once (threads), as in an office.

    .venv/bin/python benchmarks/review_latency.py [--voters N] [--lines N] [--queue N]
        [--reviewers N] [--actions N] [--repeat N] [--keep DIR]

--keep DIR builds the workspace once into DIR (reused when it exists; each run works on
a copy), and --repeat runs the whole measurement several times to show the spread on a
busy machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from recallkit.web import library
from recallkit.web.app import create_app
from recallkit.web.users import add_user
from recallkit.workspace import create_workspace

PASSWORD = "benchmark password"


def build(path: Path, voters: int, lines: int, queue: int, voter_index: bool = True) -> None:
    ws = create_workspace(path, rules="ca-local", jurisdiction="Synthetic County",
                          office="Supervisor", officer="Synthetic Officer", measure=voters,
                          format_approved=date(2026, 1, 5), counties=["Synthetic"],
                          actor="bench")
    con = ws.con
    t = time.perf_counter()
    con.execute("DROP INDEX IF EXISTS voters_voter_id")  # built after the load, as imports do
    con.execute(f"""INSERT INTO voters (voter_id, first_name, last_name, residence_address,
        city, zip, county, registration_date, status)
        SELECT 'V' || i, 'FIRST' || (i % 5000), 'LAST' || (i % 90000),
               (100 + i % 9000) || ' MAIN ST', 'CITY' || (i % 88),
               lpad((90001 + i % 900)::VARCHAR, 5, '0'),
               'Synthetic', DATE '2000-01-01' + (i % 8000)::INTEGER, 'active'
        FROM range({voters}) r(i)""")
    con.execute(f"""INSERT INTO sections (section_id, county, pages, signature_lines,
        declaration_signed, date_filed)
        SELECT 'S' || s, 'Synthetic', 10, 100, TRUE, DATE '2026-05-01'
        FROM range({(lines + 99) // 100}) r(s)""")
    con.execute(f"""INSERT INTO signatures (line_id, section_id, page, line, printed_name,
        residence_address, city, zip, has_signature)
        SELECT 'S' || (i // 100) || ':' || (1 + (i % 100) // 10) || ':' || (1 + i % 10),
               'S' || (i // 100), 1 + (i % 100) // 10, 1 + i % 10,
               'FIRST' || (i % 5000) || ' LAST' || (i % 90000), (100 + i % 9000) || ' MAIN',
               'CITY' || (i % 88), lpad((90001 + i % 900)::VARCHAR, 5, '0'), TRUE
        FROM range({lines}) r(i)""")
    decided = lines - queue
    con.execute(f"""INSERT INTO determinations (line_id, determination, reason, voter_id,
        decided_by, score, evidence, decided_at, mode)
        SELECT line_id, 'valid', NULL, 'V' || (hash(line_id) % {voters}), 'engine:1', 0.99,
               '{{}}', now(), 'full'
        FROM signatures ORDER BY line_id LIMIT {decided}""")
    con.execute(f"""INSERT INTO review_queue (line_id, mode, reason_hint, priority, queued_at)
        SELECT line_id, 'full', 'SIGNATURE_MISMATCH', random(), now()
        FROM signatures ORDER BY line_id DESC LIMIT {queue}""")
    con.execute(f"""INSERT INTO match_candidates
        SELECT 1, q.line_id, 'V' || ((hash(q.line_id) + k) % {voters}), k + 1, 0.7 - k * 0.1,
               '{{"name": 0.8, "address": 0.6}}'
        FROM signatures q, range(3) r(k)""")
    con.execute("UPDATE petition SET stage = 'verifying'")
    # a full count is under way: each decision runs the full-count duplicates pass
    ws.audit("bench", "verify_full", {"mode": "full", "note": "benchmark workspace"})
    if voter_index:  # as the voters import leaves it (workspace/imports.py)
        con.execute("CREATE INDEX voters_voter_id ON voters (voter_id)")
    for n in range(8):
        add_user(ws, f"rev{n}", "reviewer", PASSWORD, actor="bench")
    ws.close()
    print(f"built workspace in {time.perf_counter() - t:.1f}s", file=sys.stderr)


def server_ms(response) -> tuple[float, float, float]:
    """(app, queue, db) milliseconds from the Server-Timing header."""
    found = dict(re.findall(r"(\w+);dur=([0-9.]+)", response.headers.get("server-timing", "")))
    return tuple(float(found.get(k, "nan")) for k in ("app", "queue", "db"))  # type: ignore


def reviewer(app, name: str, actions: int, timings: dict[str, list[tuple[float, float, float]]],
             lock: threading.Lock) -> None:
    c = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    r = c.post("/api/login", json={"username": name, "password": PASSWORD},
               headers={"X-CSRF-Token": token})
    token = r.json()["csrf_token"]
    h = {"X-CSRF-Token": token}
    local: dict[str, list[tuple[float, float, float]]] = {
        "next": [], "decide+next": [], "undo": [], "page": []}
    r = c.post("/api/review/next", headers=h)
    local["next"].append(server_ms(r))
    item = r.json()["item"]
    for i in range(actions):
        if item is None:
            break
        r = c.post(f"/api/review/items/{item['line_id']}/decision", json={"key": "v"},
                   headers=h)
        local["decide+next"].append(server_ms(r))
        if i % 5 == 4:
            r = c.post("/api/review/undo", headers=h)
            local["undo"].append(server_ms(r))
            item = r.json()["item"]
            continue
        if i % 10 == 0:
            local["page"].append(server_ms(c.get("/review")))
        item = r.json()["item"]
    with lock:
        for k, v in local.items():
            timings[k].extend(v)


def measure(path: Path, reviewers: int, actions: int
            ) -> dict[str, list[tuple[float, float, float]]]:
    """One run: `reviewers` threads each make `actions` decisions on the workspace."""
    app = create_app(path, secret_key="bench")
    timings: dict[str, list[tuple[float, float, float]]] = {
        "next": [], "decide+next": [], "undo": [], "page": []}
    lock = threading.Lock()
    with TestClient(app):
        threads = [threading.Thread(target=reviewer,
                                    args=(app, f"rev{n}", actions, timings, lock))
                   for n in range(reviewers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return timings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--voters", type=int, default=5_700_000)
    ap.add_argument("--lines", type=int, default=716_000)
    ap.add_argument("--queue", type=int, default=16_000)
    ap.add_argument("--reviewers", type=int, default=4)
    ap.add_argument("--actions", type=int, default=100, help="decisions per reviewer")
    ap.add_argument("--repeat", type=int, default=1, help="runs, each on a fresh copy")
    ap.add_argument("--keep", type=Path, default=None,
                    help="build the workspace once into this folder and reuse it")
    ap.add_argument("--no-voter-index", dest="voter_index", action="store_false",
                    help="what-if: without the voters.voter_id index the import builds")
    args = ap.parse_args()

    if not library.available("lease_next"):
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from web.fixture_ws import install_fake_review

        install_fake_review()
        engine = "test stand-in for the review library (recallkit.verification.review absent)"
    else:
        engine = "recallkit.verification.review"
    runs: list[dict[str, list[tuple[float, float, float]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp) / "base"
        if not (base / "petition.duckdb").exists():
            build(base, args.voters, args.lines, args.queue, args.voter_index)
        for n in range(args.repeat):
            path = Path(tmp) / f"run{n}"
            shutil.copytree(base, path, ignore=shutil.ignore_patterns(".serving"))
            runs.append(measure(path, args.reviewers, args.actions))
            shutil.rmtree(path)
    print(f"review latency: {args.voters:,} voters, {args.lines:,} lines, "
          f"{args.queue:,} queued, {args.reviewers} reviewer(s) at once, {args.repeat} run(s)"
          f"{'' if args.voter_index else ', voter_id NOT indexed'}; review calls: {engine}")
    print("server time per action (ms): app = whole request, of which queue = waiting for")
    print("the single writer and db = the library calls on it")
    print(f"{'run':<5}{'action':<14}{'n':>5}{'app p50':>9}{'app p95':>9}{'app max':>9}"
          f"{'queue p95':>11}{'db p50':>8}{'db p95':>8}")
    for i, timings in enumerate(runs, start=1):
        for k, rows in timings.items():
            if not rows:
                continue
            app_ms, queue_ms, db_ms = (sorted(col) for col in zip(*rows, strict=True))
            print(f"{i:<5}{k:<14}{len(rows):>5}{statistics.median(app_ms):>9.1f}"
                  f"{pct(app_ms, 95):>9.1f}{app_ms[-1]:>9.1f}{pct(queue_ms, 95):>11.1f}"
                  f"{statistics.median(db_ms):>8.1f}{pct(db_ms, 95):>8.1f}")
    if len(runs) > 1:
        p95s = sorted(pct(sorted(r[0] for r in t["decide+next"]), 95) for t in runs
                      if t["decide+next"])
        p50s = sorted(statistics.median(r[0] for r in t["decide+next"]) for t in runs
                      if t["decide+next"])
        print(f"decide+next over {len(runs)} runs: app p50 {p50s[0]:.1f}-{p50s[-1]:.1f} ms, "
              f"app p95 {p95s[0]:.1f}-{p95s[-1]:.1f} ms (median p95 "
              f"{statistics.median(p95s):.1f})")


def pct(values: list[float], p: int) -> float:
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


if __name__ == "__main__":
    main()
