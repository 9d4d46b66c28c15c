"""The manifest: what a report set was computed from, so anyone can check it.

A recall result is argued over in public and sometimes in court. The manifest lists the
SHA-256 of every input file (as recorded when it was imported), the head of the
workspace's hash-chained audit log, and the SHA-256 of every file in the report set, so
a reader can re-hash the files they were given and know they are the ones the county
produced, computed from the inputs named.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from recallkit.reports.facts import PetitionFacts
from recallkit.reports.tables import CONFIDENTIAL_CITE

MANIFEST_NAME = "manifest.json"
CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, streamed (reports may hold a large determinations table)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def build_manifest(
    facts: PetitionFacts,
    out_dir: Path,
    outputs: Iterable[Path],
    audience: str,
    confidential: Iterable[str] = (),
    audit_verified: bool | None = None,
    generated_at: datetime | None = None,
) -> dict[str, Any]:
    """The manifest document for the files in `outputs` (paths inside `out_dir`)."""
    from recallkit import __version__

    secret = set(confidential)
    files = []
    for path in sorted(outputs):
        rel = path.relative_to(out_dir).as_posix()
        entry: dict[str, Any] = {"path": rel, "sha256": sha256_file(path),
                                 "bytes": path.stat().st_size}
        if rel in secret:
            entry["confidential"] = CONFIDENTIAL_CITE
        files.append(entry)
    when = generated_at or datetime.now(UTC)
    return {
        "manifest_version": 1,
        "generated_at": when.isoformat(timespec="seconds"),
        "recallkit_version": __version__,
        "audience": audience,
        "petition": {
            "rules": facts.rules, "jurisdiction": facts.jurisdiction,
            "officer": facts.officer, "office": facts.office, "stage": facts.stage,
        },
        "audit_log_head": {"seq": facts.audit_head_seq, "sha256": facts.audit_head_hash,
                           "chain_verified": audit_verified},
        "inputs": [i.as_dict() for i in facts.inputs],
        "outputs": files,
        "how_to_check": (
            "Re-hash each output file with SHA-256 and compare; compare the inputs' hashes "
            "with the files the county published or holds; `recallkit audit verify WS` "
            "checks the audit chain up to the head named here."
        ),
    }


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> Path:
    path = out_dir / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def verify_manifest(out_dir: Path) -> list[str]:
    """Problems found re-hashing a report set against its manifest (empty when it checks)."""
    path = out_dir / MANIFEST_NAME
    if not path.is_file():
        return [f"{path} does not exist"]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{path} is not valid JSON: {exc}"]
    problems = []
    listed = set()
    for entry in manifest.get("outputs", []):
        rel = entry.get("path", "")
        listed.add(rel)
        f = out_dir / rel
        if not f.is_file():
            problems.append(f"{rel}: listed in the manifest but missing")
        elif sha256_file(f) != entry.get("sha256"):
            problems.append(f"{rel}: SHA-256 differs from the manifest (the file was changed)")
    for f in sorted(out_dir.rglob("*")):
        rel = f.relative_to(out_dir).as_posix()
        if f.is_file() and rel != MANIFEST_NAME and rel not in listed:
            problems.append(f"{rel}: present but not listed in the manifest")
    return problems
