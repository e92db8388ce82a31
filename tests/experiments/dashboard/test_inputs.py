"""The side bar's whole numbers: a value out of range or not a number is refused with one
line saying what is allowed, and the setting stays as it was. Before: a seed of -1 put a
traceback on the page; years of 'abc', -3, 0 or 500 were ignored or clamped without a
word; the field's own hint was clipped ('Random seed (Value must b')."""

import pytest

from experiments.dashboard import app


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [("seed", "-1", None), ("seed", "7", 7), ("seed", str(2**64), None), ("years", "abc", None),
     ("years", "-3", None), ("years", "0", None), ("years", "500", None), ("years", " 12 ", 12),
     ("years", "2.5", None), ("money_stops", "0", 0), ("money_stops", "51", None)],
)  # fmt: skip
def test_a_number_is_taken_whole_and_in_range_or_refused_with_one_line(name, text, value):
    got, problem = app.checked_number(name, text, "en")
    assert got == value
    low, high = app.NUMBER_RANGES[name]
    assert (problem is None) == (value is not None)
    if problem:
        assert problem == f"a whole number from {low:,} to {high:,}" and "\n" not in problem


def test_a_refused_value_leaves_the_setting_and_a_good_one_clears_the_line():
    before = app.years.value
    app._enter("years", app.years, "500", "zh")
    assert app.years.value == before and app.input_errors.value["years"] == "应为 1 到 50 之间的整数"
    app._enter("years", app.years, "12", "zh")
    assert app.years.value == 12 and "years" not in app.input_errors.value
    app.years.set(before)
