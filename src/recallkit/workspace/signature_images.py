"""Signatures on file: the `signature-images` import's own step.

Counties keep voters' signatures on file in an imaging system apart from the voter file,
so the list of images (voter_id, signature_image) comes as its own import. It goes through
the same machinery as every import (staged, checked, one transaction with its audit entry,
rejects with row and column); this module is the step that attaches the accepted rows to
the voters already in the workspace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# A path that is already absolute: POSIX, Windows drive or UNC, or a URL of an imaging system.
_ABSOLUTE = r"^(/|[A-Za-z]:[\\/]|\\\\|[A-Za-z][A-Za-z0-9+.-]*://)"


def resolved_image_sql(column: str, path: Path) -> str:
    """SQL for an image path as stored: relative paths are read from the folder of the file
    that names them and stored absolute, so the workspace finds the image whatever directory
    a later command (or the web server) runs from. Absolute paths and URLs stay as given."""
    base = _lit(str(path.parent.resolve()).rstrip("/") + "/")
    col = '"' + column.replace('"', '""') + '"'
    return (f"CASE WHEN {col} IS NULL OR {col} = '' OR regexp_matches({col}, {_lit(_ABSOLUTE)}) "
            f"THEN {col} ELSE {base} || regexp_replace({col}, '^(\\./)+', '') END")


IMAGE_CHECKS = 50  # image files looked for on disk: a check of the paths, not an inventory


def _missing_images(con: Any, path: Path) -> list[str]:
    """Look for the first few local image files, so that paths written relative to some
    other folder than the list's own are noticed at import, not at review."""
    rows = con.execute(f"SELECT image FROM _images WHERE NOT regexp_matches(image, "
                       f"'^[A-Za-z][A-Za-z0-9+.-]*://') LIMIT {IMAGE_CHECKS}").fetchall()
    missing = [r[0] for r in rows if not Path(r[0]).is_file()]
    if not missing:
        return []
    return [f"{path.name}: {len(missing)} of the first {len(rows)} signature images are not "
            f"on disk (e.g. {missing[0]}); relative paths are read from the folder of "
            f"{path.name} — check the paths or the images' location"]


def attach_images(con: duckdb.DuckDBPyConnection, path: Path, voter_id_column: str,
                  warnings: list[str]) -> int:
    """Signatures on file: set voters.signature_image of voters already in the workspace.

    Counties keep these images in a separate system, so the list arrives after the voter
    file. A relative path is resolved against the list's own folder and stored absolute, so
    the workspace finds the image whatever directory a later command runs from. A voter id
    the workspace does not hold is rejected (the image cannot be attached to anyone).
    Runs inside the import's transaction on its staged rows (`_tv`, `_problems`); returns
    how many voters already had a different image (now replaced).
    """
    vid = _lit(voter_id_column)
    con.execute(
        f"INSERT INTO _problems SELECT rn, {vid}, voter_id, 'no voter with this voter_id in "
        "the workspace (import the voter file first)' FROM _tv t WHERE len(_bad) = 0 AND rn "
        "NOT IN (SELECT rn FROM _problems) AND NOT EXISTS (SELECT 1 FROM voters v WHERE "
        "v.voter_id = t.voter_id)")
    resolved = resolved_image_sql("signature_image", path)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _images AS SELECT voter_id, {resolved} AS image FROM _tv "
        "WHERE len(_bad) = 0 AND rn NOT IN (SELECT rn FROM _problems)")
    replaced = con.execute(
        "SELECT count(*) FROM voters v JOIN _images i USING (voter_id) WHERE "
        "v.signature_image IS NOT NULL AND v.signature_image <> i.image").fetchall()[0][0]
    con.execute("UPDATE voters SET signature_image = i.image FROM _images i "
                "WHERE voters.voter_id = i.voter_id")
    warnings.extend(_missing_images(con, path))
    con.execute("DROP TABLE _images")
    if replaced:
        warnings.append(f"{replaced:,} voters already had a different signature image on file; "
                        f"{path.name} replaced it (recorded in the audit log)")
    return replaced
