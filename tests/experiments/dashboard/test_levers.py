"""Levers: every registry lever and setting has its control, naming a real package field;
a setting becomes the model's keyword overrides, only for what was changed, switching the
lever on or off."""

from dataclasses import replace

import pytest
from omegaconf import OmegaConf

from experiments.dashboard import levers
from experiments.dashboard.levers import (
    BY_KEY,
    LEVERS,
    lever_control,
    overrides,
    package_values,
    packages,
    setting_control,
    slider_maximum,
)
from policies import levers as registry
from policies.packages import load_package

SHOWN_SETTINGS = [setting for setting in registry.SETTINGS if setting.control is not None]


def test_every_lever_is_a_package_field():
    """Each control's path exists in every shipped package (a renamed field fails here)."""
    for name in packages():
        package = load_package(name)
        for lever in LEVERS:
            assert OmegaConf.select(package, lever.path, default="missing") != "missing", (name, lever.path)


@pytest.mark.parametrize("lever", registry.LEVERS, ids=registry.LEVER_NAMES)
def test_every_registry_lever_has_its_control(lever):
    """A registry row is a control of the side bar: its field, kind and range."""
    control = BY_KEY[lever.name]
    assert control.path == f"{lever.name}.{lever.control.field}"
    assert (control.kind, control.maximum, control.step) == (
        lever.control.kind, lever.control.maximum, lever.control.step
    )  # fmt: skip
    assert control.group == ("governance" if lever.control.kind == "switch" else "money")
    assert control.switches_lever == (None if lever.control.kind == "switch" else lever.name)


@pytest.mark.parametrize("setting", SHOWN_SETTINGS, ids=[s.key for s in SHOWN_SETTINGS])
def test_every_setting_with_a_control_is_shown(setting):
    """A package-wide setting with a control is a control that switches no lever."""
    control = BY_KEY[setting.key]
    assert control.path == setting.control.field == setting.path
    assert control.choices == setting.control.choices
    assert control.switches_lever is None
    assert control.group == ("governance" if setting.path.startswith("governance.") else "money")


def test_the_side_bar_holds_the_registries_and_nothing_else():
    """One control per lever and per shown setting, the budget first, switches last."""
    assert len(LEVERS) == len(registry.LEVERS) + len(SHOWN_SETTINGS) == 26
    assert all(setting.control is not None for setting in registry.SETTINGS), "every setting has a control"
    assert LEVERS[0].key == "budget"
    groups = [lever.group for lever in LEVERS]
    assert groups == sorted(groups, key=["money", "governance"].index)
    assert [lever.key for lever in LEVERS[-3:]] == ["entity", "info_platform", "tech_platform"]


def test_unknown_kind_fails_loudly():
    """A control kind the page cannot draw is refused when the controls are built."""
    lever = registry.BY_NAME["land"]
    with pytest.raises(ValueError, match="dial"):
        lever_control(replace(lever, control=replace(lever.control, kind="dial")))
    with pytest.raises(ValueError, match="choice"):
        lever_control(replace(lever, control=replace(lever.control, kind="choice")))
    with pytest.raises(ValueError, match="no dashboard control"):
        setting_control(replace(registry.SETTINGS[0], control=None))


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


def test_the_levers_new_to_the_side_bar_switch_too():
    """Land, credit, awards and teacher training set their field and switch their lever."""
    values = package_values("none")
    values.update(land=0.5, credit=0.25, awards=200000.0, teacher_training=2.0e6)
    assert overrides("none", values) == {
        "policy__land__price_discount_share": 0.5,
        "policy__land__enabled": True,
        "policy__credit__interest_subsidy_share": 0.25,
        "policy__credit__enabled": True,
        "policy__awards__cny_per_award": 200000.0,
        "policy__awards__enabled": True,
        "policy__teacher_training__cny_per_year": 2.0e6,
        "policy__teacher_training__enabled": True,
    }
    values = package_values("jczt")
    values["land"] = 0.0
    assert overrides("jczt", values) == {
        "policy__land__price_discount_share": 0.0,
        "policy__land__enabled": False,
    }


def test_a_count_is_a_whole_number_that_switches_its_lever(monkeypatch):
    """A ``count`` control (an integer field) passes an int and switches its lever."""
    lever = registry.BY_NAME["awards"]
    control = lever_control(replace(lever, control=registry.Control("awards_per_year", "count", 20, 1)))
    assert (control.kind, control.path, control.switches_lever) == (
        "count",
        "awards.awards_per_year",
        "awards",
    )
    monkeypatch.setitem(levers.BY_KEY, "awards", control)
    monkeypatch.setattr(levers, "package_values", lambda package: {"awards": 0})
    result = overrides("none", {"awards": 3.0})
    assert result == {"policy__awards__awards_per_year": 3, "policy__awards__enabled": True}
    assert isinstance(result["policy__awards__awards_per_year"], int)


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


@pytest.mark.parametrize("name", ["outcome_based", "taicang_dual", "membership_grant", "jczt"])
def test_sliders_reach_the_package_value(name):
    """No package's value lies beyond its slider."""
    values = package_values(name)
    for lever in LEVERS:
        if lever.kind in levers.SLIDERS:
            assert 0 <= float(values[lever.key]) <= slider_maximum(lever, values[lever.key])
        elif lever.kind == "choice":
            assert values[lever.key] in lever.choices


def test_the_governance_settings_new_to_the_side_bar_set_their_fields():
    """Clawback, penalty and the service-period clause (before: no control) set their
    package fields."""
    values = package_values("none")
    values.update(
        clawback=0.5, penalty=100000.0, payback_clause=True, payback_service=5, payback_repayment=0.3
    )
    changed = overrides("none", values)
    assert changed == {
        "policy__governance__clawback_share": 0.5,
        "policy__governance__penalty_cny": 100000.0,
        "policy__governance__payback_clause": True,
        "policy__governance__payback_service_years": 5,
        "policy__governance__payback_repayment_share": 0.3,
    }


def test_every_lever_has_its_years_as_the_package_sets_them():
    """Each registry lever has a window of years in every package (before: no control)."""
    for name in packages():
        package = load_package(name)
        windows = levers.package_windows(name)
        assert set(windows) == set(registry.LEVER_NAMES)
        for lever, (start, end) in windows.items():
            assert start == package[lever].start_year and end == package[lever].end_year


@pytest.mark.parametrize(
    ("window", "n_years", "shown"),
    [
        ((0, None), 15, (1, 15, 15)),  # all years of the run
        ((2, 5), 15, (3, 6, 15)),  # model years 2..5 are the page's years 3..6
        ((0, 19), 15, (1, 20, 20)),  # a window beyond the run is shown as it is, not cut
        ((20, None), 15, (21, 21, 21)),  # a lever that starts after the run
    ],
)
def test_years_are_shown_from_1_as_the_page_counts_them(window, n_years, shown):
    assert levers.years_shown(window, n_years) == shown


def test_a_range_set_on_the_side_bar_is_the_levers_window():
    """Years from 1 become the model's from 0; a range to the run's last year runs to the
    end; a range that cannot be is refused, never turned into some other window."""
    assert levers.window_set(3, 6, 15) == (2, 5)
    assert levers.window_set(1, 15, 15) == (0, None)
    assert levers.window_set(1, 20, 15) == (0, 19)
    for first, last in ((0, 4), (5, 4)):
        with pytest.raises(ValueError, match="first before last"):
            levers.window_set(first, last, 15)
    for window in ((0, None), (2, 5), (4, 4)):
        assert levers.window_set(*levers.years_shown(window, 15)[:2], 15) == window


def test_changed_years_give_their_overrides_and_only_those():
    values = package_values("jczt")
    windows = levers.package_windows("jczt")
    assert overrides("jczt", values, windows) == {}
    windows["land"] = (2, 5)
    windows["credit"] = (3, None)
    assert overrides("jczt", values, windows) == {
        "policy__land__start_year": 2,
        "policy__land__end_year": 5,
        "policy__credit__start_year": 3,
        "policy__credit__end_year": None,
    }
