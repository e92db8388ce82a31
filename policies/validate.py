"""Checks that types cannot express: ranges, windows, names, sizes.

Every failure is a :class:`ConfigError` naming the field and what is allowed, so the
command line can print one line and exit with status 2.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from omegaconf import OmegaConf, read_write

from policies.packages import available, load_city, load_package
from policies.schema import Config, Lever, Link, Package


class ConfigError(ValueError):
    """A user's config mistake: ``field`` and what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


# Students a run holds (every cohort's columns, about 60 bytes each): about 1.2 GB.
MAX_STUDENTS = 20_000_000


def validate(cfg: Any, experiment: bool = True) -> None:
    """Raise :class:`ConfigError` for the first problem found in a composed config.

    ``experiment=False`` skips the experiment's packages and design (slow: it loads
    every package), for a caller that runs ``cfg.policy`` only or checked them already.
    """
    _check_ranges(cfg, Config, "")
    _check_city(cfg)
    if experiment:
        _check_experiment(cfg)
    _check_package(cfg.policy, "policy")
    if "region" in cfg and cfg.region.name != "none":
        check_region(cfg)
    elif cfg.experiment.name in ("best_response", "coordination"):
        name = cfg.experiment.name
        raise ConfigError("region", f"experiment={name} needs a region: region=sxc (configs/region/)")
    if cfg.experiment.name == "best_response":
        _check_profiles(cfg)
    if experiment and cfg.experiment.name == "design":
        _check_design_search(cfg)
    if experiment and (cfg.experiment.search.decisions or cfg.experiment.search.objectives):
        check_search(cfg)
    if experiment and cfg.experiment.name == "calibrate":
        check_calibrate(cfg)


def validate_package(package: Any, name: str) -> None:
    """Check a named package loaded outside the main config."""
    _check_ranges(package, Package, f"policy[{name}]")
    _check_package(package, f"policy[{name}]")


def _check_ranges(node: Any, schema: type, prefix: str) -> None:
    for f in dataclasses.fields(schema):
        path = f"{prefix}.{f.name}" if prefix else f.name
        value = getattr(node, f.name)
        if dataclasses.is_dataclass(value) or hasattr(value, "keys"):
            sub = _schema_of(schema, f.name)
            if sub is not None and dataclasses.is_dataclass(sub):
                _check_ranges(value, sub, path)
            continue
        _check_value(path, value, f.metadata)


def _schema_of(schema: type, name: str) -> type | None:
    default = next(f for f in dataclasses.fields(schema) if f.name == name).default_factory
    if default is dataclasses.MISSING:
        return None
    return type(default())


def _check_value(path: str, value: Any, meta: Any) -> None:
    if value is None or not meta or isinstance(value, bool):
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(path, f"must be a finite number, got {value}")
    low, high = meta.get("min"), meta.get("max")
    if "min_exclusive" in meta and value <= meta["min_exclusive"]:
        raise ConfigError(path, f"must be greater than {meta['min_exclusive']:g}, got {value}")
    if (low, high) == (0.0, 1.0) and not low <= value <= high:
        raise ConfigError(path, f"must be a share in [0, 1], got {value}")
    if low is not None and value < low:
        what = "a non-negative amount" if (low == 0 and isinstance(value, float)) else f"at least {low:g}"
        raise ConfigError(path, f"must be {what}, got {value}")
    if high is not None and value > high:
        shown = f"{high:,}" if isinstance(high, int) else f"{high:,g}"
        raise ConfigError(path, f"must be at most {shown}, got {value}")


def _check_package(package: Any, prefix: str) -> None:
    if package.governance.empowered_entity and not package.entity.enabled:
        raise ConfigError(
            f"{prefix}.governance.empowered_entity",
            "needs entity.enabled: true (powers are delegated to the operating entity)",
        )
    for f in dataclasses.fields(Package):
        lever = getattr(package, f.name)
        if isinstance(_default(f), Lever) and lever.end_year is not None:
            if lever.end_year < lever.start_year:
                raise ConfigError(
                    f"{prefix}.{f.name}.end_year",
                    f"must be >= start_year ({lever.start_year}) or null, got {lever.end_year}",
                )


def _default(f: dataclasses.Field) -> Any:
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


def _check_city(cfg: Any) -> None:
    city = cfg.city
    schools = [city.secondary_vocational, city.higher_vocational, city.undergraduate]
    n_firms, intake = city.n_firms, sum(s.count * s.capacity_per_year for s in schools)
    roster = city_roster(city)
    if roster is not None and roster.firm_sector.size:
        n_firms = roster.firm_sector.size
    if roster is not None and roster.school_kind.size:  # the roster's schools, not the preset's types
        intake = int(roster.school_capacity.sum())
        if intake < 1:
            raise ConfigError(
                "city.schools_csv", f"{city.schools_csv}: its schools admit nobody (intake_per_year)"
            )
    elif sum(s.count for s in schools) < 1:
        raise ConfigError(
            "city",
            "needs at least one school: secondary_vocational, higher_vocational or undergraduate .count >= 1",
        )
    elif intake < 1:
        raise ConfigError(
            "city",
            "schools admit nobody: some school type needs count >= 1 and capacity_per_year >= 1",
        )
    if city.initial_deep_firms > n_firms:
        raise ConfigError("city.initial_deep_firms", f"must be at most the number of firms ({n_firms})")
    if intake * cfg.years > MAX_STUDENTS:
        raise ConfigError(
            "city",
            f"schools admit {intake:,} a year for {cfg.years} years: a run holds at most {MAX_STUDENTS:,} "
            "students (memory); fewer years, schools or places",
        )


def _check_experiment(cfg: Any) -> None:
    exp = cfg.experiment
    check_design(exp.design)
    _check_factor_values(cfg)
    if cfg.executor.name not in ("local", "dask"):
        raise ConfigError("executor.name", f"unknown executor '{cfg.executor.name}'; allowed: local, dask")
    known = available("policy")
    if len(exp.packages) == 0:
        raise ConfigError(
            "experiment.packages", f"must name at least one package; allowed: {', '.join(known)}"
        )
    for field, names in (
        ("experiment.packages", list(exp.packages)),
        ("experiment.counterfactual", [exp.counterfactual]),
    ):
        for name in names:
            if name not in known:
                raise ConfigError(field, f"unknown package '{name}'; allowed: {', '.join(known)}")
    duplicates = sorted({name for name in exp.packages if list(exp.packages).count(name) > 1})
    if duplicates:
        raise ConfigError("experiment.packages", f"each package once; listed twice: {', '.join(duplicates)}")
    for name in {*exp.packages, exp.counterfactual}:
        try:
            validate_package(load_package(name), name)
        except ConfigError:
            raise
        except Exception as error:  # a malformed shipped or user-added YAML
            raise ConfigError(f"policy[{name}]", _first_line(error)) from error


DESIGN_KINDS = ("central", "grid", "lhs", "sobol", "morris", "posterior")


def check_design(design: Any) -> None:
    """Refuse designs that cannot be built; errors name the field."""
    if design.kind not in DESIGN_KINDS:
        raise ConfigError(
            "experiment.design.kind", f"unknown design '{design.kind}'; allowed: {', '.join(DESIGN_KINDS)}"
        )
    if design.kind == "sobol":
        n = design.samples
        if n < 2 or n & (n - 1):
            raise ConfigError(
                "experiment.design.samples", f"Sobol designs need N a power of two >= 2, got {n}"
            )
    if design.kind == "posterior":
        if not design.get("posterior"):
            raise ConfigError("experiment.design.posterior", "a results folder of experiment=calibrate")
    if design.kind in ("lhs", "morris", "posterior") and design.samples < 1:
        raise ConfigError("experiment.design.samples", f"must be at least 1 for a {design.kind} design")
    if design.kind in ("sobol", "morris") and len(design.factors) < 1:
        raise ConfigError("experiment.design.factors", f"a {design.kind} design needs at least one factor")
    for name, spec in design.factors.items():
        check_factor(f"experiment.design.factors.{name}", name, spec, ("uncertainty.", "policy."))
        if spec.get("step") is not None:
            raise ConfigError(
                f"experiment.design.factors.{name}.step", "only a search's decisions take a step"
            )


def check_factor(field: str, name: str, spec: Any, roots: tuple[str, ...]) -> None:
    """A design factor or a search's decision variable (``spec``: kind, low/high or
    choices) at config path ``name``, which must lie under one of ``roots``.
    """
    if not name.startswith(roots):
        raise ConfigError(field, f"must be a path under {' or '.join(roots)}")
    if spec.kind not in ("float", "int", "categorical"):
        raise ConfigError(f"{field}.kind", f"unknown kind '{spec.kind}'; allowed: float, int, categorical")
    if spec.kind == "categorical" and not spec.choices:
        raise ConfigError(f"{field}.choices", "a categorical factor needs a list of choices")
    if spec.kind != "categorical" and (spec.low is None or spec.high is None or spec.high < spec.low):
        raise ConfigError(field, "needs low <= high")
    if spec.kind == "int" and (float(spec.low) != int(spec.low) or float(spec.high) != int(spec.high)):
        raise ConfigError(field, "an int factor needs whole-number low and high")
    if spec.get("step") is not None:
        steps = (float(spec.high) - float(spec.low)) / float(spec.step) if spec.step > 0 else -1.0
        if spec.kind != "float" or steps < 0 or abs(steps - round(steps)) > 1e-9 * max(1.0, steps):
            raise ConfigError(
                f"{field}.step", "a float factor's step: above zero, dividing high - low into whole steps"
            )


def _check_factor_values(cfg: Any) -> None:
    """Each value a design factor can take (its low and high, each choice) makes a config
    that passes the same checks as the value given directly: ranges are intervals, so
    their ends suffice. Two factors are checked one at a time, not jointly. A posterior
    design's parameters: the range of their particles.
    """
    design = cfg.experiment.design
    check_values(cfg, design.factors, "experiment.design.factors")
    if design.kind == "posterior":
        from policies.observed import ObservedError, read_posterior

        try:
            paths, values, _ = read_posterior(design.posterior)
        except ObservedError as error:
            raise ConfigError("experiment.design.posterior", str(error)) from None
        ranges = {path: OmegaConf.create({"kind": "float", "low": float(values[:, j].min()),
                                          "high": float(values[:, j].max())})
                  for j, path in enumerate(paths)}  # fmt: skip
        check_values(cfg, ranges, "experiment.design.posterior")


def check_values(cfg: Any, factors: Any, prefix: str) -> None:
    """``_check_factor_values`` for any mapping of factors (a search's decisions too)."""
    for name, spec in factors.items():
        if spec.kind == "categorical":
            ends = [(f"choices[{k}]", choice) for k, choice in enumerate(spec.choices)]
        else:
            ends = [("low", spec.low), ("high", spec.high)]
        absent = object()
        try:
            given = OmegaConf.select(cfg, name, default=absent, throw_on_missing=True)
        except Exception as error:  # OmegaConf: not a path of the config
            raise ConfigError(f"{prefix}.{name}", _first_line(error)) from None
        if given is absent:
            raise ConfigError(f"{prefix}.{name}", "not a path of the config (consortium-sim --cfg job)")
        for label, value in ends:
            try:  # set in place (a copy of the whole config costs 30 ms), put back after
                with read_write(cfg):
                    OmegaConf.update(cfg, name, int(value) if spec.kind == "int" else value, merge=False)
                validate(cfg, experiment=False)
            except ConfigError as error:
                raise ConfigError(f"{prefix}.{name}.{label}", f"gives {error}") from None
            except Exception as error:  # OmegaConf: an unknown path or a wrong type
                raise ConfigError(f"{prefix}.{name}", _first_line(error)) from None
            finally:
                with read_write(cfg):
                    OmegaConf.update(cfg, name, given, merge=False)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def city_roster(city: Any) -> Any:
    """A city's rosters (``policies.rosters.Roster``; None without files), a mistake in
    them a ConfigError naming the file, row and column.
    """
    if not (city.get("firms_csv") or city.get("schools_csv")):
        return None
    from policies.rosters import RosterError, load_roster  # late: rosters imports the schema too

    try:
        return load_roster(city.firms_csv, city.schools_csv)
    except RosterError as error:
        raise ConfigError(error.field, str(error)) from None


def sector_names(city: Any) -> list[str] | None:
    """A city's sector names if its rosters name them (None for a preset's numbered sectors)."""
    roster = city_roster(city)
    return list(roster.sectors) if roster is not None else None


def check_region(cfg: Any) -> None:
    """A region (``region=``): at least two cities, each a shipped city preset with a
    shipped package and one field label per sector (each label once in a city), and links
    each between two of its cities, a pair at most once, within their ranges.
    """
    region = cfg.region
    names = list(region.cities)
    if len(names) < 2:
        raise ConfigError("region.cities", f"a region needs at least two cities, got {len(names)}")
    cities, packages = available("city"), available("policy")
    for name in names:
        spec, path = region.cities[name], f"region.cities.{name}"
        for key, value, allowed in (("city", spec.city, cities), ("policy", spec.policy, packages)):
            if value not in allowed:
                raise ConfigError(f"{path}.{key}", f"unknown preset '{value}'; allowed: {', '.join(allowed)}")
        city = load_city(spec.city)
        fields = [str(f) for f in spec.fields]
        n_sectors = len(sector_names(city) or []) or city.n_sectors  # a roster's sectors, else the preset's
        if fields and len(fields) != n_sectors:
            raise ConfigError(
                f"{path}.fields",
                f"one label per sector of {spec.city}: {n_sectors}, got {len(fields)} ('' for a field "
                "no other city has)",
            )
        labels = [f for f in fields if f]
        twice = sorted({f for f in labels if labels.count(f) > 1})
        if twice:
            raise ConfigError(f"{path}.fields", f"each label once in a city; twice: {', '.join(twice)}")
        with read_write(city):
            city_cfg = OmegaConf.merge(cfg, {"city": city})
        _check_city(city_cfg)
        validate_package(load_package(spec.policy), spec.policy)
    community = str(region.community_field)
    if community:
        holders = [name for name in names if community in [str(f) for f in region.cities[name].fields]]
        if len(holders) < 2:
            raise ConfigError(
                "region.community_field",
                f"'{community}' must be a field label of at least two of the region's cities ('' for none)",
            )
    pairs: set[frozenset[str]] = set()
    for i, link in enumerate(region.links):
        path = f"region.links[{i}]"
        between = [str(b) for b in link.between]
        if len(between) != 2 or between[0] == between[1] or not set(between) <= set(names):
            raise ConfigError(f"{path}.between", f"two different cities of the region ({', '.join(names)}), "
                                                 f"got {between}")  # fmt: skip
        if frozenset(between) in pairs:
            raise ConfigError(f"{path}.between", f"{between[0]} and {between[1]} are linked twice")
        pairs.add(frozenset(between))
        _check_ranges(link, Link, path)


MAX_PROFILES = 4096  # best_response runs every profile: packages ** cities of them


def _check_profiles(cfg: Any) -> None:
    """best_response: at least two packages to choose from, a design of its own, and a
    number of profiles (packages ** cities) that a sweep can run.
    """
    exp = cfg.experiment
    if len(exp.packages) < 2:
        raise ConfigError("experiment.packages", "best_response needs at least two packages to choose from")
    if exp.design.kind != "central" or exp.design.factors:
        raise ConfigError("experiment.design", "best_response makes its own design (every profile): central")
    profiles = len(exp.packages) ** len(cfg.region.cities)
    if profiles > MAX_PROFILES:
        raise ConfigError(
            "experiment.packages",
            f"{len(exp.packages)} packages for {len(cfg.region.cities)} cities are {profiles:,} profiles; "
            f"at most {MAX_PROFILES:,}",
        )


DIRECTIONS = ("max", "min")


def check_search(cfg: Any) -> None:
    """A search for a package: decision variables under ``policy.`` whose every value the
    package field takes; objectives that are run measures with a direction; constraints
    on run measures with ``at_least`` <= ``at_most``.
    """
    from policies.outcomes import MEASURE_BY_KEY  # late: outcomes imports the schema too

    search, prefix = cfg.experiment.search, "experiment.search"
    known = [*MEASURE_BY_KEY, "healthy"]
    if not search.decisions:
        raise ConfigError(
            f"{prefix}.decisions", "a search needs at least one decision variable (a policy. path)"
        )
    for name, spec in search.decisions.items():
        check_factor(f"{prefix}.decisions.{name}", name, spec, ("policy.",))
    check_values(cfg, search.decisions, f"{prefix}.decisions")
    if not search.objectives:
        raise ConfigError(f"{prefix}.objectives", "a search needs at least one objective: measure: max | min")
    for measure, direction in search.objectives.items():
        if measure not in known:
            raise ConfigError(
                f"{prefix}.objectives.{measure}", f"not a run measure; allowed: {', '.join(known)}"
            )
        if direction not in DIRECTIONS:
            raise ConfigError(f"{prefix}.objectives.{measure}", f"'{direction}'; allowed: max, min")
    for measure, target in search.constraints.items():
        if measure not in known:
            raise ConfigError(
                f"{prefix}.constraints.{measure}", f"not a run measure; allowed: {', '.join(known)}"
            )
        low, high = target.at_least, target.at_most
        if low is None and high is None:
            raise ConfigError(f"{prefix}.constraints.{measure}", "needs at_least or at_most")
        if low is not None and high is not None and low > high:
            raise ConfigError(f"{prefix}.constraints.{measure}", f"at_least {low} is above at_most {high}")
    answer = search.answer
    for measure in [answer.measure, *answer.where]:
        if measure not in known:
            raise ConfigError(
                f"{prefix}.answer", f"'{measure}' is not a run measure; allowed: {', '.join(known)}"
            )
    if answer.direction not in DIRECTIONS:
        raise ConfigError(f"{prefix}.answer.direction", f"'{answer.direction}'; allowed: max, min")
    for measure, target in answer.where.items():
        if target.at_least is None and target.at_most is None:
            raise ConfigError(f"{prefix}.answer.where.{measure}", "needs at_least or at_most")


CALIBRATED_ROOTS = ("behaviour.", "uncertainty.", "city.")
PRIOR_KINDS = ("uniform", "loguniform", "normal")


def check_calibrate(cfg: Any) -> None:
    """A calibration: one city, at least two runs a parameter set, parameters under
    :data:`CALIBRATED_ROOTS` whose priors can be drawn and whose every value in bounds
    makes a valid config, and an observed-indicators file without a mistake.
    """
    settings, prefix = cfg.experiment.calibrate, "experiment.calibrate"
    if "region" in cfg and cfg.region.name != "none":
        raise ConfigError("region", "experiment=calibrate calibrates one city: region=none")
    if cfg.experiment.replicates < 2:
        raise ConfigError(
            "experiment.replicates", "a calibration needs at least 2 runs a parameter set (their spread)"
        )
    if cfg.experiment.summary_window_years > cfg.years:
        raise ConfigError("experiment.summary_window_years", f"at most the run's years ({cfg.years})")
    if not settings.parameters:
        raise ConfigError(f"{prefix}.parameters", "a calibration needs at least one parameter: "
                          f"a path under {', '.join(CALIBRATED_ROOTS)} with its prior")  # fmt: skip
    for name, spec in settings.parameters.items():
        field = f"{prefix}.parameters.{name}"
        if not str(name).startswith(CALIBRATED_ROOTS):
            raise ConfigError(field, f"must be a path under {' or '.join(CALIBRATED_ROOTS)}")
        if spec.kind not in PRIOR_KINDS:
            raise ConfigError(
                f"{field}.kind", f"unknown prior '{spec.kind}'; allowed: {', '.join(PRIOR_KINDS)}"
            )
        if spec.low is None or spec.high is None or not spec.low < spec.high:
            raise ConfigError(field, "needs low < high (the prior's bounds)")
        if spec.kind == "loguniform" and spec.low <= 0:
            raise ConfigError(f"{field}.low", "a loguniform prior needs low above 0")
        if spec.kind == "normal" and (spec.mean is None or spec.sd is None or spec.sd <= 0):
            raise ConfigError(
                field, "a normal prior needs mean and sd (above 0); it is truncated to [low, high]"
            )
        given = OmegaConf.select(cfg, name, default=None)
        if isinstance(given, bool) or not isinstance(given, float):
            raise ConfigError(
                field, "must be a number field of the config (a float; consortium-sim --cfg job)"
            )
    check_values(cfg, settings.parameters, f"{prefix}.parameters")
    if not settings.observed:
        raise ConfigError(f"{prefix}.observed", "the observed indicators: a YAML file (policies/observed.py)")
    from policies.observed import ObservedError, load_observed
    from policies.rosters import resolve

    try:
        load_observed(resolve(str(settings.observed)))
    except ObservedError as error:
        raise ConfigError(f"{prefix}.observed", str(error)) from None


def _check_design_search(cfg: Any) -> None:
    """experiment=design: a search to run, futures that are uncertainties only (the
    package is what is searched), and one city.
    """
    search = cfg.experiment.search
    if not search.decisions:
        raise ConfigError(
            "experiment.search.decisions", "experiment=design needs decision variables (policy. paths)"
        )
    for name in cfg.experiment.design.factors:
        if not name.startswith("uncertainty."):
            why = "a search's futures are uncertainty. paths (its decisions set the package)"
            raise ConfigError(f"experiment.design.factors.{name}", why)
    if "region" in cfg and cfg.region.name != "none":
        raise ConfigError("region", "experiment=design searches one city's package; use region=none")
