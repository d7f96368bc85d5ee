#!/usr/bin/env python3
"""Expected-value check of params.yml against the observed series.

This is NOT the simulator. It pushes expected numbers of people (no randomness,
no agents, no travel time) through the siege rules of params.yml to show the
arithmetic behind the attempt shares, hazards and screening holds:

  * daily: attempts = attempt_share x trapped pool; split over open exits;
    turned-back return to the pool; shot are removed; the rest reach the first
    safe node, or the bank queue of a river crossing (FIFO, capacity per day,
    drowning and shooting while crossing, give up after max_wait_days);
  * displaced(d) = cumulative people from validation_origins who reached safety;
  * screening: men = share_male_12plus x arrivals, held per the hold_days rules,
    compared with the JOC figures for d35 (#58) and Saqlawiyah d12 (#54).

Usage: python3 tools/derive_rates.py [path/to/params.yml] [--what-if army_boats]
Needs PyYAML.
"""
import csv
import os
import sys
from collections import defaultdict

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def period_of(periods, loc, day):
    for p in periods.get(loc, []):
        if p["first"] <= day <= p["last"]:
            return p["id"]
    return None


def schedule(points, day, key="from_day"):
    val = None
    for pt in points:
        if pt[key] <= day:
            val = pt["value"]
    return val


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--") and a != "army_boats"]
    P = load(args[0] if args else os.path.join(ROOT, "params.yml"))
    boats = P["what_if"]["army_boats"] if "army_boats" in sys.argv[1:] else None
    if boats:
        print("WHAT-IF army_boats (not history):", boats, "\n")
    end = P["meta"]["end_day"]
    hh = P["households"]["people_per_household"]
    male = P["demography"]["share_male_12plus"]
    origins = set(P["meta"]["validation_origins"])
    periods = P["siege"]["periods"]
    pool = dict(P["population"]["initial_trapped"])

    attempt = {(a["location"], a["period"]): a["value"] for a in P["siege"]["attempt_share"]}
    shares = defaultdict(list)
    for e in P["siege"]["exit_share"]:
        shares[(e["from"], e["period"])].append((e["to"], e["value"]))
    windows = {(w["from"], w["to"]): w["open"] for w in P["exits"]["windows"]}
    hazard = {(h["from"], h["to"], h["period"]): (h["turned_back"], h["shot"]) for h in P["exits"]["hazards"]}
    override = {(o["day"], o["from"], o["to"]): o["shot"] for o in P["exits"]["shot_override"]}
    crossings = {c["near_bank"]: c for c in P["river_crossings"]}
    # a crossing is entered either by moving onto its near bank (Euphrates) or by
    # leaving the near bank itself towards the far side (Jazeera)
    queues = {c["name"]: [] for c in P["river_crossings"]}  # items: [day_joined, people, origin]

    print("Attempt share p, mean success s per attempt (exits open on the period's last day), net daily exit rate p*s")
    for per_list_loc, plist in periods.items():
        for per in plist:
            d_last = per["last"]
            opts = [(to, w) for to, w in shares.get((per_list_loc, per["id"]), [])
                    if windows.get((per_list_loc, to)) is None
                    or windows[(per_list_loc, to)][0] <= d_last <= windows[(per_list_loc, to)][1]]
            tot = sum(w for _, w in opts)
            succ = sum(w / tot * (1 - hazard[(per_list_loc, to, per["id"])][0] - hazard[(per_list_loc, to, per["id"])][1])
                       for to, w in opts)
            pa = attempt.get((per_list_loc, per["id"]), 0.0)
            print(f"  {per_list_loc:22s} {per['id']:8s} p={pa:.4f} s={succ:.3f} p*s={pa*succ:.4f}")
    print()
    disp = defaultdict(float)          # day -> people reaching safety (validation origins)
    arrivals_at = defaultdict(lambda: defaultdict(float))  # node -> day -> people
    arrivals_orig = defaultdict(float)  # (node, day, origin) -> people
    shot_by_day = defaultdict(float)
    pool_log = {}
    drowned_by_day = defaultdict(float)
    crossed_by_day = defaultdict(float)
    tb_total = 0.0
    attempts_total = 0.0
    by_origin = defaultdict(float)

    def arrive(node, day, people, origin):
        arrivals_at[node][day] += people
        arrivals_orig[(node, day, origin)] += people
        by_origin[origin] += people
        if origin in origins:
            disp[day] += people

    for d in range(end + 1):
        for loc in list(pool):
            per = period_of(periods, loc, d)
            if per is None or pool[loc] <= 0:
                continue
            A = attempt.get((loc, per), 0.0) * pool[loc]
            opts = []
            for to, w in shares.get((loc, per), []):
                win = windows.get((loc, to))
                if win is not None and not (win[0] <= d <= win[1]):
                    continue
                opts.append((to, w))
            tot = sum(w for _, w in opts)
            if tot <= 0:
                continue
            attempts_total += A
            for to, w in opts:
                a = A * w / tot
                tb, sh = hazard[(loc, to, per)]
                if boats and d >= boats["start_day"] and to == "Euphrates_Crossing":
                    tb *= 1 - boats["turned_back_reduction"]
                sh = override.get((d, loc, to), sh)
                killed, back = a * sh, a * tb
                through = a - killed - back
                shot_by_day[d] += killed
                tb_total += back
                pool[loc] -= a - back
                if to in crossings:                      # onto the near bank of a river
                    queues[crossings[to]["name"]].append([d, through, loc])
                elif loc in crossings and crossings[loc]["far_side"] == to:  # leaving across the river
                    queues[crossings[loc]["name"]].append([d, through, loc])
                else:
                    arrive(to, d, through, loc)
        if d in (15, 19, 24, 29, 35):
            pool_log[d] = {k: round(v) for k, v in pool.items()}
        # serve river queues
        for c in P["river_crossings"]:
            q = queues[c["name"]]
            capacity = schedule(c["capacity_households_per_day"], d) * hh
            pdrown = schedule(c["drowning_prob"], d)
            pshot = schedule(c["shot_while_crossing"], d)
            if boats and c is P["river_crossings"][0] and d >= boats["start_day"]:
                capacity += boats["extra_capacity_households_per_day"] * hh
                # boats carry people first; improvised craft keep their risks for the rest
                nb = min(boats["extra_capacity_households_per_day"] * hh, sum(x[1] for x in q))
                served = min(capacity, sum(x[1] for x in q))
                share_b = nb / served if served > 0 else 0
                pdrown = share_b * boats["drowning_prob"] + (1 - share_b) * pdrown
                pshot = share_b * boats["shot_while_crossing"] + (1 - share_b) * pshot
            # give up after max_wait_days
            keep = []
            for item in q:
                if d - item[0] > c["max_wait_days"]:
                    pool[item[2]] += item[1]
                else:
                    keep.append(item)
            q[:] = keep
            while q and capacity > 1e-9:
                x = min(capacity, q[0][1])
                capacity -= x
                q[0][1] -= x
                dr, sh = x * pdrown, x * pshot
                drowned_by_day[d] += dr
                if c["name"] == P["river_crossings"][0]["name"]:
                    crossed_by_day[d] += x
                shot_by_day[d] += sh
                arrive(c["far_side"], d, x - dr - sh, q[0][2])
                if q[0][1] <= 1e-9:
                    q.pop(0)

    # ---- displacement fit ----
    obs = []
    with open(os.path.join(ROOT, "observed", "displaced.csv")) as f:
        for r in csv.DictReader(f):
            obs.append((int(r["day"]), int(r["people"]), r["quality"]))
    cum, c = {}, 0.0
    for d in range(end + 1):
        c += disp[d]
        cum[d] = c
    print("Cumulative displaced from validation origins (expected value) vs observed")
    print(" day   model   observed (quality)")
    for d, v, q in obs:
        if d <= end:
            m = cum[d]
            flag = f"  rel.err {100*(m-v)/v:+.0f}%" if q == "iom_dtm" else ""
            print(f" {d:3d} {m:8.0f}   {v:7d} ({q}){flag}")
    iom = [(d, v) for d, v, q in obs if q == "iom_dtm"]
    mare = sum(abs(cum[d] - v) / v for d, v in iom) / len(iom)
    print(f" mean abs. relative error on the IOM points: {100*mare:.1f}%")
    for d, row in pool_log.items():
        print(f" trapped after day {d}'s departures: {row}")
    print(" remaining trapped at end:", {k: round(v) for k, v in pool.items()})
    print(" reached safety by origin (cumulative):")
    for day in (9, 13, 15, 18, 22, 25, 29, 44):
        row = {o: round(sum(v for (n, dd, oo), v in arrivals_orig.items() if oo == o and dd <= day)) for o in pool}
        print(f"  d{day}: {row}")

    # ---- destinations ----
    def cum_at(node, day):
        return sum(v for dd, v in arrivals_at[node].items() if dd <= day)
    print("\nArrivals at first safe node (cumulative):")
    for day in (9, 14, 22, 24, 25, 29, 44):
        row = {n: round(cum_at(n, day)) for n in sorted(arrivals_at)}
        print(f" d{day}: {row}")
    south_nodes = ["Camp_Tariq"] + list(P["screening"]["transit_nodes_without_screening"])
    aaf = lambda day: round(sum(cum_at(n, day) for n in south_nodes))
    print(" AAF-bound (first safe node Camp_Tariq or a transit node feeding it) by d24/d25:", aaf(24), aaf(25),
          " observed AAF >44,000 / >56,000 (#14, #15)")

    # ---- harm ----
    s = lambda dd, upto: sum(v for k, v in dd.items() if k <= upto)
    print("\nHarm (expected):")
    print(f" shot by d2: {s(shot_by_day, 2):.1f} (obs 3, #2); shot on d19: {shot_by_day[19]:.1f} (obs >=30, #49);"
          f" shot total: {s(shot_by_day, end):.0f}")
    print(f" drowned by d13: {s(drowned_by_day, 13):.1f} (obs 4 dead + 9 missing in one sinking, #45);"
          f" by d17: {s(drowned_by_day, 17):.1f} (obs >10, #47); by d21: {s(drowned_by_day, 21):.1f} (obs >=12, #48);"
          f" total: {s(drowned_by_day, end):.0f}")
    print(f" crossed the Euphrates (farmland crossing) by d14: {s(crossed_by_day, 14):.0f} people"
          f" = {s(crossed_by_day, 14)/hh:.0f} households (obs >1,000 families by ~d14, #44); total {s(crossed_by_day, end):.0f}")
    print(f" household attempts (people) total: {attempts_total:.0f}; turned back total: {tb_total:.0f}")

    # ---- screening ----
    scr = P["screening"]
    tariq = [x for x in scr["sites"] if x["site"] == "Camp_Tariq"][0]
    def hold_rule(rules, day):
        for r in rules:
            if r["arrivals"][0] <= day <= r["arrivals"][1]:
                return r["min"], r["max"]
    men_total = decided = 0.0
    for (node, day, origin), people in arrivals_orig.items():
            if day > 35 or origin == "Saqlawiyah":   # Saqlawiyah leavers are screened at Saqlawiyah (below)
                continue
            men = male * people
            if node == "Camp_Tariq" or node in scr["transit_nodes_without_screening"]:
                lo, hi = hold_rule(tariq["hold_days"], day)
            elif node == "Saqlawiyah":
                lo, hi = 1, 7   # after_investigation regime
            else:
                lo, hi = scr["default_site"]["hold_days"]["min"], scr["default_site"]["hold_days"]["max"]
            n = hi - lo + 1
            frac = sum(1 for h in range(lo, hi + 1) if day + h <= 35) / n
            men_total += men
            decided += men * frac
    # men leaving Saqlawiyah itself on d12-d13 are screened there
    saq_men = male * (by_origin["Saqlawiyah"])
    men_total += saq_men
    decided += saq_men
    print("\nScreening by d35 (JOC, #58: ~20,000 screened; 11,605 released + 2,185 suspects = 13,790 decided;"
          " ~7,000 pending):")
    print(f" men screened {men_total:.0f}; decided {decided:.0f} ({100*decided/men_total:.0f}%);"
          f" pending {men_total-decided:.0f}; of decided, suspects at 0.11: {0.11*decided:.0f}")
    saq_d12 = male * sum(v for node in arrivals_at for dd, v in arrivals_at[node].items() if dd == 12) 
    print(f" men reaching safety on d12 (all origins, Saqlawiyah column dominates): {saq_d12:.0f} (obs ~1,300 separated, #54)")


if __name__ == "__main__":
    main()
