"""Sensitivity of a Flee scenario to two movement rules, with EasyVVUQ calling
corridor.run in-process (no files, no subprocesses).

    pip install . easyvvuq      # from the repository root
    python python/examples/sensitivity_easyvvuq.py [--order 2] [--hasten 20]

A polynomial chaos expansion (EasyVVUQ's PCESampler, (order+1)^2 runs) over
move_rules.default_movechance and move_rules.max_move_speed on Burundi 2015;
prints the first-order Sobol indices of the ARD (rescaled) and of the people in
camps on the last day.
"""

import argparse
import os
import tempfile

import chaospy as cp
import easyvvuq as uq
import numpy as np

import corridor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(ROOT, "data", "flee", "scenarios", "burundi2015")


def scalar(x):
    """EasyVVUQ's statistics are arrays of one element for a scalar QoI."""
    return float(np.asarray(x).ravel()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--order", type=int, default=2, help="polynomial order (runs: (order+1)^2)")
    ap.add_argument("--hasten", type=int, default=20, help="divide populations by this")
    ap.add_argument("--scenario", default=SCENARIO)
    args = ap.parse_args()

    def model(params):
        # One run per sample, in this process: settings as a dict.
        r = corridor.run(
            args.scenario,
            settings={
                "move_rules": {
                    "default_movechance": params["default_movechance"],
                    "max_move_speed": params["max_move_speed"],
                }
            },
            hasten=args.hasten,
            seed=1,
        )
        last = r.out.iloc[-1]
        return {
            "ard_rescaled": r.summary["ard_rescaled"],
            "in_camps": float(last["refugees in camps (simulation)"]),
        }

    params = {
        "default_movechance": {"type": "float", "min": 0.0, "max": 1.0, "default": 0.3},
        "max_move_speed": {"type": "float", "min": 1.0, "max": 2000.0, "default": 360.0},
    }
    vary = {
        "default_movechance": cp.Uniform(0.2, 0.8),
        "max_move_speed": cp.Uniform(100.0, 600.0),
    }
    with tempfile.TemporaryDirectory() as work_dir:
        campaign = uq.Campaign(
            name="corridor_sa_",
            params=params,
            actions=uq.actions.Actions(uq.actions.ExecutePython(model)),
            work_dir=work_dir,
        )
        campaign.set_sampler(uq.sampling.PCESampler(vary=vary, polynomial_order=args.order))
        campaign.execute().collate()
        results = campaign.analyse(qoi_cols=["ard_rescaled", "in_camps"])
        runs = len(campaign.get_collation_result())
        print(f"{runs} corridor runs of {os.path.basename(args.scenario)} (hasten {args.hasten})")
        for qoi in ("ard_rescaled", "in_camps"):
            print(f"\n{qoi}: mean {scalar(results.describe(qoi, 'mean')):.4g}, "
                  f"sd {scalar(results.describe(qoi, 'std')):.4g}")
            for name in vary:
                s = scalar(results.sobols_first(qoi, name))
                print(f"  first-order Sobol index of {name:<20} {s:.3f}")


if __name__ == "__main__":
    main()
