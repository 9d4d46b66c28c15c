"""Hypothesis fuzz: random voter rows with random breakage. Nothing is lost:
read == accepted + rejected, every reject names a row and a column, and each accepted
row is one the generator made valid."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recallkit.workspace import create_workspace, import_voters

HEADER = ["voter_id", "first_name", "last_name", "residence_address", "city", "zip",
          "county", "registration_date", "status"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                      blacklist_characters="\x00"), min_size=1, max_size=12)
BREAKS = ["none", "bad_date", "bad_zip", "empty_name", "bad_status", "extra_value",
          "quote_newline", "dup_id"]


@st.composite
def rows(draw):
    n = draw(st.integers(1, 25))
    out = []
    for i in range(n):
        brk = draw(st.sampled_from(BREAKS))
        first = draw(TEXT).strip() or "X"
        row = [f"V{i}", first, "Lee", "1 Main St", "LA", "90012", "Los Angeles",
               "2020-01-31", "active"]
        if brk == "bad_date":
            row[7] = draw(st.sampled_from(["2020-02-30", "13/13/2020", "soon", "2020-1-"]))
        elif brk == "bad_zip":
            row[5] = draw(st.sampled_from(["9001x", "123", "ABCDE", "900121"]))
        elif brk == "empty_name":
            row[2] = " "
        elif brk == "bad_status":
            row[8] = "purged"
        elif brk == "extra_value":
            row.append("surplus")
        elif brk == "quote_newline":
            row[3] = "1 Main St\nApt 2"
        elif brk == "dup_id" and i > 0:
            row[0] = "V0"
        out.append((brk, row))
    return out


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=rows())
def test_nothing_is_lost(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("fuzz")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for _, row in data:
        w.writerow(row)
    f = tmp / "v.csv"
    f.write_text(buf.getvalue(), encoding="utf-8")
    ws = create_workspace(tmp / "ws", rules="ca-local", jurisdiction="J", office="O",
                          officer="P", measure=4000, format_approved=date(2024, 1, 1),
                          counties=["Los Angeles"])
    try:
        r = import_voters(ws, f)
        assert r.read == len(data) == r.accepted + r.rejected
        rejected_rows: set[int] = set()
        if r.rejects_file:
            with open(r.rejects_file, newline="", encoding="utf-8") as fh:
                for rec in csv.DictReader(fh):
                    assert rec["source_row"].isdigit() and rec["column"] and rec["reason"]
                    rejected_rows.add(int(rec["source_row"]))
        assert len(rejected_rows) == r.rejected
        stored = {x[0] for x in ws.con.execute("SELECT source_row FROM voters").fetchall()}
        assert stored.isdisjoint(rejected_rows)
        assert stored | rejected_rows == set(range(2, len(data) + 2))
        v0_taken = False  # the first otherwise-valid row with id V0 is kept, later ones not
        for i, (brk, row) in enumerate(data):
            source_row = i + 2
            clean = brk in ("none", "quote_newline") or (brk == "dup_id" and i == 0)
            if brk == "dup_id" and i > 0:
                clean = not v0_taken
            if clean and row[0] == "V0":
                v0_taken = True
            assert (source_row in stored) == clean, (brk, source_row)
    finally:
        ws.close()
