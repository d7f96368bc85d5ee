#!/usr/bin/env python3
"""Minimal Flee driver for benchmarking: the equivalent of Flee's
`runscripts/run.py <input_csv> <source_data> <days> [simsetting.yml] > out.csv`.

The PyPI package `flee` ships only the library, not the run scripts, so this
is our own driver written against the installed library API (docs/flee-model.md 4.1, 4.2
and 5).  It is written for flee 3.1 (PyPI) and also copes with the newer
upstream API where the two differ (read_sim_period / Ecosystem(start_date)).

Usage:
    python3 flee_run.py <input_csv_dir> <source_data_dir> <days> [simsetting.yml] > out.csv

<days> <= 0 means: take `Length` from <input_csv_dir>/sim_period.csv.

Option (environment variable) FLEE_RUN_RAW_DAY0_TOTAL=1: emulate newer Flee's
day-0 accounting of the `raw UNHCR refugee count` column (see README.md);
it only changes that output column, never the simulation.
"""
import inspect
import os
import sys
from datetime import datetime, timedelta

import yaml

from flee import flee, spawning, InputGeography
from flee.datamanager import handle_refugee_data, read_period
from flee.SimulationSettings import SimulationSettings
import flee.postprocessing.analysis as analysis


def read_period_file(path):
    if hasattr(read_period, "read_sim_period"):
        return read_period.read_sim_period(path)
    return read_period.read_conflict_period(path)


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    in_dir = os.path.abspath(argv[1])
    src_dir = os.path.abspath(argv[2])
    days = int(argv[3])
    yml = os.path.abspath(argv[4]) if len(argv) > 4 else os.path.abspath("simsetting.yml")

    # 1. Simulation period (+ CLI override).
    start_date, end_time = read_period_file(os.path.join(in_dir, "sim_period.csv"))
    if days > 0:
        end_time = days

    # 2. Settings.
    SimulationSettings.ReadFromYML(yml)
    with open(yml) as f:
        raw_yml = yaml.safe_load(f) or {}
    spawn_yml = raw_yml.get("spawn_rules") or {}
    sum_from_camps = bool(spawn_yml.get("sum_from_camps", True))
    hasten = SimulationSettings.optimisations["PopulationScaleDownFactor"]

    # 3. Conflicts file.
    SimulationSettings.ConflictInputFile = os.path.join(in_dir, "conflicts.csv")

    # Flee 3.1 looks for demographics as ./input_csv/demographics_*.csv, so run
    # from the directory that holds the input directory (as FabFlee does).
    os.chdir(os.path.dirname(in_dir))

    # 4. Ecosystem.
    if len(inspect.signature(flee.Ecosystem.__init__).parameters) > 1:
        e = flee.Ecosystem(start_date, demographics_test_prefix=in_dir)
    else:
        e = flee.Ecosystem()

    # 5-8. Geography.
    ig = InputGeography.InputGeography()
    if os.path.exists(SimulationSettings.ConflictInputFile):
        ig.ReadConflictInputCSV(SimulationSettings.ConflictInputFile)
    ig.ReadLocationsFromCSV(os.path.join(in_dir, "locations.csv"))
    ig.ReadLinksFromCSV(os.path.join(in_dir, "routes.csv"))
    ig.ReadClosuresFromCSV(os.path.join(in_dir, "closures.csv"))
    e, lm = ig.StoreInputGeographyInEcosystem(e)

    # 9. Optional agents.csv.
    if SimulationSettings.spawn_rules.get("read_from_agents_csv_file", False):
        ig.ReadAgentsFromCSV(e, os.path.join(in_dir, "agents.csv"))

    # 10. Validation data (+ registration corrections).
    table_kwargs = dict(csvformat="generic", data_directory=src_dir, start_date=start_date,
                        data_layout="data_layout.csv", population_scaledown_factor=hasten)
    if "start_empty" in inspect.signature(handle_refugee_data.RefugeeTable.__init__).parameters:
        table_kwargs["start_empty"] = SimulationSettings.spawn_rules.get("EmptyCampsOnDay0", False)
    d = handle_refugee_data.RefugeeTable(**table_kwargs)
    corrections = os.path.join(in_dir, "registration_corrections.csv")
    if os.path.exists(corrections):
        d.ReadL1Corrections(corrections)

    # 11-12. Camps (output column order) and day-0 agents.
    camp_names = e.get_camp_names()
    header = "Day,Date,"
    for name in camp_names:
        spawning.add_initial_refugees(e, d, lm[name])
        header += "%s sim,%s data,%s error," % (name, name, name)
    header += ("Total error,refugees in camps (UNHCR),total refugees (simulation),"
               "raw UNHCR refugee count,refugees in camps (simulation),refugee_debt")
    idp_totals = SimulationSettings.log_levels.get("idp_totals", 0) > 0
    if idp_totals:
        header += ",total IDPs"

    out = sys.stdout
    out.write(header + "\n")

    spawn_params = inspect.signature(spawning.spawn_daily_displaced).parameters
    spawn_kwargs = {"SumFromCamps": sum_from_camps} if "SumFromCamps" in spawn_params else {}
    raw_offset = 0
    if os.environ.get("FLEE_RUN_RAW_DAY0_TOTAL") == "1" and sum_from_camps:
        raw_offset = int(d.get_field("total", 0))
    date0 = datetime.strptime(start_date, "%Y-%m-%d")
    camps = [lm[name] for name in camp_names]

    # Daily loop (docs/flee-model.md 4.2).
    for t in range(0, end_time):
        ig.AddNewConflictZones(e, t)
        _new, refugees_raw, refugee_debt = spawning.spawn_daily_displaced(e, t, d, **spawn_kwargs)
        refugees_raw += raw_offset
        spawning.refresh_spawn_weights(e)
        e.enact_border_closures(t)
        e.evolve()

        # Output row (docs/flee-model.md 5).
        loc_data = [d.get_field(name, t) for name in camp_names]
        in_camps_sim = sum(c.numAgents for c in camps)
        date = getattr(e, "date_string", None) or (date0 + timedelta(days=t + 1)).strftime("%Y-%m-%d")
        row = ["%s,%s" % (t, date)]
        abs_errors = []
        for c, data in zip(camps, loc_data):
            row.append("%s,%s,%s" % (c.numAgents, data, analysis.rel_error(c.numAgents, data)))
            abs_errors.append(analysis.abs_error(c.numAgents, data))
        if refugees_raw > 0:
            row.append("%s,%s,%s,%s,%s,%s" % (float(sum(abs_errors)) / float(refugees_raw), int(sum(loc_data)),
                                              e.numAgents(), refugees_raw, in_camps_sim, refugee_debt))
        else:
            row.append("0.0,0,%s,0,%s,0" % (e.numAgents(), in_camps_sim))
        if idp_totals:
            row.append(str(e.numIDPs()))
        out.write(",".join(row) + "\n")
        out.flush()  # complete rows survive a --flee-timeout kill
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
