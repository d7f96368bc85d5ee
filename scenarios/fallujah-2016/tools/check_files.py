#!/usr/bin/env python3
"""Consistency checks for the fallujah-2016 scenario files.

  * locations.csv / routes.csv follow the Flee layout (docs/flee-model.md 2.1, 2.2):
    '#' header, integer population/capacity, numeric coordinates, route
    endpoints that are location names, distances >= 0.5 km, no duplicate routes;
  * observed/*.csv parse, have the expected columns, and day = date - 2016-05-22;
  * every location, route and crossing named in params.yml exists;
  * exit shares sum to 1 per (origin, period), and every exit with a share has
    a hazard row and a route;
  * every value line of params.yml carries a '# source' or '# [EST]'/'[CALC]' comment.

Usage: python3 tools/check_files.py     (exit status 1 on any error)
"""
import csv
import datetime
import os
import re
import sys
from collections import defaultdict

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D0 = datetime.date(2016, 5, 22)
errors = []


def err(msg):
    errors.append(msg)


def rows(path):
    with open(os.path.join(ROOT, path), newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


# ---- locations ----
loc_rows = rows("locations.csv")
if loc_rows[0] != ["#name", "region", "country", "lat", "lon", "location_type", "conflict_date",
                   "population_or_capacity"]:
    err(f"locations.csv header: {loc_rows[0]}")
locs = {}
for r in loc_rows[1:]:
    if not r or r[0].startswith("#"):
        continue
    if len(r) != 8:
        err(f"locations.csv row has {len(r)} fields: {r}")
        continue
    name, region, country, lat, lon, typ, cdate, pop = r
    if name in locs:
        err(f"duplicate location {name}")
    if region not in ("Anbar", "Baghdad") or country != "Iraq":
        err(f"region/country for {name}")
    if typ not in ("conflict_zone", "town", "camp"):
        err(f"type {typ} for {name}")
    float(lat), float(lon)
    if not (32.5 < float(lat) < 34.5 and 42.5 < float(lon) < 45.0):
        err(f"coordinates out of area for {name}")
    if typ == "conflict_zone" and not re.fullmatch(r"-?\d+", cdate):
        err(f"conflict_zone {name} needs an integer conflict_date")
    if not re.fullmatch(r"\d+", pop):
        err(f"population/capacity of {name} is not an integer: {pop}")
    locs[name] = dict(type=typ, pop=int(pop), cdate=cdate)

# ---- routes ----
route_rows = rows("routes.csv")
if route_rows[0] != ["#name1", "name2", "distance", "forced_redirection"]:
    err(f"routes.csv header: {route_rows[0]}")
routes = set()
for r in route_rows[1:]:
    if not r or r[0].startswith("#"):
        continue
    a, b, dist, forced = r
    for n in (a, b):
        if n not in locs:
            err(f"route endpoint {n} is not a location")
    if float(dist) < 0.5:
        err(f"route {a}-{b} shorter than 0.5 km")
    if not re.fullmatch(r"\d+(\.\d)?", dist):
        err(f"route {a}-{b} distance not integer or one decimal: {dist}")
    if forced not in ("", "0"):
        err(f"route {a}-{b} forced_redirection {forced}")
    if (a, b) in routes or (b, a) in routes:
        err(f"duplicate route {a}-{b}")
    routes.add((a, b))
linked = {n for ab in routes for n in ab}
for n in locs:
    if n not in linked:
        err(f"location {n} has no route")


def has_route(a, b):
    return (a, b) in routes or (b, a) in routes


# ---- observed ----
def check_obs(path, cols, intcol):
    rr = rows(path)
    if rr[0] != cols:
        err(f"{path} header {rr[0]}")
    out = []
    for r in rr[1:]:
        if len(r) != len(cols):
            err(f"{path}: bad row {r}")
            continue
        rec = dict(zip(cols, r))
        day = (datetime.date.fromisoformat(rec["date"]) - D0).days
        if day != int(rec["day"]):
            err(f"{path}: day {rec['day']} != {day} for {rec['date']}")
        int(rec[intcol])
        if not rec["source"].startswith("#"):
            err(f"{path}: source without #n: {rec['source']}")
        out.append(rec)
    return out


disp = check_obs("observed/displaced.csv", ["date", "day", "people", "source", "quality"], "people")
for r in disp:
    if r["quality"] not in ("iom_dtm", "other"):
        err(f"quality {r['quality']}")
iom = sorted((int(r["day"]), int(r["people"])) for r in disp if r["quality"] == "iom_dtm")
if iom != [(18, 25380), (22, 43470), (24, 53124), (25, 68286), (29, 85374)]:
    err(f"IOM series differs: {iom}")
camps = check_obs("observed/camps.csv", ["date", "day", "location", "people", "kind", "source"], "people")
for r in camps:
    if r["kind"] not in ("stock", "cumulative_arrivals", "capacity"):
        err(f"camps.csv kind {r['kind']}")
    for n in r["location"].split("|"):
        if n not in locs:
            err(f"camps.csv location {n} unknown")
check_obs("observed/harm.csv", ["date", "day", "what", "count", "source"], "count")

# ---- params.yml ----
with open(os.path.join(ROOT, "params.yml")) as f:
    text = f.read()
P = yaml.safe_load(text)
for i, line in enumerate(text.splitlines(), 1):
    s = line.strip()
    if not s or s.startswith("#"):
        continue
    body = s.split("#")[0].rstrip()
    if body.endswith(":") or body == "-":      # structural key with nested block
        continue
    if "#" not in s:
        err(f"params.yml line {i} has no source/[EST] comment: {s}")
    else:
        c = s[s.index("#"):]
        if not re.search(r"source|\[EST\]|\[CALC\]|WHAT-IF|not a data value", c):
            err(f"params.yml line {i} comment lacks a source or [EST]: {s}")

for name in P["population"]["initial_trapped"]:
    if name not in locs or locs[name]["type"] != "conflict_zone":
        err(f"initial_trapped {name} not a conflict_zone in locations.csv")
    elif P["population"]["initial_trapped"][name] != locs[name]["pop"]:
        err(f"initial_trapped {name} differs from locations.csv")
tot = sum(P["population"]["initial_trapped"][n] for n in P["meta"]["validation_origins"])
if tot != P["population"]["total_fallujah_district"]:
    err("total_fallujah_district is not the sum of the validation origins")

periods = P["siege"]["periods"]
pids = {(loc, p["id"]) for loc, pl in periods.items() for p in pl}
for loc, pl in periods.items():
    if loc not in locs:
        err(f"periods: unknown location {loc}")
    prev = None
    for p in pl:
        if prev is not None and p["first"] != prev + 1:
            err(f"periods of {loc} not contiguous at {p['id']}")
        prev = p["last"]
for a in P["siege"]["attempt_share"]:
    if (a["location"], a["period"]) not in pids:
        err(f"attempt_share for unknown period {a}")
    if not 0 <= a["value"] <= 1:
        err(f"attempt_share out of range {a}")
for key in pids:
    if key not in {(a["location"], a["period"]) for a in P["siege"]["attempt_share"]}:
        err(f"no attempt_share for {key}")
sums = defaultdict(float)
hz = {(h["from"], h["to"], h["period"]) for h in P["exits"]["hazards"]}
for e in P["siege"]["exit_share"]:
    sums[(e["from"], e["period"])] += e["value"]
    if not has_route(e["from"], e["to"]):
        err(f"exit_share without a route: {e['from']}->{e['to']}")
    if (e["from"], e["to"], e["period"]) not in hz:
        err(f"no hazard row for exit {e}")
for k, v in sums.items():
    if abs(v - 1) > 1e-9:
        err(f"exit shares of {k} sum to {v}")
for h in P["exits"]["hazards"]:
    if (h["from"], h["period"]) not in pids:
        err(f"hazard for unknown period {h}")
    if not has_route(h["from"], h["to"]):
        err(f"hazard without a route {h}")
    if h["turned_back"] + h["shot"] > 1:
        err(f"hazard probabilities exceed 1 {h}")
for w in P["exits"]["windows"]:
    if not has_route(w["from"], w["to"]):
        err(f"window without a route {w}")
for o in P["exits"]["shot_override"] + P["exits"]["other_routes"]:
    if not has_route(o["from"], o["to"]):
        err(f"route rule without a route {o}")
cross_names = {c["name"] for c in P["river_crossings"]}
for c in P["river_crossings"]:
    if not has_route(c["near_bank"], c["far_side"]) and c["near_bank"] != "Euphrates_Crossing":
        err(f"crossing {c['name']} has no route")
    for n in (c["near_bank"], c["far_side"]):
        if n not in locs:
            err(f"crossing node {n} unknown")
if not has_route("Euphrates_Crossing", "Camp_Tariq"):
    err("Euphrates crossing link missing")
scr = P["screening"]
for site in scr["sites"]:
    if site["site"] not in locs:
        err(f"screening site {site['site']} unknown")
for n in scr["transit_nodes_without_screening"] + scr["default_site"]["applies_at"]:
    if n not in locs:
        err(f"screening node {n} unknown")
for camp, sched in P["camps"]["capacity_people"].items():
    if camp not in locs or locs[camp]["type"] != "camp":
        err(f"capacity for non-camp {camp}")
    elif sched[0]["day"] != 0 or sched[0]["value"] != locs[camp]["pop"]:
        err(f"d0 capacity of {camp} differs from locations.csv")
for camp, tg in P["camps"]["relocation"]["targets"].items():
    for n in [camp] + tg:
        if n not in locs:
            err(f"relocation node {n} unknown")
for vr in P["movement"]["vehicle_routes"]:
    a, b = vr.split("->")
    if not has_route(a, b):
        err(f"vehicle route {vr} unknown")
days = []
for iv in P["interventions"]:
    days.append(iv["day"])
    t = iv["target"]
    if "->" in t:
        a, b = t.split("->")
        if not has_route(a, b):
            err(f"intervention route {t} unknown")
    elif t not in locs and t not in cross_names:
        err(f"intervention target {t} unknown")
if days != sorted(days):
    err("interventions not in chronological order")

if errors:
    print("ERRORS:")
    for e in errors:
        print(" -", e)
    sys.exit(1)
print(f"OK: {len(locs)} locations, {len(routes)} routes, {len(disp)} displacement points, "
      f"{len(camps)} camp points, {len(P['interventions'])} interventions")
