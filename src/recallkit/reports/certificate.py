"""The certificate of sufficiency or insufficiency of a recall petition.

When verification ends the elections official certifies the result (EC 11226 when the
petition is insufficient, EC 11227 to the governing body when it is sufficient). The
certificate states every number it rests on — the requirement, the raw count, the method,
the sample's public seed, each step of the 2 CCR 20530 projection with its citation — and
the head of the workspace's audit log, so that the paper can be tied to the record.

`decide` and `build_certificate` take data and return data; rendering (HTML, PDF) is
separate, and `recallkit.reports.certify` is the one place that writes to a workspace.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from recallkit.reports.facts import PetitionFacts
from recallkit.rules import RulePack, required_signatures


class CertificationError(ValueError):
    """The petition cannot be certified yet; the message says why and what to do."""


@dataclass(frozen=True)
class Decision:
    outcome: str  # sufficient | insufficient
    basis: str  # raw_count | sample | full
    finding: str  # one sentence, with its citation
    cite: str


@dataclass(frozen=True)
class Certificate:
    """Everything printed on the certificate, as plain data (also written as JSON)."""

    title: str
    outcome: str
    basis: str
    finding: str
    facts: PetitionFacts
    required_steps: tuple[dict[str, Any], ...]
    projection: dict[str, Any] | None
    citations: tuple[tuple[str, str], ...]
    certified_on: date
    official: str
    official_title: str
    county: str
    certified_by: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "outcome": self.outcome,
            "basis": self.basis,
            "finding": self.finding,
            "petition": self.facts.as_dict(),
            "required_steps": list(self.required_steps),
            "projection": self.projection,
            "citations": [{"cite": c, "text": t} for c, t in self.citations],
            "certified_on": self.certified_on.isoformat(),
            "official": self.official,
            "official_title": self.official_title,
            "county": self.county,
            "certified_by": self.certified_by,
            "notes": list(self.notes),
        }

    def digest(self) -> str:
        """SHA-256 of the certificate's canonical JSON: the id printed on every page."""
        text = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decide(facts: PetitionFacts, pack: RulePack, projection: dict[str, Any] | None) -> Decision:
    """The outcome the facts support, or a CertificationError saying what is missing."""
    raw_cite = str(pack.verification.get("raw_count_cite", ""))
    if facts.raw_count < facts.required:
        return Decision(
            "insufficient", "raw_count",
            f"The raw count of {facts.raw_count:,} signatures is below the {facts.required:,} "
            f"valid signatures required; no further action is taken ({raw_cite}).",
            raw_cite,
        )
    if facts.method == "raw_count":
        raise CertificationError(
            "no signature has been examined yet: draw the sample or start the full count, "
            "verify, then certify"
        )
    if not facts.complete:
        universe = facts.sample_size if facts.method == "sample" else facts.raw_count
        raise CertificationError(
            f"the {'sample' if facts.method == 'sample' else 'full count'} is not finished: "
            f"{facts.examined:,} of {universe:,} lines have a determination; "
            "finish the review queue, then certify"
        )
    if facts.method == "full":
        cite = _full_cite(pack)
        enough = facts.valid >= facts.required
        return Decision(
            "sufficient" if enough else "insufficient", "full",
            f"Every signature was examined: {facts.valid:,} valid signatures against "
            f"{facts.required:,} required ({cite}).",
            cite,
        )
    if projection is None:
        raise CertificationError("the projection is not available for this sample")
    outcome = projection.get("outcome")
    bands = pack.bands
    bcite = bands.cite if bands else pack.projection_cite
    if outcome == "full_count":
        lo = bands.insufficient_below_percent.value if bands else "?"
        hi = bands.sufficient_above_percent.value if bands else "?"
        raise CertificationError(
            f"the projection is {projection.get('percent_of_required')}% of the requirement, "
            f"between {lo}% and {hi}%: every signature must be examined ({bcite}); "
            "run the full count, then certify"
        )
    if outcome not in ("sufficient", "insufficient"):
        raise CertificationError(f"the projection's outcome {outcome!r} cannot be certified")
    if bands is not None:
        edge = bands.sufficient_above_percent if outcome == "sufficient" \
            else bands.insufficient_below_percent
        side = "more than" if outcome == "sufficient" else "less than"
        finding = (
            f"The projected number of valid signatures, {int(projection['projected_valid']):,}, "
            f"is {projection.get('percent_of_required')}% of the {facts.required:,} required, "
            f"{side} {edge.value}% ({edge.cite})."
        )
        bcite = edge.cite
    else:
        finding = f"The projection finds the petition {outcome} ({bcite})."
    return Decision(outcome, "sample", finding, bcite)


def _full_cite(pack: RulePack) -> str:
    fb = pack.verification.get("full_business_days")
    return getattr(fb, "cite", "") or str(pack.verification.get("raw_count_cite", ""))


def citations(pack: RulePack, decision: Decision) -> tuple[tuple[str, str], ...]:
    """The statutes the certificate rests on, each as (cite, what it provides), from the pack."""
    v = pack.verification
    out: list[tuple[str, str]] = [(pack.threshold_cite, "number of valid signatures required")]
    if v.get("raw_count_cite"):
        out.append((str(v["raw_count_cite"]), "raw count of signatures filed"))
    if decision.basis == "full" or "full" in pack.methods:
        out.append((_full_cite(pack), "examination of every signature"))
    if pack.sample is not None:
        out.append((pack.sample.cite, "random sample of the greater of "
                    f"{pack.sample.minimum.value} or {pack.sample.percent.value}%"))
    if pack.bands is not None:
        out.append((pack.bands.cite, f"sufficient above {pack.bands.sufficient_above_percent.value}"
                    f"%, insufficient below {pack.bands.insufficient_below_percent.value}%"))
    if decision.basis == "sample":
        out.append((pack.projection_cite, "projection of valid signatures from the sample"))
        out.append(("2 CCR 20540", "worked example of the projection"))
    dup = pack.duplicates.get("cite")
    if dup:
        out.append((str(dup), "duplicate signatures: only the first counts"))
    cert = pack.certification
    if cert.get("insufficient_cite"):
        out.append((str(cert["insufficient_cite"]), "insufficient petition: no further action"))
    if cert.get("cite"):
        out.append((str(cert["cite"]), "certification of the result"))
    seen: set[str] = set()
    unique = []
    for cite, text in out:
        if cite and cite not in seen:
            seen.add(cite)
            unique.append((cite, text))
    return tuple(unique)


def build_certificate(
    facts: PetitionFacts,
    pack: RulePack,
    projection: dict[str, Any] | None,
    certified_on: date,
    official: str = "",
    official_title: str = "Elections Official",
    certified_by: str = "",
) -> Certificate:
    """The certificate for `facts`; raises CertificationError if it cannot be certified."""
    if pack.level == "state" and pack.kind == "recall":
        raise CertificationError(
            f"{pack.id}: the Secretary of State determines the sufficiency of a state recall "
            "from the counties' reports; use `recallkit state report` and "
            "`recallkit state aggregate`"
        )
    decision = decide(facts, pack, projection)
    try:
        fig = required_signatures(pack, facts.measure, facts.office_kind)
        req_steps = tuple(s.as_dict() for s in fig.steps)
        notes = () if fig.value == facts.required else (
            f"The workspace records {facts.required:,} required; the pack computes "
            f"{fig.value:,} from {facts.measure:,}. The workspace's figure is used.",)
    except ValueError:
        req_steps, notes = (), ()
    word = "SUFFICIENCY" if decision.outcome == "sufficient" else "INSUFFICIENCY"
    county = facts.counties[0] if facts.counties else facts.jurisdiction
    return Certificate(
        title=f"CERTIFICATE OF {word} OF RECALL PETITION",
        outcome=decision.outcome,
        basis=decision.basis,
        finding=decision.finding,
        facts=facts,
        required_steps=req_steps,
        projection=projection if decision.basis == "sample" else None,
        citations=citations(pack, decision),
        certified_on=certified_on,
        official=official,
        official_title=official_title,
        county=county,
        certified_by=certified_by,
        notes=notes,
    )


def render_html(cert: Certificate) -> str:
    """The printable HTML (Jinja2 template with print CSS inlined)."""
    from recallkit.reports.render import render

    return render("certificate.html", cert=cert, c=cert.as_dict(), digest=cert.digest())


def render_pdf(html: str, path: Path) -> Path:
    """Write `html` as PDF with WeasyPrint (needs the Pango library from the OS)."""
    from recallkit.reports.render import html_to_pdf

    return html_to_pdf(html, path)
