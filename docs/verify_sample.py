#!/usr/bin/env python3
"""Re-draw a recallkit petition sample with nothing but the Python standard library.

Usage:
    python3 verify_sample.py --seed SEED --ids IDS.txt [--size N] [--tickets]

IDS.txt holds one signature-line id per line (SECTION:PAGE:LINE, as published by the
elections official). The script prints the ids in sample order, one per line; with
--size only the first N (the sample); with --tickets each id is followed by a tab and its
ticket as 64 hex characters.

The method (docs/sampling.md):
    seed_hash = sha256(seed).hexdigest()
    ticket    = int(sha256(seed_hash + "," + id).hexdigest(), 16)
    order     = ids sorted by (ticket, id); the sample of size n is the first n.
"""

import argparse
import hashlib
import sys


def order(seed, ids):
    """All ids as (ticket_hex, id) pairs in sample order."""
    seed_hash = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    keyed = []
    for line_id in ids:
        ticket = hashlib.sha256((seed_hash + "," + line_id).encode("utf-8")).hexdigest()
        keyed.append((int(ticket, 16), line_id, ticket))
    keyed.sort()
    return [(ticket, line_id) for _, line_id, ticket in keyed]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Re-draw a recallkit sample.")
    parser.add_argument("--seed", required=True, help="the public seed (digits)")
    parser.add_argument("--ids", required=True, help="file with one line id per line")
    parser.add_argument("--size", type=int, default=None, help="print only the first N")
    parser.add_argument("--tickets", action="store_true", help="also print each ticket")
    args = parser.parse_args(argv)
    with open(args.ids, encoding="utf-8") as handle:
        ids = [line.strip() for line in handle if line.strip()]
    if len(set(ids)) != len(ids):
        sys.exit("error: some ids appear more than once")
    result = order(args.seed, ids)
    if args.size is not None:
        result = result[: args.size]
    for ticket, line_id in result:
        print(f"{line_id}\t{ticket}" if args.tickets else line_id)


if __name__ == "__main__":
    main()
