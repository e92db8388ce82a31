"""A region's config (``region=``) as what ``sim.region`` runs: each city's shape,
parameters and package terms, the links between the cities, and the run keys.

Each city of the region is its ``city/`` preset under the run's ``behaviour`` and
``uncertainty`` (so a sweep's factors on those reach every city), running its own
``policy/`` package. Its random key comes from ``(seed, scenario, replicate)`` and its
place in the region: every arm of an experiment meets the same draws (common random
numbers), and a region with its links cut reproduces each city's run alone with that key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from policies.packages import load_city, load_package
from policies.params import build_params
from policies.terms import build_terms
from policies.validate import sector_names
from sim.region import CityRun, Links, RegionOutput, cut_links, run_lockstep
from sim.state import city_shape


def active(cfg: Any) -> bool:
    """Whether ``cfg`` runs a region rather than one city."""
    return "region" in cfg and str(cfg.region.name) != "none"


def city_names(cfg: Any) -> list[str]:
    """The region's cities, in the config's order (their place: ``[c, d]`` of the links)."""
    return [str(name) for name in cfg.region.cities]


def city_config(cfg: Any, name: str) -> DictConfig:
    """``cfg`` with ``city`` the region city ``name``'s preset and ``policy`` its package."""
    spec = cfg.region.cities[name]
    presets = {"city": load_city(str(spec.city)), "policy": load_package(str(spec.policy))}
    merged = OmegaConf.merge(cfg, presets)
    assert isinstance(merged, DictConfig)
    return merged


def city_key(seed: int, scenario: int, replicate: int, place: int) -> np.uint64:
    """The run key of the region's ``place``-th city (``SeedSequence`` as ``sim.rng``)."""
    if min(seed, scenario, replicate, place) < 0:
        raise ValueError("seed, scenario, replicate and place must be non-negative integers")
    seq = np.random.SeedSequence([int(seed), int(scenario), int(replicate), 1 + int(place)])
    return np.uint64(seq.generate_state(1, dtype=np.uint64)[0])


def build_links(cfg: Any, n_sectors: Mapping[str, int]) -> Links:
    """The config's links as arrays (symmetric), and each sector's field number: the
    labels numbered in order of first appearance over the cities; a label only one city
    has joins nothing. ``shared_platform``: linked cities' vacancies reached as one's own;
    ``community_field``: the field of a cross-city community (-1 if no two cities share it).
    """
    names = list(n_sectors)
    n = len(names)
    contact, commute, home, poaching, recognition = (np.zeros((n, n)) for _ in range(5))
    for link in cfg.region.links:
        c, d = (names.index(str(name)) for name in link.between)
        reach = 1.0 if cfg.region.shared_platform else float(link.contact_share)
        for a, b in ((c, d), (d, c)):
            contact[a, b] = reach
            commute[a, b] = float(link.commute_cost_cny)
            home[a, b] = float(link.home_kept_share)
            poaching[a, b] = float(link.poaching_share)
            recognition[a, b] = 1.0 if link.mutual_recognition else 0.0
    # a city's labels: the region's, else its roster's sector names, else none (it joins nothing)
    labels = [[str(f) for f in cfg.region.cities[name].fields] or sector_names(city_config(cfg, name).city)
              or [""] * n_sectors[name] for name in names]  # fmt: skip
    counts: dict[str, int] = {}
    for city_labels in labels:
        for label in {f for f in city_labels if f}:
            counts[label] = counts.get(label, 0) + 1
    shared = [label for label in dict.fromkeys(f for city_labels in labels for f in city_labels)
              if counts.get(label, 0) > 1]  # fmt: skip
    fields = tuple(np.array([shared.index(f) if f in shared else -1 for f in city_labels], np.int64)
                   for city_labels in labels)  # fmt: skip
    label = str(cfg.region.community_field)
    community = shared.index(label) if label in shared else -1
    return Links(contact, commute, home, poaching, fields, recognition, community)


def prepare_region(cfg: Any, packages: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    """What every run of a region's scenario shares: per city its shape, parameters and
    the yearly terms of its own package and of each package in ``packages[city]`` (for
    experiments that change a city's package); the links, and the links cut.
    """
    names = city_names(cfg)
    shapes, params, own, terms = {}, {}, {}, {}
    for name in names:
        city_cfg = city_config(cfg, name)
        shapes[name] = city_shape(city_cfg.city)
        params[name] = build_params(city_cfg)
        own[name] = str(cfg.region.cities[name].policy)
        for package in {own[name], *(packages or {}).get(name, [])}:
            pkg = city_cfg.policy if package == own[name] else load_package(package)
            terms[name, package] = build_terms(pkg, cfg.years)
    n_sectors = {name: shapes[name].n_sectors for name in names}
    return {"names": names, "shapes": shapes, "params": params, "own": own, "terms": terms,
            "links": build_links(cfg, n_sectors), "cut": cut_links(list(n_sectors.values()))}  # fmt: skip


def run_region(
    prepared: dict[str, Any],
    seed: int,
    scenario: int,
    replicate: int,
    packages: Mapping[str, str] | None = None,
    linked: bool | str = True,
) -> RegionOutput:
    """One run of the region: each city under its own package, or ``packages[city]``;
    joined by the links, alone (``linked=False``), or by the links ``prepared[linked]``.
    """
    cities = []
    for place, name in enumerate(prepared["names"]):
        package = (packages or {}).get(name, prepared["own"][name])
        yearly, lines = prepared["terms"][name, package]
        key = city_key(seed, scenario, replicate, place)
        cities.append(CityRun(prepared["shapes"][name], prepared["params"][name], yearly, lines, key))
    links = prepared[linked] if isinstance(linked, str) else prepared["links" if linked else "cut"]
    return run_lockstep(cities, links)
