"""Errors: Python exceptions with the CLI's file, line, field and hint; Ctrl-C."""

import _thread
import threading
import time

import pytest

import corridor

from conftest import BURUNDI


def test_missing_scenario(tmp_path):
    with pytest.raises(corridor.CorridorError) as e:
        corridor.run(tmp_path / "nowhere")
    err = e.value
    assert "nowhere" in str(err)
    assert err.path is not None and "nowhere" in err.path
    assert err.hint


def test_bad_setting_names_field_and_line(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("move_rules:\n  max_move_speed: 100\n  default_movechance: lots\n")
    with pytest.raises(corridor.CorridorError) as e:
        corridor.run(BURUNDI, settings=path, days=2)
    err = e.value
    assert err.path == str(path)
    assert err.line == 3
    assert err.field is not None and "default_movechance" in err.field
    assert err.hint and err.hint in str(err)
    assert err.location == f"{path}:3"


def test_bad_setting_in_dict():
    with pytest.raises(corridor.CorridorError) as e:
        corridor.run(BURUNDI, settings={"move_rules": {"default_movechance": "lots"}}, days=2)
    assert "default_movechance" in (e.value.field or "")
    assert e.value.line == 2


def test_bad_options():
    with pytest.raises(corridor.CorridorError, match="hasten"):
        corridor.run(BURUNDI, hasten=0, days=2)
    with pytest.raises(corridor.CorridorError, match="threads"):
        corridor.run(BURUNDI, threads=0, days=2)


def test_ctrl_c_stops_a_run():
    # Full population, whole run: several seconds; Ctrl-C after 0.5 s.
    timer = threading.Timer(0.5, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        corridor.run(BURUNDI, threads=1)
    elapsed = time.monotonic() - started
    timer.cancel()
    assert elapsed < 3.0, elapsed


def test_gil_released_while_simulating():
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    t = threading.Thread(target=tick)
    t.start()
    try:
        corridor.run(BURUNDI, hasten=2, days=200, threads=1)
    finally:
        done.set()
        t.join()
    assert len(ticks) > 5


def test_ctrl_c_stops_an_ensemble():
    # Ctrl-C stops an ensemble before its next replicate.
    timer = threading.Timer(0.5, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        corridor.ensemble(BURUNDI, n=400, hasten=5, threads=1)
    elapsed = time.monotonic() - started
    timer.cancel()
    assert elapsed < 5.0, elapsed
