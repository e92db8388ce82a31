"""The results folder: config, manifest, Parquet tables; every write atomic.

A folder counts as finished only when ``manifest.json`` says ``"status": "complete"``;
it is written last, so an interrupted run never looks complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf

_PACKAGES = ("consortium-sim", "numpy", "numba", "pandas", "pyarrow", "hydra-core", "omegaconf",
             "mesa", "scipy", "matplotlib")  # fmt: skip


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _umask_mode()  # what a plain open() would have given (mkstemp uses 0600)


@contextmanager
def _atomic_path(path: Path) -> Iterator[str]:
    """A temporary file beside ``path`` to write; renamed into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (flushed to disk before the rename)."""
    with _atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as Parquet, atomically."""
    with _atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def write_config(cfg: Any, folder: Path) -> None:
    """The resolved config, as YAML."""
    atomic_write_bytes(folder / "config.yaml", OmegaConf.to_yaml(cfg, resolve=True).encode())


def write_manifest(folder: Path, status: str, **fields: Any) -> dict:
    """Write ``manifest.json`` with versions, commit, and the given fields."""
    manifest = {
        "status": status,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "versions": dict(_versions()),
        "git_commit": _git_commit(),
        **fields,
    }
    atomic_write_bytes(folder / "manifest.json", json.dumps(manifest, indent=2, default=str).encode())
    return manifest


@cache  # once a process, as the commit: a sweep rewrites the manifest after every chunk
def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


@cache
def _git_commit() -> str | None:
    source = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(
            ["git", "-C", str(source), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


class StoreMismatch(ValueError):
    """The folder holds results of another experiment."""


def config_fingerprint(cfg: Any) -> str:
    """A hash of everything that determines the numbers (not the worker count)."""
    container = OmegaConf.to_container(cfg, resolve=True)
    assert isinstance(container, dict)
    container.get("experiment", {}).pop("workers", None)
    container.get("experiment", {}).pop("figures", None)
    container.get("experiment", {}).pop("report", None)
    container.pop("executor", None)
    container.pop("lang", None)
    text = json.dumps(container, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class ChunkStore:
    """Chunked Parquet results that survive a crash and resume where they stopped.

    ``runs.parquet/`` and ``series.parquet/`` are folders of part files, one per chunk,
    each written to a hidden temporary file and renamed into place; ``manifest.json``
    lists the finished chunks and is rewritten (atomically) after each one. A chunk
    whose part files exist but which the manifest does not list is simply redone.
    """

    def __init__(self, folder: Path, cfg: Any, n_chunks: int) -> None:
        self.folder = folder
        self.fingerprint = config_fingerprint(cfg)
        self.n_chunks = n_chunks
        self.manifest: dict[str, Any] = {}
        existing = folder / "manifest.json"
        if existing.exists():
            self.manifest = json.loads(existing.read_text())
            if self.manifest.get("config_fingerprint") != self.fingerprint:
                raise StoreMismatch(
                    f"'{folder}' holds results of a different configuration; "
                    "use a new hydra.run.dir (or the same config to resume)"
                )
        for stale in folder.glob("*.parquet/.*.tmp"):
            stale.unlink(missing_ok=True)
        self.done: set[int] = set(self.manifest.get("chunks_done", []))
        self.failed: list[dict] = list(self.manifest.get("failed", []))

    @property
    def complete(self) -> bool:
        """Whether the stored experiment finished."""
        return self.manifest.get("status") == "complete"

    def write_chunk(self, chunk: int, runs: pd.DataFrame, series: pd.DataFrame, failed: list[dict]) -> None:
        """Store one chunk's tables, then record it as done."""
        name = f"part-{chunk:06d}.parquet"
        if len(runs):
            write_parquet(runs, self.folder / "runs.parquet" / name)
            write_parquet(series, self.folder / "series.parquet" / name)
        self.done.add(chunk)
        self.failed = [f for f in self.failed if f.get("chunk") != chunk] + failed
        self.save("running")

    def save(self, status: str, **fields: Any) -> None:
        """Rewrite the manifest with the chunks done so far."""
        self.manifest.update(
            status=status,
            config_fingerprint=self.fingerprint,
            chunks_total=self.n_chunks,
            chunks_done=sorted(self.done),
            failed_runs=len(self.failed),
            failed=self.failed,
            **fields,
        )
        fixed = {
            k: v
            for k, v in self.manifest.items()
            if k not in ("status", "written_at", "python", "versions", "git_commit")
        }
        write_manifest(self.folder, status, **fixed)


def read_table(folder: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """A stored table (all part files), sorted by package, scenario, replicate (and year)."""
    path = folder / f"{name}.parquet"
    if not path.exists():
        return pd.DataFrame()
    frame = pd.read_parquet(path, columns=columns)
    keys = [k for k in ("package", "scenario", "replicate", "year") if k in frame.columns]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True) if keys else frame
