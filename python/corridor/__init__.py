"""corridor: Flee's refugee-flight simulation (and a siege model) in Rust, from Python.

Every function mirrors a command of the ``corridor`` program and runs the same
library code, so the same scenario and seed give the same numbers::

    import corridor
    r = corridor.run("data/flee/scenarios/burundi2015", seed=1, hasten=10)
    r.out.tail()          # pandas DataFrame, the columns of Flee's out.csv
    r.summary["ard_rescaled"]
    r.write("out/burundi")  # out.csv, summary.json (and fates.csv), as `corridor run -o`

Simulations run without the GIL on corridor's own thread pool (``threads``,
default all cores; results do not depend on it); Ctrl-C stops a run between
simulated days and raises KeyboardInterrupt. Errors raise
:class:`CorridorError` with the CLI's message and its file, line, field and hint.

``settings`` is a Flee ``simsetting.yml`` path or the same content as a dict,
e.g. ``{"move_rules": {"max_move_speed": 200}}``.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

from . import _corridor
from ._errors import CorridorError
from ._tables import csv_frame, to_arrow, to_frame, to_lists

__version__ = _corridor.__version__
__all__ = [
    "CorridorError",
    "EnsembleResult",
    "RunResult",
    "calibrate",
    "compare",
    "ensemble",
    "run",
    "validate",
]

PathLike = Union[str, "os.PathLike[str]"]
Settings = Union[PathLike, Mapping[str, Any], None]


def _yaml(value: Mapping[str, Any], indent: int = 0) -> str:
    """Nested mappings as block YAML; scalars and lists in JSON's flow syntax
    (valid YAML), so each key sits on its own line for the reader's messages."""
    lines = []
    for key, v in value.items():
        if isinstance(v, Mapping):
            lines.append(" " * indent + f"{key}:")
            lines.append(_yaml(v, indent + 2))
        else:
            lines.append(" " * indent + f"{key}: {json.dumps(v)}")
    return "\n".join(line for line in lines if line)


@contextmanager
def _settings_path(settings: Settings) -> Iterator[Optional[str]]:
    """A settings file for the reader: the path given, or a dict written as YAML."""
    if settings is None:
        yield None
    elif isinstance(settings, Mapping):
        with tempfile.TemporaryDirectory(prefix="corridor-") as d:
            path = os.path.join(d, "settings-from-dict.yml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(_yaml(settings) + "\n")
            yield path
    else:
        yield os.fspath(settings)


class RunResult:
    """One run of a scenario: what ``corridor run`` writes, as Python objects."""

    def __init__(self, native: Any) -> None:
        self._native = native
        self._out = None
        self._fates = None
        self._summary: Optional[Dict[str, Any]] = None

    @property
    def scenario(self) -> str:
        """The scenario's name."""
        return self._native.scenario

    @property
    def seed(self) -> int:
        """The seed of the run."""
        return self._native.seed

    @property
    def warnings(self) -> List[str]:
        """The scenario reader's warnings."""
        return self._native.warnings

    @property
    def out(self):
        """The daily table as a pandas DataFrame with the columns of Flee's ``out.csv``."""
        if self._out is None:
            self._out = to_frame(self._native.out_columns())
        return self._out

    def out_arrow(self):
        """The daily table as a ``pyarrow.Table`` (needs pyarrow)."""
        return to_arrow(self._native.out_columns())

    def out_lists(self) -> Dict[str, List[Any]]:
        """The daily table as plain lists, column name to values (no pandas needed)."""
        return to_lists(self._native.out_columns())

    @property
    def fates(self):
        """Siege scenarios: people per fate per day (``fates.csv``) as a DataFrame; else None."""
        if self._fates is None:
            text = self._native.fates_csv()
            if text is None:
                return None
            self._fates = csv_frame(text)
        return self._fates

    @property
    def summary(self) -> Dict[str, Any]:
        """``summary.json`` as a dict (ARD, agents, days, siege report, timings)."""
        if self._summary is None:
            self._summary = json.loads(self._native.summary_json())
        return self._summary

    def write(self, folder: PathLike) -> None:
        """Writes ``out.csv``, ``summary.json`` and (siege) ``fates.csv`` into ``folder``."""
        self._native.write(os.fspath(folder))

    def __repr__(self) -> str:
        return f"<corridor.RunResult {self.scenario!r} seed={self.seed}>"


class EnsembleResult:
    """An ensemble of replicates: what ``corridor ensemble`` writes, as DataFrames."""

    def __init__(self, native: Any) -> None:
        self._native = native

    @property
    def ensemble(self):
        """Per camp per day: ``day, camp, data, mean, sd, p5, p50, p95`` (``ensemble.csv``)."""
        return csv_frame(self._native.ensemble_csv())

    @property
    def replicates(self):
        """One row per replicate: seed, ARD, sampled parameters (``replicates.csv``)."""
        return csv_frame(self._native.replicates_csv())

    @property
    def fates(self):
        """Siege scenarios: bands per fate per day (``fates_ensemble.csv``); else None."""
        text = self._native.fates_csv()
        return None if text is None else csv_frame(text)

    def write(self, folder: PathLike) -> None:
        """Writes the ensemble's files into ``folder``, as ``corridor ensemble -o`` does."""
        self._native.write(os.fspath(folder))

    def __repr__(self) -> str:
        return "<corridor.EnsembleResult>"


def run(
    scenario: PathLike,
    settings: Settings = None,
    seed: int = 1,
    hasten: Optional[int] = None,
    days: Optional[int] = None,
    threads: Optional[int] = None,
) -> RunResult:
    """Runs a scenario once, as ``corridor run``.

    ``scenario``: a Flee/FabFlee folder, a corridor scenario folder, its
    ``scenario.yml`` or a variant file. ``settings``: a ``simsetting.yml`` path
    or a dict of the same content (default: the scenario's own). ``hasten``
    divides populations; ``days`` shortens the run; ``threads`` defaults to all
    cores and never changes the results.
    """
    with _settings_path(settings) as s:
        native = _corridor.run(os.fspath(scenario), s, seed, hasten, days, threads)
    return RunResult(native)


def ensemble(
    scenario: PathLike,
    n: int = 10,
    params: Optional[PathLike] = None,
    settings: Settings = None,
    seed: int = 1,
    hasten: Optional[int] = None,
    days: Optional[int] = None,
    threads: Optional[int] = None,
) -> EnsembleResult:
    """``n`` replicates with seeds derived from ``seed``, as ``corridor ensemble``;
    with ``params`` (a YAML file of ``path: [low, high]`` ranges) the
    parameters are sampled per replicate."""
    with _settings_path(settings) as s:
        native = _corridor.ensemble(
            os.fspath(scenario),
            n,
            None if params is None else os.fspath(params),
            s,
            seed,
            hasten,
            days,
            threads,
        )
    return EnsembleResult(native)


def compare(
    a: PathLike,
    b: PathLike,
    n: int = 10,
    settings: Settings = None,
    seed: int = 1,
    hasten: Optional[int] = None,
    days: Optional[int] = None,
    threads: Optional[int] = None,
    seeds_only: bool = False,
):
    """The same ``n`` seeds (and, unless ``seeds_only``, the same draws from the
    parameter ranges ``a`` declares) through scenarios ``a`` and ``b`` (e.g. a
    variant), as ``corridor compare``: a DataFrame of each side's band and the
    difference's band at ``a``'s key dates and the last day (``compare.csv``)."""
    with _settings_path(settings) as s:
        text = _corridor.compare(
            os.fspath(a), os.fspath(b), n, s, seed, hasten, days, threads, seeds_only
        )
    return csv_frame(text)


def validate(*outputs: Union[PathLike, RunResult]):
    """Error table (ARD, MASE per camp and overall) of ``out.csv`` files, run
    folders or :class:`RunResult` objects, as ``corridor validate --csv``."""
    paths: List[str] = []
    with tempfile.TemporaryDirectory(prefix="corridor-") as d:
        for i, o in enumerate(outputs):
            if isinstance(o, RunResult):
                folder = os.path.join(d, f"{i}-{o.scenario}")
                o.write(folder)
                paths.append(os.path.join(folder, "out.csv"))
            else:
                paths.append(os.fspath(o))
        return csv_frame(_corridor.validate(paths))


def calibrate(
    scenario: PathLike,
    space: PathLike,
    settings: Settings = None,
    seed: int = 1,
    hasten: Optional[int] = None,
    days: Optional[int] = None,
    threads: Optional[int] = None,
    fit_days: Optional[int] = None,
    fit_fraction: Optional[float] = None,
    seeds: int = 4,
    eval_seeds: int = 8,
    budget: Optional[int] = None,
    metric: str = "rescaled",
    sigma0: float = 0.3,
    select_recent: float = 0.3,
) -> Dict[str, Any]:
    """Fits the parameters of the space file ``space`` by CMA-ES over common
    random numbers, as ``corridor calibrate``: the calibration as a dict
    (``calibration.json``: parameters with fitted values, errors in and out of
    the fit period, every trial)."""
    with _settings_path(settings) as s:
        text = _corridor.calibrate(
            os.fspath(scenario),
            os.fspath(space),
            s,
            seed,
            hasten,
            days,
            threads,
            fit_days,
            fit_fraction,
            seeds,
            eval_seeds,
            budget,
            metric,
            sigma0,
            select_recent,
        )
    return json.loads(text)
