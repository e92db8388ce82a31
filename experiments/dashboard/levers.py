"""The levers the dashboard exposes: which package fields, what range, and how a
setting becomes the model's keyword overrides (``policy__apprentice_subsidy__...``).

Field paths are those of :class:`policies.schema.Package`; a lever whose amount is set
above zero is switched on (``enabled``), one set to zero is switched off.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Literal

from omegaconf import OmegaConf

from policies.packages import available, load_package

Kind = Literal["amount", "share", "switch", "choice"]
LeverValue = float | bool | str


@dataclass(frozen=True)
class LeverControl:
    """One control of the side bar: a package field and how to set it.

    Attributes:
        key: the label key (experiments/dashboard/labels.py) and the control's name.
        path: the field's dotted path in the package.
        kind: slider of yuan (``amount``), slider in [0, 1] (``share``), ``switch`` or ``choice``.
        maximum: the slider's upper end (a package's own value above it widens it).
        step: the slider's step.
        choices: enum member names of a ``choice``.
        group: ``money`` or ``governance`` (where the control sits).

    """

    key: str
    path: str
    kind: Kind
    maximum: float = 1.0
    step: float = 0.05
    choices: tuple[str, ...] = ()
    group: str = "money"

    @property
    def switches_lever(self) -> str | None:
        """The lever block whose ``enabled`` follows this amount (None for other fields)."""
        block, _, field = self.path.partition(".")
        return block if self.kind in ("amount", "share") and field and block != "governance" else None


LEVERS: tuple[LeverControl, ...] = (
    LeverControl("budget", "budget_cny_per_year", "amount", 3.0e7, 5.0e5),
    LeverControl("apprentice_subsidy", "apprentice_subsidy.cny_per_apprentice_year", "amount", 20000, 500),
    LeverControl("employment_subsidy", "employment_subsidy.cny_per_hire", "amount", 30000, 1000),
    LeverControl("membership_grant", "membership_grant.cny_per_member_year", "amount", 200000, 5000),
    LeverControl("training_centre_grant", "training_centre_grant.investment_share", "share"),
    LeverControl("tax_offset", "tax_offset.investment_share", "share"),
    LeverControl(
        "conditionality",
        "governance.conditionality",
        "choice",
        choices=("membership", "activity", "verified_outcome"),
        group="governance",
    ),  # fmt: skip
    LeverControl("audit_rate", "governance.audit_rate_share", "share", group="governance"),
    LeverControl(
        "school_kpi",
        "governance.school_kpi",
        "choice",
        choices=("agreements", "outcomes"),
        group="governance",
    ),  # fmt: skip
    LeverControl("entity", "entity.enabled", "switch", group="governance"),
    LeverControl("info_platform", "info_platform.enabled", "switch", group="governance"),
    LeverControl("tech_platform", "tech_platform.enabled", "switch", group="governance"),
)
BY_KEY = {lever.key: lever for lever in LEVERS}


def cities() -> list[str]:
    """City presets shipped in configs/city."""
    return available("city")


def packages() -> list[str]:
    """Policy packages shipped in configs/policy."""
    return available("policy")


def package_values(package: str) -> dict[str, LeverValue]:
    """Each lever's value in a shipped package (enum fields by member name)."""
    return dict(_shipped_values(package))


@cache
def _shipped_values(package: str) -> tuple[tuple[str, LeverValue], ...]:
    config = load_package(package)
    values: list[tuple[str, LeverValue]] = []
    for lever in LEVERS:
        value = OmegaConf.select(config, lever.path)
        if isinstance(value, Enum):
            value = value.name
        values.append((lever.key, value if isinstance(value, bool | str) else float(value)))
    return tuple(values)


def slider_maximum(lever: LeverControl, package_value: LeverValue) -> float:
    """The slider's upper end: the lever's own, or the package's value if that is higher."""
    return max(lever.maximum, float(package_value))


def overrides(package: str, values: dict[str, LeverValue]) -> dict[str, Any]:
    """Model keyword overrides for the levers set away from the package's own values.

    Only changed fields are passed, so the package stays as shipped in everything the
    dashboard does not show (windows of years, land, credit, ...).
    """
    shipped = package_values(package)
    result: dict[str, Any] = {}
    for key, value in values.items():
        lever = BY_KEY[key]
        if value == shipped[key]:
            continue
        result["policy__" + lever.path.replace(".", "__")] = value
        block = lever.switches_lever
        if block is not None:
            result[f"policy__{block}__enabled"] = float(value) > 0
    return result
