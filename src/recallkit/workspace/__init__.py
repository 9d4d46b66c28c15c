"""A petition's workspace: one DuckDB file, imports that lose nothing, an audit chain.

Everything later stages need is exported here; see docs/workspace.md.
"""

from recallkit.workspace.audit import AuditCheck, AuditEntry, head_hash, verify_audit
from recallkit.workspace.batches import (
    Batch,
    batches,
    files_in_batches,
    open_batch,
    unverified_lines_sql,
)
from recallkit.workspace.db import (
    SUPERVISOR_ROLES,
    NotAllowed,
    Petition,
    StageLocked,
    Workspace,
    WorkspaceError,
    create_workspace,
    file_sha256,
    is_served,
    open_workspace,
    reopen,
    require_role,
)
from recallkit.workspace.exports import EXPORTABLE, export_table
from recallkit.workspace.imports import (
    AlreadyImported,
    ImportFailed,
    ImportReport,
    import_county_votes,
    import_sections,
    import_signature_images,
    import_signatures,
    import_voter_history,
    import_voters,
    import_withdrawals,
    run_import,
)
from recallkit.workspace.rawcount import RawCount, raw_count, status

__all__ = [
    "EXPORTABLE",
    "SUPERVISOR_ROLES",
    "AlreadyImported",
    "AuditCheck",
    "AuditEntry",
    "Batch",
    "ImportFailed",
    "ImportReport",
    "NotAllowed",
    "Petition",
    "RawCount",
    "StageLocked",
    "Workspace",
    "WorkspaceError",
    "batches",
    "create_workspace",
    "export_table",
    "file_sha256",
    "files_in_batches",
    "head_hash",
    "import_county_votes",
    "import_sections",
    "import_signature_images",
    "import_signatures",
    "import_voter_history",
    "import_voters",
    "import_withdrawals",
    "is_served",
    "open_batch",
    "open_workspace",
    "raw_count",
    "reopen",
    "require_role",
    "run_import",
    "status",
    "unverified_lines_sql",
    "verify_audit",
]
