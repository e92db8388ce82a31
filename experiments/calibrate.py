"""``experiment=calibrate``: fit a city's parameters to what its consortium observed
(issue 17), through the runner and the crash-safe store.

The method: sequential Monte Carlo over a tempered posterior (population Monte Carlo:
adaptive importance sampling, as ABC-SMC but with a likelihood instead of a tolerance;
Del Moral, Doucet and Jasra 2006). A particle is one value of every parameter; its
``experiment.replicates`` runs (with their own keys) give the likelihood of the observed
indicators (:func:`policies.observed.smoothed_log_likelihood`): the mean over the runs of
the data's exact likelihood at each run's measures (binomial or beta-binomial shares,
Poisson or negative-binomial counts, normal means; the spread beyond chance from the
data, never from the simulation), each measure smoothed by a Gaussian kernel of its runs'
normal-reference bandwidth. The mean over runs integrates over the model's randomness
(the real city is one realisation of it).

- Generation 0 draws the particles from the priors.
- Each generation is weighted by ``prior x likelihood^beta / proposal``; ``beta`` (from 0
  to 1) rises by the largest step that keeps ``ess_share`` of the particles' conditional
  effective sample.
- The next generation is drawn from a kernel density of the weighted particles
  (``scipy.stats.gaussian_kde`` with the weights, Scott's bandwidth), mixed with the
  prior (``defensive_share``) so no part of the prior's support is left unproposed
  (Hesterberg 1995), all in an unbounded space: each parameter's prior quantile through
  the logit, in which every prior is the standard logistic.
- Once ``beta`` is 1, generations go on at 1 until, pooled (each an importance sample
  of the posterior, weighted by its effective sample), their effective sample is
  ``ess_share`` of a generation's particles: the posterior, whose weighted particles
  give the intervals. Then ``predictive_draws`` particles resampled from it are run on
  fresh keys: the posterior predictive checks.

Every generation is a block of chunks of the ordinary store (its particles are the
block's scenarios, their values stamped on each run), so a calibration killed at any
moment resumes with the same command: each generation is drawn again from the same seed
and the stored numbers of the generations before, checked against the values its stored
runs carry, and the numbers are always read back from the store.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.runner import chunked, dask_client, run_chunk, stored_block, warm_up
from experiments.store import ChunkStore, StoreError, write_config
from policies.observed import X_PREFIX, Indicator, load_observed, smoothed_log_likelihood

PREDICTIVE_BASE = 1_000_000_000  # scenario numbers of the posterior predictive runs (keys no generation uses)
LOW, HIGH = 0.05, 0.95  # the posterior intervals: 90%


# ---------------------------------------------------------------- priors
@dataclass(frozen=True)
class Priors:
    """The parameters' priors, each mapped to the real line: ``z = logit(F(x))`` with
    ``F`` its prior distribution function on [low, high], so that every prior is the
    standard logistic in ``z`` and any ``z`` is a value inside the bounds.
    """

    paths: tuple[str, ...]
    specs: tuple[dict[str, Any], ...]

    @staticmethod
    def of(parameters: Any) -> Priors:
        """The priors of ``experiment.calibrate.parameters`` (path -> Prior), by path."""
        names = sorted(str(p) for p in parameters)
        specs = []
        for name in names:
            spec = parameters[name]
            specs.append(
                {
                    key: (
                        None if spec[key] is None else (str(spec[key]) if key == "kind" else float(spec[key]))
                    )
                    for key in ("kind", "low", "high", "mean", "sd")
                }
            )
        return Priors(tuple(names), tuple(specs))

    @property
    def dimension(self) -> int:
        """The number of parameters."""
        return len(self.paths)

    def _frozen(self, j: int) -> Any:
        from scipy import stats

        spec = self.specs[j]
        low, high = spec["low"], spec["high"]
        if spec["kind"] == "uniform":
            return stats.uniform(loc=low, scale=high - low)
        if spec["kind"] == "loguniform":
            return stats.loguniform(low, high)
        mean, sd = spec["mean"], spec["sd"]
        return stats.truncnorm((low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd)

    def to_x(self, z: np.ndarray) -> np.ndarray:
        """Parameter values of particles ``z`` (n x d), each inside its bounds."""
        from scipy.special import expit

        u = np.clip(expit(z), 1e-12, 1.0 - 1e-12)
        x = np.column_stack([self._frozen(j).ppf(u[:, j]) for j in range(self.dimension)])
        low = np.array([s["low"] for s in self.specs])
        high = np.array([s["high"] for s in self.specs])
        return np.clip(x, low, high)

    def to_z(self, x: np.ndarray) -> np.ndarray:
        """The particles of parameter values ``x`` (n x d)."""
        from scipy.special import logit

        u = np.column_stack([self._frozen(j).cdf(x[:, j]) for j in range(self.dimension)])
        return logit(np.clip(u, 1e-12, 1.0 - 1e-12))

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` particles from the priors."""
        return rng.logistic(size=(n, self.dimension))

    def log_density(self, z: np.ndarray) -> np.ndarray:
        """The priors' log density at each particle (standard logistic in every ``z``)."""
        a = np.abs(z)
        return np.sum(-a - 2.0 * np.log1p(np.exp(-a)), axis=1)

    def moments(self) -> tuple[np.ndarray, np.ndarray]:
        """Each prior's mean and standard deviation in the parameter's own units."""
        frozen = [self._frozen(j) for j in range(self.dimension)]
        return np.array([float(f.mean()) for f in frozen]), np.array([float(f.std()) for f in frozen])


# ---------------------------------------------------------------- the sampler
@dataclass
class Generation:
    """One generation: particles ``z`` (n x d), the proposal's log density at each,
    their log-likelihood estimates, the tempering ``beta`` and the normalised log weights
    of the target at it.
    """

    z: np.ndarray
    log_q: np.ndarray
    loglik: np.ndarray
    beta: float
    log_weight: np.ndarray

    @property
    def weights(self) -> np.ndarray:
        """The normalised weights."""
        return np.exp(self.log_weight)

    @property
    def ess(self) -> float:
        """The effective sample size of the weights (Kish)."""
        return effective_sample(self.log_weight)


def effective_sample(log_w: np.ndarray) -> float:
    """Kish's effective sample size of (unnormalised) log weights; 0 if all are zero."""
    finite = log_w[np.isfinite(log_w)]
    if not finite.size:
        return 0.0
    w = np.exp(finite - finite.max())
    return float(w.sum() ** 2 / np.sum(w * w))


def target_log_weights(
    log_prior: np.ndarray, log_q: np.ndarray, loglik: np.ndarray, beta: float
) -> np.ndarray:
    """Normalised log weights of ``prior x likelihood^beta / proposal``; a particle whose
    likelihood is zero has weight zero at every ``beta`` (it cannot have made the data).
    """
    with np.errstate(invalid="ignore"):
        raw = np.where(np.isfinite(loglik), log_prior - log_q + beta * loglik, -np.inf)
    if not np.isfinite(raw).any():
        return raw
    from scipy.special import logsumexp

    return raw - logsumexp(raw)


def temper(
    log_prior: np.ndarray, log_q: np.ndarray, loglik: np.ndarray, beta_before: float, ess_target: float
) -> float:
    """The next tempering: the largest ``beta`` in [beta_before, 1] whose step keeps a
    conditional effective sample of at least ``ess_target`` (Zhou, Johansen and Aston
    2016: the weights at ``beta_before`` times the step's likelihood increments), so the
    step depends on how much the data say, not on how good the proposal was.
    """
    from scipy.optimize import brentq
    from scipy.special import logsumexp

    log_w = target_log_weights(log_prior, log_q, loglik, beta_before)
    alive = np.isfinite(log_w)
    log_w, ll = log_w[alive], loglik[alive]
    n = len(loglik)

    def short(step: float) -> float:
        cess = n * math.exp(2.0 * logsumexp(log_w + step * ll) - logsumexp(log_w + 2.0 * step * ll))
        return cess - ess_target

    room = 1.0 - beta_before
    if room <= 0.0 or short(room) >= 0.0:
        return 1.0
    return beta_before + float(brentq(short, 0.0, room, xtol=1e-6))


def propose(
    before: Generation, priors: Priors, n: int, defensive: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` particles from the weighted kernel density of ``before`` mixed with the
    prior (share ``defensive``), and the mixture's log density at each.
    """
    from scipy.special import logsumexp
    from scipy.stats import gaussian_kde

    keep = before.weights > 0.0
    kde = gaussian_kde(before.z[keep].T, weights=before.weights[keep])
    from_prior = rng.random(n) < defensive
    z = np.empty((n, priors.dimension))
    z[from_prior] = priors.draw(rng, int(from_prior.sum()))
    k = int((~from_prior).sum())
    if k:
        z[~from_prior] = kde.resample(k, seed=rng).T
    log_q = logsumexp(
        np.column_stack([np.log(defensive) + priors.log_density(z), np.log1p(-defensive) + kde.logpdf(z.T)]),
        axis=1,
    )
    return z, log_q


def generation_rng(seed: int, generation: int) -> np.random.Generator:
    """The random numbers of one generation's proposal."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), 17, generation]))


def predictive_rng(seed: int) -> np.random.Generator:
    """The random numbers of the predictive draws and their observations."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), 18]))


def smc(
    priors: Priors,
    evaluate: Callable[[int, np.ndarray], np.ndarray],
    settings: Any,
    seed: int,
    say: Callable[[int, Generation], None] | None = None,
) -> list[Generation]:
    """The generations of the sampler until those at ``beta`` 1 hold the posterior
    (:func:`reached`; or ``settings.generations`` are spent). ``evaluate(generation,
    z)`` gives each particle's log-likelihood estimate.
    """
    n = int(settings.particles)
    target = float(settings.ess_share) * n
    found: list[Generation] = []
    beta = 0.0
    for g in range(int(settings.generations)):
        rng = generation_rng(seed, g)
        if not found:
            z = priors.draw(rng, n)
            log_q = priors.log_density(z)
        else:
            z, log_q = propose(found[-1], priors, n, float(settings.defensive_share), rng)
        loglik = np.asarray(evaluate(g, z), dtype=float)
        if not np.isfinite(loglik).any():
            raise StoreError(
                f"generation {g}: no particle's runs could have given the observed indicators (every "
                "likelihood is zero: a measure the runs leave undefined?); check the indicators and priors"
            )
        log_prior = priors.log_density(z)
        beta = temper(log_prior, log_q, loglik, beta, target)
        found.append(Generation(z, log_q, loglik, beta, target_log_weights(log_prior, log_q, loglik, beta)))
        if say is not None:
            say(g, found[-1])
        if reached(found, settings):
            break
    return found


def posterior_weights(generations: list[Generation]) -> list[np.ndarray]:
    """Each generation's particles' weights in the posterior: the generations at ``beta``
    1, each an importance sample of it, pooled with weights in proportion to their
    effective samples (zero for a tempered generation); summing to 1 over all. Before
    ``beta`` reaches 1, the last generation's weights (a tempered posterior, wider).
    """
    final = [g.beta >= 1.0 for g in generations]
    if not any(final):  # not reached: the last tempered generation stands in (said as such)
        final[-1] = True
    total = sum(g.ess for g, on in zip(generations, final, strict=True) if on)
    return [g.weights * (g.ess / total) if on and total > 0 else np.zeros(len(g.z))
            for g, on in zip(generations, final, strict=True)]  # fmt: skip


def posterior_ess(generations: list[Generation]) -> float:
    """The effective sample of the pooled posterior (0 before any generation at beta 1)."""
    if generations[-1].beta < 1.0:
        return 0.0
    with np.errstate(divide="ignore"):
        return effective_sample(np.log(np.concatenate(posterior_weights(generations))))


def reached(generations: list[Generation], settings: Any) -> bool:
    """Whether the generations hold the posterior: those at ``beta`` 1, pooled, have an
    effective sample of at least ``ess_share`` of a generation's particles (a small one
    makes the intervals' ends, weighted quantiles, too close together).
    """
    return posterior_ess(generations) >= float(settings.ess_share) * len(generations[0].z)


def resample(weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Systematic resampling: ``n`` indices drawn in proportion to ``weights``."""
    positions = (rng.random() + np.arange(n)) / n
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, positions, side="right")


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of weighted ``values`` (the inverse of the weighted distribution
    function, each value carrying its weight at its midpoint).
    """
    held = weights > 0.0  # a value without weight is not in the distribution
    values, weights = values[held], weights[held]
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order] / weights.sum()
    midpoints = np.cumsum(w) - 0.5 * w
    return float(np.interp(q, midpoints, v))


# ---------------------------------------------------------------- through the store
@dataclass(frozen=True)
class ParticleChunk:
    """Runs a chunk of (particle, replicate) items (the runner's task, picklable for
    Dask) and stamps each run with its particle's values (``x:PATH``), so a resumed
    calibration can check that the stored runs are of the particles it draws.
    """

    paths: tuple[str, ...]

    def __call__(self, cfg: Any, rows: dict[int, dict], items: list[tuple[int, int]], chunk: int = -1):
        """Run the chunk's items: ``(chunk, runs, series, failed)`` as ``run_chunk``."""
        chunk_id, runs, series, failed = run_chunk(cfg, rows, items, chunk)
        if len(runs):
            for path in self.paths:
                runs[X_PREFIX + path] = [float(rows[int(s)][path]) for s in runs["scenario"]]
        return chunk_id, runs, series, failed


@dataclass
class Plan:
    """The chunks of a generation's block and of the predictive block, and where each
    block starts in the store.
    """

    particles: int
    generations: int  # at most
    chunks: list[list[tuple[int, int]]]  # a generation's, scenarios numbered from 0
    predictive_chunks: list[list[tuple[int, int]]]

    def offset(self, generation: int) -> int:
        """The store's number of a generation's first chunk (the predictive block: -1)."""
        return (self.generations if generation < 0 else generation) * len(self.chunks)

    @property
    def n_chunks(self) -> int:
        """Chunks of the whole calibration, at most."""
        return self.offset(-1) + len(self.predictive_chunks)


def plan(cfg: Any) -> Plan:
    """The calibration's blocks: ``particles x replicates`` items a generation, one
    replicate of each predictive draw.
    """
    settings = cfg.experiment.calibrate
    n, r = int(settings.particles), int(cfg.experiment.replicates)
    items = [(k, rep) for k in range(n) for rep in range(r)]
    draws = [(PREDICTIVE_BASE + k, 0) for k in range(int(settings.predictive_draws))]
    size = int(cfg.experiment.chunk_runs)
    return Plan(n, int(settings.generations), chunked(items, size), chunked(draws, size))


def particle_design(priors: Priors, x: np.ndarray, first_scenario: int) -> pd.DataFrame:
    """A block's design: one scenario per particle, its parameters' values as columns."""
    design = pd.DataFrame({"scenario": first_scenario + np.arange(len(x), dtype=np.int64)})
    for j, path in enumerate(priors.paths):
        design[path] = x[:, j]
    return design


def renumbered(chunks: list[list[tuple[int, int]]], first: int) -> list[list[tuple[int, int]]]:
    """``chunks`` with every scenario number moved up by ``first``."""
    return [[(first + s, r) for s, r in chunk] for chunk in chunks]


def check_stored(runs: pd.DataFrame, design: pd.DataFrame, priors: Priors, label: str, folder: Path) -> None:
    """The stored runs of a block are of the particles drawn now (the same values)."""
    values = design.set_index("scenario")
    for path in priors.paths:
        stored = runs[X_PREFIX + path].to_numpy(float)
        drawn = values.loc[runs["scenario"].to_numpy(), path].to_numpy(float)
        if not np.array_equal(stored, drawn):
            why = "are not of the particles the calibration draws (another version of scipy?)"
            raise StoreError(f"{folder}: {label}'s stored runs {why}; run into a new folder")


def particle_loglik(
    runs: pd.DataFrame, indicators: list[Indicator], package: str, scenarios: np.ndarray
) -> np.ndarray:
    """Each particle's (scenario's) log-likelihood over its runs
    (:func:`policies.observed.smoothed_log_likelihood`); minus infinity for a particle
    with no run, or none that could have given the data.
    """
    own = runs[runs["package"] == package] if len(runs) else runs
    found = np.full(len(scenarios), -np.inf)
    if not len(own):
        return found
    position = {int(s): k for k, s in enumerate(scenarios)}
    for scenario, group in own.groupby("scenario", sort=True):
        found[position[int(str(scenario))]] = smoothed_log_likelihood(indicators, group)
    return found


@dataclass
class Calibration:
    """What a calibration found: its priors and indicators, every generation, the
    particles' values in each, the predictive runs, whether it reached the posterior.
    """

    priors: Priors
    indicators: list[Indicator]
    generations: list[Generation]
    values: list[np.ndarray]  # each generation's parameter values (n x d)
    predictive: pd.DataFrame  # the predictive draws' runs (the package's rows)
    converged: bool

    @property
    def posterior(self) -> tuple[np.ndarray, np.ndarray]:
        """Every particle's parameter values and its weight in the pooled posterior."""
        return np.concatenate(self.values), np.concatenate(posterior_weights(self.generations))


def observed_path(cfg: Any) -> Path:
    """The observed-indicators file (as given, else a shipped one beside the example rosters)."""
    from policies.rosters import resolve

    return resolve(str(cfg.experiment.calibrate.observed))


def run_calibrate(cfg: Any, folder: Path) -> tuple[Calibration, ChunkStore]:
    """Run (or resume, or read back) the calibration into ``folder``: what it found and
    its store (``experiments.calibrate_report.finish`` writes the tables, the preset and
    the report from them).
    """
    started = time.perf_counter()
    settings = cfg.experiment.calibrate
    priors = Priors.of(settings.parameters)
    indicators = load_observed(observed_path(cfg))
    work = plan(cfg)
    store = ChunkStore(folder, cfg, work.n_chunks)
    for reason in store.damaged.values():
        print(f"consortium-sim: {reason}; its chunk is recomputed", file=sys.stderr)
    if not store.complete:
        write_config(cfg, folder)
        store.save(
            "running",
            experiment="calibrate",
            city=cfg.city.name,
            parameters=list(priors.paths),
            observed=[ind.measure for ind in indicators],
            seeds={"seed": int(cfg.seed)},
        )
        warm_up(cfg, say=True)
    task = ParticleChunk(priors.paths)
    package = str(cfg.policy.name)
    values: list[np.ndarray] = []
    try:
        with dask_client(cfg) as client:

            def evaluate(g: int, z: np.ndarray) -> np.ndarray:
                x = priors.to_x(z)
                values.append(x)
                first = g * work.particles
                design = particle_design(priors, x, first)
                chunks = renumbered(work.chunks, first)
                runs, _ = stored_block(cfg, store, design, chunks, work.offset(g), task, client)
                if len(runs):
                    check_stored(runs, design, priors, f"generation {g}", folder)
                return particle_loglik(runs, indicators, package, design["scenario"].to_numpy())

            generations = smc(priors, evaluate, settings, int(cfg.seed), _say)
            draws = resample(
                np.concatenate(posterior_weights(generations)),
                int(settings.predictive_draws),
                predictive_rng(cfg.seed),
            )
            design = particle_design(priors, np.concatenate(values)[draws], PREDICTIVE_BASE)
            runs, _ = stored_block(cfg, store, design, work.predictive_chunks, work.offset(-1), task, client)
            if len(runs):
                check_stored(runs, design, priors, "the predictive block", folder)
    except KeyboardInterrupt as error:  # said by the CLI: the same command resumes
        error.add_note(f"{len(store.done):,} chunks are stored in {folder}")
        raise
    if not len(runs):  # every predictive run failed (recorded in the manifest)
        runs = pd.DataFrame({"package": [], "scenario": [], **{ind.measure: [] for ind in indicators}})
    predictive = (
        runs[runs["package"] == package].sort_values(["scenario"], kind="stable").reset_index(drop=True)
    )
    result = Calibration(
        priors,
        indicators,
        generations,
        values,
        predictive,
        reached(generations, settings),
    )
    if not store.complete:
        store.n_chunks = len(store.done)  # what it holds: the generations it needed and the checks
        store.save(
            "complete",
            elapsed_seconds=round(time.perf_counter() - started, 2),
            generations=len(generations),
            converged=result.converged,
        )
    return result, store


def _say(g: int, generation: Generation) -> None:
    print(
        f"calibrate: generation {g + 1}: tempering {generation.beta:.3f}, effective sample "
        f"{generation.ess:.0f} of {len(generation.z)}",
        file=sys.stderr,
        flush=True,
    )
