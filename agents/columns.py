"""How an agent type declares its state: one ``Column`` per state variable.

Each agent module (``enterprise.py``, ``school.py``, ``student.py``, ``government.py``)
declares its columns once, with dtype, unit or meaning, the value they start from, and
whether there is one per sector. The core's arrays (``sim.state.allocate``), the Mesa
agents' attributes and the tables of docs/ODD.md §2 are all made from these
declarations (``python -m sim.odd_tables`` rewrites the ODD tables).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Column:
    """One state variable of an agent type.

    Attributes:
        dtype: a NumPy dtype name (``int8``, ``float64`` ...).
        meaning: its unit and meaning, as the ODD table prints it.
        fill: its value when the arrays are allocated.
        per_sector: one value per sector (a row of ``n_sectors``) rather than one.
        drawn: set when the city is drawn (``sim.state.init_city``) or given by the
            city's layout, not by the yearly steps.

    """

    dtype: str
    meaning: str
    fill: float = 0
    per_sector: bool = False
    drawn: bool = False

    @property
    def shown_dtype(self) -> str:
        """The dtype as the ODD table shows it (``float64[n_sectors]`` for a row per sector)."""
        name = "bool" if self.dtype == "bool" else np.dtype(self.dtype).name
        return f"{name}[n_sectors]" if self.per_sector else name


def allocate(columns: dict[str, Column], n: int, n_sectors: int, given: dict | None = None) -> dict:
    """Arrays for ``n`` agents: each column filled with its start value, or as ``given``."""
    given = given or {}
    arrays = {}
    for name, column in columns.items():
        if name in given:
            arrays[name] = np.asarray(given[name], dtype=column.dtype)
            continue
        shape = (n, n_sectors) if column.per_sector else (n,)
        arrays[name] = np.full(shape, column.fill, dtype=column.dtype)
    return arrays


def markdown_table(columns: dict[str, Column], heading: str = "column") -> str:
    """The ODD table of an agent type's columns."""
    rows = [f"| {heading} | dtype | unit / meaning |", "|---|---|---|"]
    rows += [f"| `{name}` | {c.shown_dtype} | {c.meaning} |" for name, c in columns.items()]
    return "\n".join(rows)
