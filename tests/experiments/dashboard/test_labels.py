"""Labels: the dashboard's own table and the registries' names, both languages, nothing
the page shows left out."""

import pytest

from experiments.dashboard import app, charts
from experiments.dashboard.labels import (
    ALL_LABELS,
    LABELS,
    REGISTRY_LABELS,
    choice_label,
    label,
    money,
    preset,
)
from experiments.dashboard.levers import LEVERS, cities, packages
from policies import levers as registry
from policies.outcomes import FAILURE_MODE_CODES, MEASURE_BY_KEY, MEASURES, MODE_BY_CODE

CHOICES = [(lever.key, choice) for lever in LEVERS if lever.kind == "choice" for choice in lever.choices]


def test_every_entry_has_both_languages():
    """No blank translation, in the dashboard's table or from a registry."""
    for key, (english, chinese) in ALL_LABELS.items():
        assert english.strip() and chinese.strip(), key


@pytest.mark.parametrize("lever", registry.LEVERS, ids=registry.LEVER_NAMES)
def test_every_registry_lever_is_named_by_its_row(lever):
    """A lever's control reads its registry labels, in both languages."""
    assert label(lever.name, "en") == lever.label_en
    assert label(lever.name, "zh") == lever.label_zh


@pytest.mark.parametrize("code", FAILURE_MODE_CODES)
def test_every_failure_mode_has_both_labels(code):
    """A failure mode shows its Chinese name in both languages, and its meaning in English."""
    mode = MODE_BY_CODE[code]
    assert label(code, "en") == f"{mode.name_zh} {mode.name_en}: {mode.meaning_en}"
    assert label(code, "zh") == mode.name_zh


@pytest.mark.parametrize("measure", MEASURES, ids=[m.key for m in MEASURES])
def test_every_measure_has_both_labels(measure):
    """A measure reads its registry labels (the English one capitalised)."""
    english, chinese = label(measure.key, "en"), label(measure.key, "zh")
    assert english.lower() == measure.label_en.lower() and english[:1].isupper()
    assert chinese == measure.label_zh


@pytest.mark.parametrize(("setting", "choice"), CHOICES)
def test_every_choice_has_both_labels(setting, choice):
    """Every choice of every choice setting has a label in both languages."""
    assert choice_label(setting, choice, "en").strip()
    assert choice_label(setting, choice, "zh").strip()


def test_page_vocabulary_is_in_the_table():
    """Every control, failure mode, measure of the table and figure, and "healthy" has a label."""
    keys = [lever.key for lever in LEVERS] + list(FAILURE_MODE_CODES) + ["healthy"]
    keys += [*app.SHARE_MEASURES, "fiscal_cost_cny", "fiscal_total", *charts.MEASURES]
    for key in keys:
        label(key, "en")
        label(key, "zh")
    assert all(MEASURE_BY_KEY[name].unit == "share" for name in app.SHARE_MEASURES)


def test_registry_names_are_not_written_twice():
    """The dashboard's table holds no lever, setting, measure or failure mode."""
    assert not set(LABELS) & set(REGISTRY_LABELS)
    assert not {"cond_membership", "kpi_outcomes", "fm_hollow", "deep_share", "budget"} & set(LABELS)


def test_unknown_key_raises():
    """A forgotten entry fails loudly, never shows a blank."""
    with pytest.raises(KeyError):
        label("no_such_label", "en")
    with pytest.raises(KeyError):
        choice_label("conditionality", "no_such_choice", "en")


def test_money_in_both_languages():
    """Millions in both languages, the report's units (before: 万元 in Chinese, 'M yuan')."""
    assert money(1_234_567.0, "en") == "1.23 million yuan"
    assert money(1_234_567.0, "zh") == "1.23 百万元"
    assert label("year_of", "zh", year=3, n_years=15) == "第 3 年 / 共 15 年"


def test_shipped_presets_have_readable_names():
    """Every shipped city and package has a name in both languages that keeps its file name."""
    for group, names in (("city", cities()), ("package", packages())):
        for name in names:
            for lang in ("en", "zh"):
                shown = preset(group, name, lang)
                assert name in shown and shown != name, (group, name, lang)
    assert preset("package", "my_own_package", "zh") == "my_own_package"


def test_the_dashboard_draws_and_names_depths_as_the_report_does():
    """One palette and one set of depth words (before: blues and '4 deep' on the page,
    cividis and '4 co-construction' in the report)."""
    from experiments.dashboard import charts
    from experiments.report import DEPTH_COLOURS
    from experiments.report_text import TEXT

    assert charts.DEPTH_COLOURS == DEPTH_COLOURS
    for lang in ("en", "zh"):
        assert [label(f"depth_{d}", lang) for d in range(5)] == [TEXT[lang][f"depth_{d}"] for d in range(5)]
