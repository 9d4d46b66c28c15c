"""The math commands: sample draw/size, project, plan-campaign (human and --json)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from recallkit.cli import app
from recallkit.sampling import draw

runner = CliRunner()
SEED = "31415926535897932384626433"
IDS = [f"{s}:{p}:{n}" for s in ("LA-000123", "SD-7") for p in (1, 2) for n in (1, 2, 3)]


def _ids_file(tmp_path, lines):
    path = tmp_path / "ids.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sample_draw_prints_ids_in_order(tmp_path):
    path = _ids_file(tmp_path, IDS)
    result = runner.invoke(app, ["sample", "draw", "--seed", SEED, "--ids", str(path),
                                 "--size", "4"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [x.id for x in draw(SEED, IDS, 4)]


def test_sample_draw_json(tmp_path):
    path = _ids_file(tmp_path, IDS)
    result = runner.invoke(app, ["sample", "draw", "--seed", SEED, "--ids", str(path),
                                 "--size", "3", "--json"])
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == [x.id for x in draw(SEED, IDS, 3)]
    assert all(len(d["ticket"]) == 64 for d in data)


def test_sample_draw_errors(tmp_path):
    path = _ids_file(tmp_path, [*IDS, "LA-000123:01:1", "SD-7:1:1"])
    result = runner.invoke(app, ["sample", "draw", "--seed", SEED, "--ids", str(path),
                                 "--size", "3"])
    assert result.exit_code != 0
    assert "line 13" in result.output and "LA-000123:1:1" in result.output
    short = runner.invoke(app, ["sample", "draw", "--seed", "123", "--ids", str(path),
                                "--size", "3"])
    assert short.exit_code != 0 and "20" in short.output
    missing = runner.invoke(app, ["sample", "draw", "--seed", SEED, "--ids",
                                  str(tmp_path / "nope.txt"), "--size", "3"])
    assert missing.exit_code != 0 and "does not exist" in missing.output
    dup = runner.invoke(app, ["sample", "draw", "--seed", SEED, "--ids",
                              str(_ids_file(tmp_path, [*IDS, IDS[0]])), "--size", "3"])
    assert dup.exit_code != 0 and "more than once" in dup.output
    assert "Traceback" not in dup.output


def test_sample_draw_workspace_not_built_yet_or_delegates(tmp_path):
    result = runner.invoke(app, ["sample", "draw", str(tmp_path), "--seed", SEED])
    try:
        import recallkit.verification.stages  # noqa: F401
    except ImportError:
        assert result.exit_code != 0 and "not built yet" in result.output


def test_sample_size():
    result = runner.invoke(app, ["sample", "size", "--rules", "ca-local", "--raw", "24034",
                                 "--json"])
    assert json.loads(result.stdout)["size"] == 1202
    human = runner.invoke(app, ["sample", "size", "--rules", "ca-local", "--raw", "24034"])
    assert "1,202" in human.stdout and "EC 11225(a)" in human.stdout
    state = runner.invoke(app, ["sample", "size", "--rules", "ca-state", "--raw", "24034"])
    assert state.exit_code != 0 and "EC 11104" in state.output


def test_project_public_example_json():
    result = runner.invoke(app, [
        "project", "--rules", "ca-initiative", "--raw", "24034", "--sample", "722",
        "--valid", "516", "--duplicates", "2", "--required", "12000", "--json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["projected_valid"] == 15028
    assert data["percent_of_required"] == "125.23"
    assert data["outcome"] == "sufficient"
    assert {s["name"]: s["value"] for s in data["steps"]}["W"] == "1074.80950161"
    assert set(data["band_edges_in_sample"]) == {
        "min_valid_for_sufficient", "max_valid_for_insufficient"}
    assert "ignores duplicates" in data["confidence"]["sentence"]


def test_project_human_and_errors():
    result = runner.invoke(app, [
        "project", "--rules", "ca-local", "--raw", "24034", "--sample", "722",
        "--valid", "516", "--duplicates", "2", "--required", "14000",
        "--variant", "final-round",
    ])
    assert result.exit_code == 0, result.output
    assert "NON-CONFORMING" in result.output and "EC 11225(a)" in result.output
    bad = runner.invoke(app, [
        "project", "--rules", "ca-local", "--raw", "24034", "--sample", "722",
        "--valid", "800", "--required", "14000",
    ])
    assert bad.exit_code != 0 and "more than the sample" in bad.output
    variant = runner.invoke(app, [
        "project", "--rules", "ca-local", "--raw", "24034", "--sample", "722",
        "--valid", "500", "--required", "14000", "--variant", "county",
    ])
    assert variant.exit_code != 0 and "unknown projection variant" in variant.output
    missing = runner.invoke(app, ["project", "--rules", "ca-local"])
    assert missing.exit_code != 0 and "--raw" in missing.output


def test_plan_campaign():
    result = runner.invoke(app, [
        "plan-campaign", "--rules", "ca-local", "--required", "10000",
        "--validity-rate", "75%", "--duplicate-rate", "0.02", "--json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["raw_to_file"] > 10000 * 1.1 / 0.75
    assert data["margin"] == data["raw_to_file"] - 10000
    human = runner.invoke(app, [
        "plan-campaign", "--rules", "ca-local", "--required", "10000", "--validity-rate", "0.75",
    ])
    assert "File at least" in human.stdout
    bad = runner.invoke(app, [
        "plan-campaign", "--rules", "ca-local", "--required", "10000", "--validity-rate", "2",
    ])
    assert bad.exit_code != 0 and "validity rate" in bad.output
