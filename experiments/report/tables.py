"""The report's tables: written (CSV and LaTeX booktabs) and for reading (rows of text,
as Markdown or HTML).
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.report.words import Text
from experiments.report_text import MODES
from experiments.store import atomic_write_text


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
    atomic_write_text(folder / f"{name}.csv", frame.to_csv(index=False))
    atomic_write_text(folder / f"{name}.tex", to_latex(frame, caption))


def markdown_rows(rows: list[list[str]]) -> str:
    """Header and rows as a Markdown table."""
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows[1:]])


def html_rows(rows: list[list[str]], css: str = "") -> str:
    """Header and rows as an HTML table."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    return f"<table{f' class={css!r}' if css else ''}><tr>{head}</tr>{body}</table>"


def p_value(p: float) -> str:
    """A p-value in one style: two decimals, '< 0.001' below that (never 1.2e-07 beside 1)."""
    if not np.isfinite(p):
        return "-"
    return "< 0.001" if p < 0.001 else f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


def verdict_rows(ranked: pd.DataFrame, tx: Text) -> list[list[str]]:
    """Header and rows of the verdict table for reading."""
    keys = ("rank", "package", "healthy", "modes_per_run", "p_vs_best", "deep", "in_field_local", "cost")
    return [[tx[k] for k in keys]] + [
        [
            str(r["rank"]),
            tx.package(r["package"]),
            f"{r['healthy_share']:.0%} ({r['healthy_low']:.0%}-{r['healthy_high']:.0%})",
            f"{r['failure_modes_per_run']:.2f}",
            "-" if r["rank"] == 1 else p_value(r["p_vs_best"]),
            f"{r['deep_share']:.1%} ({r['deep_low']:.1%}-{r['deep_high']:.1%})",
            f"{r['in_field_local_rate']:.0%}",
            f"{r['fiscal_cost_cny_m']:.2f}",
        ]
        for _, r in ranked.iterrows()
    ]


def failure_grid(rates: pd.DataFrame, packages: list[str], tx: Text) -> list[list[str]]:
    """Header and rows: each package's failure-mode rates with their 95% intervals."""
    grid = rates.set_index(["package", "mode"])
    rows = [[tx["package"], *(tx.mode(m, short=False) for m in MODES["en"])]]
    for name in packages:
        cells = [grid.loc[(name, m), ["rate", "low", "high"]].to_numpy(float) for m in MODES["en"]]
        rows.append([tx.package(name), *(f"{r:.0%} ({lo:.0%}-{hi:.0%})" for r, lo, hi in cells)])
    return rows


def ce_rows(ce: pd.DataFrame, tx: Text) -> list[list[str]]:
    """Header and rows of the cost-effectiveness table for reading: each cost with its 95%
    interval, or a sentence where the runs show no extra to divide by (see
    experiments/report/stats.py::cost_effectiveness); deadweight as median (quartiles).
    """

    def cost(row: pd.Series, extra: str, column: str, unseen: str) -> str:
        value, low, high = (row[f"{column}{k}"] for k in ("", "_low", "_high"))
        if row[f"no_detectable_{extra}"] or not np.isfinite([value, low, high]).all():
            return tx[unseen]
        return f"{value:,.0f} ({low:,.0f}-{high:,.0f})"

    def spread(row: pd.Series, column: str) -> str:
        mid, low, high = (row[f"{column}_{k}"] for k in ("median", "q25", "q75"))
        return "-" if not np.isfinite(mid) else f"{mid:.0%} ({low:.0%}-{high:.0%})"

    rows = [[tx["package"], tx["ce_deep"], tx["ce_graduate"], tx["ce_deadweight"]]]
    for _, r in ce.iterrows():
        rows.append([
            tx.package(r["package"]),
            cost(r, "additional_deep_member_years", "cost_per_additional_deep_member_cny", "ce_no_deep"),
            cost(r, "additional_in_field_local_graduates", "cost_per_additional_in_field_graduate_cny",
                 "ce_no_graduates"),
            spread(r, "deadweight_share"),
        ])  # fmt: skip
    return rows


def markdown_table(frame: pd.DataFrame) -> str:
    """A table as Markdown rows."""
    columns = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)
