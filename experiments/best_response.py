"""Every city of a region picks its package given the others' (``experiment=best_response``,
issue 15): the equilibrium, the region's cooperative choice, and the price of anarchy.

The runs: every profile (one package of ``experiment.packages`` per city: all
``len(packages) ** n_cities`` of them, the design's scenarios) over ``replicates`` runs of
the linked region, every profile on the same keys (common random numbers: a city's
choices are compared on the same draws). They go through the runner and store as any
design does (all cores or Dask, chunks, resume).

A city's payoff in a run: ``graduate_value_cny`` for each graduate employed in field in
the city a year (its own, ``in_field_local``, and those its employers hire from the other
cities, ``hired_in``) less its fiscal cost a year; the region's is the cities' sum. Over
the stored table:

- **best-response iteration**: from every city on its configured package (or the first
  choice), each city in turn takes the package with the highest mean payoff given the
  others' current ones, until a full round changes nothing (a pure equilibrium) or a
  profile comes back (a cycle: none is reached);
- **every pure equilibrium** (no city gains by changing alone, on the means);
- **the cooperative choice**: the profile with the highest mean regional payoff;
- **the price of anarchy**: the cooperative regional payoff over the equilibrium's, with
  a 95% percentile bootstrap interval over the replicates (resampled together for both,
  the runs being paired), and the cooperative gain with its paired t-interval.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

BOOTSTRAP = 2000  # resamples of the replicates for the price of anarchy's interval


def profile_design(cfg: Any) -> pd.DataFrame:
    """One scenario per profile: the column ``region.cities.<name>.policy`` per city."""
    names = [str(n) for n in cfg.region.cities]
    choices = [str(p) for p in cfg.experiment.packages]
    rows = list(itertools.product(choices, repeat=len(names)))
    table = pd.DataFrame(rows, columns=[f"region.cities.{name}.policy" for name in names])
    table.insert(0, "scenario", np.arange(len(table), dtype=np.int64))
    return table


def payoffs(runs: pd.DataFrame, design: pd.DataFrame, names: list[str], value_cny: float) -> tuple:
    """Each profile's payoffs: ``(profiles, values)``, ``profiles`` a list of package
    tuples (the design's order) and ``values`` float64[n_profiles, n_replicates, n_cities].
    """
    columns = [f"region.cities.{name}.policy" for name in names]
    profiles = [tuple(str(v) for v in row) for row in design[columns].itertuples(index=False)]
    runs = runs.assign(payoff=value_cny * (runs["in_field_local"] + runs["hired_in"]) - runs["fiscal_cost"])
    table = runs.pivot_table(index=["scenario", "replicate"], columns="city", values="payoff")
    replicates = sorted(runs["replicate"].unique())
    values = np.full((len(profiles), len(replicates), len(names)), np.nan)
    for s, scenario in enumerate(design["scenario"]):
        block = table.loc[int(scenario)].reindex(replicates)[names]
        values[s] = block.to_numpy(dtype=float)
    return profiles, values


def best_response_path(profiles: list[tuple], means: np.ndarray, start: tuple, choices: list[str]) -> dict:
    """Iterate best responses from ``start`` on the mean payoffs ``means[profile, city]``:
    ``{"path": [profile, ...], "equilibrium": profile or None, "cycle": bool}``.
    """
    index = {profile: k for k, profile in enumerate(profiles)}
    current, path, seen = start, [start], {start}
    n = len(start)
    while True:
        changed = False
        for c in range(n):
            options = [current[:c] + (choice,) + current[c + 1 :] for choice in choices]
            best = max(options, key=lambda profile: (means[index[profile], c], -choices.index(profile[c])))
            if means[index[best], c] > means[index[current], c]:
                current, changed = best, True
                if current in seen:
                    return {"path": [*path, current], "equilibrium": None, "cycle": True}
                seen.add(current)
                path.append(current)
        if not changed:
            return {"path": path, "equilibrium": current, "cycle": False}


def equilibria(profiles: list[tuple], means: np.ndarray, choices: list[str]) -> list[tuple]:
    """Every profile where no city gains by changing its package alone (on the means)."""
    index = {profile: k for k, profile in enumerate(profiles)}
    found = []
    for profile in profiles:
        stable = True
        for c in range(len(profile)):
            here = means[index[profile], c]
            for choice in choices:
                other = profile[:c] + (choice,) + profile[c + 1 :]
                if means[index[other], c] > here:
                    stable = False
                    break
            if not stable:
                break
        if stable:
            found.append(profile)
    return found


def price_of_anarchy(values: np.ndarray, profiles: list[tuple], start: tuple, choices: list[str],
                     seed: int) -> dict:  # fmt: skip
    """The cooperative regional payoff over the equilibrium's, and the cooperative gain,
    each with a 95% percentile bootstrap interval: the replicates are resampled (together
    for every profile, the runs being paired) and the whole analysis redone on each
    resample (best responses from ``start``, the cooperative choice), so the interval
    carries the uncertainty of which profiles are chosen too. Also the shares of resamples
    that reach the same equilibrium and the same cooperative choice.
    """
    means, regional = values.mean(axis=1), values.sum(axis=2)
    reached = best_response_path(profiles, means, start, choices)["equilibrium"]
    coop = int(np.argmax(regional.mean(axis=1)))
    eq = profiles.index(reached)
    rng = np.random.default_rng(seed)
    n = values.shape[1]
    ratios, gains, same_eq, same_coop = [], [], 0, 0
    for _ in range(BOOTSTRAP):
        picks = rng.integers(0, n, size=n)
        sample = values[:, picks]
        total = sample.sum(axis=2).mean(axis=1)
        found = best_response_path(profiles, sample.mean(axis=1), start, choices)["equilibrium"]
        best = int(np.argmax(total))
        same_coop += best == coop
        if found is None:
            continue
        same_eq += found == reached
        k = profiles.index(found)
        ratios.append(total[best] / total[k])
        gains.append(total[best] - total[k])
    low, high = np.percentile(ratios, [2.5, 97.5]) if ratios else (np.nan, np.nan)
    gain_low, gain_high = np.percentile(gains, [2.5, 97.5]) if gains else (np.nan, np.nan)
    return {"price_of_anarchy": float(regional[coop].mean() / regional[eq].mean()),
            "poa_low": float(low), "poa_high": float(high),
            "gain_cny": float(regional[coop].mean() - regional[eq].mean()),
            "gain_low": float(gain_low), "gain_high": float(gain_high),
            "same_equilibrium_share": same_eq / BOOTSTRAP,
            "same_cooperative_share": same_coop / BOOTSTRAP}  # fmt: skip


def analyse(cfg: Any, runs: pd.DataFrame, design: pd.DataFrame) -> dict:
    """The equilibrium, the cooperative choice and the price of anarchy of a finished run."""
    names = [str(n) for n in cfg.region.cities]
    choices = [str(p) for p in cfg.experiment.packages]
    profiles, values = payoffs(runs, design, names, float(cfg.experiment.graduate_value_cny))
    means = values.mean(axis=1)  # [profile, city]
    regional = values.sum(axis=2)  # [profile, replicate]
    configured = tuple(str(cfg.region.cities[n].policy) for n in names)
    start = configured if configured in profiles else tuple(choices[0] for _ in names)
    path = best_response_path(profiles, means, start, choices)
    stable = equilibria(profiles, means, choices)
    cooperative = int(np.argmax(regional.mean(axis=1)))
    result = {"names": names, "profiles": profiles, "means": means, "regional": regional,
              "path": path, "equilibria": stable, "cooperative": profiles[cooperative]}  # fmt: skip
    if path["equilibrium"] is not None:
        result.update(price_of_anarchy(values, profiles, start, choices, int(cfg.seed)))
    return result


def render(result: dict, cfg: Any) -> str:
    """The analysis as plain text."""
    names, profiles = result["names"], result["profiles"]
    means, regional = result["means"], result["regional"]
    value = float(cfg.experiment.graduate_value_cny)

    def shown(profile: tuple) -> str:
        return ", ".join(f"{n} {p}" for n, p in zip(names, profile, strict=True))

    def payoff(profile: tuple) -> str:
        k = profiles.index(profile)
        each = "; ".join(f"{n} {means[k, c] / 1e6:.1f}" for c, n in enumerate(names))
        return f"regional {regional[k].mean() / 1e6:.1f} m yuan a year ({each})"

    lines = [
        f"Best responses in region {cfg.region.name}: {len(profiles)} profiles of "
        f"{len(cfg.experiment.packages)} packages x {len(names)} cities, {regional.shape[1]} replicates "
        f"each (common random numbers); a city's payoff: {value:,.0f} yuan a year per graduate "
        "employed in field in it, less its fiscal cost.",
        "",
        "Path: " + " -> ".join("(" + shown(p) + ")" for p in result["path"]["path"]),
    ]
    reached = result["path"]["equilibrium"]
    if reached is None:
        lines.append("The iteration cycles: no pure equilibrium is reached from the configured packages.")
    else:
        lines.append(f"Equilibrium reached: {shown(reached)}: {payoff(reached)}")
    others = [p for p in result["equilibria"] if p != reached]
    if others:
        lines.append("Other pure equilibria: " + "; ".join(shown(p) for p in others))
    coop = result["cooperative"]
    lines.append(f"Cooperative choice (highest regional payoff): {shown(coop)}: {payoff(coop)}")
    if reached is not None:
        lines.append(
            f"Price of anarchy (cooperative / equilibrium regional payoff): {result['price_of_anarchy']:.4f} "
            f"[{result['poa_low']:.4f}, {result['poa_high']:.4f}]; cooperative gain "
            f"{result['gain_cny'] / 1e6:+.2f} m yuan a year [{result['gain_low'] / 1e6:+.2f}, "
            f"{result['gain_high'] / 1e6:+.2f}] (95% bootstrap over the replicates, the analysis redone on "
            f"each resample: it reaches the same equilibrium in {result['same_equilibrium_share']:.0%} of "
            f"them, the same cooperative choice in {result['same_cooperative_share']:.0%})"
        )
    return "\n".join(lines)


def finish(cfg: Any, folder: Path, runs: pd.DataFrame, store: Any) -> pd.DataFrame:
    """A best-response experiment's end (the store complete): analysed, printed, written
    (``best_response.json``, ``best_response.md`` and ``profiles.parquet``, each
    profile's mean payoffs); returns the profiles' table.
    """
    import json

    from experiments.store import atomic_write_text, write_parquet

    design = pd.read_parquet(folder / "design.parquet").drop_duplicates("scenario")
    result = analyse(cfg, runs, design)
    text = render(result, cfg)
    print(text)
    if store.failed:
        print(f"\n{len(store.failed)} run(s) failed; see manifest.json 'failed'", file=sys.stderr)
    names, profiles = result["names"], result["profiles"]
    table = pd.DataFrame(profiles, columns=names)
    for c, name in enumerate(names):
        table[f"payoff_{name}"] = result["means"][:, c]
    table["payoff_region"] = result["regional"].mean(axis=1)
    write_parquet(table, folder / "profiles.parquet")
    keys = ("price_of_anarchy", "poa_low", "poa_high", "gain_cny", "gain_low", "gain_high",
            "same_equilibrium_share", "same_cooperative_share")  # fmt: skip
    summary = {key: result[key] for key in keys if key in result}
    summary.update(equilibrium=result["path"]["equilibrium"], cycle=result["path"]["cycle"],
                   path=result["path"]["path"], equilibria=result["equilibria"],
                   cooperative=result["cooperative"], cities=names)  # fmt: skip
    atomic_write_text(folder / "best_response.json", json.dumps(summary, indent=2, ensure_ascii=False))
    atomic_write_text(folder / "best_response.md", text + "\n")
    print("Writing the report ...", file=sys.stderr, flush=True)
    print(f"Report: {write_report(folder, result, cfg, text, runs, design)}")
    print(f"\nResults: {folder}")
    return table


def write_report(
    folder: Path, result: dict, cfg: Any, text: str, runs: pd.DataFrame, design: pd.DataFrame
) -> Path:
    """``report/``: the analysis; each city's package, payoff and verdict (its share of
    runs free of every failure mode) at the equilibrium and at the cooperative choice;
    and a figure of every profile's regional payoff (the two marked).
    """
    import base64
    import html

    import matplotlib.pyplot as plt

    from experiments.report.figures import PAGE_WIDTH, figure_style, save_figure
    from experiments.report.tables import markdown_table
    from experiments.store import atomic_write_text, record_artefacts

    out = folder / "report"
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    names, profiles = result["names"], result["profiles"]
    regional = result["regional"].mean(axis=1) / 1e6
    marked = {"equilibrium": result["path"]["equilibrium"], "cooperative": result["cooperative"]}
    with figure_style("en"):
        fig, ax = plt.subplots(figsize=(PAGE_WIDTH, PAGE_WIDTH * 0.4))
        order = np.argsort(-regional)
        colours = ["#8C8C8C"] * len(profiles)
        for rank, k in enumerate(order):
            if profiles[k] == marked["cooperative"]:
                colours[rank] = "#4C72B0"
            elif profiles[k] == marked["equilibrium"]:
                colours[rank] = "#DD8452"
        ax.bar(np.arange(len(profiles)), regional[order], color=colours)
        low = float(regional.min())
        ax.set_ylim(low - 0.05 * (float(regional.max()) - low + 1e-9), None)
        ax.set_xlabel("profiles, best first (blue: cooperative; orange: equilibrium, if different)")
        ax.set_ylabel("regional payoff, m yuan a year")
        fig.tight_layout()
        path = save_figure(fig, figures, "profiles")
    rows = []
    for label, profile in marked.items():
        if profile is None:
            continue
        k = profiles.index(profile)
        mine = runs[runs["scenario"] == int(design["scenario"].iloc[k])]
        healthy = mine.groupby("city")["healthy"].mean()
        rows.append({"": label, **{n: f"{p} ({result['means'][k, c] / 1e6:.1f}; healthy {healthy[n]:.0%})"
                                   for c, (n, p) in enumerate(zip(names, profile, strict=True))},
                     "region": f"{regional[k]:.1f}"})  # fmt: skip
    table = pd.DataFrame(rows)
    title = f"Region {cfg.region.name}: each city's package given the others'"
    md = [f"# {title}", "", "```", text, "```", "", markdown_table(table), "",
          "Payoffs in m yuan a year (in brackets, each city's, and its share of runs free of every "
          "failure mode).", "",
          f"![profiles](figures/{path.name})", ""]  # fmt: skip
    atomic_write_text(out / "report.md", "\n".join(md))
    image = base64.b64encode(path.read_bytes()).decode()
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            "</head><body style=\"font-family:sans-serif;max-width:60em;margin:auto\">"
            f"<h1>{html.escape(title)}</h1><pre>{html.escape(text)}</pre>{table.to_html(index=False)}"
            f'<img alt="profiles" style="max-width:100%" src="data:image/png;base64,{image}">'
            "</body></html>")  # fmt: skip
    atomic_write_text(out / "report.html", page)
    record_artefacts(folder, "report")
    return out / "report.html"
