"""``experiment=best_response``: the equilibrium, cooperation and the price of anarchy,
checked on games whose answers are known by hand, and run end to end on a small region.
"""

import json

import numpy as np
import pandas as pd
import pytest

from experiments.best_response import best_response_path, equilibria, payoffs, price_of_anarchy
from experiments.compare import run_experiment
from tests.conftest import make_cfg

CHOICES = ["none", "train"]
PROFILES = [("none", "none"), ("none", "train"), ("train", "none"), ("train", "train")]


def _game(payoff, replicates=8, noise=0.0):
    """values[profile, replicate, city] from ``payoff(profile, city)``, with zero-mean
    noise that leaves every mean as given (the same draws negated in half the replicates).
    """
    rng = np.random.default_rng(0)
    half = rng.normal(0.0, noise, size=(len(PROFILES), replicates // 2, 2))
    values = np.concatenate([half, -half], axis=1)
    for k, profile in enumerate(PROFILES):
        for c in range(2):
            values[k, :, c] += payoff(profile, c)
    return values


def _prisoners(profile, c):
    """Training costs a city 3 and gives its neighbour 5 (the trained workers it poaches)."""
    mine, other = (profile[c] == "train"), (profile[1 - c] == "train")
    return 10.0 - 3.0 * mine + 5.0 * other


def test_a_prisoners_dilemma_has_its_known_equilibrium_and_price():
    """Each city gains 3 by not training whatever the other does: (none, none) with 10
    each is the only equilibrium; (train, train) with 12 each is cooperative: the price
    of anarchy is 24 / 20 = 1.2 and the gain 4."""
    values = _game(_prisoners, noise=0.5)
    means = values.mean(axis=1)
    path = best_response_path(PROFILES, means, ("train", "train"), CHOICES)
    assert path["equilibrium"] == ("none", "none") and not path["cycle"]
    assert path["path"] == [("train", "train"), ("none", "train"), ("none", "none")]
    assert equilibria(PROFILES, means, CHOICES) == [("none", "none")]
    poa = price_of_anarchy(values, PROFILES, ("train", "train"), CHOICES, seed=0)
    assert poa["price_of_anarchy"] == pytest.approx(1.2) and poa["gain_cny"] == pytest.approx(4.0)
    assert poa["poa_low"] <= 1.2 <= poa["poa_high"] and poa["poa_low"] > 1.0


def test_a_coordination_game_has_two_equilibria_and_no_price_at_the_better():
    """Both train or neither (a city training alone loses): two equilibria; from (train,
    train) nothing changes, and it is also the cooperative choice (price 1)."""

    def payoff(profile, c):
        same = profile[0] == profile[1]
        return (8.0 if profile[c] == "train" else 5.0) if same else 2.0

    values = _game(payoff)
    means = values.mean(axis=1)
    assert equilibria(PROFILES, means, CHOICES) == [("none", "none"), ("train", "train")]
    assert best_response_path(PROFILES, means, ("train", "train"), CHOICES)["path"] == [("train", "train")]
    assert price_of_anarchy(values, PROFILES, ("train", "train"), CHOICES, seed=0)["price_of_anarchy"] == 1.0


def test_matching_pennies_cycles():
    """City 0 wants to match, city 1 to differ: no pure equilibrium, the iteration cycles."""

    def payoff(profile, c):
        same = profile[0] == profile[1]
        return 1.0 if same == (c == 0) else 0.0

    means = _game(payoff).mean(axis=1)
    path = best_response_path(PROFILES, means, ("none", "none"), CHOICES)
    assert path["cycle"] and path["equilibrium"] is None
    assert equilibria(PROFILES, means, CHOICES) == []


def test_a_city_payoff_counts_graduates_kept_and_gained_less_its_cost():
    """value x (own graduates in field locally + those hired from other cities) - cost."""
    design = pd.DataFrame({"scenario": [0, 1], "region.cities.a.policy": ["none", "jczt"],
                           "region.cities.b.policy": ["none", "none"]})  # fmt: skip
    runs = pd.DataFrame({"scenario": [0, 0, 1, 1], "replicate": [0, 0, 0, 0], "city": ["a", "b", "a", "b"],
                         "in_field_local": [100.0, 50.0, 120.0, 50.0], "hired_in": [0.0, 2.0, 1.0, 0.0],
                         "fiscal_cost": [0.0, 0.0, 1.0e6, 0.0]})  # fmt: skip
    profiles, values = payoffs(runs, design, ["a", "b"], 10_000.0)
    assert profiles == [("none", "none"), ("jczt", "none")]
    np.testing.assert_allclose(values[:, 0, :], [[1.0e6, 0.52e6], [1.21e6 - 1.0e6, 0.5e6]])


SMALL = ["region=sxc", "experiment=best_response", "years=4", "experiment.replicates=2",
         "experiment.packages=[none,jczt]", "experiment.summary_window_years=2"]  # fmt: skip


def test_the_experiment_runs_every_profile_and_resumes_to_the_same_answer(tmp_path, capsys):
    folder = tmp_path / "br"
    run_experiment(make_cfg(*SMALL, "experiment.chunk_runs=3"), folder)
    first = json.loads((folder / "best_response.json").read_text())
    out = capsys.readouterr().out
    assert "Equilibrium reached" in out or "cycles" in out
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["run_count"] == 8 * 2 * 3
    (folder / "best_response.json").unlink()
    again = tmp_path / "again"
    run_experiment(make_cfg(*SMALL, "experiment.workers=1"), again)
    assert json.loads((again / "best_response.json").read_text()) == first
    assert (folder / "report" / "report.html").exists() and (
        folder / "report" / "figures" / "profiles.png"
    ).exists()
    profiles = pd.read_parquet(folder / "profiles.parquet")
    assert len(profiles) == 8 and set(profiles.columns) >= {"suzhou", "payoff_region"}
