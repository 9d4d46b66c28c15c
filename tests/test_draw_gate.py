"""No sample is drawn from a petition whose raw count is below the requirement: no further
action is taken on it (EC 11222(b)). The library and `recallkit sample draw WS` refuse
with a sentence that cites the statute, and nothing is recorded."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from recallkit.cli import app
from recallkit.verification import stages
from test_verification_engine import build

SEED = "12345678901234567890123"


@pytest.fixture()
def short(tmp_path):
    ws = build(tmp_path)  # 200,000 registered need 20,000; the raw count is a few hundred
    assert stages.raw_count(ws) < ws.petition.required == 20_000
    yield ws
    ws.close()


def _nothing_recorded(ws) -> None:
    con = ws.con
    assert con.execute("SELECT count(*) FROM sample_draws").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM sample").fetchall()[0][0] == 0
    assert ws.petition.stage == "intake"


def test_library_refuses_below_the_raw_count_gate(short):
    raw = stages.raw_count(short)
    for size in (None, 60):  # an explicit size does not get round the gate
        with pytest.raises(stages.VerificationError) as err:
            stages.draw_sample(short, SEED, "sup", size=size)
        msg = str(err.value)
        assert msg.startswith("no sample is drawn: ")
        assert f"the raw count ({raw:,}) is below the 20,000" in msg
        assert msg.endswith("(EC 11222(b))")
    _nothing_recorded(short)


def test_cli_refuses_below_the_raw_count_gate(short):
    path = short.path
    short.close()  # the command opens the workspace itself
    result = CliRunner().invoke(app, ["sample", "draw", str(path), "--seed", SEED,
                                      "--size", "60"])
    assert result.exit_code != 0
    assert "no sample is drawn" in result.output and "EC 11222(b)" in result.output
    assert "Traceback" not in result.output


def test_library_draws_once_the_raw_count_reaches_the_requirement(tmp_path):
    ws = build(tmp_path, filler_lines=7_500, measure=50_000)
    try:
        assert len(stages.draw_sample(ws, SEED, "sup", size=60)) == 60
    finally:
        ws.close()
