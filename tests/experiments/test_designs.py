"""Experiment designs: sizes, ranges, integer and categorical factors, checks."""

import numpy as np
import pytest
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from experiments.designs import apply_scenario, build_design
from policies.schema import Experiment, Factor
from policies.validate import ConfigError
from tests.conftest import make_cfg


def experiment(kind, samples=0, points=3, **factors):
    exp = OmegaConf.structured(Experiment)
    exp.design.kind, exp.design.samples, exp.design.points = kind, samples, points
    for name, spec in factors.items():
        exp.design.factors[name.replace("__", ".")] = OmegaConf.merge(OmegaConf.structured(Factor), spec)
    return exp


POACH = {"kind": "float", "low": 0.05, "high": 0.4}
YEAR = {"kind": "int", "low": 3, "high": 6}
KPI = {"kind": "categorical", "choices": ["agreements", "outcomes"]}


def test_central_is_one_scenario():
    assert build_design(experiment("central"), 0)["scenario"].tolist() == [0]


def test_lhs_puts_one_point_in_each_stratum():
    """A Latin hypercube of n points has exactly one point in each of n equal strata."""
    design = build_design(experiment("lhs", 20, uncertainty__poaching_intensity_share=POACH), 1)
    unit = (design["uncertainty.poaching_intensity_share"] - 0.05) / 0.35
    assert sorted(np.floor(unit * 20).astype(int)) == list(range(20))


def test_sobol_has_saltelli_size_and_needs_a_power_of_two():
    """Saltelli without second order: N x (D + 2) rows."""
    design = build_design(experiment("sobol", 16, uncertainty__poaching_intensity_share=POACH,
                                     policy__governance__school_kpi=KPI), 0)  # fmt: skip
    assert len(design) == 16 * (2 + 2)
    with pytest.raises(ConfigError, match="power of two"):
        build_design(experiment("sobol", 12, uncertainty__poaching_intensity_share=POACH), 0)


def test_integer_and_categorical_factors_are_drawn_properly():
    """Integers uniform on {3..6}: every value appears, never a fraction, never 7;
    categoricals take only their values, each about half the time."""
    design = build_design(
        experiment("lhs", 400, uncertainty__recession_year=YEAR, policy__governance__school_kpi=KPI), 2
    )
    years = design["uncertainty.recession_year"]
    assert set(years) == {3, 4, 5, 6} and all(isinstance(y, int) for y in years)
    counts = years.value_counts()
    assert counts.min() >= 80  # 100 expected each (stratified)
    kpi = design["policy.governance.school_kpi"]
    assert set(kpi) == {"agreements", "outcomes"} and abs((kpi == "outcomes").mean() - 0.5) < 0.05


def test_grid_is_the_full_factorial():
    design = build_design(experiment("grid", points=3, uncertainty__poaching_intensity_share=POACH,
                                     policy__governance__school_kpi=KPI), 0)  # fmt: skip
    assert len(design) == 3 * 2


def test_morris_trajectories():
    design = build_design(experiment("morris", 5, uncertainty__poaching_intensity_share=POACH,
                                     uncertainty__tech_drift_share={"kind": "float", "low": 0.0, "high": 0.2}), 0)  # fmt: skip
    assert len(design) == 5 * (2 + 1)


def test_bad_designs_name_the_field():
    with pytest.raises(ConfigError, match="experiment.design.kind"):
        build_design(experiment("random"), 0)
    with pytest.raises(ConfigError, match="low <= high"):
        build_design(
            experiment(
                "lhs", 4, uncertainty__poaching_intensity_share={"kind": "float", "low": 0.5, "high": 0.1}
            ),
            0,
        )
    with pytest.raises(ConfigError, match="uncertainty. or policy."):
        build_design(experiment("lhs", 4, city__n_firms={"kind": "int", "low": 1, "high": 3}), 0)


def test_apply_scenario_sets_typed_values_and_refuses_unknown_paths():
    cfg = make_cfg()
    out = apply_scenario(cfg, {"uncertainty.recession_year": 5, "policy.governance.school_kpi": "outcomes"})
    assert out.uncertainty.recession_year == 5 and out.policy.governance.school_kpi.name == "outcomes"
    assert cfg.uncertainty.recession_year is None, "the original is untouched"
    with pytest.raises(OmegaConfBaseException):
        apply_scenario(cfg, {"uncertainty.no_such_thing": 1})
