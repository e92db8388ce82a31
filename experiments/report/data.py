"""What the report reads from a results folder: its tables, manifest and config."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from experiments.report.words import Text
from experiments.report_text import PACKAGES_ZH
from policies.packages import load_package


def load(run_dir: Path) -> dict:
    """The folder's tables and metadata."""
    manifest = json.loads((run_dir / "manifest.json").read_text())
    if manifest.get("experiment") == "validate":
        raise SystemExit(
            f"consortium-report: error: {run_dir} holds validation checks, not package runs; "
            "their report is validation.csv there (and docs/VALIDATION.md)"
        )
    if not (run_dir / "runs.parquet").exists():
        raise SystemExit(f"consortium-report: error: {run_dir} has no runs table (runs.parquet)")
    runs = pd.read_parquet(run_dir / "runs.parquet")
    if manifest.get("status") != "complete":
        raise SystemExit(
            f"consortium-report: error: {run_dir} is not complete (status {manifest.get('status')})"
        )
    columns = [
        "package",
        "scenario",
        "replicate",
        "year",
        "depth_0",
        "depth_1",
        "depth_2",
        "depth_3",
        "depth_4",
        "hollow_share",
        "mean_relevance",
        "money_active",
        "training_share",
    ]
    series = pd.read_parquet(run_dir / "series.parquet", columns=columns)
    order = list(dict.fromkeys(manifest.get("packages") or runs["package"]))
    return {"runs": runs, "series": series, "manifest": manifest, "packages": order}


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
