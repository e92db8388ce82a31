"""What a consortium observed (issue 17): indicators with how precisely they are known,
and the likelihood of a model's prediction given them.

An observed-indicators YAML names run measures of the registry (``policies/outcomes.py``):

.. code-block:: yaml

    indicators:
      membership_rate: {value: 0.62, n: 30}        # a share of n units: binomial
      training_share:                              # several observations (years, parks):
        values: [0.18, 0.25, 0.31]                 # beta-binomial, overdispersion from them
        ns: [30, 32, 35]
      apprentices: {value: 45}                     # a count: Poisson
      in_field_local: {values: [610, 702, 655]}    # counts over years: negative binomial
      local_retention: {value: 0.71, se: 0.04}     # a mean with a standard error: normal

The spread beyond chance comes from the data, never from the simulation: several
observations of a share give the beta-binomial's intra-class correlation by the method
of moments (none beyond the binomial's: 0), several counts the negative binomial's
dispersion (none beyond Poisson's: Poisson). A single observation carries no information
on overdispersion, so it is binomial or Poisson. Every mistake is one line naming the
file, the indicator, the field and what is allowed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import OmegaConf

KINDS = ("share", "count", "mean")


class ObservedError(ValueError):
    """A mistake in an observed-indicators file: one line, naming where."""


@dataclass(frozen=True)
class Indicator:
    """One observed indicator: its kind, observations, their sizes, and the spread
    beyond chance the observations show (``rho`` for shares, ``size`` for counts).
    """

    measure: str
    kind: str
    values: tuple[float, ...]
    ns: tuple[int, ...] = ()  # share: units each value is a share of
    se: float | None = None  # mean: its standard error
    rho: float = 0.0  # share: intra-class correlation (0: binomial)
    size: float = math.inf  # count: negative-binomial size r (inf: Poisson)

    def log_likelihood(self, predicted: float) -> float:
        """The log-likelihood of the model's predicted mean ``predicted`` given the data."""
        return float(self.log_likelihoods(np.array([predicted]))[0])

    def log_likelihoods(self, predicted: np.ndarray) -> np.ndarray:
        """:meth:`log_likelihood` at each of ``predicted`` (a run's measure each); a
        prediction that is not a number (a share of no units: no trainers to have a net
        benefit) cannot have given the data: minus infinity.
        """
        from scipy import stats  # late: scipy.stats costs a second to import

        at = np.asarray(predicted, dtype=float)[:, None]
        values = np.asarray(self.values)[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.kind == "mean":
                assert self.se is not None
                found = stats.norm.logpdf(values, loc=at, scale=self.se)
            elif self.kind == "share":
                p = np.clip(at, 1e-9, 1.0 - 1e-9)
                ks = np.rint(values * np.asarray(self.ns)[None, :]).astype(int)
                if self.rho <= 0.0:
                    found = stats.binom.logpmf(ks, self.ns, p)
                else:
                    scale = (1.0 - self.rho) / self.rho
                    found = stats.betabinom.logpmf(ks, self.ns, p * scale, (1.0 - p) * scale)
            else:
                mu = np.maximum(at, 1e-9)
                ks = np.rint(values).astype(int)
                if not math.isfinite(self.size):
                    found = stats.poisson.logpmf(ks, mu)
                else:
                    found = stats.nbinom.logpmf(ks, self.size, self.size / (self.size + mu))
        total = np.sum(found, axis=1)
        return np.where(np.isnan(at[:, 0]), -np.inf, total)

    def draw(self, predicted: float, rng: np.random.Generator) -> tuple[float, ...]:
        """Observations as this indicator's were made, of a city whose mean is
        ``predicted``: a share of the same units (binomial, or beta-binomial with the same
        spread beyond chance), counts as many (Poisson or negative binomial), means with
        the same standard error. What the posterior predictive checks and synthetic truths
        compare with the data.
        """
        if self.kind == "mean":
            assert self.se is not None
            return tuple(float(v) for v in rng.normal(predicted, self.se, size=len(self.values)))
        if self.kind == "share":
            p = min(max(float(predicted), 0.0), 1.0)
            ns = np.asarray(self.ns)
            if self.rho > 0.0 and 0.0 < p < 1.0:
                scale = (1.0 - self.rho) / self.rho
                p_each = rng.beta(p * scale, (1.0 - p) * scale, size=len(ns))
            else:
                p_each = np.full(len(ns), p)
            return tuple(float(k) / n for k, n in zip(rng.binomial(ns, p_each), ns, strict=True))
        mu = max(float(predicted), 0.0)
        if math.isfinite(self.size) and mu > 0.0:
            mu_each = rng.gamma(self.size, mu / self.size, size=len(self.values))
        else:
            mu_each = np.full(len(self.values), mu)
        return tuple(float(k) for k in rng.poisson(mu_each))

    def summary_variance(self, predicted: np.ndarray) -> np.ndarray:
        """The variance of :meth:`summary` from the observation alone, at each predicted
        mean: a pooled share's ``p(1-p)(1 + (n-1) rho) / sum(n)`` (each observation's
        design effect, rho from the data; p kept half a unit from 0 and 1, so a share
        of none observed is not certain), a count's mean over k observations ``(mu +
        mu^2 / size) / k``, a mean's ``se^2 / k``.
        """
        at = np.asarray(predicted, dtype=float)
        k = len(self.values)
        if self.kind == "mean":
            assert self.se is not None
            return np.full(at.shape, self.se**2 / k)
        if self.kind == "share":
            ns = np.asarray(self.ns, dtype=float)
            total = ns.sum()
            p = np.clip(at, 0.5 / total, 1.0 - 0.5 / total)
            effect = float(np.sum(ns * (1.0 + (ns - 1.0) * self.rho)) / total)
            return p * (1.0 - p) * effect / total
        mu = np.maximum(at, 0.5)
        extra = mu * mu / self.size if math.isfinite(self.size) else 0.0
        return (mu + extra) / k

    def summary(self) -> float:
        """The observations' summary a check compares: their mean (pooled over the
        units for a share).
        """
        if self.kind == "share":
            ns = np.asarray(self.ns, dtype=float)
            return float(np.sum(np.asarray(self.values) * ns) / ns.sum())
        return float(np.mean(self.values))

    def with_observations(self, values: Any) -> Indicator:
        """The same indicator observed as ``values`` (the same units or standard error),
        its spread beyond chance estimated from them, as a file's is.
        """
        found = tuple(float(v) for v in values)
        if self.kind == "share":
            rho = beta_binomial_rho(np.asarray(found), np.asarray(self.ns, dtype=float))
            return replace(self, values=found, rho=rho)
        if self.kind == "count":
            return replace(self, values=found, size=negative_binomial_size(np.asarray(found)))
        return replace(self, values=found)


def beta_binomial_rho(values: np.ndarray, ns: np.ndarray) -> float:
    """Intra-class correlation of shares ``values`` of ``ns`` units, by the method of
    moments: the observed variance of the shares against the binomial's, ``var = p(1-p)
    (1 + (n-1) rho) / n`` averaged over the observations; 0 when they vary no more than
    chance, below 1.
    """
    if len(values) < 2:
        return 0.0
    weights = ns / ns.sum()
    p = float(np.sum(weights * values))
    if p <= 0.0 or p >= 1.0:
        return 0.0
    observed = float(np.sum(weights * (values - p) ** 2)) * len(values) / (len(values) - 1)
    base = p * (1.0 - p)
    chance = float(np.mean(base / ns))
    extra = float(np.mean(base * (ns - 1.0) / ns))
    return min(max((observed - chance) / extra, 0.0), 0.999)


def negative_binomial_size(values: np.ndarray) -> float:
    """The negative binomial's size ``r`` of counts by the method of moments
    (``var = m + m^2 / r``); infinite (Poisson) when they vary no more than chance.
    """
    if len(values) < 2:
        return math.inf
    m, s2 = float(np.mean(values)), float(np.var(values, ddof=1))
    return m * m / (s2 - m) if s2 > m and m > 0 else math.inf


def load_observed(path: str | Path) -> list[Indicator]:
    """The indicators of an observed-indicators YAML; ObservedError for any mistake."""
    from policies.outcomes import MEASURE_BY_KEY

    file = Path(path)
    if not file.is_file():
        raise ObservedError(f"{file} cannot be read (no such file)")
    try:
        data = OmegaConf.to_container(OmegaConf.load(file))
    except Exception as error:  # OmegaConf and its YAML parser raise many types; all mean a bad file
        raise ObservedError(f"{file} is not YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict) or not data["indicators"]:
        raise ObservedError(f"{file}: needs 'indicators:', a mapping of run measures to observations")
    known = [*MEASURE_BY_KEY, "healthy"]
    found = []
    for measure, spec in data["indicators"].items():
        where = f"{file}: indicators.{measure}"
        if measure not in MEASURE_BY_KEY:
            raise ObservedError(f"{where}: not a run measure; allowed: {', '.join(known)}")
        if not isinstance(spec, dict):
            raise ObservedError(f"{where}: needs value (or values), with n (a share) or se (a mean)")
        unit = MEASURE_BY_KEY[measure].unit
        kind = (
            "mean" if "se" in spec else "share" if unit == "share" else "count" if unit == "count" else "mean"
        )
        found.append(_indicator(where, measure, kind, spec))
    return found


def _indicator(where: str, measure: str, kind: str, spec: dict) -> Indicator:
    allowed = {"value", "values", "n", "ns", "se"}
    for key in spec:
        if key not in allowed:
            raise ObservedError(f"{where}.{key}: not a field; allowed: {', '.join(sorted(allowed))}")
    if ("value" in spec) == ("values" in spec):
        raise ObservedError(f"{where}: give value (one observation) or values (several), not both or neither")
    values = _numbers(f"{where}.value" if "value" in spec else f"{where}.values",
                      [spec["value"]] if "value" in spec else spec["values"])  # fmt: skip
    if kind == "mean":
        se = spec.get("se")
        if not isinstance(se, (int, float)) or isinstance(se, bool) or not se > 0:
            raise ObservedError(f"{where}.se: must be a number above 0, got {se!r}")
        return Indicator(measure, kind, tuple(values), se=float(se))
    if kind == "count":
        if any(v < 0 or v != int(v) for v in values):
            raise ObservedError(f"{where}: a count's values must be whole numbers >= 0, got {values}")
        return Indicator(measure, kind, ()).with_observations(values)
    if any(not 0.0 <= v <= 1.0 for v in values):
        raise ObservedError(f"{where}: a share's values must lie in [0, 1], got {values}")
    key = "n" if "value" in spec else "ns"
    if key not in spec:
        raise ObservedError(f"{where}.{key}: a share needs the units it is a share of ({key})")
    ns = _numbers(f"{where}.{key}", [spec["n"]] if key == "n" else spec["ns"])
    if len(ns) != len(values) or any(n < 1 or n != int(n) for n in ns):
        raise ObservedError(f"{where}.{key}: one whole number >= 1 per value ({len(values)}), got {ns}")
    return Indicator(measure, kind, (), ns=tuple(int(n) for n in ns)).with_observations(values)


def _numbers(where: str, given: Any) -> list[float]:
    if not isinstance(given, list) or not given:
        raise ObservedError(f"{where}: must be a number or a list of numbers, got {given!r}")
    for value in given:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise ObservedError(f"{where}: must be finite numbers, got {value!r}")
    return [float(v) for v in given]


def log_likelihood(indicators: list[Indicator], predicted: dict[str, float]) -> float:
    """The sum of every indicator's log-likelihood at the model's predicted means."""
    return float(sum(ind.log_likelihood(predicted[ind.measure]) for ind in indicators))


def _nodes(bandwidth: float, sharpest: float) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Hermite nodes and log weights (for a standard normal) fine enough that an
    observation whose likelihood is ``sharpest`` wide (sd) meets several nodes within a
    kernel of ``bandwidth``: from 20 to 400.
    """
    ratio = bandwidth / sharpest if sharpest > 0 else 0.0
    count = int(min(400, 20 + 10 * math.ceil(1.5 * ratio)))
    return _hermite(count)


@cache
def _hermite(count: int) -> tuple[np.ndarray, np.ndarray]:
    from scipy.special import roots_hermitenorm  # for the standard normal's weight; any count

    nodes, weights = roots_hermitenorm(count)
    with np.errstate(divide="ignore"):
        return nodes, np.log(weights / math.sqrt(2.0 * math.pi))


def smoothed_log_likelihood(indicators: list[Indicator], runs: Any) -> float:
    """The log-likelihood of the data given one parameter set's runs (a table with a
    column per measure, one row per run): the mean over the runs of the data's exact
    likelihood (:meth:`Indicator.log_likelihoods`: binomial or beta-binomial, Poisson or
    negative binomial, normal; the spread beyond chance from the data) at the run's
    measures, each smoothed by a Gaussian kernel of the normal-reference bandwidth
    ``h = sd (4 / 3R)^(1/5)`` of its runs (Silverman 1986), integrated by Gauss-Hermite
    quadrature.

    The mean over runs integrates over the model's own randomness (the real city is one
    realisation of it): an unbiased estimate of the likelihood of the model with a
    Gaussian error ``h`` on each measure (Wilkinson 2013), ``h`` shrinking as runs are
    added; indicators of one run stay together (their dependence is the model's). A run
    whose measure is not a number (a share of no units) cannot have given the data.
    """
    from scipy.special import logsumexp

    n_runs = len(runs)
    if n_runs == 0:
        return -math.inf
    each = np.zeros(n_runs)  # each run's log-likelihood, summed over the indicators
    for ind in indicators:
        values = np.asarray(runs[ind.measure], dtype=float)
        finite = values[np.isfinite(values)]
        spread = float(finite.std(ddof=1)) if finite.size > 1 else 0.0
        bandwidth = spread * (4.0 / (3.0 * max(finite.size, 1))) ** 0.2
        sharpest = math.sqrt(float(np.min(ind.summary_variance(finite)))) if finite.size else 0.0
        nodes, log_weights = _nodes(bandwidth, sharpest)
        at = values[:, None] + bandwidth * nodes[None, :]
        if ind.kind == "share":
            at = np.clip(at, 0.0, 1.0)
        elif ind.kind == "count":
            at = np.maximum(at, 0.0)
        found = ind.log_likelihoods(at.ravel()).reshape(at.shape)
        each += logsumexp(found + log_weights[None, :], axis=1)
    return float(logsumexp(each) - math.log(n_runs))


POSTERIOR_TABLE = "calibration/particles.parquet"  # a calibration's particles, in its results folder
X_PREFIX = "x:"  # a particles column holding a parameter's values


def read_posterior(folder: str | Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """What a calibration (``experiment=calibrate``) found, from its results folder: the
    parameters' paths, every particle's values (rows) and its weight in the posterior;
    ObservedError, one line, for a folder without them.
    """
    import pyarrow.parquet as pq

    table = Path(folder).expanduser() / POSTERIOR_TABLE
    if not table.is_file():
        raise ObservedError(f"{folder}: no {POSTERIOR_TABLE} (a folder experiment=calibrate finished)")
    try:
        frame = pq.read_table(table).to_pandas()
    except Exception as error:  # pyarrow raises several types; each means a damaged file
        raise ObservedError(f"{table} cannot be read ({str(error).splitlines()[0]})") from None
    paths = [c[len(X_PREFIX) :] for c in frame.columns if c.startswith(X_PREFIX)]
    if not paths or "posterior_weight" not in frame.columns:
        raise ObservedError(f"{table}: not a calibration's particles (no x: columns or posterior_weight)")
    weights = frame["posterior_weight"].to_numpy(float)
    if not np.isfinite(weights).all() or weights.sum() <= 0:
        raise ObservedError(f"{table}: the posterior's weights are not usable")
    return paths, frame[[X_PREFIX + p for p in paths]].to_numpy(float), weights
