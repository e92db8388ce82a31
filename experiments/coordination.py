"""Coordination levers of a region (``experiment=coordination``, issue 15): what one
talent platform for the region, mutual recognition of apprenticeships (互认) and a
cross-city 行业产教融合共同体 in one field each change, against the region as configured.

The arms (``sim.region_runs``) share their keys, so each lever's effect is a paired
difference over the replicates (95% t-intervals): on the graduates employed in their
field in the region (each city's own placed at home, ``in_field_local``, and those hired
from the other cities, ``hired_in``), on the flows between the cities (hired and poached a
year), and on each city's graduates employed in field in it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.report.stats import mean_ci
from experiments.store import atomic_write_text, write_parquet
from sim.region_runs import REGION, arm_names


def effects(runs: pd.DataFrame, names: list[str], arms: list[str]) -> pd.DataFrame:
    """One row per arm: regional measures and each city's, means and paired differences
    against the region as configured.
    """
    runs = runs.assign(employed=runs["in_field_local"] + runs["hired_in"],
                       moving=runs["hired_out"] + runs["poached_out"])  # fmt: skip
    keys = ["scenario", "replicate"]
    region = runs.groupby(["package", *keys])[["employed", "moving"]].sum()
    by_city = runs.pivot_table(index=["package", *keys], columns="city", values="employed")
    base_region, base_city = region.loc[REGION], by_city.loc[REGION]
    rows = []
    for arm in arms:
        row: dict[str, Any] = {"arm": arm}
        for measure in ("employed", "moving"):
            values = region.loc[arm][measure]
            row[measure] = float(values.mean())
            diff = (values - base_region[measure].reindex(values.index)).to_numpy(dtype=float)
            row[f"{measure}_change"], row[f"{measure}_low"], row[f"{measure}_high"] = mean_ci(diff)
        for name in names:
            diff = (by_city.loc[arm][name] - base_city[name].reindex(by_city.loc[arm].index)).to_numpy(
                dtype=float
            )
            row[f"{name}_change"], row[f"{name}_low"], row[f"{name}_high"] = mean_ci(diff)
        rows.append(row)
    return pd.DataFrame(rows).set_index("arm")


def render(table: pd.DataFrame, names: list[str], cfg: Any) -> str:
    """The levers' effects as plain text."""
    exp = cfg.experiment
    lines = [
        f"Coordination levers in region {cfg.region.name}: {cfg.years} years, {exp.replicates} replicates "
        f"(common random numbers), means over the last {exp.summary_window_years} years.",
        "employed: graduates employed in field in the region's cities a year (each city's own at home and "
        "those hired from the other cities); moving: hired and poached between the cities a year; change: "
        "against the region as configured (95% interval).",
        "",
    ]
    for arm, row in table.iterrows():
        text = f"{arm:<28} employed {row['employed']:8.0f}  moving {row['moving']:6.1f}"
        if arm != REGION:
            employed = (
                f"{row['employed_change']:+.1f} [{row['employed_low']:+.1f}, {row['employed_high']:+.1f}]"
            )
            moving = f"{row['moving_change']:+.1f} [{row['moving_low']:+.1f}, {row['moving_high']:+.1f}]"
            cities = ", ".join(f"{n} {row[f'{n}_change']:+.1f}" for n in names)
            text += f"  change: employed {employed}, moving {moving}; {cities}"
        lines.append(text)
    return "\n".join(lines)


def finish(cfg: Any, folder: Path, runs: pd.DataFrame, store: Any) -> pd.DataFrame:
    """The experiment's end (the store complete): the table printed and written (``coordination.md``,
    ``coordination.parquet``); returns the table.
    """
    names = [str(n) for n in cfg.region.cities]
    table = effects(runs, names, arm_names(cfg))
    text = render(table, names, cfg)
    print(text)
    if store.failed:
        print(f"\n{len(store.failed)} run(s) failed; see manifest.json 'failed'", file=sys.stderr)
    write_parquet(table.reset_index(), folder / "coordination.parquet")
    atomic_write_text(folder / "coordination.md", text + "\n")
    print(f"\nResults: {folder}")
    return table
