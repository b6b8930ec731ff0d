"""``n_jobs``: how many threads a sampler's searches and kernels may use.

A sampler's ``n_jobs`` is held in a context variable for the duration of its fit; the
exact search reads it when it decides how many worker threads to start. ``None`` keeps
the library's default (serial for small searches, up to 8 threads for large ones);
``-1`` means every core the process may use, ``-2`` all but one, and so on (joblib's
convention); a positive number is a cap. ``n_jobs=1`` also keeps the BLAS to one thread,
so the fit uses one core.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

from ._blas import single_threaded_blas

__all__ = ["available_cores", "max_threads", "thread_limit", "worker_count"]

_LIMIT: ContextVar[int | None] = ContextVar("smotelab_thread_limit", default=None)


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _resolve(n_jobs: int) -> int:
    if n_jobs == 0:
        raise ValueError("n_jobs=0 would run nothing; use None (the default), -1 (every "
                         "core) or a positive number of threads.")
    cores = available_cores()
    return n_jobs if n_jobs > 0 else max(1, cores + 1 + n_jobs)


def max_threads() -> int | None:
    """The thread cap of the fit in progress (``None``: the library's default)."""
    return _LIMIT.get()


def worker_count(work: int, serial_below: int) -> int:
    """Threads for a job of ``work`` units: one below ``serial_below`` units (thread
    start-up would cost more than it saves) or when the fit's ``n_jobs`` is 1; else
    every core, at most 8 by default or the fit's cap."""
    limit = max_threads()
    if work < serial_below or limit == 1:
        return 1
    cores = available_cores()
    return max(1, min(cores, 8) if limit is None else min(cores, limit))


@contextmanager
def thread_limit(n_jobs: int | None) -> Iterator[None]:
    """Within the block, searches use at most ``n_jobs`` threads (see the module notes)."""
    if n_jobs is None:
        yield
        return
    limit = _resolve(int(n_jobs))
    token = _LIMIT.set(limit)
    try:
        with single_threaded_blas() if limit == 1 else nullcontext():
            yield
    finally:
        _LIMIT.reset(token)
