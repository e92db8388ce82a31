"""The ``consortium-sim`` command: a Hydra app that runs an experiment.

A plain command line (``key=value`` overrides only, the usual case) is composed once:
the config is composed with Hydra's ``compose`` API, checked, and the same config is run
as Hydra's job (:func:`hydra.core.utils.run_job`: the results folder, ``.hydra/``, the
log). ``@hydra.main`` would compose it twice more (once to find the mode, once to run),
about a third of a second each. A command line with Hydra's flags (``--help``, ``--cfg``,
``-m``, ``--config-dir`` ...) is handed to ``@hydra.main``, checked first unless it only
prints or sweeps (then each job is checked). Either way a user's mistake ends, before
any results folder exists, with one line naming the field and what is allowed, and exit
status 2.
"""

from __future__ import annotations

import copy
import errno
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import hydra
from hydra import compose, initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig, OmegaConf, open_dict

from experiments.processes import run_interruptible
from policies.packages import available
from policies.schema import Config, register
from policies.validate import ConfigError, validate

EXIT_USAGE = 2
# Hydra flags that only print (help, config, info) are passed straight to Hydra.
_PRINT_ONLY = {"-h", "--help", "--hydra-help", "--info", "-i", "--shell-completion", "-sc", "--cfg", "-c"}
_FLAGS_WITH_VALUE = {"--cfg", "-c", "--package", "-p", "--config-path", "-cp", "--config-name", "-cn",
                     "--config-dir", "-cd", "--info", "-i", "--experimental-rerun"}  # fmt: skip
_TASK_NAME = "cli"  # what @hydra.main names the job of this module (hydra.job.name is set in config.yaml)

register()


@hydra.main(config_path="pkg://configs", config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    """Hydra's own entry (a command line with flags): every job is checked here."""
    try:
        validate(cfg)
    except ConfigError as error:
        _fail(str(error))
    _job(cfg)


def _job(cfg: DictConfig) -> None:
    """Run the experiment of a checked config (the task of Hydra's job)."""
    from experiments.store import StoreError  # late: the store needs pandas

    try:
        if cfg.experiment.name == "validate":
            from experiments.validation import report

            sys.exit(report(cfg))
        from experiments.compare import run_experiment  # late: keeps `--help` and errors fast

        run_experiment(cfg)
    except (ConfigError, StoreError) as error:
        _fail(str(error))
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
            raise
        from hydra.core.hydra_config import HydraConfig

        folder = HydraConfig.get().runtime.output_dir if HydraConfig.initialized() else "the results folder"
        print(f"consortium-sim: error: cannot write to {error.filename or folder} ({error.strerror}); "
              "what was complete is kept: make room (or allow writing), then run the same command "
              "again", file=sys.stderr)  # fmt: skip
        sys.exit(1)


def main() -> None:
    """Console entry point: check the command line, then run it (or hand it to Hydra).

    Ctrl-C or SIGTERM stops it with one line (what is stored is kept; the same command
    resumes) and the shell's status for the signal (130, 143), never a traceback.
    """
    run_interruptible("consortium-sim", lambda: _main(sys.argv[1:]), "run the same command again to resume")


def _main(args: list[str]) -> None:
    if not any(a.startswith("-") or a.startswith("hydra.mode=") for a in args):
        _run(args)
        return
    multirun = any(a in ("-m", "--multirun") for a in args)
    try:
        check_syntax(_overrides(args))
    except ConfigError as error:
        _fail(str(error))
    if not multirun and not any(a in _PRINT_ONLY for a in args):
        try:
            check_overrides(_overrides(args))
        except ConfigError as error:
            _fail(str(error))
    _app()


def _overrides(args: list[str]) -> list[str]:
    """The key=value overrides of a command line, without Hydra's flags and their values."""
    overrides, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in _FLAGS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            overrides.append(arg)
    return overrides


@contextmanager
def _configs() -> Iterator[None]:
    """Hydra initialised on the shipped configs (as ``@hydra.main`` finds them)."""
    GlobalHydra.instance().clear()
    try:
        with initialize_config_module("configs", version_base="1.3", job_name=_TASK_NAME):
            yield
    finally:
        GlobalHydra.instance().clear()


def check_overrides(overrides: list[str]) -> DictConfig:
    """Compose the config with ``overrides`` and check it; raise ConfigError. The config
    returned keeps its ``hydra`` node (``hydra.*`` overrides applied).
    """
    with _configs():
        return _composed_and_checked(overrides)


# The Hydra settings a user may give: where results go, how Hydra logs and what it prints,
# and where else presets are found (``hydra.searchpath``: a search's front packages, a
# user's own). Any other ``hydra.*`` override (callbacks, launchers, sweepers) would have
# Hydra create and call objects named on the command line.
HYDRA_SETTINGS = (
    *("hydra.run.dir", "hydra.sweep.dir", "hydra.sweep.subdir", "hydra.mode", "hydra.verbose"),
    "hydra.searchpath",
    *("hydra.job.chdir", "hydra.output_subdir", "hydra/job_logging", "hydra/hydra_logging"),
)


def check_syntax(overrides: list[str]) -> None:
    """Refuse overrides that add or delete keys (``+key``, ``++key``, ``~key``): every
    setting is a key of the schema, and an added one would be stored and never read; and
    ``hydra.*`` settings other than :data:`HYDRA_SETTINGS`.
    """
    for override in overrides:
        key = override.split("=", 1)[0]
        if key.startswith(("+", "~")):
            bare = key.lstrip("+~")
            raise ConfigError(bare or key, f"adding or deleting keys ('{key[: len(key) - len(bare)]}') is "
                              f"not allowed; set a known key as {bare}=VALUE")  # fmt: skip
        if key.startswith(("hydra.", "hydra/")) and not key.startswith(HYDRA_SETTINGS):
            raise ConfigError(key, f"not a setting users may change; allowed: {', '.join(HYDRA_SETTINGS)}")


def _composed_and_checked(overrides: list[str]) -> DictConfig:
    check_syntax(overrides)
    try:
        cfg = compose("config", overrides=overrides, return_hydra_config=True)
    except Exception as error:  # Hydra and OmegaConf raise many types; all mean bad input
        raise _explain(error) from None
    validate(cfg)
    _refuse_other_results(cfg)
    _need_writable(Path(str(cfg.hydra.run.dir)))
    if cfg.lang.name == "zh" and cfg.experiment.report:
        _need_chinese_font()
    return cfg


def _run(overrides: list[str]) -> None:
    """Compose and check once, then run that config as Hydra's job."""
    from hydra._internal.utils import run_and_report  # Hydra's short error report, as @hydra.main

    with _configs():
        try:
            cfg = _composed_and_checked([*overrides, "hydra.mode=RUN"])  # as @hydra.main adds it
        except ConfigError as error:
            _fail(str(error))
        run_and_report(lambda: _run_job(cfg))


def _run_job(cfg: DictConfig) -> None:
    """What ``Hydra.run`` does with a composed config: callbacks, logging, the job."""
    from hydra._internal.callbacks import Callbacks
    from hydra.core.utils import configure_log, run_job
    from hydra.types import HydraContext

    configure_log(cfg.hydra.hydra_logging, cfg.hydra.verbose)
    callbacks = Callbacks(cfg)
    callbacks.on_run_start(config=cfg, config_name="config")
    loader = GlobalHydra.instance().config_loader()
    done = run_job(task_function=_job, config=cfg, job_dir_key="hydra.run.dir", job_subdir_key=None,
                   hydra_context=HydraContext(config_loader=loader, callbacks=callbacks))  # fmt: skip
    callbacks.on_run_end(config=cfg, config_name="config", job_return=done)
    _ = done.return_value  # raises the job's exception, if any


def _need_chinese_font() -> None:
    """A Chinese report needs a font with every glyph it uses; say so before any run."""
    from experiments.fonts import FontError, cjk_family
    from experiments.report_text import characters

    try:
        cjk_family(characters("zh"))
    except FontError as error:
        raise ConfigError("lang", f"{error}") from None


def _need_writable(folder: Path) -> None:
    """The results folder (or the nearest folder that exists above it) must be writable:
    Hydra writes its log there first, and would fail naming its log handler instead.
    """
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(
            "hydra.run.dir", f"{existing} is not writable; choose another folder, or allow writing"
        )


def _refuse_other_results(cfg: DictConfig) -> None:
    """A folder with results of another configuration is never touched."""
    folder = Path(str(cfg.hydra.run.dir))
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return
    from experiments.store import StoreError, config_fingerprint, read_manifest  # late: needs pandas

    try:
        held = read_manifest(folder).get("config_fingerprint")
    except StoreError as error:
        raise ConfigError("hydra.run.dir", str(error)) from None
    if held != config_fingerprint(_without_hydra(cfg)):
        raise ConfigError(
            "hydra.run.dir",
            f"'{folder}' holds results of a different configuration; choose a new folder "
            "(the same configuration resumes or reprints it)",
        )


def _without_hydra(cfg: DictConfig) -> DictConfig:
    """The job's config (what the run stores and fingerprints): ``cfg`` without ``hydra``."""
    job = copy.deepcopy(cfg)
    with open_dict(job):
        del job["hydra"]
    return job


def _explain(error: Exception) -> ConfigError:
    """Turn a Hydra/OmegaConf composition error into one line naming the field."""
    text = str(error)
    cause = error.__cause__ or error.__context__
    full = f"{text}\n{cause}" if cause is not None else text
    lines = [line.strip() for line in full.splitlines() if line.strip()]
    if "Could not find" in text:
        group = text.split("Could not find '", 1)[1].split("'", 1)[0]
        group_name, _, wanted = group.rpartition("/")
        options = ", ".join(available(group_name)) if group_name else ""
        allowed = f"allowed: {options}" if options else "see consortium-sim --hydra-help"
        return ConfigError(group_name or "config", f"unknown preset '{wanted}'; {allowed}")
    key = next((ln.split("full_key:", 1)[1].strip() for ln in lines if ln.startswith("full_key:")), "")
    if "not in struct" in full or re.search(r"Key '[^']+' not in '", full):
        return ConfigError(key or "config", f"unknown key; {_allowed_keys(key)}")
    detail = next(
        (ln for ln in lines if ln.startswith(("Value ", "Invalid value", "Incompatible"))), lines[0]
    )
    return ConfigError(key or "command line", detail)


def _allowed_keys(full_key: str) -> str:
    node: Any = OmegaConf.structured(Config)
    parent = full_key.rsplit(".", 1)[0] if "." in full_key else ""
    for part in [p for p in parent.split(".") if p]:
        if part not in node:
            return "see configs/ for the keys"
        node = node[part]
    if not node.keys():  # a mapping of named entries (region.cities, experiment.targets)
        return "not an entry of this mapping; its entries are named in its config file (configs/)"
    return "allowed: " + ", ".join(str(k) for k in node.keys())


def _fail(message: str) -> None:
    print(f"consortium-sim: error: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()
