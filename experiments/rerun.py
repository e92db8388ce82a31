"""Re-run one run of a results folder alone, to see its error in full.

python -m experiments.rerun RUN_DIR SCENARIO REPLICATE
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from experiments.designs import apply_scenario
from policies.schema import Config
from sim.api import prepare, run_item


def rerun(folder: Path, scenario: int, replicate: int) -> pd.DataFrame:
    """Reproduce the runs of one (scenario, replicate) from the stored config and design."""
    cfg = OmegaConf.merge(OmegaConf.structured(Config), OmegaConf.load(folder / "config.yaml"))
    design = pd.read_parquet(folder / "design.parquet")
    row = design[(design["scenario"] == scenario)].drop(columns=["replicate", "seed", "run_key"]).iloc[0]
    scenario_cfg = apply_scenario(cfg, {str(k): v for k, v in row.to_dict().items()})
    rows, _ = run_item(scenario_cfg, prepare(scenario_cfg), scenario, replicate)
    return pd.DataFrame(rows)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    print(rerun(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])).T.to_string())
