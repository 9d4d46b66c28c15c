"""Petition sections, their lines in filing order, and the reason each line should get.

A section is what one circulator carried and declared: pages of numbered lines, a
circulator's declaration with the dates of circulation (EC 104), the county named
on it, and the day it was filed. Lines are laid out in filing order
(date_filed, section_id, page, line), the order the duplicate rule uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recallkit.synth.mixes import SECTION_REASONS, Mix

LINES_PER_PAGE = 10


@dataclass(frozen=True)
class Layout:
    """Sections (arrays by section) and lines (arrays by line, in filing order)."""

    n_sections: int
    section_lines: np.ndarray  # raw-count lines per section
    section_pages: np.ndarray
    circulator: np.ndarray  # circulator index per section
    sec_from: np.ndarray  # days since epoch
    sec_to: np.ndarray
    filed: int
    line_section: np.ndarray
    line_page: np.ndarray
    line_no: np.ndarray
    line_struck: np.ndarray
    reason: np.ndarray  # object array: reason code or "" (valid), "" for struck lines
    section_defect: np.ndarray  # object array per section: "" or a section reason
    declaration_signed: np.ndarray


def layout_sections(
    rng: np.random.Generator, n_lines: int, mix: Mix, c_from: int, c_to: int
) -> Layout:
    """Cut n_lines raw-count lines into sections of 20-40 lines and assign reasons."""
    sizes = rng.integers(20, 41, n_lines // 20 + 2)
    cum = np.cumsum(sizes)
    n_sec = int(np.searchsorted(cum, n_lines)) + 1
    sizes = sizes[:n_sec].copy()
    sizes[-1] -= int(cum[n_sec - 1] - n_lines)
    n_struck = int(round(n_lines * mix.struck_rate))
    struck_per = np.bincount(rng.integers(0, n_sec, n_struck), minlength=n_sec)
    filled = sizes + struck_per
    pages = (filled + LINES_PER_PAGE - 1) // LINES_PER_PAGE
    # Circulators carry many sections each (a few carry a lot).
    n_circ = max(1, n_sec // 12)
    circ = np.minimum((rng.pareto(1.2, n_sec) * 2).astype(np.int64), n_circ - 1)
    circ = (circ + rng.integers(0, n_circ, n_sec) * (rng.random(n_sec) < 0.6)) % n_circ
    span = max(c_to - c_from, 1)
    start = c_from + (rng.random(n_sec) * max(span - 7, 1) * 0.85).astype(np.int64)
    end = np.minimum(c_to, start + rng.integers(3, 61, n_sec))

    # Lines in filing order: sections by id, then pages, then lines.
    line_section = np.repeat(np.arange(n_sec), filled)
    offset = np.arange(len(line_section)) - np.repeat(np.cumsum(filled) - filled, filled)
    line_page = offset // LINES_PER_PAGE + 1
    line_no = offset % LINES_PER_PAGE + 1
    struck = np.zeros(len(line_section), dtype=bool)
    first_row = np.cumsum(filled) - filled
    for s in np.flatnonzero(struck_per):
        pos = rng.choice(filled[s], size=struck_per[s], replace=False)
        struck[first_row[s] + pos] = True

    # Section-level defects: whole sections, about the mix's share of lines each.
    defect = np.full(n_sec, "", dtype=object)
    order = rng.permutation(n_sec)
    k = 0
    for code in SECTION_REASONS:
        target = mix.invalid.get(code, 0.0) * n_lines
        got = 0
        while got < target * 0.999 and k < n_sec and got + sizes[order[k]] / 2 <= target:
            defect[order[k]] = code
            got += sizes[order[k]]
            k += 1
    signed = np.ones(n_sec, dtype=bool)
    decl = np.flatnonzero(defect == "CIRCULATOR_DECLARATION_DEFECT")
    signed[decl[rng.random(len(decl)) < 0.65]] = False

    reason = np.full(len(line_section), "", dtype=object)
    raw = ~struck
    reason[raw] = defect[line_section[raw]]
    free = np.flatnonzero(raw & (reason == ""))
    counts = []
    for code, share in mix.invalid.items():
        if code not in SECTION_REASONS:
            counts.append((code, int(round(share * n_lines))))
    pool = np.concatenate([np.full(c, code, dtype=object) for code, c in counts] +
                          [np.full(max(len(free) - sum(c for _, c in counts), 0), "",
                                   dtype=object)])[: len(free)]
    reason[free] = pool[rng.permutation(len(free))]
    _no_leading_duplicates(reason, raw)
    return Layout(
        n_sections=n_sec, section_lines=sizes, section_pages=pages, circulator=circ,
        sec_from=start, sec_to=end, filed=c_to, line_section=line_section,
        line_page=line_page, line_no=line_no, line_struck=struck, reason=reason,
        section_defect=defect, declaration_signed=signed,
    )


def _no_leading_duplicates(reason: np.ndarray, raw: np.ndarray) -> None:
    """A duplicate needs an earlier counted signature: swap any that come first."""
    valid = np.flatnonzero(raw & (reason == ""))
    dups = np.flatnonzero(reason == "DUPLICATE")
    if len(valid) == 0:
        reason[dups] = ""
        return
    early = dups[dups < valid[0]]
    later_valid = valid[::-1][: len(early)]
    for d, v in zip(early, later_valid, strict=False):
        reason[d], reason[v] = "", "DUPLICATE"
