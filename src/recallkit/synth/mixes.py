"""How often each determination occurs on a generated petition.

The default mix is calibrated to the full count of the 2022 petition to recall the
Los Angeles County District Attorney: 715,833 signatures in the raw count, 520,050
valid and 195,783 invalid (Los Angeles County Registrar-Recorder/County Clerk, results
of 2022-08-15, reported by the Santa Clarita Valley Signal, "Second recall effort of
L.A. County District Attorney fails", 2022-08-15), of which 88,464 not registered,
43,593 duplicates and about 32,000 with a different address (Signal, 2022-08-17,
"Recall Campaign: 32K signatures disqualified for wrong addresses"). The smaller
categories (signature mismatch, cancelled, out of county, other) follow the
proportions given in recallkit issue 6; how "other" splits is our choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTION_REASONS = ("CIRCULATOR_DECLARATION_DEFECT", "WRONG_COUNTY_SECTION")


@dataclass(frozen=True)
class Mix:
    """Shares of raw-count lines per invalid reason; valid lines are the remainder."""

    name: str
    invalid: dict[str, float]
    struck_rate: float  # struck lines per raw-count line (outside the raw count)
    late_withdrawal_rate: float  # ineffective withdrawals per raw-count line
    source: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> float:
        return 1.0 - sum(self.invalid.values())


LA_2022 = Mix(
    name="la-2022",
    invalid={
        "NOT_REGISTERED": 0.124,
        "DUPLICATE": 0.061,
        "ADDRESS_MISMATCH": 0.045,
        "SIGNATURE_MISMATCH": 0.013,
        "CANCELLED": 0.010,
        "OUT_OF_JURISDICTION": 0.0075,
        # "Other", 1.3% in all, spread over the remaining codes.
        "NO_SIGNATURE": 0.002,
        "ILLEGIBLE": 0.002,
        "NO_ADDRESS": 0.0015,
        "REGISTERED_LATE": 0.002,
        "WITHDRAWN": 0.001,
        "CIRCULATOR_DECLARATION_DEFECT": 0.0025,
        "WRONG_COUNTY_SECTION": 0.002,
    },
    struck_rate=0.003,
    late_withdrawal_rate=0.0005,
    source=(
        "Los Angeles County Registrar-Recorder/County Clerk, full count of the 2022 petition "
        "to recall District Attorney George Gascón (raw count 715,833; 520,050 valid; "
        "195,783 invalid: 88,464 not registered, 43,593 duplicate, ~32,000 different "
        "address), as reported 2022-08-15/17; remaining categories per recallkit issue 6."
    ),
)

MIXES = {LA_2022.name: LA_2022}


def get_mix(name: str) -> Mix:
    try:
        return MIXES[name]
    except KeyError:
        raise ValueError(
            f"unknown mix {name!r}; available: {', '.join(sorted(MIXES))}"
        ) from None
