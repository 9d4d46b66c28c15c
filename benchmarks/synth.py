"""Benchmark: a Los Angeles-sized synthetic county and petition.

Generates 5.7 million voters and a petition of 716,000 signatures (the size of the
2022 Los Angeles County recall petition) and prints rows per second and the peak
resident memory of each stage, each stage in its own process so the peaks are its
own. Target (issue 6): the county in under 60 s on 2 cores with RSS under 3 GB.

    .venv/bin/python benchmarks/synth.py [--voters N] [--signatures N] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

STAGES = {
    "county": "from recallkit.synth.county import generate_county as g; "
              "g({voters}, 1, {out!r} + '/county')",
    "petition": "from recallkit.synth.petition import generate_petition as g; "
                "g({out!r} + '/county/voters.csv', {signatures}, 1, {out!r} + '/petition')",
}


def run_stage(code: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one stage run in a fresh Python process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code])
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"stage failed: {code}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--voters", type=int, default=5_700_000)
    ap.add_argument("--signatures", type=int, default=716_000)
    ap.add_argument("--out", default=None, help="keep the files here (default: temp dir)")
    args = ap.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="recallkit-synth-")
    rows = {"county": args.voters, "petition": args.signatures}
    print(f"cores: {os.cpu_count()}, output: {out}")
    print(f"{'stage':<10} {'rows':>11} {'seconds':>9} {'rows/s':>11} {'peak RSS MB':>12}")
    for name, template in STAGES.items():
        secs, rss = run_stage(template.format(voters=args.voters, signatures=args.signatures,
                                              out=out))
        print(f"{name:<10} {rows[name]:>11,} {secs:>9.1f} {rows[name] / secs:>11,.0f} "
              f"{rss:>12,.0f}")
    sizes = {f: os.path.getsize(os.path.join(out, f))
             for f in ("county/voters.csv", "petition/signatures.csv")}
    for f, size in sizes.items():
        print(f"{f}: {size / 1e6:,.0f} MB")


if __name__ == "__main__":
    main()
