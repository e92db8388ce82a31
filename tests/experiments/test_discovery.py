"""Scenario discovery (PRIM) finds a box planted in synthetic futures."""

import numpy as np
import pandas as pd

from experiments.discovery import prim


def test_prim_recovers_a_planted_box():
    """Cases of interest exactly where poaching > 0.3 and premium > 0.2 (of [0, 0.5]
    each): the box found is about that, dense and covering most cases."""
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"uncertainty.poaching_intensity_share": rng.uniform(0, 0.5, 2000),
                      "uncertainty.outside_wage_premium_share": rng.uniform(0, 0.5, 2000),
                      "uncertainty.tech_drift_share": rng.uniform(0, 0.5, 2000)})  # fmt: skip
    y = (x["uncertainty.poaching_intensity_share"] > 0.3) & (
        x["uncertainty.outside_wage_premium_share"] > 0.2
    )
    box = prim(x, y.to_numpy(), density_goal=0.95)
    assert box.density >= 0.95 and box.coverage > 0.6
    low_p, high_p = box.limits["uncertainty.poaching_intensity_share"]
    low_w, _ = box.limits["uncertainty.outside_wage_premium_share"]
    assert 0.28 < low_p < 0.36 and 0.18 < low_w < 0.27 and high_p > 0.45
    assert "uncertainty.tech_drift_share" not in box.limits
    full = {c: (float(x[c].min()), float(x[c].max())) for c in x.columns}
    text = box.describe(full)
    assert (
        "poaching_intensity_share" in text
        and "outside_wage_premium_share" in text
        and "tech_drift" not in text
    )
