"""A search for a package (issue 16), first step: what a search is checked for, and how a
candidate is made and evaluated (common random numbers)."""

import pandas as pd
import pytest

from experiments.search import CANDIDATE, candidate_config, evaluate, objectives
from policies.schema import Factor, Target
from policies.validate import ConfigError, validate
from sim.api import simulate
from tests.conftest import make_cfg

SMALL = ["city=small", "years=6", "experiment.replicates=3"]


def _searching(**search):
    cfg = make_cfg(*SMALL)
    cfg.experiment.search.decisions = search.get(
        "decisions", {"policy.apprentice_subsidy.cny_per_apprentice_year": Factor(low=0.0, high=20000.0)}
    )
    cfg.experiment.search.objectives = search.get("objectives", {"healthy": "max", "fiscal_cost": "min"})
    cfg.experiment.search.constraints = search.get("constraints", {})
    return cfg


@pytest.mark.parametrize(
    "search, field, allowed",
    [
        ({"decisions": {"policy.foo.bar": Factor(low=0.0, high=1.0)}}, "experiment.search.decisions.policy.foo.bar", ""),
        ({"decisions": {"city.n_firms": Factor(kind="int", low=10, high=20)}}, "experiment.search.decisions.city.n_firms",
         "policy."),
        ({"objectives": {"happiness": "max"}}, "experiment.search.objectives.happiness", "in_field_local"),
        ({"objectives": {"healthy": "up"}}, "experiment.search.objectives.healthy", "max, min"),
        ({"decisions": {"policy.budget_cny_per_year": Factor(low=5.0e6, high=1.0e6)}},
         "experiment.search.decisions.policy.budget_cny_per_year", "low <= high"),
        ({"decisions": {"policy.governance.conditionality": Factor(kind="categorical")}},
         "experiment.search.decisions.policy.governance.conditionality.choices", "choices"),
        ({"decisions": {"policy.budget_cny_per_year": Factor(low=-1.0, high=1.0e6)}},
         "experiment.search.decisions.policy.budget_cny_per_year.low", "non-negative"),
        ({"constraints": {"fiscal_cost": Target(at_least=2.0, at_most=1.0)}}, "experiment.search.constraints.fiscal_cost",
         "above"),
        ({"decisions": {"policy.budget_cny_per_year": Factor(low=0.0, high=1.0e6, step=3.0e5)}},
         "experiment.search.decisions.policy.budget_cny_per_year.step", "whole steps"),
        ({"decisions": {"policy.budget_cny_per_year": Factor(low=0.0, high=1.0e6, step=0.0)}},
         "experiment.search.decisions.policy.budget_cny_per_year.step", "above zero"),
    ],
)  # fmt: skip
def test_a_bad_search_is_refused_naming_the_field(search, field, allowed):
    with pytest.raises(ConfigError) as refused:
        validate(_searching(**search))
    assert str(refused.value).startswith(f"{field}:") and allowed in str(refused.value), str(refused.value)


def test_a_good_search_passes():
    validate(_searching(constraints={"fiscal_cost": Target(at_most=6.0e6)}))


def test_an_amount_switches_its_lever_and_zero_switches_it_off():
    cfg = make_cfg(*SMALL, "policy=apprentice_subsidy")
    on = candidate_config(cfg, {"policy.membership_grant.cny_per_member_year": 30000.0})
    off = candidate_config(cfg, {"policy.apprentice_subsidy.cny_per_apprentice_year": 0.0})
    assert on.policy.membership_grant.enabled and on.policy.apprentice_subsidy.enabled
    assert not off.policy.apprentice_subsidy.enabled
    assert on.policy.name == CANDIDATE and list(on.experiment.packages) == [CANDIDATE]
    assert cfg.policy.name == "apprentice_subsidy"  # the config itself is left as it was


def test_a_candidate_equal_to_a_package_has_its_numbers_on_the_same_keys():
    """Common random numbers: the candidate made of apprentice_subsidy's own amount runs
    exactly as apprentice_subsidy does in simulate(), replicate by replicate."""
    cfg = make_cfg(*SMALL, "policy=apprentice_subsidy")
    runs = evaluate(cfg, {"policy.apprentice_subsidy.cny_per_apprentice_year": 8000.0}, range(3))
    shipped, _ = simulate(
        make_cfg(*SMALL, "policy=apprentice_subsidy", "experiment.packages=[apprentice_subsidy]")
    )
    shipped = shipped[shipped["package"] == "apprentice_subsidy"].reset_index(drop=True)
    columns = ["training_share", "in_field_local", "fiscal_cost", "healthy", "run_key"]
    pd.testing.assert_frame_equal(runs[columns].reset_index(drop=True), shipped[columns])


def test_a_larger_subsidy_trains_more_on_the_same_draws():
    """Candidates differ only by what they set: more per apprentice-year, more firms
    train (the lever's registry direction), replicate by replicate on average."""
    cfg = _searching(objectives={"training_share": "max"}, constraints={"fiscal_cost": Target(at_most=1e9)})
    low = evaluate(cfg, {"policy.apprentice_subsidy.cny_per_apprentice_year": 2000.0}, range(6))
    high = evaluate(cfg, {"policy.apprentice_subsidy.cny_per_apprentice_year": 20000.0}, range(6))
    assert (
        objectives(high, cfg.experiment.search)["training_share"]
        > objectives(low, cfg.experiment.search)["training_share"]
    )
    assert set(objectives(high, cfg.experiment.search)) == {"training_share", "fiscal_cost"}


def test_a_stepped_decision_takes_only_its_steps_and_reaches_zero():
    """A float decision with a step is searched over low, low + step, ..., high: the
    values decode to round numbers (0.3, not 0.30000000000000004), a package on the steps
    encodes exactly and one between them is named as missed."""
    from experiments.search import decode, encode, variables
    from policies.packages import load_package

    cfg = _searching(decisions={"policy.training_centre_grant.investment_share": Factor(low=0.0, high=0.5, step=0.05),
                                "policy.land.price_discount_share": Factor(low=0.0, high=1.0, step=0.05)})  # fmt: skip
    search = cfg.experiment.search
    grant = variables(search)["policy.training_centre_grant.investment_share"]
    assert (grant.lb, grant.ub) == (0, 10)
    assert decode(search, {"policy.training_centre_grant.investment_share": 6, "policy.land.price_discount_share": 0}) \
        == {"policy.training_centre_grant.investment_share": 0.3, "policy.land.price_discount_share": 0.0}  # fmt: skip
    jczt = load_package("jczt")
    x, missed = encode(search, jczt, load_package("none"))
    assert x == {"policy.training_centre_grant.investment_share": 6, "policy.land.price_discount_share": 10}
    assert any("apprentice_subsidy" in m for m in missed)  # jczt's other levers: no decision covers them
    jczt.land.price_discount_share = 0.52
    _, missed = encode(search, jczt, load_package("none"))
    assert any("not on its steps" in m for m in missed)


def test_the_answer_is_the_cheapest_meeting_the_question_else_the_nearest():
    """Hand-made front: the cheapest point healthy in >= 90% is b; none is healthy in
    >= 99%, and the nearest is the healthiest (c, 97%), the cheaper of the two there."""
    from experiments.design_report import answer
    from policies.schema import Answer

    front = pd.DataFrame({"point": ["a", "b", "c", "d"], "fiscal_cost": [1.0e6, 2.0e6, 3.0e6, 3.5e6],
                          "healthy": [0.80, 0.95, 0.97, 0.97]})  # fmt: skip
    cfg = _searching()
    cfg.experiment.search.answer = Answer(measure="fiscal_cost", direction="min",
                                          where={"healthy": Target(at_least=0.9)})  # fmt: skip
    assert answer(front, cfg.experiment.search) == ("b", True)
    cfg.experiment.search.answer.where = {"healthy": Target(at_least=0.99)}
    assert answer(front, cfg.experiment.search) == ("c", False)
    assert answer(front.iloc[:0], cfg.experiment.search) == (None, False)
