"""Synthetic county and petition: determinism, the mix, and truth agreeing with the data."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from recallkit.synth.county import VOTER_COLUMNS, generate_county
from recallkit.synth.mixes import LA_2022
from recallkit.synth.noise import strip_accents
from recallkit.synth.petition import generate_petition


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("county")
    generate_county(60_000, 11, out)
    return out


@pytest.fixture(scope="module")
def petition(county, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("petition")
    generate_petition(county / "voters.csv", 20_000, 5, out)
    return out


def test_county_columns_and_values(county):
    rows = _rows(county / "voters.csv")
    assert tuple(rows[0].keys()) == VOTER_COLUMNS
    assert len(rows) == 60_000
    assert len({r["voter_id"] for r in rows}) == 60_000
    statuses = Counter(r["status"] for r in rows)
    assert set(statuses) == {"active", "inactive", "cancelled"}
    assert all(len(r["zip"]) == 5 and r["zip"].isdigit() for r in rows)
    la = [r for r in rows if r["county"] == "Los Angeles"]
    assert 0.97 < len(la) / len(rows) < 0.995  # some voters of neighbouring counties
    assert any(r["unit_number"] for r in rows) and any(r["house_fraction"] for r in rows)
    assert any(r["name_suffix"] for r in rows)
    assert any(" " in r["last_name"] or "-" in r["last_name"] for r in rows)
    assert any(r["last_name"] == "NGUYEN" for r in rows)
    assert any(r["last_name"].endswith(("IAN", "YAN")) for r in rows)
    # Households: several voters at one address.
    per_addr = Counter((r["residence_address"], r["zip"]) for r in rows)
    assert max(per_addr.values()) >= 4
    hist = _rows(county / "voter_history.csv")
    assert hist and all(h["valid_to"] > h["valid_from"] for h in hist)


def test_same_seed_same_bytes(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for d, seed in ((a, 3), (b, 3), (c, 4)):
        generate_county(3000, seed, d)
        generate_petition(d / "voters.csv", 400, seed, d / "p")
    for name in ("voters.csv", "voter_history.csv", "p/signatures.csv", "p/truth.csv",
                 "p/sections.csv", "p/withdrawals.csv"):
        assert _sha(a / name) == _sha(b / name), name
    assert _sha(a / "voters.csv") != _sha(c / "voters.csv")


def test_mix_within_tolerance(petition):
    truth = _rows(petition / "truth.csv")
    n = len(truth)
    assert n == 20_000
    counts = Counter(t["reason"] for t in truth)
    valid = counts.pop("")
    assert abs(valid / n - LA_2022.valid) < 0.01
    for code in ("NOT_REGISTERED", "DUPLICATE", "ADDRESS_MISMATCH", "SIGNATURE_MISMATCH",
                 "CANCELLED", "OUT_OF_JURISDICTION"):
        assert abs(counts[code] / n - LA_2022.invalid[code]) < 0.003, code
    assert sum(counts.values()) == n - valid


def test_truth_agrees_with_data(county, petition):
    voters = {r["voter_id"]: r for r in _rows(county / "voters.csv")}
    truth = _rows(petition / "truth.csv")
    sigs = {(s["section_id"], s["page"], s["line"]): s for s in _rows(petition / "signatures.csv")}
    sections = {s["section_id"]: s for s in _rows(petition / "sections.csv")}
    # (first name, any surname word, ZIP) of every voter: a NOT_REGISTERED signer must
    # share none of them, however the written name is split.
    by_name_zip = {(strip_accents(v["first_name"]), tok, v["zip"]) for v in voters.values()
                   for tok in strip_accents(v["last_name"]).replace("-", " ").split()}
    seen_valid: set[str] = set()
    order = sorted(truth, key=lambda t: (sections[t["section_id"]]["date_filed"],
                                         t["section_id"], int(t["page"]), int(t["line"])))
    assert order == truth  # truth is in filing order
    for t in truth:
        s = sigs[(t["section_id"], t["page"], t["line"])]
        sec = sections[t["section_id"]]
        v = voters.get(t["voter_id"])
        r = t["reason"]
        assert s["struck"] == "false"
        if r == "NOT_REGISTERED":
            assert t["voter_id"] == ""
            words = strip_accents(s["printed_name"]).upper().replace(",", "").split()
            if s["zip"]:
                for word in words[1:]:
                    assert (words[0], word, s["zip"]) not in by_name_zip
            continue
        assert v is not None, t
        if r == "":
            assert v["county"] == "Los Angeles"
            assert v["registration_date"] <= sec["circulated_to"]
            assert not (v["status"] == "cancelled" and v["status_date"] < sec["circulated_from"])
            assert sec["declaration_signed"] == "true" and sec["county"] == "Los Angeles"
            assert t["voter_id"] not in seen_valid
            seen_valid.add(t["voter_id"])
        elif r == "DUPLICATE":
            assert t["voter_id"] in seen_valid
        elif r == "CANCELLED":
            assert v["status"] == "cancelled" and v["status_date"] < sec["circulated_from"]
        elif r == "OUT_OF_JURISDICTION":
            assert v["county"] != "Los Angeles"
        elif r == "REGISTERED_LATE":
            assert v["registration_date"] > sec["circulated_to"]
        elif r == "NO_SIGNATURE":
            assert s["has_signature"] == "false"
        elif r == "NO_ADDRESS":
            assert s["residence_address"] == ""
        elif r == "ILLEGIBLE":
            assert s["printed_name"] == ""
        elif r == "WRONG_COUNTY_SECTION":
            assert sec["county"] != "Los Angeles"
        elif r == "CIRCULATOR_DECLARATION_DEFECT":
            assert sec["declaration_signed"] == "false" or sec["defects"]
        elif r == "ADDRESS_MISMATCH":
            assert s["residence_address"].upper() != v["residence_address"].upper()
    # Every valid line has a house number and a ZIP or a city.
    for t in truth:
        s = sigs[(t["section_id"], t["page"], t["line"])]
        if t["reason"] == "":
            assert s["residence_address"] and (s["zip"] or s["city"])


def test_withdrawals_and_struck(petition):
    truth = _rows(petition / "truth.csv")
    sigs = _rows(petition / "signatures.csv")
    assert sum(s["struck"] == "true" for s in sigs) == len(sigs) - len(truth)
    w = _rows(petition / "withdrawals.csv")
    filed = _rows(petition / "sections.csv")[0]["date_filed"]
    early = [x for x in w if x["date_received"] < filed]
    withdrawn = sum(t["reason"] == "WITHDRAWN" for t in truth)
    assert len(early) == withdrawn and len(w) > withdrawn


def test_sections(petition):
    sections = _rows(petition / "sections.csv")
    sigs = _rows(petition / "signatures.csv")
    lines = Counter(s["section_id"] for s in sigs if s["struck"] == "false")
    for s in sections:
        assert int(s["signature_lines"]) == lines[s["section_id"]]
        assert 20 <= int(s["signature_lines"]) <= 40 or s is sections[-1]
        assert "2022-01-27" <= s["circulated_from"] <= s["circulated_to"] <= "2022-07-06"
    assert any(s["declaration_signed"] == "false" for s in sections)
    assert any(s["county"] != "Los Angeles" for s in sections)
    assert len({s["circulator_name"] for s in sections}) < len(sections) / 3


def test_petition_dates_and_errors(county, tmp_path):
    s = generate_petition(county / "voters.csv", 300, 1, tmp_path / "p",
                          circulation_from=date(2022, 2, 1), circulation_to=date(2022, 6, 1))
    assert s.raw_count == 300 and s.circulation_to == date(2022, 6, 1)
    with pytest.raises(ValueError, match="unknown mix"):
        generate_petition(county / "voters.csv", 10, 1, tmp_path / "q", mix="nope")
    with pytest.raises(ValueError, match="unknown county"):
        generate_county(10, 1, tmp_path / "r", county="Atlantis")


def test_images_and_layouts(tmp_path):
    from PIL import Image

    from recallkit.workspace.profiles import load_profile

    s = generate_county(2000, 2, tmp_path / "c", images=3)
    rows = _rows(tmp_path / "c" / "voters.csv")
    assert [bool(r["signature_image"]) for r in rows[:4]] == [True, True, True, False]
    assert (tmp_path / "c" / rows[0]["signature_image"]).exists()
    p = generate_petition(tmp_path / "c" / "voters.csv", 200, 2, tmp_path / "p", images=True)
    assert p.images > 200
    sigs = [r for r in _rows(tmp_path / "p" / "signatures.csv") if r["has_signature"] == "true"]
    img = Image.open(tmp_path / "p" / sigs[0]["signature_image"])
    assert img.size == (300, 80)
    assert s.images == 3
    for layout in ("votecal", "ncvoter"):
        generate_county(500, 2, tmp_path / layout, layout=layout)
        prof = load_profile(layout)
        with (tmp_path / layout / "voters.csv").open(encoding="utf-8") as fh:
            header = next(csv.reader(fh, delimiter=prof.delimiter))
        assert set(prof.columns.values()) <= set(header)
