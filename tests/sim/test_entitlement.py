"""The tax offset for 产教融合型企业 is a statutory entitlement (issue 14): every firm that
invests in vocational education takes 30% of it off its education surcharges, whatever
the park's budget and however little the park's administration cares. Before, it was
rationed by the package's budget and scaled by the administration's effort, and its base
included the apprentices' wages."""

import numpy as np
import pytest

from sim.api import prepare, run_item
from tests.conftest import make_cfg

SMALL = ("city=small", "years=10", "experiment.packages=[tax_offset]")


def _offset_paid(*overrides: str, replicate: int) -> tuple[np.ndarray, float]:
    cfg = make_cfg(*SMALL, *overrides)
    rows, frames = run_item(cfg, prepare(cfg), 0, replicate)
    series = frames[0] if frames[0]["package"].iloc[0] == "tax_offset" else frames[1]
    return series["spend_tax_offset_cny"].to_numpy(), float(series["fiscal_cost_cny"].sum())


@pytest.mark.parametrize("replicate", [0, 1])
def test_no_budget_and_no_effort_change_nothing(replicate):
    """The package holds only the offset: with no budget at all, or an administration that
    gains nothing from implementing (effort 0), every yuan of it is the same; and the
    offset is taken (firms invest in training centres under it)."""
    shipped, total = _offset_paid(replicate=replicate)
    assert shipped.sum() > 0 and total == pytest.approx(shipped.sum())
    no_budget, _ = _offset_paid("policy.budget_cny_per_year=0", replicate=replicate)
    no_effort, _ = _offset_paid("city.government.assessment_weight_cny=0", replicate=replicate)
    np.testing.assert_array_equal(no_budget, shipped)
    np.testing.assert_array_equal(no_effort, shipped)
