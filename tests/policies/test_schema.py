"""The typed schema and the shipped YAML agree; every shipped preset loads and validates."""

import pytest
from omegaconf import OmegaConf

from policies.levers import LEVERS
from policies.packages import available, load_package
from policies.schema import Config
from policies.validate import validate, validate_package
from tests.conftest import make_cfg


@pytest.mark.parametrize("group", ["behaviour", "uncertainty", "failure_modes"])
def test_schema_defaults_equal_the_shipped_defaults(group):
    """Code that builds the schema without YAML must see the documented numbers."""
    shipped = OmegaConf.to_container(make_cfg()[group])
    schema = OmegaConf.to_container(OmegaConf.structured(Config)[group])
    assert shipped == schema


@pytest.mark.parametrize("city", available("city"))
def test_every_city_preset_validates(city):
    validate(make_cfg(f"city={city}"))


@pytest.mark.parametrize("name", available("policy"))
def test_every_package_validates_and_states_a_budget(name):
    package = load_package(name)
    validate_package(package, name)
    assert package.name == name
    spends = any(getattr(package, lever.name).enabled for lever in LEVERS)
    assert (package.budget_cny_per_year > 0) == spends


def test_membership_grant_and_outcome_based_share_a_budget():
    assert (
        load_package("membership_grant").budget_cny_per_year
        == load_package("outcome_based").budget_cny_per_year
    )


def test_a_loaded_package_is_its_own_copy():
    """load_package builds on one cached typed schema; changing a loaded package changes
    neither the next one loaded nor the schema."""
    first = load_package("jczt")
    first.budget_cny_per_year = 1.0
    first.land.start_year = 9
    again = load_package("jczt")
    assert again.budget_cny_per_year != 1.0 and again.land.start_year != 9
    assert OmegaConf.get_type(again) is OmegaConf.get_type(first)
    assert load_package("none").budget_cny_per_year != 1.0


def test_an_edited_package_file_is_read_again(tmp_path, monkeypatch):
    """Loaded packages are kept per version of their file: an edit is seen at once."""
    monkeypatch.setattr("policies.packages.config_dir", lambda: tmp_path)
    (tmp_path / "policy").mkdir()
    path = tmp_path / "policy" / "mine.yaml"
    path.write_text("name: mine\nbudget_cny_per_year: 1000.0\n")
    assert load_package("mine").budget_cny_per_year == 1000.0
    path.write_text("name: mine\nbudget_cny_per_year: 25000.0\n")
    assert load_package("mine").budget_cny_per_year == 25000.0
