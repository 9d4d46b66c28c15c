"""The seed ceremony's input: dice rolls as read aloud, turned into the seed string.

The seed is hashed exactly as written (docs/sampling: seed), so the page accepts the digits
with any spacing people use while reading them out, shows the resulting seed back, and
refuses anything that is not a digit rather than guessing.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s,;\-_.]+")


def seed_from_dice(text: str) -> str:
    """The digits of the rolls in order; raises ValueError naming any stray character."""
    digits = _SEPARATORS.sub("", text or "")
    stray = sorted({c for c in digits if not ("0" <= c <= "9")})
    if stray:
        shown = ", ".join(repr(c) for c in stray)
        raise ValueError(f"Dice rolls may contain only the digits 0-9 (found {shown}). "
                         "Spaces, commas and line breaks between rolls are fine.")
    if not digits:
        raise ValueError("Enter the dice rolls, one digit per roll of a ten-sided die.")
    return digits
