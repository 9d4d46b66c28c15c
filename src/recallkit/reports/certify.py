"""`recallkit certify WS`: the supervisor's act that certifies the result and locks the petition.

Certification is the end of verification: afterwards nothing in the workspace may change
(stage `certified`), and the certificate's files are tied to the audit log — the
certificate prints the log's head before the act, and the `certify` entry records the
SHA-256 of the certificate files it produced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from recallkit.reports.certificate import (
    Certificate,
    CertificationError,
    build_certificate,
    render_html,
    render_pdf,
)
from recallkit.reports.manifest import sha256_file
from recallkit.reports.source import workspace_facts, workspace_projection
from recallkit.workspace import WorkspaceError, require_role

CERTIFY_ROLES = ("supervisor",)


@dataclass(frozen=True)
class CertifyResult:
    certificate: Certificate
    files: dict[str, Path]
    hashes: dict[str, str]
    audit_seq: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.certificate.outcome,
            "basis": self.certificate.basis,
            "finding": self.certificate.finding,
            "title": self.certificate.title,
            "certificate_digest": self.certificate.digest(),
            "files": {k: str(v) for k, v in self.files.items()},
            "sha256": self.hashes,
            "audit_seq": self.audit_seq,
            "certificate": self.certificate.as_dict(),
        }


def check_actor(con: Any, actor: str) -> None:
    """Only a supervisor certifies. A workspace without web accounts trusts the CLI user,
    whose name goes in the audit log; one with accounts requires an enabled supervisor."""
    try:
        require_role(con, actor, CERTIFY_ROLES, action="certify the result")
    except WorkspaceError as exc:
        raise CertificationError(str(exc)) from exc


def certify(ws: Any, actor: str, official: str = "", official_title: str = "Elections Official",
            on: date | None = None) -> CertifyResult:
    """Build, render and record the certificate, then lock the workspace (stage certified)."""
    if ws.stage == "certified":
        raise CertificationError("the petition is already certified; the workspace is locked")
    check_actor(ws.con, actor)
    facts = workspace_facts(ws)
    projection = workspace_projection(ws, facts)
    cert = build_certificate(facts, ws.pack, projection, on or date.today(),
                             official=official, official_title=official_title,
                             certified_by=actor)
    stem = f"certificate-{cert.outcome}-{cert.certified_on.isoformat()}"
    folder = Path(ws.reports_dir)
    folder.mkdir(parents=True, exist_ok=True)
    html = render_html(cert)
    files = {"html": folder / f"{stem}.html", "pdf": folder / f"{stem}.pdf",
             "json": folder / f"{stem}.json"}
    files["html"].write_text(html, encoding="utf-8")
    files["json"].write_text(json.dumps(cert.as_dict(), indent=2, ensure_ascii=False,
                                        default=str) + "\n", encoding="utf-8")
    render_pdf(html, files["pdf"])
    hashes = {k: sha256_file(p) for k, p in files.items()}
    params = {
        "outcome": cert.outcome, "basis": cert.basis, "required": facts.required,
        "raw_count": facts.raw_count, "valid": facts.valid,
        "projected_valid": projection.get("projected_valid") if projection else None,
        "certificate_digest": cert.digest(), "audit_head_before": facts.audit_head_hash,
        "files": {k: p.name for k, p in files.items()},
    }
    inputs = {i.file_name: i.file_sha256 for i in facts.inputs}
    inputs.update({p.name: hashes[k] for k, p in files.items()})
    # One transaction for the entry and the lock, so neither can exist without the other.
    with ws.transaction(actor, "certify", {**params, "stage": {"from": ws.stage,
                                                               "to": "certified"}},
                        inputs) as con:
        con.execute("UPDATE petition SET stage = 'certified' WHERE id = 1")
    seq = ws.con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    return CertifyResult(cert, files, hashes, int(seq) if seq is not None else None)
