"""Named packages: YAML files under ``configs/policy/``, merged into the typed schema."""

from __future__ import annotations

import copy
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from policies.schema import City, Package


def config_dir() -> Path:
    """The folder of shipped configs (installed with the ``configs`` package)."""
    return Path(str(resources.files("configs")))


def available(group: str) -> list[str]:
    """Names of the presets of a config group (``city``, ``policy``, ...)."""
    folder = config_dir() / group
    return sorted(p.stem for p in folder.glob("*.yaml"))


def default_choice(group: str) -> str:
    """The preset of ``group`` the main job uses when none is given (``configs/config.yaml``'s
    defaults list): the one place the default city is named, so the dashboard opens on it too.
    """
    config = OmegaConf.load(config_dir() / "config.yaml")
    assert isinstance(config, DictConfig)
    for entry in config.get("defaults", []):
        if isinstance(entry, DictConfig) and group in entry:
            return str(entry[group])
    raise KeyError(f"configs/config.yaml names no default for {group!r}")


def load_package(name: str) -> DictConfig:
    """Load a shipped package by name, typed and checked against the schema (a copy of
    its own: callers may change it; a sweep loads every package once per chunk).
    """
    return _load("policy", name, Package)


def load_city(name: str) -> DictConfig:
    """Load a shipped city preset by name, typed against the schema (a copy of its own)."""
    return _load("city", name, City)


def _load(group: str, name: str, schema: type) -> DictConfig:
    path = config_dir() / group / f"{name}.yaml"
    if not path.is_file():
        raise KeyError(name)
    stat = path.stat()
    return copy.deepcopy(_merged(path, stat.st_mtime_ns, stat.st_size, schema))


@lru_cache(maxsize=64)
def _merged(path: Path, mtime_ns: int, size: int, schema: type) -> DictConfig:
    """A preset file merged into its typed schema, once per version of the file
    (a copy costs a third of reading and merging it).
    """
    merged = OmegaConf.merge(_schema(schema), OmegaConf.load(path))
    assert isinstance(merged, DictConfig)
    return merged


@cache
def _schema(schema: type) -> DictConfig:
    """The typed, empty preset (built once: it costs more than the merge; ``merge``
    copies it and never changes it).
    """
    return OmegaConf.structured(schema)
