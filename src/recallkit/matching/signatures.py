"""Compare a petition line's signature with the voter's signature(s) on file.

2 CCR 20960 ff.: the comparison starts from the presumption that the signature is the
voter's, needs no exact match, and similar characteristics to ANY signature on file
suffice. So the machine never rejects a signature: a low similarity only sends a line
that would otherwise be accepted automatically to a person (hint SIGNATURE_MISMATCH),
and a missing or unreadable image on either side leaves the presumption in force.

The method is deliberately general and cheap — features every scanned handwritten
signature has, nothing tied to how any particular image was made:

* ink is separated from paper by Otsu's threshold, and the image cropped to the ink's
  bounding box (position on the line and scan margins say nothing about the writer);
* the crop is resampled to a fixed grid, so size differences do not count, while the
  shape's proportions are kept as a separate feature (log aspect ratio);
* features: a coarse ink-density grid, horizontal and vertical projection profiles,
  a histogram of stroke directions (gradient orientation weighted by strength), and the
  ink density (pen width relative to the writing's size).

Similarity in [0, 1] is a weighted mean of per-feature agreements.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

GRID = (12, 36)          # rows × columns of the ink-density grid
PROFILE = (24, 96)       # resampled size for the projection profiles and directions
DIRECTIONS = 8           # orientation bins over [0, π)
WEIGHTS = {"grid": 0.30, "cols": 0.20, "rows": 0.15, "dirs": 0.15, "aspect": 0.10,
           "density": 0.10}
# Lines per worker task when a process pool is used, and when it is worth one.
CHUNK = 256
POOL_FROM = 2000


@dataclass(frozen=True)
class Features:
    grid: np.ndarray
    cols: np.ndarray
    rows: np.ndarray
    dirs: np.ndarray
    aspect: float
    density: float


def _otsu(gray: np.ndarray) -> float:
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128.0
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    mean_all = m0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_all * w0 / total - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return float(np.argmax(between))


def _unit(v: np.ndarray) -> np.ndarray:
    v = v.astype(np.float64).ravel()
    v = v - v.mean()
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def features(path: str | Path) -> Features | None:
    """Features of one signature image, or None when there is no usable ink."""
    try:
        with Image.open(path) as im:
            gray = np.asarray(im.convert("L"), dtype=np.uint8)
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    if gray.size == 0:
        return None
    t = _otsu(gray)
    # Only dark marks well below the paper are ink (a blank scan has no such contrast).
    if gray.max() - gray.min() < 48:
        return None
    ink = gray <= t
    ys, xs = np.nonzero(ink)
    if len(xs) < 8:
        return None
    crop = (255 - gray[ys.min():ys.max() + 1, xs.min():xs.max() + 1]).astype(np.float64)
    crop[~ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]] = 0.0
    h, w = crop.shape
    img = Image.fromarray(np.clip(crop, 0, 255).astype(np.uint8))
    grid = np.asarray(img.resize(GRID[::-1], Image.Resampling.BOX), dtype=np.float64)
    prof = np.asarray(img.resize(PROFILE[::-1], Image.Resampling.BILINEAR), dtype=np.float64)
    gy, gx = np.gradient(prof)
    mag = np.hypot(gx, gy)
    ang = np.mod(np.arctan2(gy, gx), np.pi)
    bins = np.minimum((ang / np.pi * DIRECTIONS).astype(np.int64), DIRECTIONS - 1)
    dirs = np.bincount(bins.ravel(), weights=mag.ravel(), minlength=DIRECTIONS)
    dirs = dirs / dirs.sum() if dirs.sum() > 0 else dirs
    return Features(_unit(grid), _unit(prof.sum(axis=0)), _unit(prof.sum(axis=1)), dirs,
                    math.log(w / h), float(ink[ys.min():ys.max() + 1,
                                               xs.min():xs.max() + 1].mean()))


def similarity(a: Features, b: Features) -> float:
    """Agreement of two signatures' features, in [0, 1] (1 = same shape)."""
    def corr(x: np.ndarray, y: np.ndarray) -> float:
        return max(0.0, float(np.dot(x, y)))

    parts = {
        "grid": corr(a.grid, b.grid),
        "cols": corr(a.cols, b.cols),
        "rows": corr(a.rows, b.rows),
        "dirs": 1.0 - 0.5 * float(np.abs(a.dirs - b.dirs).sum()),
        "aspect": math.exp(-abs(a.aspect - b.aspect)),
        "density": (min(a.density, b.density) / max(a.density, b.density)
                    if max(a.density, b.density) > 0 else 0.0),
    }
    return float(sum(WEIGHTS[k] * v for k, v in parts.items()))


def compare_files(line_image: str | Path, on_file: Sequence[str | Path]) -> float | None:
    """Best similarity of a line's signature to any signature on file (2 CCR 20960:
    similar characteristics to any one suffice); None when either side has no usable
    image — the presumption of validity then stands."""
    a = features(line_image)
    if a is None:
        return None
    best = None
    for p in on_file:
        b = features(p)
        if b is not None:
            s = similarity(a, b)
            best = s if best is None else max(best, s)
    return best


def _chunk(pairs: list[tuple[str, str, tuple[str, ...]]]) -> list[tuple[str, float | None]]:
    return [(key, compare_files(line, files)) for key, line, files in pairs]


def compare_many(pairs: Iterable[tuple[str, str, Sequence[str]]],
                 workers: int | None = None) -> dict[str, float | None]:
    """Similarity per key for (key, line image, images on file); a process pool for
    large batches (image decoding is CPU-bound)."""
    items = [(k, str(a), tuple(str(x) for x in b)) for k, a, b in pairs]
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    if len(items) < POOL_FROM or workers <= 1:
        return dict(_chunk(items))
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    out: dict[str, float | None] = {}
    with ProcessPoolExecutor(max_workers=workers) as ex:
        for part in ex.map(_chunk, chunks):
            out.update(part)
    return out


def threshold(scores: Sequence[float], floor: float = 0.35, k: float = 8.0) -> float:
    """The similarity below which a line goes to a person, from this run's distribution.

    Nearly all signatures on a petition are genuine (presumption of validity), so the
    bulk of the distribution describes genuine pairs: the threshold sits k robust
    standard deviations (1.4826 · MAD) below the median. It is never above the median
    (at most half the lines could ever be sent) and never below `floor`.
    """
    if len(scores) < 20:
        return floor
    x = np.asarray(scores, dtype=np.float64)
    med = float(np.median(x))
    mad = float(np.median(np.abs(x - med))) * 1.4826
    return float(min(med, max(floor, med - k * max(mad, 0.01))))


def like_threshold(scores: Sequence[float], floor: float = 0.35, k: float = 8.0) -> float | None:
    """The similarity at or above which a signature counts as the voter's own, or None.

    Used only to settle an identity the names and addresses left open between one voter
    and nobody — never to reject. It is the run's median similarity (half the genuine
    pairs reach it), and only when the distribution shows a tight genuine mode: when the
    review threshold (`threshold`) sits above its floor. Scans that separate writers
    poorly give a wide distribution; then nothing is settled by signature."""
    if len(scores) < 20:
        return None
    thr = threshold(scores, floor, k)
    med = float(np.median(np.asarray(scores, dtype=np.float64)))
    return med if floor < thr < med else None
