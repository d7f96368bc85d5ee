"""Type stubs of the native module (crates/python). Use the `corridor` package's
functions; these are their building blocks."""

from typing import List, Optional, Tuple, Union

__version__: str

Column = Tuple[str, str, Union[bytes, List[str]]]

class Run:
    @property
    def scenario(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def warnings(self) -> List[str]: ...
    def out_columns(self) -> List[Column]: ...
    def fates_csv(self) -> Optional[str]: ...
    def summary_json(self) -> str: ...
    def write(self, folder: str) -> None: ...

class EnsembleRun:
    def ensemble_csv(self) -> str: ...
    def replicates_csv(self) -> str: ...
    def fates_csv(self) -> Optional[str]: ...
    def write(self, folder: str) -> None: ...

def run(
    scenario: str,
    settings: Optional[str] = None,
    seed: int = 1,
    hasten: Optional[int] = None,
    days: Optional[int] = None,
    threads: Optional[int] = None,
) -> Run: ...
def ensemble(
    scenario: str,
    n: int = 10,
    params: Optional[str] = None,
    settings: Optional[str] = None,
    seed: int = 1,
    hasten: Optional[int] = None,
    days: Optional[int] = None,
    threads: Optional[int] = None,
) -> EnsembleRun: ...
def compare(
    a: str,
    b: str,
    n: int = 10,
    settings: Optional[str] = None,
    seed: int = 1,
    hasten: Optional[int] = None,
    days: Optional[int] = None,
    threads: Optional[int] = None,
    seeds_only: bool = False,
) -> str: ...
def validate(paths: List[str]) -> str: ...
def calibrate(
    scenario: str,
    space: str,
    settings: Optional[str] = None,
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
) -> str: ...
