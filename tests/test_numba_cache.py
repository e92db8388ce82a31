"""numba's cache files are pickles: a cache folder another user may write into is never
used (before: a home cache that could not be created fell back to a shared folder under
/tmp and loaded whatever was there)."""

import os
import stat

from agents import jit


def test_a_folder_others_may_write_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    (shared / "consortium-sim").mkdir(parents=True)
    os.chmod(shared / "consortium-sim", 0o777)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(shared))
    chosen = jit._cache_dir()
    assert not chosen.startswith(str(shared))
    mode = os.stat(chosen).st_mode
    assert stat.S_IMODE(mode) == 0o700 and os.listdir(chosen) == []


def test_a_private_folder_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    chosen = jit._cache_dir()
    assert chosen.startswith(str(tmp_path / "consortium-sim" / "numba-"))


def test_a_home_cache_that_cannot_be_made_gets_a_new_private_folder(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(blocked))
    chosen = jit._cache_dir()
    assert stat.S_IMODE(os.stat(chosen).st_mode) == 0o700 and os.listdir(chosen) == []
