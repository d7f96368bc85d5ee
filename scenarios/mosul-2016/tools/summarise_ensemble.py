#!/usr/bin/env python3
"""Forecast table of README §9 from an ensemble's fates_ensemble.csv.

usage: python3 scenarios/mosul-2016/tools/summarise_ensemble.py out/mosul-ens/fates_ensemble.csv
Prints mean (5-95 %) per fate on the key dates (`with_hosts`: the two host places, not in camps).
"""
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
D = {(int(r["day"]), r["fate"]): r for r in rows}
DAYS = [(15, "1 Nov"), (45, "1 Dec"), (99, "24 Jan"), (125, "19 Feb"), (160, "26 Mar"),
        (199, "4 May"), (221, "26 May"), (255, "29 Jun"), (265, "9 Jul")]
FATES = ["displaced", "in_camps", "with_hosts", "in_open",
         "in_transit", "waiting_to_cross", "trapped", "stayed", "detained", "screening_pending",
         "bused", "dead_shot", "dead_drowned", "dead_in_custody"]


def fmt(r):
    return f"{float(r['mean']):,.0f} ({float(r['p5']):,.0f}–{float(r['p95']):,.0f})"


print("| fate | " + " | ".join(f"d{d} {s}" for d, s in DAYS) + " |")
print("|---" * (len(DAYS) + 1) + "|")
for fate in FATES:
    if (265, fate) in D:
        print(f"| {fate} | " + " | ".join(fmt(D[(d, fate)]) for d, _ in DAYS) + " |")
if (265, "in camp Hosts_East_Mosul") in D:
    print("\ncamps without host nodes (mean): " + ", ".join(
        f"d{d} {float(D[(d, 'in_camps')]['mean']) - float(D[(d, 'in camp Hosts_East_Mosul')]['mean']) - float(D[(d, 'in camp Hosts_South')]['mean']):,.0f}"
        for d, _ in DAYS))
    print("\nat d265:")
    for (d, fate), r in sorted(D.items()):
        if d == 265 and fate.startswith("in camp"):
            print(f"  {fate}: {fmt(r)}")
