"""What a run is judged by (XLRM's M): the measure and failure-mode registries.

One row per run-summary measure (its key, unit, direction, English and Chinese label,
whether it is a headline, and how it is summarised) and one per failure mode (its code,
names, the thresholds of ``policies.schema.FailureModes`` it reads, and its rule). The
core's summaries and classification (``sim/measures.py``), the report, the dashboard and
the tests all read these tables; a failure mode's Chinese name is written here only.

Adding a measure: a row here and, for a ``window`` measure, the yearly series of the same
name (``sim/series.py``, recorded in ``sim/loop.py``). Adding a failure mode: a row here
and its thresholds in ``FailureModes`` and ``configs/failure_modes/default.yaml``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Summary = Literal["window", "money", "run", "counterfactual"]


@dataclass(frozen=True)
class Measure:
    """A run-summary measure.

    Attributes:
        key: its column in ``runs.parquet``.
        unit: ``share``, ``count``, ``yuan a year``, ...
        direction: +1 higher is better, -1 higher is worse, 0 neither (context).
        label_en, label_zh: how figures, tables and the dashboard name it.
        headline: shown first (the dashboard's summary, the report's evidence).
        summary: ``window``, the mean of its yearly series over the last
            ``summary_window_years``; ``money``, yuan a year while money flows; ``run``,
            over the whole run; ``counterfactual``, against the no-policy twin.

    """

    key: str
    unit: str
    direction: int
    label_en: str
    label_zh: str
    headline: bool = False
    summary: Summary = "window"


MEASURES: tuple[Measure, ...] = (
    Measure("membership_rate", "share", +1, "member firms", "成员企业占比", True),
    Measure("hollow_share", "share", -1, "hollow share of members", "成员中挂名企业占比", True),
    Measure("deep_share", "share", +1, "firms co-constructing (depth 4)", "深度共建企业占比（4级）", True),
    Measure("training_share", "share", +1, "firms training (depth ≥ 3)", "开展培养企业占比（≥3级）", True),
    Measure("training_among_active", "share", +1, "training among active firms", "活跃企业中开展培养占比"),
    Measure("net_cost_share", "share", -1, "apprentices' net cost", "学徒净成本占比"),
    Measure("net_benefit_firm_share", "share", +1, "hosts with a net benefit", "净收益企业占比"),
    Measure("active_per_signed", "share", +1, "active per signed agreement", "实质合作/签约"),
    Measure("signed_per_school", "count", 0, "agreements per school", "每校签约数"),
    Measure("apprentices", "count", +1, "apprentices hosted", "在岗学徒数"),
    Measure("apprentice_retention_1y", "share", +1, "apprentices kept a year", "学徒一年留用率"),
    Measure("apprentice_retention_3y", "share", +1, "apprentices kept three years", "学徒三年留用率"),
    Measure("poaching_rate", "share", -1, "poaching rate", "挖人率"),
    Measure("matched_offer_rate", "share", 0, "ex-apprentices kept by matching a poacher", "加薪留人率"),
    Measure("in_field_local", "count", +1, "in-field local graduates", "本地对口就业人数"),
    Measure("in_field_local_rate", "share", +1, "in-field local placement", "本地对口就业率", True),
    Measure("job_major_match", "share", +1, "job-major match of employed graduates", "专业相关度"),
    Measure("local_retention", "share", +1, "local retention of graduates", "毕业生本地留存率", True),
    Measure("mismatch_index", "share", -1, "supply-demand mismatch", "供需错配指数", True),
    Measure("mean_relevance", "share", +1, "curriculum relevance", "课程对口度"),
    Measure("vacancy_fill_rate", "share", +1, "vacancies filled", "岗位填补率"),
    Measure("vacancies_per_seeker", "ratio", 0, "vacancies per job seeker", "岗位求人倍率"),
    Measure("vacancies_per_seeker_secondary", "ratio", 0, "vacancies per job seeker, 中职",
            "岗位求人倍率（中职）"),
    Measure("vacancies_per_seeker_higher", "ratio", 0, "vacancies per job seeker, 高职",
            "岗位求人倍率（高职）"),
    Measure("vacancies_per_seeker_undergraduate", "ratio", 0, "vacancies per job seeker, 本科",
            "岗位求人倍率（本科）"),
    Measure("years_to_first_job", "years", -1, "years to a first local job", "首份本地就业等待年数"),
    Measure("apprentice_wage_premium", "share", +1, "wage premium of ex-apprentices", "学徒出身工资溢价"),
    Measure("first_year_quit_rate", "share", -1, "first-year quits", "入职首年离职率"),
    Measure("trained_local_hires", "count", +1, "trained graduates hired by members",
            "成员企业录用学徒毕业生数"),
    Measure("effort", "share", +1, "implementation effort", "政策执行力度"),
    Measure("payout_belief", "share", +1, "payout firms expect", "企业预期兑现率"),
    Measure("ration_share", "share", 0, "share of claims the budget pays", "预算可兑付比例"),
    Measure("fiscal_cost", "yuan a year", -1, "fiscal cost", "财政成本", True, "money"),
    Measure("fiscal_cost_total", "yuan", -1, "fiscal cost over the run", "累计财政成本", summary="run"),
    Measure("budget_per_year", "yuan a year", 0, "budget", "年度预算", summary="run"),
    Measure("max_spend_over_budget", "yuan", -1, "most spent over budget", "超预算支出", summary="run"),
    Measure("additional_deep_member_years", "firm-years", +1, "extra deep member-years",
            "新增深度参与企业·年", summary="counterfactual"),
    Measure("additional_in_field_local_graduates", "graduates", +1, "extra in-field local graduates",
            "新增本地对口就业人数", summary="counterfactual"),
    Measure("cost_per_additional_deep_member_cny", "yuan per firm-year", -1,
            "yuan per extra deep member-year", "每新增深度参与企业·年成本", summary="counterfactual"),
    Measure("cost_per_additional_in_field_graduate_cny", "yuan per graduate", -1,
            "yuan per extra in-field local graduate", "每新增本地对口毕业生成本", summary="counterfactual"),
    Measure("deadweight_share", "share", -1, "deadweight share", "无谓补贴占比", summary="counterfactual"),
    Measure("exit_year", "year", 0, "year the money stops", "资金退出年份", summary="counterfactual"),
    Measure("gain_at_exit", "share", +1, "training gain at exit", "退出时培养增量", summary="counterfactual"),
    Measure("persistence_after_exit", "share", +1, "persistence after exit", "退出后保持率",
            summary="counterfactual"),
)  # fmt: skip
MEASURE_BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}
WINDOW_MEASURES: tuple[str, ...] = tuple(m.key for m in MEASURES if m.summary == "window")


# ---------------------------------------------------------------- failure modes (MODEL.md §1)
def _finite(value: float) -> bool:
    return value is not None and math.isfinite(value)


def below(value: float, bound: float, nan_true: bool = False) -> bool:
    """``value < bound``; an undefined value (NaN) counts as ``nan_true``."""
    return nan_true if not _finite(value) else value < bound


def at_least(value: float, bound: float) -> bool:
    """``value >= bound``; never for an undefined value."""
    return _finite(value) and value >= bound


def active_share(s: Mapping[str, float]) -> float:
    """Share of firms at depth >= 2: all but non-members and hollow members."""
    members = s["membership_rate"]
    hollow = s["hollow_share"] if _finite(s["hollow_share"]) else 0.0
    return 1.0 - ((1.0 - members) + members * hollow)


Rule = Callable[[Mapping[str, float], Any], bool]


@dataclass(frozen=True)
class FailureMode:
    """A failure mode the policy texts name: a run either shows it or not.

    Attributes:
        code: its column in ``runs.parquet`` (``fm_*``).
        name_zh: the policy texts' name (联而不合 ...), the one place it is written.
        name_en: a short English name.
        meaning_en, meaning_zh: what it means in a few words.
        thresholds: the fields of ``policies.schema.FailureModes`` its rule reads.
        rule: ``rule(summary, thresholds) -> bool`` on a run's summary row.

    """

    code: str
    name_zh: str
    name_en: str
    meaning_en: str
    meaning_zh: str
    thresholds: tuple[str, ...]
    rule: Rule


FAILURE_MODES: tuple[FailureMode, ...] = (
    FailureMode(
        "fm_hollow", "联而不合", "hollow", "members on paper only", "成员多但只是挂名",
        ("hollow_min_membership_share", "hollow_min_hollow_share"),
        lambda s, t: s["membership_rate"] >= t.hollow_min_membership_share
        and s["hollow_share"] >= t.hollow_min_hollow_share,
    ),
    FailureMode(
        "fm_shallow", "合而不深", "shallow", "active but not training", "有合作但不开展培养",
        ("shallow_min_active_share", "shallow_max_training_share"),
        lambda s, t: active_share(s) >= t.shallow_min_active_share
        and below(s["training_among_active"], t.shallow_max_training_share),
    ),
    FailureMode(
        "fm_school_hot_firm_cold", "校热企冷", "schools keen, firms cold",
        "agreements signed, few firms train", "学校签约多，企业少有实质培养",
        ("hot_cold_min_signed_per_school", "hot_cold_max_active_per_signed"),
        lambda s, t: s["signed_per_school"] >= t.hot_cold_min_signed_per_school
        and below(s["active_per_signed"], t.hot_cold_max_active_per_signed, nan_true=True),
    ),
    FailureMode(
        "fm_mismatch", "供需错配", "skills mismatch", "graduates' fields differ from vacancies",
        "毕业生专业与岗位需求不符", ("mismatch_min_index",),
        lambda s, t: at_least(s["mismatch_index"], t.mismatch_min_index),
    ),
    FailureMode(
        "fm_talent_drain", "人才外流", "talent drain", "graduates leave the region", "毕业生流出本地",
        ("drain_max_local_retention",),
        lambda s, t: below(s["local_retention"], t.drain_max_local_retention),
    ),
    FailureMode(
        "fm_collapse_after_exit", "退坡后空心化", "collapse after exit",
        "training falls back when the money stops", "资金退出后培养回落",
        ("collapse_min_gain_share", "collapse_max_persistence_share", "collapse_window_years"),
        lambda s, t: at_least(s.get("gain_at_exit", math.nan), t.collapse_min_gain_share)
        and below(s.get("persistence_after_exit", math.nan), t.collapse_max_persistence_share),
    ),
)  # fmt: skip
FAILURE_MODE_CODES: tuple[str, ...] = tuple(mode.code for mode in FAILURE_MODES)
MODE_BY_CODE: dict[str, FailureMode] = {mode.code: mode for mode in FAILURE_MODES}


def classify(summary: Mapping[str, float], thresholds: Any) -> dict[str, bool]:
    """Failure modes of one run (MODEL.md §1); a run may show several, or none (``healthy``)."""
    modes = {mode.code: bool(mode.rule(summary, thresholds)) for mode in FAILURE_MODES}
    modes["healthy"] = not any(modes.values())
    return modes
