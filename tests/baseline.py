"""The pinned baseline: exact run summaries for fixed seeds (as Starsim's ``tests/baseline.yaml``).

Every city preset meets a few packages and a few variants of the behaviour (imitation,
the payoff effort rule, a phase-out), two replicates each, over 12 years. For each run
the file keeps every number of its run-summary row, written as the shortest repr that
reads back to the same float, and a SHA-256 of its whole yearly series, so that a
change anywhere in the model shows. ``tests/test_baseline.py`` checks the model against
it; nothing but a deliberate model change may alter it.

Regenerate only when a model change is meant, and say why in the commit (docs/ODD.md
and docs/VALIDATION.md say what changed)::

    python -m tests.baseline --write
"""

from __future__ import annotations

import argparse
import hashlib
import math
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from experiments.validation_cases import compose_cfg
from sim.api import simulate

PATH = Path(__file__).with_name("baseline.yaml")
YEARS = 12
REPLICATES = (0, 1)
PACKAGES = "[none,membership_grant,outcome_based,jczt,taicang_dual]"
CITIES = ("small", "suzhou_robotics", "taicang_dual", "weifang_agri")
# Paths of the model the city x package grid does not take (name -> overrides).
VARIANTS: dict[str, tuple[str, ...]] = {
    "imitation": ("city=suzhou_robotics", "behaviour.decision_rule=imitation"),
    "payoff_effort": ("city=small", "city.government.effort_rule=payoff"),
    "imitating_government": (
        "city=small",
        "behaviour.decision_rule=imitation",
        "city.government.effort_rule=imitation",
    ),
    "phase_out": ("city=small", "experiment.phase_out_year=6"),
    "no_inertia_no_learning": ("city=small", "behaviour.inertia=false", "behaviour.learning=false"),
}


def cases() -> dict[str, tuple[str, ...]]:
    """Every case of the baseline: its name and its Hydra overrides."""
    out = {f"city_{city}": (f"city={city}",) for city in CITIES}
    out.update({f"variant_{name}": overrides for name, overrides in VARIANTS.items()})
    return out


def _number(value: Any) -> Any:
    """A YAML-safe exact value: bools and ints as they are, floats as repr strings."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    value = float(value)
    return "nan" if math.isnan(value) else repr(value)


def compute(overrides: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Run one case; return ``{package/replicate: {measure: exact value, series_sha256: ...}}``."""
    cfg = compose_cfg(f"years={YEARS}", f"experiment.packages={PACKAGES}", *overrides)
    runs, series = simulate(cfg, seeds=REPLICATES)
    out: dict[str, dict[str, Any]] = {}
    for _, row in runs.iterrows():
        name = f"{row['package']}/{row['replicate']}"
        mine = series[(series["package"] == row["package"]) & (series["replicate"] == row["replicate"])]
        values = mine.drop(columns=["package"]).to_numpy(dtype=np.float64)
        entry = {k: _number(v) for k, v in row.items() if k != "package"}
        entry["series_sha256"] = hashlib.sha256(np.ascontiguousarray(values).tobytes()).hexdigest()
        out[name] = entry
    return out


def compute_all() -> dict[str, Any]:
    """The whole baseline, as written to ``tests/baseline.yaml``."""
    return {name: {"overrides": list(o), "runs": compute(o)} for name, o in cases().items()}


def load() -> dict[str, Any]:
    """The pinned baseline."""
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))


def main() -> None:
    """``python -m tests.baseline --write``: regenerate the pinned baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="overwrite tests/baseline.yaml")
    args = parser.parse_args()
    if not args.write:
        parser.error("nothing to do: pass --write to regenerate tests/baseline.yaml")
    header = (
        "# The pinned baseline (tests/baseline.py). Regenerate only for a deliberate model\n"
        "# change, with the reason in the commit: python -m tests.baseline --write\n"
    )
    PATH.write_text(header + yaml.safe_dump(compute_all(), sort_keys=True, allow_unicode=True), "utf-8")
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
