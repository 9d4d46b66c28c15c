"""Signature comparison (2 CCR 20960): similar hands score high, different hands low,
and a missing image never counts against the signer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from recallkit.matching import signatures as sig
from recallkit.synth.images import draw_signature, hand_for


def _save(img: Image.Image, path: Path) -> Path:
    img.save(path)
    return path


def test_same_hand_scores_higher_than_another_hand(tmp_path: Path) -> None:
    name = "Maria Garcia Lopez"
    on_file = _save(draw_signature(name, hand_for("v1")), tmp_path / "file.png")
    same = _save(draw_signature(name, hand_for("v1"), tremor=7), tmp_path / "same.png")
    other = _save(draw_signature(name, hand_for("v1#forged"), tremor=7), tmp_path / "o.png")
    s_same = sig.compare_files(same, [on_file])
    s_other = sig.compare_files(other, [on_file])
    assert s_same is not None and s_other is not None
    assert 0.0 <= s_other < s_same <= 1.0
    assert s_same > 0.85


def test_any_signature_on_file_suffices(tmp_path: Path) -> None:
    name = "Nguyen Van An"
    line = _save(draw_signature(name, hand_for("v2"), tremor=3), tmp_path / "line.png")
    wrong = _save(draw_signature(name, hand_for("zz")), tmp_path / "a.png")
    right = _save(draw_signature(name, hand_for("v2")), tmp_path / "b.png")
    both = sig.compare_files(line, [wrong, right])
    assert both == sig.compare_files(line, [right])


def test_size_and_position_do_not_matter(tmp_path: Path) -> None:
    img = draw_signature("Ara Petrosyan", hand_for("v3"))
    big = Image.new("L", (900, 300), 255)
    big.paste(img.resize((600, 160)), (200, 90))
    a = _save(img, tmp_path / "a.png")
    b = _save(big, tmp_path / "b.png")
    s = sig.compare_files(a, [b])
    assert s is not None and s > 0.85


def test_no_usable_image_is_none(tmp_path: Path) -> None:
    blank = _save(Image.new("L", (300, 80), 255), tmp_path / "blank.png")
    good = _save(draw_signature("Kim Min-jun", hand_for("v4")), tmp_path / "g.png")
    (tmp_path / "junk.png").write_bytes(b"not an image")
    assert sig.features(blank) is None
    assert sig.compare_files(blank, [good]) is None
    assert sig.compare_files(good, [tmp_path / "missing.png"]) is None
    assert sig.compare_files(tmp_path / "junk.png", [good]) is None


def test_scan_with_gray_paper(tmp_path: Path) -> None:
    img = Image.new("L", (300, 80), 200)
    d = ImageDraw.Draw(img)
    d.line([(20, 60), (60, 20), (100, 60), (140, 20), (180, 60)], fill=30, width=2)
    a = _save(img, tmp_path / "a.png")
    assert sig.compare_files(a, [a]) is not None
    assert sig.compare_files(a, [a]) > 0.99


def test_threshold_from_distribution() -> None:
    genuine = [0.95 + 0.01 * ((i * 7) % 5 - 2) for i in range(500)]
    t = sig.threshold(genuine + [0.4, 0.5, 0.3])
    assert 0.5 < t < min(genuine)
    assert sig.threshold([0.9] * 5) == 0.35  # too few to learn from: the floor
    assert sig.threshold([0.2] * 100) <= 0.35  # never above the median


def test_compare_many_matches_single(tmp_path: Path) -> None:
    f = _save(draw_signature("Li Wei", hand_for("v5")), tmp_path / "f.png")
    line = _save(draw_signature("Li Wei", hand_for("v5"), tremor=2), tmp_path / "l.png")
    out = sig.compare_many([("a", str(line), [str(f)]), ("b", str(line), [])], workers=1)
    assert out["a"] == sig.compare_files(line, [f])
    assert out["b"] is None


def test_like_threshold_only_for_a_tight_genuine_mode() -> None:
    tight = [0.97 + 0.001 * (i % 10) for i in range(200)] + [0.40, 0.45]
    assert sig.like_threshold(tight) == pytest.approx(0.9745, abs=0.001)  # the median
    wide = [0.2 + 0.7 * i / 199 for i in range(200)]  # scans that separate writers poorly
    assert sig.like_threshold(wide) is None
    assert sig.like_threshold([0.99] * 10) is None  # too few to tell
