#!/usr/bin/env python3
"""Compare the deterministic columns of two Flee-format out.csv files.

Usage: compare_det.py <out.csv> <reference.csv>

Deterministic columns (docs/flee-model.md section 11): every `<camp> data` column,
`refugees in camps (UNHCR)`, `total refugees (simulation)`,
`raw UNHCR refugee count` and `refugee_debt`. Values are compared as numbers.
Exit status 0 if all equal, 1 otherwise (a short diff report goes to stdout).
"""
import csv
import sys

FIXED = ["refugees in camps (UNHCR)", "total refugees (simulation)",
         "raw UNHCR refugee count", "refugee_debt"]


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    return header, [r for r in rows[1:] if r]


def num(x):
    try:
        return float(x)
    except ValueError:
        return x


def ard(header, rows):
    """Averaged relative difference (docs/flee-model.md 6.1): (normal, rescaled)."""
    camps = [h[:-4] for h in header if h.endswith(" sim")]
    iu = header.index("refugees in camps (UNHCR)")
    normal = rescaled = 0.0
    for r in rows:
        sims = [float(r[header.index(c + " sim")]) for c in camps]
        datas = [float(r[header.index(c + " data")]) for c in camps]
        u = float(r[iu])
        s = sum(sims)
        scale = u / s if s > 0 else 0.0
        normal += sum(round(abs(y - d), 4) for y, d in zip(sims, datas)) / max(u, 1.0)
        rescaled += sum(round(abs(y * scale - d), 4) for y, d in zip(sims, datas)) / max(u, 1.0)
    n = max(len(rows), 1)
    return normal / n, rescaled / n


def main(a_path, b_path):
    ha, ra = load(a_path)
    hb, rb = load(b_path)
    for name, h, r in (("run", ha, ra), ("reference", hb, rb)):
        try:
            n, s = ard(h, r)
            print("ARD %-9s normal %.4f rescaled %.4f  (%s)" % (name, n, s, a_path if name == "run" else b_path))
        except (ValueError, IndexError):
            pass
    cols = [h for h in hb if h.endswith(" data")] + [h for h in FIXED if h in hb]
    bad = 0
    missing = [c for c in cols if c not in ha]
    if missing:
        print("missing columns in %s: %s" % (a_path, missing))
        return 1
    n = min(len(ra), len(rb))
    note = ""
    if len(ra) != len(rb):
        # A run cut off by a timeout, or a reference that was cut off
        # (ukraine2022): compare the days both files have.
        note = " (first %d of %d/%d days)" % (n, len(ra), len(rb))
        print("row count differs: %d vs %d; comparing the first %d days" % (len(ra), len(rb), n))
    for c in cols:
        ia, ib = ha.index(c), hb.index(c)
        diffs = [(t, x[ia], y[ib]) for t, (x, y) in enumerate(zip(ra[:n], rb[:n])) if num(x[ia]) != num(y[ib])]
        if diffs:
            bad += 1
            t, x, y = diffs[0]
            print("column %r: %d rows differ, first at day %d: %s vs %s" % (c, len(diffs), t, x, y))
    print("deterministic columns (%d): %s%s" % (len(cols), "MATCH" if bad == 0 and n > 0 else "DIFFER", note))
    if n == 0:
        bad += 1
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
