"""Compilation settings shared by the engine's kernels, and where numba caches them.

``kernel`` compiles a function that is only ever called from other compiled code:
it skips numba's Python wrapper, which for functions taking the state's named tuples
costs most of the compile time (about 3x measured here). Entry points called from
Python (``init_city``, ``run_years``) and the agents' scalar rules keep plain
``njit(cache=True)``.

numba's on-disk cache checks only the file that defines a function, not the files of
the functions it calls, so an edited rule in ``agents/`` could be served stale from the
cache of a kernel in ``sim/``. The cache therefore lives in a folder named after a hash
of all the model's sources (but the Mesa model's ``mesa_*.py``, which define no
kernels): any change to them starts a fresh cache. This module is
imported by ``agents/__init__.py``, so before any rule or kernel is defined.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numba
from numba import njit

_SOURCES = ("agents", "sim", "policies")


def _source_hash() -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in _SOURCES:
        for path in sorted((root / package).glob("*.py")):
            if path.name.startswith("mesa_"):  # the Mesa model's modules define no kernels
                continue
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> str:
    """The user's cache folder for these sources; numba's cache files are pickles, so a
    folder another user owns or may write into is never used. Then (and when the home
    cache cannot be created) a new private folder is made for this process: it compiles
    again, but loads nothing it did not write.
    """
    base = (
        os.environ.get("NUMBA_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    )
    folder = Path(base) / "consortium-sim" / f"numba-{_source_hash()}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if all(_private(path) for path in (folder.parent, folder)):
            return str(folder)
    except OSError:
        pass
    return tempfile.mkdtemp(prefix=f"consortium-sim-numba-{_source_hash()}-")


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else."""
    status = path.stat()
    return (not hasattr(os, "getuid") or status.st_uid == os.getuid()) and not status.st_mode & 0o022


numba.config.CACHE_DIR = _cache_dir()  # type: ignore[attr-defined]


def compiled_before(entry: str = "run_years") -> bool:
    """Whether numba's cache for these sources already holds ``entry`` (the core's run):
    False on a new machine or after the model's sources changed, when the first run
    compiles the kernels.
    """
    return any(Path(numba.config.CACHE_DIR).rglob(f"*{entry}*.nbi"))  # type: ignore[attr-defined]


kernel = njit(cache=True, no_cpython_wrapper=True)  # type: ignore[call-overload]
