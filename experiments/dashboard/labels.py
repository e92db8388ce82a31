"""Every string the dashboard shows, in English and Chinese: nothing inline.

Levers, package-wide settings (and their choices), measures and failure modes are named
in their registries (``policies/levers.py``, ``policies/outcomes.py``), so a lever added
there is labelled here with no edit; :data:`LABELS` holds the dashboard's own words
(page text, arms, presets, charts). A key missing from both is a bug, and :func:`label`
raises on it, so a forgotten translation shows up in the tests rather than as a blank
on the page.
"""

from __future__ import annotations

from typing import Literal

from experiments.report_text import TEXT
from policies.levers import LEVERS, SETTINGS
from policies.outcomes import FAILURE_MODES, MEASURES

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

# key: (English, 中文), the dashboard's own words
LABELS: dict[str, tuple[str, str]] = {
    # page and controls
    "title": ("City-level industry-education consortium", "市域产教联合体"),
    "subtitle": (
        "Move the levers, step the years, and compare with the no-policy run (same seed).",
        "调整政策杠杆，逐年推演，并与同一随机种子下的无政策情形对照。",
    ),
    "language": ("Language", "语言"),
    "scenario": ("Scenario", "情景"),
    "city": ("City preset", "城市预设"),
    "policy": ("Policy package", "政策包"),
    "seed": ("Random seed", "随机种子"),
    "years": ("Years to simulate", "模拟年数"),
    "money_stops": ("Money stops after year (0: as the package)", "资金在第几年后退出(0:按政策包)"),
    "levers": ("Levers", "政策杠杆"),
    "levers_note": (
        "Start from the package; a changed lever re-runs the policy arm from year 0 to the current year.",
        "以所选政策包为起点；调整杠杆后，政策组从第 0 年重新运行到当前年份。",
    ),
    "governance": ("Governance", "治理"),
    "reset_levers": ("Package values", "恢复政策包取值"),
    "changed": ("changed", "已调整"),
    "lever_years": ("paid in years {first}-{last}", "支付年份：第 {first}-{last} 年"),
    "reset": ("Reset", "重置"),
    "step": ("Step a year", "推进一年"),
    "play": ("Play", "播放"),
    "pause": ("Pause", "暂停"),
    "year": ("Year", "年份"),
    "year_of": ("Year {year} of {n_years}", "第 {year} 年 / 共 {n_years} 年"),
    "not_started": ("Year 0: press Step or Play.", "第 0 年：请点击“推进一年”或“播放”。"),
    "finished": ("finished", "已结束"),
    "working": ("running the model…", "模型运行中…"),
    "rerun_moved": (
        "Re-run from year 0 to year {year} with your change.",
        "已按调整从第 0 年重新运行到第 {year} 年。",
    ),
    "rerun_still": (
        "Re-run from year 0 to year {year} with your change: nothing moved (at this "
        "setting the change binds nothing).",
        "已按调整从第 0 年重新运行到第 {year} 年：结果没有变化（在当前设置下该调整不起作用）。",
    ),
    "error": ("The model raised an error", "模型运行出错"),
    "whole_number": ("a whole number from {low:,} to {high:,}", "应为 {low:,} 到 {high:,} 之间的整数"),
    # arms
    "arm_policy": ("With the package", "实施政策包"),
    "arm_baseline": ("No policy", "无政策"),
    "difference": ("Difference", "差值"),
    "measure": ("Measure", "指标"),
    # presets (configs/city, configs/policy); a preset not listed shows its file name
    "city_small": ("small (a synthetic test city)", "small（小型示例城市）"),
    "city_suzhou_robotics": (
        "suzhou_robotics (Suzhou robotics, Wuzhong)",
        "suzhou_robotics（苏州吴中机器人产业）",
    ),
    "city_taicang_dual": ("taicang_dual (Taicang, German firms)", "taicang_dual（太仓德企双元制）"),
    "city_weifang_agri": (
        "weifang_agri (Weifang, manufacturing and agriculture)",
        "weifang_agri（潍坊制造与现代农业）",
    ),
    "city_changzhou_new_energy": (
        "changzhou_new_energy (Changzhou new energy, Wujin)",
        "changzhou_new_energy（常州武进新能源产业）",
    ),
    "city_from_files": (
        "from_files (your consortium's rosters; an example shipped)",
        "from_files（本联合体的名册，附示例）",
    ),
    "city_wuxi_iot": (
        "wuxi_iot (Wuxi Internet of Things, high-tech zone)",
        "wuxi_iot（无锡高新区物联网产业）",
    ),
    "package_none": ("none (no incentives)", "none（无激励）"),
    "package_membership_grant": ("membership_grant (grant to every member)", "membership_grant（成员补贴）"),
    "package_outcome_based": ("outcome_based (grant for verified training)", "outcome_based（按成效奖补）"),
    "package_apprentice_subsidy": (
        "apprentice_subsidy (per apprentice-year)",
        "apprentice_subsidy（学徒补贴）",
    ),
    "package_tax_offset": ("tax_offset (offset of training investment)", "tax_offset（税费抵免）"),
    "package_jczt": ("jczt (finance + fiscal + land + credit)", "jczt（金融+财政+土地+信用）"),
    "package_settlement": ("settlement (graduates' settlement subsidy)", "settlement（人才安居补贴）"),
    "package_taicang_dual": ("taicang_dual (Taicang dual system)", "taicang_dual（太仓双元制）"),
    "package_platform_only": ("platform_only (information platform only)", "platform_only（仅信息平台）"),
    # series and counts the page shows beside the registry's measures
    "fiscal_cost_cny": ("Fiscal spending this year", "本年财政支出"),
    "fiscal_total": ("Fiscal spending so far", "累计财政支出"),
    "active_ties": ("Active partnerships", "实质性合作"),
    "signed_ties": ("Signed partnerships", "签约合作"),
    # failure modes (their names: policies/outcomes.py)
    "failure_modes": ("Failure modes the run shows now", "当前呈现的失灵形态"),
    "failure_modes_note": (
        "Classified on the last completed years, thresholds of configs/failure_modes.",
        "依据最近已完成年份判定，阈值见 configs/failure_modes。",
    ),
    "healthy": ("none: no failure mode", "无失灵"),
    # a region of cities (issue 15)
    "region": ("A region of cities", "区域联动"),
    "region_note": (
        "Each city with its own package, joined by commuting and poaching; one run of the whole "
        "horizon (this seed), each city also without its package. Means over the last 5 years.",
        "各市各用其政策包，通过通勤与挖角相连；按本随机种子运行全部年份，"
        "并各自运行去掉本市政策包的情形。取最后 5 年均值。",
    ),
    "region_preset": ("Region preset", "区域预设"),
    "run_region": ("Run the region", "运行区域"),
    "region_city_package": ("{city}: package", "{city}：政策包"),
    "region_package": ("Package", "政策包"),
    "own_effect": ("Its package adds (in-field local)", "本市政策包增加（本地对口）"),
    "moved_out": ("Leave for other cities, a year", "流向其他城市/年"),
    "moved_in": ("Come from other cities, a year", "来自其他城市/年"),
    "trained_elsewhere_share": ("Its ex-apprentices working elsewhere", "学徒出身者在他市就业占比"),
    "region_modes": ("Failure modes", "失效模式"),
    "region_sxc": ("sxc (Suzhou, Wuxi, Changzhou)", "sxc（苏锡常）"),
    "no_modes_yet": ("(after the first year)", "（第一年后显示）"),
    # charts
    "network": ("School-firm partnerships", "校企合作网络"),
    "network_note": (
        "Squares: schools; circles: firms coloured by depth; green: active (the firm trains with the "
        "school); grey dashed: signed only. The model counts a school's signed agreements without "
        "naming the firms: they are drawn to member firms in its majors, deepest first.",
        "方形为学校，圆形为企业（颜色表示参与深度）；绿色实线：实质性合作（企业与该校共同培养）；"
        "灰色虚线：仅签约。模型只统计学校的签约数量而不指明企业，图中按专业对口、参与深度由高到低连向成员企业。",
    ),
    "depth_over_time": (
        "Depth of firms over time (share of firms)",
        "企业参与深度分布随时间变化（企业占比）",
    ),
    "measures_over_time": ("Measures over time", "主要指标随时间变化"),
    "fiscal_axis": ("million yuan", "百万元"),
    # the depths as the report names them (one set of words for both)
    **{f"depth_{d}": (TEXT["en"][f"depth_{d}"], TEXT["zh"][f"depth_{d}"]) for d in range(5)},
    "depth": ("depth", "参与深度"),
    "school": ("school", "学校"),
    "firm": ("firm", "企业"),
    "points": ("{value:+.1f} pp", "{value:+.1f} 个百分点"),
    "million_yuan": ("{value:.2f} million yuan", "{value:.2f} 百万元"),  # the report's units
}


def _capitalised(text: str) -> str:
    """A registry label as a heading or row name shows it (first letter capital)."""
    return text[:1].upper() + text[1:]


# key: (English, 中文), from the registries
REGISTRY_LABELS: dict[str, tuple[str, str]] = {
    **{lever.name: (lever.label_en, lever.label_zh) for lever in LEVERS},
    **{s.key: (s.label_en, s.label_zh) for s in SETTINGS if s.control is not None},
    **{m.key: (_capitalised(m.label_en), m.label_zh) for m in MEASURES},
    **{
        mode.code: (f"{mode.name_zh} {mode.name_en}: {mode.meaning_en}", mode.name_zh)
        for mode in FAILURE_MODES
    },
}
_SHARED = sorted(set(REGISTRY_LABELS) & set(LABELS))
if _SHARED:  # a dashboard word must not hide a registry's name (or the reverse)
    raise ValueError(f"labels defined both in the registries and in LABELS: {_SHARED}")
ALL_LABELS: dict[str, tuple[str, str]] = {**LABELS, **REGISTRY_LABELS}
CHOICE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    s.key: s.choice_labels for s in SETTINGS if s.control is not None and s.control.kind == "choice"
}


def label(key: str, lang: Lang, **values: object) -> str:
    """The string for ``key`` in ``lang``, with ``values`` formatted into it."""
    english, chinese = ALL_LABELS[key]
    text = chinese if lang == "zh" else english
    return text.format(**values) if values else text


def choice_label(setting: str, choice: str, lang: Lang) -> str:
    """How a choice of a setting's menu reads, from the setting's ``choice_labels``.

    ``setting`` is its control's name (``conditionality``), ``choice`` the enum member's name.
    """
    english, chinese = CHOICE_LABELS[setting][choice]
    return chinese if lang == "zh" else english


def preset(group: str, name: str, lang: Lang) -> str:
    """A city or package preset as the menus show it (its file name if not in the table)."""
    key = f"{group}_{name}"
    return label(key, lang) if key in LABELS else name


def money(yuan: float, lang: Lang) -> str:
    """An amount of yuan as the page shows it: millions, as in the report."""
    return label("million_yuan", lang, value=yuan / 1e6)
