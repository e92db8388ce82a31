"""The lever registry: one row per lever (MODEL.md §4), everything else derived from it.

A row says which schema block configures the lever (``policies/schema.py``), which
yearly terms it writes for the core (``policies/terms.py``), how it pays (``claim``: firms
claim it and are paid within the budget lines; ``fixed``: a programme the government
pays first, whatever firms do; ``entitlement``: a statutory tax relief every qualifying
firm takes in full, outside the package's budget and the administration's effort), the
unit of each term, its English and Chinese label, its dashboard control, and the measure
it must move and in which direction (what ``tests/policies/test_levers.py`` checks of
every row). The term and spending columns, the
dashboard's side bar, the report's labels and the tests' parameters all read this
table; index constants are generated from the names (``policies.terms.L``, ``T``).

Adding a lever: its block in ``policies/schema.py`` (and a field of ``Package``), one row
here, the rule that reads its terms (``agents/``), optionally a package YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from policies import schema

Pays = Literal["claim", "fixed", "entitlement"]
ControlKind = Literal["amount", "share", "count", "switch", "choice"]


@dataclass(frozen=True)
class Term:
    """A yearly term a lever writes: its column name, the block field it reads, its unit."""

    column: str
    field: str
    unit: str


@dataclass(frozen=True)
class Control:
    """The dashboard control of a setting: the field it sets, its kind, its range.

    An ``amount``, ``share`` or ``count`` set above zero switches its lever on, set to
    zero off; a ``switch`` sets ``enabled`` itself.
    """

    field: str
    kind: ControlKind
    maximum: float = 1.0
    step: float = 0.05
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Effect:
    """What switching the lever on must do, against the no-policy twin: ``settings``
    (block fields) switch it on at a telling amount; ``measure`` (a run-summary measure)
    moves in ``direction`` (+1 up, -1 down). ``governance``: package governance fields
    the lever needs to act at all (the credit rating is given only to verified members).
    """

    settings: dict[str, Any]
    measure: str
    direction: int
    governance: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Lever:
    """One lever: where it is configured, what it writes for the core, how it pays."""

    name: str
    block: type
    pays: Pays
    terms: tuple[Term, ...]
    label_en: str
    label_zh: str
    control: Control
    effect: Effect
    switch: bool = False  # writes a 0/1 term named after the lever while active
    cost_term: str | None = None  # fixed programmes: the term holding its yearly cost
    by_effort: bool = False  # fixed programmes: delivered in proportion to the effort


LEVERS: tuple[Lever, ...] = (
    Lever(
        "apprentice_subsidy", schema.ApprenticeSubsidy, "claim",
        (Term("apprentice_cny", "cny_per_apprentice_year", "yuan per apprentice-year"),),
        "Apprentice subsidy (yuan per apprentice-year)", "学徒补贴（元/人·年）",
        Control("cny_per_apprentice_year", "amount", 20000, 500),
        Effect({"cny_per_apprentice_year": 15000}, "training_share", +1),
    ),
    Lever(
        "employment_subsidy", schema.EmploymentSubsidy, "claim",
        (Term("employment_cny", "cny_per_hire", "yuan per local hire of a trained graduate"),),
        "Employment subsidy (yuan per local hire)", "学徒就业补贴（元/人）",
        Control("cny_per_hire", "amount", 30000, 1000),
        Effect({"cny_per_hire": 40000}, "training_share", +1),
    ),
    Lever(
        "settlement_subsidy", schema.SettlementSubsidy, "claim",
        (
            Term("settlement_cny", "cny_per_year", "yuan a year per graduate in field at a member"),
            Term("settlement_years", "years", "years after graduating a graduate receives it"),
        ),
        "Settlement subsidy (yuan a year per graduate)", "人才安居补贴（元/人·年）",
        Control("cny_per_year", "amount", 40000, 1000),
        Effect({"cny_per_year": 20000}, "in_field_local_rate", +1),
    ),
    Lever(
        "membership_grant", schema.MembershipGrant, "claim",
        (Term("membership_cny", "cny_per_member_year", "yuan per qualifying member-year"),),
        "Member grant (yuan per member-year)", "成员奖补（元/家·年）",
        Control("cny_per_member_year", "amount", 200000, 5000),
        Effect({"cny_per_member_year": 30000}, "membership_rate", +1),
    ),
    Lever(
        "training_centre_grant", schema.TrainingCentreGrant, "claim",
        (Term("centre_share", "investment_share", "share of training-centre investment"),),
        "Training-centre grant (share of investment)", "学习岛建设补助（投资占比）",
        Control("investment_share", "share"),
        Effect({"investment_share": 0.8}, "deep_share", +1),
    ),
    Lever(
        "tax_offset", schema.TaxOffset, "entitlement",
        (
            Term("tax_share", "investment_share", "share of training spending offset"),
            Term("tax_surcharge_share", "surcharge_rate_share", "surcharge rate on VAT and consumption tax"),
        ),
        "Tax offset (share of investment)", "产教融合型企业税费抵免（投资占比）",
        Control("investment_share", "share"),
        Effect({"investment_share": 0.8, "surcharge_rate_share": 0.2}, "training_share", +1),
    ),
    Lever(
        "land", schema.Land, "claim",
        (Term("land_share", "price_discount_share", "discount on the land of a training base"),),
        "Land discount (share of the land price)", "实训基地用地优惠（地价折扣）",
        Control("price_discount_share", "share"),
        Effect({"price_discount_share": 1.0}, "deep_share", +1),
    ),
    Lever(
        "credit", schema.Credit, "claim",
        (
            Term("credit_interest_share", "interest_subsidy_share", "share of the financing premium paid"),
            Term("credit_rating_cny", "rating_bonus_cny", "yuan a year of a better credit rating"),
        ),
        "Credit: interest subsidy (share of the premium)", "金融信用：贴息（融资溢价占比）",
        Control("interest_subsidy_share", "share"),
        Effect({"interest_subsidy_share": 1.0, "rating_bonus_cny": 40000}, "deep_share", +1,
               governance={"audit_rate_share": 1.0}),
    ),
    Lever(
        "awards", schema.Awards, "claim",
        (
            Term("award_cny", "cny_per_award", "yuan per award"),
            Term("award_count", "awards_per_year", "awards a year"),
        ),
        "Awards (yuan per award)", "表彰奖励（元/项）",
        Control("cny_per_award", "amount", 500000, 10000),
        Effect({"cny_per_award": 300000, "awards_per_year": 5}, "deep_share", +1),
    ),
    Lever(
        "teacher_training", schema.TeacherTraining, "fixed",
        (Term("teacher_cny", "cny_per_year", "yuan a year for 双师型 teachers"),),
        "Teacher training (yuan a year)", "双师型教师培养（元/年）",
        Control("cny_per_year", "amount", 1.0e7, 2.5e5),
        Effect({"cny_per_year": 5.0e6}, "mean_relevance", +1),
        cost_term="teacher_cny", by_effort=True,
    ),
    Lever(
        "entity", schema.Entity, "fixed",
        (Term("entity_cost_cny", "cost_cny_per_year", "yuan a year"),),
        "Operating entity", "实体化运营机构",
        Control("enabled", "switch"),
        Effect({}, "training_share", +1),
        switch=True, cost_term="entity_cost_cny",
    ),
    Lever(
        "info_platform", schema.InfoPlatform, "fixed",
        (Term("info_cost_cny", "cost_cny_per_year", "yuan a year"),),
        "Talent information platform", "人才供需信息平台",
        Control("enabled", "switch"),
        Effect({}, "in_field_local_rate", +1),  # search; on mismatch: experiments/validation.py
        switch=True, cost_term="info_cost_cny",
    ),
    Lever(
        "tech_platform", schema.TechPlatform, "fixed",
        (
            Term("tech_cost_cny", "cost_cny_per_year", "yuan a year"),
            Term("tech_benefit_cny", "benefit_cny_per_member_year", "yuan per member-year at depth >= 3"),
        ),
        "Shared technology platform", "共性技术服务平台",
        Control("enabled", "switch"),
        Effect({"benefit_cny_per_member_year": 40000}, "training_share", +1),
        switch=True, cost_term="tech_cost_cny",
    ),
)  # fmt: skip
BY_NAME: dict[str, Lever] = {lever.name: lever for lever in LEVERS}
LEVER_NAMES: tuple[str, ...] = tuple(lever.name for lever in LEVERS)
FIXED_LEVERS: tuple[str, ...] = tuple(lever.name for lever in LEVERS if lever.pays == "fixed")
ENTITLEMENT_LEVERS: tuple[str, ...] = tuple(lever.name for lever in LEVERS if lever.pays == "entitlement")


@dataclass(frozen=True)
class Setting:
    """A package-wide setting (the budget, governance): the term it writes for the core,
    the package field it reads (dotted), its unit, labels and dashboard control.
    """

    column: str
    path: str
    unit: str
    label_en: str = ""
    label_zh: str = ""
    control: Control | None = None
    choice_labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # choice: (English, 中文)
    control_key: str = ""  # the dashboard control's name, if not ``column``

    @property
    def key(self) -> str:
        """The name of the setting's dashboard control."""
        return self.control_key or self.column


SETTINGS: tuple[Setting, ...] = (
    Setting("conditionality", "governance.conditionality", "code (policies.schema.Conditionality)",
            "Money is conditional on", "资金拨付条件",
            Control("governance.conditionality", "choice",
                    choices=("membership", "activity", "verified_outcome")),
            {"membership": ("membership", "加入联合体"), "activity": ("reported activity", "申报的活动"),
             "verified_outcome": ("verified training", "经核验的培养成果")}),
    Setting("audit_share", "governance.audit_rate_share", "share of activity claims audited",
            "Audit rate (share of claims)", "抽查比例（申报占比）",
            Control("governance.audit_rate_share", "share"), control_key="audit_rate"),
    Setting("clawback_share", "governance.clawback_share", "share of an unjustified payment recovered",
            "Clawback (share of an unjustified payment)", "追回比例（不实拨付的占比）",
            Control("governance.clawback_share", "share"), control_key="clawback"),
    Setting("penalty_cny", "governance.penalty_cny", "yuan of credit-rating loss",
            "Penalty of a caught over-reporter (yuan)", "虚报被查处的信用损失（元）",
            Control("governance.penalty_cny", "amount", 1.0e6, 2.0e4), control_key="penalty"),
    Setting("paper_penalty_cny", "governance.paper_penalty_cny", "yuan of credit-rating loss",
            "Sanction of a paper member found on audit (yuan)", "挂名成员经抽查的信用惩戒（元）",
            Control("governance.paper_penalty_cny", "amount", 1.0e6, 2.0e4), control_key="paper_penalty"),
    Setting("school_kpi", "governance.school_kpi", "code (policies.schema.SchoolKpi)",
            "Schools are judged on", "学校考核依据",
            Control("governance.school_kpi", "choice", choices=("agreements", "outcomes")),
            {"agreements": ("agreements signed", "签约数量"), "outcomes": ("outcomes", "培养成效")}),
    Setting("assessment_cny", "governance.assessment_cny", "yuan a year",
            "Counted in the park's assessment (考核, yuan a year)", "纳入园区综合考核（元/年）",
            Control("governance.assessment_cny", "amount", 2.0e7, 5.0e5), control_key="assessment"),
    Setting("empowered", "governance.empowered_entity", "0/1",
            "Powers delegated to the operating entity (赋权)", "向实体运营机构赋权",
            Control("governance.empowered_entity", "switch"), control_key="empowered_entity"),
    Setting("pathway_share", "governance.pathway_share", "share of the next level's seats per major",
            "中高本贯通 places (share of the next level's seats)", "中高本贯通名额（占上一级招生比例）",
            Control("governance.pathway_share", "share"), control_key="pathway"),
    Setting("payback", "governance.payback_clause", "0/1", "Service-period clause (服务期)", "服务期约定",
            Control("governance.payback_clause", "switch"), control_key="payback_clause"),
    Setting("payback_years", "governance.payback_service_years", "years",
            "Service period (years)", "服务期（年）",
            Control("governance.payback_service_years", "count", 10, 1), control_key="payback_service"),
    Setting("payback_repayment_share", "governance.payback_repayment_share",
            "share of the host's training cost repaid by an early leaver",
            "Repayment of the training cost by an early leaver (share)", "提前离职应偿还的培训费用（占比）",
            Control("governance.payback_repayment_share", "share"), control_key="payback_repayment"),
    Setting("budget_cny", "budget_cny_per_year", "yuan a year", "Budget (yuan a year)", "年度预算（元）",
            Control("budget_cny_per_year", "amount", 3.0e7, 5.0e5), control_key="budget"),
)  # fmt: skip
