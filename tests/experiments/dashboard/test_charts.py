"""Figures: PNGs of both runs; in Chinese with a CJK font and no missing glyph, or in
English when the machine has none (never boxes)."""

import os
import warnings

import pytest

from experiments.dashboard import charts
from experiments.dashboard.runs import Comparison, Settings


@pytest.fixture(scope="module")
def snapshots():
    pair = Comparison(Settings(city="small", policy="jczt", seed=1, years=6))
    pair.advance_to(4)
    return pair.snapshots()


@pytest.mark.parametrize("draw", [charts.network_png, charts.depth_png, charts.measures_png])
def test_figures_in_both_languages(draw, snapshots):
    """Each figure is a PNG in English and in Chinese, with every glyph in the font."""
    if charts.chinese_family() is None and not os.environ.get("CONSORTIUM_REQUIRE_CJK_FONT"):
        pytest.skip("no font with Chinese glyphs on this machine")
    for lang in ("en", "zh"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib warns of every missing glyph
            png = draw(*snapshots, lang)
        assert png.startswith(b"\x89PNG")
    assert charts.chart_lang("zh") == "zh"


def test_without_a_chinese_font_figures_stay_english(monkeypatch):
    """No CJK font: Chinese figures fall back to English labels."""
    monkeypatch.setattr(charts, "chinese_family", lambda: None)
    assert charts.chart_lang("zh") == "en"
    assert charts.chart_lang("en") == "en"


def test_year_zero_draws(snapshots):
    """Before the first year there is nothing to plot, and the figures still draw."""
    pair = Comparison(Settings(city="small", policy="none", seed=1, years=6))
    policy, baseline = pair.snapshots()
    for draw in (charts.network_png, charts.depth_png, charts.measures_png):
        assert draw(policy, baseline, "en").startswith(b"\x89PNG")
