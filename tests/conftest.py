"""Shared helpers: compose a config the way the command line does."""

from __future__ import annotations

import pytest

from experiments.validation_cases import compose_cfg

make_cfg = compose_cfg


@pytest.fixture
def cfg_factory():
    return make_cfg
