"""The ``consortium-report RUN_DIR [--lang zh]`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments.processes import run_interruptible
from experiments.report.writer import build
from experiments.store import StoreError, lock


def main() -> None:
    """Console entry point (Ctrl-C or SIGTERM: one line, status 130 or 143)."""
    run_interruptible("consortium-report", _main, "run the same command again to write the report")


def _main() -> None:
    parser = argparse.ArgumentParser(
        prog="consortium-report", description="Write RUN_DIR/report/ from a results folder."
    )
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--lang", default="en", help="en (report/) or zh (report/zh/)")
    args = parser.parse_args()
    if not (args.run_dir / "manifest.json").exists():
        print(
            f"consortium-report: error: {args.run_dir} is not a results folder (no manifest.json)",
            file=sys.stderr,
        )
        sys.exit(2)
    try:
        with lock(args.run_dir):  # not while a sweep writes the folder, nor two reports at once
            print(_build(args.run_dir, args.lang))
    except StoreError as error:  # the folder does not match its manifest
        print(f"consortium-report: error: {error}", file=sys.stderr)
        sys.exit(2)
    except SystemExit as error:  # a message for the user: bad input, exit status 2
        if not isinstance(error.code, str):
            raise
        print(error.code, file=sys.stderr)
        sys.exit(2)


def _build(run_dir: Path, lang: str) -> Path:
    """A region's report for a region's folder (``experiments.region_report``), a search's
    for a search's (``experiments.design_report``), a calibration's for a calibration's
    (``experiments.calibrate_report``), else a city's.
    """
    config = run_dir / "config.yaml"
    if config.exists():
        from omegaconf import OmegaConf

        loaded = OmegaConf.load(config)
        if str(OmegaConf.select(loaded, "experiment.name", default="")) == "design":
            from experiments.design_report import build as build_search

            return build_search(run_dir, lang)
        if str(OmegaConf.select(loaded, "experiment.name", default="")) == "calibrate":
            from experiments.calibrate_report import build as build_calibration

            return build_calibration(run_dir, lang)
        region = OmegaConf.select(loaded, "region.name", default="none")
        if str(region) != "none":
            from experiments.region_report import build as build_region

            return build_region(run_dir, lang)
    return build(run_dir, lang)
