"""Shared helpers: compose a config the way the command line does."""

from __future__ import annotations

import pytest
from hydra import compose, initialize_config_module
from hydra.core.global_hydra import GlobalHydra

from policies.schema import register

register()


def make_cfg(*overrides: str):
    """Compose ``configs/config.yaml`` with Hydra overrides (no validation)."""
    GlobalHydra.instance().clear()
    with initialize_config_module("configs", version_base="1.3"):
        cfg = compose("config", overrides=list(overrides))
    GlobalHydra.instance().clear()
    return cfg


@pytest.fixture
def cfg_factory():
    return make_cfg
