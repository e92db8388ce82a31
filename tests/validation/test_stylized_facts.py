"""Stylized facts from the training literature (issue 4); checks in
experiments/validation.py (cases in validation_cases.py), discussion in docs/VALIDATION.md §4."""

import pytest

from experiments import validation

pytestmark = pytest.mark.slow


def test_becker_firm_funded_training_falls_with_poaching_and_vanishes_with_general_skills():
    result = validation.becker()
    assert result.passed, result


def test_muehlemann_subsidy_moves_the_extensive_margin_more_than_the_intensive():
    result = validation.muehlemann()
    assert result.passed, result
