"""sim.ConsortiumModel: the Mesa path's contract, its exact agreement with the core in
the core's agent order, determinism, and mesa.batch_run."""

import math

import mesa
import numpy as np
import pandas as pd
import pytest

from agents.government import G
from policies.validate import ConfigError
from sim import ConsortiumModel
from sim.engine import RunOutput, run_one
from sim.measures import classify, summarise
from sim.rng import run_key
from sim.series import SERIES_NAMES

SMALL = {"city": "small", "years": 6}


def _run(**kwargs) -> ConsortiumModel:
    model = ConsortiumModel(**kwargs)
    while model.running:
        model.step()
    return model


def _core(model: ConsortiumModel, seed: int) -> RunOutput:
    return run_one(model.cfg.city, model.p, model.terms, model.lines, run_key(seed, 0, 0))


@pytest.mark.parametrize(
    "overrides",
    [
        {"policy": "jczt"},
        {"policy": "membership_grant", "policy__governance__conditionality": "activity",
         "policy__governance__audit_rate_share": 0.4},
        {"policy": "taicang_dual", "behaviour__decision_rule": "imitation"},
        {"policy": "apprentice_subsidy", "behaviour__decision_rule": "imitation",
         "city__government__effort_rule": "imitation", "city__government__assessment_weight_cny": 0.0,
         "policy__governance__pathway_share": 0.4},
        {"policy": "outcome_based", "behaviour__partners_required": False,
         "city__government__effort_rule": "payoff", "uncertainty__recession_year": 2},
    ],
)  # fmt: skip
def test_in_the_core_order_every_year_equals_the_core_bit_for_bit(overrides):
    """Same draws, same order: every series, depth and payment of every year is equal."""
    model = _run(seed=11, agent_order="core", **SMALL, **overrides)
    core = _core(model, 11)
    np.testing.assert_array_equal(model.series, core.series)
    np.testing.assert_array_equal(model.depth_history, core.depth_history)
    np.testing.assert_array_equal(model.paid_history, core.paid_history)


@pytest.mark.parametrize(
    "overrides", [{"policy": "jczt"}, {"policy": "taicang_dual", "behaviour__decision_rule": "imitation"}]
)
def test_mesa_shuffle_changes_nothing_the_run_is_the_cores(overrides):
    """Mesa's shuffle visits only the agents' own, order-free steps (the markets are the
    core's kernels, in the core's keyed order), so the default order is the core's run."""
    shuffled = _run(seed=3, **SMALL, **overrides)
    core = _core(shuffled, 3)
    np.testing.assert_array_equal(shuffled.series, core.series)
    np.testing.assert_array_equal(shuffled.depth_history, core.depth_history)
    np.testing.assert_array_equal(shuffled.paid_history, core.paid_history)


def test_agents_are_views_of_the_core_arrays():
    """An agent's attribute is its row of the model's arrays: reading, writing, per sector."""
    model = _run(seed=4, policy="jczt", city="small", years=4)
    firms, schools, students = model.tables.firms, model.tables.schools, model.tables.students
    firm, school, student = model.firms[7], model.schools[2], model.students[-1]
    assert firm.depth == firms.depth[7] and isinstance(firm.depth, int)
    assert firm.partner == firms.partner[7] and firm.retention_belief == firms.retention_belief[7]
    np.testing.assert_array_equal(school.relevance, schools.relevance[2])
    assert school.active == schools.active[2] and student.skill == students.skill[student.index]
    firm.depth = 3
    school.relevance[1] = 0.25
    assert firms.depth[7] == 3 and schools.relevance[2, 1] == 0.25
    assert model.government.effort == model.tables.gov[G.effort]


def test_same_seed_same_data_and_different_seed_different_data():
    a = _run(seed=5, policy="apprentice_subsidy", **SMALL)
    b = _run(seed=5, policy="apprentice_subsidy", **SMALL)
    c = _run(seed=6, policy="apprentice_subsidy", **SMALL)
    frame_a = a.datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(frame_a, b.datacollector.get_model_vars_dataframe())
    pd.testing.assert_frame_equal(
        a.datacollector.get_agent_vars_dataframe(), b.datacollector.get_agent_vars_dataframe()
    )
    assert not frame_a.equals(c.datacollector.get_model_vars_dataframe())


def test_years_reporters_and_the_dashboard_contract():
    model = ConsortiumModel(seed=2, policy="membership_grant", **SMALL)
    assert (model.year, model.n_years, model.running) == (0, 6, True)
    assert model.series_frame().empty and math.isnan(model.summary()["deep_share"])
    assert not any(model.failure_modes().values())
    for _ in range(6):
        model.step()
    assert (model.year, model.running) == (6, False)
    frame = model.series_frame()
    assert list(frame.columns) == ["year", *SERIES_NAMES] and frame["year"].tolist() == list(range(6))
    collected = model.datacollector.get_model_vars_dataframe()
    assert list(collected.columns) == list(SERIES_NAMES) and len(collected) == 7  # set-up + 6 years
    np.testing.assert_array_equal(collected.iloc[1:].to_numpy(), frame[list(SERIES_NAMES)].to_numpy())
    depths = model.firm_depths()
    assert depths.shape == (40,) and depths.min() >= 0 and depths.max() <= 4
    assert frame["depth_4"].iloc[-1] == pytest.approx(np.mean(depths == 4))
    agents = model.datacollector.get_agent_vars_dataframe().xs(6, level="Step")
    firms = agents[agents["kind"] == "Enterprise"]
    np.testing.assert_array_equal(firms["depth"].to_numpy(), depths)
    assert agents.loc[agents["kind"] == "Student", "skill"].notna().all()
    run = RunOutput(model.series, model.depth_history, model.paid_history)
    assert model.summary() == pytest.approx(summarise(run, 5), nan_ok=True)
    assert model.failure_modes() == classify(summarise(run, 5), model.cfg.failure_modes)


def test_partnership_edges_are_the_signed_and_active_agreements():
    """Active ties are the firms training with the school (depth >= 3); signed ties add
    up to each school's signed count, and active ones to its active count."""
    model = _run(seed=4, policy="jczt", **SMALL)
    edges = model.partnership_edges()
    depths = model.firm_depths()
    for school in model.schools:
        mine = [(f, active) for s, f, active in edges if s == school.index]
        assert sum(active for _, active in mine) == school.active
        assert all(depths[f] >= 3 for f, active in mine if active)
        assert len(mine) <= school.signed
    assert sum(active for *_, active in edges) == model.series_frame()["active"].iloc[-1]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"policy": "nope"}, "policy"),
        ({"city": 3}, "city"),
        ({"calibration": "mars"}, "calibration"),
        ({"policy__audit_rate": 0.2}, "policy.audit_rate"),
        ({"policy__governance__audit_rate_share": 1.5}, "policy.governance.audit_rate_share"),
        ({"policy__governance__conditionality": "hope"}, "policy.governance.conditionality"),
        ({"years": "many"}, "years"),
        ({"years": 0}, "years"),
        ({"agent_order": "alphabetical"}, "agent_order"),
        ({"seed": -1}, "seed"),
    ],
)
def test_a_bad_name_or_value_is_a_config_error_naming_the_field(overrides, field):
    with pytest.raises(ConfigError) as error:
        ConsortiumModel(**overrides)
    assert error.value.field == field


def test_a_calibration_preset_needs_the_shipped_config_and_numpy_seeds_are_integers():
    """A calibration preset patches several groups, so it cannot be laid over a given cfg."""
    model = ConsortiumModel(seed=np.int64(3), calibration="china_like", **SMALL)
    assert model.cfg.seed == 3 and model.cfg.behaviour.productive_share_mean == 0.6
    with pytest.raises(ConfigError) as error:
        ConsortiumModel(cfg=model.cfg, calibration="china_like")
    assert error.value.field == "calibration"


def test_an_unknown_preset_lists_the_allowed_ones():
    with pytest.raises(ConfigError, match="allowed: .*jczt.*outcome_based"):
        ConsortiumModel(policy="nope")


def test_overrides_reach_the_config_and_a_given_cfg_is_not_changed():
    model = ConsortiumModel(
        seed=1, policy="outcome_based", policy__governance__audit_rate_share=0.25, **SMALL
    )
    assert model.cfg.policy.governance.audit_rate_share == 0.25 and model.cfg.city.name == "small"
    again = ConsortiumModel(cfg=model.cfg, seed=2, policy="jczt", years=3)
    assert (again.cfg.policy.name, again.cfg.years, again.cfg.seed) == ("jczt", 3, 2)
    assert (model.cfg.policy.name, model.cfg.years, model.cfg.seed) == ("outcome_based", 6, 1)
    assert ConsortiumModel().cfg.city.name == "suzhou_robotics"  # no cfg: the shipped default


def test_batch_run_runs_each_combination_and_returns_the_collected_columns():
    results = pd.DataFrame(
        mesa.batch_run(
            ConsortiumModel,
            parameters={"seed": [0, 1], "policy": ["none", "jczt"], "city": "small", "years": 3},
            iterations=1,
            max_steps=10,
            number_processes=1,
            data_collection_period=1,
            display_progress=False,
        )
    )
    assert {"seed", "policy", *SERIES_NAMES, "depth", "partners", "skill"} <= set(results.columns)
    assert results["RunId"].nunique() == 4
    # the rows of one run are what its own DataCollector recorded (Mesa 3.3's batch_run
    # reports steps 0 .. steps - 1: mesa issue #2514)
    run = results[(results["seed"] == 1) & (results["policy"] == "jczt")]
    own = _run(seed=1, policy="jczt", city="small", years=3).datacollector.get_model_vars_dataframe()
    assert sorted(run["Step"].unique()) == [0, 1, 2]
    for step, rows in run.groupby("Step"):
        assert rows["deep_share"].nunique(dropna=False) == 1
        assert rows["deep_share"].iloc[0] == pytest.approx(own["deep_share"].iloc[step], nan_ok=True)


def test_measures_against_the_no_policy_twin_are_the_cores():
    """With the no-policy run as baseline, the model's summary carries the measures against
    the twin (cost per extra deep member, deadweight, persistence after the money stops),
    and they equal the core's for the same key: in the core's agent order the two paths
    are the same run, so these are the same numbers. Without a baseline there are none,
    and collapse after exit cannot be judged."""
    from experiments.validation import compose_cfg
    from sim.api import simulate

    lever = "policy__membership_grant__end_year"
    common = {"city": "small", "years": 10, "seed": 5, "agent_order": "core"}
    model = ConsortiumModel(policy="outcome_based", **{lever: 3}, **common)
    twin = ConsortiumModel(policy="none", **common)
    for m in (model, twin):
        while m.running:
            m.step()
    cfg = compose_cfg("city=small", "years=10", "seed=5", "policy=outcome_based",
                      "policy.membership_grant.end_year=3", "experiment.packages=[none]")  # fmt: skip
    row = simulate(cfg, seeds=[0])[0].set_index("package").loc["outcome_based"]
    summary = model.summary(twin)
    for name in ("exit_year", "gain_at_exit", "persistence_after_exit", "deadweight_share",
                 "cost_per_additional_deep_member_cny"):  # fmt: skip
        assert summary[name] == pytest.approx(row[name], nan_ok=True), name
    assert summary["exit_year"] == 3
    assert model.failure_modes(twin)["fm_collapse_after_exit"] == row["fm_collapse_after_exit"]
    assert "exit_year" not in model.summary()
    with pytest.raises(ValueError, match="baseline"):
        model.summary(ConsortiumModel(policy="none", **common))  # a twin at year 0


def test_a_phase_out_year_stops_the_money_as_in_the_core():
    """``experiment__phase_out_year=2``: every lever stops after year 2, as
    ``sim.api.phase_out`` makes it for the core; no money is paid from year 3 on, and in
    the core's agent order the run is the core's phase-out run bit for bit."""
    from experiments.validation import compose_cfg
    from sim.api import simulate

    common = {"city": "small", "years": 6, "seed": 2, "policy": "jczt", "agent_order": "core"}
    model = ConsortiumModel(experiment__phase_out_year=2, **common)
    while model.running:
        model.step()
    paid = model.series_frame()["fiscal_cost_cny"].to_numpy()
    assert paid[:3].sum() > 0 and np.all(paid[3:] == 0)
    cfg = compose_cfg("city=small", "years=6", "seed=2", "policy=jczt", "experiment.phase_out_year=2",
                      "experiment.packages=[jczt]")  # fmt: skip
    core = simulate(cfg, seeds=[0])[1]
    core = core[core["package"] == "jczt"].reset_index(drop=True)
    pd.testing.assert_frame_equal(model.series_frame()[list(SERIES_NAMES)], core[list(SERIES_NAMES)])
