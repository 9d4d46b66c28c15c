"""Charts for the report set, each as PNG (to look at) and SVG (to print or publish).

matplotlib with the Agg backend: no display is needed, so charts render on a server or in
CI. Every chart states its numbers in text too (labels on the bars) because a chart
alone cannot be checked.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

VALID = "#2b6a4a"
INVALID = "#b0413e"
NEUTRAL = "#4a5a78"
MAX_BARS = 40


def _save(fig: Figure, out_dir: Path, stem: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        p = out_dir / f"{stem}.{ext}"
        # SVG dates would make files differ run to run; the manifest hashes them.
        meta = {"Date": None} if ext == "svg" else {"Software": None}
        fig.savefig(p, dpi=110, metadata=meta)
        paths.append(p)
    plt.close(fig)
    return paths


def validity_chart(rows: list[dict[str, Any]], key: str, title: str, out_dir: Path,
                   stem: str) -> list[Path]:
    """Stacked horizontal bars: valid and invalid examined lines per group, with the rate."""
    rows = [r for r in rows if int(r["examined"]) > 0]
    shown = sorted(rows, key=lambda r: -int(r["examined"]))[:MAX_BARS]
    shown.sort(key=lambda r: str(r[key]), reverse=True)
    height = max(2.4, 0.32 * len(shown) + 1.2)
    fig, ax = plt.subplots(figsize=(8, height), layout="constrained")
    labels = [str(r[key]) for r in shown]
    valid = [int(r["valid"]) for r in shown]
    invalid = [int(r["invalid"]) for r in shown]
    ax.barh(labels, valid, color=VALID, label="valid")
    ax.barh(labels, invalid, left=valid, color=INVALID, label="invalid")
    for i, r in enumerate(shown):
        n = int(r["examined"])
        ax.text(n, i, f"  {100 * int(r['valid']) / n:.1f}% valid of {n:,}", va="center",
                fontsize=8)
    ax.set_xlabel("examined signatures")
    more = f" (largest {MAX_BARS} of {len(rows)})" if len(rows) > len(shown) else ""
    ax.set_title(title + more)
    ax.set_xlim(0, max([int(r["examined"]) for r in shown] or [1]) * 1.35)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, out_dir, stem)


def reasons_chart(categories: list[tuple[str, int]], out_dir: Path, stem: str = "reasons"
                  ) -> list[Path]:
    """Invalid signatures by reason, in the LA 2022 layout's order."""
    fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    labels = [c for c, _ in categories][::-1]
    counts = [n for _, n in categories][::-1]
    total = sum(counts) or 1
    ax.barh(labels, counts, color=INVALID)
    for i, n in enumerate(counts):
        ax.text(n, i, f"  {n:,} ({100 * n / total:.1f}%)", va="center", fontsize=8)
    ax.set_xlim(0, max(counts + [1]) * 1.3)
    ax.set_xlabel("invalid signatures")
    ax.set_title("Invalid signatures by reason (Los Angeles County 2022 categories)")
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, out_dir, stem)


def progress_chart(points: list[tuple[datetime, int, int]], total: int, out_dir: Path,
                   stem: str = "progress") -> list[Path]:
    """Cumulative lines decided (and valid) over time, against the lines to examine."""
    fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    if points:
        times = [p[0] for p in points]
        ax.step(times, [p[1] for p in points], where="post", color=NEUTRAL, label="decided")
        ax.step(times, [p[2] for p in points], where="post", color=VALID, label="valid")
    ax.axhline(total, color="#888", linestyle="--", linewidth=1)
    ax.text(ax.get_xlim()[0], total, f" lines to examine: {total:,}", va="bottom", fontsize=8)
    ax.set_ylabel("signatures (cumulative)")
    ax.set_title("Verification progress")
    ax.legend(loc="lower right", fontsize=8)
    for label in ax.get_xticklabels():
        label.set_rotation(25)
        label.set_horizontalalignment("right")
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, out_dir, stem)


def projection_chart(projection: dict[str, Any], required: int, lo_pct: float, hi_pct: float,
                     sample_valid: int, out_dir: Path, stem: str = "projection") -> list[Path]:
    """The projection against the bands, on the petition's scale and in sample units."""
    proj = int(projection["projected_valid"])
    lo, hi = required * lo_pct / 100, required * hi_pct / 100
    conf = projection.get("confidence") or {}
    lower = conf.get("lower_bound")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4.0), height_ratios=[1.2, 1],
                                     layout="constrained")
    right = max(proj, hi, lower or 0) * 1.15
    for ax in (top,):
        ax.axvspan(0, lo, color=INVALID, alpha=0.12)
        ax.axvspan(lo, hi, color="#d9a400", alpha=0.14)
        ax.axvspan(hi, right, color=VALID, alpha=0.12)
        ax.axvline(required, color="#333", linewidth=1)
        ax.text(required, 1.02, f"required {required:,}", ha="center", fontsize=8,
                transform=ax.get_xaxis_transform())
        ax.text(lo / 2, 0.85, f"insufficient\n< {lo_pct:g}%", ha="center", fontsize=7,
                transform=ax.get_xaxis_transform())
        ax.text((lo + hi) / 2, 0.85, "full count", ha="center", fontsize=7,
                transform=ax.get_xaxis_transform())
        ax.text((hi + right) / 2, 0.85, f"sufficient\n> {hi_pct:g}%", ha="center", fontsize=7,
                transform=ax.get_xaxis_transform())
        ax.plot([proj], [0.45], "D", color=NEUTRAL, markersize=8)
        ax.text(proj, 0.53, f"projected {proj:,}\n({projection.get('percent_of_required')}%)",
                ha="center", fontsize=8)
        if lower is not None:
            ax.plot([lower, right], [0.2, 0.2], color=NEUTRAL, linewidth=2)
            ax.plot([lower], [0.2], "|", color=NEUTRAL, markersize=12)
            ax.text(lower, 0.06, f"95% lower bound {int(lower):,}\n(exact, ignores duplicates)",
                    fontsize=7, ha="left" if lower < right * 0.7 else "right")
        ax.set_xlim(0, right)
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.set_xlabel("valid signatures in the whole petition")
    edges = projection.get("band_edges_in_sample") or {}
    s_hi, s_lo = edges.get("min_valid_for_sufficient"), edges.get("max_valid_for_insufficient")
    sample = int((projection.get("inputs") or {}).get("sample") or 0) or max(
        sample_valid, s_hi or 0) or 1
    bottom.barh([0], [sample_valid], color=NEUTRAL, height=0.5)
    bottom.text(sample_valid, 0, f"  V = {sample_valid:,} valid in sample", va="center",
                fontsize=8)
    for edge, label, color, ha in ((s_lo, "insufficient if V ≤ {} ", INVALID, "right"),
                                   (s_hi, " sufficient if V ≥ {}", VALID, "left")):
        if edge is not None:
            bottom.axvline(edge, color=color, linestyle="--", linewidth=1)
            bottom.text(edge, 0.42, label.format(edge), color=color, fontsize=7, ha=ha)
    bottom.set_xlim(0, sample * 1.05)
    bottom.set_ylim(-0.5, 0.6)
    bottom.set_yticks([])
    bottom.set_xlabel("valid signatures in the sample (band edges with the same duplicates)")
    fig.suptitle("Projection of valid signatures (2 CCR 20530) and the bands", fontsize=10)
    for ax in (top, bottom):
        ax.spines[["top", "right", "left"]].set_visible(False)
    return _save(fig, out_dir, stem)
