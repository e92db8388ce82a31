"""School types with their own programmes (issue 14: 学制). Before, every school's
programme lasted the city's ``programme_years``; now each type has its own (shipped:
中职 and 高职 three years, 本科 four), and a student graduates in the year its school's
programme ends (``students.graduates_in``).
"""

import numpy as np
import pytest

from sim.api import simulate
from tests.conftest import make_cfg

CITIES = ("suzhou_robotics", "weifang_agri")


def _series(city, *over):
    cfg = make_cfg(f"city={city}", "years=6", "experiment.packages=[none]", "policy=none", *over)
    return simulate(cfg, seeds=range(3))[1].set_index(["replicate", "year"]).sort_index()


@pytest.mark.parametrize("city", CITIES)
def test_each_school_type_graduates_after_its_own_programme(city):
    """With 本科 at four years and the vocational types at three, the first graduates
    (year 2) come from 中职 and 高职 only: no 本科 job seeker, and at most their intake; a
    year later the first 本科 graduates join the next vocational cohort (of the same
    intake, 3% dropping out a year: the same size but for a binomial spread of about 15),
    so graduates rise by about the 本科 intake less its dropouts (at least half of it).
    With 本科 at three years, 本科 graduates search from year 2 as well."""
    cfg = make_cfg(f"city={city}")
    vocational = sum(
        level.count * level.capacity_per_year
        for level in (cfg.city.secondary_vocational, cfg.city.higher_vocational)
    )
    assert cfg.city.undergraduate.programme_years == 4 and cfg.city.programme_years == 3
    four = _series(city)
    year2, year3 = four.xs(2, level="year"), four.xs(3, level="year")
    assert four.xs(1, level="year")["graduates"].eq(0).all()
    assert year2["vacancies_per_seeker_undergraduate"].isna().all()
    assert (year2["graduates"] <= vocational).all() and (year2["graduates"] > 0).all()
    assert np.isfinite(year3["vacancies_per_seeker_undergraduate"]).all()
    undergraduate = cfg.city.undergraduate.count * cfg.city.undergraduate.capacity_per_year
    assert (year3["graduates"] - year2["graduates"] > 0.5 * undergraduate).all()
    three = _series(city, "city.undergraduate.programme_years=3")
    assert np.isfinite(three.xs(2, level="year")["vacancies_per_seeker_undergraduate"]).all()
