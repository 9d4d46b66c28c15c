"""A kill -9 in the middle of a large import leaves the workspace openable and unchanged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import duckdb
import pytest

from recallkit.workspace import create_workspace, open_workspace, verify_audit

CHILD = """
import sys
from recallkit.workspace import open_workspace, import_voters
ws = open_workspace(sys.argv[1])
print("start", flush=True)
import_voters(ws, sys.argv[2])
print("done", flush=True)
"""


@pytest.mark.slow
def test_kill_9_during_import(tmp_path):
    csv = tmp_path / "voters.csv"
    duckdb.execute(f"""
        COPY (SELECT 'V' || i AS voter_id, 'ANN' AS first_name, 'LEE' AS last_name,
                     i::VARCHAR || ' MAIN ST' AS residence_address, 'LA' AS city,
                     '90012' AS zip, 'Los Angeles' AS county, '2020-01-01' AS registration_date,
                     'active' AS status
              FROM range(1500000) t(i)) TO '{csv}' (HEADER)""")
    ws = create_workspace(tmp_path / "ws", rules="ca-local", jurisdiction="J", office="O",
                          officer="P", measure=4000, format_approved=date(2024, 1, 1),
                          counties=["Los Angeles"])
    ws.close()
    for delay in (0.8, 2.0):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "ws"), str(csv)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "start"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        w = open_workspace(tmp_path / "ws")
        assert w.con.execute("SELECT count(*) FROM voters").fetchall()[0][0] == 0
        assert w.con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 0
        check = verify_audit(w)
        assert check.ok and check.entries == 1
        w.close()
