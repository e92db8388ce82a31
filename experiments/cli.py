"""The ``consortium-sim`` command: a Hydra app that runs an experiment.

Before Hydra starts (and creates a results folder), the overrides are composed and
checked once; a user's mistake ends with one line naming the field and what is
allowed, and exit status 2. Only a clean config reaches the experiment.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import hydra
from hydra import compose, initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig, OmegaConf

from policies.packages import available
from policies.schema import Config, register
from policies.validate import ConfigError, validate

EXIT_USAGE = 2
# Hydra flags that only print (help, config, info) are passed straight to Hydra.
_PRINT_ONLY = {"-h", "--help", "--hydra-help", "--info", "-i", "--shell-completion", "-sc", "--cfg", "-c"}
_FLAGS_WITH_VALUE = {"--cfg", "-c", "--package", "-p", "--config-path", "-cp", "--config-name", "-cn",
                     "--config-dir", "-cd", "--info", "-i", "--experimental-rerun"}  # fmt: skip

register()


@hydra.main(config_path="pkg://configs", config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    from experiments.compare import run_experiment  # late: keeps `--help` fast

    try:
        validate(cfg)
        if cfg.experiment.name == "validate":
            from experiments.validation import report

            sys.exit(report(cfg))
        run_experiment(cfg)
    except ConfigError as error:
        _fail(str(error))


def main() -> None:
    """Console entry point: check the command line, then hand over to Hydra."""
    args = sys.argv[1:]
    multirun = any(a in ("-m", "--multirun") for a in args)
    if not multirun and not any(a in _PRINT_ONLY for a in args):
        overrides = _overrides(args)
        try:
            check_overrides(overrides)
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


def check_overrides(overrides: list[str]) -> DictConfig:
    """Compose the config with ``overrides`` and validate it; raise ConfigError."""
    own = [o for o in overrides if not o.lstrip("+~").startswith("hydra.")]
    GlobalHydra.instance().clear()
    try:
        with initialize_config_module("configs", version_base="1.3"):
            cfg = compose("config", overrides=own)
    except Exception as error:  # Hydra and OmegaConf raise many types; all mean bad input
        raise _explain(error) from None
    finally:
        GlobalHydra.instance().clear()
    validate(cfg)
    _refuse_other_results(overrides, cfg)
    if cfg.lang.name == "zh" and cfg.experiment.report:
        _need_chinese_font()
    return cfg


def _need_chinese_font() -> None:
    """A Chinese report needs a font with every glyph it uses; say so before any run."""
    from experiments.fonts import FontError, cjk_family
    from experiments.report_text import characters

    try:
        cjk_family(characters("zh"))
    except FontError as error:
        raise ConfigError("lang", f"{error}") from None


def _refuse_other_results(overrides: list[str], cfg: DictConfig) -> None:
    """A folder with results of another configuration is never touched."""
    from experiments.store import config_fingerprint

    for override in overrides:
        if override.startswith("hydra.run.dir="):
            folder = Path(override.split("=", 1)[1])
            manifest = folder / "manifest.json"
            if manifest.exists():
                held = json.loads(manifest.read_text()).get("config_fingerprint")
                if held != config_fingerprint(cfg):
                    raise ConfigError(
                        "hydra.run.dir",
                        f"'{folder}' holds results of a different configuration; choose a new folder "
                        "(the same configuration resumes or reprints it)",
                    )


def _explain(error: Exception) -> ConfigError:
    """Turn a Hydra/OmegaConf composition error into one line naming the field."""
    text = str(error)
    cause = error.__cause__ or error.__context__
    full = f"{text}\n{cause}" if cause is not None else text
    lines = [line.strip() for line in full.splitlines() if line.strip()]
    if "Could not find" in text:
        group = text.split("Could not find '", 1)[1].split("'", 1)[0]
        group_name, _, wanted = group.partition("/")
        options = ", ".join(available(group_name)) if group_name else ""
        return ConfigError(group_name or "config", f"unknown preset '{wanted}'; allowed: {options}")
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
    return "allowed: " + ", ".join(str(k) for k in node.keys())


def _fail(message: str) -> None:
    print(f"consortium-sim: error: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()
