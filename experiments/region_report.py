"""A region's report: RUN_DIR/report/ (English) or RUN_DIR/report/zh/ of a region
experiment (``experiments.region``).

It reads the folder's tables only: each city's verdict (its failure modes, Wilson
intervals; what its own package adds in the region and what the region does to it,
paired 95% t-intervals), a map-like figure of the flows between the cities, each city's
in-field local graduates under the arms, and the tables as CSV and LaTeX.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from experiments.report.figures import ERRORS, PAGE_WIDTH, colour, figure_style, save_figure
from experiments.report.page import embedded_figure, standalone_page
from experiments.report.stats import mean_ci, wilson
from experiments.report.tables import markdown_table, write_table
from experiments.report_text import MODES
from experiments.store import atomic_write_text, read_table, record_artefacts
from policies.outcomes import FAILURE_MODE_CODES
from sim.region_runs import ALONE, COUNTERFACTUAL, REGION

ARM_COLOURS = ("#4C72B0", "#DD8452", "#8C8C8C")  # region, alone, without its package
WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Region {region}: what each city's package does among its neighbours",
        "summary": "{runs} runs: {replicates} replicates of {arms} arms (the region as configured, its "
                   "cities alone, each city without its package) over {years} years, every arm on the "
                   "same random numbers; measures are means over the last {window} years.",
        "verdict": "Each city's verdict",
        "verdict_note": "healthy: share of runs free of every failure mode (95% Wilson interval); its "
                        "package: its graduates employed locally in field a year, with its package minus "
                        "without it, the neighbours' packages unchanged; the region: in the region minus "
                        "its cities alone (paired 95% intervals over the replicates).",
        "city": "City", "package": "Package", "in_field": "In-field local a year", "own": "Its package",
        "joined": "The region", "healthy": "Healthy", "modes": "Failure modes (share of runs)",
        "cost": "Cost per kept graduate (CNY k)", "away": "Ex-apprentices working in another city",
        "flows": "Flows between the cities",
        "flows_note": "Job seekers hired and trained workers poached a year, from the row's city to the "
                      "column's (region arm).",
        "fig_flows": "Flows of graduates and trained workers between the cities, a year",
        "fig_arms": "In-field local graduates a year, by arm",
        "arms": {REGION: "region", ALONE: "alone", "none": "without its package"},
        "none_modes": "none",
        "totals": "The region: {in_field:,.0f} graduates employed locally in their field a year "
                  "({effect:+.1f} [{low:+.1f}, {high:+.1f}] against its cities alone); {flows:.1f} a year "
                  "move between the cities; fiscal cost {cost:.1f} m yuan a year.",
        "later": "Equilibrium against cooperation (each city's best package given the others'): run "
                 "experiment=best_response with this region.",
        "config": "Configuration",
    },
    "zh": {
        "title": "区域 {region}:各市政策包在邻市之间的作用",
        "summary": "共 {runs} 次运行:{arms} 个方案(按配置的区域、各市单独运行、"
                   "各市去掉本市政策包)各 {replicates} 次重复,{years} 年,"
                   "所有方案使用相同随机数;指标为最后 {window} 年均值。",
        "verdict": "各市结论",
        "verdict_note": "健康:未出现任何失效模式的运行占比(95% Wilson 区间);"
                        "本市政策包:有无本市政策包时本市毕业生本地对口就业人数之差(邻市政策包不变);"
                        "区域联动:区域联动与各市单独运行之差(配对 95% 区间)。",
        "city": "城市", "package": "政策包", "in_field": "本地对口/年", "own": "本市政策包",
        "joined": "区域联动",
        "healthy": "健康", "modes": "失效模式(运行占比)", "cost": "每留用一人成本(千元)",
        "away": "学徒出身者在其他城市就业占比", "flows": "城市间流动",
        "flows_note": "每年被其他城市招聘的求职者与被挖走的技能人才,行为流出城市,列为流入城市(区域方案)。",
        "fig_flows": "城市间毕业生与技能人才的年流量", "fig_arms": "各方案下本地对口就业人数/年",
        "arms": {REGION: "区域联动", ALONE: "单独运行", "none": "去掉本市政策包"},
        "none_modes": "无",
        "totals": "区域合计:每年 {in_field:,.0f} 名毕业生本地对口就业"
                  "(与各市单独运行相比 {effect:+.1f},区间 [{low:+.1f}, {high:+.1f}]);"
                  "城市间每年流动 {flows:.1f} 人;财政成本每年 {cost:.1f} 百万元。",
        "later": "均衡与合作(各市在他市给定时的最优政策包):对本区域运行 experiment=best_response。",
        "config": "配置",
    },
}  # fmt: skip


def paired(runs: pd.DataFrame, city: str, arm: str, other: str, measure: str) -> tuple[float, float, float]:
    """Mean and 95% interval of ``measure`` in ``arm`` minus ``other`` for ``city``,
    paired by (scenario, replicate).
    """
    keys = ["scenario", "replicate"]
    rows = runs[runs["city"] == city]
    a = rows[rows["package"] == arm].set_index(keys)[measure]
    b = rows[rows["package"] == other].set_index(keys)[measure]
    both = a.index.intersection(b.index)
    return mean_ci((a.loc[both] - b.loc[both]).to_numpy(dtype=float))


def region_table(runs: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """One row per city, of the region arm: its measures, its package's effect and the
    region's effect on in-field local graduates (with intervals), flows, failure modes.
    """
    region = runs[runs["package"] == REGION]
    rows = []
    for name in names:
        mine = region[region["city"] == name]
        package = str(mine["city_package"].iloc[0])
        own = paired(runs, name, REGION, f"{name} {COUNTERFACTUAL}", "in_field_local") if package != (
            COUNTERFACTUAL) else (0.0, 0.0, 0.0)  # fmt: skip
        joined = paired(runs, name, REGION, ALONE, "in_field_local")
        row = {"city": name, "package": package, "in_field_local": mine["in_field_local"].mean(),
               "own_effect": own[0], "own_low": own[1], "own_high": own[2],
               "region_effect": joined[0], "region_low": joined[1], "region_high": joined[2]}  # fmt: skip
        for column in ("hired_out", "hired_in", "poached_out", "poached_in", "net_inflow",
                       "working_elsewhere_share", "trained_elsewhere_share", "cost_per_kept_graduate_cny",
                       "fiscal_cost", "healthy", *FAILURE_MODE_CODES):  # fmt: skip
            row[column] = float(mine[column].mean())
        for other in names:
            row[f"to_{other}"] = float(mine[f"to_{other}"].mean())
        rows.append(row)
    return pd.DataFrame(rows).set_index("city")


def region_totals(runs: pd.DataFrame) -> dict[str, float]:
    """The region's totals in its region arm (sums over the cities, means over the
    replicates): in-field local graduates a year and the region's effect on them against
    its cities alone (paired 95% interval), the flows between the cities a year, the
    fiscal cost a year.
    """
    keys = ["package", "scenario", "replicate"]
    columns = ["in_field_local", "fiscal_cost", "hired_out", "poached_out"]
    summed = runs[runs["package"].isin([REGION, ALONE])].groupby(keys)[columns].sum()
    region, alone = summed.loc[REGION], summed.loc[ALONE]
    diff = (region["in_field_local"] - alone["in_field_local"].reindex(region.index)).to_numpy(dtype=float)
    effect, low, high = mean_ci(diff)
    return {"in_field_local": float(region["in_field_local"].mean()), "region_effect": effect,
            "region_low": low, "region_high": high,
            "flows": float((region["hired_out"] + region["poached_out"]).mean()),
            "fiscal_cost": float(region["fiscal_cost"].mean())}  # fmt: skip


def flows_matrix(table: pd.DataFrame) -> np.ndarray:
    """The table's flows as a matrix ``[from, to]``."""
    names = list(table.index)
    return table[[f"to_{n}" for n in names]].to_numpy(dtype=float)


def verdict_table(runs: pd.DataFrame, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per city: package, measures with intervals, healthy share, failure modes."""
    w = WORDS[lang]
    names = list(table.index)
    region = runs[runs["package"] == REGION]
    rows = []
    for name in names:
        mine = region[region["city"] == name]
        n = len(mine)
        low, high = wilson(float(mine["healthy"].sum()), n)
        modes = [f"{MODES[lang][code].split(' (')[0]} {mine[code].mean():.0%}" for code in FAILURE_MODE_CODES
                 if mine[code].mean() > 0]  # fmt: skip
        r = table.loc[name]
        rows.append({
            w["city"]: name, w["package"]: r["package"],
            w["in_field"]: f"{r['in_field_local']:.0f}",
            w["own"]: f"{r['own_effect']:+.0f} [{r['own_low']:+.0f}, {r['own_high']:+.0f}]",
            w["joined"]: f"{r['region_effect']:+.1f} [{r['region_low']:+.1f}, {r['region_high']:+.1f}]",
            w["healthy"]: f"{r['healthy']:.0%} [{low:.0%}, {high:.0%}]",
            w["modes"]: "; ".join(modes) or w["none_modes"],
            w["cost"]: f"{r['cost_per_kept_graduate_cny'] / 1e3:.1f}",
            w["away"]: f"{r['trained_elsewhere_share']:.1%}",
        })  # fmt: skip
    return pd.DataFrame(rows)


def figure_flows(table: pd.DataFrame, title: str, folder: Path) -> Path:
    """The cities on a circle (the config's order, clockwise from the top), an arrow from
    each city to each other its graduates and workers go to, as wide as the flow.
    """
    import matplotlib.pyplot as plt

    names = list(table.index)
    flows = flows_matrix(table)
    n = len(names)
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    xy = np.column_stack([np.cos(angles), np.sin(angles)])
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH * 0.7, PAGE_WIDTH * 0.6))
    top = flows.max() if flows.max() > 0 else 1.0
    for c in range(n):
        for d in range(n):
            if c == d or flows[c, d] <= 0:
                continue
            start, end = xy[c], xy[d]
            normal = np.array([-(end - start)[1], (end - start)[0]]) * 0.06  # the two directions apart
            ax.annotate("", xy=end * 0.82 + normal, xytext=start * 0.82 + normal,
                        arrowprops={"arrowstyle": "-|>", "lw": 0.5 + 6 * flows[c, d] / top,
                                    "color": colour(names, names[c]), "alpha": 0.8})  # fmt: skip
            mid = (start + end) / 2 * 0.82 + normal * 2.2
            ax.text(mid[0], mid[1], f"{flows[c, d]:.1f}", ha="center", va="center", fontsize=8)
    for c, name in enumerate(names):
        kept = table["in_field_local"].iloc[c]
        ax.scatter(xy[c][0], xy[c][1], s=200 + kept / 3, color=colour(names, name), zorder=3)
        ax.text(1.32 * xy[c][0], 1.32 * xy[c][1], f"{name}\n{kept:.0f}", ha="center", va="center", fontsize=9)
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.0, 1.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)
    return save_figure(fig, folder, "flows")


def figure_arms(runs: pd.DataFrame, names: list[str], lang: str, title: str, folder: Path) -> Path:
    """Each city's in-field local graduates a year in the region, alone, and without its
    own package (means with 95% intervals).
    """
    import matplotlib.pyplot as plt

    arms = WORDS[lang]["arms"]
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH, PAGE_WIDTH * 0.4))
    width = 0.25
    kinds = [(REGION, arms[REGION]), (ALONE, arms[ALONE]), ("none", arms["none"])]
    for j, (kind, label) in enumerate(kinds):
        means, errors = [], []
        for name in names:
            arm = f"{name} {COUNTERFACTUAL}" if kind == "none" else kind
            mine = runs[runs["city"] == name]
            values = mine[mine["package"] == arm]["in_field_local"].to_numpy(float)
            if values.size == 0:  # a city without a package: the region arm is its own counterfactual
                values = mine[mine["package"] == REGION]["in_field_local"].to_numpy(float)
            mean, low, high = mean_ci(values)
            means.append(mean)
            errors.append([mean - low, high - mean])
        x = np.arange(len(names)) + (j - 1) * width
        ax.bar(x, means, width, label=label, yerr=np.array(errors).T, color=ARM_COLOURS[j], error_kw=ERRORS)
    ax.set_xticks(np.arange(len(names)), names)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return save_figure(fig, folder, "in_field_by_arm")


def build(run_dir: Path, lang: str = "en") -> Path:
    """Write the region's report and return its report.html."""
    w = WORDS[lang if lang in WORDS else "en"]
    runs = read_table(run_dir, "runs")
    cfg = OmegaConf.load(run_dir / "config.yaml")
    names = [str(n) for n in cfg.region.cities]
    out = run_dir / "report" if lang == "en" else run_dir / "report" / lang
    figures, tables = out / "figures", out / "tables"
    figures.mkdir(parents=True, exist_ok=True)
    tables.mkdir(parents=True, exist_ok=True)
    table = region_table(runs, names)
    verdict = verdict_table(runs, table, lang)
    flows = pd.DataFrame(flows_matrix(table), index=names, columns=names).rename_axis("from")
    write_table(verdict, tables, "region_verdict", "Each city's verdict in the region")
    write_table(table.reset_index(), tables, "region_measures", "Each city's measures in the region")
    write_table(flows.reset_index(), tables, "region_flows", "Flows a year between the cities")
    with figure_style(lang):
        pictures = [(w["fig_flows"], figure_flows(table, w["fig_flows"], figures)),
                    (w["fig_arms"], figure_arms(runs, names, lang, w["fig_arms"], figures))]  # fmt: skip
    exp = cfg.experiment
    totals = region_totals(runs)
    total_text = w["totals"].format(
        in_field=totals["in_field_local"], effect=totals["region_effect"], low=totals["region_low"],
        high=totals["region_high"], flows=totals["flows"], cost=totals["fiscal_cost"] / 1e6,
    )  # fmt: skip
    summary = w["summary"].format(runs=len(runs), replicates=exp.replicates, arms=runs["package"].nunique(),
                                  years=cfg.years, window=exp.summary_window_years)  # fmt: skip
    title = w["title"].format(region=cfg.region.name)
    config_text = (run_dir / "config.yaml").read_text()
    md = [f"# {title}", "", summary, "", total_text, "", f"## {w['verdict']}", "",
          markdown_table(verdict), "", w["verdict_note"], "", f"## {w['flows']}", "",
          markdown_table(flows.round(1).reset_index()), "", w["flows_note"], ""]  # fmt: skip
    for caption, path in pictures:
        md += [f"![{caption}](figures/{path.name})", ""]
    md += [w["later"], "", f"## {w['config']}", "", "```yaml", config_text, "```", ""]
    atomic_write_text(out / "report.md", "\n".join(md))
    body = [f"<h1>{html.escape(title)}</h1>", f"<p>{html.escape(summary)}</p>",
            f"<p>{html.escape(total_text)}</p>",
            f"<h2>{html.escape(w['verdict'])}</h2>", verdict.to_html(index=False, escape=True),
            f"<p>{html.escape(w['verdict_note'])}</p>", f"<h2>{html.escape(w['flows'])}</h2>",
            flows.round(1).to_html(escape=True), f"<p>{html.escape(w['flows_note'])}</p>"]  # fmt: skip
    body += [embedded_figure(caption, path) for caption, path in pictures]
    body += [f"<p>{html.escape(w['later'])}</p>", f"<h2>{html.escape(w['config'])}</h2>",
             f"<pre>{html.escape(config_text)}</pre>"]  # fmt: skip
    atomic_write_text(out / "report.html", standalone_page(title, lang, body))
    others = ("zh",) if lang == "en" else ()
    record_artefacts(run_dir, out.relative_to(run_dir).as_posix(), skip=others)
    return out / "report.html"
