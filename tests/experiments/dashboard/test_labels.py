"""Labels: one table, both languages, nothing the page shows left out."""

import pytest

from experiments.dashboard.labels import LABELS, label, money, preset
from experiments.dashboard.levers import BY_KEY, LEVERS, cities, packages
from sim.measures import FAILURE_MODES


def test_every_entry_has_both_languages():
    """No blank translation."""
    for key, (english, chinese) in LABELS.items():
        assert english.strip() and chinese.strip(), key


def test_page_vocabulary_is_in_the_table():
    """Every lever, failure mode (sim/measures.py) and choice has a label."""
    keys = [lever.key for lever in LEVERS] + list(FAILURE_MODES) + ["healthy"]
    keys += ["cond_" + c for c in BY_KEY["conditionality"].choices]
    keys += ["kpi_" + c for c in BY_KEY["school_kpi"].choices]
    for key in keys:
        label(key, "en")
        label(key, "zh")


def test_unknown_key_raises():
    """A forgotten entry fails loudly, never shows a blank."""
    with pytest.raises(KeyError):
        label("no_such_label", "en")


def test_money_in_both_languages():
    """Millions in English, 万元 in Chinese."""
    assert money(1_234_567.0, "en") == "1.23 M yuan"
    assert money(1_234_567.0, "zh") == "123.5 万元"
    assert label("year_of", "zh", year=3, n_years=15) == "第 3 年 / 共 15 年"


def test_shipped_presets_have_readable_names():
    """Every shipped city and package has a name in both languages that keeps its file name."""
    for group, names in (("city", cities()), ("package", packages())):
        for name in names:
            for lang in ("en", "zh"):
                shown = preset(group, name, lang)
                assert name in shown and shown != name, (group, name, lang)
    assert preset("package", "my_own_package", "zh") == "my_own_package"
