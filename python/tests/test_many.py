"""ensemble, compare, validate and calibrate, as the CLI computes them."""

import subprocess

import pandas as pd

import corridor

from conftest import BURUNDI, FALLUJAH, SPACE


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def test_ensemble_same_files_as_cli(cli, tmp_path):
    e = corridor.ensemble(BURUNDI, n=3, hasten=20, days=40, seed=4)
    e.write(tmp_path / "py")
    subprocess.run(
        [cli, "ensemble", str(BURUNDI), "-n", "3", "--hasten", "20", "--days", "40",
         "--seed", "4", "-o", str(tmp_path / "cli"), "--quiet"],
        check=True, capture_output=True,
    )
    for name in ("ensemble.csv", "replicates.csv"):
        assert read_bytes(tmp_path / "py" / name) == read_bytes(tmp_path / "cli" / name), name
    assert len(e.replicates) == 3
    assert {"day", "camp", "mean", "p5", "p95"} <= set(e.ensemble.columns)
    assert e.fates is None


def test_ensemble_siege_fates():
    e = corridor.ensemble(FALLUJAH, n=2, days=20)
    assert e.fates is not None and len(e.fates) > 0


def test_compare_same_as_cli(cli, tmp_path):
    variant = FALLUJAH / "variants"
    other = sorted(p for p in variant.iterdir() if p.suffix == ".yml")[0]
    table = corridor.compare(FALLUJAH, other, n=2, days=30)
    subprocess.run(
        [cli, "compare", str(FALLUJAH), str(other), "-n", "2", "--days", "30",
         "-o", str(tmp_path), "--quiet"],
        check=True, capture_output=True,
    )
    pd.testing.assert_frame_equal(table, pd.read_csv(tmp_path / "compare.csv"))
    assert "measure" in table.columns


def test_validate(tmp_path):
    r = corridor.run(BURUNDI, hasten=20)
    r.write(tmp_path / "run")
    from_result = corridor.validate(r)
    from_folder = corridor.validate(tmp_path / "run")
    from_file = corridor.validate(tmp_path / "run" / "out.csv")
    assert len(from_result) == len(r.out.filter(like=" sim").columns) + 1
    pd.testing.assert_frame_equal(
        from_folder.drop(columns="source"), from_file.drop(columns="source")
    )
    pd.testing.assert_frame_equal(
        from_result.drop(columns="source"), from_file.drop(columns="source")
    )
    overall = from_file.iloc[-1]
    assert abs(overall["ard_rescaled"] - r.summary["ard_rescaled"]) < 1e-12


def test_calibrate_small():
    cal = corridor.calibrate(
        BURUNDI, SPACE, hasten=50, days=40, seeds=1, eval_seeds=1, budget=6, fit_days=30
    )
    assert cal["fit_days"] == 30 and cal["days"] == 40
    assert len(cal["parameters"]) > 0
    assert cal["evaluations"] <= 6
    assert cal["objective_fitted"] <= cal["objective_default"] + 1e-12 or cal["objective_fitted"] >= 0
