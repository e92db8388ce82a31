"""The tables of docs/ODD.md that are made from declarations, not written by hand.

Each ``<!-- table:NAME -->`` ... ``<!-- /table:NAME -->`` block of docs/ODD.md holds the
table of one declaration: the agents' state columns (``agents/*.py`` ``COLUMNS``), the
lever registry (``policies/levers.py``), the measures and the failure modes
(``policies/outcomes.py``). ``python -m sim.odd_tables`` rewrites them;
``tests/test_docs.py`` checks that they agree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from agents import enterprise, government, school, student
from agents.columns import markdown_table
from policies.levers import LEVERS
from policies.outcomes import FAILURE_MODES, MEASURES

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
_BLOCK = re.compile(r"(<!-- table:(\w+) -->\n).*?(\n<!-- /table:\2 -->)", re.S)


def _levers() -> str:
    rows = ["| lever | pays | yearly terms (unit) | label |", "|---|---|---|---|"]
    for lever in LEVERS:
        terms = "; ".join(f"`{t.column}` ← `{t.field}` ({t.unit})" for t in lever.terms)
        pays = lever.pays + (" (× effort)" if lever.by_effort else "")
        rows.append(f"| `{lever.name}` | {pays} | {terms} | {lever.label_en} / {lever.label_zh} |")
    return "\n".join(rows)


def _measures() -> str:
    rows = ["| measure | unit | better when | summary | label |", "|---|---|---|---|---|"]
    better = {1: "higher", -1: "lower", 0: "–"}
    for m in MEASURES:
        rows.append(
            f"| `{m.key}` | {m.unit} | {better[m.direction]} | {m.summary} | {m.label_en} / {m.label_zh} |"
        )
    return "\n".join(rows)


def _failure_modes() -> str:
    rows = ["| mode | name | meaning | thresholds read |", "|---|---|---|---|"]
    for f in FAILURE_MODES:
        thresholds = ", ".join(f"`{t}`" for t in f.thresholds)
        rows.append(f"| `{f.code}` | {f.name_zh} {f.name_en} | {f.meaning_en} | {thresholds} |")
    return "\n".join(rows)


def tables() -> dict[str, str]:
    """Every generated table of docs/ODD.md, by block name."""
    return {
        "firms": markdown_table(enterprise.COLUMNS),
        "schools": markdown_table(school.COLUMNS),
        "students": markdown_table(student.COLUMNS),
        "government": markdown_table(government.COLUMNS, "variable"),
        "levers": _levers(),
        "measures": _measures(),
        "failure_modes": _failure_modes(),
    }


def with_tables(text: str) -> str:
    """docs/ODD.md's text with each generated block made afresh."""
    made = tables()
    return _BLOCK.sub(lambda m: m.group(1) + made[m.group(2)] + m.group(3), text)


def main() -> None:
    """``python -m sim.odd_tables``: rewrite the generated tables of docs/ODD.md."""
    ODD.write_text(with_tables(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the generated tables of {ODD}", file=sys.stderr)


if __name__ == "__main__":
    main()
