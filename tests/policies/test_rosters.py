"""A consortium's own rosters (issue 17, first step): firms and schools from CSV files.

What a file gives is what the city's agents have; what it leaves out is drawn exactly as
the preset draws it (the same numbers as a city without the file); every mistake is one
line naming the file, the row, the column and what is allowed, exit 2, nothing written."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from policies.params import build_params
from policies.rosters import SHIPPED, load_roster
from policies.validate import ConfigError, validate
from sim.engine import _blank
from sim.rng import run_key
from sim.state import city_shape, init_city
from tests.conftest import make_cfg

ROOT = Path(__file__).resolve().parents[2]
FIRMS = SHIPPED / "example_firms.csv"
SCHOOLS = SHIPPED / "example_schools.csv"


def _firms(cfg):
    state, _ = _blank(city_shape(cfg.city), 3)
    init_city(run_key(cfg.seed, 0, 0), build_params(cfg), *state)
    return state[0], state[1]


def test_the_example_consortium_is_what_its_files_say():
    roster = load_roster(str(FIRMS), str(SCHOOLS))
    cfg = make_cfg("city=from_files", "years=3")
    firms, schools = _firms(cfg)
    assert firms.size.size == 30 and len(roster.sectors) == 5
    np.testing.assert_array_equal(firms.sector, roster.firm_sector)
    np.testing.assert_array_equal(firms.size, roster.firm_size)
    for column, given in (("chain", roster.firm_chain), ("lead", roster.firm_lead),
                          ("constrained", roster.firm_constrained), ("land_need", roster.firm_land_need)):  # fmt: skip
        own = getattr(firms, column)
        np.testing.assert_array_equal(own[given >= 0], given[given >= 0], err_msg=column)
    wage = roster.firm_wage
    np.testing.assert_array_equal(firms.wage_cny[~np.isnan(wage)], wage[~np.isnan(wage)])
    assert list(schools.capacity) == [160, 320, 240, 120] and list(schools.kind) == [0, 1, 1, 2]
    offered = [sorted(roster.sectors[m] for m in np.flatnonzero(row)) for row in schools.offers]
    assert offered[0] == ["industrial robots", "system integration"]
    assert (
        schools.double_qualified[2] == cfg.city.higher_vocational.double_qualified_share
    )  # left empty: its type's


def test_what_a_file_leaves_out_is_drawn_as_the_preset_draws_it(tmp_path):
    """The example's firms with only sector and size given: lead, wage, credit and land
    are, firm by firm, the numbers the same city without a firms file draws for that
    firm (draws are keyed by the firm's number, not a stream); the chain position follows
    the sector as in a preset."""
    lines = FIRMS.read_text().splitlines()
    header = lines[0].split(",")
    keep = [header.index("sector"), header.index("employees")]
    (tmp_path / "firms.csv").write_text(
        "\n".join(",".join(row.split(",")[k] for k in keep) for row in lines) + "\n"
    )
    roster = load_roster(str(tmp_path / "firms.csv"), None)
    assert {d.split(": ")[1] for d in roster.drawn} == {
        "chain",
        "lead",
        "credit_constrained",
        "land_need",
        "wage_cny",
    }
    given, _ = _firms(make_cfg("city=from_files", "years=3", f"city.firms_csv={tmp_path / 'firms.csv'}"))
    drawn, _ = _firms(make_cfg("city=from_files", "years=3", "city.firms_csv=null"))
    n = given.size.size
    for column in ("lead", "wage_cny", "constrained", "land_need"):
        np.testing.assert_array_equal(getattr(given, column), getattr(drawn, column)[:n], err_msg=column)
    np.testing.assert_array_equal(given.chain, np.minimum(2, 3 * given.sector // len(roster.sectors)))
    np.testing.assert_array_equal(given.size, roster.firm_size)  # given: never the drawn size


@pytest.mark.parametrize(
    "which, text, row, column, allowed",
    [
        ("firms", "sector,employes\nrobots,10\n", 1, "employes", "allowed: sector, employees"),
        ("firms", "sector\nrobots\n", 1, "employees", "required: sector, employees"),
        ("firms", "sector,employees,chain\nrobots,10,middle\nrobots,12,upstream\n", 2, "chain",
         "upstream, midstream, downstream"),
        ("firms", "sector,employees\nrobots,10\nrobots,-3\n", 3, "employees", "a number above 0"),
        ("firms", "sector,employees,lead\nrobots,10,maybe\n", 2, "lead", "yes, no"),
        ("firms", "sector,employees\n,10\n", 2, "sector", "a sector's name"),
        ("schools", "type,intake_per_year,majors\ncollege,100,robots\n", 2, "type", "higher_vocational"),
        ("schools", "type,intake_per_year,majors\n高职,100.5,robots\n", 2, "intake_per_year", "a whole number"),
        ("schools", "type,intake_per_year,majors\n本科,100,\n", 2, "majors", "separated by ';'"),
        ("schools", "type,intake_per_year,majors,double_qualified_share\n中职,100,robots,1.5\n", 2,
         "double_qualified_share", "[0, 1]"),
    ],
)  # fmt: skip
def test_a_mistake_names_the_file_row_column_and_what_is_allowed(tmp_path, which, text, row, column, allowed):
    path = tmp_path / f"{which}.csv"
    path.write_text(text)
    cfg = make_cfg("city=from_files", "years=3", f"city.{which}_csv={path}")
    with pytest.raises(ConfigError) as refused:
        validate(cfg, experiment=False)
    message = str(refused.value)
    assert refused.value.field == f"city.{which}_csv" and "\n" not in message
    assert str(path) in message and f"row {row}" in message and column in message and allowed in message, (
        message
    )


def test_a_missing_file_is_one_line_exit_2_and_nothing_written(tmp_path):
    folder = tmp_path / "run"
    bad = tmp_path / "firms.csv"
    bad.write_text("sector,employees\nrobots,ten\n")
    for given in (f"city.firms_csv={tmp_path / 'nowhere.csv'}", f"city.firms_csv={bad}"):
        done = subprocess.run([sys.executable, "-m", "experiments.cli", "city=from_files", given,
                               f"hydra.run.dir={folder}"], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1, done.stderr
        assert lines[0].startswith("consortium-sim: error: city.firms_csv:") and not folder.exists()


def test_a_schools_file_alone_keeps_the_preset_firms_and_a_firms_file_alone_the_preset_schools():
    schools_only = make_cfg("city=from_files", "years=3", "city.firms_csv=null")
    firms, schools = _firms(schools_only)
    assert firms.size.size == schools_only.city.n_firms and schools.capacity.size == 4
    firms_only = make_cfg("city=from_files", "years=3", "city.schools_csv=null")
    firms, schools = _firms(firms_only)
    preset = firms_only.city
    assert firms.size.size == 30
    assert schools.capacity.size == preset.higher_vocational.count + preset.undergraduate.count
    assert schools.offers.shape[1] == 5  # the roster's sectors


def test_the_report_says_which_columns_were_drawn(tmp_path):
    from experiments.compare import run_experiment

    folder = tmp_path / "run"
    run_experiment(make_cfg("city=from_files", "years=6", "experiment.replicates=2",
                            "experiment.packages=[none,jczt]", "experiment.figures=false"), folder)  # fmt: skip
    page = (folder / "report" / "report.md").read_text()
    assert "drawn from the preset: example_firms.csv: credit_constrained (where empty)" in page
    assert "30 firms in 5 sectors" in page


def test_a_roster_city_joins_a_region_by_its_sector_names(monkeypatch):
    """In a region, a roster city's sectors are labelled with its own names unless the
    region labels them: a name another city's labels share is the same occupation there
    (Wuxi's 'sensing'); a label count that is not the roster's number of sectors is one
    line naming the field."""
    import sim.region_setup as region_setup
    from policies.packages import load_city
    from policies.validate import sector_names

    roster = load_roster(str(FIRMS), str(SCHOOLS))
    assert sector_names(load_city("from_files")) == list(roster.sectors)
    assert sector_names(load_city("suzhou_robotics")) is None
    base = ["region=sxc", "years=3", "region.cities.suzhou.city=from_files", "region.cities.suzhou.fields=[]"]
    cfg = make_cfg(*base)
    shapes = {"suzhou": 5, "wuxi": 6, "changzhou": 4}
    assert (
        region_setup.build_links(cfg, shapes).fields[0] == -1
    ).all()  # none of its names is another's label
    renamed = [name if name != "machine vision" else "sensing" for name in roster.sectors]
    real = region_setup.sector_names
    monkeypatch.setattr(region_setup, "sector_names", lambda city: renamed if real(city) else None)
    links = region_setup.build_links(cfg, shapes)
    shared = links.fields[0][renamed.index("sensing")]
    assert shared >= 0 and shared == links.fields[1][0]  # Wuxi's first sector is 'sensing'
    with pytest.raises(
        ConfigError, match=r"^region.cities.suzhou.fields: one label per sector of from_files: 5"
    ):
        validate(make_cfg(*base[:-1]), experiment=False)
