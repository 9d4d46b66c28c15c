"""The consistent sampler: docs vectors, the standalone verifier, prefix stability, sizes."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recallkit.rules import load_pack
from recallkit.sampling import (
    NoSamplingError,
    SamplingError,
    canonical_line_id,
    consistent_order,
    draw,
    is_canonical_line_id,
    sample_size,
    seed_hash,
    ticket,
    validate_seed,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"
SEED = "31415926535897932384626433"
IDS = [
    f"{s}:{p}:{n}" for s in ("LA-000123", "LA-000124", "SD-7") for p in (1, 2) for n in (1, 2, 3)
]


def _verifier():
    spec = importlib.util.spec_from_file_location("verify_sample", DOCS / "verify_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VERIFIER = _verifier()


def _doc_vectors() -> list[tuple[str, list[tuple[int, str, str]]]]:
    """(seed, [(position, id, ticket)]) for each vector table in docs/sampling.md."""
    text = (DOCS / "sampling.md").read_text(encoding="utf-8")
    out = []
    for block in text.split("### Vector")[1:]:
        seed = re.search(r"Seed `(\d+)`", block).group(1)
        rows = re.findall(r"^\| (\d+) \| `([^`]+)` \| `([0-9a-f]{64})` \|$", block, re.M)
        out.append((seed, [(int(p), i, t) for p, i, t in rows]))
    return out


# -- the published vectors ------------------------------------------------------------------


def test_vector_one_snapshot_checked_independently():
    # Checked with coreutils sha256sum (see docs/sampling.md), not only with Python.
    assert seed_hash(SEED) == "78f22982b14da24461f5e1a0930d078d958a477c4a47df50ecc097ec063c4ea6"
    order = consistent_order(SEED, IDS)
    assert [x.id for x in order[:3]] == ["LA-000123:2:1", "SD-7:1:2", "SD-7:2:3"]
    assert order[0].ticket_hex == (
        "02ad2ec1c608b48f47119ff6f22bdf01c4fc80161b81e02eb5c6cb209d66e613"
    )
    assert order[-1].id == "SD-7:1:1"


def test_docs_vectors_match_library_and_verifier():
    vectors = _doc_vectors()
    assert len(vectors) == 2 and len(vectors[0][1]) == 18
    for seed, rows in vectors:
        ids = sorted(i for _, i, _ in rows)
        lib = [(x.position, x.id, x.ticket_hex) for x in consistent_order(seed, ids)]
        assert lib == rows
        ver = VERIFIER.order(seed, ids)
        assert [(t, i) for _, i, t in rows] == ver


def test_verifier_script_runs_standalone(tmp_path):
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("\n".join(IDS) + "\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-I", str(DOCS / "verify_sample.py"), "--seed", SEED, "--ids",
         str(ids_file), "--size", "5"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out == [x.id for x in draw(SEED, IDS, 5)]


def test_verifier_imports_only_the_standard_library():
    source = (DOCS / "verify_sample.py").read_text(encoding="utf-8")
    imports = set(re.findall(r"^(?:import|from) (\w+)", source, re.M))
    assert imports <= {"argparse", "hashlib", "sys"}


line_ids = st.builds(
    canonical_line_id,
    st.text(alphabet="ABCXYZ-0123456789 é", min_size=1, max_size=8).filter(str.strip),
    st.integers(1, 500),
    st.integers(1, 30),
)
seeds = st.text(alphabet="0123456789", min_size=20, max_size=40)


@settings(max_examples=60, deadline=None)
@given(seeds, st.lists(line_ids, unique=True, max_size=60))
def test_verifier_agrees_with_library(seed, ids):
    lib = [(x.ticket_hex, x.id) for x in consistent_order(seed, ids)]
    assert lib == VERIFIER.order(seed, ids)


# -- properties of the order ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(seeds, st.lists(line_ids, unique=True, min_size=1, max_size=80), st.data())
def test_draw_is_a_prefix_of_the_order(seed, ids, data):
    full = consistent_order(seed, ids)
    n = data.draw(st.integers(0, len(ids)))
    m = data.draw(st.integers(n, len(ids)))
    small, large = draw(seed, ids, n), draw(seed, ids, m)
    assert small == full[:n]
    assert large[:n] == small  # a supplemental sample only appends
    assert [x.position for x in large] == list(range(1, m + 1))


@settings(max_examples=60, deadline=None)
@given(seeds, st.lists(line_ids, unique=True, max_size=80), st.data())
def test_adding_ids_keeps_the_relative_order(seed, ids, data):
    cut = data.draw(st.integers(0, len(ids)))
    old = [x.id for x in consistent_order(seed, ids[:cut])]
    new = [x.id for x in consistent_order(seed, ids) if x.id in set(ids[:cut])]
    assert new == old


@settings(max_examples=40, deadline=None)
@given(seeds, st.lists(line_ids, unique=True, max_size=40))
def test_order_does_not_depend_on_input_order(seed, ids):
    assert consistent_order(seed, ids) == consistent_order(seed, list(reversed(ids)))


def test_ticket_matches_the_spec_formula():
    h = seed_hash(SEED)
    expected = int(hashlib.sha256(f"{h},LA-000123:2:7".encode()).hexdigest(), 16)
    assert ticket(h, "LA-000123:2:7") == expected


def test_large_draw_matches_full_sort():
    ids = [f"S{i // 100}:{i % 100 // 10 + 1}:{i % 10 + 1}" for i in range(20_000)]
    assert draw(SEED, ids, 1_000) == consistent_order(SEED, ids)[:1_000]


# -- input errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", ["1234", "1234567890123456789", "12345 67890123456789012",
                                  "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠", "", "abcdefghijklmnopqrstu"])
def test_bad_seeds(seed):
    with pytest.raises(SamplingError):
        validate_seed(seed)


def test_good_seed_is_returned():
    assert validate_seed("0" * 20) == "0" * 20


def test_duplicate_ids_are_named():
    with pytest.raises(SamplingError, match="LA-1:1:1"):
        draw(SEED, ["LA-1:1:1", "LA-1:1:2", "LA-1:1:1"], 1)
    with pytest.raises(SamplingError, match="more than once"):
        consistent_order(SEED, ["A:1:1", "A:1:1"])


def test_sample_larger_than_universe_or_negative():
    with pytest.raises(SamplingError, match="larger than the raw count"):
        draw(SEED, IDS, 19)
    with pytest.raises(SamplingError):
        draw(SEED, IDS, -1)
    assert draw(SEED, IDS, 0) == []


def test_canonical_line_id():
    assert canonical_line_id(" la-000123 ", "02", 7) == "LA-000123:2:7"
    assert is_canonical_line_id("LA-000123:2:7")
    assert not is_canonical_line_id("LA-000123:02:7")
    assert not is_canonical_line_id("la-1:1:1")
    for bad in (("", 1, 1), ("A:B", 1, 1), ("A", 0, 1), ("A", 1, "x"), ("A", -1, 2)):
        with pytest.raises(SamplingError):
            canonical_line_id(*bad)


# -- sample size ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pack", "raw", "size"),
    [
        ("ca-local", 501, 500),
        ("ca-local", 10_000, 500),
        ("ca-local", 10_001, 501),  # 5% of 10,001 = 500.05 → 501
        ("ca-local", 24_034, 1_202),
        ("ca-local", 716_000, 35_800),
        ("ca-initiative", 24_034, 722),  # the 2 CCR 20540 example's sample
        ("ca-initiative", 16_667, 501),
    ],
)
def test_sample_sizes(pack, raw, size):
    result = sample_size(load_pack(pack), raw)
    assert result.size == size
    assert result.cite
    assert result.steps[-1].value == size


def test_sample_not_allowed_at_or_below_500():
    with pytest.raises(NoSamplingError, match="full count"):
        sample_size(load_pack("ca-local"), 500)


def test_state_recalls_are_not_sampled():
    with pytest.raises(NoSamplingError) as info:
        sample_size(load_pack("ca-state"), 2_000_000)
    message = str(info.value)
    assert "EC 11104" in message and "11106" in message
    assert "every signature" in message


def test_cap_at_raw(tmp_path):
    from importlib import resources

    toml = (resources.files("recallkit.rules") / "packs" / "ca-local.toml").read_text()
    toml = toml.replace('raw_more_than = { value = 500', 'raw_more_than = { value = 100')
    path = tmp_path / "small.toml"
    path.write_text(toml, encoding="utf-8")
    result = sample_size(load_pack(str(path)), 300)
    assert result.size == 300
    assert "capped" in result.steps[-1].rule


def test_equal_64_bit_prefixes_fall_back_to_full_tickets(monkeypatch):
    """Force prefix collisions (keep 2 bits) so the exact tie-break path runs."""
    import recallkit.sampling as sampling

    real = sampling._prefixes
    monkeypatch.setattr(sampling, "_prefixes", lambda d: real(d) >> np.uint64(62))
    ids = [f"T:{p}:{n}" for p in range(1, 11) for n in range(1, 11)]
    expected = sorted(
        (int(hashlib.sha256(f"{seed_hash(SEED)},{i}".encode()).hexdigest(), 16), i) for i in ids
    )
    assert [x.id for x in consistent_order(SEED, ids)] == [i for _, i in expected]
    assert [x.id for x in draw(SEED, ids, 17)] == [i for _, i in expected[:17]]
