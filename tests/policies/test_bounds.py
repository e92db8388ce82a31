"""Every input, given directly or through a design, is checked by one rule set with both
bounds on every number; what was found to get through (a zero wage, a 65-bit seed, a
100,000-year run, a size with no range, design ranges outside a field's range, added keys,
Hydra callbacks) is refused with the field named; and whatever the checks let through runs."""

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from experiments.cli import check_overrides
from policies.schema import Config, Factor
from policies.validate import ConfigError, validate
from sim.api import prepare, run_item
from tests.conftest import make_cfg


def _numeric_fields(schema=Config, prefix=""):
    """(path, type as declared, metadata) of every number in the schema."""
    for f in dataclasses.fields(schema):
        path = f"{prefix}.{f.name}" if prefix else f.name
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if dataclasses.is_dataclass(default):
            yield from _numeric_fields(type(default), path)
        elif f.type in ("int", "float", "int | None", "float | None"):
            yield path, f.type, dict(f.metadata)


NUMBERS = list(_numeric_fields())


def test_every_number_in_the_schema_has_both_bounds():
    unbounded = [path for path, _, meta in NUMBERS
                 if "max" not in meta or not ({"min", "min_exclusive"} & set(meta))]  # fmt: skip
    assert len(NUMBERS) > 100 and not unbounded


@pytest.mark.parametrize(
    ("override", "field"),
    [("city.wage_mean_cny=0", "city.wage_mean_cny"), ("seed=18446744073709551616", "seed"),
     ("years=100000", "years"), ("city.firm_size_log_mean=700", "city.firm_size_log_mean"),
     ("uncertainty.recession_year=-1", "uncertainty.recession_year"),
     ("city.higher_vocational.capacity_per_year=100000", "city"),
     ("+foo=1", "foo"), ("+_target_=os.system", "_target_"), ("++experiment.replicates=3", "experiment.replicates"),
     ("~experiment.targets", "experiment.targets"),
     ("+hydra.callbacks.make_dir._target_=os.makedirs", "hydra.callbacks.make_dir._target_"),
     ("hydra.launcher.n_jobs=3", "hydra.launcher.n_jobs")],
)  # fmt: skip
def test_what_got_through_is_refused_naming_the_field(override, field):
    with pytest.raises(ConfigError) as error:
        check_overrides([override, "years=60"] if field == "city" else [override])
    assert error.value.field == field


@pytest.mark.parametrize(
    ("path", "kind", "low", "high", "bad"),
    [("uncertainty.poaching_intensity_share", "float", -5.0, 10.0, "low"),
     ("uncertainty.poaching_intensity_share", "float", 0.1, 3.9, "high"),
     ("uncertainty.recession_year", "int", -3, 5, "low"),
     ("uncertainty.demand_growth_mean_share", "float", -2.0, 0.1, "low")],
)  # fmt: skip
def test_a_design_factor_range_must_lie_in_the_field_range(path, kind, low, high, bad):
    """Before: -5..10 on a share put a poaching intensity of 3.9 in design.parquet and ran."""
    cfg = make_cfg("experiment=robustness")
    cfg.experiment.design.factors[path] = OmegaConf.structured(Factor(kind=kind, low=low, high=high))
    with pytest.raises(ConfigError) as error:
        validate(cfg)
    assert error.value.field == f"experiment.design.factors.{path}.{bad}" and path in str(error.value)
    choices = [int(high), 500] if kind == "int" else [0.1, 7.0]  # the second out of range
    cfg.experiment.design.factors[path] = OmegaConf.structured(Factor(kind="categorical", choices=choices))
    with pytest.raises(ConfigError, match=r"choices\[1\]"):
        validate(cfg)


def _values(meta):
    """Values in the field's range and just outside it."""
    low = meta.get("min", meta.get("min_exclusive", 0.0))
    high = meta["max"]
    inside = st.floats(low, min(high, low + 1e6), allow_nan=False) if high > low else st.just(low)
    outside = st.sampled_from([low - 1, high * 2 + 1])
    return st.one_of(inside, outside)


@st.composite
def _overrides(draw):
    fields = [n for n in NUMBERS if not n[0].startswith(("experiment.", "executor."))]
    path, kind, meta = draw(st.sampled_from(fields))
    value = draw(_values(meta))
    return path, int(value) if kind.startswith("int") else value


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_overrides())
def test_fuzz_any_config_the_checks_accept_runs_to_finite_numbers(change):
    """One number of the small city's config set to a value in or out of its range: the
    checks refuse it with the field named, or a run of the config ends without an
    exception, with a finite fiscal cost and a deep share in [0, 1]."""
    path, value = change
    override = f"{path}={value!r}" if not isinstance(value, int) else f"{path}={value}"
    try:
        cfg = check_overrides(["city=small", "years=4", "experiment.packages=[jczt]", override])
    except ConfigError as error:
        assert error.field in (path, "city", "experiment.design.factors") or error.field.startswith(path)
        return
    cfg = make_cfg("city=small", "years=4", "experiment.packages=[jczt]", override)
    rows, frames = run_item(cfg, prepare(cfg), 0, 0)
    for row in rows:
        assert np.isfinite(row["fiscal_cost"]) and 0.0 <= row["deep_share"] <= 1.0


@pytest.mark.parametrize("kind", ["secondary_vocational", "higher_vocational", "undergraduate"])
def test_a_school_type_without_intake_runs(kind):
    """Found by the fuzz above (2026-12-05): schools of a type with capacity 0 offer
    majors no other school offers, and planning divided by their total intake, zero.
    Such a city runs, as the fuzz asks: a finite fiscal cost, shares in [0, 1], in two
    cities and under a package."""
    for city in ("small", "weifang_agri"):
        cfg = make_cfg(f"city={city}", "years=6", "experiment.packages=[jczt]",
                       f"city.{kind}.capacity_per_year=0")  # fmt: skip
        rows, _ = run_item(cfg, prepare(cfg), 0, 0)
        for row in rows:
            assert np.isfinite(row["fiscal_cost"]) and 0.0 <= row["deep_share"] <= 1.0
            assert 0.0 <= row["in_field_local_rate"] <= 1.0
