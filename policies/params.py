"""The flat numeric parameter vector the compiled core reads.

Built from the typed config (city, behaviour, uncertainty, the government's own set-up):
every numeric field becomes one entry of a float64 vector, at the index ``P.<name>``
under its config name, so a kernel reads ``p[P.apprentice_gross_cost_cny]`` with the
name the YAML spells. Enums become their integer code, booleans 0/1, a missing year -1.
"""

from __future__ import annotations

import dataclasses
from collections import namedtuple
from enum import Enum
from typing import Any

import numpy as np

from policies.schema import Behaviour, City, DecisionRule, EffortRule, GovernmentSetup, Uncertainty

_SOURCES: tuple[tuple[str, type], ...] = (
    ("city", City),
    ("city.government", GovernmentSetup),
    ("behaviour", Behaviour),
    ("uncertainty", Uncertainty),
)


def _numeric_fields(schema: type) -> list[str]:
    names = []
    for f in dataclasses.fields(schema):
        default = f.default
        if dataclasses.is_dataclass(f.type) or f.name == "name" or f.metadata.get("file"):
            continue
        if isinstance(default, (int, float, bool, Enum)) or default is None:
            names.append(f.name)
    return names


PARAM_NAMES: tuple[str, ...] = tuple(name for _, schema in _SOURCES for name in _numeric_fields(schema))
assert len(set(PARAM_NAMES)) == len(PARAM_NAMES), "parameter names must be unique"

ParamIndex = namedtuple("ParamIndex", PARAM_NAMES)  # type: ignore[misc]
# Column of each parameter in the float64 parameter vector. A module-level constant, so
# kernels read ``p[P.wage_mean_cny]`` with the index folded in at compile time (a
# vector compiles several times faster than a named tuple of 88 floats).
P: Any = ParamIndex(*range(len(PARAM_NAMES)))

# Codes of the enum parameters as the vector holds them (``p[P.decision_rule] == RULE_IMITATION``).
RULE_IMITATION = float(DecisionRule.imitation.value)
EFFORT_PAYOFF = float(EffortRule.payoff.value)
EFFORT_IMITATION = float(EffortRule.imitation.value)


def _as_float(value: Any) -> float:
    if value is None:
        return -1.0
    if isinstance(value, Enum):
        return float(value.value)
    return float(value)


def _select(cfg: Any, dotted: str) -> Any:
    node = cfg
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


def build_params(cfg: Any) -> np.ndarray:
    """Flatten the numeric fields of a composed config into a float64 vector (see ``P``)."""
    values = np.empty(len(PARAM_NAMES))
    for path, schema in _SOURCES:
        node = _select(cfg, path)
        for name in _numeric_fields(schema):
            values[getattr(P, name)] = _as_float(getattr(node, name))
    return values
