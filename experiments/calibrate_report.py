"""A calibration's end (``experiment=calibrate``): its tables, the calibrated city
preset, the printed summary and its report (RUN_DIR/report/, or report/zh/).

Tables, in ``calibration/`` (recorded in the manifest; a rerun of the same command
rewrites any that is missing or damaged, from the stored runs):

- ``particles.parquet``: every generation's particles: values, log-likelihood estimate,
  proposal density, weight;
- ``generations.csv``: each generation's tempering and effective sample;
- ``parameters.csv``: each parameter's prior and posterior (mean, median, 90% interval),
  how far the data narrowed it (identifiability) and what it trades off with;
- ``predictive.csv``: the posterior predictive check of every observed indicator.

``presets/city/<preset>.yaml``: the city with its fitted values (posterior medians),
usable as ``consortium-sim hydra.searchpath=[file://RUN_DIR/presets] city=<preset>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from experiments.calibrate import (
    HIGH,
    LOW,
    Calibration,
    effective_sample,
    observed_path,
    posterior_weights,
    weighted_quantile,
)
from experiments.report_text import wrap
from experiments.store import artefacts_sound, atomic_write_text, record_artefacts, write_parquet
from policies.observed import X_PREFIX
from policies.outcomes import MEASURE_BY_KEY

PINNED, PARTLY = 0.5, 0.2  # shares of the prior's variance the data remove: pinned down, partly
TRADE_OFF = 0.6  # a posterior correlation at least this large: the data pin a combination

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Calibration: city {city} to {observed}; {generations} generations of {particles} particles "
        "x {replicates} runs, means over the last {window} of {years} years",
        "reached": "Posterior reached: {k} generation(s) at tempering 1, pooled, effective sample {ess:.0f} "
        "(at least {need:.0f}).",
        "too_few": "NOT yet the posterior: tempering reached 1, but the pooled effective sample is "
        "{ess:.0f} < "
        "{need:.0f} (the intervals may be too narrow); raise experiment.calibrate.generations.",
        "not_reached": "NOT the posterior: after {generations} generations the tempering is {beta:.3f} < 1 "
        "(the intervals below are too wide); raise experiment.calibrate.generations.",
        "parameters": "Parameters (prior -> posterior median, 90% interval; the share of the prior's "
        "variance the data remove)",
        "parameter": "parameter",
        "prior": "prior",
        "median": "median",
        "interval": "90% interval",
        "removed": "removed",
        "verdict": "identified",
        "pinned": "pinned down",
        "partly": "partly",
        "not": "not by these data",
        "traded": "trades off with {others}",
        "checks": "Checks: each indicator as observed against the same observation of {draws} posterior "
        "draws on fresh keys",
        "indicator": "indicator",
        "observed": "observed",
        "predicted": "predicted 90%",
        "tail": "tail p",
        "inside": "inside",
        "yes": "yes",
        "no": "no",
        "outside": "{n} of {k} indicators fall outside their predicted 90%: the model cannot reproduce "
        "them with these parameters.",
        "all_inside": "Every observed indicator lies inside its predicted 90%.",
        "preset": "Calibrated city preset: {path}",
        "use": "Use it in any experiment: consortium-sim hydra.searchpath=[file://{folder}] city={name}",
        "failed": "{n} run(s) failed; see manifest.json 'failed'",
        "results": "Results:",
        "fig_posterior": "Each parameter's prior (grey) and posterior (blue, weighted particles)",
        "fig_checks": "Posterior predictive checks: each indicator's predicted observation (90% and 50%) "
        "against the observed (red)",
        "config": "Configuration",
        "report_title": "Calibration of {city}",
    },
    "zh": {
        "title": "校准：城市 {city}，观测 {observed}；{generations} 代，"
        "每代 {particles} 个粒子 x {replicates} 次运行，"
        "{years} 年中最后 {window} 年的均值",
        "reached": "已达到后验：回火为 1 的 {k} 代合并，有效样本 {ess:.0f}（至少 {need:.0f}）。",
        "too_few": "尚未达到后验：回火已达 1，但合并有效样本 {ess:.0f} < {need:.0f}（区间可能偏窄）；"
        "请增大 experiment.calibrate.generations。",
        "not_reached": "尚未达到后验：{generations} 代后回火为 {beta:.3f} < 1（下列区间偏宽）；"
        "请增大 experiment.calibrate.generations。",
        "parameters": "参数（先验 -> 后验中位数，90% 区间；数据消除的先验方差占比）",
        "parameter": "参数",
        "prior": "先验",
        "median": "中位数",
        "interval": "90% 区间",
        "removed": "消除",
        "verdict": "可识别性",
        "pinned": "数据确定",
        "partly": "部分确定",
        "not": "数据无法确定",
        "traded": "与 {others} 此消彼长",
        "checks": "检验：每个观测指标与 {draws} 个后验抽样（新随机键）的同样观测相比",
        "indicator": "指标",
        "observed": "观测值",
        "predicted": "预测 90%",
        "tail": "尾概率",
        "inside": "区间内",
        "yes": "是",
        "no": "否",
        "outside": "{k} 个指标中有 {n} 个落在预测 90% 区间之外：在这些参数下模型无法复现。",
        "all_inside": "每个观测指标都落在预测 90% 区间之内。",
        "preset": "校准后的城市预设：{path}",
        "use": "在任何实验中使用：consortium-sim hydra.searchpath=[file://{folder}] city={name}",
        "failed": "{n} 次运行失败；见 manifest.json 'failed'",
        "results": "结果：",
        "fig_posterior": "各参数的先验（灰）与后验（蓝，加权粒子）",
        "fig_checks": "后验预测检验：各指标的预测观测（90% 与 50%）与观测值（红）",
        "config": "配置",
        "report_title": "{city} 的校准",
    },
}


# ---------------------------------------------------------------- tables
def tables(cfg: Any, result: Calibration) -> dict[str, pd.DataFrame]:
    """Every table of ``calibration/``."""
    return {
        "particles": particles_table(result),
        "generations": generations_table(cfg, result),
        "parameters": parameters_table(result),
        "predictive": predictive_table(result, int(cfg.seed)),
    }


def particles_table(result: Calibration) -> pd.DataFrame:
    """Every generation's particles, with their weight in the pooled posterior."""
    frames = []
    pooled = posterior_weights(result.generations)
    for g, (generation, x) in enumerate(zip(result.generations, result.values, strict=True)):
        frame = pd.DataFrame({"generation": g, "particle": np.arange(len(x))})
        for j, path in enumerate(result.priors.paths):
            frame[X_PREFIX + path] = x[:, j]
        frame["loglik"] = generation.loglik
        frame["log_proposal"] = generation.log_q
        frame["beta"] = generation.beta
        frame["weight"] = generation.weights
        frame["posterior_weight"] = pooled[g]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def generations_table(cfg: Any, result: Calibration) -> pd.DataFrame:
    """Each generation's tempering, effective sample, share of the posterior and runs."""
    pooled = posterior_weights(result.generations)
    return pd.DataFrame(
        [{"generation": g, "beta": gen.beta, "effective_sample": gen.ess, "particles": len(gen.z),
          "posterior_share": float(pooled[g].sum()), "possible": int(np.isfinite(gen.loglik).sum()),
          "runs": len(gen.z) * int(cfg.experiment.replicates)}
         for g, gen in enumerate(result.generations)]
    )  # fmt: skip


def parameters_table(result: Calibration) -> pd.DataFrame:
    """Each parameter's prior and posterior, and what the data pin down: the share of
    the prior's variance they remove (``1 - var_post / var_prior``; Gelman's posterior
    contraction) and the parameters it trades off with (a posterior correlation of at
    least :data:`TRADE_OFF`: the data pin their combination, not each).
    """
    x, w = result.posterior
    prior_mean, prior_sd = result.priors.moments()
    mean = np.sum(w[:, None] * x, axis=0) / w.sum()
    centred = x - mean
    cov = (w[:, None, None] * centred[:, :, None] * centred[:, None, :]).sum(axis=0) / w.sum()
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    rows = []
    for j, path in enumerate(result.priors.paths):
        spec = result.priors.specs[j]
        removed = 1.0 - (sd[j] / prior_sd[j]) ** 2 if prior_sd[j] > 0 else 0.0
        others = [
            f"{result.priors.paths[k]} ({corr[j, k]:+.2f})"
            for k in range(len(sd))
            if k != j and np.isfinite(corr[j, k]) and abs(corr[j, k]) >= TRADE_OFF
        ]
        rows.append(
            {
                "parameter": path,
                "prior": spec["kind"],
                "low": spec["low"],
                "high": spec["high"],
                "prior_mean": prior_mean[j],
                "prior_sd": prior_sd[j],
                "mean": mean[j],
                "median": weighted_quantile(x[:, j], w, 0.5),
                "q05": weighted_quantile(x[:, j], w, LOW),
                "q95": weighted_quantile(x[:, j], w, HIGH),
                "sd": sd[j],
                "variance_removed": removed,
                "identified": "pinned" if removed >= PINNED else "partly" if removed >= PARTLY else "not",
                "trades_off_with": "; ".join(others),
            }
        )
    return pd.DataFrame(rows)


def predictive_table(result: Calibration, seed: int) -> pd.DataFrame:
    """Each indicator's posterior predictive check: the observation each predictive run
    would have given (made as the data were: :meth:`Indicator.draw`), its 90% interval
    and the observed summary's two-sided tail probability among them.
    """
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 19]))
    runs = result.predictive
    rows = []
    for ind in result.indicators:
        predicted = runs[ind.measure].to_numpy(float)
        simulated = np.array(
            [np.nan if np.isnan(p) else ind.with_observations(ind.draw(p, rng)).summary() for p in predicted],
            dtype=float,
        )
        simulated = simulated[np.isfinite(simulated)]
        observed = ind.summary()
        if simulated.size:
            tail = min(1.0, 2.0 * min(np.mean(simulated <= observed), np.mean(simulated >= observed)))
            q = np.quantile(simulated, [LOW, 0.25, 0.5, 0.75, HIGH])
        else:
            tail, q = 0.0, np.full(5, np.nan)
        rows.append(
            {
                "indicator": ind.measure,
                "kind": ind.kind,
                "observed": observed,
                "observations": len(ind.values),
                "model_mean": float(np.nanmean(predicted)) if np.isfinite(predicted).any() else np.nan,
                "q05": q[0],
                "q25": q[1],
                "median": q[2],
                "q75": q[3],
                "q95": q[4],
                "tail_p": tail,
                "inside": bool(q[0] <= observed <= q[4]) if simulated.size else False,
                "undefined_runs": int(np.isnan(predicted).sum()),
            }
        )
    return pd.DataFrame(rows)


def write_tables(folder: Path, frames: dict[str, pd.DataFrame]) -> None:
    """``calibration/``: the tables as Parquet and CSV, recorded in the manifest."""
    out = folder / "calibration"
    write_parquet(frames["particles"], out / "particles.parquet")
    for name in ("generations", "parameters", "predictive"):
        atomic_write_text(out / f"{name}.csv", frames[name].to_csv(index=False))
    record_artefacts(folder, "calibration")


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The tables :func:`write_tables` wrote."""
    out = folder / "calibration"
    found = {"particles": pd.read_parquet(out / "particles.parquet")}
    for name in ("generations", "parameters", "predictive"):
        found[name] = pd.read_csv(out / f"{name}.csv", keep_default_na=False, na_values=[""])
    return found


# ---------------------------------------------------------------- the calibrated preset
def preset(cfg: Any, parameters: pd.DataFrame, folder: Path) -> str:
    """The calibrated city preset's YAML: the city as run (its rosters by absolute path)
    with every fitted value at its posterior median, behaviour and uncertainty beside
    it (a global package, so ``city=`` sets them too; ``calibration=`` and the command
    line still come after it).
    """
    city = OmegaConf.to_container(cfg.city, enum_to_str=True)
    assert isinstance(city, dict)
    body: dict[str, Any] = {"city": city}
    city["name"] = str(cfg.experiment.calibrate.preset)
    from policies.rosters import resolve

    for key in ("firms_csv", "schools_csv"):
        if city.get(key):
            city[key] = str(resolve(str(city[key])).resolve())
    for row in parameters.itertuples():
        group, *rest = str(row.parameter).split(".")
        node = body.setdefault(group, {})
        for part in rest[:-1]:
            node = node.setdefault(part, {})
        node[rest[-1]] = _number(row.median)
    lines = [
        "# @package _global_",
        f"# {city['name']}: city {cfg.city.name} calibrated to {observed_path(cfg)}",
        f"# (consortium-sim experiment=calibrate, {folder}). Each fitted value is its posterior",
        "# median; its 90% interval and what the data pin down are in calibration/parameters.csv:",
    ]
    for row in parameters.itertuples():
        lines.append(
            f"#   {row.parameter}: {row.median:.4g} (90%: {row.q05:.4g} to {row.q95:.4g}; {row.identified})"
        )
    return "\n".join(lines) + "\n" + OmegaConf.to_yaml(OmegaConf.create(body))


def write_preset(cfg: Any, folder: Path, parameters: pd.DataFrame) -> Path:
    """``presets/city/<preset>.yaml``; returns its path."""
    path = folder / "presets" / "city" / f"{cfg.experiment.calibrate.preset}.yaml"
    atomic_write_text(path, preset(cfg, parameters, folder))
    record_artefacts(folder, "presets")
    return path


def outputs_sound(folder: Path) -> bool:
    """Whether the tables and the preset are all there, as the manifest records."""
    return artefacts_sound(folder, "calibration") and artefacts_sound(folder, "presets")


# ---------------------------------------------------------------- printed
def render(cfg: Any, frames: dict[str, pd.DataFrame], folder: Path, lang: str) -> str:
    """The posterior, what the data pin down, the checks and the preset, as text."""
    lang = lang if lang in WORDS else "en"
    w, settings = WORDS[lang], cfg.experiment.calibrate
    generations, parameters, checks = frames["generations"], frames["parameters"], frames["predictive"]
    last = generations.iloc[-1]
    title = w["title"].format(
        city=cfg.city.name,
        observed=Path(str(settings.observed)).name,
        generations=len(generations),
        particles=settings.particles,
        replicates=cfg.experiment.replicates,
        window=cfg.experiment.summary_window_years,
        years=cfg.years,
    )
    lines = [wrap(title, 100), ""]
    with np.errstate(divide="ignore"):
        ess = effective_sample(np.log(frames["particles"]["posterior_weight"].to_numpy(float)))
    need = float(settings.ess_share) * int(settings.particles)
    at_one = int((generations["beta"] >= 1.0).sum())
    if float(last["beta"]) < 1.0:
        lines.append(
            wrap(w["not_reached"].format(generations=len(generations), beta=float(last["beta"])), 100)
        )
    elif ess < need:
        lines.append(wrap(w["too_few"].format(ess=ess, need=need), 100))
    else:
        lines.append(wrap(w["reached"].format(k=at_one, ess=ess, need=need), 100))
    lines += ["", w["parameters"]]
    width = max(len(w["parameter"]), *(len(str(p)) for p in parameters["parameter"]))
    lines.append(
        f"  {w['parameter']:<{width}}  {w['prior']:>19}  {w['median']:>9}  {w['interval']:>19}  "
        f"{w['removed']:>7}  {w['verdict']}"
    )
    for row in parameters.itertuples():
        prior = f"{row.prior} {_g(row.low)}-{_g(row.high)}"
        verdict = w[str(row.identified)]
        if isinstance(row.trades_off_with, str) and row.trades_off_with:
            verdict += "; " + w["traded"].format(others=row.trades_off_with)
        lines.append(
            f"  {row.parameter:<{width}}  {prior:>19}  {_g(row.median):>9}  "
            f"{_g(row.q05) + ' - ' + _g(row.q95):>19}  {row.variance_removed:>7.0%}  {verdict}"
        )
    lines += ["", wrap(w["checks"].format(draws=settings.predictive_draws), 100)]
    width = max(len(w["indicator"]), *(len(_label(m, lang)) for m in checks["indicator"]))
    lines.append(
        f"  {w['indicator']:<{width}}  {w['observed']:>9}  {w['predicted']:>21}  {w['tail']:>6}  "
        f"{w['inside']}"
    )
    for row in checks.itertuples():
        shown = f"{_g(row.q05)} - {_g(row.q95)}"
        inside = w["yes"] if bool(row.inside) else w["no"]
        lines.append(
            f"  {_label(row.indicator, lang):<{width}}  {_g(row.observed):>9}  {shown:>21}  "
            f"{row.tail_p:>6.2f}  {inside}"
        )
    outside = int((~checks["inside"].astype(bool)).sum())
    lines.append(wrap(w["outside"].format(n=outside, k=len(checks)) if outside else w["all_inside"], 100))
    path = folder / "presets" / "city" / f"{settings.preset}.yaml"
    lines += [
        "",
        w["preset"].format(path=path),
        wrap(w["use"].format(folder=(folder / "presets").resolve(), name=settings.preset), 100),
    ]
    return "\n".join(lines)


def _number(value: Any) -> float:
    return float(value)


def _g(value: Any) -> str:
    return f"{float(value):.4g}"


def _label(measure: Any, lang: str) -> str:
    found = MEASURE_BY_KEY.get(str(measure))
    if found is None:
        return str(measure)
    return found.label_en if lang == "en" else found.label_zh


def finish(cfg: Any, folder: Path, result: Calibration, store: Any) -> None:
    """Write what is missing of the tables, the preset and the report; print the summary."""
    frames = tables(cfg, result)
    if not outputs_sound(folder):
        write_tables(folder, frames)
        write_preset(cfg, folder, frames["parameters"])
    lang = cfg.lang.name if cfg.lang.name in WORDS else "en"
    print(render(cfg, frames, folder, lang))
    if store.failed:
        print(WORDS[lang]["failed"].format(n=len(store.failed)))
    from experiments.report.page import write_report_unless_sound

    write_report_unless_sound(cfg, folder, build)
    print(f"{WORDS[lang]['results']} {folder}")


# ---------------------------------------------------------------- the report
def figure_posterior(frames: dict[str, pd.DataFrame], cfg: Any, lang: str, folder: Path) -> Path:
    """Each parameter's prior density and posterior histogram."""
    import matplotlib.pyplot as plt

    from experiments.calibrate import Priors
    from experiments.report.figures import PAGE_WIDTH, save_figure

    priors = Priors.of(cfg.experiment.calibrate.parameters)
    particles = frames["particles"]
    last = particles[particles["posterior_weight"] > 0]
    d = priors.dimension
    fig, axes = plt.subplots(1, d, figsize=(PAGE_WIDTH, PAGE_WIDTH * 0.3), squeeze=False)
    for j, path in enumerate(priors.paths):
        ax = axes[0, j]
        spec = priors.specs[j]
        grid = np.linspace(spec["low"], spec["high"], 200)
        density = priors._frozen(j).pdf(grid)
        ax.fill_between(grid, density, color="#DDDDDD", label="prior" if lang == "en" else "先验")
        ax.hist(
            last[X_PREFIX + path],
            bins=25,
            range=(spec["low"], spec["high"]),
            weights=last["posterior_weight"],
            density=True,
            color="#4C72B0",
            alpha=0.8,
            label="posterior" if lang == "en" else "后验",
        )
        ax.set_xlabel(path.split(".")[-1], fontsize=7)
        ax.tick_params(labelsize=6)
        ax.set_yticks([])
    axes[0, 0].legend(fontsize=6, frameon=False)
    fig.tight_layout()
    return save_figure(fig, folder, "posterior")


def figure_checks(frames: dict[str, pd.DataFrame], lang: str, folder: Path) -> Path:
    """Each indicator's predicted observation (90% and 50% intervals) and the observed,
    each relative to its predicted median (so shares and counts share an axis).
    """
    import matplotlib.pyplot as plt

    from experiments.report.figures import PAGE_WIDTH, save_figure

    checks = frames["predictive"]
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH * 0.7, 0.35 * len(checks) + 0.8))
    for k in range(len(checks)):
        q05, q25, median, q75, q95, observed = (
            float(checks[c].iloc[k]) for c in ("q05", "q25", "median", "q75", "q95", "observed")
        )
        scale = abs(median) or 1.0
        ax.plot([q05 / scale, q95 / scale], [k, k], color="#4C72B0", linewidth=1.5)
        ax.plot([q25 / scale, q75 / scale], [k, k], color="#4C72B0", linewidth=5)
        ax.plot([observed / scale], [k], marker="o", color="#C44E52", markersize=5)
    ax.axvline(1.0, color="#999999", linewidth=0.5)
    ax.set_yticks(range(len(checks)), [_label(m, lang) for m in checks["indicator"]], fontsize=7)
    ax.set_xlabel("relative to the predicted median" if lang == "en" else "相对于预测中位数")
    fig.tight_layout()
    return save_figure(fig, folder, "checks")


def build(run_dir: Path, lang: str = "en") -> Path:
    """Write the calibration's report from its tables; return its report.html."""
    from experiments.report.figures import figure_style
    from experiments.report.page import report_folders, write_text_report
    from experiments.report.tables import write_table

    cfg = OmegaConf.load(run_dir / "config.yaml")
    lang = lang if lang in WORDS else "en"
    w = WORDS[lang]
    frames = read_tables(run_dir)
    out, figures, tabled = report_folders(run_dir, lang)
    with figure_style(lang):
        pictures = [
            (w["fig_posterior"], figure_posterior(frames, cfg, lang, figures)),
            (w["fig_checks"], figure_checks(frames, lang, figures)),
        ]
    write_table(frames["parameters"], tabled, "parameters", "Each parameter's prior and posterior")
    write_table(frames["predictive"], tabled, "predictive", "Posterior predictive checks")
    write_table(frames["generations"], tabled, "generations", "The sampler's generations")
    title = w["report_title"].format(city=cfg.city.name)
    text = render(cfg, frames, run_dir, lang)
    return write_text_report(run_dir, out, lang, title, text, frames["parameters"].round(4), pictures,
                             w["config"])  # fmt: skip
