"""Benchmark: draw a 36,000-line sample from 800,000 line ids (target: well under 2 s).

The peer in the same run is the standalone verifier a campaign or court would use
(docs/verify_sample.py, standard library only): it must give the same sample, and the
table shows what the library's vectorised ranking buys over it.

Run: .venv/bin/python benchmarks/sampling.py
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from recallkit.rules import load_pack
from recallkit.sampling import consistent_order, draw, sample_size

SEED = "31415926535897932384626433"


def ids(n: int) -> list[str]:
    """n canonical ids: sections of 20 pages × 10 lines."""
    return [f"LA-{i // 200:06d}:{i // 10 % 20 + 1}:{i % 10 + 1}" for i in range(n)]


def timed(fn, repeat: int = 3) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def verifier():
    """docs/verify_sample.py, loaded as a module (it is a script, not a package)."""
    path = Path(__file__).resolve().parents[1] / "docs" / "verify_sample.py"
    spec = importlib.util.spec_from_file_location("verify_sample", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    table = Table(title="recallkit sampling")
    for col in ("case", "universe", "sample", "best s", "median s"):
        table.add_column(col, justify="right" if col != "case" else "left")
    universe = ids(800_000)
    best, med = timed(lambda: draw(SEED, universe, 36_000))
    table.add_row("draw (target < 2 s)", "800,000", "36,000", f"{best:.3f}", f"{med:.3f}")
    peer = verifier()
    best, med = timed(lambda: peer.order(SEED, universe)[:36_000], repeat=1)
    table.add_row("peer: stdlib verifier, full order then first 36,000", "800,000", "36,000",
                  f"{best:.3f}", f"{med:.3f}")
    ours = [s.id for s in draw(SEED, universe, 36_000)]
    theirs = [line_id for _ticket, line_id in peer.order(SEED, universe)[:36_000]]
    table.add_row("same sample as the verifier", "", "", "yes" if ours == theirs else "NO", "")
    la = 716_000
    size = sample_size(load_pack("ca-local"), la).size
    best, med = timed(lambda: draw(SEED, universe[:la], size))
    table.add_row("draw, LA-sized recall (5%)", f"{la:,}", f"{size:,}", f"{best:.3f}",
                  f"{med:.3f}")
    best, med = timed(lambda: consistent_order(SEED, universe[:100_000]), repeat=1)
    table.add_row("full order", "100,000", "100,000", f"{best:.3f}", f"{med:.3f}")
    Console().print(table)


if __name__ == "__main__":
    main()
