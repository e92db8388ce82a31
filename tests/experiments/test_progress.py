"""Honest progress: a line before a compile, and a rate measured from steady running."""

import logging

import pytest

from experiments import runner
from tests.conftest import make_cfg


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(runner.time, "monotonic", fake)
    return fake


def test_the_rate_ignores_the_time_before_the_first_chunk(clock, caplog):
    """Workers take 60 s to start and fill their first chunk of 10 runs; then a chunk of
    10 every 2 s: the rate is 5 runs/s, not (60 runs / 70 s), and the time left follows it
    (a log line every 10 s off a terminal)."""
    progress = runner.Progress(total=100, done=0)
    assert progress.bar is None  # not a terminal under pytest: log lines
    clock.now += 60
    with caplog.at_level(logging.INFO, logger=runner.log.name):
        progress.update(10)
    assert progress.rate(clock.now) != progress.rate(clock.now)  # NaN: one chunk says nothing
    assert "runs 10/100 (measuring the rate)" in caplog.text and "nan" not in caplog.text
    with caplog.at_level(logging.INFO, logger=runner.log.name):
        for _ in range(5):
            clock.now += 2
            progress.update(10)
    assert progress.rate(clock.now) == pytest.approx(5.0)
    assert "runs 60/100, 5.0 runs/s, 8 s left" in caplog.text  # 40 runs at 5 a second


def test_a_resumed_sweep_counts_only_its_own_runs(clock):
    """Resuming with 40 of 100 done: the rate is of the runs done since."""
    progress = runner.Progress(total=100, done=40)
    clock.now += 30
    progress.update(10)
    clock.now += 4
    progress.update(20)
    assert progress.rate(clock.now) == pytest.approx(5.0)


@pytest.mark.parametrize("cached", [False, True])
def test_a_compile_is_announced_only_when_it_happens(monkeypatch, capsys, cached):
    """On a machine's first run one line says the kernels are being compiled and one how
    long it took; with the kernels cached, nothing is said."""
    monkeypatch.setattr(runner, "kernels_compiled", lambda: cached)
    monkeypatch.setattr(runner, "_WARM", set())
    runner.warm_up(make_cfg("city=small", "years=3"), say=True)
    err = capsys.readouterr().err
    if cached:
        assert err == ""
    else:
        assert "Compiling the model's kernels (first run on this machine only" in err
        assert "Compiled in" in err
