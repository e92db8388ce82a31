"""Build a composed config from plain keyword overrides (the shape ``mesa.batch_run`` passes).

``city``, ``policy``, ``behaviour``, ``uncertainty`` and ``calibration`` select a
preset of their config group; ``years`` is the horizon; any other field is written
with ``__`` for dots: ``policy__governance__audit_rate_share=0.2`` is the Hydra
override ``policy.governance.audit_rate_share=0.2``. Every mistake is a
:class:`policies.validate.ConfigError` naming the field and what is allowed.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import numbers
from typing import Any

from hydra import compose, initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from policies.packages import available, config_dir
from policies.schema import Behaviour, City, Config, Package, Uncertainty, register
from policies.validate import ConfigError, validate

GROUPS: dict[str, type | None] = {
    "city": City,
    "policy": Package,
    "behaviour": Behaviour,
    "uncertainty": Uncertainty,
    "calibration": None,  # patches several groups; only when composing from the shipped config
}


def compose_config(*overrides: str) -> DictConfig:
    """The shipped config with Hydra ``overrides``, composed as the command line does
    (not checked: ``policies.validate.validate`` does that).
    """
    register()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_module("configs", version_base="1.3"):
            return compose("config", overrides=list(overrides))
    finally:
        GlobalHydra.instance().clear()


@functools.lru_cache(maxsize=64)
def _composed(selections: tuple[tuple[str, str], ...]) -> DictConfig:
    return compose_config(*(f"{group}={name}" for group, name in selections))


def _check_preset(group: str, name: Any) -> None:
    allowed = available(group)
    if not isinstance(name, str) or name not in allowed:
        raise ConfigError(group, f"unknown preset {name!r}; allowed: {', '.join(allowed)}")


def _load_preset(group: str, name: str) -> DictConfig:
    schema = GROUPS[group]
    if schema is None:
        raise ConfigError(
            group, "a calibration preset can only be chosen without cfg (it patches several groups)"
        )
    node = OmegaConf.merge(
        OmegaConf.structured(schema), OmegaConf.load(config_dir() / group / f"{name}.yaml")
    )
    assert isinstance(node, DictConfig)
    return node


def _fields_of(schema: Any) -> dict[str, Any]:
    return {f.name: f for f in dataclasses.fields(schema)}


def _check_path(path: str) -> None:
    """Refuse a dotted path that is not a field of the schema (naming the allowed ones)."""
    schema: Any = Config
    walked: list[str] = []
    for part in path.split("."):
        fields = _fields_of(schema) if dataclasses.is_dataclass(schema) else {}
        if part not in fields or part == "seed":
            where = ".".join(walked) or "the config"
            allowed = sorted(set(fields) - {"seed"})
            raise ConfigError(path, f"no field {part!r} in {where}; allowed: {', '.join(allowed)}")
        f = fields[part]
        schema = type(f.default_factory()) if f.default_factory is not dataclasses.MISSING else None
        walked.append(part)
    if dataclasses.is_dataclass(schema):
        raise ConfigError(path, f"is a group of fields; set one of: {', '.join(_fields_of(schema))}")


def build_config(cfg: Any, seed: int, overrides: dict[str, Any]) -> DictConfig:
    """A validated copy of ``cfg`` (the shipped default if None) with ``overrides``.

    Args:
        cfg: a composed config, or None for the shipped ``configs/config.yaml``.
        seed: written to ``cfg.seed``.
        overrides: preset selections and ``__``-separated field values (module docstring).

    Raises:
        ConfigError: an unknown preset or field, a value of the wrong type or range.

    """
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ConfigError("seed", f"must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    selections = {k: v for k, v in overrides.items() if k in GROUPS}
    for group, name in selections.items():
        _check_preset(group, name)
    if cfg is None:
        cfg = copy.deepcopy(_composed(tuple(sorted(selections.items()))))
    else:
        cfg = copy.deepcopy(cfg)
        for group, name in selections.items():
            cfg[group] = _load_preset(group, name)
    for name, value in overrides.items():
        if name in GROUPS:
            continue
        path = name.replace("__", ".")
        _check_path(path)
        try:
            OmegaConf.update(cfg, path, value, merge=False)
        except OmegaConfBaseException as error:
            raise ConfigError(path, f"cannot take {value!r}: {str(error).splitlines()[0]}") from None
    cfg.seed = seed
    checked = (OmegaConf.to_yaml(cfg.experiment), OmegaConf.to_yaml(cfg.executor))
    validate(cfg, experiment=checked not in _EXPERIMENTS_CHECKED)  # loading every package is slow
    _EXPERIMENTS_CHECKED.add(checked)
    return cfg


_EXPERIMENTS_CHECKED: set[tuple[str, str]] = set()
