"""The report's page, as Markdown (figures linked) and as one self-contained HTML file
(figures embedded).
"""

from __future__ import annotations

import base64
import html
import json
from typing import Any

import pandas as pd

from experiments.report.stats import shown, tied_with_best
from experiments.report.tables import ce_rows, html_rows, markdown_rows, verdict_rows
from experiments.report.words import Text


def _summary(data: dict, ranked: pd.DataFrame, efficient: list[str], tx: Text) -> str:
    manifest = data["manifest"]
    best = ranked.iloc[0]
    return (
        tx["summary"].format(
            city=manifest.get("city"),
            experiment=manifest.get("experiment"),
            runs=manifest.get("run_count"),
            failed=manifest.get("failed_runs", 0),
            best=tx.package(best["package"]),
            healthy=f"{best['healthy_share']:.0%}",
            modes=f"{best['failure_modes_per_run']:.2f}",
            cost=f"{best['fiscal_cost_cny_m']:.2f}",
            efficient=", ".join(tx.package(p) for p in efficient),
        )
        + (f" {tx['none_healthy']}" if best["healthy_share"] == 0 else "")
        + _targets(data.get("targets") or {}, ranked, tx)
        + _ties(ranked, tx)
    )


def _targets(targets: dict, ranked: pd.DataFrame, tx: Text) -> str:
    """The experiment's targets, and which packages miss them (ranked after the others)."""
    if not targets:
        return ""
    bounds = [(measure, bound, value) for measure, target in targets.items()
              for bound, value in target.items() if value is not None]  # fmt: skip
    stated = "; ".join(f"{measure} {tx[bound]} {shown(measure, value)}" for measure, bound, value in bounds)
    text = f" {tx['targets'].format(targets=stated)}"
    missing = ranked[~ranked["meets_targets"]]
    if len(missing) == len(ranked):
        return f"{text} {tx['targets_none']}"
    if len(missing):
        listed = "; ".join(f"{tx.package(r['package'])} ({r['missed']})" for _, r in missing.iterrows())
        text += f" {tx['targets_missed'].format(packages=listed)}"
    return text


def _ties(ranked: pd.DataFrame, tx: Text) -> str:
    """The packages whose healthy share the data cannot tell from the best's (p >= 0.05),
    and the cheapest of them all.
    """
    tied = tied_with_best(ranked)
    others = [tx.package(name) for name in tied["package"] if name != ranked.iloc[0]["package"]]
    if not others:
        return ""
    cheapest = tied.iloc[0]
    return (f" {tx['tied'].format(packages=', '.join(others))} "
            + tx["cheapest_tied"].format(package=tx.package(cheapest["package"]),
                                         cost=f"{cheapest['fiscal_cost_cny_m']:.2f}"))  # fmt: skip


def _provenance(data: dict, tx: Text) -> str:
    m = data["manifest"]
    text = tx["provenance"].format(
        commit=m.get("git_commit"),
        seed=m.get("seeds", {}).get("seed"),
        runs=m.get("run_count"),
        failed=m.get("failed_runs", 0),
        versions=json.dumps(m.get("versions", {})),
    )
    if m.get("roster"):  # a city from the consortium's own files: what they gave, what was drawn
        text += " " + (
            m["roster"] if tx.lang != "zh" else f"城市名册(未给出的列按预设分布抽取):{m['roster']}"
        )
    failed = m.get("failed") or []
    if failed:
        listed = "; ".join(
            f"scenario {f.get('scenario')} replicate {f.get('replicate')}" for f in failed[:10]
        )
        text += f" Failed: {listed}{' ...' if len(failed) > 10 else ''}."
    return text


def _box_lines(boxes: pd.DataFrame | None, tx: Text) -> list[str]:
    if boxes is None or not len(boxes):
        return []
    return [
        tx["boxes_item"].format(
            package=tx.package(str(r.package)),
            mode=r.failure_mode,
            where=tx["everywhere"] if r.where == tx["everywhere"] else tx["where"].format(limits=r.where),
            density=f"{r.density:.0%}",
            coverage=f"{r.coverage:.0%}",
        )
        for r in boxes.itertuples()
    ]


def markdown(
    data: dict, ranked: pd.DataFrame, ce: pd.DataFrame, efficient: list[str], pictures: list, tx: Text
) -> str:
    """The report as Markdown (figures linked)."""
    table = markdown_rows(verdict_rows(ranked, tx))
    described = "\n".join(
        f"- **{tx.package(p)}**{'' if tx.package(p) == p else f' (`{p}`)'}: {d}"
        for p, d in data["descriptions"].items()
    )
    modes_md = markdown_rows(data["failures"])
    figs = "\n\n".join(f"![{title}](figures/{path.name})" for title, path in pictures)
    boxes = _box_lines(data.get("boxes"), tx)
    where = f"## {tx['boxes_heading']}\n\n" + "\n".join(f"- {b}" for b in boxes) + "\n\n" if boxes else ""
    lasting = f"{tx['persistence_note']}\n\n" if len(data.get("lasting", [])) else ""
    return (
        f"# {tx['title']}\n\n{tx['question']}\n\n{_summary(data, ranked, efficient, tx)}\n\n"
        f"## {tx['packages_heading']}\n\n{described}\n\n"
        f"## {tx['verdict_heading']}\n\n{tx['verdict_note']}\n\n{table}\n\n"
        f"## {tx['evidence_heading']}\n\n### {tx['failures_table']}\n\n{modes_md}\n\n{figs}\n\n"
        f"{lasting}### {tx['ce_heading']}\n\n{markdown_rows(ce_rows(ce, tx))}\n\n{tx['ce_note']}\n\n{where}"
        f"## {tx['provenance_heading']}\n\n{_provenance(data, tx)} {tx['config_note']}\n"
    )


def html_page(
    data: dict, ranked: pd.DataFrame, ce: pd.DataFrame, efficient: list[str], pictures: list, tx: Text
) -> str:
    """The report as one self-contained HTML page (figures embedded)."""
    esc = html.escape
    verdict_html = html_rows(verdict_rows(ranked, tx))
    described = "".join(
        f"<li><b>{esc(tx.package(p))}</b>{'' if tx.package(p) == p else f' (<code>{esc(p)}</code>)'}: "
        f"{esc(d)}</li>"
        for p, d in data["descriptions"].items()
    )
    modes_html = html_rows(data["failures"], "modes")
    images = "".join(
        f"<h3>{esc(title)}</h3><img alt='{esc(title)}' style='max-width:100%' "
        f"src='data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()}'/>"
        for title, path in pictures
    )
    ce_html = html_rows(ce_rows(ce, tx), "modes")  # package first: aligned as the modes table
    boxes = _box_lines(data.get("boxes"), tx)
    where = (
        f"<h3>{esc(tx['boxes_heading'])}</h3><ul>" + "".join(f"<li>{esc(b)}</li>" for b in boxes) + "</ul>"
    )
    lasting = f"<p>{esc(tx['persistence_note'])}</p>" if len(data.get("lasting", [])) else ""
    return (
        f"<!doctype html><html lang='{tx.lang}'><head><meta charset='utf-8'><title>{esc(tx['title'])}</title>"
        f"<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}}"
        f"table{{border-collapse:collapse}}"
        f"td,th{{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}}"
        f"td:nth-child(2),th:nth-child(2){{text-align:left}}"
        f"table.modes td:first-child,table.modes th:first-child{{text-align:left}}"
        f"table.modes td:nth-child(2),table.modes th:nth-child(2){{text-align:right}}</style></head><body>"
        f"<h1>{esc(tx['title'])}</h1><p>{esc(tx['question'])}</p>"
        f"<p>{esc(_summary(data, ranked, efficient, tx))}</p>"
        f"<h2>{esc(tx['packages_heading'])}</h2><ul>{described}</ul>"
        f"<h2>{esc(tx['verdict_heading'])}</h2><p>{esc(tx['verdict_note'])}</p>"
        f"{verdict_html}<h2>{esc(tx['evidence_heading'])}</h2>"
        f"<h3>{esc(tx['failures_table'])}</h3>{modes_html}{images}{lasting}"
        f"<h3>{esc(tx['ce_heading'])}</h3>{ce_html}{where if boxes else ''}"
        f"<h2>{esc(tx['provenance_heading'])}</h2><p>{esc(_provenance(data, tx))}</p>"
        f"<details><summary>{esc(tx['config_summary'])}</summary><pre>{esc(data['config_text'])}</pre></details>"
        "</body></html>"
    )


def embedded_figure(caption: str, path: Any) -> str:
    """A PNG as an HTML figure, embedded (the page stands alone)."""
    data = base64.b64encode(path.read_bytes()).decode()
    return (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}" '
            f'style="max-width:100%"><figcaption>{html.escape(caption)}</figcaption></figure>')  # fmt: skip


def standalone_page(title: str, lang: str, body: list[str], width_em: int = 60) -> str:
    """A self-contained HTML page (a region's or a search's report)."""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            f"<style>body{{font-family:sans-serif;max-width:{width_em}em;margin:auto}}"
            "table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd}</style>"
            "</head><body>" + "\n".join(body) + "</body></html>")  # fmt: skip


def report_folders(run_dir: Any, lang: str) -> tuple[Any, Any, Any]:
    """A report's folder (``report/``, or ``report/<lang>/``) and its ``figures/`` and
    ``tables/``, made.
    """
    out = run_dir / "report" if lang == "en" else run_dir / "report" / lang
    for folder in (out / "figures", out / "tables"):
        folder.mkdir(parents=True, exist_ok=True)
    return out, out / "figures", out / "tables"


def write_text_report(run_dir: Any, out: Any, lang: str, title: str, text: str, table: pd.DataFrame,
                      pictures: list[tuple[str, Any]], config_heading: str) -> Any:  # fmt: skip
    """A search's or a calibration's report: its printed text, a table, the figures and
    the configuration, as ``report.md`` and a self-contained ``report.html``, recorded in
    the manifest. Returns the page's path.
    """
    from experiments.report.tables import markdown_table
    from experiments.store import atomic_write_text, record_artefacts

    config_text = (run_dir / "config.yaml").read_text()
    md = [f"# {title}", "", "```", text, "```", "", markdown_table(table), ""]
    for caption, path in pictures:
        md += [f"![{caption}](figures/{path.name})", ""]
    md += [f"## {config_heading}", "", "```yaml", config_text, "```", ""]
    atomic_write_text(out / "report.md", "\n".join(md))
    body = [f"<h1>{html.escape(title)}</h1>", f"<pre>{html.escape(text)}</pre>",
            table.to_html(index=False, escape=True)]  # fmt: skip
    body += [embedded_figure(caption, path) for caption, path in pictures]
    body += [f"<h2>{html.escape(config_heading)}</h2>", f"<pre>{html.escape(config_text)}</pre>"]
    atomic_write_text(out / "report.html", standalone_page(title, lang, body, width_em=70))
    record_artefacts(run_dir, out.relative_to(run_dir).as_posix(), skip=("zh",) if lang == "en" else ())
    return out / "report.html"


def write_report_unless_sound(cfg: Any, folder: Any, build: Any) -> None:
    """``build(folder, lang)`` the experiment's report unless it is not wanted or the
    manifest records it whole; a failure is one line (the results are complete; the
    report can be redone alone with consortium-report).
    """
    import sys

    from experiments.store import artefacts_sound

    lang = cfg.lang.name
    group = "report" if lang == "en" else f"report/{lang}"
    if not cfg.experiment.report or artefacts_sound(folder, group):
        return
    try:
        print("Writing the report ...", file=sys.stderr, flush=True)
        print(f"Report: {build(folder, lang)}")
    except Exception as error:  # the results are complete; the report can be redone alone
        print(f"consortium-sim: the report failed ({type(error).__name__}: {error}); results are "
              f"complete, retry: consortium-report {folder}", file=sys.stderr)  # fmt: skip
