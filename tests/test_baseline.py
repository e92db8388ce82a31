"""The model reproduces the pinned baseline exactly (tests/baseline.yaml).

A failure here means a number changed. If that was meant (a model change), regenerate
with ``python -m tests.baseline --write`` and give the reason in the commit; otherwise
it is a bug, for refactoring and speed work change no number.
"""

import pytest

from tests import baseline

PINNED = baseline.load()


def test_the_baseline_covers_every_case():
    assert sorted(PINNED) == sorted(baseline.cases())


@pytest.mark.parametrize("case", sorted(baseline.cases()))
def test_run_summaries_equal_the_pinned_baseline(case):
    pinned = PINNED[case]
    assert tuple(pinned["overrides"]) == baseline.cases()[case]
    now = baseline.compute(baseline.cases()[case])
    assert sorted(now) == sorted(pinned["runs"])
    changed = [
        f"{run}: {key} {pinned['runs'][run].get(key)} -> {value}"
        for run, values in now.items()
        for key, value in values.items()
        if pinned["runs"][run].get(key) != value
    ]
    missing = [f"{run}: {key}" for run in now for key in pinned["runs"][run] if key not in now[run]]
    assert not changed and not missing, "\n".join((changed + missing)[:20])
