"""A region's runs as the experiment runner stores them: the arms of one (scenario,
replicate), each city's row of measures, and its yearly series.

The arms, all with the same keys (common random numbers):

- ``region``: every city under its own package, joined by the links;
- ``alone``: the same packages, links cut (each city as if alone);
- ``alone none``: links cut, no city with a package (the ``alone`` arm's counterfactual);
- ``<city> none``, for each city with a package: that city without it, its neighbours
  as configured, linked: the city's own counterfactual in the region, and what its
  package does to its neighbours.

A row is one city in one arm: the city measures of a city run alone (``sim.measures``),
its failure modes, and the region's measures (``REGION_MEASURES``), window means of the
last ``experiment.summary_window_years`` years.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim.measures import (
    AccountingError,
    against_counterfactual,
    check_accounting,
    classify,
    series_frame,
    summarise,
)
from sim.region import Links, RegionOutput
from sim.region_setup import build_links, city_key, prepare_region, run_region

REGION = "region"
COORDINATION = ("shared platform", "mutual recognition")  # and "community <field>"
ALONE = "alone"
ALONE_NONE = "alone none"
COUNTERFACTUAL = "none"

# The region's measures of a city: name -> meaning (window means unless said).
REGION_MEASURES: dict[str, str] = {
    "hired_out": "job seekers of the city hired by other cities' employers, a year",
    "hired_in": "other cities' job seekers hired by the city's employers, a year",
    "poached_out": "the city's trained workers poached by other cities' employers, a year",
    "poached_in": "other cities' trained workers the city's employers poached, a year",
    "net_inflow": "hired_in + poached_in - hired_out - poached_out, a year",
    "working_elsewhere_share": "the city's graduates working in another city of the region, of those "
    "working in it (last year)",
    "trained_elsewhere_share": "the same, of its ex-apprentices (trained with its subsidies)",
    "cost_per_kept_graduate_cny": "fiscal cost a year while money flows / its own graduates employed in "
    "field locally, a year",
}


def arm_names(cfg: Any) -> list[str]:
    """The arms of a region experiment, in order (``best_response``: the region alone,
    every profile of packages being a scenario of its design; ``coordination``: the
    region as configured and with each coordination lever).
    """
    if cfg.experiment.name == "best_response":
        return [REGION]
    if cfg.experiment.name == "coordination":
        return [REGION, *COORDINATION, f"community {community_label(cfg)}"]
    with_package = [str(n) for n in cfg.region.cities if str(cfg.region.cities[n].policy) != COUNTERFACTUAL]
    return [REGION, ALONE, ALONE_NONE, *(f"{name} {COUNTERFACTUAL}" for name in with_package)]


def community_label(cfg: Any) -> str:
    """The field of the coordination experiment's cross-city community: the one most of
    the region's cities share (the first such in the config's order), or the region's own
    ``community_field`` if it has one.
    """
    if str(cfg.region.community_field):
        return str(cfg.region.community_field)
    labels = [
        str(f) for name in cfg.region.cities for f in dict.fromkeys(cfg.region.cities[name].fields) if f
    ]
    return max(dict.fromkeys(labels), key=labels.count, default="")


def _coordination_links(cfg: Any, n_sectors: dict[str, int]) -> dict[str, Links]:
    """The region's links with each coordination lever on: one platform, mutual
    recognition of apprenticeships on every link, a cross-city community in one field.
    """
    recognised = []
    for link in cfg.region.links:
        plain = OmegaConf.to_container(link)
        assert isinstance(plain, dict)
        recognised.append({**plain, "mutual_recognition": True})
    variants = {
        "shared platform": {"region": {"shared_platform": True}},
        "mutual recognition": {"region": {"links": recognised}},
        "community": {"region": {"community_field": community_label(cfg)}},
    }
    return {name: build_links(OmegaConf.merge(cfg, change), n_sectors) for name, change in variants.items()}


def _arms(prepared: dict[str, Any]) -> dict[str, tuple[dict[str, str], bool | str]]:
    """Each arm of ``prepared["arms"]`` (``arm_names``) -> (packages that differ from each
    city's own, links: linked, cut, or the name of a coordination variant).
    """
    names = prepared["names"]
    specs: dict[str, tuple[dict[str, str], bool | str]] = {
        REGION: ({}, True),
        ALONE: ({}, False),
        ALONE_NONE: (dict.fromkeys(names, COUNTERFACTUAL), False),
        **{arm: ({}, arm) for arm in COORDINATION},
        **{f"{name} {COUNTERFACTUAL}": ({name: COUNTERFACTUAL}, True) for name in names},
    }
    return {arm: specs.get(arm, ({}, "community")) for arm in prepared["arms"]}  # "community <field>"


def prepare_runs(cfg: Any) -> dict[str, Any]:
    """What every item of a region experiment shares (``sim.api.prepare`` for a region).
    ``best_response`` runs the region arm only, every profile on the keys of scenario
    ``experiment.scenario`` (common random numbers across profiles).
    """
    names = [str(n) for n in cfg.region.cities]
    profiles = cfg.experiment.name == "best_response"
    coordination = cfg.experiment.name == "coordination"
    prepared = prepare_region(
        cfg, None if profiles or coordination else dict.fromkeys(names, [COUNTERFACTUAL])
    )
    prepared.update(
        region=True, profiles=profiles, arms=arm_names(cfg), key_scenario=int(cfg.experiment.scenario)
    )
    if coordination:
        n_sectors = {name: prepared["shapes"][name].n_sectors for name in names}
        prepared.update(_coordination_links(cfg, n_sectors))
    return prepared


def run_item(cfg: Any, prepared: dict[str, Any], scenario: int, replicate: int) -> tuple[list, list]:
    """Every arm of one (scenario, replicate): a row and a series frame per arm and city."""
    seed, names = int(cfg.seed), prepared["names"]
    arms = _arms(prepared)
    keyed = prepared["key_scenario"] if prepared["profiles"] else scenario
    outputs = {arm: run_region(prepared, seed, keyed, replicate, packages, linked)
               for arm, (packages, linked) in arms.items()}  # fmt: skip
    window = int(cfg.experiment.summary_window_years)
    rows, frames = [], []
    for arm, (packages, _) in arms.items():
        out = outputs[arm]
        for c, name in enumerate(names):
            package = packages.get(name, prepared["own"][name])
            run = out.cities[c]
            try:
                check_accounting(run)
            except AccountingError as error:
                raise AccountingError(f"{error} (arm {arm}, city {name}, replicate {replicate})") from None
            summary = summarise(run, window)
            baseline = _baseline(arm, name, package, outputs)
            if baseline is not None:
                summary.update(
                    against_counterfactual(run, baseline.cities[c], cfg.failure_modes.collapse_window_years)
                )
            summary.update(region_measures(out, c, names, window, summary))
            key = city_key(seed, keyed, replicate, c)
            rows.append({"package": arm, "city": name, "city_package": package, "replicate": replicate,
                         "seed": seed, "scenario": int(scenario), "run_key": int(key), **summary,
                         **classify(summary, cfg.failure_modes)})  # fmt: skip
            frame = series_frame(arm, scenario, replicate, run)
            frame.insert(1, "city", name)
            frames.append(frame)
    return rows, frames


def _baseline(arm: str, name: str, package: str, outputs: dict[str, RegionOutput]) -> RegionOutput | None:
    """The run a city's row is compared with: the same arm without its package."""
    if package == COUNTERFACTUAL:
        return outputs[arm]
    twin = {REGION: f"{name} {COUNTERFACTUAL}", ALONE: ALONE_NONE}.get(arm)
    # None: a neighbour's row in another city's counterfactual arm (not run without its
    # package), or a best-response profile (the profiles are the comparison)
    return outputs.get(twin) if twin else None


def region_measures(out: RegionOutput, c: int, names: list[str], window: int, summary: dict) -> dict:
    """City ``c``'s region measures (``REGION_MEASURES``) and its flows to each city
    (``to_<city>``: hired and poached by that city's employers, a year).
    """
    last = slice(max(0, out.hired.shape[0] - window), None)
    hired, poached = out.hired[last].mean(axis=0), out.poached[last].mean(axis=0)
    others = np.arange(len(names)) != c
    measures = {
        "hired_out": float(hired[c, others].sum()),
        "hired_in": float(hired[others, c].sum()),
        "poached_out": float(poached[c, others].sum()),
        "poached_in": float(poached[others, c].sum()),
    }
    measures["net_inflow"] = (measures["hired_in"] + measures["poached_in"]
                              - measures["hired_out"] - measures["poached_out"])  # fmt: skip
    for key, table in (
        ("working_elsewhere_share", out.working),
        ("trained_elsewhere_share", out.working_trained),
    ):
        row = table[-1, c]
        measures[key] = float(row[others].sum() / row.sum()) if row.sum() > 0 else float("nan")
    kept = summary.get("in_field_local", float("nan"))
    cost = summary.get("fiscal_cost", 0.0)
    measures["cost_per_kept_graduate_cny"] = cost / kept if kept and kept > 0 else float("nan")
    for d, other in enumerate(names):
        measures[f"to_{other}"] = float(hired[c, d] + poached[c, d]) if d != c else 0.0
    return measures


def runs_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as a table (for notebooks)."""
    return pd.DataFrame(rows)
