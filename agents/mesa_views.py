"""Mesa agents as views onto the core's arrays.

A Mesa agent (``agents/mesa_enterprise.py``, ``mesa_school.py``, ``mesa_student.py``,
``mesa_government.py``) holds no state of its own: each name of its agent module's
``COLUMNS`` is a property reading and writing its row of the core's table (the named
tuple of arrays of ``sim.state``), so ``firm.depth``, ``school.relevance[m]`` or
``student.skill`` are the very numbers the compiled steps read and write. A scalar column
reads as a Python ``int``/``float``/``bool`` (what the scalar rules are compiled for);
a per-sector column reads as its row, a NumPy view one can index and assign into.

``ConsortiumView`` is what the agents need of their model; ``sim.ConsortiumModel``
provides it. Agents name no class of ``sim`` (imports flow ``sim`` -> ``agents``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

import numpy as np

from agents.columns import Column


class Tables(NamedTuple):
    """The core's state the Mesa model keeps as its only state (``sim.state.allocate``)."""

    firms: Any
    schools: Any
    students: Any
    city: Any
    gov: np.ndarray


class ConsortiumView(Protocol):
    """What the Mesa agents read of their model (``sim.ConsortiumModel``)."""

    p: np.ndarray
    key: Any
    row: np.ndarray
    terms: np.ndarray
    tables: Tables
    last_depth: np.ndarray
    last_outreach: np.ndarray
    last_realized: np.ndarray
    hosted: int


def _scalar(position: int, doc: str) -> property:
    def get(agent: Any) -> Any:
        return agent.table[position].item(agent.index)

    def put(agent: Any, value: Any) -> None:
        agent.table[position][agent.index] = value

    return property(get, put, doc=doc)


def _row(position: int, doc: str) -> property:
    def get(agent: Any) -> np.ndarray:
        return agent.table[position][agent.index]

    def put(agent: Any, value: Any) -> None:
        agent.table[position][agent.index] = value

    return property(get, put, doc=doc)


def array_views(columns: dict[str, Column]) -> Callable[[type], type]:
    """Class decorator: one property per column, viewing ``self.table.<name>[self.index]``.

    The class sets ``table`` (the agent type's named tuple of arrays) and ``index``.
    """

    def decorate(cls: type) -> type:
        for position, (name, column) in enumerate(columns.items()):
            make = _row if column.per_sector else _scalar
            setattr(cls, name, make(position, f"{column.meaning} (view of the core's array)"))
        return cls

    return decorate
