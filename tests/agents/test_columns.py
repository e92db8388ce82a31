"""State is declared once: the core's arrays are made from each agent module's COLUMNS,
with their dtypes and start values."""

import numpy as np

from agents import enterprise, government, school, student
from sim.state import allocate
from tests.conftest import make_cfg


def test_arrays_have_the_declared_names_dtypes_shapes_and_start_values():
    cfg = make_cfg("city=small")
    firms, schools, students, _, gov = allocate(cfg.city, 4)
    n_sectors = int(cfg.city.n_sectors)
    for table, columns in (
        (firms, enterprise.COLUMNS),
        (schools, school.COLUMNS),
        (students, student.COLUMNS),
    ):
        assert list(table._fields) == list(columns)
        n = getattr(table, next(iter(columns))).shape[0]
        for name, column in columns.items():
            array = getattr(table, name)
            assert array.dtype == np.dtype(column.dtype), name
            assert array.shape == ((n, n_sectors) if column.per_sector else (n,)), name
            if not column.drawn:
                assert (array == column.fill).all(), name
    assert gov.dtype == np.float64 and gov.tolist() == [c.fill for c in government.COLUMNS.values()]
    assert [getattr(government.G, name) for name in government.COLUMNS] == list(range(government.N_GOV))


def test_schools_take_their_layout_from_the_city():
    """Kind, intake and 双师 share per school come from the city's school types, in order."""
    cfg = make_cfg("city=small")
    _, schools, _, _, _ = allocate(cfg.city, 3)
    types = [cfg.city.secondary_vocational, cfg.city.higher_vocational, cfg.city.undergraduate]
    kinds = [k for k, spec in enumerate(types) for _ in range(spec.count)]
    assert schools.kind.tolist() == kinds
    assert schools.capacity.tolist() == [types[k].capacity_per_year for k in kinds]
    assert schools.double_qualified.tolist() == [types[k].double_qualified_share for k in kinds]
