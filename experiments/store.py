"""The results folder: config, manifest, Parquet tables; every write atomic.

A folder counts as finished only when ``manifest.json`` says ``"status": "complete"``;
it is written last, so an interrupted run never looks complete. The manifest lists every
part file with its row count and SHA-256 (``parts``); every read checks the folder against
it (:func:`part_files`) and refuses, with one line naming the file, a part missing,
damaged or not the folder's own; a rerun of the same command recomputes the chunks whose
parts are missing or damaged (:class:`ChunkStore`). One process at a time writes a
folder (:func:`lock`).
"""

from __future__ import annotations

import fcntl
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
import pyarrow.parquet as pq
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


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (flushed to disk before the rename)."""
    with _atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_parquet(frame: pd.DataFrame, path: Path) -> dict:
    """Write a table as Parquet, atomically; return its ``rows`` and ``sha256``."""
    data = frame.to_parquet(index=False)
    assert isinstance(data, bytes)
    atomic_write_bytes(path, data)
    return {"rows": len(frame), "sha256": hashlib.sha256(data).hexdigest()}


def write_config(cfg: Any, folder: Path) -> None:
    """The resolved config, as YAML."""
    atomic_write_bytes(folder / "config.yaml", OmegaConf.to_yaml(cfg, resolve=True).encode())


# What write_manifest stamps itself on every write (not carried over from the last one).
_STAMPED = ("status", "written_at", "python", "versions", "git_commit")


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


class StoreError(ValueError):
    """A results folder that does not hold what its manifest says, or is in use: the
    message is one line naming the file and what to do.
    """


TABLES = ("runs", "series")


def part_name(chunk: int) -> str:
    """The file of a chunk in each table's folder."""
    return f"part-{chunk:06d}.parquet"


def read_manifest(folder: Path) -> dict:
    """The folder's manifest; StoreError if it is not one."""
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        reason = "cannot be read" if isinstance(error, OSError) else "is damaged (not JSON)"
        raise StoreError(f"{path} {reason}; the folder's results cannot be checked: move it aside "
                         "and run again into a new folder") from None  # fmt: skip
    if not isinstance(manifest, dict) or not isinstance(manifest.get("chunks_done", []), list):
        raise StoreError(f"{path} is damaged (not a results manifest); move the folder aside "
                         "and run again into a new folder")  # fmt: skip
    return manifest


def damaged_parts(folder: Path, manifest: dict, checksums: tuple[str, ...] = TABLES) -> dict[int, str]:
    """Chunks listed done whose part files are missing or, for the tables in
    ``checksums``, differ from the SHA-256 the manifest recorded when they were written,
    each with the reason; raise StoreError for a file in a table's folder that is none of
    the listed parts (a copy, a stray file). The part of a chunk the manifest does not
    list yet (written whole, then the run stopped before the manifest recorded it: a
    kill, a full disk) is no result: reads pass over it, and a resume redoes the chunk.
    """
    parts = manifest.get("parts", {})
    pending = unlisted_parts(manifest)
    expected: dict[str, set[str]] = {table: set() for table in TABLES}
    damaged: dict[int, str] = {}
    for chunk in manifest.get("chunks_done", []):
        written = parts.get(str(chunk))
        for table in TABLES:
            if written is not None and table not in written:
                continue  # a chunk whose runs all failed has no part
            expected[table].add(part_name(chunk))
            path = folder / f"{table}.parquet" / part_name(chunk)
            if not path.exists():
                damaged[chunk] = f"{path} is missing"
            elif table in checksums and written is not None:
                if hashlib.sha256(path.read_bytes()).hexdigest() != written[table]["sha256"]:
                    damaged[chunk] = f"{path} is damaged (its checksum differs from the manifest's)"
    for table in TABLES:
        directory = folder / f"{table}.parquet"
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if not path.name.startswith(".") and path.name not in expected[table] | pending:
                raise StoreError(f"{path} is not one of the folder's results (manifest.json lists "
                                 f"{len(expected[table])} parts); remove it, then run again")  # fmt: skip
    return damaged


def unlisted_parts(manifest: dict) -> set[str]:
    """Part file names of the chunks the manifest does not list as done."""
    done = set(manifest.get("chunks_done", []))
    return {part_name(c) for c in range(int(manifest.get("chunks_total", 0))) if c not in done}


def record_artefacts(folder: Path, group: str, skip: tuple[str, ...] = ()) -> None:
    """Record in the manifest the files now under ``folder/group`` (``figures``,
    ``report``, ``report/zh``), but those under the subfolders ``skip``, with their
    SHA-256: what the folder claims to hold of them.
    """
    manifest = read_manifest(folder)
    excluded = tuple(f"{group}/{name}/" for name in skip)
    files = {}
    for path in sorted((folder / group).rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith(excluded) and not path.name.startswith("."):
            files[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    artefacts = {**manifest.get("artefacts", {}), group: files}
    kept = {k: v for k, v in manifest.items() if k not in (*_STAMPED, "artefacts")}
    write_manifest(folder, manifest.get("status", "running"), **kept, artefacts=artefacts)


def artefacts_sound(folder: Path, group: str) -> bool:
    """Whether the manifest records ``group`` and every file of it is there, unchanged."""
    try:
        files = read_manifest(folder).get("artefacts", {}).get(group)
    except StoreError:
        return False
    if not files:
        return False
    for relative, digest in files.items():
        path = folder / relative
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return False
    return True


@contextmanager
def lock(folder: Path) -> Iterator[None]:
    """Hold the folder for this process (an advisory lock on ``folder/.lock``); a second
    process gets StoreError at once, never a share of the writing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise StoreError(f"{folder} is in use by {holder}; wait for it to finish, "
                             "or choose another hydra.run.dir") from None  # fmt: skip
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


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
        if (folder / "manifest.json").exists():
            self.manifest = read_manifest(folder)
            if self.manifest.get("config_fingerprint") != self.fingerprint:
                raise StoreMismatch(
                    f"'{folder}' holds results of a different configuration; "
                    "use a new hydra.run.dir (or the same config to resume)"
                )
        for stale in folder.glob("*.parquet/.*.tmp"):  # left by a write cut off (the caller holds the lock)
            stale.unlink(missing_ok=True)
        for name in unlisted_parts(self.manifest):  # written, then stopped before the manifest: redone
            for table in TABLES:
                (folder / f"{table}.parquet" / name).unlink(missing_ok=True)
        self.damaged = damaged_parts(folder, self.manifest)
        self.done: set[int] = set(self.manifest.get("chunks_done", [])) - set(self.damaged)
        self.parts: dict[str, dict] = {k: v for k, v in self.manifest.get("parts", {}).items()
                                       if int(k) in self.done}  # fmt: skip
        self.failed: list[dict] = list(self.manifest.get("failed", []))
        if self.damaged:  # recomputed by the run: the folder is not complete until then
            self.manifest["status"] = "running"
            for chunk in self.damaged:
                for table in TABLES:
                    (folder / f"{table}.parquet" / part_name(chunk)).unlink(missing_ok=True)

    @property
    def complete(self) -> bool:
        """Whether the stored experiment finished."""
        return self.manifest.get("status") == "complete"

    def write_chunk(self, chunk: int, runs: pd.DataFrame, series: pd.DataFrame, failed: list[dict]) -> None:
        """Store one chunk's tables, then record it as done."""
        name = part_name(chunk)
        written = {}
        if len(runs):
            written["runs"] = write_parquet(runs, self.folder / "runs.parquet" / name)
            written["series"] = write_parquet(series, self.folder / "series.parquet" / name)
        self.parts[str(chunk)] = written
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
            parts={str(c): self.parts[str(c)] for c in sorted(self.done) if str(c) in self.parts},
            failed_runs=len(self.failed),
            failed=self.failed,
            **fields,
        )
        fixed = {k: v for k, v in self.manifest.items() if k not in _STAMPED}
        write_manifest(self.folder, status, **fixed)


def read_table(folder: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """A stored table (the part files of the chunks done), sorted by package, scenario,
    replicate (and year); StoreError if the folder does not match its manifest.
    """
    paths = part_files(folder, name)
    if not paths:
        return pd.DataFrame()
    try:
        frame = pq.read_table([str(p) for p in paths], columns=columns).to_pandas()
    except (OSError, ValueError) as error:  # a part unreadable although its checksum matched
        raise StoreError(f"{folder / f'{name}.parquet'} cannot be read ({error}); run again to "
                         "recompute it") from None  # fmt: skip
    keys = [k for k in ("package", "scenario", "replicate", "year") if k in frame.columns]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True) if keys else frame


def part_files(folder: Path, name: str) -> list[Path]:
    """The part files of table ``name`` the manifest lists, checked against it (rows and
    SHA-256); StoreError naming the first file that is missing, damaged or a stranger.
    """
    manifest = read_manifest(folder)
    damaged = damaged_parts(folder, manifest, checksums=(name,))
    if damaged:
        raise StoreError(f"{next(iter(damaged.values()))}; run the same command again to recompute it")
    parts = manifest.get("parts", {})
    chunks = sorted(manifest.get("chunks_done", []))
    listed = [c for c in chunks if str(c) not in parts or name in parts[str(c)]]
    return [folder / f"{name}.parquet" / part_name(c) for c in listed]
