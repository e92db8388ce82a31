"""A region's experiment (``consortium-sim region=sxc``): its table and report.

The runs are the arms of ``sim.region_runs`` (the region as configured, its cities
alone, each city without its package), stored by the same runner and store as a city's
packages. Here: per city, what its package does in the region (against the arm without
it, the neighbours unchanged: paired differences over the replicates, common random
numbers), what being in the region does to it (against its cities alone), the flows
between the cities, and each city's failure modes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from experiments.region_report import WORDS as REPORT_WORDS
from experiments.region_report import region_table, region_totals
from experiments.report_text import wrap

WORDS = {
    "en": {
        "title": "Region {region}: {cities}; {years} years, {replicates} replicates (common random numbers), "
                 "means over the last {window} years",
        "city": "city", "package": "package", "in_field": "in-field local", "own_effect": "its package",
        "region_effect": "the region", "out": "out", "in": "in", "trained_away": "trained, away",
        "cost_kept": "CNY k/kept", "healthy": "healthy", "modes": "failure modes",
        "legend": "in-field local: the city's graduates employed in their field in the city, a year; "
                  "its package: in-field local with its package minus without it, neighbours unchanged "
                  "(95% interval); the region: in the region minus alone; out / in: job seekers and "
                  "trained workers leaving for / coming from the other cities, a year; trained, away: its "
                  "ex-apprentices working in another city of the region; CNY k/kept: fiscal cost a year "
                  "per graduate it keeps in field.",
        "flows": "Flows a year (hired + poached), from the row's city to the column's:",
    },
    "zh": {
        "title": "区域 {region}:{cities};{years} 年,{replicates} 次重复(共同随机数),取最后 {window} 年均值",
        "city": "城市", "package": "政策包", "in_field": "本地对口", "own_effect": "本市政策包",
        "region_effect": "区域联动", "out": "流出", "in": "流入", "trained_away": "学徒外流",
        "cost_kept": "千元/留用", "healthy": "健康", "modes": "失效模式",
        "legend": "本地对口:本市毕业生在本市对口就业人数/年;本市政策包:有无本市政策包之差(邻市不变,95% 区间);"
                  "区域联动:区域联动与各市单独运行之差;流出/流入:流向/来自其他城市的求职者与被挖走的技能人才/年;"
                  "学徒外流:本市学徒出身者在区域内其他城市就业的占比;千元/留用:每留住一名本地对口毕业生的年财政成本。",
        "flows": "城市间年流量(招聘 + 挖角),行为流出城市,列为流入城市:",
    },
}  # fmt: skip


def render(table: pd.DataFrame, cfg: Any, runs: pd.DataFrame) -> str:
    """The region's table as plain text, in the report's language, and its totals."""
    lang = cfg.lang.name if cfg.lang.name in WORDS else "en"
    w = WORDS[lang]
    names = list(table.index)
    shown = pd.DataFrame(index=table.index)
    shown[w["package"]] = table["package"]
    shown[w["in_field"]] = table["in_field_local"].map("{:.0f}".format)
    shown[w["own_effect"]] = [f"{r.own_effect:+.0f} [{r.own_low:+.0f}, {r.own_high:+.0f}]"
                              for r in table.itertuples()]  # fmt: skip
    shown[w["region_effect"]] = [f"{r.region_effect:+.1f} [{r.region_low:+.1f}, {r.region_high:+.1f}]"
                                 for r in table.itertuples()]  # fmt: skip
    shown[w["out"]] = (table["hired_out"] + table["poached_out"]).map("{:.1f}".format)
    shown[w["in"]] = (table["hired_in"] + table["poached_in"]).map("{:.1f}".format)
    shown[w["trained_away"]] = table["trained_elsewhere_share"].map("{:.1%}".format)
    shown[w["cost_kept"]] = (table["cost_per_kept_graduate_cny"] / 1e3).map("{:.1f}".format)
    shown[w["healthy"]] = table["healthy"].map("{:.0%}".format)
    flows = table[[f"to_{n}" for n in names]].copy()
    flows.columns = names
    shown.index.name = flows.index.name = w["city"]
    sums = region_totals(runs)
    totals = REPORT_WORDS[lang]["totals"].format(
        in_field=sums["in_field_local"],
        effect=sums["region_effect"],
        low=sums["region_low"],
        high=sums["region_high"],
        flows=sums["flows"],
        cost=sums["fiscal_cost"] / 1e6,
    )
    exp = cfg.experiment
    title = w["title"].format(region=cfg.region.name, cities=", ".join(names), years=cfg.years,
                              replicates=exp.replicates, window=exp.summary_window_years)  # fmt: skip
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 140):
        parts = [wrap(title, 100), "", shown.to_string(), "", wrap(w["legend"], 100), "", w["flows"],
                 flows.round(1).to_string(), "", wrap(totals, 100)]  # fmt: skip
    return "\n".join(parts)


def finish(cfg: Any, folder: Path, runs: pd.DataFrame, store: Any) -> pd.DataFrame:
    """A region experiment's end (the store complete): the table is printed, the
    report written (``report/``); returns the table.
    """
    names = [str(n) for n in cfg.region.cities]
    table = region_table(runs, names)
    print(render(table, cfg, runs))
    if store.failed:
        print(f"\n{len(store.failed)} run(s) failed; see manifest.json 'failed'")
    if len(runs):
        from experiments.region_report import build
        from experiments.report.page import write_report_unless_sound

        write_report_unless_sound(cfg, folder, build)
    print(f"\nResults: {folder}")
    return table
