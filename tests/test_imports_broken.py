"""The hand-made corpus of broken files: each problem is accepted, rejected with its row
and column, or fails fast — never lost."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from recallkit.workspace import (
    AlreadyImported,
    ImportFailed,
    create_workspace,
    import_voters,
    open_workspace,
)

BROKEN = Path(__file__).parent / "fixtures" / "broken"


@pytest.fixture
def ws(tmp_path):
    w = create_workspace(tmp_path / "ws", rules="ca-local", jurisdiction="Los Angeles County",
                         office="District Attorney", officer="Test Officer", measure=5_600_000,
                         format_approved=date(2022, 1, 15), counties=["Los Angeles"])
    yield w
    w.close()


def rejects(report) -> list[dict[str, str]]:
    if report.rejects_file is None:
        return []
    with open(report.rejects_file, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_missing_columns_fail_fast_listing_missing_and_found(ws):
    with pytest.raises(ImportFailed) as e:
        import_voters(ws, BROKEN / "missing_columns.csv")
    msg = str(e.value)
    assert "county" in msg and "status" in msg and "Found: voter_id" in msg
    assert ws.con.execute("SELECT count(*) FROM voters").fetchall()[0][0] == 0
    assert ws.con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 0


@pytest.mark.parametrize("name", ["bom.csv", "crlf.csv", "trailing_delimiter.csv"])
def test_clean_variants_are_accepted(ws, name):
    r = import_voters(ws, BROKEN / name)
    assert r.rejected == 0 and r.read == r.accepted >= 1
    ids = [x[0] for x in ws.con.execute("SELECT voter_id FROM voters ORDER BY 1").fetchall()]
    assert ids[0] == "1"
    names = ws.con.execute("SELECT first_name, status FROM voters WHERE voter_id = '1'"
                           ).fetchall()
    assert names == [("Ann", "active")]


def test_latin1_is_read_with_a_warning(ws):
    r = import_voters(ws, BROKEN / "latin1.csv")
    assert r.accepted == 2 and r.warnings and "Latin-1" in r.warnings[0]
    assert ws.con.execute("SELECT first_name, last_name FROM voters WHERE voter_id = '1'"
                          ).fetchall() == [("José", "Peña")]


def test_quoted_newline_keeps_rows_and_numbers(ws):
    r = import_voters(ws, BROKEN / "quoted_newline.csv")
    assert (r.read, r.accepted, r.rejected) == (2, 1, 1)
    assert ws.con.execute("SELECT residence_address FROM voters").fetchall()[0][0] == \
        "1 Main St\nApt 4"
    [bad] = rejects(r)
    assert bad["source_row"] == "3" and bad["column"] == "registration_date"


def test_blank_lines_are_skipped(ws):
    r = import_voters(ws, BROKEN / "blank_lines.csv")
    assert (r.read, r.accepted, r.rejected) == (2, 2, 0)


def test_duplicate_ids_reject_the_later_row_naming_the_first(ws):
    r = import_voters(ws, BROKEN / "duplicate_ids.csv")
    assert (r.read, r.accepted, r.rejected) == (3, 2, 1)
    [bad] = rejects(r)
    assert bad["source_row"] == "4" and bad["column"] == "voter_id"
    assert "repeats row 2" in bad["reason"]
    assert ws.con.execute("SELECT first_name FROM voters WHERE voter_id='1'").fetchall() == \
        [("Ann",)]


def test_impossible_dates(ws):
    r = import_voters(ws, BROKEN / "impossible_dates.csv")
    assert (r.read, r.accepted, r.rejected) == (4, 1, 3)
    bad = {(x["source_row"], x["column"], x["value"]) for x in rejects(r)}
    assert bad == {("2", "registration_date", "2021-02-29"),
                   ("4", "registration_date", "yesterday"),
                   ("5", "registration_date", "0201-01-01")}


def test_too_many_values_is_rejected(ws):
    r = import_voters(ws, BROKEN / "too_many_values.csv")
    assert (r.read, r.accepted, r.rejected) == (2, 1, 1)
    [bad] = rejects(r)
    assert bad["source_row"] == "2" and bad["column"] == "(row)" and bad["value"] == "surplus"


def test_unterminated_quote_fails_instead_of_swallowing_rows(ws):
    with pytest.raises(ImportFailed, match="never closed"):
        import_voters(ws, BROKEN / "unterminated_quote.csv")
    assert ws.con.execute("SELECT count(*) FROM voters").fetchall()[0][0] == 0


def test_bad_values_name_row_and_column(ws):
    r = import_voters(ws, BROKEN / "bad_values.csv")
    assert (r.read, r.accepted, r.rejected) == (4, 1, 3)
    bad = {(x["source_row"], x["column"]) for x in rejects(r)}
    assert bad == {("2", "status"), ("3", "zip"), ("4", "first_name")}
    assert ws.con.execute("SELECT zip, status FROM voters").fetchall() == \
        [("02345", "cancelled")]


def test_duplicate_header_and_empty_file_fail_fast(ws):
    with pytest.raises(ImportFailed, match="appears twice"):
        import_voters(ws, BROKEN / "duplicate_header.csv")
    with pytest.raises(ImportFailed, match="empty"):
        import_voters(ws, BROKEN / "empty.csv")


def test_reimport_is_refused_unless_replace_which_is_audited(ws):
    first = import_voters(ws, BROKEN / "duplicate_ids.csv")
    with pytest.raises(AlreadyImported, match="--replace"):
        import_voters(ws, BROKEN / "duplicate_ids.csv")
    again = import_voters(ws, BROKEN / "duplicate_ids.csv", replace=True)
    assert again.accepted == first.accepted == 2
    assert ws.con.execute("SELECT count(*) FROM voters").fetchall()[0][0] == 2
    actions = ws.con.execute("SELECT action, params->>'replace', params->>'replaced_rows' "
                             "FROM audit_log ORDER BY seq").fetchall()
    assert actions[-1] == ("import_voters", "true", "2")


def test_a_second_file_appends_and_rejects_ids_already_loaded(ws, tmp_path):
    import_voters(ws, BROKEN / "bom.csv")
    r = import_voters(ws, BROKEN / "crlf.csv")
    assert (r.accepted, r.rejected) == (1, 1)
    assert "already in the workspace" in rejects(r)[0]["reason"]


def test_reopen_after_close(ws):
    import_voters(ws, BROKEN / "bom.csv")
    path = ws.path
    ws.close()
    w = open_workspace(path)
    assert w.con.execute("SELECT count(*) FROM voters").fetchall()[0][0] == 1
    w.close()


VOTER_HEAD = ("voter_id,first_name,last_name,residence_address,city,zip,county,"
              "registration_date,status")


def voter(i: int, tail: str = "") -> str:
    return f"{i},Ann,Lee,{i} Main St,LA,90012,Los Angeles,2020-01-01,active{tail}\n"


def test_a_very_wide_row_is_a_reject_not_a_failed_import(ws, tmp_path):
    f = tmp_path / "wide.csv"
    f.write_text(VOTER_HEAD + "\n" + voter(1)
                 + voter(2, "," + ",".join(str(k) for k in range(200)))
                 + voter(3, "," * 40 + ",late")  # far past the header, mostly empty
                 + voter(4, ',"a\nb"')  # one extra value, with a quoted line break
                 + voter(5, ","), encoding="utf-8")
    r = import_voters(ws, f)
    assert (r.read, r.accepted, r.rejected) == (5, 2, 3)
    bad = {x["source_row"]: x for x in rejects(r)}
    assert set(bad) == {"3", "4", "5"}
    assert bad["3"]["column"] == "(row)" and bad["3"]["value"].startswith("0,1,2")
    assert "values or more" in bad["3"]["reason"] and "9 columns" in bad["3"]["reason"]
    assert "values or more" in bad["4"]["reason"]
    assert bad["5"]["value"] == "a\nb" and "more values than the header" in bad["5"]["reason"]
    assert any("were not read" in w for w in r.warnings)
    rows = ws.con.execute("SELECT voter_id, source_row FROM voters ORDER BY 1").fetchall()
    assert rows == [("1", 2), ("5", 6)]


def test_spreadsheet_padding_is_accepted(ws, tmp_path):
    pad = "," * 30  # every row padded to a wider sheet, header included
    f = tmp_path / "padded.csv"
    f.write_text(VOTER_HEAD + pad + "\n" + voter(1, pad) + voter(2, pad), encoding="utf-8")
    r = import_voters(ws, f)
    assert (r.read, r.accepted, r.rejected) == (2, 2, 0) and not r.warnings


def test_an_unreadable_row_fails_naming_it_and_changes_nothing(ws, tmp_path):
    import_voters(ws, BROKEN / "bom.csv")
    seq = ws.con.execute("SELECT max(seq) FROM audit_log").fetchall()[0][0]
    f = tmp_path / "stray.csv"
    f.write_text(VOTER_HEAD + "\n" + voter(7) + '"8"x,Bo,Kim,2 Main,LA,90012,LA,2020-01-01,A\n'
                 + voter(9), encoding="utf-8")
    with pytest.raises(ImportFailed) as e:
        import_voters(ws, f)
    msg = str(e.value)
    assert "stray.csv" in msg and "Line: 3" in msg and "fix that row" in msg
    assert "Kim" not in msg  # the row's content is not echoed
    assert ws.con.execute("SELECT voter_id FROM voters").fetchall() == [("1",)]
    assert ws.con.execute("SELECT max(seq) FROM audit_log").fetchall()[0][0] == seq
    assert ws.con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 1
