"""A petition's workspace: one DuckDB file, imports that lose nothing, an audit chain.

Everything later stages need is exported here; see docs/workspace.md.
"""

from recallkit.workspace.audit import AuditCheck, AuditEntry
from recallkit.workspace.db import (
    Petition,
    StageLocked,
    Workspace,
    WorkspaceError,
    create_workspace,
    file_sha256,
    is_served,
    open_workspace,
    reopen,
)
from recallkit.workspace.imports import (
    AlreadyImported,
    ImportFailed,
    ImportReport,
    import_county_votes,
    import_sections,
    import_signatures,
    import_voter_history,
    import_voters,
    import_withdrawals,
    run_import,
)

__all__ = [
    "AlreadyImported",
    "AuditCheck",
    "AuditEntry",
    "ImportFailed",
    "ImportReport",
    "Petition",
    "StageLocked",
    "Workspace",
    "WorkspaceError",
    "create_workspace",
    "file_sha256",
    "import_county_votes",
    "import_sections",
    "import_signatures",
    "import_voter_history",
    "import_voters",
    "import_withdrawals",
    "is_served",
    "open_workspace",
    "reopen",
    "run_import",
]
