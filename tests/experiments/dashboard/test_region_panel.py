"""The dashboard's region panel (issue 15): one column per city, each on the package chosen
for it, from one run of the region and of each city without its package."""

import numpy as np
import pytest

from experiments.dashboard.app import region_html
from experiments.dashboard.labels import label
from experiments.dashboard.runs import REGION_MEASURES, region_columns, region_packages


@pytest.fixture(scope="module")
def table():
    chosen = {**region_packages("sxc"), "wuxi": "none"}
    return region_columns("sxc", chosen, 0, 6)


def test_one_row_per_city_on_its_package(table):
    assert list(table.index) == ["suzhou", "wuxi", "changzhou"]
    assert table.loc["wuxi", "package"] == "none" and table.loc["suzhou", "package"] == "jczt"
    assert np.isfinite(table[list(REGION_MEASURES)].to_numpy(dtype=float)).all()
    # a city without a package: nothing of its own to add, and it spends nothing
    assert table.loc["wuxi", "own_effect"] == 0.0 and table.loc["wuxi", "fiscal_cost"] == 0.0
    assert table.loc["suzhou", "fiscal_cost"] > 0.0


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_city_and_measure_has_its_cell(table, language):
    page = region_html(table, language)
    for city in table.index:
        for key in ("package", *REGION_MEASURES, "modes"):
            assert f'id="region-{city}-{key}"' in page
    for key in ("region", "region_note", "run_region", "region_package", "region_modes", *REGION_MEASURES):
        assert label(key, language).strip()
