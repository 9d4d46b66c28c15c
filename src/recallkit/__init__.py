"""recallkit: verify recall petitions from the law up.

The core (`rules`, `calendar`, `timeline`, `sampling`, `projection`, `planner`) is pure;
the workspace, engines and interfaces build on it.
"""

__version__ = "0.1.0"
