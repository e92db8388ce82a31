"""Every word the report prints, in English and in Chinese (``consortium-report --lang``).

One table per language, with the same keys; a test checks that the keys agree and that
the chosen CJK font has a glyph for every character of the Chinese table.
"""

from __future__ import annotations

import re
import unicodedata

from policies.outcomes import FAILURE_MODES
from policies.outcomes import MEASURES as MEASURE_REGISTRY

LANGUAGES = ("en", "zh")

# Failure modes and measures are named in their registry (policies/outcomes.py), the
# one place a failure mode's Chinese name is written.
MODES: dict[str, dict[str, str]] = {
    "en": {mode.code: f"{mode.name_en} ({mode.name_zh})" for mode in FAILURE_MODES},
    "zh": {mode.code: mode.name_zh for mode in FAILURE_MODES},
}
MEASURES: dict[str, dict[str, str]] = {
    "en": {measure.key: measure.label_en for measure in MEASURE_REGISTRY},
    "zh": {measure.key: measure.label_zh for measure in MEASURE_REGISTRY},
}

# Uncertain factors named in scenario-discovery boxes (by their last dotted part); English
# keeps the config's names, which a reader can look up in configs/.
FACTORS: dict[str, dict[str, str]] = {
    "en": {},
    "zh": {
        "demand_growth_mean_share": "需求平均增速",
        "demand_growth_sd_share": "需求增速波动",
        "tech_drift_share": "技术迭代速度",
        "poaching_intensity_share": "挖人强度",
        "skill_generality_share": "技能通用程度",
        "outside_wage_premium_share": "外地工资溢价",
        "firm_cost_heterogeneity_share": "企业成本差异",
        "local_preference_share": "本地就业偏好",
        "recession_demand_drop_share": "衰退时需求降幅",
    },
}

# The shipped packages' names and descriptions in Chinese; a package of the user's own
# keeps its identifier and the description its YAML gives.
# What a reader sees for each shipped package in English (a user's own package: its id).
PACKAGES_EN = {
    "none": "No incentives",
    "membership_grant": "Membership grant",
    "outcome_based": "Outcome-based grant",
    "apprentice_subsidy": "Apprentice subsidy",
    "tax_offset": "Tax offset",
    "jczt": "Combined levers (jczt)",
    "taicang_dual": "Taicang dual system",
    "platform_only": "Information platform only",
    "settlement": "Settlement subsidy",
}

PACKAGES_ZH = {
    "none": ("无激励", "不给任何激励(每个政策包都与之对照)"),
    "membership_grant": ("成员补贴", "每家成员企业每年5万元,只以入盟为条件"),
    "outcome_based": ("按成效奖补", "经核验开展培养的企业每家每年12万元,预算与成员补贴相同"),
    "apprentice_subsidy": ("学徒补贴", "按每名学徒每年8000元补贴给承接企业"),
    "tax_offset": ("税费抵免", "培训投入的30%抵免教育费附加"),
    "jczt": ("金融+财政+土地+信用", "金融、财政、土地、信用组合式激励(山东十条)"),
    "taicang_dual": ("太仓双元制", "学徒成本分担、实训中心、运营实体、服务合同、成效核验"),
    "platform_only": ("仅信息平台", "只建设人才供需信息平台"),
    "settlement": ("人才安居补贴", "在成员企业对口就业的毕业生前三年每人每年2万元"),
}

TEXT = {
    "en": {
        "title": "Which incentive package makes the consortium work?",
        "question": (
            "The question: which package of incentives makes firms and schools train together "
            "in depth, rather than sign agreements that nothing follows (a paper consortium)? "
            "Every package meets the same simulated city and the same random draws as the "
            "no-policy run it is compared with."
        ),
        "summary": (
            "City {city}, experiment {experiment}, {runs} runs ({failed} failed). "
            "Best: {best}, with {healthy} of runs free of every failure mode and {modes} failure "
            "modes a run on average, at {cost} million yuan a year. Efficient on cost and deep "
            "integration: {efficient}."
        ),
        "packages_heading": "Packages compared",
        "verdict_heading": "Verdict (95% intervals)",
        "verdict_note": (
            "Ranked first by whether a package meets every target of the experiment, then by the "
            "share of runs in which none of the failure modes happens, then by the "
            "fewest failure modes a run, then by the lower cost. 'p vs best': exact McNemar test "
            "of the healthy share against the first package, run paired with run."
        ),
        "evidence_heading": "Evidence",
        "rank": "rank",
        "package": "package",
        "healthy": "runs with no failure mode",
        "modes_per_run": "failure modes a run",
        "p_vs_best": "p vs best",
        "tied": (
            "The runs cannot tell these from the best on the share free of failure modes (paired "
            "exact McNemar test on the same random numbers, p >= 0.05): {packages}."
        ),
        "none_healthy": (
            "No package keeps any run free of every failure mode; the ranking then goes by the "
            "fewest failure modes a run."
        ),
        "targets": (
            "Targets of this experiment (experiment.targets), on each package's mean over runs: {targets}."
        ),
        "at_least": "at least",
        "at_most": "at most",
        "targets_missed": (
            "Missing a target, and so ranked after every package that meets them all: {packages}."
        ),
        "targets_none": "No package meets every target; the ranking goes by the failure modes alone.",
        "cheapest_tied": "Of the best and these, the cheapest is {package}, at {cost} million yuan a year.",
        "failures_table": "Failure-mode rates (share of runs, 95% interval)",
        "deep": "co-constructing firms",
        "in_field_local": "in-field local",
        "cost": "cost, m yuan/yr",
        "fig_failures": "Failure modes by package",
        "fig_failures_futures": "Failure modes across futures",
        "fig_tradeoff": "Cost against integration",
        "fig_series": "Over time",
        "fig_persistence": "Persistence after the money stops",
        "fig_robustness": "Robustness across futures",
        "fig_sobol": "Sensitivity (Sobol indices)",
        "ce_heading": "Cost-effectiveness against the no-policy twin (95% intervals)",
        "ce_note": (
            "Yuan of public money per extra firm-year at depth 4 and per extra graduate employed "
            "locally in field, over the no-policy run with the same random numbers: the package's "
            "spending over all its runs divided by its extra over all its runs, runs with no extra "
            "included, with a 95% bootstrap interval over runs. Where the runs cannot tell the mean extra "
            "a run from none (its 95% interval includes zero), no cost is given. Deadweight (median and "
            "quartiles over runs): the share of money paid for depth a firm chose anyway. "
            "Data: tables/cost_effectiveness.csv."
        ),
        "ce_deep": "yuan per extra deep member-year",
        "ce_graduate": "yuan per extra in-field local graduate",
        "ce_deadweight": "deadweight share",
        "ce_no_deep": "no detectable extra deep member-years",
        "ce_no_graduates": "no detectable extra in-field graduates",
        "boxes_heading": "Where failure happens (scenario discovery, PRIM)",
        "and": " and ",
        "everywhere": "in every future",
        "boxes_item": "{package}: {mode} {where} (density {density}, coverage {coverage})",
        "where": "where {limits}",
        "provenance_heading": "Provenance",
        "config_note": "The whole configuration is config.yaml in the results folder.",
        "config_summary": "The whole configuration (config.yaml)",
        "provenance": "Commit {commit}; seed {seed}; runs {runs} ({failed} failed); versions {versions}.",
        # figure labels
        "share_of_runs": "share of runs",
        "share": "share (of runs, left; of futures, right)",
        "failures_title": "Failure modes by package (share of runs, 95% interval)",
        "futures_title": "Share of futures in which it happens in at least half the runs",
        "share_of_futures": "share of futures",
        "tradeoff_x": "fiscal cost while the package runs (million yuan a year)",
        "tradeoff_y": "firms co-constructing (depth 4)",
        "tradeoff_y2": "graduates employed locally in field",
        "tradeoff_title": "Cost against integration (95% intervals)",
        "frontier": "efficient frontier",
        "series_depth4": "co-constructing firms (depth 4)",
        "fig_depths": "Engagement depth of firms",
        "depths_title": "Engagement depth of firms over time (mean over runs)",
        "share_of_firms": "share of firms",
        "depth_0": "0 not a member",
        "depth_1": "1 paper member",
        "depth_2": "2 shallow",
        "depth_3": "3 training",
        "depth_4": "4 co-construction",
        "series_hollow": "hollow share of members",
        "series_relevance": "curriculum relevance (0-1)",
        "series_y": "median, 10-90% band",
        "year": "year",
        "money_stops": "money stops",
        "policy_starts": "policy starts",
        "persistence_y": "firms training (depth 3-4), gain over no policy",
        "persistence_x": "years from the last year paid (0)",
        "persistence_title": "Does the gain last after the money stops? (median, 10-90% band)",
        "persistence_note": (
            "Persistence is the gain over the no-policy twin in the last years, as a share of the "
            "gain in the years before the money stopped (1 = it lasts, 0 = it is gone)."
        ),
        "robust_share": "share of futures meeting every target",
        "robust_regret": "worst regret on {measure} (best minus this)",
        "robust_title": "Robustness across {n} future(s)",
        "sobol_first": "first order",
        "sobol_total": "total",
        "sobol_x": "Sobol index of {measure}",
    },
    "zh": {
        "title": "哪一种激励政策包能让市域产教联合体真正运转?",
        "question": (
            "问题:哪一种激励组合能让企业和学校深度合作、共同培养,而不是签了协议却没有下文"
            "(“纸面联合体”)?每个政策包都面对同一座模拟城市、同一组随机数,并与无激励的对照运行比较。"
        ),
        "summary": (
            "城市 {city},实验 {experiment},共 {runs} 次运行(失败 {failed} 次)。"
            "最优:{best},{healthy} 的运行未出现任何失效模式,平均每次运行出现 {modes} 种失效模式,"
            "财政成本每年 {cost} 百万元。"
            "成本与深度融合的有效前沿:{efficient}。"
        ),
        "packages_heading": "参与比较的政策包",
        "verdict_heading": "结论(95% 区间)",
        "verdict_note": (
            "先按是否达到实验的全部目标排序,再按未出现任何失效模式的运行占比;"
            "其次按每次运行的平均失效模式数(少者在前),再按成本(低者在前)。"
            "“与最优比较的 p 值”:与第一名逐次配对的精确 McNemar 检验。"
        ),
        "evidence_heading": "依据",
        "rank": "排名",
        "package": "政策包",
        "healthy": "无失效模式的运行",
        "modes_per_run": "平均失效模式数",
        "p_vs_best": "与最优比较的 p 值",
        "tied": (
            "以下政策包在无失效运行占比上与最优者无显著差异"
            "(同一组随机数的配对精确 McNemar 检验,p ≥ 0.05):{packages}。"
        ),
        "none_healthy": "没有一个政策包能让任何一次运行完全避免失效模式;此时按平均失效模式数排序。",
        "targets": "本实验的目标(experiment.targets,按各政策包全部运行的均值):{targets}。",
        "at_least": "不低于",
        "at_most": "不高于",
        "targets_missed": "未达到目标、因而排在所有达标政策包之后的:{packages}。",
        "targets_none": "没有一个政策包达到全部目标;排序只按失效模式。",
        "cheapest_tied": "在最优者及与其无显著差异的政策包中,成本最低的是 {package},每年 {cost} 百万元。",
        "failures_table": "失效模式发生率(运行占比,95% 区间)",
        "deep": "共建企业占比",
        "in_field_local": "本地对口就业",
        "cost": "成本(百万元/年)",
        "fig_failures": "各政策包的失效模式",
        "fig_failures_futures": "不同情景下的失效模式",
        "fig_tradeoff": "成本与融合成效",
        "fig_series": "随时间的变化",
        "fig_persistence": "退坡后的持续性",
        "fig_robustness": "跨情景的稳健性",
        "fig_sobol": "敏感性(Sobol 指数)",
        "ce_heading": "相对无激励对照的成本效益(95% 区间)",
        "ce_note": (
            "与同一组随机数下的无激励运行相比:"
            "每多一个深度 4 企业年、每多一名本地对口就业毕业生所花的财政资金(元),"
            "即该政策包全部运行的支出之和除以全部运行的增量之和(没有增量的运行也计入),"
            "附按运行自助抽样的 95% 区间;每次运行平均增量的 95% 区间包含零时,不给出成本。"
            "无谓支出(各次运行的中位数、四分位数):支付给本来就会达到该深度的企业的资金占比。"
            "数据:tables/cost_effectiveness.csv。"
        ),
        "ce_deep": "每增加一个共建企业年(元)",
        "ce_graduate": "每增加一名本地对口就业毕业生(元)",
        "ce_deadweight": "无谓支出占比",
        "ce_no_deep": "未见可测的共建企业年增量",
        "ce_no_graduates": "未见可测的本地对口就业增量",
        "boxes_heading": "失效发生在哪些情景(情景发现,PRIM)",
        "and": " 且 ",
        "everywhere": "在所有情景中",
        "boxes_item": "{package}:{mode},{where}(密度 {density},覆盖率 {coverage})",
        "where": "当 {limits} 时",
        "provenance_heading": "来源",
        "config_note": "完整配置见结果文件夹中的 config.yaml。",
        "config_summary": "完整配置(config.yaml)",
        "provenance": "提交 {commit};随机种子 {seed};运行 {runs} 次(失败 {failed} 次);版本 {versions}。",
        "share_of_runs": "运行占比",
        "share": "占比(左:运行;右:情景)",
        "failures_title": "各政策包的失效模式(运行占比,95% 区间)",
        "futures_title": "至少半数运行出现该模式的情景占比",
        "share_of_futures": "情景占比",
        "tradeoff_x": "政策实施期间的财政成本(百万元/年)",
        "tradeoff_y": "共建企业(深度 4)占比",
        "tradeoff_y2": "本地对口就业的毕业生占比",
        "tradeoff_title": "成本与融合成效(95% 区间)",
        "frontier": "有效前沿",
        "series_depth4": "共建企业(深度 4)",
        "fig_depths": "企业参与深度",
        "depths_title": "企业参与深度随时间的变化(各次运行的平均)",
        "share_of_firms": "企业占比",
        "depth_0": "0 未加入",
        "depth_1": "1 挂名成员",
        "depth_2": "2 浅层合作",
        "depth_3": "3 开展培养(学徒、订单班)",
        "depth_4": "4 共建(产业学院、实训基地)",
        "series_hollow": "成员中挂名企业占比",
        "series_relevance": "课程对接度(0-1)",
        "series_y": "中位数,10%-90% 区间",
        "year": "年份",
        "money_stops": "资金退出",
        "policy_starts": "政策开始",
        "persistence_y": "开展培养的企业(深度 3-4)较无激励的增量",
        "persistence_x": "距最后一个资助年份的年数(0 为最后资助年)",
        "persistence_title": "资金退出后,增量能否持续?(中位数,10%-90% 区间)",
        "persistence_note": (
            "持续性:最后几年相对无激励对照的增量,除以资金退出前几年的增量(1 表示维持,0 表示消失)。"
        ),
        "robust_share": "达到全部目标的情景占比",
        "robust_regret": "{measure}的最大遗憾值(最优减本包)",
        "robust_title": "{n} 个情景下的稳健性",
        "sobol_first": "一阶",
        "sobol_total": "总效应",
        "sobol_x": "{measure} 的 Sobol 指数",
    },
}


def characters(lang: str) -> str:
    """Every character the report's words in ``lang`` use (what its font must cover)."""
    words = [*TEXT[lang].values(), *MODES[lang].values(), *MEASURES[lang].values()]
    if lang == "zh":
        words += [w for pair in PACKAGES_ZH.values() for w in pair]
    return "".join(sorted(set("".join(words) + "0123456789%.,-()")))


def wrap(text: str, width: int) -> str:
    """Lines of at most ``width`` terminal columns: breaks between words, or beside any
    Chinese character (two columns wide), never inside a run of Latin letters and digits
    ("6.00m" stays whole).
    """
    lines, line = [], ""
    for word in re.findall(r"\S+\s*", text):
        pieces: list[str] = []
        for c in word:
            if pieces and not _wide(c) and not _wide(pieces[-1][-1]):
                pieces[-1] += c
            else:
                pieces.append(c)
        for piece in pieces:
            if line and text_width(line + piece.rstrip()) > width:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
    return "\n".join([*lines, line.rstrip()])


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in "WF"


def text_width(text: str) -> int:
    """Terminal columns of ``text`` (a wide character takes two)."""
    return sum(2 if _wide(c) else 1 for c in text)
