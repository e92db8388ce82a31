"""Drawing several figures at once: each in a forked process, one per core.

A figure is a ``figure_*`` function of experiments/report/figures.py that writes its PNG
and PDF and returns a path. Drawing one takes 0.5 to 2 s of matplotlib (layout, two
renderings, font subsetting), all of it in Python holding the interpreter, so figures
are drawn side by side in processes forked from this one at the first ``submit``: they
inherit the imported modules, the rcParams and warning filters of ``figure_style`` in
force then, and their inputs are pickled by ``submit`` itself (tables of a few thousand
rows), so what is drawn is the inputs as they were then. Each process writes its own files; the paths
come back in the order the figures were submitted, so the page is the same whatever
finished first. Where forking is unavailable or one worker is asked for, the figures are
drawn here, one after another.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from experiments.processes import forked_pool


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Inline(Executor):
    """Runs each submitted call at once, in this process (an executor of one)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Call ``fn`` now; its result or error in a finished future."""
        done: Future = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except Exception as error:  # raised again by done.result(), as a pool would
            done.set_exception(error)
        return done


class Forked(Executor):
    """A pool of forked processes whose inputs are pickled in the caller's thread, at
    ``submit``: the pool's own feeder thread would pickle them later, while the caller
    goes on using the same tables.
    """

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Call ``fn`` in a worker on a snapshot of its arguments."""
        return self.pool.submit(_call, pickle.dumps((fn, args, kwargs), pickle.HIGHEST_PROTOCOL))


def _call(payload: bytes) -> Any:
    fn, args, kwargs = pickle.loads(payload)
    return fn(*args, **kwargs)


@contextmanager
def drawing(workers: int = 0, figures: int = 2) -> Iterator[Executor]:
    """An executor for ``figures`` figures: forked processes, ``workers`` of them
    (0: one per core; never more than the cores or the figures), or this process alone.
    """
    count = min(workers or cores(), cores(), figures)
    forks = "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon
    if count < 2 or not forks:  # a daemonic process (a pool's worker) may not have children
        yield Inline()
        return
    _warm_up()
    with forked_pool(count) as pool:  # processes that die with this one
        yield Forked(pool)


def _warm_up() -> None:
    """Import once, before forking, what every worker would otherwise import for its
    first PNG and PDF (0.12 to 0.15 s of CPU each).
    """
    import fontTools.subset  # noqa: F401
    import matplotlib.backends.backend_pdf  # noqa: F401
    import PIL.PngImagePlugin  # noqa: F401
