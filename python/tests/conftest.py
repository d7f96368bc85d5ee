"""Shared paths and the CLI binary for the comparisons."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BURUNDI = ROOT / "data" / "flee" / "scenarios" / "burundi2015"
FALLUJAH = ROOT / "scenarios" / "fallujah-2016"
SPACE = ROOT / "scenarios" / "spaces" / "flee-default.yml"


@pytest.fixture(scope="session")
def cli():
    """The corridor binary of this checkout (CORRIDOR_BIN, target/release/corridor or on
    PATH). CI builds it before pytest; with CORRIDOR_REQUIRE_CLI=1 its absence fails."""
    for candidate in (
        os.environ.get("CORRIDOR_BIN"),
        str(ROOT / "target" / "release" / "corridor"),
        shutil.which("corridor"),
    ):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    if os.environ.get("CORRIDOR_REQUIRE_CLI") == "1":
        pytest.fail("the corridor binary is required (cargo build --release)")
    pytest.skip("no corridor binary to compare with")
