"""Synthetic counties and petitions with known answers (ground truth).

No real voter data can be used to develop or test recallkit, so this package makes
realistic stand-ins: a county voter file and a petition whose every line carries the
determination it should get (truth.csv). See docs/synthetic-data.md.
"""

from recallkit.synth.county import CountySummary, generate_county
from recallkit.synth.mixes import LA_2022, MIXES, Mix
from recallkit.synth.petition import PetitionSummary, generate_petition

__all__ = ["LA_2022", "MIXES", "CountySummary", "Mix", "PetitionSummary", "generate_county",
           "generate_petition"]
