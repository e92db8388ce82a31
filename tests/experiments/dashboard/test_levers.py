"""Levers: every control names a real package field; a setting becomes the model's
keyword overrides, only for what was changed, switching the lever on or off."""

import pytest
from omegaconf import OmegaConf

from experiments.dashboard.levers import BY_KEY, LEVERS, overrides, package_values, packages, slider_maximum
from policies.packages import load_package


def test_every_lever_is_a_package_field():
    """Each control's path exists in every shipped package (a renamed field fails here)."""
    for name in packages():
        package = load_package(name)
        for lever in LEVERS:
            assert OmegaConf.select(package, lever.path, default="missing") != "missing", (name, lever.path)


def test_unchanged_levers_give_no_overrides():
    """The package as shipped is run as shipped."""
    for name in packages():
        assert overrides(name, package_values(name)) == {}


def test_amount_switches_its_lever():
    """Raising an amount from zero switches the lever on; lowering it to zero, off."""
    values = package_values("none")
    values["employment_subsidy"] = 12000.0
    assert overrides("none", values) == {
        "policy__employment_subsidy__cny_per_hire": 12000.0,
        "policy__employment_subsidy__enabled": True,
    }
    values = package_values("apprentice_subsidy")
    values["apprentice_subsidy"] = 0.0
    assert overrides("apprentice_subsidy", values)["policy__apprentice_subsidy__enabled"] is False


def test_governance_and_switches():
    """Choices are passed by enum name; budget and audit rate switch no lever."""
    values = package_values("jczt")
    values.update(conditionality="verified_outcome", audit_rate=0.25, entity=True, budget=1.0e6)
    assert overrides("jczt", values) == {
        "policy__governance__conditionality": "verified_outcome",
        "policy__governance__audit_rate_share": 0.25,
        "policy__entity__enabled": True,
        "policy__budget_cny_per_year": 1.0e6,
    }


@pytest.mark.parametrize("name", ["outcome_based", "taicang_dual", "membership_grant"])
def test_sliders_reach_the_package_value(name):
    """No package's value lies beyond its slider."""
    values = package_values(name)
    for lever in LEVERS:
        if lever.kind in ("amount", "share"):
            assert 0 <= float(values[lever.key]) <= slider_maximum(lever, values[lever.key])
    assert BY_KEY["conditionality"].choices == ("membership", "activity", "verified_outcome")
