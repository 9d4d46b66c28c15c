"""Synthetic counties and petitions with known answers (ground truth).

No real voter data can be used to develop or test recallkit, so this package makes
realistic stand-ins: a county voter file and a petition whose every line carries the
determination it should get (truth.csv). See docs/synthetic-data.md.
"""

from recallkit.synth.county import CountySummary, generate_county

__all__ = ["CountySummary", "generate_county"]
