"""中高本贯通: graduates going on to the next level on reserved places (issue 14; seeds 000
and 003: 推进中高本技术技能人才同城贯通培养, 支持联合体内中职、高职、本科学校进行分段培养或贯通培养).

Before, school type only decided which vacancies a graduate could take; no graduate
ever went on to study at the next level. ``governance.pathway_share`` reserves that share
of each 高职's and 本科's seats per major for the consortium's graduates of the level
below (``sim.education.continue_studies`` and ``enrol_cohort``).
"""

import numpy as np
import pytest

from sim import ConsortiumModel
from sim.api import simulate
from tests.conftest import make_cfg

CITIES = ("weifang_agri", "taicang_dual")  # both have 中职, 高职 and 本科 schools
SHARES = (0.0, 0.1, 0.3, 0.6)


def _series(city, share, *over, years=12):
    cfg = make_cfg(f"city={city}", f"years={years}", "experiment.packages=[none]", "policy=none",
                   "policy.name=none", f"policy.governance.pathway_share={share}", *over)  # fmt: skip
    return simulate(cfg, seeds=range(6))[1]


@pytest.mark.parametrize("city", CITIES)
def test_graduates_go_on_as_far_as_places_are_reserved(city):
    """No one goes on without reserved places; with them, a year's graduates who go on
    never exceed the places (share x the seats of the 高职 and 本科 schools, rounded down
    per major, so at most share x their capacity), and more places bring more of them:
    there are more 中职 and 高职 graduates than places at these shares."""
    cfg = make_cfg(f"city={city}")
    upper = sum(
        level.count * level.capacity_per_year
        for level in (cfg.city.higher_vocational, cfg.city.undergraduate)
    )
    went_on = []
    for share in SHARES:
        series = _series(city, share)
        assert (series["continued"] <= share * upper).all()
        went_on.append(series["continued"].sum())
    assert went_on[0] == 0
    assert all(b > a for a, b in zip(went_on, went_on[1:], strict=False)), went_on


@pytest.mark.parametrize("city", CITIES)
def test_places_are_filled_only_as_far_as_graduates_take_them_up(city):
    """Each graduate offered a place takes it with ``pathway_take_up_share``: at 0 no one
    goes on; at 0.05 about one in twenty of the 中职 and 高职 graduates offered one does,
    far fewer than the places at a share of 0.3 (which 0.8 of them nearly fill), so fewer
    go on than at 0.8."""
    went_on = [
        _series(city, 0.3, f"behaviour.pathway_take_up_share={take_up}")["continued"].sum()
        for take_up in (0.0, 0.05, 0.8)
    ]
    assert went_on[0] == 0 and 0 < went_on[1] < went_on[2], went_on


@pytest.mark.parametrize("city", CITIES)
def test_going_on_takes_graduates_off_the_lower_levels_job_market(city):
    """Those who go on do not look for a job at their level: fewer 中职 seekers for the same
    中职 vacancies, so vacancies per 中职 seeker rise with the share of places (years 6-11,
    after the first pathway graduates of the level above are out)."""
    ratio = []
    for share in (0.0, 0.3, 0.6):
        series = _series(city, share)
        ratio.append(series[series["year"] >= 6]["vacancies_per_seeker_secondary"].mean())
    assert ratio[0] < ratio[1] < ratio[2], ratio


def test_those_who_went_on_graduate_with_more_skill_than_direct_entrants():
    """A student who went on carries the skill of the first programme into the second
    and adds the same yearly gains (``agents.student.skill_gain``) on top, so at
    graduation from the level above they are more skilled than those who entered it
    directly, by about a whole programme's gain (about 0.6, the skill of a graduate
    without a host; more, as the best go on first): more than half of it, 0.3, is
    required. The Mesa model's student table, small city (高职 to 本科), after 12 years."""
    model = ConsortiumModel(city="small", years=12, policy="none", policy__governance__pathway_share=0.5)
    while model.running:
        model.step()
    students = model.tables.students
    done = np.flatnonzero((students.cohort >= 3) & (students.cohort <= 12 - 3 - 1) & (students.state >= 1)
                          & (students.state != 5) & (students.state != 6))  # fmt: skip
    top = done[model.tables.schools.kind[students.school[done]] == 2]  # 本科 graduates
    came_on = top[students.pathway[top] == 1]
    direct = top[students.pathway[top] == 0]
    assert came_on.size >= 10 and direct.size >= 10
    assert students.skill[came_on].mean() > students.skill[direct].mean() + 0.3
