"""A synthetic petition with ground truth: sections, lines, withdrawals, truth.csv.

Every raw-count line is given the determination it should get under the order of
precedence in data-formats.md first, and then content that produces exactly that
determination: a NOT_REGISTERED signer matches no voter, a DUPLICATE repeats a voter
whose earlier line in filing order is valid, a CANCELLED voter was cancelled before
circulation began, and so on. Valid lines carry only tolerated variation
(2 CCR 20931, EC 105) and ordinary handwriting noise.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from recallkit.synth import addresses as addr
from recallkit.synth import names as nm
from recallkit.synth.county import DEFAULT_CIRCULATION, EPOCH
from recallkit.synth.images import line_image_name
from recallkit.synth.mixes import SECTION_REASONS, get_mix
from recallkit.synth.noise import Person, Place, apply_case, write_address, write_name
from recallkit.synth.pools import VoterFile
from recallkit.synth.sections import LINES_PER_PAGE, Layout, layout_sections
from recallkit.synth.unregistered import _place, unregistered_people

# Lines whose signer is drawn from the voters who could sign validly.
FROM_VALID_POOL = {"", "SIGNATURE_MISMATCH", "NO_SIGNATURE", "ILLEGIBLE", "NO_ADDRESS",
                   "WITHDRAWN", "ADDRESS_MISMATCH", *SECTION_REASONS}
POOL_FOR = {"CANCELLED": "cancelled", "OUT_OF_JURISDICTION": "other_county",
            "REGISTERED_LATE": "late"}


@dataclass(frozen=True)
class PetitionSummary:
    county: str
    seed: int
    mix: str
    raw_count: int
    struck: int
    sections: int
    circulators: int
    valid: int
    invalid: int
    by_reason: dict[str, int]
    withdrawals: int
    withdrawals_effective: int
    circulation_from: date
    circulation_to: date
    date_filed: date
    images: int
    warnings: tuple[str, ...] = field(default=())
    files: tuple[Path, ...] = field(default=())

    def as_dict(self) -> dict:
        return asdict(self)


def _day(d: int) -> date:
    return EPOCH + timedelta(days=int(d))


def _days(d: date) -> int:
    return (d - EPOCH).days


def _read_manifest(voters_csv: Path) -> dict:
    path = voters_csv.with_name("county.json")
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {}


def generate_petition(
    voters_csv: str | Path, n_signatures: int, seed: int, out_dir: str | Path,
    circulation_from: date | None = None, circulation_to: date | None = None,
    mix: str = "la-2022", images: bool = False, *, county: str | None = None,
) -> PetitionSummary:
    """Write sections.csv, signatures.csv, withdrawals.csv and truth.csv into out_dir.

    truth.csv lists every raw-count line (struck lines are not in the raw count) with
    the voter who really signed it (empty when the signer is not registered), the
    expected determination and its reason code.
    """
    voters_csv = Path(voters_csv)
    if not voters_csv.exists():
        raise ValueError(f"{voters_csv}: no such voter file")
    if n_signatures < 1:
        raise ValueError("the petition needs at least one signature (--signatures)")
    the_mix = get_mix(mix)
    manifest = _read_manifest(voters_csv)
    if manifest.get("layout", "canonical") != "canonical":
        raise ValueError(f"{voters_csv} is in the {manifest['layout']} layout; petitions are "
                         "generated from a county written with --layout canonical")
    c_from = circulation_from or date.fromisoformat(
        manifest.get("circulation_from", DEFAULT_CIRCULATION[0].isoformat()))
    c_to = circulation_to or date.fromisoformat(
        manifest.get("circulation_to", DEFAULT_CIRCULATION[1].isoformat()))
    if c_to <= c_from:
        raise ValueError("circulation must end after it begins (--circulation-to)")
    vf = VoterFile.open(voters_csv, county or manifest.get("county"))
    upper = True
    rng = np.random.default_rng([seed, 2])
    warnings: list[str] = []
    lay = layout_sections(rng, n_signatures, the_mix, _days(c_from), _days(c_to))
    reason = lay.reason
    n_lines = len(reason)
    pools = vf.pools(c_from, c_to)

    voter = np.full(n_lines, -1, dtype=np.int64)
    # Special pools first; too few such voters → the lines become valid ones.
    for code, pool_name in POOL_FOR.items():
        rows = np.flatnonzero(reason == code)
        pool = pools[pool_name]
        if len(rows) > len(pool):
            warnings.append(f"only {len(pool)} voters for {code}; "
                            f"{len(rows) - len(pool)} such lines made valid instead")
            reason[rows[len(pool):]] = ""
            rows = rows[: len(pool)]
        voter[rows] = rng.choice(pool, size=len(rows), replace=False)
    need = np.flatnonzero(np.isin(reason, list(FROM_VALID_POOL)) | lay.line_struck)
    valid_pool = pools["valid"]
    if len(need) > len(valid_pool):
        raise ValueError(
            f"the voter file has {len(valid_pool)} voters who could sign validly, fewer than "
            f"the {len(need)} signers needed; generate a bigger county or fewer signatures"
        )
    voter[need] = rng.choice(valid_pool, size=len(need), replace=False)
    _use_recent_registrants(vf, rng, lay, voter, pools["during"])
    _duplicates(rng, lay, voter, vf)
    home = pools["home"]
    nr_rows = np.flatnonzero(reason == "NOT_REGISTERED")
    am_rows = np.flatnonzero(reason == "ADDRESS_MISMATCH")
    nr_anchor = rng.choice(home, size=len(nr_rows), replace=True)
    am_other = rng.choice(home, size=len(am_rows), replace=True)
    rn_index, cols = vf.details(np.concatenate([voter[voter >= 0], nr_anchor, am_other]))

    def row(rn: int) -> dict:
        i = int(np.searchsorted(rn_index, rn))
        return {c: v[i] for c, v in cols.items()}

    line_idx = np.searchsorted(rn_index, np.maximum(voter, 0)).tolist()
    first_c, middle_c, last_c, suffix_c = (cols[c] for c in ("first_name", "middle_name",
                                                             "last_name", "name_suffix"))
    id_c = cols["voter_id"]
    h_c, fr_c, pre_c, st_c, ty_c, post_c, ut_c, un_c, city_c, zip_c = (
        cols[c] for c in ("house_number", "house_fraction", "street_predirection",
                          "street_name", "street_type", "street_postdirection", "unit_type",
                          "unit_number", "city", "zip"))

    unreg = unregistered_people(vf, [row(r) for r in nr_anchor], seed, upper)
    am_ids = [row(int(voter[i]))["voter_id"] for i in am_rows]
    history_csv = voters_csv.with_name("voter_history.csv")
    old = vf.history(history_csv, am_ids, c_from - timedelta(days=30))

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    alt = {a.zip: a.alt_cities for a in addr.state_zips()}
    section_ids = [f"{s + 1:06d}" for s in range(lay.n_sections)]
    prng = random.Random(seed * 1_000_003 + 5)
    lines_out = []
    truth = []
    img_lines: list[tuple[str, str, str, bool]] = []
    on_file: list[tuple[str, str]] = []
    nr_iter = iter(unreg)
    am_iter = iter(am_other)
    for i in range(n_lines):
        code = reason[i]
        sid = section_ids[lay.line_section[i]]
        page, line = int(lay.line_page[i]), int(lay.line_no[i])
        style = 0 if prng.random() < 0.55 else (1 if prng.random() < 0.78 else 2)
        notes = ""
        has_sig = True
        vid = ""
        if code == "NOT_REGISTERED":
            person, place = next(nr_iter)
            name = write_name(person, prng, style, accents=False)
            res, city, zip_ = write_address(place, prng, style, alt.get(place.zip, ()))
        else:
            j = line_idx[i]
            vid = id_c[j]
            person = Person(first_c[j], middle_c[j], last_c[j], suffix_c[j])
            place = Place(h_c[j], fr_c[j], pre_c[j], st_c[j], ty_c[j], post_c[j], ut_c[j],
                          un_c[j], city_c[j], zip_c[j][:5])
            name = write_name(person, prng, style, accents=True)
            res, city, zip_ = write_address(place, prng, style, alt.get(place.zip, ()))
            if code == "ADDRESS_MISMATCH":
                res, city, zip_ = _elsewhere(row(int(voter[i])), old.get(vid),
                                             row(int(next(am_iter))), prng, style)
            elif code == "ILLEGIBLE":
                name, notes = "", "name illegible"
                res = res.split(" ")[0] if prng.random() < 0.5 else ""
            elif code == "NO_ADDRESS":
                res, zip_ = "", ""
                city = city if prng.random() < 0.5 else ""
            elif code == "NO_SIGNATURE":
                has_sig = False
        struck = bool(lay.line_struck[i])
        if struck:
            notes = "struck"
        image = ""
        if images and has_sig:
            image = line_image_name(sid, page, line)
            if vid:
                signed_as = f"{person.first} {person.last}"
                on_file.append((vid, signed_as))
                img_lines.append((image, vid, signed_as, code == "SIGNATURE_MISMATCH"))
            else:
                img_lines.append((image, f"{name}|{zip_}", name, False))
        lines_out.append((sid, page, line, name, res, city, zip_, has_sig, image, struck, notes))
        if not struck:
            truth.append((sid, page, line, vid, "invalid" if code else "valid", code))

    withdrawals = _withdrawals(rng, lay, voter, row, the_mix.late_withdrawal_rate, prng)
    files = _write(out, lay, section_ids, vf.home, lines_out, truth, withdrawals, rng, c_from)
    by_reason: dict[str, int] = {}
    for t in truth:
        if t[5]:
            by_reason[t[5]] = by_reason.get(t[5], 0) + 1
    n_images = 0
    if images:
        from recallkit.synth.images import write_petition_images

        n_images = write_petition_images(out, voters_csv.parent, img_lines, on_file)
    valid = sum(1 for t in truth if not t[5])
    return PetitionSummary(
        county=vf.home, seed=seed, mix=mix, raw_count=len(truth),
        struck=int(lay.line_struck.sum()), sections=lay.n_sections,
        circulators=len(np.unique(lay.circulator)), valid=valid, invalid=len(truth) - valid,
        by_reason=dict(sorted(by_reason.items())), withdrawals=len(withdrawals),
        withdrawals_effective=sum(1 for w in withdrawals if w[-1] == "effective"),
        circulation_from=c_from, circulation_to=c_to, date_filed=_day(lay.filed),
        images=n_images, warnings=tuple(warnings), files=files,
    )


def _use_recent_registrants(vf: VoterFile, rng, lay: Layout, voter, during) -> None:
    """About 1% of valid signers registered during circulation, before their section ended."""
    rows = np.flatnonzero((lay.reason == "") & ~lay.line_struck)
    k = min(len(during), len(rows) // 100)
    if k == 0:
        return
    pick_rows = rng.choice(rows, size=k, replace=False)
    cand = rng.choice(during, size=k, replace=False)
    reg = vf.registration_days(cand)
    ok = reg <= lay.sec_to[lay.line_section[pick_rows]]
    voter[pick_rows[ok]] = cand[ok]


def _duplicates(rng, lay: Layout, voter: np.ndarray, vf: VoterFile) -> None:
    """A duplicate repeats the voter of an earlier valid line (filing order) who was
    registered by the end of the duplicate's own section — otherwise REGISTERED_LATE
    would come first in the order of precedence (data-formats.md)."""
    valid_pos = np.flatnonzero((lay.reason == "") & ~lay.line_struck)
    dups = np.flatnonzero(lay.reason == "DUPLICATE")
    before = np.searchsorted(valid_pos, dups)
    reg = vf.registration_days(voter[valid_pos]) if len(valid_pos) else np.array([])
    dup_end = lay.sec_to[lay.line_section[dups]]
    pick = (rng.random(len(dups)) * before).astype(np.int64)
    for _ in range(50):  # redraw the few that hit a voter registered too late
        bad = np.flatnonzero(reg[pick] > dup_end) if len(pick) else np.array([], int)
        if len(bad) == 0:
            break
        pick[bad] = (rng.random(len(bad)) * before[bad]).astype(np.int64)
    else:  # still late: take the earliest valid line registered in time, if any
        for b in np.flatnonzero(reg[pick] > dup_end):
            ok = np.flatnonzero(reg[: before[b]] <= dup_end[b])
            if len(ok):
                pick[b] = ok[0]
    voter[dups] = voter[valid_pos[pick]]


def _elsewhere(v: dict, old: tuple | None, other: dict, prng: random.Random, style: int):
    """An address that is not the voter's: one they left before circulation, or another
    street altogether (a work address, a move never reported)."""
    if old and prng.random() < 0.7:
        return apply_case(old[0], style), apply_case(old[1] or "", style), old[2] or ""
    place = _place(other)
    if place.street == (v.get("street_name") or "") and place.zip == (v.get("zip") or "")[:5]:
        place = Place(str(int(place.house or 0) + 1000), "", place.predir, place.street,
                      place.stype, place.postdir, "", "", place.city, place.zip)
    line = " ".join(x for x in (place.house, place.predir, place.street, place.stype,
                                 place.postdir) if x)
    return apply_case(line, style), apply_case(place.city, style), place.zip


def _withdrawals(rng, lay: Layout, voter, row, late_rate: float, prng: random.Random) -> list:
    out = []
    filed = lay.filed
    for i in np.flatnonzero(lay.reason == "WITHDRAWN"):
        s = lay.line_section[i]
        when = int(lay.sec_from[s] + rng.integers(1, max(filed - lay.sec_from[s], 2)))
        out.append((row(int(voter[i])), min(when, filed - 1), "effective"))
    valid = np.flatnonzero((lay.reason == "") & ~lay.line_struck)
    k = min(len(valid), int(round(late_rate * len(valid))) + 1)
    for i in rng.choice(valid, size=k, replace=False):
        out.append((row(int(voter[i])), int(filed + rng.integers(0, 21)), "late"))
    out.sort(key=lambda w: (w[1], w[0]["voter_id"]))
    return out


def _write(out: Path, lay: Layout, section_ids, county: str, lines_out, truth, withdrawals,
           rng, c_from: date) -> tuple[Path, ...]:
    tables = nm.name_tables(upper=False)
    n_circ = int(lay.circulator.max()) + 1
    g = np.zeros(n_circ, dtype=np.int64)
    sex = (rng.random(n_circ) < 0.5).astype(np.int8)
    firsts = tables.strings(nm.draw_first(tables, rng, g, sex)).to_pylist()
    lasts = tables.strings(tables.last["census"].draw(rng, n_circ)).to_pylist()
    home_zips = [a for a in addr.state_zips() if a.county == county] or list(addr.state_zips())
    pool, cdf = addr.street_name_pool()
    circ_addr = []
    for _c in range(n_circ):
        a = home_zips[int(rng.integers(0, len(home_zips)))]
        street = apply_case(pool[int(np.searchsorted(cdf, rng.random()))], 0)
        circ_addr.append(f"{int(rng.integers(100, 20000))} {street} Ave, {a.city}, CA {a.zip}")
    others = addr.neighbours(county, k=4) or ["Orange"]
    paths = []
    p = out / "sections.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["section_id", "county", "pages", "signature_lines", "lines_per_page",
                    "circulator_name", "circulator_address", "declaration_signed",
                    "circulated_from", "circulated_to", "date_filed", "defects"])
        for s in range(lay.n_sections):
            c = int(lay.circulator[s])
            defect = lay.section_defect[s]
            sec_county = others[s % len(others)] if defect == "WRONG_COUNTY_SECTION" else county
            listed = defect if defect == "CIRCULATOR_DECLARATION_DEFECT" and \
                lay.declaration_signed[s] else ""
            w.writerow([section_ids[s], sec_county, int(lay.section_pages[s]),
                        int(lay.section_lines[s]), LINES_PER_PAGE,
                        f"{firsts[c]} {lasts[c]}", circ_addr[c],
                        "true" if lay.declaration_signed[s] else "false",
                        _day(lay.sec_from[s]).isoformat(), _day(lay.sec_to[s]).isoformat(),
                        _day(lay.filed).isoformat(), listed])
    paths.append(p)
    p = out / "signatures.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["section_id", "page", "line", "printed_name", "residence_address", "city",
                    "zip", "has_signature", "signature_image", "struck", "notes"])
        for r in lines_out:
            w.writerow([*r[:7], "true" if r[7] else "false", r[8], "true" if r[9] else "false",
                        r[10]])
    paths.append(p)
    p = out / "withdrawals.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["printed_name", "residence_address", "city", "zip", "date_received",
                    "signature_image", "notes"])
        for v, when, _kind in withdrawals:
            name = " ".join(x for x in (v["first_name"], v["middle_name"], v["last_name"],
                                        v["name_suffix"]) if x)
            w.writerow([name.title(), (v["residence_address"] or "").title(),
                        (v["city"] or "").title(), (v["zip"] or "")[:5],
                        _day(when).isoformat(), "", ""])
    paths.append(p)
    p = out / "truth.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["section_id", "page", "line", "voter_id", "expected", "reason"])
        w.writerows(truth)
    paths.append(p)
    return tuple(paths)
