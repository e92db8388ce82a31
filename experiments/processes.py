"""Worker processes that never outlive their parent, and a parent that stops on a signal.

A sweep's and a report's forked workers (:func:`forked_pool`) ask the kernel to kill them
when their parent ends, however it ends (``prctl(PR_SET_PDEATHSIG)`` on Linux: a SIGKILL of
the parent too), and leave Ctrl-C to their parent. A pool left by an error or an
interruption has its workers terminated at once instead of waited for. The command line
turns SIGTERM into :class:`Interrupted` (a ``KeyboardInterrupt``, as SIGINT raises), so
both stop the same way: workers ended, what was complete kept, one line saying so
(:func:`stop_on_signals`).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Interrupted(KeyboardInterrupt):
    """The process was asked to stop by a signal (``signum``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_interrupted(signum: int, _frame: Any) -> None:
    raise Interrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM raises :class:`Interrupted` here (SIGINT raises KeyboardInterrupt already)."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def signal_number(error: KeyboardInterrupt) -> int:
    """The signal that raised ``error``: SIGTERM for :class:`Interrupted` by it, else SIGINT."""
    return error.signum if isinstance(error, Interrupted) else int(signal.SIGINT)


def die_with_parent(parent: int) -> None:
    """In a child: be killed when ``parent`` ends (Linux), leave Ctrl-C to it, and end on
    SIGTERM (not the handler of :func:`stop_on_signals` it may have inherited).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the request above took effect
        os._exit(1)


@contextmanager
def forked_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` forked processes that die with this one. Leaving the block
    normally waits for the pool's work; leaving it by an exception (an interruption, an
    error, a consumer that stops early) terminates the workers at once.
    """
    before = {child.pid for child in multiprocessing.active_children()}
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=die_with_parent,
                               initargs=(os.getpid(),))  # fmt: skip
    try:
        yield pool
    except BaseException:
        for child in multiprocessing.active_children():
            if child.pid not in before:
                child.kill()  # a worker holds nothing to save: this process writes
        pool.shutdown(wait=True)  # returns at once: the pool sees its workers gone
        raise
    pool.shutdown(wait=True)
