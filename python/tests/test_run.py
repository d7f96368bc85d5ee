"""corridor.run: results, files and tables, identical to the CLI's."""

import json
import subprocess

import pandas as pd
import pytest

import corridor
from corridor import _tables

from conftest import BURUNDI, FALLUJAH, ROOT


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def summary_without_timings(path):
    with open(path) as f:
        s = json.load(f)
    for key in ("wall_seconds", "agent_days_per_second"):
        s.pop(key)
    return s


@pytest.mark.parametrize(
    "scenario, args",
    [
        (BURUNDI, {"seed": 3, "hasten": 10}),
        (FALLUJAH, {"seed": 2}),
    ],
)
def test_same_files_as_cli(cli, tmp_path, scenario, args):
    r = corridor.run(scenario, **args)
    r.write(tmp_path / "py")
    cmd = [cli, "run", str(scenario), "-o", str(tmp_path / "cli"), "--seed", str(args["seed"])]
    if "hasten" in args:
        cmd += ["--hasten", str(args["hasten"])]
    subprocess.run(cmd, check=True, capture_output=True)
    names = ["out.csv"] + (["fates.csv"] if scenario == FALLUJAH else [])
    for name in names:
        assert read_bytes(tmp_path / "py" / name) == read_bytes(tmp_path / "cli" / name), name
    assert summary_without_timings(tmp_path / "py" / "summary.json") == summary_without_timings(
        tmp_path / "cli" / "summary.json"
    )
    # The DataFrame is the CLI's out.csv, column for column and value for value.
    cli_out = pd.read_csv(tmp_path / "cli" / "out.csv")
    pd.testing.assert_frame_equal(r.out, cli_out, check_dtype=False)
    assert list(r.out.columns) == list(cli_out.columns)
    if scenario == FALLUJAH:
        pd.testing.assert_frame_equal(r.fates, pd.read_csv(tmp_path / "cli" / "fates.csv"))


def test_out_matches_written_file(tmp_path):
    r = corridor.run(BURUNDI, hasten=20, days=60)
    r.write(tmp_path)
    written = pd.read_csv(tmp_path / "out.csv")
    pd.testing.assert_frame_equal(r.out, written, check_dtype=False)
    assert len(r.out) == 60
    assert r.out["Day"].tolist() == list(range(60))
    assert r.out["Day"].dtype.kind == "i"
    assert r.fates is None
    assert r.summary["days"] == 60 and r.summary["seed"] == 1 and r.summary["hasten"] == 20
    assert r.summary["scenario"] == r.scenario


def test_arrow_and_lists_agree(monkeypatch):
    pytest.importorskip("pyarrow")
    r = corridor.run(BURUNDI, hasten=20, days=40)
    table = r.out_arrow()
    assert table.num_rows == 40
    lists = r.out_lists()
    assert table.to_pydict() == lists
    # Without pyarrow the DataFrame comes from the lists, equal to the Arrow one.
    monkeypatch.setattr(_tables, "have_pyarrow", lambda: False)
    from_lists = _tables.to_frame(r._native.out_columns())
    pd.testing.assert_frame_equal(from_lists, r.out, check_dtype=False)


def test_threads_and_seeds():
    a = corridor.run(BURUNDI, hasten=20, days=50, threads=1, seed=5)
    b = corridor.run(BURUNDI, hasten=20, days=50, threads=2, seed=5)
    c = corridor.run(BURUNDI, hasten=20, days=50, threads=2, seed=6)
    pd.testing.assert_frame_equal(a.out, b.out)
    assert not a.out.equals(c.out)


def test_siege_fates():
    r = corridor.run(FALLUJAH, days=30)
    fates = r.fates
    assert fates is not None and len(fates) == 30
    assert {"day", "trapped", "dead_shot", "total"} <= set(fates.columns)
    # Every person is in exactly one fate: the total is constant.
    assert fates["total"].nunique() == 1
    assert r.summary["siege"] is not None


def test_settings_dict_equals_file(tmp_path):
    settings = {"move_rules": {"max_move_speed": 200.0, "default_movechance": 0.4}}
    path = tmp_path / "s.yml"
    path.write_text("move_rules:\n  max_move_speed: 200.0\n  default_movechance: 0.4\n")
    from_dict = corridor.run(BURUNDI, settings=settings, hasten=20, days=50)
    from_file = corridor.run(BURUNDI, settings=path, hasten=20, days=50)
    default = corridor.run(BURUNDI, hasten=20, days=50)
    pd.testing.assert_frame_equal(from_dict.out, from_file.out)
    assert not from_dict.out.equals(default.out)


def test_repo_root_relative_path(monkeypatch):
    monkeypatch.chdir(ROOT)
    r = corridor.run("data/flee/scenarios/burundi2015", hasten=50, days=5)
    assert len(r.out) == 5
