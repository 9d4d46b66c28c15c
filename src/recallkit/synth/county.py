"""A synthetic county voter file (and registration history), streamed in chunks.

Nothing here is real voter data: names come from public frequency tables, ZIP/city
pairs are real but streets, numbers and people are invented. The file is built in
chunks of `CHUNK` voters with numpy and pyarrow, so millions of voters stream to
disk in seconds with bounded memory; each chunk has its own random stream derived
from (seed, chunk), which makes the output byte-identical for a given seed.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from recallkit.synth import addresses as addr
from recallkit.synth import names as nm

CHUNK = 250_000
VOTER_COLUMNS = (
    "voter_id", "first_name", "middle_name", "last_name", "name_suffix", "residence_address",
    "house_number", "house_fraction", "street_predirection", "street_name", "street_type",
    "street_postdirection", "unit_type", "unit_number", "city", "zip", "county",
    "registration_date", "status", "status_date", "birth_year", "party", "precinct",
    "mailing_address", "phone", "signature_image",
)
HISTORY_COLUMNS = (
    "voter_id", "residence_address", "city", "zip", "county", "status", "valid_from",
    "valid_to",
)
# Default dates: the 2022 Los Angeles County recall of the District Attorney. Format
# approved 2022-01-27, 160 days to file (EC 11220) → 2022-07-06; the voter file is
# "extracted" a few weeks later, during verification.
DEFAULT_CIRCULATION = (date(2022, 1, 27), date(2022, 7, 6))
DEFAULT_AS_OF = date(2022, 8, 1)

STATUSES = ("active", "inactive", "cancelled")
STATUS_SHARES = (0.86, 0.09, 0.05)
PARTIES = ("DEM", "REP", "NPP", "AIP", "LIB", "GRN", "PF", "OTH")
PARTY_SHARES = (0.50, 0.18, 0.25, 0.03, 0.01, 0.01, 0.01, 0.01)
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
HOUSEHOLD_SHARES = (0.38, 0.32, 0.15, 0.10, 0.04, 0.01)
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class CountySummary:
    county: str
    seed: int
    voters: int
    in_county: int
    other_counties: dict[str, int]
    statuses: dict[str, int]
    movers: int
    registered_during_circulation: int
    registered_after_circulation: int
    images: int
    layout: str
    as_of: date
    circulation_from: date
    circulation_to: date
    voters_csv: Path
    history_csv: Path
    files: tuple[Path, ...] = field(default=())

    def as_dict(self) -> dict:
        return asdict(self)


def _days(d: date) -> int:
    return (d - EPOCH).days


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.date32())


def _draw(rng: np.random.Generator, shares: tuple[float, ...], n: int) -> np.ndarray:
    cdf = np.cumsum(shares)
    return np.minimum(np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right"),
                      len(shares) - 1)


@dataclass
class _Context:
    seed: int
    county: str
    upper: bool
    tables: nm.NameTables
    areas: tuple[addr.ZipArea, ...]
    zip_cdf: np.ndarray
    streets: addr.Streets
    zip_str: pa.Array
    city_str: pa.Array
    county_str: pa.Array
    area_str: pa.Array
    home: np.ndarray  # bool per area
    circ: tuple[int, int]
    as_of: int
    images: int
    id_mult: int
    id_add: int


def voter_ids(index: np.ndarray, mult: int, add: int) -> pa.Array:
    """Random-looking 9-digit ids, unique because x → (a·x + b) mod 10⁹ is a bijection."""
    v = (index.astype(np.int64) * mult + add) % 1_000_000_000
    return pc.utf8_lpad(pc.cast(pa.array(v), pa.string()), 9, "0")


def _case(arr: pa.Array, upper: bool) -> pa.Array:
    return pc.utf8_upper(arr) if upper else arr


def _chunk(ctx: _Context, c: int, n: int) -> tuple[pa.Table, pa.Table, dict]:
    rng = np.random.default_rng([ctx.seed, 1, c])
    t = ctx.tables
    # Households, cut to exactly n voters.
    sizes = np.array(HOUSEHOLD_SIZES)[_draw(rng, HOUSEHOLD_SHARES, n // 2 + 64)]
    nh = int(np.searchsorted(np.cumsum(sizes), n)) + 1
    hh = np.repeat(np.arange(nh), sizes[:nh])[:n]
    group_h = _draw(rng, nm.GROUP_SHARES, nh)
    a = addr.draw_addresses(rng, nh, ctx.zip_cdf, ctx.streets)
    l1, l2, hyph = nm.draw_surnames(t, rng, group_h)
    accents_h = (group_h == 1) & (rng.random(nh) < 0.3)

    group = group_h[hh]
    sex = (rng.random(n) < 0.53).astype(np.int8)
    own = rng.random(n) < 0.18  # spouses who kept their name, roommates
    o1, o2, oh = nm.draw_surnames(t, rng, group)
    last1 = np.where(own, o1, l1[hh])
    last2 = np.where(own, o2, l2[hh])
    hyphen = np.where(own, oh, hyph[hh])
    keep = accents_h[hh]
    first = nm.draw_first(t, rng, group, sex)
    middle = nm.draw_middle(t, rng, group, sex)
    middle[middle == first] = -1
    suffix = nm.draw_suffix(rng, group, sex)

    cols: dict[str, pa.Array] = {}
    index = np.arange(c * CHUNK, c * CHUNK + n)
    cols["voter_id"] = voter_ids(index, ctx.id_mult, ctx.id_add)
    cols["first_name"] = t.strings(first, keep)
    cols["middle_name"] = t.strings(middle, keep)
    cols["last_name"] = nm.last_name_strings(t, last1, last2, hyphen, keep)
    cols["name_suffix"] = nm.suffix_strings(suffix)

    hh_addr = addr.address_columns(a, ctx.streets)
    take_hh = pa.array(hh)
    for k, v in hh_addr.items():
        cols[k] = _case(pc.take(v, take_hh), ctx.upper)
    zip_idx = a.zip_idx[hh]
    zi = pa.array(zip_idx)
    cols["city"] = _case(pc.take(ctx.city_str, zi), ctx.upper)
    cols["zip"] = pc.take(ctx.zip_str, zi)
    cols["county"] = pc.take(ctx.county_str, zi)

    # Ages and registration dates over decades, a few during and after circulation.
    year_as_of = 1970 + ctx.as_of // 365
    age = 18 + (rng.beta(1.4, 2.4, n) * 80).astype(np.int64)
    birth_year = year_as_of - age
    c_from, c_to = ctx.circ
    earliest = np.maximum(_days(date(1972, 1, 1)), (birth_year + 18 - 1970) * 365 + 200)
    earliest = np.minimum(earliest, c_from - 30)
    f = rng.random(n) ** 0.55
    reg = (earliest + f * (c_from - 1 - earliest)).astype(np.int64)
    u = rng.random(n)
    during = u < 0.012
    after = (u >= 0.012) & (u < 0.018)
    reg[during] = rng.integers(c_from, c_to + 1, int(during.sum()))
    reg[after] = rng.integers(c_to + 1, ctx.as_of + 1, int(after.sum()))
    status = _draw(rng, STATUS_SHARES, n)
    span = np.maximum(ctx.as_of - reg, 1)
    status_day = reg + (rng.random(n) * span).astype(np.int64)
    cancelled = status == 2
    early = cancelled & (reg < c_from - 60) & (rng.random(n) < 0.85)
    status_day[early] = reg[early] + (rng.random(int(early.sum()))
                                      * (c_from - 1 - reg[early])).astype(np.int64)
    status_day[status == 0] = reg[status == 0]
    cols["registration_date"] = _dates(reg)
    cols["status"] = pc.take(pa.array(STATUSES), pa.array(status))
    cols["status_date"] = _dates(status_day)
    cols["birth_year"] = pa.array(birth_year.astype(np.int32))
    cols["party"] = pc.take(pa.array(PARTIES), pa.array(_draw(rng, PARTY_SHARES, n)))
    precinct = 1_000_000 + (a.street[hh] * 7919 + a.house[hh] // 400) % 8_999_999
    cols["precinct"] = pc.cast(pa.array(precinct), pa.string())
    po = rng.random(n) < 0.04
    pobox = pc.cast(pa.array(rng.integers(1, 9999, n)), pa.string())
    mailing = pc.binary_join_element_wise(
        "PO BOX", pobox, pc.binary_join_element_wise(cols["city"], "CA", cols["zip"], " "), " "
    )
    cols["mailing_address"] = pc.if_else(pa.array(po), mailing, pa.scalar(None, pa.string()))
    has_phone = rng.random(n) < 0.35
    line = pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 100, n)), pa.string()), 2, "0")
    phone = pc.binary_join_element_wise(pc.take(ctx.area_str, zi), "555-01", "-")
    phone = pc.binary_join_element_wise(phone, line, "")
    cols["phone"] = pc.if_else(pa.array(has_phone), phone, pa.scalar(None, pa.string()))
    imaged = index < ctx.images
    paths = pc.binary_join_element_wise("images/voters/", cols["voter_id"], ".png", "")
    cols["signature_image"] = pc.if_else(pa.array(imaged), paths,
                                         pa.scalar(None, pa.string()))
    voters = pa.table([cols[k] for k in VOTER_COLUMNS], names=list(VOTER_COLUMNS))

    # Movers: an earlier address in the same county, closed when they moved.
    mover = (reg < c_from - 400) & (rng.random(n) < 0.09) & ctx.home[zip_idx]
    mrows = np.flatnonzero(mover)
    k = len(mrows)
    old = addr.draw_addresses(rng, k, ctx.zip_cdf, ctx.streets)
    keep_home = ctx.home[old.zip_idx]
    old_cols = addr.address_columns(old, ctx.streets)
    move_day = reg[mrows] + 30 + (rng.random(k) * (ctx.as_of - 40 - reg[mrows])).astype(np.int64)
    oz = pa.array(old.zip_idx)
    hist = pa.table({
        "voter_id": pc.take(cols["voter_id"], pa.array(mrows)),
        "residence_address": _case(old_cols["residence_address"], ctx.upper),
        "city": _case(pc.take(ctx.city_str, oz), ctx.upper),
        "zip": pc.take(ctx.zip_str, oz),
        "county": pc.take(ctx.county_str, oz),
        "status": pa.array(["active"] * k, pa.string()),
        "valid_from": _dates(reg[mrows]),
        "valid_to": _dates(move_day),
    }).filter(pa.array(keep_home))
    counts = {
        "status": np.bincount(status, minlength=3),
        "during": int(during.sum()), "after": int(after.sum()),
        "movers": hist.num_rows,
        "county": np.bincount(zip_idx, minlength=len(ctx.areas)),
    }
    return voters, hist, counts


def _context(seed: int, n_voters: int, county: str, upper: bool, images: int,
             as_of: date, circulation: tuple[date, date]) -> _Context:
    all_areas = addr.state_zips()
    known = {a.county for a in all_areas}
    if county not in known:
        raise ValueError(
            f"unknown county {county!r}; use a California county name such as 'Los Angeles'"
        )
    near = addr.neighbours(county, k=4)
    areas = tuple(a for a in all_areas if a.county == county or a.county in near)
    home = np.array([a.county == county for a in areas])
    w = np.array([a.weight for a in areas])
    # About 1.5% of rows are voters of neighbouring counties, as in a statewide extract.
    w = np.where(home, w / w[home].sum() * 0.985, w / max(w[~home].sum(), 1e-9) * 0.015)
    zip_cdf = np.cumsum(w) / w.sum()
    per_zip_voters = n_voters * w / w.sum()
    per_zip = np.clip(per_zip_voters / 40, 12, 600).astype(np.int64)
    streets = addr.build_streets(areas, per_zip, seed, county)
    rng = np.random.default_rng([seed, 99])
    mult = int(rng.integers(1, 10**8)) * 10 + 3  # odd, not a multiple of 5
    return _Context(
        seed=seed, county=county, upper=upper, tables=nm.name_tables(upper), areas=areas,
        zip_cdf=zip_cdf, streets=streets,
        zip_str=pa.array([a.zip for a in areas]), city_str=pa.array([a.city for a in areas]),
        county_str=pa.array([a.county for a in areas]),
        area_str=pa.array([a.area_code for a in areas]), home=home,
        circ=(_days(circulation[0]), _days(circulation[1])), as_of=_days(as_of),
        images=images, id_mult=mult, id_add=int(rng.integers(0, 10**9)),
    )


def generate_county(
    n_voters: int, seed: int, out_dir: str | Path, county: str = "Los Angeles",
    layout: str = "canonical", images: int = 0, *, upper: bool = True,
    as_of: date = DEFAULT_AS_OF, circulation: tuple[date, date] = DEFAULT_CIRCULATION,
    progress=None,
) -> CountySummary:
    """Write voters.csv, voter_history.csv and county.json into out_dir.

    `images` draws a signature on file for the first that many voters. `circulation`
    only shapes registration dates (some voters register during and after it), so
    that a petition generated with the same dates has late registrants to find.
    """
    from recallkit.synth import layouts

    if n_voters < 1:
        raise ValueError("the county needs at least one voter (--voters)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writer_cols = layouts.writer_for(layout)
    ctx = _context(seed, n_voters, county, upper, images, as_of, circulation)
    voters_csv = out / ("voters.csv" if layout == "canonical" else layouts.file_name(layout))
    history_csv = out / "voter_history.csv"
    n_chunks = (n_voters + CHUNK - 1) // CHUNK
    sizes = [min(CHUNK, n_voters - c * CHUNK) for c in range(n_chunks)]
    status_counts = np.zeros(3, dtype=np.int64)
    county_counts = np.zeros(len(ctx.areas), dtype=np.int64)
    during = after = movers = 0
    delim = layouts.delimiter(layout)
    opts = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    vopts = pacsv.WriteOptions(include_header=True, quoting_style="needed", delimiter=delim)
    vw = hw = None
    for voters, hist, counts in _in_order(ctx, sizes):
        table = writer_cols(voters)
        if vw is None:
            vw = pacsv.CSVWriter(voters_csv, table.schema, write_options=vopts)
            hw = pacsv.CSVWriter(history_csv, hist.schema, write_options=opts)
        vw.write_table(table)
        hw.write_table(hist)
        status_counts += counts["status"]
        county_counts += counts["county"]
        during += counts["during"]
        after += counts["after"]
        movers += counts["movers"]
        if progress:
            progress(voters.num_rows)
    for w in (vw, hw):
        if w is not None:
            w.close()
    by_county: dict[str, int] = {}
    for a, k in zip(ctx.areas, county_counts, strict=True):
        by_county[a.county] = by_county.get(a.county, 0) + int(k)
    n_images = min(images, n_voters)
    files = [voters_csv, history_csv]
    if n_images:
        from recallkit.synth import images as img

        files.append(img.voter_images(voters_csv, out, n_images, layout=layout))
    summary = CountySummary(
        county=county, seed=seed, voters=n_voters, in_county=by_county.pop(county, 0),
        other_counties=dict(sorted(by_county.items())),
        statuses={s: int(k) for s, k in zip(STATUSES, status_counts, strict=True)},
        movers=movers, registered_during_circulation=during,
        registered_after_circulation=after, images=n_images, layout=layout, as_of=as_of,
        circulation_from=circulation[0], circulation_to=circulation[1],
        voters_csv=voters_csv, history_csv=history_csv, files=tuple(files),
    )
    manifest = {k: v for k, v in summary.as_dict().items() if k != "files"}
    (out / "county.json").write_text(
        json.dumps(manifest, default=str, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return summary


def _in_order(ctx: _Context, sizes: list[int]):
    """Chunks computed two at a time (numpy and pyarrow release the GIL), yielded in order."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = []
        for c, s in enumerate(sizes):
            pending.append(pool.submit(_chunk, ctx, c, s))
            if len(pending) > 2:
                yield pending.pop(0).result()
        for fut in pending:
            yield fut.result()
