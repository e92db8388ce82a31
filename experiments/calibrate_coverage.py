"""Coverage of a calibration (issue 17): do its 90% intervals hold the truth 90% of the time.

Simulation-based calibration (Talts et al. 2018) of ``experiment=calibrate`` on the
config's own setup: a true parameter set is drawn from the priors; the model is run at it
once with a key no calibration uses (the real city: one realisation); its observations
are made as the indicators file's were (:meth:`policies.observed.Indicator.draw`: the
same units, standard errors and spread beyond chance); the sampler of
:mod:`experiments.calibrate` then calibrates to them (runs in this process and its
workers, not stored). Over many truths drawn from the priors, an exact posterior's 90%
intervals hold the truth 90% of the time; far fewer means intervals too narrow
(overconfident), far more too wide.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from experiments.calibrate import (
    HIGH,
    LOW,
    Priors,
    particle_design,
    particle_loglik,
    posterior_ess,
    posterior_weights,
    reached,
    smc,
    weighted_quantile,
)
from experiments.runner import chunked, execute
from policies.observed import Indicator, load_observed

TRUTH_BASE = 2_000_000_000  # scenario numbers of the truths' runs
CHECK_BASE = 100_000_000  # scenario numbers of a truth's calibration: CHECK_BASE * (truth + 1) + ...


def runs_of(cfg: Any, design: pd.DataFrame, replicates: int, workers: int) -> pd.DataFrame:
    """The runs of every scenario of ``design`` x ``replicates`` (in memory, not stored)."""
    items = [(int(s), r) for s in design["scenario"] for r in range(replicates)]
    chunks = chunked(items, 0)
    frames = [runs for _, runs, _, _ in execute(cfg, design, chunks, list(range(len(chunks))), workers)]
    return pd.concat(frames, ignore_index=True)


def observe(indicators: list[Indicator], run: Any, rng: np.random.Generator) -> list[Indicator]:
    """The indicators as the city of ``run`` would have shown them (the same design; the
    spread beyond chance estimated from these observations, as a file's is).
    """
    return [ind.with_observations(ind.draw(float(run[ind.measure]), rng)) for ind in indicators]


def coverage(cfg: Any, truths: int, seed: int, workers: int = 0) -> pd.DataFrame:
    """One row per truth and parameter: the truth, its posterior 90% interval, whether
    it holds the truth, and the sampler's generations, whether it reached the posterior
    and the posterior's effective sample.
    """
    from experiments.calibrate import observed_path

    settings = cfg.experiment.calibrate
    priors = Priors.of(settings.parameters)
    design_of = load_observed(observed_path(cfg))
    package = str(cfg.policy.name)
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 20]))
    true_x = priors.to_x(priors.draw(rng, truths))
    real = runs_of(cfg, particle_design(priors, true_x, TRUTH_BASE), 1, workers)
    real = real[real["package"] == package].set_index("scenario").sort_index()
    rows = []
    for t in range(truths):
        observed = observe(design_of, real.loc[TRUTH_BASE + t], rng)

        def evaluate(g: int, z: np.ndarray, t: int = t, observed: list[Indicator] = observed) -> np.ndarray:
            first = CHECK_BASE * (t + 1) + g * len(z)
            design = particle_design(priors, priors.to_x(z), first)
            runs = runs_of(cfg, design, int(cfg.experiment.replicates), workers)
            return particle_loglik(runs, observed, package, design["scenario"].to_numpy())

        generations = smc(priors, evaluate, settings, int(seed) * 1000 + t)
        x = priors.to_x(np.concatenate([g.z for g in generations]))
        w = np.concatenate(posterior_weights(generations))
        for j, path in enumerate(priors.paths):
            low, high = weighted_quantile(x[:, j], w, LOW), weighted_quantile(x[:, j], w, HIGH)
            rows.append({"truth": t, "parameter": path, "true": true_x[t, j], "q05": low, "q95": high,
                         "covered": bool(low <= true_x[t, j] <= high), "generations": len(generations),
                         "reached": reached(generations, settings),
                         "effective_sample": posterior_ess(generations)})  # fmt: skip
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """``python -m experiments.calibrate_coverage [TRUTHS] [override ...]``: the coverage
    of ``experiment=calibrate`` (with the overrides) over TRUTHS truths (default 30),
    printed per parameter and overall.
    """
    import sys

    from sim.mesa_config import compose_config

    args = list(sys.argv[1:] if argv is None else argv)
    truths = int(args.pop(0)) if args and args[0].isdigit() else 30
    cfg = compose_config("experiment=calibrate", *args)
    table = coverage(cfg, truths, seed=int(cfg.seed))
    print(table.round(4).to_string(index=False))
    by = table.groupby("parameter")["covered"].mean()
    print(f"\n90% intervals holding the truth, over {truths} truths drawn from the priors:")
    for parameter, share in by.items():
        print(f"  {parameter}: {share:.0%}")
    print(f"  all: {table['covered'].mean():.0%} of {len(table)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
