"""Lead firms (链主) pull their suppliers into the consortium (issue 14; seed 000).

Before, the lead-firm role and chain position were used by no rule. Now a member gains
``lead_supplier_benefit_cny`` times the share of the lead firms it can supply (at its chain
position or further down) that train: the deeper the lead firms, the more joining is
worth to their suppliers (docs/ODD.md §7.1).
"""

import pandas as pd
import pytest

from sim.api import simulate
from tests.conftest import make_cfg

CITIES = ("small", "suzhou_robotics")


def _runs(city, package, *over):
    cfg = make_cfg(f"city={city}", "years=12", f"policy={package}", f"experiment.packages=[{package}]", *over)
    series = simulate(cfg, seeds=range(8))[1]
    return series[series["year"] >= 4].reset_index(drop=True)


def test_with_no_lead_firm_the_benefit_does_nothing():
    """No lead firm to supply: the runs with and without the benefit are the same."""
    without = _runs(
        "small", "apprentice_subsidy", "city.lead_firm_share=0", "behaviour.lead_supplier_benefit_cny=0"
    )
    with_it = _runs("small", "apprentice_subsidy", "city.lead_firm_share=0")
    pd.testing.assert_frame_equal(without, with_it)


@pytest.mark.parametrize("city", CITIES)
def test_training_lead_firms_draw_their_suppliers_in(city):
    """The benefit raises membership; and it raises it more where more lead firms train
    (under the apprentice subsidy than with no policy), since it grows with the share of
    lead firms that train."""
    gain = {}
    for package in ("none", "apprentice_subsidy"):
        off = _runs(city, package, "behaviour.lead_supplier_benefit_cny=0")
        on = _runs(city, package)
        gain[package] = on["membership_rate"].mean() - off["membership_rate"].mean()
    assert gain["none"] > 0.0, gain
    assert gain["apprentice_subsidy"] > gain["none"], gain
