"""Calibration presets land near the published figures (MODEL.md §8, issue 4);
targets and tolerances in experiments/validation.py (checks) and experiments/validation_cases.py (cases) and docs/VALIDATION.md §5."""

import pytest

from experiments import validation

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("preset", [row[0] for row in validation.CALIBRATION])
def test_preset_lands_near_the_published_figure(preset):
    result = validation.calibration(preset)
    assert result.passed, result
