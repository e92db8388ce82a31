"""Worker processes that never outlive their parent, and a parent that stops on a signal.

A sweep's and a report's forked workers (:func:`forked_pool`) ask the kernel to kill them
when their parent ends, however it ends (``prctl(PR_SET_PDEATHSIG)`` on Linux: a SIGKILL of
the parent too), and leave Ctrl-C to their parent. A pool left by an error or an
interruption has its workers killed at once instead of waited for. The commands turn
SIGTERM into :class:`Interrupted` (a ``KeyboardInterrupt``, as SIGINT raises), so both stop
the same way: workers ended, what was complete kept, one line saying so
(:func:`run_interruptible`).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Interrupted(KeyboardInterrupt):
    """The process was asked to stop by a signal (``signum``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def run_interruptible(program: str, body: Callable[[], Any], resume: str) -> None:
    """Run a command's ``body`` so that SIGTERM stops it as Ctrl-C does: one line on stderr
    (the notes the interruption collected on its way, else that what was complete is
    kept, then ``resume``: how to go on), and the shell's status for the signal (130 for
    SIGINT, 143 for SIGTERM), never a traceback.

    A signal is also remembered, so that one whose ``KeyboardInterrupt`` was raised where
    it could not propagate (in a finalizer, where Python prints it and goes on) still
    stops the command once the body returns; such an interrupt is not printed.

    It exits without joining the process pools' threads: a pool whose workers were killed
    while one was sending a result has its manager thread blocked for ever on the rest of
    that message (Python 3.11), and joining it, as the interpreter does on a normal exit,
    would hang.
    """
    received: list[int] = []

    def on_signal(signum: int, _frame: Any) -> None:
        received.append(signum)
        raise Interrupted(signum)

    def unraisable(hook: Any) -> None:
        if not (isinstance(hook.exc_value, KeyboardInterrupt) and received):
            default_hook(hook)

    default_hook = sys.unraisablehook
    previous = {signum: signal.signal(signum, on_signal) for signum in (signal.SIGTERM, signal.SIGINT)}
    sys.unraisablehook = unraisable
    try:
        body()
        if received:  # raised where it was swallowed: stop as asked all the same
            raise Interrupted(received[0])
    except KeyboardInterrupt as error:
        signum = error.signum if isinstance(error, Interrupted) else int(signal.SIGINT)
        kept = "; ".join(getattr(error, "__notes__", [])) or "what was complete is kept"
        print(f"\n{program}: interrupted ({signal.Signals(signum).name}); {kept}; {resume}",
              file=sys.stderr)  # fmt: skip
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(128 + signum)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sys.unraisablehook = default_hook


def die_with_parent(parent: int) -> None:
    """In a child: be killed when ``parent`` ends (Linux), leave Ctrl-C to it, and end on
    SIGTERM (not the handler of :func:`run_interruptible` it may have inherited).
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
        pool.shutdown(wait=False)  # not joined: see run_interruptible
        raise
    pool.shutdown(wait=True)
