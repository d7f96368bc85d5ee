"""The fates of Fallujah's besieged population day by day, with matplotlib.

    pip install . matplotlib      # from the repository root
    python python/examples/plot_siege_fates.py [--seed 1] [-o out/fallujah-fates.png]

Runs the Fallujah 2016 siege scenario in-process (corridor.run) and draws the
people per fate (trapped, in transit, detained, in camps, dead) as a
stacked area chart, with the run's summary in the title.
"""

import argparse
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import corridor  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(ROOT, "scenarios", "fallujah-2016")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=SCENARIO, help="a siege scenario")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default=os.path.join("out", "fallujah-fates.png"))
    args = ap.parse_args()

    r = corridor.run(args.scenario, seed=args.seed)
    fates = r.fates
    if fates is None:
        raise SystemExit(f"{args.scenario} is not a siege scenario (no fates)")
    dates = pd.to_datetime(fates["date"])
    # A partition of the population (the bands add up to `total`): per-camp
    # columns are summed into one band, as are the three ways of dying
    # (dead_shot already holds those shot on a river bank or crossing).
    camps = [c for c in fates.columns if c.startswith("in camp ")]
    dead = ["dead_shot", "dead_drowned", "dead_in_custody"]
    optional = lambda c: fates[c] if c in fates.columns else 0  # noqa: E731
    bands = {
        "trapped": fates["trapped"],
        "waiting to cross": optional("waiting_to_cross"),
        "in transit": fates["in_transit"],
        "detained": fates["detained"],
        "in camps": fates[camps].sum(axis=1),
        "with host families": optional("with_hosts"),
        "stayed home": optional("stayed"),
        "dead": fates[dead].sum(axis=1),
    }
    assert (sum(bands.values()) == fates["total"]).all(), "fates do not add up"
    fig, ax = plt.subplots(figsize=(10, 5.5))
    ax.stackplot(dates, list(bands.values()), labels=list(bands), alpha=0.85)
    ax.set_ylabel("people")
    ax.set_title(f"{r.scenario}, seed {r.seed}: fates of the besieged population")
    ax.legend(loc="upper right")
    ax.margins(x=0)
    fig.autofmt_xdate()
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    fig.savefig(args.output, dpi=120)
    last = fates.iloc[-1]
    print(f"{len(fates)} days; last day: trapped {last['trapped']:,}, "
          f"in camps {int(bands['in camps'].iloc[-1]):,}, dead {int(bands['dead'].iloc[-1]):,}")
    print(f"chart in {args.output}")


if __name__ == "__main__":
    main()
