"""Firms' payoffs and claims against hand computations."""

import numpy as np
import pytest

from agents.enterprise import (
    apprentice_slots,
    choose_depth,
    imitate_depth,
    kept_worth,
    lever_claims,
    matches_raise,
    overreport_value_cny,
    private_net_cny,
    qualifies_for_grant,
)
from policies.packages import load_package
from policies.params import P, build_params
from policies.terms import (
    CONDITION_ACTIVITY,
    CONDITION_MEMBERSHIP,
    CONDITION_VERIFIED,
    N_LEVERS,
    N_TERMS,
    L,
    T,
    build_terms,
)
from tests.conftest import make_cfg


@pytest.fixture(scope="module")
def p():
    return build_params(make_cfg())


def test_private_net_at_depth_three_by_hand(p):
    """Default behaviour, 200 employees, 8 vacancies, productive share 0.7, belief 0.6:
    members 4000 - 8000; shallow +2500*8 - 20000; 4 apprentices x ((0.7-1)*50000 +
    0.6*(30000+20000)/3) = 4 x (-5000) ; trainer -20000. Total -44000."""
    net = private_net_cny(3, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 0.0, 1.0, np.zeros(N_TERMS), p)
    assert net == pytest.approx(4000 - 8000 + 2500 * 8 - 20000 + 4 * (-15000 + 10000) - 20000)


def test_relationship_capital_relieves_trainer_cost(p):
    """Full relationship capital saves 60% of the trainer cost: +12000 at depth 3."""
    cold = private_net_cny(3, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 0.0, 1.0, np.zeros(N_TERMS), p)
    warm = private_net_cny(3, 200.0, 8.0, 0.7, 0.6, 20000.0, 1.0, 0.0, 0, 1, 0.0, 1.0, np.zeros(N_TERMS), p)
    assert warm - cold == pytest.approx(0.6 * 20000)


def test_sunk_training_centre_is_cheaper_to_keep(p):
    """Depth 4 without a centre pays the full capital cost (0.1 + 0.04) x 300000; with a
    full centre only its depreciation 0.1 x 300000."""
    none = private_net_cny(4, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 0.0, 1.0, np.zeros(N_TERMS), p)
    built = private_net_cny(
        4, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 300000.0, 0, 1, 0.0, 1.0, np.zeros(N_TERMS), p
    )
    assert built - none == pytest.approx(0.14 * 300000 - 0.1 * 300000)


def test_a_centre_on_land_the_firm_has_costs_less(p):
    """A firm that needs land (land_need 1) pays the whole 300000 centre, 40% of it land; one
    that has land builds on it and pays 180000: its depth-4 capital cost is 0.14 x 120000
    lower, and a full centre for it is 180000. (Before, both paid 300000, so the land
    discount was a plain grant to firms needing land.)"""
    from agents.enterprise import centre_gap_cny, centre_size_cny

    assert (centre_size_cny(1, p), centre_size_cny(0, p)) == (pytest.approx(300000), pytest.approx(180000))
    assert centre_gap_cny(100000.0, 0, p) == pytest.approx(80000) and centre_gap_cny(200000.0, 0, p) == 0.0
    needs = private_net_cny(4, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 0.0, 1.0, np.zeros(N_TERMS), p)
    has = private_net_cny(4, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 0, 0.0, 1.0, np.zeros(N_TERMS), p)
    assert has - needs == pytest.approx(0.14 * 120000)


def test_slots(p):
    assert apprentice_slots(200.0, 2, p) == 0
    assert apprentice_slots(200.0, 3, p) == 4
    assert apprentice_slots(200.0, 4, p) == 6
    assert apprentice_slots(10.0, 3, p) == 1


@pytest.mark.parametrize(
    "condition, depth, reported, apprentices, expected",
    [
        (CONDITION_MEMBERSHIP, 1, 1, 0, True),
        (CONDITION_MEMBERSHIP, 0, 0, 0, False),
        (CONDITION_ACTIVITY, 1, 1, 0, False),
        (CONDITION_ACTIVITY, 1, 2, 0, True),
        (CONDITION_VERIFIED, 2, 3, 0, False),
        (CONDITION_VERIFIED, 3, 3, 0, False),
        (CONDITION_VERIFIED, 3, 3, 2, True),
    ],
)
def test_grant_eligibility(condition, depth, reported, apprentices, expected):
    assert qualifies_for_grant(depth, reported, apprentices, condition) == expected


def test_claims_and_tax_cap(p):
    """4 apprentices at 8000 at depth 3: no tax offset, whatever their wages (its base is
    investment in vocational education; before, 30% of 4 x 50000 counted). At depth 4, a
    300000 centre gap: centre grant 30% = 90000; tax offset 30% of (300000 + co-design
    30000) = 99000, capped at a liability of 400000 x 5% = 20000, uncapped with a large
    liability."""
    row = np.zeros(N_TERMS)
    row[T.apprentice_cny] = 8000
    row[T.tax_share] = 0.3
    row[T.tax_surcharge_share] = 0.05
    row[T.centre_share] = 0.3
    out = np.zeros(N_LEVERS)
    lever_claims(out, 3, 3, 4.0, 0.0, 0.0, 0.0, 400000.0, 0, 0, 0.0, 1.0, row, p)
    assert out[L.apprentice_subsidy] == 32000 and out[L.tax_offset] == 0.0
    assert out[L.training_centre_grant] == 0.0
    lever_claims(out, 4, 4, 6.0, 0.0, 0.0, 300000.0, 400000.0, 0, 0, 0.0, 1.0, row, p)
    assert out[L.training_centre_grant] == pytest.approx(90000)
    assert out[L.tax_offset] == pytest.approx(20000)
    lever_claims(out, 4, 4, 6.0, 0.0, 0.0, 300000.0, 1e8, 0, 0, 0.0, 1.0, row, p)
    assert out[L.tax_offset] == pytest.approx(0.3 * (300000 + 30000))


def test_the_tax_offset_is_expected_in_full_whatever_the_park_pays(p):
    """A statutory entitlement: a firm counts the offset at face value even when it has
    learned that the park pays nothing (payout share 0); other claims count at the payout."""
    from agents.enterprise import expected_payoffs

    row = np.zeros(N_TERMS)
    row[T.tax_share], row[T.tax_surcharge_share], row[T.centre_share] = 0.3, 1.0, 0.3
    payoffs, claims = np.zeros(5), np.zeros(N_LEVERS)
    args = (200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 0, 1e8)

    def deep_payoff(payout: float) -> float:
        expected_payoffs(payoffs, claims, *args, payout, 0.0, 0.0, 0.0, 1.0, row, p)
        return float(payoffs[4])

    with_tax = deep_payoff(0.0)
    row[T.tax_share] = 0.0
    without_tax = deep_payoff(0.0)
    row[T.tax_share] = 0.3
    assert with_tax > without_tax  # the offset counts though the park pays nothing
    row[T.centre_share] = 0.0
    assert deep_payoff(0.0) == pytest.approx(with_tax)  # the grant does not, at payout 0


def test_overreporting_pays_only_when_audits_are_weak(p):
    """Grant 50000, audits 30%, full clawback, penalty 20000: 50000*(1-0.3) - 0.3*20000
    = 29000 > 0; with 100% audits: 0 - 20000 < 0. Nothing to gain under membership
    conditionality (verified outcomes: tests/sim/test_government.py)."""
    row = np.zeros(N_TERMS)
    row[T.membership_cny], row[T.clawback_share], row[T.penalty_cny] = 50000, 1.0, 20000
    row[T.conditionality] = CONDITION_ACTIVITY
    row[T.audit_share] = 0.3
    assert overreport_value_cny(row, 1.0, 1.0, p) == pytest.approx(29000)
    row[T.audit_share] = 1.0
    assert overreport_value_cny(row, 1.0, 1.0, p) == pytest.approx(-20000)
    row[T.conditionality] = CONDITION_MEMBERSHIP
    assert overreport_value_cny(row, 1.0, 1.0, p) == 0.0


def test_inertia_limits_the_rise_to_one_level(p):
    """From depth 0 a firm can only reach depth 1, even if depth 4 pays most; the step
    is then valued at depth 4's payoff, so it is taken almost surely."""
    payoffs = np.array([0.0, -5000.0, -5000.0, -5000.0, 1e6])
    picks = {choose_depth(payoffs, 0, u, p) for u in np.linspace(0.001, 0.999, 50)}
    assert picks <= {0, 1} and 1 in picks
    assert choose_depth(payoffs, 0, 0.5, p) == 1


def test_membership_grant_terms_follow_lever_window():
    """A lever with start 2 and end 4 is on in years 2, 3, 4 only."""
    package = load_package("membership_grant")
    package.membership_grant.start_year = 2
    package.membership_grant.end_year = 4
    terms, _ = build_terms(package, 8)
    on = terms[:, T.membership_cny] > 0
    assert on.tolist() == [False, False, True, True, True, False, False, False]


def test_parameter_vector_reads_config_names():
    cfg = make_cfg("behaviour.apprentice_gross_cost_cny=12345")
    assert build_params(cfg)[P.apprentice_gross_cost_cny] == 12345


def test_imitation_weighs_a_peer_at_the_imitators_size(p):
    """A firm of 100 staff earning 100,000 meets one of 200 staff earning 150,000: at the
    imitator's size the peer's depth pays 75,000, less, so it is never copied (u = 0). A
    peer of the imitator's own size earning 150,000 is 50,000 better and copied when
    u < 50,000 / imitation_max_gap_cny; inertia still caps the rise at one level."""
    gap = p[P.imitation_max_gap_cny]
    assert imitate_depth(1, 100_000.0, 100.0, 3, 150_000.0, 200.0, 0.0, p) == 1
    assert imitate_depth(1, 100_000.0, 100.0, 2, 150_000.0, 100.0, 0.99 * 50_000 / gap, p) == 2
    assert imitate_depth(1, 100_000.0, 100.0, 2, 150_000.0, 100.0, 1.01 * 50_000 / gap, p) == 1
    assert imitate_depth(1, 100_000.0, 100.0, 4, 150_000.0, 100.0, 0.0, p) == 2


def test_a_full_land_discount_makes_a_firm_that_needs_land_like_one_that_has_it(p):
    """The land discount lowers a cost only firms that need land bear: at a 100% discount
    on the land (40% of the centre), a firm that needs land expects at depth 4 exactly what
    a firm with land of its own does (0.4 x 300000 at the capital's yearly cost 0.14 both
    ways); without the discount it expects 0.14 x 120000 less."""
    from agents.enterprise import expected_payoffs

    row = np.zeros(N_TERMS)
    payoffs, claims = np.zeros(5), np.zeros(N_LEVERS)

    def deep(land_need: int) -> float:
        expected_payoffs(payoffs, claims, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, land_need, 1e8,
                         1.0, 0.0, 0.0, 0.0, 1.0, row, p)  # fmt: skip
        return float(payoffs[4])

    assert deep(0) - deep(1) == pytest.approx(0.14 * 120000)
    row[T.land_share] = 1.0
    assert deep(1) == pytest.approx(deep(0))


def test_a_host_matches_a_raise_that_costs_less_than_replacing_the_worker(p):
    """Default: replacing a trained graduate costs the external hiring (30,000) plus the
    firm's share of a trained hire's value (all of 20,000 with no general skills):
    50,000. Over 3 years a yearly raise of 16,000 costs 48,000 (matched), one of 17,000
    costs 51,000 (not); a firm whose trained hires are worth 40,000 more matches it."""
    assert matches_raise(16000.0, 20000.0, p)
    assert not matches_raise(17000.0, 20000.0, p)
    assert matches_raise(17000.0, 60000.0, p)
    off = p.copy()
    off[P.counter_offers] = 0.0
    assert not matches_raise(1.0, 20000.0, off)


def test_what_keeping_graduates_cost_comes_off_what_the_firm_learns_it_kept(p):
    """Four graduates still employed, one of them kept with a raise costing 25,000 over the
    horizon, half of the 50,000 a trained hire is worth: 3.5 graduates' worth. A
    repayment received adds back; the worth is never negative."""
    assert kept_worth(4.0, 25000.0, 20000.0, p) == pytest.approx(3.5)
    assert kept_worth(4.0, -10000.0, 20000.0, p) == pytest.approx(4.2)
    assert kept_worth(0.0, 25000.0, 20000.0, p) == 0.0


def test_what_training_lead_firms_are_worth_to_their_suppliers_by_hand(p):
    """Lead firms at positions 0 (training), 1 (not) and 2 (training): a firm at position 0
    can supply all three, two of which train: 2/3 of 8,000; at 1 it supplies those at 1
    and 2: 1/2; at 2, only the one at 2: all of it. The lead firm at 2 itself supplies no
    other at its position or below it: nothing. The benefit is added to a member's net
    (depth 1 upward), not to a non-member's."""
    from agents.enterprise import lead_counts, supplier_benefit_cny

    depth = np.array([3, 2, 4, 1, 1, 1], np.int8)
    lead = np.array([1, 1, 1, 0, 0, 0], np.int8)
    chain = np.array([0, 1, 2, 0, 1, 2], np.int8)
    leads, training = lead_counts(depth, lead, chain)
    assert list(leads) == [3, 2, 1] and list(training) == [2, 1, 1]
    assert supplier_benefit_cny(0, 0, False, leads, training, p) == pytest.approx(8000 * 2 / 3)
    assert supplier_benefit_cny(1, 0, False, leads, training, p) == pytest.approx(4000)
    assert supplier_benefit_cny(2, 0, False, leads, training, p) == pytest.approx(8000)
    assert supplier_benefit_cny(2, 1, True, leads, training, p) == 0.0
    assert supplier_benefit_cny(0, 1, True, leads, training, p) == pytest.approx(4000)  # the other two
    member = private_net_cny(
        1, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 8000.0, 1.0, np.zeros(N_TERMS), p
    )
    assert member == pytest.approx(4000 + 8000 - 8000)
    assert (
        private_net_cny(0, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 8000.0, 1.0, np.zeros(N_TERMS), p)
        == 0.0
    )


def test_research_institutes_serve_as_many_training_firms_as_their_capacity_by_hand(p):
    """Five institutes serving 8 firms a year each: 40 firms. With 30 training firms all
    are served; with 80, half; the platform's benefit reaches a training firm at that
    share (15,000 a year at half: 7,500)."""
    from agents.enterprise import platform_served_share

    five = p.copy()
    five[P.n_research_institutes] = 5
    assert platform_served_share(30.0, five) == 1.0
    assert platform_served_share(80.0, five) == pytest.approx(0.5)
    row = np.zeros(N_TERMS)
    row[T.tech_platform], row[T.tech_benefit_cny] = 1.0, 15000.0
    args = (3, 200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 0.0)
    full, half = private_net_cny(*args, 1.0, row, five), private_net_cny(*args, 0.5, row, five)
    assert full - half == pytest.approx(7500.0)


def test_joint_research_reaches_co_constructing_firms_as_far_as_institutes_serve_by_hand(p):
    """With the technology platform, a depth-4 firm also gains 30,000 a year of joint R&D
    with the institutes, at the share they can serve (half: 15,000); depth 3 does not;
    without the platform nothing."""
    row = np.zeros(N_TERMS)
    row[T.tech_platform] = 1.0
    args = (200.0, 8.0, 0.7, 0.6, 20000.0, 0.0, 0.0, 0, 1, 0.0)
    assert private_net_cny(4, *args, 1.0, row, p) - private_net_cny(4, *args, 0.5, row, p) == pytest.approx(
        15000
    )
    assert private_net_cny(3, *args, 1.0, row, p) == pytest.approx(private_net_cny(3, *args, 0.5, row, p))
    off = np.zeros(N_TERMS)
    assert private_net_cny(4, *args, 1.0, off, p) == pytest.approx(private_net_cny(4, *args, 0.5, off, p))
