"""The dashboard's only contact with the model: two ``sim.ConsortiumModel`` runs, the
package and its no-policy twin, stepped together and read into plain snapshots.

Everything the page shows comes from :class:`Snapshot`, built here from the model's
public contract (``step``, ``running``, ``year``, ``n_years``, ``series_frame``,
``partnership_edges``, ``firm_depths``, ``summary``, ``failure_modes``); nothing else
in the dashboard touches a model.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

import sim
from policies.outcomes import FAILURE_MODE_CODES
from policies.packages import default_choice
from policies.schema import SCHOOL_KINDS

BASELINE_PACKAGE = "none"


@dataclass(frozen=True)
class Settings:
    """What defines a pair of runs: the scenario and the levers changed from the package."""

    city: str = field(default_factory=lambda: default_choice("city"))
    policy: str = "jczt"
    seed: int = 0
    years: int = 15
    overrides: tuple[tuple[str, Any], ...] = ()  # model keyword overrides, sorted

    def scenario(self) -> tuple[str, int, int]:
        """What the no-policy twin depends on."""
        return (self.city, self.seed, self.years)


@dataclass(frozen=True)
class Snapshot:
    """One run after ``year`` completed years, as the page shows it."""

    year: int
    n_years: int
    running: bool
    series: pd.DataFrame  # one row per completed year: year + the series of sim/series.py
    edges: tuple[tuple[int, int, bool], ...]  # (school, firm, active)
    depths: np.ndarray  # int[n_firms]
    n_schools: int
    summary: dict[str, float] = field(default_factory=dict)  # empty before the first year
    failure_modes: dict[str, bool] = field(default_factory=dict)  # empty before the first year

    def latest(self, name: str) -> float:
        """The last completed year's value of a series (NaN before the first year)."""
        return float(self.series[name].iloc[-1]) if len(self.series) else float("nan")

    def total(self, name: str) -> float:
        """The sum of a series over the completed years."""
        return float(np.nansum(self.series[name].to_numpy())) if len(self.series) else 0.0


class Arm:
    """One model run."""

    def __init__(self, city: str, policy: str, seed: int, years: int, overrides: dict[str, Any]) -> None:
        self.model = sim.ConsortiumModel(seed=seed, city=city, policy=policy, years=years, **overrides)

    @property
    def year(self) -> int:
        """Years completed."""
        return int(self.model.year)

    def step(self) -> None:
        """One year, unless the run is over."""
        if self.model.running:
            self.model.step()

    def snapshot(self, baseline: Arm | None = None) -> Snapshot:
        """The run as it stands."""
        model = self.model
        year = int(model.year)
        twin = None if baseline is None or baseline is self else baseline.model  # collapse after exit
        return Snapshot(
            year=year,
            n_years=int(model.n_years),
            running=bool(model.running),
            series=model.series_frame().copy(),
            edges=tuple((int(s), int(f), bool(a)) for s, f, a in model.partnership_edges()),
            depths=np.asarray(model.firm_depths(), dtype=int).copy(),
            n_schools=sum(int(model.cfg.city[kind].count) for kind in SCHOOL_KINDS),
            summary=dict(model.summary(twin)) if year > 0 else {},
            failure_modes={k: bool(v) for k, v in model.failure_modes(twin).items()} if year > 0 else {},
        )


class Comparison:
    """The package's run and its no-policy twin (same city, seed and years), in step.

    When the package is ``none`` with no lever changed the two runs are the same run,
    stepped once. A lock keeps a play loop and a button from stepping at once.
    """

    def __init__(self, settings: Settings, baseline: Arm | None = None) -> None:
        self.settings = settings
        self.lock = threading.RLock()
        args = (settings.city, settings.policy, settings.seed, settings.years)
        self.baseline = baseline or Arm(settings.city, BASELINE_PACKAGE, settings.seed, settings.years, {})
        same = settings.policy == BASELINE_PACKAGE and not settings.overrides
        self.policy = self.baseline if same else Arm(*args, dict(settings.overrides))

    def rebuilt(self, settings: Settings) -> Comparison:
        """A pair for new ``settings``, brought to this pair's year. The no-policy twin is
        kept when the scenario (city, seed, years) is the same: only levers changed.
        """
        keep = settings.scenario() == self.settings.scenario()
        pair = Comparison(settings, self.baseline if keep else None)
        pair.advance_to(self.year)
        return pair

    @property
    def year(self) -> int:
        """Years completed (both runs alike)."""
        return self.policy.year

    @property
    def running(self) -> bool:
        """Whether another year can be stepped."""
        return bool(self.policy.model.running)

    def step(self) -> None:
        """Both runs one year."""
        with self.lock:
            self.policy.step()
            if self.baseline is not self.policy:
                self.baseline.step()

    def advance_to(self, year: int) -> None:
        """Step both runs until ``year`` years are completed or the run is over."""
        with self.lock:
            for arm in {id(self.policy): self.policy, id(self.baseline): self.baseline}.values():
                while arm.year < year and arm.model.running:
                    arm.step()

    def snapshots(self) -> tuple[Snapshot, Snapshot]:
        """(package, no policy) as they stand."""
        with self.lock:
            policy = self.policy.snapshot(self.baseline)
            baseline = policy if self.baseline is self.policy else self.baseline.snapshot()
        return policy, baseline


# ---------------------------------------------------------------- a region (issue 15)
REGION_MEASURES = ("in_field_local", "own_effect", "training_share", "hollow_share", "moved_out", "moved_in",
                   "trained_elsewhere_share", "fiscal_cost")  # fmt: skip


def region_packages(region: str) -> dict[str, str]:
    """Each city of a shipped region and the package its config gives it."""
    from policies.packages import config_dir

    cfg = OmegaConf.load(config_dir() / "region" / f"{region}.yaml")
    return {str(name): str(spec.get("policy", "none")) for name, spec in cfg.cities.items()}


def region_columns(region: str, packages: dict[str, str], seed: int, years: int) -> pd.DataFrame:
    """One row per city of ``region`` with each city on ``packages[city]``, one run
    (replicate 0 of ``seed``) of the region and of each city without its package
    (``sim.region_runs``): its package, the measures of ``REGION_MEASURES`` (``own_effect``:
    in-field local graduates with its package minus without it, the neighbours unchanged;
    ``moved_out``/``moved_in``: hired and poached across cities a year) and the failure
    modes it shows.
    """
    from sim.region_runs import COUNTERFACTUAL, REGION, prepare_runs, run_item

    overrides = [f"region={region}", f"years={years}", f"seed={seed}"]
    overrides += [f"region.cities.{name}.policy={package}" for name, package in packages.items()]
    cfg = composed(tuple(overrides))
    rows = pd.DataFrame(run_item(cfg, prepare_runs(cfg), 0, 0)[0])
    region_rows = rows[rows["package"] == REGION].set_index("city")
    table = pd.DataFrame(index=list(packages))
    table["package"] = [packages[name] for name in table.index]
    for name in table.index:
        mine = region_rows.loc[name]
        twin = rows[(rows["package"] == f"{name} {COUNTERFACTUAL}") & (rows["city"] == name)]
        table.loc[name, "own_effect"] = (
            (mine["in_field_local"] - twin["in_field_local"].iloc[0]) if len(twin) else 0.0
        )
        table.loc[name, "moved_out"] = mine["hired_out"] + mine["poached_out"]
        table.loc[name, "moved_in"] = mine["hired_in"] + mine["poached_in"]
        for column in (
            "in_field_local",
            "training_share",
            "hollow_share",
            "trained_elsewhere_share",
            "fiscal_cost",
        ):
            table.loc[name, column] = mine[column]
        table.loc[name, "modes"] = ",".join(code for code in FAILURE_MODE_CODES if bool(mine[code]))
    return table


def composed(overrides: tuple[str, ...]) -> Any:
    """The shipped config with ``overrides``, checked (a ``ConfigError`` names the field)."""
    from policies.validate import validate
    from sim.mesa_config import compose_config

    cfg = compose_config(*overrides)
    validate(cfg, experiment=False)
    return cfg
