"""A consortium's own rosters (issue 17): its member firms and its schools, from CSV files.

``city.firms_csv``, one row per member firm (columns, units):

- ``sector`` (required): the firm's sector, a name (e.g. ``industrial robots``); each
  sector is one occupation with one matching major;
- ``employees`` (required): employees, a number above 0;
- ``chain``: ``upstream``, ``midstream`` or ``downstream`` (产业链位置);
- ``lead``: whether a lead firm (链主企业): ``yes`` / ``no`` (also 1/0, true/false, 是/否);
- ``wage_cny``: the firm's mean yearly wage, yuan, above 0;
- ``credit_constrained``: whether it is short of credit: yes / no;
- ``land_need``: whether a training base would need new land: yes / no;
- ``name``: free text (ignored by the model).

``city.schools_csv``, one row per school:

- ``type`` (required): ``secondary_vocational`` (中职), ``higher_vocational`` (高职) or
  ``undergraduate`` (本科);
- ``intake_per_year`` (required): students admitted a year, a whole number >= 0;
- ``majors`` (required): the sectors it trains for, names separated by ``;``;
- ``double_qualified_share``: the share of 双师型 teachers, in [0, 1];
- ``programme_years``: years of its programmes (学制), 1-10;
- ``name``: free text.

A cell left empty, or a column not given, is drawn from the city preset's distributions
(the firm's sector's and size's draws are kept in order, so a roster changes only what it
gives). Sectors are the names in either file, in order of first appearance (firms first).
Every mistake is one line naming the file, the row (as a spreadsheet numbers it: the
header is row 1), the column and what is allowed.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np

from policies.packages import config_dir
from policies.schema import SCHOOL_KINDS

CHAINS = ("upstream", "midstream", "downstream")
FIRM_COLUMNS = ("sector", "employees", "chain", "lead", "wage_cny", "credit_constrained", "land_need", "name")
FIRM_REQUIRED = ("sector", "employees")
SCHOOL_COLUMNS = ("type", "intake_per_year", "majors", "double_qualified_share", "programme_years", "name")
SCHOOL_REQUIRED = ("type", "intake_per_year", "majors")
KIND_NAMES = {**{kind: k for k, kind in enumerate(SCHOOL_KINDS)}, "中职": 0, "高职": 1, "本科": 2}
YES = {"yes": 1, "y": 1, "1": 1, "true": 1, "是": 1, "no": 0, "n": 0, "0": 0, "false": 0, "否": 0}
# shipped templates and the example consortium, found by name from any folder
SHIPPED = config_dir() / "city" / "rosters"


class RosterError(ValueError):
    """A roster file's mistake: ``field`` (the config key) and one line saying where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Roster:
    """What the files give; -1 (codes) or NaN (numbers) where a value is to be drawn."""

    sectors: tuple[str, ...]
    firm_sector: np.ndarray  # int32[n_firms] (-1: no firms file)
    firm_size: np.ndarray  # float64 employees
    firm_chain: np.ndarray  # int8, 0-2
    firm_lead: np.ndarray  # int8, 0/1
    firm_wage: np.ndarray  # float64 yuan
    firm_constrained: np.ndarray  # int8
    firm_land_need: np.ndarray  # int8
    school_kind: np.ndarray  # int8[n_schools]
    school_capacity: np.ndarray  # int32
    school_offers: np.ndarray  # bool[n_schools, n_sectors]
    school_dq: np.ndarray  # float64 (NaN: its type's)
    school_years: np.ndarray  # int8 (0: its type's)
    drawn: tuple[str, ...]  # the columns drawn from the preset, as "file: column"


def resolve(path: str) -> Path:
    """A roster path as given (absolute, or from the working folder), else a shipped one."""
    given = Path(path).expanduser()
    if given.is_file() or given.is_absolute():
        return given
    shipped = SHIPPED / path
    return shipped if shipped.is_file() else given


def load_roster(firms_csv: str | None, schools_csv: str | None) -> Roster | None:
    """The rosters of a city (None if it has none); RosterError for any mistake."""
    if not firms_csv and not schools_csv:
        return None
    firms = _read(firms_csv, "city.firms_csv") if firms_csv else None
    schools = _read(schools_csv, "city.schools_csv") if schools_csv else None
    return _roster(firms, schools)


def _read(path: str, field: str) -> tuple[Path, list[str], list[list[str]]]:
    file = resolve(path)
    try:
        stat = file.stat()
    except OSError:
        templates = f"{SHIPPED / 'template_firms.csv'}, {SHIPPED / 'template_schools.csv'}"
        raise RosterError(
            field, f"{file} cannot be read (no such file); give a CSV file (templates: {templates})"
        ) from None
    header, rows = _parsed(str(file), stat.st_mtime_ns, stat.st_size)
    return file, header, rows


@lru_cache(maxsize=16)
def _parsed(file: str, mtime_ns: int, size: int) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file (UTF-8, a byte-order mark allowed), once per version."""
    try:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            table = [[cell.strip() for cell in row] for row in csv.reader(handle)]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RosterError("city", f"{file} cannot be read as UTF-8 CSV ({error})") from None
    if not table:
        raise RosterError("city", f"{file} is empty; it needs a header row")
    return [c.lower() for c in table[0]], [r for r in table[1:] if any(r)]


def _columns(
    file: Path, header: list[str], allowed: tuple[str, ...], required: tuple[str, ...], field: str
) -> None:
    for k, name in enumerate(header):
        if name not in allowed:
            raise RosterError(field, f"{file} row 1, column {k + 1} '{name}': not a column; allowed: "
                                     f"{', '.join(allowed)}")  # fmt: skip
    if len(set(header)) < len(header):
        raise RosterError(field, f"{file} row 1: a column given twice")
    for name in required:
        if name not in header:
            raise RosterError(
                field, f"{file} row 1: column '{name}' is missing; required: {', '.join(required)}"
            )


def _rows(read: tuple[Path, list[str], list[list[str]]], allowed: tuple[str, ...], required: tuple[str, ...],
          field: str, what: str) -> Iterator[tuple[int, Callable[[str], str]]]:  # fmt: skip
    """Each data row of a checked file: its number (the header is row 1) and a reader of
    its cells by column name ('' for a column not given or a cell left empty).
    """
    file, header, rows = read
    _columns(file, header, allowed, required, field)
    if not rows:
        raise RosterError(field, f"{file}: no {what} (only a header)")
    for n, row in enumerate(rows, start=2):
        if len(row) > len(header):
            raise RosterError(field, f"{file} row {n}: {len(row)} cells, the header has {len(header)}")
        yield n, partial(_cell, dict(zip(header, row, strict=False)))


def _cell(cells: dict[str, str], name: str) -> str:
    return cells.get(name, "")


def _bad(field: str, file: Path, n: int, name: str, value: str, allowed: str) -> RosterError:
    return RosterError(
        field, f"{file} row {n}, column '{name}': '{value}' is not allowed; allowed: {allowed}"
    )


def _number(field: str, file: Path, n: int, name: str, value: str, low: float, high: float,
            whole: bool = False, above: bool = False) -> float:  # fmt: skip
    allowed = (f"a whole number in [{low:g}, {high:g}]" if whole else
               f"a number above {low:g}" if above else f"a number in [{low:g}, {high:g}]")  # fmt: skip
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        raise _bad(field, file, n, name, value, allowed) from None
    if not np.isfinite(number) or number > high or number < low or (above and number <= low):
        raise _bad(field, file, n, name, value, allowed)
    if whole and number != int(number):
        raise _bad(field, file, n, name, value, allowed)
    return number


def _yes(field: str, file: Path, n: int, name: str, value: str) -> int:
    if value.lower() not in YES:
        raise _bad(field, file, n, name, value, "yes, no (or 1, 0, true, false, 是, 否)")
    return YES[value.lower()]


def _roster(firms: Any, schools: Any) -> Roster:
    sectors: list[str] = []
    f_sector, f_size, f_chain, f_lead, f_wage, f_cons, f_land = [], [], [], [], [], [], []
    drawn: list[str] = []
    if firms is not None:
        file, field = firms[0], "city.firms_csv"
        for n, get in _rows(firms, FIRM_COLUMNS, FIRM_REQUIRED, field, "firms"):
            sector = get("sector")
            if not sector:
                raise _bad(field, file, n, "sector", sector, "a sector's name (not empty)")
            if sector not in sectors:
                sectors.append(sector)
            f_sector.append(sectors.index(sector))
            f_size.append(_number(field, file, n, "employees", get("employees"), 0.0, 1.0e7, above=True)
                          if get("employees") else _bad_empty(field, file, n, "employees"))  # fmt: skip
            chain = get("chain").lower()
            if chain and chain not in CHAINS:
                raise _bad(field, file, n, "chain", get("chain"), ", ".join(CHAINS))
            f_chain.append(CHAINS.index(chain) if chain else -1)
            f_lead.append(_yes(field, file, n, "lead", get("lead")) if get("lead") else -1)
            f_wage.append(_number(field, file, n, "wage_cny", get("wage_cny"), 0.0, 1.0e7, above=True)
                          if get("wage_cny") else np.nan)  # fmt: skip
            f_cons.append(_yes(field, file, n, "credit_constrained", get("credit_constrained"))
                          if get("credit_constrained") else -1)  # fmt: skip
            f_land.append(_yes(field, file, n, "land_need", get("land_need")) if get("land_need") else -1)
        for name, values in (("chain", f_chain), ("lead", f_lead), ("credit_constrained", f_cons),
                             ("land_need", f_land)):  # fmt: skip
            if min(values) < 0:
                drawn.append(f"{file.name}: {name}" + ("" if max(values) < 0 else " (where empty)"))
        if np.isnan(f_wage).any():
            drawn.append(f"{file.name}: wage_cny" + ("" if np.isnan(f_wage).all() else " (where empty)"))
    s_kind, s_cap, s_majors, s_dq, s_years = [], [], [], [], []
    if schools is not None:
        file, field = schools[0], "city.schools_csv"
        for n, get in _rows(schools, SCHOOL_COLUMNS, SCHOOL_REQUIRED, field, "schools"):
            kind = get("type")
            if kind.lower() not in KIND_NAMES and kind not in KIND_NAMES:
                raise _bad(field, file, n, "type", kind, ", ".join(SCHOOL_KINDS) + " (or 中职, 高职, 本科)")
            s_kind.append(KIND_NAMES.get(kind.lower(), KIND_NAMES.get(kind)))
            s_cap.append(int(_number(field, file, n, "intake_per_year", get("intake_per_year"), 0, 100_000,
                                     whole=True)))  # fmt: skip
            majors = [m.strip() for m in get("majors").split(";") if m.strip()]
            if not majors:
                raise _bad(field, file, n, "majors", get("majors"), "sector names separated by ';'")
            for major in majors:
                if major not in sectors:
                    sectors.append(major)
            s_majors.append([sectors.index(m) for m in majors])
            dq, years = get("double_qualified_share"), get("programme_years")
            s_dq.append(_number(field, file, n, "double_qualified_share", dq, 0.0, 1.0) if dq else np.nan)
            s_years.append(
                int(_number(field, file, n, "programme_years", years, 1, 10, whole=True)) if years else 0
            )
        if np.isnan(s_dq).any():
            drawn.append(f"{file.name}: double_qualified_share (its type's)")
    n_sectors = len(sectors)
    offers = np.zeros((len(s_kind), n_sectors), dtype=np.bool_)
    for s, offered in enumerate(s_majors):
        offers[s, offered] = True
    return Roster(
        sectors=tuple(sectors),
        firm_sector=np.array(f_sector, np.int32), firm_size=np.array(f_size, np.float64),
        firm_chain=np.array(f_chain, np.int8), firm_lead=np.array(f_lead, np.int8),
        firm_wage=np.array(f_wage, np.float64), firm_constrained=np.array(f_cons, np.int8),
        firm_land_need=np.array(f_land, np.int8), school_kind=np.array(s_kind, np.int8),
        school_capacity=np.array(s_cap, np.int32), school_offers=offers,
        school_dq=np.array(s_dq, np.float64), school_years=np.array(s_years, np.int8), drawn=tuple(drawn),
    )  # fmt: skip


def _bad_empty(field: str, file: Path, n: int, name: str) -> float:
    raise _bad(field, file, n, name, "", "a number above 0 (required)")


def describe(city: Any) -> str | None:
    """One line on a city's rosters: what they give and which columns were drawn from the
    preset (None for a city without rosters).
    """
    roster = load_roster(city.get("firms_csv"), city.get("schools_csv"))
    if roster is None:
        return None
    parts = []
    if roster.firm_sector.size:
        file = resolve(city.firms_csv).name
        parts.append(f"{roster.firm_sector.size} firms in {len(roster.sectors)} sectors ({file})")
    else:
        parts.append(f"{city.n_firms} firms drawn from the preset")
    if roster.school_kind.size:
        parts.append(f"{roster.school_kind.size} schools ({resolve(city.schools_csv).name})")
    else:
        parts.append("the preset's schools")
    drawn = "; ".join(roster.drawn) if roster.drawn else "nothing"
    return f"City {city.name} from files: {', '.join(parts)}; drawn from the preset: {drawn}."
