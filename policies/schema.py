"""Typed configuration: the schema every YAML file under ``configs/`` is merged into.

Hydra merges each config group file into these dataclasses, so an unknown key or a
wrong type is refused before anything runs. Ranges that types cannot express (a share
in [0, 1], a non-negative amount) are declared next to the field with :func:`share`,
:func:`amount`, :func:`bounded`, :func:`integer` and :func:`positive`, and checked by
:mod:`policies.validate`: every number has a lower and an upper bound, wide enough for any
city studied, narrow enough that no value runs out of memory or overflows.

Units are in the names: ``_cny`` yuan, ``_share`` a fraction in [0, 1], ``_years``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from hydra.core.config_store import ConfigStore

# The largest yuan amount any field takes: 10 billion a year is beyond a city's whole
# education budget, and far below where float arithmetic loses whole yuan.
MAX_CNY = 1.0e10


def share(default: float) -> Any:
    """Declare a fraction that must lie in [0, 1]."""
    return field(default=default, metadata={"min": 0.0, "max": 1.0})


def amount(default: float | None, maximum: float = MAX_CNY) -> Any:
    """Declare a non-negative amount (yuan, years, a rate per year), at most ``maximum``."""
    return field(default=default, metadata={"min": 0.0, "max": maximum})


def bounded(default: float, low: float, high: float) -> Any:
    """Declare a number in [low, high] that may be negative."""
    return field(default=default, metadata={"min": low, "max": high})


def integer(default: int | None, minimum: int = 0, *, maximum: int) -> Any:
    """Declare an integer count in [minimum, maximum]."""
    return field(default=default, metadata={"min": minimum, "max": maximum})


def positive(default: float, maximum: float = MAX_CNY) -> Any:
    """Declare a strictly positive number (a scale), at most ``maximum``."""
    return field(default=default, metadata={"min_exclusive": 0.0, "max": maximum})


class Conditionality(Enum):
    """What the government's money is conditional on."""

    membership = 0
    activity = 1
    verified_outcome = 2


class SchoolKpi(Enum):
    """What schools are evaluated on."""

    agreements = 0
    outcomes = 1


class EffortRule(Enum):
    """How the administration sets its implementation effort: ``assessment``, the chance
    that implementing pays it (a logit of the upper level's assessment gain less the
    cost of handling claims, with noise in proportion to those stakes), ``payoff``, a
    logit of its own net payoff including its fiscal burden and what it collects, or
    ``imitation``, the three-party game's replicator: the share of the administration that
    implements grows with what implementing earns over staying passive (issue 14).
    """

    assessment = 0
    payoff = 1
    imitation = 2


class Language(Enum):
    """The language of the report: English or Chinese."""

    en = 0
    zh = 1


class DecisionRule(Enum):
    """How firms and schools choose: logit over expected payoffs, or proportional
    imitation of a better-paid peer (Schlag 1998).
    """

    logit = 0
    imitation = 1


# ---------------------------------------------------------------- levers (MODEL.md §4)
@dataclass
class Lever:
    """Fields every lever has: a switch, a window of years and its own budget line."""

    enabled: bool = False
    start_year: int = integer(0, maximum=100)
    end_year: int | None = integer(None, maximum=100)  # last year active (inclusive); null: to the end
    budget_cny_per_year: float | None = amount(None)  # its own cap; null: only the total


@dataclass
class ApprenticeSubsidy(Lever):
    """学徒补贴: yuan per apprentice-year to the host firm."""

    cny_per_apprentice_year: float = amount(0.0)


@dataclass
class EmploymentSubsidy(Lever):
    """学徒就业补贴: yuan to the firm that hires a trained graduate locally."""

    cny_per_hire: float = amount(0.0)


@dataclass
class SettlementSubsidy(Lever):
    """人才安居/就业补贴: yuan a year to a graduate working in their field at a member firm,
    for their first ``years`` years after graduating, paid through the firm (it passes it
    on). Cities bid for graduates with it; a region's graduates weigh it in every offer.
    """

    cny_per_year: float = amount(0.0, maximum=1.0e6)
    years: int = integer(3, minimum=1, maximum=20)


@dataclass
class MembershipGrant(Lever):
    """Flat yuan per qualifying member a year; what qualifies is set by conditionality."""

    cny_per_member_year: float = amount(0.0)


@dataclass
class TrainingCentreGrant(Lever):
    """学习岛建设: share of a depth-4 firm's training-centre investment."""

    investment_share: float = share(0.0)


@dataclass
class TaxOffset(Lever):
    """产教融合型企业: share of training investment offset against education surcharges."""

    investment_share: float = share(0.0)
    surcharge_rate_share: float = share(0.05)  # 3% + 2% of VAT and consumption tax payable


@dataclass
class Land(Lever):
    """土地: discount on the land part of a training base, for firms that need land."""

    price_discount_share: float = share(0.0)


@dataclass
class Credit(Lever):
    """金融/信用: interest subsidy for constrained firms; a rating bonus for deep members."""

    interest_subsidy_share: float = share(0.0)
    rating_bonus_cny: float = amount(0.0)  # yearly value of a better credit rating


@dataclass
class Awards(Lever):
    """表彰奖励: a prize to the deepest firms each year."""

    cny_per_award: float = amount(0.0)
    awards_per_year: int = integer(0, maximum=100_000)


@dataclass
class TeacherTraining(Lever):
    """双师型 teacher funds, shared equally among schools."""

    cny_per_year: float = amount(0.0)


@dataclass
class Entity(Lever):
    """实体化运营: an operating entity with funded staff instead of a virtual council."""

    cost_cny_per_year: float = amount(2.0e6)


@dataclass
class InfoPlatform(Lever):
    """人才供需信息平台: a talent supply-demand information platform."""

    cost_cny_per_year: float = amount(1.0e6)


@dataclass
class TechPlatform(Lever):
    """共性技术服务平台: R&D services to members at depth >= 3."""

    cost_cny_per_year: float = amount(1.5e6)
    benefit_cny_per_member_year: float = amount(15000.0)


@dataclass
class Governance:
    """How money is conditioned and checked, and what schools are judged on."""

    conditionality: Conditionality = Conditionality.membership
    audit_rate_share: float = share(0.0)  # share of activity claims audited
    clawback_share: float = share(1.0)  # share of an unjustified payment recovered
    penalty_cny: float = amount(0.0)  # credit-rating loss of a caught over-reporter
    # 动态调整/退出: credit-rating loss of a member an audit finds doing nothing (depth 1)
    paper_penalty_cny: float = amount(0.0)
    school_kpi: SchoolKpi = SchoolKpi.agreements
    # 考核: yuan a year the upper level's assessment adds for the consortium when it counts
    # the park's work on it (纳入区域高质量发展综合考核, seed 001), on top of the city's own weight
    assessment_cny: float = amount(0.0)
    # 赋权: the operating entity manages the special funds (seed 000's 赋权清单): it handles
    # the claims, and the administration keeps only its fixed cost. Needs the entity.
    empowered_entity: bool = False
    # 中高本贯通 (seeds 000 and 003: 分段培养或贯通培养): share of each 高职's and 本科's seats per
    # major reserved for the consortium's graduates of the level below in that major
    pathway_share: float = share(0.0)
    payback_clause: bool = False  # 服务期: training-cost repayment if a trainee leaves early
    payback_service_years: int = integer(3, maximum=30)
    # what a trainee who leaves within the service period repays of the training cost the host
    # bore, pro rata the unserved years (劳动合同法 art. 22: never more than that cost)
    payback_repayment_share: float = share(1.0)


@dataclass
class Package:
    """An incentive package: the levers, the governance, and the yearly budget."""

    name: str = "none"
    description: str = ""
    budget_cny_per_year: float = amount(0.0)
    apprentice_subsidy: ApprenticeSubsidy = field(default_factory=ApprenticeSubsidy)
    employment_subsidy: EmploymentSubsidy = field(default_factory=EmploymentSubsidy)
    settlement_subsidy: SettlementSubsidy = field(default_factory=SettlementSubsidy)
    membership_grant: MembershipGrant = field(default_factory=MembershipGrant)
    training_centre_grant: TrainingCentreGrant = field(default_factory=TrainingCentreGrant)
    tax_offset: TaxOffset = field(default_factory=TaxOffset)
    land: Land = field(default_factory=Land)
    credit: Credit = field(default_factory=Credit)
    awards: Awards = field(default_factory=Awards)
    teacher_training: TeacherTraining = field(default_factory=TeacherTraining)
    entity: Entity = field(default_factory=Entity)
    info_platform: InfoPlatform = field(default_factory=InfoPlatform)
    tech_platform: TechPlatform = field(default_factory=TechPlatform)
    governance: Governance = field(default_factory=Governance)


# ---------------------------------------------------------------- the city (MODEL.md §9)
@dataclass
class SchoolType:
    """One type of school in the city: how many, their yearly intake, majors each."""

    count: int = integer(0, maximum=1000)
    capacity_per_year: int = integer(100, maximum=100_000)
    majors_each: int = integer(3, minimum=1, maximum=200)
    double_qualified_share: float = share(0.3)  # 双师型 teachers at start
    # 学制: years of this type's programmes; 0: the city's programme_years
    programme_years: int = integer(0, minimum=0, maximum=10)
    # share of the city's skilled vacancies that ask for this level of education (the three
    # are normalised; all zero: in proportion to the city's intake of each level)
    vacancy_share: float = share(0.0)


SCHOOL_KINDS = (
    "secondary_vocational",
    "higher_vocational",
    "undergraduate",
)  # City's school blocks, kind 0, 1, 2


@dataclass
class GovernmentSetup:
    """The park administration's own incentive to implement (政策落地)."""

    assessment_weight_cny: float = amount(5.0e6)  # yearly value of the upper level's 考核
    admin_cost_share: float = share(0.15)  # administration cost per yuan of claims handled
    admin_fixed_cost_cny: float = amount(300000.0)  # yearly cost of running a package (the office's staff)
    verification_cost_share: float = share(0.05)  # extra per yuan when outcomes are verified
    effort_adjust_share: float = share(0.5)  # how fast effort moves toward its target
    effort_rule: EffortRule = EffortRule.assessment
    effort_noise_share: float = positive(0.1, maximum=10.0)  # assessment rule: logit noise per yuan at stake
    verification_miss_share: float = share(
        0.2
    )  # verified_outcome: a fake training claim passing the documents
    fiscal_burden_share: float = share(0.3)  # payoff rule: own cost of a yuan of claims paid
    effort_scale_cny: float = positive(1.0e6)  # payoff rule: logit scale; imitation: the gap copied surely


@dataclass
class City:
    """A city preset. Every number is sourced in the YAML or marked as an assumption."""

    name: str = "suzhou_robotics"
    n_firms: int = integer(114, minimum=1, maximum=100_000)
    n_sectors: int = integer(13, minimum=1, maximum=200)  # each sector has one matching major
    n_research_institutes: int = integer(5, maximum=1000)
    firm_size_log_mean: float = bounded(5.3, 0.0, 12.0)  # log employees (e^12: 160,000)
    firm_size_log_sd: float = amount(1.0, maximum=3.0)
    lead_firm_share: float = share(0.06)
    skilled_hire_rate_share: float = share(0.04)  # skilled vacancies per employee-year
    # the rest of the city (its employers not members): employees per member employee
    other_employment_multiple: float = amount(1.0, maximum=1000.0)
    wage_mean_cny: float = positive(90000.0, maximum=1.0e7)
    wage_sd_share: float = share(0.15)
    tax_liability_cny_per_employee: float = amount(20000.0)  # VAT+consumption tax payable
    credit_constrained_share: float = share(0.4)
    land_need_share: float = share(0.5)
    initial_deep_firms: int = integer(0, maximum=100_000)  # firms already running a training centre (depth 4)
    secondary_vocational: SchoolType = field(default_factory=SchoolType)
    higher_vocational: SchoolType = field(default_factory=SchoolType)
    undergraduate: SchoolType = field(default_factory=SchoolType)
    programme_years: int = integer(3, minimum=1, maximum=10)
    dropout_share: float = share(0.03)  # per student-year
    government: GovernmentSetup = field(default_factory=GovernmentSetup)
    # a consortium's own rosters (issue 17, policies/rosters.py): CSV files of its member
    # firms and of its schools; what they do not give is drawn as above
    firms_csv: str | None = field(default=None, metadata={"file": True})
    schools_csv: str | None = field(default=None, metadata={"file": True})


# ---------------------------------------------------------------- behaviour (assumptions)
@dataclass
class Behaviour:
    """Firms', schools' and students' economics and learning. Mostly assumptions."""

    decision_rule: DecisionRule = DecisionRule.logit
    firm_logit_scale_cny: float = positive(8000.0)
    imitation_max_gap_cny: float = positive(200000.0)  # firms: payoff gap that makes imitation certain
    school_imitation_max_gap: float = positive(10.0, maximum=1.0e6)  # schools: the same, in KPI points
    imitation_exploration_share: float = share(0.05)  # under imitation, share choosing by logit instead
    inertia: bool = True  # at most one depth level up a year
    stay_bonus_cny: float = amount(5000.0)  # status-quo value of keeping last year's depth
    learning: bool = True  # beliefs updated from experience
    partners_required: bool = True  # depth >= 3 needs a school partner in its major
    belief_weight_own_share: float = share(0.4)
    belief_weight_peer_share: float = share(0.15)
    prior_retention_share: float = share(0.6)
    prior_payout_share: float = share(1.0)  # promised terms taken at face value at first
    membership_benefit_cny: float = amount(4000.0)
    lead_supplier_benefit_cny: float = amount(8000.0)  # a member's gain when the lead firms it supplies train
    institute_capacity_firms: float = amount(8.0, maximum=1.0e4)  # firms a research institute serves a year
    joint_rd_value_cny: float = amount(30000.0)  # a year's joint R&D with the institutes, to a depth-4 firm
    membership_cost_cny: float = amount(8000.0)
    shallow_cost_cny: float = amount(20000.0)
    screening_value_cny_per_vacancy: float = amount(2500.0)
    apprentice_gross_cost_cny: float = amount(50000.0)
    productive_share_mean: float = share(0.7)
    deep_productive_bonus_share: float = share(0.1)
    trainer_fixed_cost_cny: float = amount(20000.0)
    apprentices_per_100_employees: float = amount(2.0, maximum=100.0)
    deep_slot_multiplier: float = amount(1.5, maximum=10.0)
    external_hiring_cost_cny: float = amount(30000.0)
    trained_hire_value_cny: float = amount(20000.0)
    trained_hire_value_sd_share: float = amount(0.0, maximum=3.0)  # lognormal spread across firms
    centre_investment_cny: float = amount(300000.0)
    centre_depreciation_share: float = share(0.1)
    centre_land_share: float = share(0.4)
    interest_rate_share: float = share(0.04)
    financing_premium_share: float = share(0.06)
    codesign_cost_cny: float = amount(30000.0)
    relationship_gain_share: float = share(0.3)
    relationship_decay_share: float = share(0.15)
    relationship_cost_relief_share: float = share(0.6)
    entity_coordination_relief_share: float = share(0.4)
    partner_match_share: float = share(0.7)
    entity_match_bonus_share: float = share(0.2)
    award_contenders_prior_share: float = share(0.2)  # share of firms a firm expects to compete for awards
    school_logit_scale: float = positive(1.0, maximum=1000.0)
    school_outreach_cost: float = amount(1.0, maximum=1000.0)  # KPI points per outreach level
    school_kpi_weight_agreement: float = amount(1.0, maximum=1000.0)  # KPI points per signed agreement
    school_kpi_weight_apprentice: float = amount(1.0, maximum=1000.0)  # KPI points per apprentice hosted
    school_sign_cost: float = amount(0.1, maximum=1000.0)  # KPI points the paperwork of an agreement costs
    school_sign_share: float = share(0.8)
    students_per_teacher: float = positive(18.0, maximum=1000.0)  # 生师比
    partners_per_teacher_level: float = amount(0.3, maximum=100.0)  # per 双师 teacher and outreach level
    quota_adjust_share: float = share(0.3)
    major_review_years: float = amount(3.0, maximum=100.0)  # a school reviews its majors this often; 0: never
    major_switch_ratio: float = positive(
        2.0, maximum=100.0
    )  # a new major must promise this times the weakest
    quota_lag_years: int = integer(2, maximum=20)
    quota_noise_share: float = amount(0.3, maximum=3.0)
    relevance_initial_share: float = share(0.6)
    codesign_relevance_gain_share: float = share(0.25)
    teacher_relevance_gain_share: float = share(0.08)
    teacher_turnover_share: float = share(0.03)
    teacher_upgrade_cost_cny: float = amount(100000.0)  # make one teacher 双师型 (courses, months in a firm)
    student_wage_weight: float = amount(2.0, maximum=100.0)
    student_relevance_weight: float = amount(1.0, maximum=100.0)
    apprentice_take_up_share: float = share(0.8)
    pathway_take_up_share: float = share(0.8)  # a graduate offered a 贯通 place takes it
    contact_share: float = share(0.6)  # chance a graduate reaches a vacancy in a round
    platform_contact_share: float = share(0.85)
    search_rounds: int = integer(3, minimum=1, maximum=50)
    off_field_wage_share: float = share(0.85)
    moving_cost_cny: float = amount(20000.0)
    home_value_cny: float = amount(35000.0)
    taste_scale_cny: float = positive(10000.0)
    quit_share: float = share(0.05)
    first_year_quit_share: float = share(0.33)  # in a first year with an employer that did not train them
    drain_share: float = share(0.1)  # incumbents' yearly leaving, per unit wage premium
    hiring_bar_skill: float = amount(0.6, maximum=10.0)  # skill an in-field vacancy asks for, on average
    hiring_spread_skill: float = positive(0.1, maximum=10.0)  # logistic spread of that across vacancies
    sector_experience_skill: float = amount(
        0.1, maximum=10.0
    )  # an apprenticeship in the sector, to its employers
    own_apprentice_skill: float = amount(0.2, maximum=10.0)  # firm-specific skill, to the host only
    skill_value_cny: float = positive(100000.0, maximum=1.0e8)  # a year's output of a unit of skill
    scarcity_wage_elasticity: float = amount(0.1, maximum=2.0)  # sector wages vs vacancies per job seeker
    scarcity_reference_ratio: float = positive(
        2.0, maximum=100.0
    )  # vacancies per job seeker at the wage level
    poaching_wage_premium_share: float = share(0.15)  # mean raise a poacher offers (drawn in [0, 2x])
    counter_offers: bool = True  # a host may match a poacher's raise to keep its ex-apprentice
    counter_offer_horizon_years: float = positive(3.0, maximum=50.0)  # a matched raise is weighed over


# ---------------------------------------------------------------- uncertainties (§5)
@dataclass
class Uncertainty:
    """What the world does, swept apart from the levers (XLRM's X)."""

    name: str = "central"
    demand_growth_mean_share: float = bounded(0.03, -0.5, 0.5)  # per year, may be negative
    demand_growth_sd_share: float = amount(0.03, maximum=1.0)  # across sectors
    tech_drift_share: float = share(0.08)  # yearly decay of curriculum relevance
    poaching_intensity_share: float = share(0.15)
    skill_generality_share: float = share(0.0)  # share of a trained hire's value the worker takes in wages
    outside_wage_premium_share: float = amount(0.25, maximum=5.0)
    firm_cost_heterogeneity_share: float = amount(0.15, maximum=2.0)  # sd of productive share
    local_preference_share: float = share(0.5)  # mean home attachment of students
    recession_year: int | None = integer(None, maximum=100)  # a year of the run, or null
    recession_demand_drop_share: float = share(0.3)


# ---------------------------------------------------------------- measures (§6)
@dataclass
class FailureModes:
    """Thresholds of the failure-mode classification, all in one place."""

    hollow_min_membership_share: float = share(0.3)
    hollow_min_hollow_share: float = share(0.3)
    shallow_min_active_share: float = share(0.1)  # depth >= 2 among firms
    shallow_max_training_share: float = share(0.35)  # depth >= 3 among depth >= 2
    hot_cold_min_signed_per_school: float = amount(4.0, maximum=1000.0)
    hot_cold_max_active_per_signed: float = share(0.2)
    mismatch_min_index: float = share(0.18)
    drain_max_local_retention: float = share(0.55)
    collapse_window_years: int = integer(3, minimum=1, maximum=100)
    collapse_max_persistence_share: float = share(0.5)
    collapse_min_gain_share: float = share(0.05)  # training share above baseline at exit


@dataclass
class Factor:
    """One factor of a design: a config path's range or values."""

    kind: str = "float"  # float, int or categorical
    low: float | None = None
    high: float | None = None
    choices: list[Any] = field(default_factory=list)  # the values of a categorical factor
    # a search's float decision: its values low, low + step, ... high (null: any value);
    # packages a bureau can read (no 0.7% shares), and zero exactly reachable
    step: float | None = None


@dataclass
class Design:
    """How the futures (and lever settings) of an experiment are chosen (XLRM)."""

    kind: str = "central"  # central, grid, lhs, sobol, morris, posterior
    samples: int = integer(0, maximum=1_000_000)  # lhs: scenarios; sobol: N (power of 2); morris: paths
    points: int = integer(3, minimum=1, maximum=1000)  # grid: values per float factor
    levels: int = integer(4, minimum=2, maximum=1000)  # morris: grid levels
    factors: dict[str, Factor] = field(default_factory=dict)
    posterior: str = ""  # posterior: a calibration's results folder; its posterior's draws are the futures


@dataclass
class Target:
    """A target on a run-summary measure: at least and/or at most a value."""

    at_least: float | None = None
    at_most: float | None = None


@dataclass
class Answer:
    """The question a search's report answers from its front: the point best on
    ``measure`` (``direction``) among those meeting every target of ``where``; e.g. the
    cheapest package free of every failure mode in at least 90% of futures.
    """

    measure: str = "fiscal_cost"
    direction: str = "min"
    where: dict[str, Target] = field(default_factory=dict)


@dataclass
class Search:
    """A search for a package (issue 16): decision variables (package fields under
    ``policy.``, each a float or int range or categorical choices), objectives (a run
    measure each, ``max`` or ``min``), and constraints on measures (at least / at most).
    """

    decisions: dict[str, Factor] = field(default_factory=dict)
    objectives: dict[str, str] = field(default_factory=dict)
    constraints: dict[str, Target] = field(default_factory=dict)
    population: int = integer(24, minimum=4, maximum=100_000)  # candidates a generation (NSGA-II)
    generations: int = integer(12, minimum=1, maximum=100_000)  # generations after the first
    # the first generation holds the packages of experiment.packages set in the decision space
    start_from_packages: bool = True
    holdout_futures: int = integer(10, minimum=1, maximum=1_000_000)  # fresh futures re-evaluating the front
    holdout_replicates: int = integer(2, minimum=1, maximum=1_000_000)  # fresh keys for each of them
    answer: Answer = field(default_factory=Answer)  # the front point the report picks out


@dataclass
class Prior:
    """A calibrated parameter's prior on [low, high]: ``uniform``, ``loguniform`` (low
    above 0) or ``normal`` (mean, sd; truncated to [low, high]).
    """

    kind: str = "uniform"
    low: float | None = None
    high: float | None = None
    mean: float | None = None  # normal only
    sd: float | None = None  # normal only


@dataclass
class Calibrate:
    """A calibration to what a consortium observed (issue 17): parameters (config paths
    under ``behaviour.``, ``uncertainty.`` or ``city.``, each with its prior), the
    observed indicators (a YAML, ``policies/observed.py``), and the sequential Monte
    Carlo's sizes (``experiments/calibrate.py``).
    """

    observed: str = ""  # the indicators YAML (a bare name is also looked for beside the example rosters)
    parameters: dict[str, Prior] = field(default_factory=dict)
    particles: int = integer(200, minimum=10, maximum=1_000_000)  # parameter sets a generation
    generations: int = integer(10, minimum=1, maximum=1000)  # at most; stops once the posterior is reached
    ess_share: float = bounded(0.5, 0.05, 0.95)  # effective sample kept a step
    defensive_share: float = bounded(0.1, 0.01, 0.9)  # proposals from the prior
    predictive_draws: int = integer(100, minimum=10, maximum=1_000_000)  # posterior runs the checks compare
    preset: str = "calibrated"  # the calibrated city preset's name (presets/city/NAME.yaml)


@dataclass
class Experiment:
    """Which packages meet which futures, and how many replicates; default ``compare``."""

    name: str = "compare"
    packages: list[str] = field(default_factory=lambda: ["none"])
    replicates: int = integer(30, minimum=1, maximum=1_000_000)
    scenario: int = integer(0, maximum=1_000_000)  # the scenario number of a central design
    counterfactual: str = "none"
    summary_window_years: int = integer(5, minimum=1, maximum=100)
    workers: int = integer(0, maximum=1024)  # worker processes; 0: one per core. Results do not depend on it.
    chunk_runs: int = integer(0, maximum=1_000_000)  # (scenario, replicate) pairs a chunk; 0: automatic
    phase_out_year: int | None = integer(None, maximum=100)  # if set, every lever stops after this year
    design: Design = field(default_factory=Design)
    figures: bool = True
    report: bool = True  # write report/ (consortium-report) at the end
    regret_measure: str = "deep_share"  # robustness: regret against the best package in each future
    targets: dict[str, Target] = field(default_factory=dict)  # satisficing: what a package must reach
    graduate_value_cny: float = amount(50000.0)  # best_response: a graduate in field, a year, to a city
    search: Search = field(default_factory=Search)  # a search for a package (issue 16)
    calibrate: Calibrate = field(default_factory=Calibrate)  # a calibration to observed indicators (issue 17)


@dataclass
class Executor:
    """Where chunks run: ``local`` processes or a ``dask`` cluster. Results do not depend on it."""

    name: str = "local"
    address: str | None = None  # dask: tcp://scheduler:8786; null starts a LocalCluster
    n_workers: int = integer(0, maximum=1024)  # dask LocalCluster workers (0: one per core)


@dataclass
class RegionCity:
    """One city of a region (issue 15): a ``city/`` preset, the ``policy/`` package it
    runs, and ``fields``: one label per sector of the city naming the occupation it is in
    the region (a sector with the label of another city's sector is the same field for
    graduates' search and poaching across them; ``""``: a field no other city has).
    """

    city: str = ""
    policy: str = "none"
    fields: list[str] = field(default_factory=list)


@dataclass
class Link:
    """What joins two cities of a region, the same both ways."""

    between: list[str] = field(default_factory=list)  # the two cities' names in ``region.cities``
    contact_share: float = share(0.0)  # reach of the other city's open vacancies, relative to one's own
    commute_cost_cny: float = amount(0.0, maximum=1.0e6)  # yearly cost of working there: commuting or moving
    home_kept_share: float = share(0.0)  # share of the value of home kept while working there
    poaching_share: float = share(0.0)  # the other city's employers' approaches, relative to their own city's
    mutual_recognition: bool = True  # each city's employers credit the other's apprenticeships (互认)


@dataclass
class Region:
    """Several cities, each with its own package, joined by links (``sim.region``);
    ``none``: one city alone (``city``, ``policy``).
    """

    name: str = "none"
    description: str = ""
    cities: dict[str, RegionCity] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    shared_platform: bool = False  # one information platform: linked cities' vacancies reached as one's own
    community_field: str = ""  # a cross-city 行业产教融合共同体 for this field ("" none): reached, recognised


@dataclass
class Config:
    """The whole run configuration."""

    seed: int = integer(0, maximum=2**63 - 1)  # run keys are 64-bit; stored as int64
    years: int = integer(15, minimum=1, maximum=100)
    lang: Language = Language.en  # the report's language; does not change any number
    city: City = field(default_factory=City)
    policy: Package = field(default_factory=Package)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    behaviour: Behaviour = field(default_factory=Behaviour)
    failure_modes: FailureModes = field(default_factory=FailureModes)
    experiment: Experiment = field(default_factory=Experiment)
    executor: Executor = field(default_factory=Executor)
    region: Region = field(default_factory=Region)


def register() -> None:
    """Register the schema with Hydra so that YAML files merge into it (once a process).

    The root alone: every group's file merges into its typed node of ``Config``
    (``config_schema`` comes first in ``config.yaml``'s defaults). Group schemas would be
    offered as presets (``city=city_schema``) and copied with Hydra's store at every
    composition (``--help`` composes once per group and option).
    """
    store = ConfigStore.instance()
    if "config_schema.yaml" not in store.repo:
        store.store(name="config_schema", node=Config)
