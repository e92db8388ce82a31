"""The administration's effort and its checks on claims (issue 14).

Effort was the contest ratio gain / (gain + cost): zero exactly at zero gain (a point
written in) and still 36% of claims paid with a gain below the cost of handling them.
Verification was perfect and free: under ``verified_outcome`` an audit rate of 1 with a
100,000-yuan penalty gave results identical to no audit, and the penalty was never
charged to anyone.
"""

import math

import numpy as np
import pandas as pd
import pytest

from agents.enterprise import overreport_value_cny
from agents.government import effort_target
from policies.params import P, build_params
from policies.terms import N_TERMS, T
from sim.api import simulate
from tests.conftest import make_cfg

CITIES = ("small", "suzhou_robotics")


@pytest.fixture(scope="module")
def p():
    return build_params(make_cfg())


def test_effort_is_the_chance_implementing_pays_by_hand(p):
    """A logit of gain − cost with noise 0.1 x (gain + cost): one half when they are
    equal; 1 / (1 + e^(1/0.1 x 0.5/1.5)) at half the cost; 1 / (1 + e^10) with no gain at
    all (no point written in: it is the same formula); rising with the gain."""
    assert p[P.effort_noise_share] == 0.1
    assert effort_target(1e6, 1e6, True, p) == pytest.approx(0.5)
    assert effort_target(0.5e6, 1e6, True, p) == pytest.approx(1 / (1 + math.exp(0.5 / 0.15)))
    assert effort_target(0.0, 1e6, True, p) == pytest.approx(1 / (1 + math.exp(10.0)))
    gains = np.linspace(0.0, 4e6, 41)
    efforts = [effort_target(g, 1e6, True, p) for g in gains]
    assert all(b > a for a, b in zip(efforts, efforts[1:], strict=False))
    assert effort_target(0.0, 1e6, False, p) == 1.0  # no package to run
    loose = p.copy()
    loose[P.effort_noise_share] = 0.5  # more noise: a half-cost gain is delivered more often
    assert effort_target(0.5e6, 1e6, True, loose) == pytest.approx(1 / (1 + math.exp(0.5 / 0.75)))


def _runs(city, *over, package="apprentice_subsidy", years=12):
    cfg = make_cfg(
        f"city={city}", f"years={years}", f"policy={package}", f"experiment.packages=[{package}]", *over
    )
    series = simulate(cfg, seeds=range(6))[1]
    return series[series["year"] >= 4]


@pytest.mark.parametrize("city", CITIES)
def test_a_government_that_gains_less_than_handling_costs_barely_pays(city):
    """Across assessment weights from none to ten times the default's handling cost, the
    share of claims paid never falls as the gain rises; with the gain at a tenth of the
    yearly handling cost (15% of claims of about 1-6 million yuan) or less, under 10% of
    claims are paid; at the shipped weight, most are."""
    paid = []
    for weight in (0.0, 2e4, 2e5, 1e6, 5e6):
        runs = _runs(city, f"city.government.assessment_weight_cny={weight}")
        paid.append(runs["fiscal_cost_cny"].sum() / runs["due_cny"].sum() / runs["ration_share"].mean())
    assert all(b >= a - 0.02 for a, b in zip(paid, paid[1:], strict=False)), paid
    assert paid[0] < 0.1 and paid[1] < 0.1, paid
    assert paid[-1] > 0.9, paid


def test_false_claims_pass_the_documents_only_at_the_miss_share(p):
    """A paper member's expected gain from a false claim of 100,000 yuan paid in full:
    under ``activity`` the whole grant (reports taken as made); under
    ``verified_outcome`` the 20% of fake claims documents miss; under ``membership``
    nothing. With half the claims audited on site, clawing back all and a 30,000 penalty:
    0.2 x (100,000 x 0.5 − 0.5 x 30,000) = 7,000."""
    row = np.zeros(N_TERMS)
    row[T.membership_cny] = 100000.0
    row[T.clawback_share] = 1.0
    for condition, expected in ((1, 100000.0), (2, 20000.0), (0, 0.0)):
        row[T.conditionality] = condition
        assert overreport_value_cny(row, 1.0, 1.0, p) == pytest.approx(expected)
    row[T.conditionality] = 2
    row[T.audit_share] = 0.5
    row[T.penalty_cny] = 30000.0
    assert overreport_value_cny(row, 1.0, 1.0, p) == pytest.approx(7000.0)


@pytest.mark.parametrize("city", CITIES)
def test_under_verified_outcomes_audits_deter_false_claims_and_penalties_are_charged(city):
    """Outcome-based grant: with no audit some paper members fake training and are paid;
    more audits leave no more of them (0, 0.3, 1 of claims audited; with all audited, a
    fake claim still pays where the effort falls short of 1); with a penalty they
    can still expect to beat, the penalty is charged to those caught; with audits of all
    and a 100,000 yuan penalty, no one fakes, and the hollow share falls below the
    unaudited one. Documents that miss nothing leave nothing to fake."""

    def run(*over):
        return _runs(city, *over, package="outcome_based")

    fakers = [run(f"policy.governance.audit_rate_share={a}")["overreporters"].mean() for a in (0.0, 0.3, 1.0)]
    assert fakers[0] > fakers[1] >= fakers[2], fakers
    charged = run("policy.governance.audit_rate_share=0.3", "policy.governance.penalty_cny=20000")
    assert charged["penalty_cny"].sum() > 0 and charged["clawback_cny"].sum() > 0
    none, strict = (
        run(),
        run("policy.governance.audit_rate_share=1.0", "policy.governance.penalty_cny=100000"),
    )
    assert strict["hollow_share"].mean() < none["hollow_share"].mean()
    assert run("city.government.verification_miss_share=0")["overreporters"].sum() == 0


def test_the_credit_rating_goes_to_verified_deep_members_by_hand(p):
    """Under ``verified_outcome`` a deep member's training is checked with its claims, as
    far as effort goes; otherwise only an audit verifies it. The expected rating (40,000
    a year) enters depth 4's payoff at that chance, whatever the park is believed to pay
    (it is no money of the park's)."""
    from agents.enterprise import N_DEPTHS, expected_payoffs, rating_chance
    from policies.terms import CONDITION_MEMBERSHIP, CONDITION_VERIFIED, N_LEVERS

    assert rating_chance(CONDITION_VERIFIED, 0.0, 0.8) == pytest.approx(0.8)
    assert rating_chance(CONDITION_MEMBERSHIP, 0.25, 0.8) == pytest.approx(0.2)
    assert rating_chance(CONDITION_MEMBERSHIP, 0.0, 1.0) == 0.0

    def deep(rating, audit, payout):
        row = np.zeros(N_TERMS)
        row[T.conditionality] = CONDITION_MEMBERSHIP
        row[T.audit_share] = audit
        row[T.credit_rating_cny] = rating
        out, claims = np.empty(N_DEPTHS), np.empty(N_LEVERS)
        expected_payoffs(out, claims, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 1e6, payout, 1.0, 0.0,
                         0.0, 1.0, row, p)  # fmt: skip
        return out[4]

    assert deep(40000.0, 0.25, 1.0) - deep(0.0, 0.25, 1.0) == pytest.approx(10000.0)
    assert deep(40000.0, 0.25, 0.0) - deep(0.0, 0.25, 0.0) == pytest.approx(10000.0)
    assert deep(40000.0, 0.0, 1.0) == pytest.approx(deep(0.0, 0.0, 1.0))


@pytest.mark.parametrize("city", CITIES)
def test_a_rating_no_one_verifies_does_nothing_and_a_verified_one_draws_firms_deep(city):
    """A 40,000-yuan rating bonus with no audits under membership conditionality: no firm
    is verified, so the runs are those without it to the last number. Verified (every
    claim audited): deep members are rated, more firms go deep, and the park's credit
    line pays nothing for it (the rating is not cash)."""

    def runs(*over):
        cfg = make_cfg(f"city={city}", "years=12", "policy=none", "policy.name=credit",
                       "experiment.packages=[none]", "policy.budget_cny_per_year=1e9",
                       "policy.credit.enabled=true", "policy.credit.interest_subsidy_share=0", *over)  # fmt: skip
        series = simulate(cfg, seeds=range(6))[1]
        return series[series["package"] == "credit"].reset_index(drop=True)

    without, unverified = runs(), runs("policy.credit.rating_bonus_cny=40000")
    pd.testing.assert_frame_equal(without, unverified)
    assert unverified["credit_rated"].sum() == 0
    audits = "policy.governance.audit_rate_share=1.0"
    plain, rated = runs(audits), runs(audits, "policy.credit.rating_bonus_cny=40000")
    assert rated["credit_rated"].sum() > 0 and rated["spend_credit_cny"].sum() == 0
    assert rated["deep_share"].mean() > plain["deep_share"].mean()


def test_delegated_powers_leave_the_administration_only_its_fixed_cost(p):
    """赋权 with a running entity: the entity handles the claims, the administration's
    cost is its 300,000 fixed; without the entity running, or not delegated, it handles
    15% of 2 million due as well."""
    from agents.government import handling_cost_cny

    row = np.zeros(N_TERMS)
    assert handling_cost_cny(2e6, row, p) == pytest.approx(300000 + 0.15 * 2e6)
    row[T.empowered] = 1.0
    assert handling_cost_cny(2e6, row, p) == pytest.approx(300000 + 0.15 * 2e6)
    row[T.entity] = 1.0
    assert handling_cost_cny(2e6, row, p) == pytest.approx(300000)


@pytest.mark.parametrize("city", CITIES)
def test_counting_the_consortium_in_the_assessment_gets_a_reluctant_government_to_pay(city):
    """考核 as a lever: a city whose own assessment weight (200,000) is below its handling
    cost barely pays its apprentice subsidy; the upper level adding 0.5, 2 and 8 million
    yuan a year for the consortium raises the share of claims paid at each step, and
    training with it."""
    paid, training = [], []
    for added in (0.0, 5e5, 2e6, 8e6):
        runs = _runs(city, "city.government.assessment_weight_cny=2e5",
                     f"policy.governance.assessment_cny={added}")  # fmt: skip
        paid.append(runs["fiscal_cost_cny"].sum() / runs["due_cny"].sum() / runs["ration_share"].mean())
        training.append(runs["training_share"].mean())
    assert all(b > a for a, b in zip(paid, paid[1:], strict=False)), paid
    assert training[-1] > training[0], training


@pytest.mark.parametrize("city", CITIES)
def test_delegating_the_funds_to_the_entity_gets_claims_paid_where_the_park_would_not(city):
    """赋权: with the entity running and the park's own gain (500,000 a year) about its
    handling cost, delegating the claims to the entity leaves the park only its fixed
    cost: more of the claims are paid and more firms train. At the shipped weight, where
    the park pays anyway, it changes little."""
    entity = ("policy.entity.enabled=true", "city.government.assessment_weight_cny=5e5")
    kept = _runs(city, *entity)
    delegated = _runs(city, *entity, "policy.governance.empowered_entity=true")
    share = [
        (r["fiscal_cost_cny"] - r["spend_entity_cny"]).sum() / r["due_cny"].sum() for r in (kept, delegated)
    ]
    assert share[1] > share[0], share
    assert delegated["training_share"].mean() > kept["training_share"].mean()


def test_delegating_powers_with_no_entity_is_refused_naming_the_field():
    from policies.validate import ConfigError, validate

    with pytest.raises(ConfigError) as error:
        validate(make_cfg("policy=apprentice_subsidy", "policy.governance.empowered_entity=true"))
    assert error.value.field.endswith("governance.empowered_entity")


def test_a_paper_members_sanction_is_expected_at_the_audit_chance_by_hand(p):
    """Audits of 30% at full effort and a 50,000 sanction: depth 1 is worth 15,000 less;
    no other depth moves."""
    from agents.enterprise import N_DEPTHS, expected_payoffs
    from policies.terms import N_LEVERS

    def payoffs(sanction):
        row = np.zeros(N_TERMS)
        row[T.audit_share] = 0.3
        row[T.paper_penalty_cny] = sanction
        out, claims = np.empty(N_DEPTHS), np.empty(N_LEVERS)
        expected_payoffs(out, claims, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 1e6, 1.0, 1.0, 0.0,
                         0.0, 1.0, row, p)  # fmt: skip
        return out

    change = payoffs(50000.0) - payoffs(0.0)
    assert change[1] == pytest.approx(-15000.0)
    assert np.allclose(np.delete(change, 1), 0.0)


@pytest.mark.parametrize("city", CITIES)
def test_sanctioning_paper_members_found_on_audit_empties_the_paper_consortium(city):
    """Membership grant (50,000 to every member), 30% of members audited: a sanction of
    0, 20,000 and 60,000 yuan leaves no more paper members at each step and fewer at the
    largest, and is charged to those found; with no audit it does nothing at all."""

    def run(*over):
        return _runs(city, "policy.governance.audit_rate_share=0.3", *over, package="membership_grant")

    hollow = [
        run(f"policy.governance.paper_penalty_cny={s}")["hollow_share"].mean() for s in (0, 20000, 60000)
    ]
    assert hollow[0] >= hollow[1] >= hollow[2] and hollow[2] < hollow[0] - 0.02, hollow
    assert run("policy.governance.paper_penalty_cny=60000")["penalty_cny"].sum() > 0
    unaudited = _runs(city, "policy.governance.paper_penalty_cny=60000", package="membership_grant")
    plain = _runs(city, package="membership_grant")
    pd.testing.assert_frame_equal(unaudited.reset_index(drop=True), plain.reset_index(drop=True))


def test_an_imitating_administration_takes_the_replicator_step_by_hand(p):
    """``effort_rule: imitation``: x + x (1 − x) Δ / 1,000,000, Δ clipped to ±1,000,000,
    Δ = gain + clawbacks per unit of effort − running cost − 0.3 x what full
    implementation pays. At x = 0.5 with clawbacks of 100,000 (200,000 per unit):
    a gain of 2 m gives Δ = 1.4 m, clipped: 0.5 + 0.25; a gain of 0.5 m gives
    Δ = −0.1 m: 0.5 − 0.025. 0 and 1 are rest points whatever Δ (no point written in); 1
    with no package to run."""
    from agents.government import imitated_effort

    assert p[P.fiscal_burden_share] == 0.3 and p[P.effort_scale_cny] == 1e6
    assert imitated_effort(0.5, 2e6, 0.5e6, 1e6, 1e5, p, True) == pytest.approx(0.75)
    assert imitated_effort(0.5, 0.5e6, 0.5e6, 1e6, 1e5, p, True) == pytest.approx(0.475)
    for gain in (0.0, 5e6):
        assert imitated_effort(0.0, gain, 0.5e6, 1e6, 0.0, p, True) == 0.0
        assert imitated_effort(1.0, gain, 0.5e6, 1e6, 0.0, p, True) == 1.0
    assert imitated_effort(0.2, 0.0, 0.5e6, 1e6, 0.0, p, False) == 1.0


@pytest.mark.parametrize("city", CITIES)
def test_an_imitating_administration_implements_as_far_as_implementing_pays(city):
    """Under imitation the administration's effort ends near 1 where the assessment's gain
    outweighs running and paying for the package (the shipped weights) and near 0 where
    there is no gain (it withdraws, and claims go unpaid), and the effort reached never
    falls as the weight rises."""
    final = []
    for weight in (0.0, 2e5, 1e6, 5e6):
        runs = _runs(city, "city.government.effort_rule=imitation",
                     f"city.government.assessment_weight_cny={weight}", years=16)  # fmt: skip
        final.append(runs[runs["year"] >= 12]["effort"].mean())
    assert all(b >= a - 1e-9 for a, b in zip(final, final[1:], strict=False)), final
    assert final[0] < 0.05 and final[-1] > 0.95, final
