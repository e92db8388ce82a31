"""Every lever and governance setting does something, in the direction theory says.

Each test switches one lever on against the no-policy twin (same keys, common random
numbers) in a small city and checks (a) money flows on the lever's own budget line,
when it is a spending lever, and (b) the behaviour it acts through moves the right way.
"""

import dataclasses

import numpy as np
import pytest

from policies.levers import LEVER_NAMES, LEVERS
from policies.schema import Lever, Package
from sim.api import simulate
from tests.conftest import make_cfg

BASE = ["city=small", "years=10", "experiment.packages=[none]", "policy=none"]
R = 6


def paired(*overrides, replicates=R, city="small"):
    """Runs of the package ``none`` as modified by ``overrides``, and of the shipped none."""
    base = [o if not o.startswith("city=") else f"city={city}" for o in BASE]
    runs, _ = simulate(make_cfg(*base, *overrides, "policy.name=modified"), seeds=range(replicates))
    base = runs[runs.package == "none"].sort_values("replicate").reset_index(drop=True)
    mod = runs[runs.package == "modified"].sort_values("replicate").reset_index(drop=True)
    return base, mod


CITIES = ["small", "weifang_agri"]


@pytest.mark.parametrize("city", CITIES)
@pytest.mark.parametrize("lever", LEVERS, ids=LEVER_NAMES)
def test_every_lever_pays_on_its_line_and_moves_its_measure(lever, city):
    """Each registered lever, switched on at its registry amount (policies/levers.py
    ``effect``), pays on its own budget line only and moves the measure it acts through
    in its documented direction, by more than twice the paired standard error, in two
    cities, with the governance it needs to act (the credit rating: verified members). A
    lever that does nothing, or the opposite, fails here."""
    over = [f"policy.{lever.name}.enabled=true", "policy.budget_cny_per_year=1e9"]
    over += [f"policy.{lever.name}.{field}={value}" for field, value in lever.effect.settings.items()]
    over += [f"policy.governance.{field}={value}" for field, value in lever.effect.governance.items()]
    base, mod = paired(*over, replicates=16, city=city)
    assert mod[f"spend_{lever.name}"].sum() > 0
    others = [c for c in mod.columns if c.startswith("spend_") and c != f"spend_{lever.name}"]
    assert (mod[others] == 0).all().all(), "no money on other lines"
    diff = lever.effect.direction * (mod[lever.effect.measure] - base[lever.effect.measure])
    assert diff.mean() > 2 * diff.std(ddof=1) / np.sqrt(len(diff)) and diff.mean() > 0, diff.tolist()


def test_the_package_schema_has_a_block_per_registered_lever():
    """policies.schema.Package has exactly one field per registry row, of the row's block."""
    blocks = {f.name: f.default_factory() for f in dataclasses.fields(Package) if callable(f.default_factory)}
    lever_fields = {name for name, block in blocks.items() if isinstance(block, Lever)}
    assert lever_fields == set(LEVER_NAMES)
    for lever in LEVERS:
        assert isinstance(blocks[lever.name], lever.block)
        block = {f.name for f in dataclasses.fields(lever.block)}
        assert {term.field for term in lever.terms} <= block
        assert set(lever.effect.settings) <= block
        assert lever.control.field in block


def test_lever_window_limits_spending():
    """A lever active in years 2-4 pays only in those years."""
    runs, series = simulate(make_cfg(*BASE, "policy.name=window", "policy.budget_cny_per_year=1e9",
                                     "policy.membership_grant.enabled=true", "policy.membership_grant.cny_per_member_year=30000",
                                     "policy.membership_grant.start_year=2", "policy.membership_grant.end_year=4"), seeds=[0])  # fmt: skip
    paid = series[series.package == "window"].set_index("year")["spend_membership_grant_cny"]
    assert (paid.loc[[2, 3, 4]] > 0).all() and (paid.drop([2, 3, 4]) == 0).all()


def test_budget_line_caps_its_lever():
    runs, series = simulate(make_cfg(*BASE, "policy.name=capped", "policy.budget_cny_per_year=1e9",
                                     "policy.membership_grant.enabled=true", "policy.membership_grant.cny_per_member_year=30000",
                                     "policy.membership_grant.budget_cny_per_year=100000"), seeds=[0])  # fmt: skip
    paid = series[series.package == "capped"]["spend_membership_grant_cny"]
    assert paid.max() <= 100000 + 1e-6 and paid.max() > 0


def test_audits_deter_overreporting_under_activity_conditionality():
    """Activity conditionality: with no audits paper members over-report (the grant's
    expected value 30000 > 0); with full audits, clawback and a 40000 penalty the expected
    value is negative and nobody does."""
    grant = ["policy.budget_cny_per_year=1e9", "policy.membership_grant.enabled=true",
             "policy.membership_grant.cny_per_member_year=30000", "policy.governance.conditionality=activity"]  # fmt: skip
    runs_lax, s_lax = simulate(make_cfg(*BASE, "policy.name=lax", *grant), seeds=range(3))
    runs_strict, s_strict = simulate(make_cfg(*BASE, "policy.name=strict", *grant, "policy.governance.audit_rate_share=1.0",
                                              "policy.governance.penalty_cny=40000"), seeds=range(3))  # fmt: skip
    assert s_lax[s_lax.package == "lax"]["overreporters"].sum() > 0
    assert s_strict[s_strict.package == "strict"]["overreporters"].sum() == 0
    some_audits = make_cfg(*BASE, "policy.name=some", *grant, "policy.governance.audit_rate_share=0.5")
    _, s_some = simulate(some_audits, seeds=range(3))
    assert s_some[s_some.package == "some"]["clawback_cny"].sum() > 0


def test_entity_helps_matching_and_costs_budget():
    """The operating entity lowers coordination costs and raises partner matching: more
    firms train, and its cost shows on its line."""
    base, mod = paired("policy.entity.enabled=true", "policy.budget_cny_per_year=1e9", replicates=10)
    assert (mod["spend_entity"] > 0).all()
    assert mod["training_share"].mean() > base["training_share"].mean()
    assert mod["membership_rate"].mean() > base["membership_rate"].mean()


def test_school_kpi_on_outcomes_raises_active_per_signed():
    """Schools judged on active partnerships stop chasing paper agreements (校热企冷)."""
    base, mod = paired("policy.governance.school_kpi=outcomes")
    assert (mod["signed_per_school"] < base["signed_per_school"]).mean() > 0.8
    assert mod["active_per_signed"].mean() > base["active_per_signed"].mean()


@pytest.mark.parametrize(
    "override, measure, sign",
    [
        ("uncertainty.outside_wage_premium_share=0.6", "local_retention", -1),
        ("uncertainty.local_preference_share=0.9", "local_retention", +1),
        ("uncertainty.tech_drift_share=0.25", "mean_relevance", -1),
        ("uncertainty.poaching_intensity_share=0.6", "poaching_rate", +1),
        ("uncertainty.firm_cost_heterogeneity_share=0.4", "training_share", +1),
        ("uncertainty.demand_growth_mean_share=0.10", "in_field_local_rate", +1),
        ("uncertainty.skill_generality_share=1.0", "training_share", -1),
    ],
)
def test_each_uncertainty_moves_its_measure(override, measure, sign):
    """Theory: a higher outside premium drains talent; attachment keeps it; faster drift
    erodes curricula; poaching poaches; more spread in apprentice productivity puts more
    firms in the profitable tail; growing demand places more graduates in field.
    Uncertainties are shared by all arms, so the comparison is between two futures."""
    base, _ = simulate(make_cfg(*BASE), seeds=range(R))
    mod, _ = simulate(make_cfg(*BASE, override), seeds=range(R))
    diff = sign * (mod[measure] - base[measure])
    assert diff.mean() > 0, (measure, diff.tolist())


def test_recession_cuts_vacancies_in_its_years():
    _, series = simulate(make_cfg(*BASE, "policy.name=recession", "uncertainty.recession_year=5"), seeds=[0])
    # both arms see the recession (it is in the shared uncertainty), so compare years
    v = series[series.package == "none"].set_index("year")["vacancies"]
    assert v.loc[5] < 0.85 * v.loc[4] and v.loc[7] > v.loc[6]


def test_phase_out_year_stops_every_package_after_it():
    """experiment.phase_out_year=4: no package spends after year 4, and the persistence
    measures are defined for packages that spent."""
    cfg = make_cfg(
        "city=small", "years=9", "experiment.phase_out_year=4", "experiment.packages=[none,jczt,taicang_dual]"
    )
    runs, series = simulate(cfg, seeds=range(2))
    assert (series[series.year > 4]["fiscal_cost_cny"] == 0).all()
    assert (series[(series.year <= 4) & (series.package == "jczt")]["fiscal_cost_cny"] > 0).any()
    assert runs[runs.package == "jczt"]["exit_year"].eq(4).all()


def test_award_expectations_depend_on_the_expected_contenders():
    """Firms that expect few contenders value an award more: more of them go deep."""
    over = ["policy.awards.enabled=true", "policy.awards.cny_per_award=200000", "policy.awards.awards_per_year=4",
            "policy.budget_cny_per_year=1e9"]  # fmt: skip
    few, _ = simulate(
        make_cfg(*BASE, "policy.name=few", *over, "behaviour.award_contenders_prior_share=0.05"),
        seeds=range(R),
    )
    many, _ = simulate(
        make_cfg(*BASE, "policy.name=many", *over, "behaviour.award_contenders_prior_share=0.8"),
        seeds=range(R),
    )
    assert few[few.package == "few"]["deep_share"].mean() > many[many.package == "many"]["deep_share"].mean()


@pytest.mark.parametrize(
    "override, direction",
    [("city.government.assessment_weight_cny=1.5e7", +1), ("city.government.fiscal_burden_share=1.0", -1)],
)
def test_payoff_driven_effort_follows_the_governments_own_payoff(override, direction):
    """Under the payoff rule the administration implements more when the upper level's
    assessment weighs more, and less when a yuan paid out costs it more (its own share
    of the burden); the contest rule ignores the burden."""
    over = ["city=small", "years=10", "policy=jczt", "experiment.packages=[jczt]",
            "city.government.effort_rule=payoff", "city.government.assessment_weight_cny=1.0e6"]  # fmt: skip
    base, _ = simulate(make_cfg(*over), seeds=range(4))
    moved, _ = simulate(make_cfg(*over, override), seeds=range(4))
    change = moved[moved.package == "jczt"]["effort"].mean() - base[base.package == "jczt"]["effort"].mean()
    assert direction * change > 0.02, change
    if "fiscal_burden" in override:
        contest = [o for o in over if "effort_rule" not in o]
        a, _ = simulate(make_cfg(*contest), seeds=range(2))
        b, _ = simulate(make_cfg(*contest, override), seeds=range(2))
        assert a["effort"].tolist() == b["effort"].tolist()


SCALES = (0.0, 0.5, 1.0, 2.0)


@pytest.mark.parametrize("city", CITIES)
@pytest.mark.parametrize(
    "lever", [lever for lever in LEVERS if lever.effect.settings], ids=lambda lever: lever.name
)
def test_every_lever_acts_in_its_direction_over_a_range_of_amounts(lever, city):
    """Each lever at 0, half, the registry's and twice the registry's amounts (counts, such
    as the number of awards, and caps kept): its measure never steps against its
    documented direction by more than 2 paired standard errors (it may saturate: all
    teachers trained), and twice the amount beats none by more than 2. MODEL.md §7: more
    of a lever never does less."""
    keep = {"awards_per_year", "surcharge_rate_share"}
    measured = []
    for scale in SCALES:
        over = [f"policy.{lever.name}.enabled=true", "policy.budget_cny_per_year=1e9"]
        over += [f"policy.{lever.name}.{field}={value if field in keep else value * scale}"
                 for field, value in lever.effect.settings.items()]  # fmt: skip
        over += [f"policy.governance.{field}={value}" for field, value in lever.effect.governance.items()]
        _, mod = paired(*over, replicates=16, city=city)
        measured.append(lever.effect.direction * mod[lever.effect.measure].to_numpy())
    for low, high in zip(measured, measured[1:], strict=False):
        step = high - low
        assert step.mean() >= -2 * step.std(ddof=1) / np.sqrt(len(step)), [m.mean() for m in measured]
    whole = measured[-1] - measured[0]
    assert whole.mean() > 2 * whole.std(ddof=1) / np.sqrt(len(whole)), [m.mean() for m in measured]
