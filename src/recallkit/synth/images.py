"""Synthetic handwritten signatures (small PNGs), drawn with Pillow.

Each person has a "hand": slant, size, stroke width, how loopy and how each letter is
formed, all fixed by a hash of who they are. The same hand writes the signature on
file and, with a little tremor, the one on the petition line, so they compare; a
SIGNATURE_MISMATCH line is written by a different hand and looks different. Cheap
enough for tens of thousands of lines; nothing here resembles a real person's hand.
"""

from __future__ import annotations

import csv
import math
import os
import random
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = (300, 80)


@dataclass(frozen=True)
class Hand:
    slant: float
    height: float
    width: float
    stroke: int
    loop: float
    drift: float
    form: int  # 0 full name, 1 initial + surname, 2 first name + initial
    flourish: bool
    seed: int


def hand_for(key: str) -> Hand:
    """A person's hand, fixed by a stable hash of who they are."""
    seed = zlib.crc32(key.encode("utf-8")) & 0xFFFFFFFF
    r = random.Random(seed)
    return Hand(
        slant=r.uniform(-0.15, 0.55), height=r.uniform(16, 30), width=r.uniform(7, 13),
        stroke=r.choice((1, 2, 2, 3)), loop=r.uniform(0.2, 1.0), drift=r.uniform(-0.08, 0.08),
        form=r.choice((0, 0, 1, 1, 2)), flourish=r.random() < 0.4, seed=seed,
    )


def _text(name: str, form: int) -> str:
    parts = [p for p in name.replace(",", " ").split() if p]
    if not parts:
        return "x"
    if form == 1 and len(parts) > 1:
        return f"{parts[0][0]}. {parts[-1]}"
    if form == 2 and len(parts) > 1:
        return f"{parts[0]} {parts[-1][0]}."
    return " ".join(parts[:3])


def _letter_points(ch: str, hand: Hand) -> list[tuple[float, float]]:
    """A letter as the hand forms it: a few control points in a unit cell."""
    r = random.Random((hand.seed * 131 + ord(ch.lower())) & 0xFFFFFFFF)
    tall = ch.isupper() or ch.lower() in "bdfhklt"
    deep = ch.lower() in "gjpqy"
    n = 3 + (ord(ch.lower()) % 3)
    pts = []
    for k in range(n):
        x = (k + r.uniform(0.0, 0.6)) / n
        top = 1.6 if tall else 1.0
        low = -0.6 if deep else 0.0
        y = r.uniform(low, top) if k % 2 else r.uniform(low, 0.4) * hand.loop
        pts.append((x, y))
    return pts


def draw_signature(name: str, hand: Hand, tremor: int = 0) -> Image.Image:
    """The signature as an 8-bit grayscale image, white paper, dark ink."""
    img = Image.new("L", SIZE, 255)
    d = ImageDraw.Draw(img)
    jit = random.Random(hand.seed ^ (tremor * 2654435761 & 0xFFFFFFFF))
    text = _text(name, hand.form)
    width = min(hand.width, (SIZE[0] - 30) / max(len(text), 1))
    x0, base = 12.0, SIZE[1] * 0.68
    stroke: list[tuple[float, float]] = []
    strokes = []
    for i, ch in enumerate(text):
        if ch == " ":
            if stroke:
                strokes.append(stroke)
            stroke = []
            continue
        for px, py in _letter_points(ch, hand):
            x = x0 + (i + px) * width
            y = base - py * hand.height + hand.drift * (x - x0)
            y += jit.uniform(-1.2, 1.2) if tremor else 0.0
            x += hand.slant * py * hand.height * 0.5
            stroke.append((x, y))
        if ch == ".":
            strokes.append(stroke)
            stroke = []
    if stroke:
        strokes.append(stroke)
    for s in strokes:
        if len(s) > 1:
            d.line(_smooth(s), fill=20, width=hand.stroke, joint="curve")
        else:
            d.ellipse([s[0][0] - 1, s[0][1] - 1, s[0][0] + 1, s[0][1] + 1], fill=20)
    if hand.flourish and strokes and strokes[-1]:
        end_x = strokes[-1][-1][0]
        y = base + 8
        d.line([(x0 + 4, y + 2), ((x0 + end_x) / 2, y + 5), (end_x + 10, y - 3)], fill=40,
               width=max(1, hand.stroke - 1))
    return img


def _smooth(pts: list[tuple[float, float]], steps: int = 4) -> list[tuple[float, float]]:
    """Catmull-Rom through the control points: pen strokes are curves, not zigzags."""
    out = []
    p = [pts[0], *pts, pts[-1]]
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(
                0.5 * (2 * p1[k] + (-p0[k] + p2[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k]
                       - p3[k]) * t2 + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3)
                for k in (0, 1)))
    out.append(pts[-1])
    return [(round(x, 1), round(y, 1)) for x, y in out if not math.isnan(x)]


def save(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format="PNG", optimize=False)


def write_voter_images(base: Path, people: Iterable[tuple[str, str]]) -> int:
    """Signatures on file: base/images/voters/<voter_id>.png for (voter_id, name)."""
    n = 0
    for voter_id, name in people:
        path = base / "images" / "voters" / f"{voter_id}.png"
        if not path.exists():
            save(draw_signature(name, hand_for(voter_id)), path)
        n += 1
    return n


def voter_images(voters_csv: Path, out: Path, n: int, layout: str = "canonical") -> Path:
    """Signatures on file for the first n voters of a county just generated."""
    import pyarrow.csv as pacsv

    from recallkit.synth.layouts import canonical_name, read_back

    people = []
    reader = pacsv.open_csv(voters_csv, **read_back(layout))
    ids, firsts, lasts = (canonical_name(layout, c) for c in ("voter_id", "first_name",
                                                              "last_name"))
    for batch in reader:
        t = batch.to_pydict()
        for vid, first, last in zip(t[ids], t[firsts], t[lasts], strict=True):
            people.append((vid, f"{first} {last}"))
            if len(people) >= n:
                break
        if len(people) >= n:
            break
    write_voter_images(out, people)
    return out / "images" / "voters"


def line_image_name(section_id: str, page: int, line: int) -> str:
    return f"images/lines/{section_id}_{page}_{line}.png"


def write_petition_images(out: Path, voters_dir: Path,
                          lines: list[tuple[str, str, str, bool]],
                          on_file: list[tuple[str, str]]) -> int:
    """Line signatures (relative path, signer key, name, mismatch) and the signers'
    signatures on file, next to voters.csv, listed in out/voter_images.csv."""
    for rel, key, name, mismatch in lines:
        hand = hand_for(key + "#forged" if mismatch else key)
        tremor = zlib.crc32(rel.encode()) or 1
        save(draw_signature(name, hand, tremor=tremor), out / rel)
    write_voter_images(voters_dir, on_file)
    with (out / "voter_images.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["voter_id", "signature_image"])
        # Relative to this CSV's folder, as the signature-images import reads it.
        on_file_dir = os.path.relpath(voters_dir / "images" / "voters", out)
        for vid, _ in sorted(set(on_file)):
            w.writerow([vid, f"{on_file_dir}/{vid}.png"])
    return len(lines) + len(set(on_file))
