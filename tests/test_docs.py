"""docs/ODD.md's generated tables are the declarations they show."""

from sim.odd_tables import ODD, tables, with_tables


def test_odd_tables_are_the_declarations():
    """State columns, levers, measures and failure modes in docs/ODD.md are exactly the
    declarations (regenerate with python -m sim.odd_tables)."""
    text = ODD.read_text(encoding="utf-8")
    for name, table in tables().items():
        assert f"<!-- table:{name} -->\n{table}\n<!-- /table:{name} -->" in text, name
    assert with_tables(text) == text
