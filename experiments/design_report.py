"""A search's end (``experiment=design``): its tables, its front as packages, the printed
answer, and its report (RUN_DIR/report/, or report/zh/).

Tables, in ``search/`` (recorded in the manifest; a rerun of the same command rewrites
any that is missing or damaged, from the stored runs):

- ``candidates.parquet``: every candidate evaluated, its generation, decision values
  (decoded, and encoded as ``x:PATH``), each measure's mean and standard error;
- ``front.parquet`` / ``front.csv``: the front (feasible, non-dominated among all
  candidates), with its measures on fresh futures and keys and whether it holds up there;
- ``hypervolume.csv``: the front's hypervolume after each generation;
- ``shipped.csv``: each shipped package on the same keys, and how the front holds it.

``packages/policy/front_NN.yaml``: each front point as a package, runnable with
``consortium-sim hydra.searchpath=[file://RUN_DIR/packages] policy=front_NN``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from experiments.report_text import wrap
from experiments.search import (
    X_PREFIX,
    candidate_package,
    decode,
    feasible,
    front_mask,
    meets,
    paths,
    violations,
)
from experiments.store import artefacts_sound, atomic_write_text, record_artefacts, write_parquet
from policies.outcomes import MEASURE_BY_KEY

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Package search: city {city}, {generations} generations of {population} candidates "
                 "({evaluated} evaluated), each on {futures} futures x {replicates} keys (common random "
                 "numbers), means over the last {window} years",
        "objectives": "Objectives: {objectives}; constraints: {constraints}.",
        "none": "none",
        "front": "The front: {n} packages no other candidate beats on every objective (in sample | on "
                 "{fresh} fresh futures x {fresh_keys} fresh keys)",
        "point": "package", "holds": "holds up", "yes": "yes", "no": "no",
        "answer": "Answer: the package best on {measure} ({direction}) where {where}: {point}, {values}; "
                  "on fresh futures: {fresh} ({holds}).",
        "nearest": "Answer: no package of the front meets {where}. The nearest ({measure}, {direction}, "
                   "among the nearest): {point}, {values}; on fresh futures: {fresh}.",
        "no_front": "Answer: no candidate met the constraints; widen the decisions or the budget.",
        "more": "({n} more front packages in search/front.csv; shown: those no other beats on {where})",
        "holds_yes": "holds up", "holds_no": "does not hold up",
        "shipped": "The shipped packages on the same keys, against the front",
        "verdict": "verdict", "by": "front package", "gain": "front minus package",
        "missed": "not in the search space: {names}.",
        "volume": "Hypervolume of the front (each objective scaled by the first generation's range, "
                  "reference point 1.1 on each; larger is better): {first:.4f} after the first generation, "
                  "{last:.4f} after the last; the last {k} generations added {recent:+.1%}.",
        "levelled": "It has levelled off: more generations would add little on these futures.",
        "rising": "It is still rising: more generations (experiment.search.generations) may find more.",
        "run": "Run a front package like any other:",
        "results": "Results:",
        "report_title": "Package search on {city}: which packages work in most futures, and at what cost",
        "fig_front": "Every candidate (grey), the front (blue) and the shipped packages (orange)",
        "fig_volume": "The front's hypervolume after each generation",
        "config": "Configuration",
        "direction_max": "higher is better", "direction_min": "lower is better",
    },
    "zh": {
        "title": "政策包搜索:城市 {city},{generations} 代,每代 {population} 个候选(共评估 {evaluated} 个),"
                 "每个候选在 {futures} 种未来 x {replicates} 组随机数上评估(共同随机数),"
                 "取最后 {window} 年均值",
        "objectives": "目标:{objectives};约束:{constraints}。",
        "none": "无",
        "front": "帕累托前沿:{n} 个政策包,没有其他候选在所有目标上都优于它们(样本内 | 在 {fresh} 种新未来 x "
                 "{fresh_keys} 组新随机数上)",
        "point": "政策包", "holds": "样本外成立", "yes": "是", "no": "否",
        "answer": "答案:在满足 {where} 的政策包中 {measure} 最优({direction})的是 {point}:{values};"
                  "在新的未来中:{fresh}({holds})。",
        "nearest": "答案:前沿上没有政策包满足 {where}。最接近的({measure} {direction}):{point},"
                   "{values};在新的未来中:{fresh}。",
        "no_front": "答案:没有候选满足约束;请放宽决策变量范围或预算。",
        "more": "(另有 {n} 个前沿政策包见 search/front.csv;此处只列出在 {where} 上不被其他政策包超越的)",
        "holds_yes": "成立", "holds_no": "不成立",
        "shipped": "现有政策包(同一组随机数)与前沿的比较",
        "verdict": "结论", "by": "前沿政策包", "gain": "前沿减现有",
        "missed": "不在搜索空间内:{names}。",
        "volume": "前沿的超体积(各目标按第一代的范围缩放,参考点各为 1.1;越大越好):第一代后 {first:.4f},"
                  "最后一代后 {last:.4f};最后 {k} 代增加 {recent:+.1%}。",
        "levelled": "已趋于平稳:在这些未来上增加代数收益很小。",
        "rising": "仍在上升:增加代数(experiment.search.generations)可能找到更好的政策包。",
        "run": "像其他政策包一样运行前沿上的政策包:",
        "results": "结果:",
        "report_title": "{city} 政策包搜索:哪些政策包在多数未来中有效,成本多少",
        "fig_front": "所有候选(灰)、前沿(蓝)与现有政策包(橙)",
        "fig_volume": "每代之后前沿的超体积",
        "config": "配置",
        "direction_max": "越高越好", "direction_min": "越低越好",
    },
}  # fmt: skip
VERDICTS_ZH = {
    "matched": "持平",
    "beaten": "被超越",
    "not beaten": "未被超越",
    "outside the constraints": "超出约束",
}
LEVELLED = 0.01  # the last generations added less than this share of the hypervolume: levelled off
RECENT = 3  # generations the levelling is judged over


def label(measure: str, lang: str) -> str:
    """A measure's name as a reader reads it."""
    known = MEASURE_BY_KEY.get(measure)
    if known is None:
        return "healthy (no failure mode)" if lang == "en" else "健康(无失效模式)"
    return known.label_zh if lang == "zh" else known.label_en


def shown(measure: str, value: float, signed: bool = False) -> str:
    """A measure's value as a reader reads it: shares in %, yuan in millions; ``signed``:
    a difference (shares in points).
    """
    if not np.isfinite(value):
        return "-"
    known = MEASURE_BY_KEY.get(measure)
    unit = known.unit if known is not None else "share"
    if unit == "share":
        return f"{value * 100:+.1f} pt" if signed else f"{value:.0%}"
    if unit.startswith("yuan"):
        return f"{value / 1e6:{'+' if signed else ''}.2f}m"
    return f"{value:{'+' if signed else ''}.3g}"


def _targets(targets: Any, lang: str) -> str:
    parts = []
    for measure, target in targets.items():
        if target.at_least is not None:
            parts.append(f"{label(measure, lang)} >= {shown(measure, float(target.at_least))}")
        if target.at_most is not None:
            parts.append(f"{label(measure, lang)} <= {shown(measure, float(target.at_most))}")
    return ", ".join(parts) if parts else WORDS[lang]["none"]


# ---------------------------------------------------------------- tables
def tables(cfg: Any, result: Any) -> dict[str, pd.DataFrame]:
    """The search's tables (see the module's docstring), from what it found."""
    search = cfg.experiment.search
    candidates = result.candidates.reset_index()
    columns = [X_PREFIX + p for p in paths(search)]
    decoded = pd.DataFrame([decode(search, dict(zip(paths(search), x, strict=True)))
                            for x in candidates[columns].itertuples(index=False)])  # fmt: skip
    for path in paths(search):
        categorical = search.decisions[path].kind == "categorical"
        candidates[path] = decoded[path].map(str) if categorical else decoded[path]
    front = result.front.reset_index()
    holdout = result.holdout.reindex(front["point"])
    for measure in holdout.columns:
        front[f"fresh_{measure}"] = holdout[measure].to_numpy()
    front["fresh_feasible"] = feasible(holdout, search)
    front["holds_up"] = holds_up(front, holdout, search)
    for path in paths(search):
        front[path] = candidates.set_index("candidate").loc[front["candidate"], path].to_numpy()
    shipped = result.shipped.rename_axis("package").reset_index()
    return {"candidates": candidates, "front": front, "hypervolume": result.hypervolume, "shipped": shipped}


def holds_up(front: pd.DataFrame, fresh: pd.DataFrame, search: Any) -> np.ndarray:
    """Whether each front point holds up on fresh futures and keys: it meets every
    constraint there, and no objective is worse there than in the search by more than
    twice the standard error of the difference (two independent means).
    """
    ok = feasible(fresh, search)
    for measure, direction in search.objectives.items():
        sign = 1.0 if direction == "max" else -1.0
        change = (fresh[measure].to_numpy(float) - front[measure].to_numpy(float)) * sign
        error = np.sqrt(
            front[f"{measure}_se"].to_numpy(float) ** 2 + fresh[f"{measure}_se"].to_numpy(float) ** 2
        )
        ok &= ~(change < -2.0 * np.nan_to_num(error))
    return ok


def write_tables(folder: Path, frames: dict[str, pd.DataFrame]) -> None:
    """``search/``: the tables as Parquet (data) and CSV (reading), recorded in the manifest."""
    out = folder / "search"
    write_parquet(frames["candidates"], out / "candidates.parquet")
    write_parquet(frames["front"], out / "front.parquet")
    for name in ("front", "hypervolume", "shipped"):
        atomic_write_text(out / f"{name}.csv", frames[name].to_csv(index=False))
    record_artefacts(folder, "search")


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The tables :func:`write_tables` wrote."""
    out = folder / "search"
    return {
        "candidates": pd.read_parquet(out / "candidates.parquet"),
        "front": pd.read_parquet(out / "front.parquet"),
        "hypervolume": pd.read_csv(out / "hypervolume.csv"),
        "shipped": pd.read_csv(out / "shipped.csv", keep_default_na=False, na_values=[""]),
    }


# ---------------------------------------------------------------- the front's packages and the answer
def front_package(cfg: Any, front: pd.DataFrame, point: str) -> Any:
    """A front point as a package named ``point`` (runnable as ``policy=``)."""
    search = cfg.experiment.search
    row = front.set_index("point").loc[[point]].iloc[0]
    values = decode(search, {p: row[X_PREFIX + p] for p in paths(search)})
    package = candidate_package(cfg.policy, values, point)
    shown = ", ".join(f"{m} {row[m]:.3g}" for m in search.objectives)
    package.description = f"Found by experiment=design (candidate {row['candidate']}): {shown}"
    return package


def write_packages(cfg: Any, folder: Path, front: pd.DataFrame) -> Path:
    """Each front point as ``packages/policy/<point>.yaml``; returns ``packages/``."""
    out = folder / "packages"
    for point in front["point"]:
        text = OmegaConf.to_yaml(front_package(cfg, front, str(point)))
        atomic_write_text(out / "policy" / f"{point}.yaml", text)
    record_artefacts(folder, "packages")
    return out


def answer(front: pd.DataFrame, search: Any) -> tuple[str | None, bool]:
    """The front point the search's ``answer`` picks: the best on its measure among
    those meeting every target of ``where``, and True; if none meets them, the nearest
    (the least shortfall, each target's in units of its bound), best on the measure
    among equally near, and False. ``(None, False)`` for an empty front.
    """
    if not len(front):
        return None, False
    ok = meets(front, search.answer.where)
    if ok.any():
        chosen = front[ok]
    else:
        shortfall = np.maximum(violations(front, search.answer.where), 0.0).sum(axis=1)
        chosen = front[np.isclose(shortfall, shortfall.min(), rtol=0.0, atol=1e-12)]
    values = chosen[search.answer.measure].to_numpy(float)
    k = int(np.argmin(values) if search.answer.direction == "min" else np.argmax(values))
    return str(chosen["point"].iloc[k]), bool(ok.any())


def outputs_sound(folder: Path) -> bool:
    """Whether the search's tables and packages are all there, as the manifest records."""
    return artefacts_sound(folder, "search") and artefacts_sound(folder, "packages")


# ---------------------------------------------------------------- the printed answer
def render(cfg: Any, frames: dict[str, pd.DataFrame], folder: Path, lang: str) -> str:
    """The front, the answer, the shipped packages against the front, the hypervolume,
    and how to run a front package, as plain text in the report's language.
    """
    lang = lang if lang in WORDS else "en"
    w, search, exp = WORDS[lang], cfg.experiment.search, cfg.experiment
    design = pd.read_parquet(folder / "design.parquet", columns=["futures", "scenario"])
    futures = int(design.loc[design["futures"] == "search", "scenario"].nunique())
    front, shipped, volume = frames["front"], frames["shipped"], frames["hypervolume"]
    wanted = list(dict.fromkeys([*search.objectives, *search.constraints]))
    title = w["title"].format(city=cfg.city.name, generations=len(volume), population=search.population,
                              evaluated=len(frames["candidates"]), futures=futures, replicates=exp.replicates,
                              window=exp.summary_window_years)  # fmt: skip
    directions = ", ".join(f"{label(m, lang)} ({w['direction_' + d]})" for m, d in search.objectives.items())
    lines = [wrap(title, 100), "", wrap(w["objectives"].format(objectives=directions,
             constraints=_targets(search.constraints, lang)), 100), ""]  # fmt: skip
    lines.append(wrap(w["front"].format(n=len(front), fresh=search.holdout_futures,
                                        fresh_keys=search.holdout_replicates), 100))  # fmt: skip
    chosen, met = answer(front, search)
    listed = shown_points(front, search, chosen)
    table = pd.DataFrame({w["point"]: front["point"]})
    for m in wanted:
        pairs = zip(front[m], front[f"fresh_{m}"], strict=True)
        table[label(m, lang)] = [f"{shown(m, a)} | {shown(m, b)}" for a, b in pairs]
    table[w["holds"]] = front["holds_up"].map({True: w["yes"], False: w["no"]})
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 160):
        lines += [table[listed].to_string(index=False)]
    if listed.sum() < len(front):
        lines.append(wrap(w["more"].format(n=len(front) - int(listed.sum()), where=_axes(search, lang)), 100))
    lines.append("")
    where = _targets(search.answer.where, lang)
    if chosen is None:
        lines.append(wrap(w["no_front"], 100))
    else:
        row = front.set_index("point").loc[[chosen]].iloc[0]
        values = ", ".join(f"{label(m, lang)} {shown(m, row[m])}" for m in wanted)
        fresh = ", ".join(f"{label(m, lang)} {shown(m, row[f'fresh_{m}'])}" for m in wanted)
        fresh_met = meets(front[front["point"] == chosen], search.answer.where, prefix="fresh_")[0]
        holds = bool(row["holds_up"]) and bool(fresh_met)
        said = w["answer" if met else "nearest"].format(
            measure=label(search.answer.measure, lang), where=where, point=chosen,
            direction=w["direction_" + search.answer.direction], values=values,
            fresh=fresh, holds=w["holds_yes"] if holds else w["holds_no"])  # fmt: skip
        lines.append(wrap(said, 100))
    lines += ["", w["shipped"]]
    rows = pd.DataFrame({w["point"]: shipped["package"]})
    for m in search.objectives:
        rows[label(m, lang)] = shipped[m].map(lambda v, m=m: shown(m, v))
    rows[w["verdict"]] = shipped["verdict"].map(lambda v: _verdict(v, lang))
    rows[w["by"]] = shipped["front_point"]
    signs = {m: -1.0 if d == "min" else 1.0 for m, d in search.objectives.items()}
    rows[w["gain"]] = [", ".join(shown(m, r[f"gain_{m}"] * sign, signed=True) for m, sign in signs.items())
                       for _, r in shipped.iterrows()]  # fmt: skip
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200):
        lines += [rows.to_string(index=False)]
    missed = [
        f"{r.package} ({r.missed})" for r in shipped.itertuples() if isinstance(r.missed, str) and r.missed
    ]
    if missed:
        lines += ["", wrap(w["missed"].format(names="; ".join(missed)), 100)]
    lines += ["", wrap(volume_text(volume, lang), 100), ""]
    if len(front):
        lines += [w["run"], f"  consortium-sim hydra.searchpath=[file://{folder.resolve() / 'packages'}] "
                  f"policy={chosen or front['point'].iloc[0]}", ""]  # fmt: skip
    return "\n".join(lines)


MAX_SHOWN = 20  # front packages printed; all of them are in search/front.csv and the report


def shown_points(front: pd.DataFrame, search: Any, chosen: str | None) -> np.ndarray:
    """Which front packages the printed table lists: all, up to :data:`MAX_SHOWN`;
    beyond, those no other beats on the answer's measures (its measure and the measures
    of ``where``: e.g. cost and health), evenly thinned to that many, and the answer.
    """
    if len(front) <= MAX_SHOWN:
        return np.ones(len(front), dtype=bool)
    answer = search.answer
    columns = [front[answer.measure].to_numpy(float) * (1.0 if answer.direction == "min" else -1.0)]
    for measure, target in answer.where.items():
        columns.append(front[measure].to_numpy(float) * (-1.0 if target.at_least is not None else 1.0))
    on = front_mask(np.column_stack(columns), np.ones(len(front), dtype=bool))
    picked = np.flatnonzero(on)
    if len(picked) > MAX_SHOWN:
        picked = picked[np.unique(np.linspace(0, len(picked) - 1, MAX_SHOWN).round().astype(int))]
    listed = np.zeros(len(front), dtype=bool)
    listed[picked] = True
    listed |= (front["point"] == chosen).to_numpy()
    return listed


def _axes(search: Any, lang: str) -> str:
    return ", ".join(label(m, lang) for m in dict.fromkeys([search.answer.measure, *search.answer.where]))


def _verdict(verdict: str, lang: str) -> str:
    if lang != "zh":
        return verdict
    for en, zh in VERDICTS_ZH.items():
        verdict = verdict.replace(en, zh)
    return verdict


def volume_text(volume: pd.DataFrame, lang: str) -> str:
    """How the hypervolume grew, and whether it has levelled off."""
    w = WORDS[lang]
    values = volume["hypervolume"].to_numpy(float)
    k = min(RECENT, len(values) - 1)
    before = values[-1 - k] if k > 0 else values[0]
    recent = (values[-1] - before) / before if before > 0 else 0.0
    text = w["volume"].format(first=values[0], last=values[-1], k=k, recent=recent)
    return text + " " + (w["levelled"] if recent < LEVELLED else w["rising"])


# ---------------------------------------------------------------- the end of a search
def finish(cfg: Any, folder: Path, result: Any, store: Any) -> pd.DataFrame:
    """Write what is missing of the tables, the packages and the report; print the answer."""
    frames = tables(cfg, result)
    if not outputs_sound(folder):
        write_tables(folder, frames)
        write_packages(cfg, folder, frames["front"])
    print(render(cfg, frames, folder, cfg.lang.name))
    if store.failed:
        print(f"{len(store.failed)} run(s) failed; see manifest.json 'failed'")
    from experiments.report.page import write_report_unless_sound

    write_report_unless_sound(cfg, folder, build)
    print(f"{WORDS[cfg.lang.name if cfg.lang.name in WORDS else 'en']['results']} {folder}")
    return frames["front"]


# ---------------------------------------------------------------- the report
def figure_front(frames: dict[str, pd.DataFrame], search: Any, lang: str, folder: Path) -> Path:
    """The first two objectives: every candidate, the front, the shipped packages."""
    import matplotlib.pyplot as plt

    from experiments.report.figures import PAGE_WIDTH, save_figure

    measures = list(search.objectives)
    x_m, y_m = (measures + measures)[1], measures[0]
    if "fiscal_cost" in measures:  # cost along the x axis, as a bureau reads a trade-off
        x_m, y_m = (
            "fiscal_cost",
            next(m for m in measures if m != "fiscal_cost") if len(measures) > 1 else measures[0],
        )
    scale = {m: (1e6 if m == "fiscal_cost" else 1.0) for m in measures}
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH * 0.8, PAGE_WIDTH * 0.55))
    c, f, s = frames["candidates"], frames["front"], frames["shipped"]
    ax.scatter(
        c[x_m] / scale[x_m], c[y_m], s=8, color="#BBBBBB", label="candidates" if lang == "en" else "候选"
    )
    ax.scatter(
        f[x_m] / scale[x_m],
        f[y_m],
        s=24,
        color="#4C72B0",
        label="front" if lang == "en" else "前沿",
        zorder=3,
    )
    for _, row in f.iterrows():
        ax.annotate(str(row["point"]).replace("front_", ""), (row[x_m] / scale[x_m], row[y_m]), fontsize=6,
                    xytext=(3, 3), textcoords="offset points")  # fmt: skip
    ax.scatter(s[x_m] / scale[x_m], s[y_m], s=30, marker="D", color="#DD8452",
               label="shipped" if lang == "en" else "现有政策包", zorder=4)  # fmt: skip
    for _, row in s.iterrows():
        ax.annotate(str(row["package"]), (row[x_m] / scale[x_m], row[y_m]), fontsize=6, color="#8B4513",
                    xytext=(3, -8), textcoords="offset points")  # fmt: skip
    ax.set_xlabel(label(x_m, lang) + (" (CNY m / yr)" if x_m == "fiscal_cost" and lang == "en" else
                                      "(百万元/年)" if x_m == "fiscal_cost" else ""))  # fmt: skip
    ax.set_ylabel(label(y_m, lang))
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    return save_figure(fig, folder, "front")


def figure_volume(volume: pd.DataFrame, lang: str, folder: Path) -> Path:
    """The front's hypervolume after each generation, against candidates evaluated."""
    import matplotlib.pyplot as plt

    from experiments.report.figures import PAGE_WIDTH, save_figure

    fig, ax = plt.subplots(figsize=(PAGE_WIDTH * 0.6, PAGE_WIDTH * 0.35))
    ax.plot(volume["evaluations"], volume["hypervolume"], marker="o", markersize=3, color="#4C72B0")
    ax.set_xlabel("candidates evaluated" if lang == "en" else "已评估候选数")
    ax.set_ylabel("hypervolume" if lang == "en" else "超体积")
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    return save_figure(fig, folder, "hypervolume")


def build(run_dir: Path, lang: str = "en") -> Path:
    """Write the search's report from its tables; return its report.html."""
    from experiments.report.figures import figure_style
    from experiments.report.page import report_folders, write_text_report
    from experiments.report.tables import write_table

    cfg = OmegaConf.load(run_dir / "config.yaml")
    lang = lang if lang in WORDS else "en"
    w = WORDS[lang]
    frames = read_tables(run_dir)
    out, figures, tabled = report_folders(run_dir, lang)
    search = cfg.experiment.search
    with figure_style(lang):
        pictures = [(w["fig_front"], figure_front(frames, search, lang, figures)),
                    (w["fig_volume"], figure_volume(frames["hypervolume"], lang, figures))]  # fmt: skip
    wanted = list(dict.fromkeys([*search.objectives, *search.constraints]))
    front = frames["front"][["point", *paths(search), *wanted, *[f"fresh_{m}" for m in wanted], "holds_up"]]
    shipped = frames["shipped"][["package", *search.objectives, "feasible", "verdict", "front_point",
                                 *[f"gain_{m}" for m in search.objectives], "missed"]]  # fmt: skip
    write_table(front, tabled, "front", "The front: packages found by the search")
    write_table(shipped, tabled, "shipped", "The shipped packages against the front")
    write_table(frames["hypervolume"], tabled, "hypervolume", "The front's hypervolume by generation")
    title = w["report_title"].format(city=cfg.city.name)
    text = render(cfg, frames, run_dir, lang)
    return write_text_report(run_dir, out, lang, title, text, front.round(4), pictures, w["config"])
