"""``consortium-report RUN_DIR``: the bureau's answer from a results folder.

Reads the folder's tables only (never the engine) and writes ``RUN_DIR/report/``:
``report.html`` (one self-contained file, figures embedded), ``report.md``,
``figures/`` (PNG and PDF) and ``tables/`` (CSV and LaTeX booktabs).

Verdict: packages ranked by the share of runs free of every failure mode (with a 95%
Wilson interval), ties broken by fiscal cost. Intervals across replicates are 95%
t-intervals of the mean; failure-mode rates carry Wilson intervals.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

MODES = {
    "fm_hollow": "hollow (联而不合)",
    "fm_shallow": "shallow (合而不深)",
    "fm_school_hot_firm_cold": "schools keen, firms cold (校热企冷)",
    "fm_mismatch": "skills mismatch (供需错配)",
    "fm_talent_drain": "talent drain (人才外流)",
    "fm_collapse_after_exit": "collapse after exit (退坡后空心化)",
}
# Okabe-Ito, the low-contrast yellow last; a package keeps its colour in every figure
PALETTE = ["#000000", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#0072B2", "#F0E442"]


def colour(packages: list[str], name: str) -> str:
    """The colour of a package, by its place in the experiment's list."""
    return PALETTE[packages.index(name) % len(PALETTE)]


def wilson(successes: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion."""
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(centre - half), float(centre + half)


def mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t-interval (NaN-aware)."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(values.mean())
    if values.size < 2:
        return mean, mean, mean
    half = float(stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size))
    return mean, mean - half, mean + half


def load(run_dir: Path) -> dict:
    """The folder's tables and metadata."""
    runs = pd.read_parquet(run_dir / "runs.parquet")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    if manifest.get("status") != "complete":
        raise SystemExit(
            f"consortium-report: error: {run_dir} is not complete (status {manifest.get('status')})"
        )
    columns = [
        "package",
        "scenario",
        "replicate",
        "year",
        "depth_4",
        "hollow_share",
        "mean_relevance",
        "money_active",
    ]
    series = pd.read_parquet(run_dir / "series.parquet", columns=columns)
    order = list(dict.fromkeys(manifest.get("packages") or runs["package"]))
    return {"runs": runs, "series": series, "manifest": manifest, "packages": order}


def verdict(runs: pd.DataFrame, packages: list[str]) -> pd.DataFrame:
    """One row per package, ranked: healthy share (Wilson), cost, integration."""
    rows = []
    for name in packages:
        r = runs[runs["package"] == name]
        healthy = int(r["healthy"].sum())
        low, high = wilson(healthy, len(r))
        deep = mean_ci(r["deep_share"].to_numpy())
        rows.append(
            {
                "package": name,
                "runs": len(r),
                "healthy_share": healthy / max(1, len(r)),
                "healthy_low": low,
                "healthy_high": high,
                "deep_share": deep[0],
                "deep_low": deep[1],
                "deep_high": deep[2],
                "training_share": r["training_share"].mean(),
                "in_field_local_rate": r["in_field_local_rate"].mean(),
                "fiscal_cost_cny_m": r["fiscal_cost"].mean() / 1e6,
            }
        )
    table = pd.DataFrame(rows).sort_values(["healthy_share", "fiscal_cost_cny_m"], ascending=[False, True])
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


def failure_rates(runs: pd.DataFrame, packages: list[str]) -> pd.DataFrame:
    """Share of runs in each failure mode, with Wilson intervals."""
    rows = []
    for name in packages:
        r = runs[runs["package"] == name]
        for mode in MODES:
            low, high = wilson(float(r[mode].sum()), len(r))
            rows.append({"package": name, "mode": mode, "rate": r[mode].mean(), "low": low, "high": high})
    return pd.DataFrame(rows)


def cost_effectiveness(runs: pd.DataFrame, packages: list[str], baseline: str = "none") -> pd.DataFrame:
    """Against the no-policy twin (common random numbers): medians and quartiles."""
    rows = []
    for name in packages:
        if name == baseline:
            continue
        r = runs[runs["package"] == name]
        row: dict[str, float | str] = {"package": name}
        for column in (
            "cost_per_additional_deep_member_cny",
            "cost_per_additional_in_field_graduate_cny",
            "deadweight_share",
        ):
            values = r[column].replace([np.inf, -np.inf], np.nan).dropna()
            row[f"{column}_median"] = float(values.median()) if len(values) else float("nan")
            row[f"{column}_q25"] = float(values.quantile(0.25)) if len(values) else float("nan")
            row[f"{column}_q75"] = float(values.quantile(0.75)) if len(values) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def robustness(runs: pd.DataFrame, packages: list[str], targets: dict, measure: str) -> pd.DataFrame:
    """Across the futures (scenarios): the share in which each package meets every target
    (on its mean over replicates), and its regret on ``measure`` against the best package
    in each future (mean and worst).
    """
    missing = [m for m in [measure, *targets] if m not in runs.columns]
    if missing:
        raise SystemExit(
            f"consortium-report: error: experiment.targets / regret_measure: unknown measure {missing}"
        )
    columns = list(dict.fromkeys([measure, *targets]))
    means = runs.groupby(["scenario", "package"])[columns].mean().reset_index()
    means["regret"] = means.groupby("scenario")[measure].transform("max") - means[measure]
    means["meets"] = True
    for name, target in targets.items():
        if target.get("at_least") is not None:
            means["meets"] = means["meets"] & (means[name] >= target["at_least"])
        if target.get("at_most") is not None:
            means["meets"] = means["meets"] & (means[name] <= target["at_most"])
    rows = []
    for name in packages:
        mine = means[means["package"] == name]
        rows.append(
            {
                "package": name,
                "futures": len(mine),
                "satisficing_share": float(mine["meets"].mean()),
                f"mean_regret_{measure}": float(mine["regret"].mean()),
                f"max_regret_{measure}": float(mine["regret"].max()),
            }
        )
    return pd.DataFrame(rows)


def figure_robustness(table: pd.DataFrame, packages: list[str], measure: str, folder: Path) -> Path:
    """Share of futures meeting every target, and the worst regret, per package."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.4 * len(packages) + 1.8), sharey=True)
    tints = [colour(packages, p) for p in table["package"]]
    axes[0].barh(table["package"], table["satisficing_share"], color=tints)
    axes[0].set_xlim(0, 1)
    axes[0].set_xlabel("share of futures meeting every target")
    axes[1].barh(table["package"], table[f"max_regret_{measure}"], color=tints)
    axes[1].set_xlabel(f"worst regret on {measure} (best package minus this one)")
    axes[0].invert_yaxis()
    fig.suptitle(f"Robustness across {int(table['futures'].max())} future(s)", fontsize=10)
    fig.tight_layout()
    return _save(fig, folder, "robustness")


def sobol_indices(runs: pd.DataFrame, design: pd.DataFrame, package: str, measure: str) -> pd.DataFrame:
    """First-order and total Sobol indices of ``measure`` (mean over replicates, for
    ``package``) with 95% intervals, by SALib's analyser on the Saltelli design.
    """
    from SALib.analyze import sobol

    factors = [c for c in design.columns if c.startswith(("uncertainty.", "policy."))]
    by_scenario = runs[runs["package"] == package].groupby("scenario")[measure].mean()
    y = by_scenario.reindex(sorted(design["scenario"].unique())).to_numpy()
    problem = {"num_vars": len(factors), "names": factors, "bounds": [[0.0, 1.0]] * len(factors)}
    result = sobol.analyze(problem, np.nan_to_num(y), calc_second_order=False, conf_level=0.95, seed=0)
    return pd.DataFrame(
        {
            "factor": factors,
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    ).sort_values("ST", ascending=False)


def figure_sobol(table: pd.DataFrame, measure: str, folder: Path) -> Path:
    """First-order and total indices with their 95% intervals."""
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(table) + 1.5))
    rows = np.arange(len(table))
    ax.barh(rows - 0.2, table["S1"], height=0.4, xerr=table["S1_conf"], color="#56B4E9", label="first order")
    ax.barh(rows + 0.2, table["ST"], height=0.4, xerr=table["ST_conf"], color="#0072B2", label="total")
    ax.set_yticks(rows, table["factor"], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(f"Sobol index of {measure}")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    fig.tight_layout()
    return _save(fig, folder, "sobol")


def scenario_boxes(run_dir: Path, runs: pd.DataFrame, packages: list[str]) -> pd.DataFrame:
    """For each package and failure mode, the box of futures where it mostly happens
    (scenario discovery by PRIM, experiments/discovery.py); empty without a design.
    """
    from experiments.discovery import discover

    path = run_dir / "design.parquet"
    if not path.exists():
        return pd.DataFrame()
    design = pd.read_parquet(path)
    rows = []
    for name in packages:
        for mode, label in MODES.items():
            found = discover(runs, design, name, mode)
            if found is not None and found[0].density >= 0.5:  # a box where it mostly happens
                box, full = found
                rows.append(
                    {
                        "package": name,
                        "failure_mode": label,
                        "where": box.describe(full),
                        "coverage": box.coverage,
                        "density": box.density,
                        "futures_share": box.mass,
                    }
                )
    return pd.DataFrame(rows)


def frontier(table: pd.DataFrame) -> list[str]:
    """Packages no other package beats on both cost (lower) and deep share (higher)."""
    keep = []
    for _, row in table.iterrows():
        dominated = (
            (table["fiscal_cost_cny_m"] <= row["fiscal_cost_cny_m"])
            & (table["deep_share"] >= row["deep_share"])
            & (
                (table["fiscal_cost_cny_m"] < row["fiscal_cost_cny_m"])
                | (table["deep_share"] > row["deep_share"])
            )
        ).any()
        if not dominated:
            keep.append(row["package"])
    return keep


# ---------------------------------------------------------------- figures
def _save(fig: plt.Figure, folder: Path, name: str) -> Path:
    fig.savefig(folder / f"{name}.png", dpi=150)
    fig.savefig(folder / f"{name}.pdf")
    plt.close(fig)
    return folder / f"{name}.png"


def figure_failures(rates: pd.DataFrame, packages: list[str], folder: Path) -> Path:
    """Heatmap package x failure mode (share of runs)."""
    grid = rates.pivot(index="package", columns="mode", values="rate").reindex(
        index=packages, columns=list(MODES)
    )
    fig, ax = plt.subplots(figsize=(8.5, 0.45 * len(packages) + 1.8))
    image = ax.imshow(grid.values, cmap="cividis", vmin=0, vmax=1, aspect="auto")
    labels = [MODES[m].split(" (")[0] for m in MODES]
    ax.set_xticks(range(len(MODES)), labels, rotation=25, ha="right", fontsize=8)
    ax.set_yticks(range(len(packages)), packages, fontsize=8)
    for (i, j), value in np.ndenumerate(grid.values):
        ax.text(
            j,
            i,
            f"{value:.0%}",
            ha="center",
            va="center",
            fontsize=7,
            color="black" if value > 0.5 else "white",
        )
    fig.colorbar(image, ax=ax, label="share of runs", fraction=0.04)
    ax.set_title("Failure modes by package", fontsize=10)
    fig.tight_layout()
    return _save(fig, folder, "failure_modes")


def figure_tradeoff(table: pd.DataFrame, efficient: list[str], packages: list[str], folder: Path) -> Path:
    """Fiscal cost against deep share, each package with its interval; the frontier."""
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for _, row in table.iterrows():
        tint = colour(packages, row["package"])
        ax.errorbar(
            row["fiscal_cost_cny_m"],
            row["deep_share"],
            yerr=[[row["deep_share"] - row["deep_low"]], [row["deep_high"] - row["deep_share"]]],
            fmt="o",
            color=tint,
            capsize=3,
        )
        ax.annotate(
            row["package"],
            (row["fiscal_cost_cny_m"], row["deep_share"]),
            textcoords="offset points",
            xytext=(6, 4),
            fontsize=8,
        )
    front = table[table["package"].isin(efficient)].sort_values("fiscal_cost_cny_m")
    ax.plot(
        front["fiscal_cost_cny_m"],
        front["deep_share"],
        ls="--",
        color="grey",
        lw=1,
        label="efficient frontier",
    )
    ax.set_xlabel("fiscal cost while the package runs (million yuan a year)")
    ax.set_ylabel("firms co-constructing (depth 4), share")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.set_title("Cost against deep integration (95% intervals)", fontsize=10)
    fig.tight_layout()
    return _save(fig, folder, "tradeoff")


def figure_series(series: pd.DataFrame, packages: list[str], folder: Path) -> Path:
    """Median and 10-90% band over runs, by year; the year the money stops marked."""
    measures = [
        ("depth_4", "co-constructing firms (depth 4)"),
        ("hollow_share", "hollow share of members"),
        ("mean_relevance", "curriculum relevance"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    for ax, (column, title) in zip(axes, measures, strict=True):
        for name in packages:
            s = series[series["package"] == name].groupby("year")[column]
            years = s.median().index
            tint = colour(packages, name)
            ax.plot(years, s.median(), color=tint, lw=1.4, label=name)
            ax.fill_between(years, s.quantile(0.1), s.quantile(0.9), color=tint, alpha=0.12, lw=0)
        money = series[series["package"] != "none"].groupby("year")["money_active"].max()
        stops = money[money > 0].index
        if len(stops) and stops.max() < money.index.max():
            ax.axvline(stops.max() + 0.5, color="black", ls=":", lw=1)
            ax.text(stops.max() + 0.6, ax.get_ylim()[1] * 0.95, "money stops", fontsize=7, va="top")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("year")
    axes[0].set_ylabel("median, 10-90% band")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(8, len(packages)), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return _save(fig, folder, "time_series")


# ---------------------------------------------------------------- tables
def to_latex(frame: pd.DataFrame, caption: str) -> str:
    """A booktabs table (no dependency beyond pandas)."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return (
                "--" if not np.isfinite(value) else f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
            )
        return str(value).replace("_", r"\_").replace("%", r"\%")

    header = " & ".join(cell(c) for c in frame.columns) + r" \\"
    body = "\n".join(" & ".join(cell(v) for v in row) + r" \\" for row in frame.itertuples(index=False))
    spec = "l" + "r" * (len(frame.columns) - 1)
    return (
        f"\\begin{{table}}[ht]\n\\centering\n\\caption{{{caption}}}\n\\begin{{tabular}}{{{spec}}}\n\\toprule\n"
        f"{header}\n\\midrule\n{body}\n\\bottomrule\n\\end{{tabular}}\n\\end{{table}}\n"
    )


def write_table(frame: pd.DataFrame, folder: Path, name: str, caption: str) -> None:
    """A table as CSV and as LaTeX."""
    frame.to_csv(folder / f"{name}.csv", index=False)
    (folder / f"{name}.tex").write_text(to_latex(frame, caption))


# ---------------------------------------------------------------- the report
def _experiment_settings(run_dir: Path) -> dict:
    """Targets, the regret measure and the selected policy, from the folder's config.yaml."""
    from omegaconf import OmegaConf

    path = run_dir / "config.yaml"
    config = OmegaConf.to_container(OmegaConf.load(path)) if path.exists() else {}
    config = config if isinstance(config, dict) else {}
    experiment = config.get("experiment", {}) or {}
    return {
        "targets": experiment.get("targets") or {},
        "regret_measure": experiment.get("regret_measure", "deep_share"),
        "policy": (config.get("policy") or {}).get("name", ""),
    }


def build(run_dir: Path, lang: str = "en") -> Path:
    """Write RUN_DIR/report/ and return the path of report.html."""
    if lang != "en":
        raise SystemExit(f"consortium-report: error: lang: '{lang}' is not available yet; allowed: en")
    data = load(run_dir)
    runs, packages = data["runs"], data["packages"]
    out = run_dir / "report"
    figures, tables = out / "figures", out / "tables"
    figures.mkdir(parents=True, exist_ok=True)
    tables.mkdir(parents=True, exist_ok=True)
    ranked = verdict(runs, packages)
    rates = failure_rates(runs, packages)
    ce = cost_effectiveness(runs, packages)
    efficient = frontier(ranked)
    settings = _experiment_settings(run_dir)
    robust = robustness(runs, packages, settings["targets"], settings["regret_measure"])
    write_table(robust, tables, "robustness", "Satisficing share and regret across futures")
    write_table(ranked, tables, "verdict", "Packages ranked by the share of runs free of failure modes")
    write_table(rates, tables, "failure_modes", "Failure-mode rates with 95\\% Wilson intervals")
    write_table(ce, tables, "cost_effectiveness", "Cost-effectiveness against the no-policy twin")
    pictures = [
        ("Failure modes by package", figure_failures(rates, packages, figures)),
        ("Cost against deep integration", figure_tradeoff(ranked, efficient, packages, figures)),
        ("Over time", figure_series(data["series"], packages, figures)),
        (
            "Robustness across futures",
            figure_robustness(robust, packages, settings["regret_measure"], figures),
        ),
    ]
    boxes = scenario_boxes(run_dir, runs, packages)
    if len(boxes):
        write_table(
            boxes, tables, "scenario_discovery", "Regions of the futures where a failure mode happens (PRIM)"
        )
    if data["manifest"].get("design_kind") == "sobol":
        design = pd.read_parquet(run_dir / "design.parquet").drop_duplicates("scenario")
        varied = settings["policy"] if settings["policy"] in packages else packages[-1]
        indices = sobol_indices(runs, design, varied, settings["regret_measure"])
        write_table(indices, tables, "sobol", f"Sobol indices of {settings['regret_measure']} ({varied})")
        pictures.append(
            ("Sensitivity (Sobol indices)", figure_sobol(indices, settings["regret_measure"], figures))
        )
    data["boxes"] = boxes
    md = markdown(data, ranked, ce, efficient, pictures)
    (out / "report.md").write_text(md)
    page = html_page(data, ranked, ce, efficient, pictures)
    (out / "report.html").write_text(page)
    return out / "report.html"


def _verdict_rows(ranked: pd.DataFrame) -> list[list[str]]:
    return [
        [
            str(r["rank"]),
            r["package"],
            f"{r['healthy_share']:.0%} ({r['healthy_low']:.0%}-{r['healthy_high']:.0%})",
            f"{r['deep_share']:.1%} ({r['deep_low']:.1%}-{r['deep_high']:.1%})",
            f"{r['in_field_local_rate']:.0%}",
            f"{r['fiscal_cost_cny_m']:.2f}",
        ]
        for _, r in ranked.iterrows()
    ]


VERDICT_HEADER = [
    "rank",
    "package",
    "runs with no failure mode",
    "co-constructing firms",
    "in-field local",
    "cost, m yuan/yr",
]


def _summary(data: dict, ranked: pd.DataFrame, efficient: list[str]) -> str:
    manifest = data["manifest"]
    best = ranked.iloc[0]
    return (
        f"City {manifest.get('city')}, experiment {manifest.get('experiment')}, "
        f"{manifest.get('run_count')} runs ({manifest.get('failed_runs', 0)} failed). "
        f"Best: {best['package']}, with {best['healthy_share']:.0%} of runs free of every failure mode "
        f"at {best['fiscal_cost_cny_m']:.2f} million yuan a year. "
        f"Efficient on cost and deep integration: {', '.join(efficient)}."
    )


def _boxes_markdown(boxes: pd.DataFrame | None) -> str:
    """Scenario-discovery boxes as a Markdown list (empty without a design)."""
    if boxes is None or not len(boxes):
        return ""
    lines = [
        f"- {r.package}: {r.failure_mode} where {r.where} "
        f"(density {r.density:.0%}, coverage {r.coverage:.0%})"
        for r in boxes.itertuples()
    ]
    return "## Where failure happens (scenario discovery)\n\n" + "\n".join(lines) + "\n\n"


def _boxes_html(boxes: pd.DataFrame | None) -> str:
    """Scenario-discovery boxes as an HTML list (empty without a design)."""
    if boxes is None or not len(boxes):
        return ""
    items = "".join(
        f"<li>{html.escape(f'{r.package}: {r.failure_mode} where {r.where}')} "
        f"(density {r.density:.0%}, coverage {r.coverage:.0%})</li>"
        for r in boxes.itertuples()
    )
    return f"<h3>Where failure happens (scenario discovery, PRIM)</h3><ul>{items}</ul>"


def markdown(data: dict, ranked: pd.DataFrame, ce: pd.DataFrame, efficient: list[str], pictures: list) -> str:
    """The report as Markdown (figures linked)."""
    rows = _verdict_rows(ranked)
    table = "| " + " | ".join(VERDICT_HEADER) + " |\n|" + "---|" * len(VERDICT_HEADER) + "\n"
    table += "\n".join("| " + " | ".join(r) + " |" for r in rows)
    figs = "\n\n".join(f"![{title}](figures/{path.name})" for title, path in pictures)
    m = data["manifest"]
    return (
        f"# Which incentive package makes the consortium work?\n\n{_summary(data, ranked, efficient)}\n\n"
        f"## Verdict (95% intervals)\n\n{table}\n\n## Evidence\n\n{figs}\n\n"
        f"Cost-effectiveness against the no-policy twin: tables/cost_effectiveness.csv.\n\n"
        f"{_boxes_markdown(data.get('boxes'))}"
        f"## Provenance\n\nCommit {m.get('git_commit')}; seed {m.get('seeds', {}).get('seed')}; "
        f"versions {json.dumps(m.get('versions', {}))}.\n"
    )


def html_page(
    data: dict, ranked: pd.DataFrame, ce: pd.DataFrame, efficient: list[str], pictures: list
) -> str:
    """The report as one self-contained HTML page (figures embedded)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in VERDICT_HEADER)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in _verdict_rows(ranked)
    )
    images = "".join(
        f"<h3>{html.escape(title)}</h3><img alt='{html.escape(title)}' style='max-width:100%' "
        f"src='data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()}'/>"
        for title, path in pictures
    )
    ce_html = ce.to_html(index=False, float_format=lambda v: f"{v:,.3g}", border=0)
    m = data["manifest"]
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>consortium-sim report</title>"
        f"<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}}"
        f"table{{border-collapse:collapse}}"
        f"td,th{{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}}"
        f"td:nth-child(2){{text-align:left}}</style></head><body>"
        f"<h1>Which incentive package makes the consortium work?</h1>"
        f"<p>{html.escape(_summary(data, ranked, efficient))}</p>"
        f"<h2>Verdict (95% intervals)</h2><table><tr>{head}</tr>{body}</table><h2>Evidence</h2>{images}"
        f"<h3>Cost-effectiveness against the no-policy twin (median, quartiles)</h3>{ce_html}"
        f"{_boxes_html(data.get('boxes'))}"
        f"<h2>Provenance</h2><p>Commit {html.escape(str(m.get('git_commit')))}; "
        f"{html.escape(json.dumps(m.get('versions', {})))}</p></body></html>"
    )


def main() -> None:
    """Console entry point."""
    parser = argparse.ArgumentParser(
        prog="consortium-report", description="Write RUN_DIR/report/ from a results folder."
    )
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    if not (args.run_dir / "manifest.json").exists():
        print(
            f"consortium-report: error: {args.run_dir} is not a results folder (no manifest.json)",
            file=sys.stderr,
        )
        sys.exit(2)
    print(build(args.run_dir, args.lang))


if __name__ == "__main__":
    main()
