"""The consistent random sample: anyone can re-draw it from the seed and the line ids.

A random sample decides whether a petition is sufficient, so the county, the campaign,
a court and the press must all be able to reproduce it with a few lines of code. The
sampler is *consistent* (bottom-k by hash, see docs/sampling.md):

    seed_hash = sha256(seed).hexdigest()
    ticket(id) = int(sha256(seed_hash + "," + id).hexdigest(), 16)

and the universe is sorted by (ticket, id). A sample of size n is the first n ids; a
larger (supplemental) sample is the first n' > n ids, so enlarging only appends.

Sample sizes come from the rule pack (EC 11225(a) for local recalls, EC 9030(d) and
9115(a) for initiatives). State recalls are never sampled: since 2017 every signature is
verified (EC 11104, 11106).
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from recallkit.explain import Step
from recallkit.rules.model import RulePack
from recallkit.rules.thresholds import ceil_percent

SEED_MIN_DIGITS = 20
"""A seed of 20 decimal digits has ~66 bits of entropy from a public dice ceremony."""

_SEED_RE = re.compile(r"[0-9]+")


class SamplingError(ValueError):
    """A seed, id list or sample request that cannot produce a valid sample."""


class NoSamplingError(SamplingError):
    """The law does not allow a random sample here: every signature must be examined."""


@dataclass(frozen=True)
class SampledLine:
    """One line of the consistent order: its id, its ticket (64 hex chars), its 1-based rank."""

    id: str
    ticket_hex: str
    position: int

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "ticket": self.ticket_hex, "position": self.position}


@dataclass(frozen=True)
class SampleSize:
    """How many lines the statute requires in the sample, with the steps that made it."""

    size: int
    steps: tuple[Step, ...]
    cite: str

    def as_dict(self) -> dict[str, object]:
        return {
            "size": self.size,
            "steps": [s.as_dict() for s in self.steps],
            "cite": self.cite,
        }


# -- seed, ids, tickets ---------------------------------------------------------------------


def validate_seed(seed: str) -> str:
    """Return the seed if it is at least 20 decimal digits (0-9), else raise SamplingError.

    Only ASCII digits are accepted, with no spaces: the seed is hashed exactly as written,
    so two people who copy it differently must be told rather than get different samples.
    """
    if not isinstance(seed, str) or not _SEED_RE.fullmatch(seed):
        raise SamplingError(
            "the seed must be a string of decimal digits 0-9 only (no spaces or other "
            "characters), as produced in the public seed ceremony"
        )
    if len(seed) < SEED_MIN_DIGITS:
        raise SamplingError(
            f"the seed has {len(seed)} digits; at least {SEED_MIN_DIGITS} are needed so "
            "that nobody can choose or guess the sample"
        )
    return seed


def seed_hash(seed: str) -> str:
    """sha256 of the seed (UTF-8) as 64 lower-case hex characters."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def ticket(seed_hash_hex: str, line_id: str) -> int:
    """The line's ticket: sha256(seed_hash + "," + id) read as a 256-bit integer."""
    digest = hashlib.sha256(f"{seed_hash_hex},{line_id}".encode()).digest()
    return int.from_bytes(digest, "big")


def canonical_line_id(section_id: str, page: int | str, line: int | str) -> str:
    """The real-world id of a signature line, `SECTION:PAGE:LINE`.

    Section as filed, trimmed and upper case; page and line as decimal integers without
    leading zeros (so `la-000123`, `02`, `7` → `LA-000123:2:7`). Every party must write the
    same id, or the same seed gives different samples.
    """
    section = str(section_id).strip().upper()
    if not section:
        raise SamplingError("a signature line needs a section id; it is empty")
    if ":" in section:
        raise SamplingError(f"the section id {section!r} must not contain ':'")
    return f"{section}:{_positive(page, 'page')}:{_positive(line, 'line')}"


def _positive(value: int | str, what: str) -> int:
    if isinstance(value, bool):
        raise SamplingError(f"the {what} number must be a whole number, found {value!r}")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit():
            raise SamplingError(f"the {what} number must be a whole number, found {value!r}")
        number = int(text)
    if number < 1:
        raise SamplingError(f"the {what} number must be 1 or more, found {value!r}")
    return number


def is_canonical_line_id(line_id: str) -> bool:
    """True if the id is already in canonical form (so re-canonicalising leaves it alone)."""
    parts = line_id.split(":")
    if len(parts) != 3:
        return False
    try:
        return canonical_line_id(*parts) == line_id
    except SamplingError:
        return False


# -- the order --------------------------------------------------------------------------------


def _digests(seed: str, ids: Iterable[str]) -> tuple[list[str], list[bytes]]:
    """The ids as a list and their ticket digests (32 bytes, compare like the tickets)."""
    validate_seed(seed)
    prefix = hashlib.sha256(f"{seed_hash(seed)},".encode())
    copy = prefix.copy
    id_list: list[str] = []
    digests: list[bytes] = []
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects: cyclic GC passes only cost time
    try:
        for line_id in ids:
            if not isinstance(line_id, str) or not line_id:
                raise SamplingError(
                    f"every line id must be a non-empty string, found {line_id!r}"
                )
            h = copy()
            h.update(line_id.encode("utf-8"))
            digests.append(h.digest())
            id_list.append(line_id)
    finally:
        if collecting:
            gc.enable()
    return id_list, digests


def _prefixes(digests: list[bytes]) -> np.ndarray:
    """The first 64 bits of each ticket, for fast selection in numpy."""
    if not digests:
        return np.zeros(0, dtype=np.uint64)
    words = np.frombuffer(b"".join(digests), dtype=">u8").reshape(-1, 4)
    return words[:, 0].astype(np.uint64)


def _check_unique(id_list: list[str], prefixes: np.ndarray) -> None:
    """Duplicate ids have equal tickets; only when two prefixes collide look at the ids."""
    ordered = np.sort(prefixes)
    if not (ordered[1:] == ordered[:-1]).any():
        return
    seen: set[str] = set()
    dups: list[str] = []
    for line_id in id_list:
        if line_id in seen and line_id not in dups:
            dups.append(line_id)
        seen.add(line_id)
    if dups:
        shown = ", ".join(dups[:5]) + (f" and {len(dups) - 5} more" if len(dups) > 5 else "")
        raise SamplingError(
            f"{len(dups)} line id(s) appear more than once: {shown}; each signature line "
            "must be listed once"
        )


def _lines(ordered: list[tuple[bytes, str]]) -> list[SampledLine]:
    return [SampledLine(i, d.hex(), n) for n, (d, i) in enumerate(ordered, start=1)]


def consistent_order(seed: str, ids: Iterable[str]) -> list[SampledLine]:
    """Every id in the consistent order: sorted by (ticket, id), positions from 1."""
    id_list, digests = _digests(seed, ids)
    prefixes = _prefixes(digests)
    _check_unique(id_list, prefixes)
    return _lines(_ranked(np.arange(len(id_list)), prefixes, digests, id_list))


def _ranked(
    candidates: np.ndarray, prefixes: np.ndarray, digests: list[bytes], id_list: list[str]
) -> list[tuple[bytes, str]]:
    """Candidates in (ticket, id) order: numpy sorts the 64-bit prefixes; only if two
    prefixes are equal (about never) does Python compare full tickets and ids."""
    candidates = candidates[np.argsort(prefixes[candidates], kind="stable")]
    ranked = prefixes[candidates]
    chosen = [(digests[j], id_list[j]) for j in candidates.tolist()]
    if (ranked[1:] == ranked[:-1]).any():
        chosen.sort()
    return chosen


def draw(seed: str, ids: Iterable[str], size: int) -> list[SampledLine]:
    """The sample of `size`: the first `size` lines of the consistent order.

    Selection runs on the first 64 bits of each ticket in numpy, then the few candidates
    are sorted exactly by (ticket, id); a 36,000-line sample of 800,000 ids takes well
    under a second. The result is identical to `consistent_order(...)[:size]`.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise SamplingError(f"the sample size must be a whole number ≥ 0, found {size!r}")
    id_list, digests = _digests(seed, ids)
    prefixes = _prefixes(digests)
    _check_unique(id_list, prefixes)
    if size > len(id_list):
        raise SamplingError(
            f"a sample of {size:,} cannot be drawn from {len(id_list):,} line ids; "
            "the sample cannot be larger than the raw count"
        )
    if size == 0:
        return []
    kth = np.partition(prefixes, size - 1)[size - 1]
    # Every line of the true sample has a prefix ≤ the size-th smallest prefix.
    candidates = np.flatnonzero(prefixes <= kth)
    return _lines(_ranked(candidates, prefixes, digests, id_list)[:size])


# -- how many ---------------------------------------------------------------------------------


def sample_size(pack: RulePack, raw: int) -> SampleSize:
    """Lines the statute requires in the sample for a raw count (from the rule pack).

    ca-local: the greater of 500 or 5% of the raw count (EC 11225(a)); ca-initiative: 3%
    (EC 9030(d), 9115(a)); fractions rounded up; capped at the raw count where the pack
    says so. Raises NoSamplingError where the law requires every signature to be examined.
    """
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise SamplingError(f"the raw count must be a whole number ≥ 0, found {raw!r}")
    rule = pack.sample
    if rule is None:
        raise NoSamplingError(no_sampling_reason(pack))
    floor = rule.raw_more_than.value
    if raw <= floor:
        raise NoSamplingError(
            f"a random sample is allowed only when the raw count exceeds {floor:,} "
            f"({rule.raw_more_than.cite}); with {raw:,} raw signatures every signature "
            "must be examined (full count)"
        )
    minimum = rule.minimum.value
    pct = rule.percent.value
    share = ceil_percent(raw, pct)
    size = max(minimum, share)
    steps = [
        Step("raw_count", raw, f"exceeds {floor:,}, so a random sample is allowed",
             rule.raw_more_than.cite),
        Step("percent_of_raw", share, f"{pct}% of {raw:,}, fractions rounded up",
             rule.percent.cite),
        Step("minimum", minimum, "the sample has at least this many signatures",
             rule.minimum.cite),
        Step("sample_size", size, f"the greater of {minimum:,} and {share:,}", rule.cite),
    ]
    if rule.cap_at_raw and size > raw:
        size = raw
        steps.append(Step("sample_size", size, "capped at the raw count", rule.cite))
    return SampleSize(size, tuple(steps), rule.cite)


def no_sampling_reason(pack: RulePack) -> str:
    """Why a pack has no random sample, in the pack's own words and citation."""
    note = str(pack.verification.get("no_sample_note", "")).strip()
    cite = str(pack.verification.get("no_sample_cite", "")).strip()
    text = f"{pack.title}: petitions under this rule pack are not sampled"
    if note:
        text += f". {note.rstrip('.')}"
    if cite:
        text += f" ({cite})"
    return text + "."
