"""Type stubs of the corridor package (docstrings are in __init__.py)."""

import os
from typing import Any, Dict, List, Mapping, Optional, Union

import pandas as pd

from ._errors import CorridorError as CorridorError

__version__: str

PathLike = Union[str, os.PathLike[str]]
Settings = Union[PathLike, Mapping[str, Any], None]

class RunResult:
    @property
    def scenario(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def warnings(self) -> List[str]: ...
    @property
    def out(self) -> pd.DataFrame: ...
    def out_arrow(self) -> Any: ...
    def out_lists(self) -> Dict[str, List[Any]]: ...
    @property
    def fates(self) -> Optional[pd.DataFrame]: ...
    @property
    def summary(self) -> Dict[str, Any]: ...
    def write(self, folder: PathLike) -> None: ...

class EnsembleResult:
    @property
    def ensemble(self) -> pd.DataFrame: ...
    @property
    def replicates(self) -> pd.DataFrame: ...
    @property
    def fates(self) -> Optional[pd.DataFrame]: ...
    def write(self, folder: PathLike) -> None: ...

def run(
    scenario: PathLike,
    settings: Settings = None,
    seed: int = 1,
    hasten: Optional[int] = None,
    days: Optional[int] = None,
    threads: Optional[int] = None,
) -> RunResult: ...
def ensemble(
    scenario: PathLike,
    n: int = 10,
    params: Optional[PathLike] = None,
    settings: Settings = None,
    seed: int = 1,
    hasten: Optional[int] = None,
    days: Optional[int] = None,
    threads: Optional[int] = None,
) -> EnsembleResult: ...
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
) -> pd.DataFrame: ...
def validate(*outputs: Union[PathLike, RunResult]) -> pd.DataFrame: ...
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
) -> Dict[str, Any]: ...
