"""Synthetic benchmark data: generated once per size and seed, reused while the generator
is the same (benchmark helper).

A data folder carries `generator.txt`, a hash of the synth package that made it. Data
from another version of the generator is made again: its truth labels may follow older
rules (a cached Los Angeles petition once counted late registrants as duplicates)."""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

STAMP = "generator.txt"


def fingerprint() -> str:
    """Hash of the synth package's code and data files."""
    import recallkit.synth as synth

    root = Path(synth.__file__).parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".csv", ".json"):
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def ensure(base: Path, voters: int, signatures: int, seed: int,
           images: bool = False) -> Path:
    """The data folder for this size and seed, generated now if missing or stale.

    Circulation runs from the Los Angeles 2022 format approval to the deadline the law
    gives a county of `voters` registered (EC 11220): 160 days from 50,000 voters, fewer
    below, so that a small benchmark county's sections are not all filed late."""
    from recallkit.synth.county import DEFAULT_CIRCULATION, generate_county
    from recallkit.synth.petition import generate_petition
    from recallkit.timeline import plan_recall

    data = base / (f"data-{voters}-{signatures}-{seed}" + ("-img" if images else ""))
    fp = fingerprint()
    stamp = data / STAMP
    if (data / "truth.csv").exists() and stamp.exists() and stamp.read_text().strip() == fp:
        return data
    if data.exists():
        print(f"{data}: made by another version of the generator; generating it again")
        shutil.rmtree(data)
    t = time.perf_counter()
    start = DEFAULT_CIRCULATION[0]
    end = plan_recall("ca-local", voters, format_approved=start).circulation_deadline
    generate_county(voters, seed, data, circulation=(start, end))
    generate_petition(data / "voters.csv", signatures, seed, data, start, end, images=images)
    stamp.write_text(fp + "\n")
    print(f"generated data in {time.perf_counter() - t:.1f} s (not timed)")
    return data
