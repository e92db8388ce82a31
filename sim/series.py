"""Names of the yearly series the core records (MODEL.md §6), one column each.

The kernels write ``series[year, S_NAME]``; :mod:`sim.measures` turns the array into
a table and a run summary. Shares are of all firms unless the name says otherwise.
"""

from __future__ import annotations

from policies.terms import LEVER_NAMES

SERIES_NAMES: tuple[str, ...] = (
    "membership_rate",  # members (depth >= 1) / firms
    "depth_0",
    "depth_1",
    "depth_2",
    "depth_3",
    "depth_4",  # depth shares of all firms
    "hollow_share",  # depth-1 members / members (fm_hollow when high)
    "deep_share",  # depth-4 firms / firms
    "training_share",  # depth >= 3 firms / firms
    "training_among_active",  # depth >= 3 / depth >= 2 (fm_shallow when low)
    "net_cost_share",  # (gross cost - output) / gross cost of apprentices, apprentice-weighted
    "net_benefit_firm_share",  # host firms whose apprentices produce at least their gross cost
    "unmatched_seekers",  # firms that wanted depth >= 3 but found no school partner
    "signed",  # partnership agreements signed by schools
    "active",  # agreements with a firm at depth >= 3
    "active_per_signed",  # fm_school_hot_firm_cold when low
    "signed_per_school",
    "outreach_mean",
    "apprentices",  # apprentices hosted
    "apprentice_retention_1y",  # ex-apprentices hired by their host a year ago, still there
    "apprentice_retention_3y",
    "poaching_rate",  # ex-apprentices poached / ex-apprentices in field at training firms
    "matched_offer_rate",  # of the same, kept by their host matching a poacher's raise
    "graduates",
    "in_field_local",  # graduates employed locally in their field
    "in_field_local_rate",
    "job_major_match",  # in field / employed locally, of this year's graduates (MyCOS's 专业相关度)
    "off_field_local",
    "unemployed",
    "left_region",
    "local_retention",  # graduates of all years still in the region / all graduates
    "mismatch_index",  # 0.5 * sum |graduate share - vacancy share| over sectors
    "mean_relevance",
    "majors_switched",  # schools that closed a major and opened another this year
    "vacancies",  # skilled vacancies of the city's employers this year (members and the rest)
    "vacancy_fill_rate",  # vacancies filled by this year's job seekers / vacancies
    "job_seekers",  # this year's graduates and earlier graduates still without a job
    "vacancies_per_seeker",  # skilled vacancies of the city / job seekers
    "vacancies_per_seeker_secondary",  # vacancies asking for 中职 / job seekers from 中职 schools
    "vacancies_per_seeker_higher",  # the same for 高职
    "vacancies_per_seeker_undergraduate",  # the same for 本科
    "years_to_first_job",  # mean years from graduation to a first local job, of those hired this year
    "apprentice_wage_premium",  # mean wage in field: ex-apprentices / school-track graduates - 1
    "first_year_quit_rate",  # workers in their first year with an employer (not their host) who quit
    "trained_local_hires",  # ex-apprentices hired this year by members (what the employment subsidy pays)
    "fiscal_cost_cny",
    "due_cny",  # claims due before rationing and effort
    "budget_cny",
    "ration_share",  # share of claims the budget could pay
    "payout_belief",  # the share of claims firms expect to be paid, learned from paid / due
    "effort",  # the government's implementation effort in this year's payments
    "overreporters",
    "clawback_cny",
    "penalty_cny",  # credit-rating losses charged to caught false claimants (the firms' loss, not revenue)
    "credit_rated",  # depth-4 members verified this year and given the credit-rating bonus (not cash)
    "enrolled_total",
    "in_school",
    "graduated_total",
    "dropped_total",
    "continued_total",  # graduates gone on to the next level on a 贯通 place (their next record counts too)
    "continued",  # this year's graduates who took a 贯通 place at the next level (中高本贯通)
    "money_active",  # 1 if any lever is active this year
    *(f"spend_{name}_cny" for name in LEVER_NAMES),
)
_INDEX = {name: k for k, name in enumerate(SERIES_NAMES)}
N_SERIES = len(SERIES_NAMES)

S_MEMBERSHIP = _INDEX["membership_rate"]
S_DEPTH0 = _INDEX["depth_0"]
S_HOLLOW = _INDEX["hollow_share"]
S_DEEP = _INDEX["deep_share"]
S_TRAINING = _INDEX["training_share"]
S_TRAINING_AMONG_ACTIVE = _INDEX["training_among_active"]
S_UNMATCHED = _INDEX["unmatched_seekers"]
S_NET_COST_SHARE = _INDEX["net_cost_share"]
S_NET_BENEFIT_FIRMS = _INDEX["net_benefit_firm_share"]
S_SIGNED = _INDEX["signed"]
S_ACTIVE = _INDEX["active"]
S_ACTIVE_PER_SIGNED = _INDEX["active_per_signed"]
S_SIGNED_PER_SCHOOL = _INDEX["signed_per_school"]
S_OUTREACH = _INDEX["outreach_mean"]
S_APPRENTICES = _INDEX["apprentices"]
S_RETENTION_1Y = _INDEX["apprentice_retention_1y"]
S_RETENTION_3Y = _INDEX["apprentice_retention_3y"]
S_POACHING = _INDEX["poaching_rate"]
S_MATCHED_OFFERS = _INDEX["matched_offer_rate"]
S_GRADUATES = _INDEX["graduates"]
S_IN_FIELD = _INDEX["in_field_local"]
S_IN_FIELD_RATE = _INDEX["in_field_local_rate"]
S_JOB_MAJOR_MATCH = _INDEX["job_major_match"]
S_OFF_FIELD = _INDEX["off_field_local"]
S_UNEMPLOYED = _INDEX["unemployed"]
S_LEFT = _INDEX["left_region"]
S_LOCAL_RETENTION = _INDEX["local_retention"]
S_MISMATCH = _INDEX["mismatch_index"]
S_RELEVANCE = _INDEX["mean_relevance"]
S_MAJORS_SWITCHED = _INDEX["majors_switched"]
S_VACANCIES = _INDEX["vacancies"]
S_FILL = _INDEX["vacancy_fill_rate"]
S_SEEKERS = _INDEX["job_seekers"]
S_VACANCIES_PER_SEEKER = _INDEX["vacancies_per_seeker"]
S_VACANCIES_PER_SEEKER_L0 = _INDEX["vacancies_per_seeker_secondary"]  # then _higher, _undergraduate
S_YEARS_TO_JOB = _INDEX["years_to_first_job"]
S_APPRENTICE_WAGE_PREMIUM = _INDEX["apprentice_wage_premium"]
S_TRAINED_HIRES = _INDEX["trained_local_hires"]
S_FIRST_YEAR_QUITS = _INDEX["first_year_quit_rate"]
S_FISCAL = _INDEX["fiscal_cost_cny"]
S_DUE = _INDEX["due_cny"]
S_BUDGET = _INDEX["budget_cny"]
S_RATION = _INDEX["ration_share"]
S_PAYOUT = _INDEX["payout_belief"]
S_EFFORT = _INDEX["effort"]
S_OVERREPORT = _INDEX["overreporters"]
S_CLAWBACK = _INDEX["clawback_cny"]
S_PENALTY = _INDEX["penalty_cny"]
S_RATED = _INDEX["credit_rated"]
S_ENROLLED = _INDEX["enrolled_total"]
S_IN_SCHOOL = _INDEX["in_school"]
S_GRADUATED = _INDEX["graduated_total"]
S_DROPPED = _INDEX["dropped_total"]
S_CONTINUED_TOTAL = _INDEX["continued_total"]
S_CONTINUED = _INDEX["continued"]
S_MONEY = _INDEX["money_active"]
S_SPEND0 = _INDEX[f"spend_{LEVER_NAMES[0]}_cny"]
