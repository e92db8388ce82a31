"""Schools open and close majors (issue 14; seeds 001 and 003: 动态调整专业设置).

Before, the layout of majors was fixed at set-up and most of the supply-demand mismatch
was that layout (perfectly updated quotas took the mismatch index only from 0.123 to
0.103). Now a school reviews its majors about every three years and swaps its weakest for
a clearly stronger one, judged by perceived vacancies per seat the city's schools give
each major (``agents.school.review_majors``).
"""

import pytest

from sim.api import simulate
from tests.conftest import make_cfg

CITIES = ("suzhou_robotics", "weifang_agri")


def _runs(city, package, *over):
    cfg = make_cfg(f"city={city}", "years=15", f"policy={package}", f"experiment.packages=[{package}]", *over)
    series = simulate(cfg, seeds=range(10))[1]
    return series[series["package"] == package]


@pytest.mark.parametrize("city", CITIES)
def test_schools_that_review_their_majors_lower_the_mismatch(city):
    """Reviewing majors moves seats toward the sectors with the most vacancies per seat,
    so once the layout has settled (years 10-14) the mismatch index is lower than with the
    layout fixed; with reviews off no major moves."""
    fixed = _runs(city, "none", "behaviour.major_review_years=0")
    review = _runs(city, "none")
    assert fixed["majors_switched"].sum() == 0 and review["majors_switched"].sum() > 0
    late = review["year"] >= 10
    assert review[late]["mismatch_index"].mean() < fixed[late]["mismatch_index"].mean()


@pytest.mark.parametrize("city", CITIES)
def test_noisy_demand_signals_make_schools_switch_majors_more_often(city):
    """Without the information platform a school sees demand two years late and with
    noise, so a weak major sometimes looks strong and a strong one weak: over a run it
    switches more often than with the platform's exact, recent signal."""
    noisy = _runs(city, "none")
    exact = _runs(city, "platform_only")
    assert exact["majors_switched"].sum() < noisy["majors_switched"].sum()
