"""Scenario discovery: the regions of the uncertainty space where an outcome happens.

PRIM (patient rule induction, Friedman and Fisher 1999; as used for scenario discovery
by Bryant and Lempert 2010): start from the box holding every future and repeatedly
peel the share ``alpha`` of futures off one side of one factor, choosing the peel that
raises the density of cases of interest the most, while the box keeps at least
``min_mass`` of the futures. The box reported is the first on the peeling trajectory
whose density reaches ``density_goal`` (or the densest one), described as readable
limits on the factors that were restricted.

Reads only tables (the design and the runs); numeric factors only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Box:
    """A box of the factor space and how well it captures the cases of interest."""

    limits: dict[str, tuple[float, float]]  # restricted factors only
    coverage: float  # cases of interest inside / all cases of interest
    density: float  # cases of interest inside / futures inside
    mass: float  # futures inside / all futures

    def describe(
        self,
        full: dict[str, tuple[float, float]],
        joiner: str = " and ",
        everywhere: str = "in every future",
        names: dict[str, str] | None = None,
    ) -> str:
        """Readable: "poaching_intensity_share > 0.3 and outside_wage_premium_share > 0.2";
        ``names`` renames factors (by their last dotted part), ``joiner`` joins the limits.
        """
        parts = []
        for name, (low, high) in self.limits.items():
            short = name.split(".")[-1]
            short = (names or {}).get(short, short)
            lo_full, hi_full = full[name]
            if low > lo_full and high < hi_full:
                parts.append(f"{low:.3g} < {short} < {high:.3g}")
            elif low > lo_full:
                parts.append(f"{short} > {low:.3g}")
            elif high < hi_full:
                parts.append(f"{short} < {high:.3g}")
        return joiner.join(parts) if parts else everywhere


def prim(
    x: pd.DataFrame, y: np.ndarray, alpha: float = 0.05, min_mass: float = 0.05, density_goal: float = 0.8
) -> Box:
    """Peel a box around the futures where ``y`` (bool per row of ``x``) is true."""
    y = np.asarray(y, dtype=bool)
    values = x.to_numpy(dtype=float)
    inside = np.ones(len(x), dtype=bool)
    total_interest = max(1, int(y.sum()))
    limits = {c: (float(values[:, k].min()), float(values[:, k].max())) for k, c in enumerate(x.columns)}
    trajectory = [(dict(limits), inside.copy())]
    while inside.mean() > min_mass:
        best = None
        for k, name in enumerate(x.columns):
            column = values[inside, k]
            if np.unique(column).size < 2:
                continue
            for side, cut in (("low", np.quantile(column, alpha)), ("high", np.quantile(column, 1 - alpha))):
                keep = inside & (values[:, k] > cut if side == "low" else values[:, k] < cut)
                if keep.sum() == 0 or keep.sum() == inside.sum() or keep.mean() < min_mass:
                    continue
                density = y[keep].mean()
                if best is None or density > best[0]:
                    best = (density, k, name, side, cut, keep)
        if best is None:
            break
        _, k, name, side, cut, keep = best
        low, high = limits[name]
        limits[name] = (float(cut), high) if side == "low" else (low, float(cut))
        inside = keep
        trajectory.append((dict(limits), inside.copy()))
    boxes = [_box(lim, ins, y, total_interest, limits_full=trajectory[0][0]) for lim, ins in trajectory]
    reaching = [b for b in boxes if b.density >= density_goal]
    return reaching[0] if reaching else max(boxes, key=lambda b: (b.density, b.coverage))


def _box(limits: dict, inside: np.ndarray, y: np.ndarray, total_interest: int, limits_full: dict) -> Box:
    restricted = {n: v for n, v in limits.items() if v != limits_full[n]}
    return Box(
        limits=restricted,
        coverage=float(y[inside].sum() / total_interest),
        density=float(y[inside].mean()) if inside.any() else 0.0,
        mass=float(inside.mean()),
    )


def discover(runs: pd.DataFrame, design: pd.DataFrame, package: str, mode: str) -> tuple[Box, dict] | None:
    """The box of futures in which ``package`` mostly falls into failure ``mode`` (its
    rate over replicates above one half); None if the design has no numeric factor or the
    mode never (or always) happens.
    """
    factors = [
        c for c in design.columns if c.startswith("uncertainty.") and pd.api.types.is_numeric_dtype(design[c])
    ]
    futures = design.drop_duplicates("scenario").set_index("scenario")[factors].dropna(axis=1)
    if futures.shape[1] == 0 or len(futures) < 10:
        return None
    rate = runs[runs["package"] == package].groupby("scenario")[mode].mean().reindex(futures.index)
    interest = (rate > 0.5).to_numpy()
    if interest.all() or not interest.any():
        return None
    full = {c: (float(futures[c].min()), float(futures[c].max())) for c in futures.columns}
    return prim(futures, interest), full
