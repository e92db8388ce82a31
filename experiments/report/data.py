"""What the report reads from a results folder: its runs table, manifest and config, and
the yearly series one package at a time (:func:`yearly`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
from omegaconf import OmegaConf

from experiments.report.stats import SERIES_COLUMNS, Yearly, yearly_summary
from experiments.report.words import Text
from experiments.report_text import PACKAGES_ZH
from experiments.store import part_files, read_manifest, read_table
from policies.packages import load_package


def load(run_dir: Path) -> dict:
    """The folder's tables and metadata."""
    manifest = read_manifest(run_dir)
    if manifest.get("experiment") == "validate":
        raise SystemExit(
            f"consortium-report: error: {run_dir} holds validation checks, not package runs; "
            "their report is validation.csv there (and docs/VALIDATION.md)"
        )
    if not (run_dir / "runs.parquet").exists():
        raise SystemExit(f"consortium-report: error: {run_dir} has no runs table (runs.parquet)")
    if manifest.get("status") != "complete":
        raise SystemExit(
            f"consortium-report: error: {run_dir} is not complete (status {manifest.get('status')})"
        )
    runs = read_table(run_dir, "runs")  # checked against the manifest
    order = list(dict.fromkeys(manifest.get("packages") or runs["package"]))
    return {"runs": runs, "manifest": manifest, "packages": order}


def yearly(run_dir: Path, packages: list[str], runs: pd.DataFrame, baseline: str = "none") -> Yearly:
    """The figures' yearly numbers (``stats.Yearly``), reading the series one package at a
    time: the report's memory does not grow with the number of runs' series rows.
    """
    table = series_dataset(run_dir)
    return yearly_summary(lambda name: package_rows(table, name), packages, runs, baseline)


def series_dataset(run_dir: Path) -> ds.Dataset:
    """The folder's yearly series (the part files its manifest lists, checked against
    it), to be read in pieces.
    """
    return ds.dataset([str(path) for path in part_files(run_dir, "series")], format="parquet")


def package_rows(table: ds.Dataset, name: str) -> pd.DataFrame:
    """One package's series rows, the columns the figures read."""
    return table.to_table(columns=SERIES_COLUMNS, filter=ds.field("package") == name).to_pandas()


def experiment_settings(run_dir: Path) -> dict:
    """Targets, the regret measure and the selected policy, from the folder's config.yaml."""
    path = run_dir / "config.yaml"
    config = OmegaConf.to_container(OmegaConf.load(path)) if path.exists() else {}
    config = config if isinstance(config, dict) else {}
    experiment = config.get("experiment", {}) or {}
    return {
        "targets": experiment.get("targets") or {},
        "regret_measure": experiment.get("regret_measure", "deep_share"),
        "policy": config.get("policy") or {},
        "counterfactual": experiment.get("counterfactual", "none"),
    }


def descriptions(packages: list[str], own: dict, tx: Text) -> dict[str, str]:
    """Each package's description: the folder's own policy, else the shipped preset's."""
    found = {}
    for name in packages:
        if tx.lang == "zh" and name in PACKAGES_ZH:
            found[name] = PACKAGES_ZH[name][1]
        elif own.get("name") == name:
            found[name] = str(own.get("description", ""))
        else:
            try:
                found[name] = str(load_package(name).description)
            except Exception:  # a package of the user's own that is not shipped
                found[name] = ""
    return found
