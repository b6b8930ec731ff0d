"""Run BLAS single-threaded while our own worker threads share the cores.

The exact neighbour search runs several row blocks at once, each calling the BLAS; a
multi-threaded BLAS inside each of them oversubscribes the cores (measured: 1.5-2x
slower). threadpoolctl can limit it, but its controller inspects every loaded shared
library the first time (about 50 ms with scipy and scikit-learn loaded), which is as
long as a whole 100k-row SMOTE. Only numpy's own BLAS matters here (our products are
``np.matmul``), so on Linux we find the loaded BLAS libraries in ``/proc/self/maps``
and call their documented thread-count functions directly. Anywhere else, or for a
BLAS we do not recognise, threadpoolctl does it.

Nested and concurrent uses share one process-wide count: the first to enter saves
the libraries' thread counts and sets them to 1, the last to leave restores them.
As with threadpoolctl, an OpenBLAS built on OpenMP takes the limit per calling
thread, so there it only limits the thread that entered.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["forget_blas_libraries", "single_threaded_blas"]

# (file name prefixes, getter names, setter names, C type of the count), tried in order.
_AFFIXES = [(p, x) for p in ("scipy_", "") for x in ("64_", "", "_64")]
_KNOWN = (
    (("libscipy_openblas", "libopenblas"),
     tuple(f"{p}openblas_get_num_threads{x}" for p, x in _AFFIXES),
     tuple(f"{p}openblas_set_num_threads{x}" for p, x in _AFFIXES), ctypes.c_int),
    (("libmkl_rt",), ("MKL_Get_Max_Threads",), ("MKL_Set_Num_Threads",), ctypes.c_int),
    (("libblis",), ("bli_thread_get_num_threads",), ("bli_thread_set_num_threads",),
     ctypes.c_int64),
)
# BLAS-looking libraries we cannot drive directly: threadpoolctl handles them.
_OTHER_BLAS = ("libflexiblas", "libcblas", "libblas", "libgoto", "libarmpl", "libnvpl")

_LOCK = threading.Lock()
_STATE: dict = {"depth": 0, "saved": [], "controls": None}


def _symbol(lib: ctypes.CDLL, names: tuple[str, ...]) -> Any:
    for name in names:
        fn = getattr(lib, name, None)
        if fn is not None:
            return fn
    return None


def _blas_like_paths(maps: str) -> list[str]:
    """Mapped files of ``/proc/self/maps`` whose line mentions a BLAS, sorted."""
    low, paths = maps.lower(), set()
    for key in ("blas", "mkl", "blis", "goto", "armpl", "nvpl"):
        i = low.find(key)
        while i != -1:
            start = maps.rfind("\n", 0, i) + 1
            end = maps.find("\n", i)
            end = len(maps) if end == -1 else end
            fields = maps[start:end].split(maxsplit=5)
            if len(fields) == 6:
                paths.add(fields[5].strip())
            i = low.find(key, end)
    return sorted(paths)


def _direct_controls() -> list[tuple[Callable, Callable]] | None:
    """(get, set) of every loaded BLAS on Linux; None when threadpoolctl must do it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open("/proc/self/maps") as fh:
            maps = fh.read()
    except OSError:
        return None
    controls = []
    for path in _blas_like_paths(maps):
        base = os.path.basename(path).lower()
        known = [entry for entry in _KNOWN if base.startswith(entry[0])]
        if not known:
            if base.startswith(_OTHER_BLAS):
                return None
            continue
        _, getters, setters, count = known[0]
        try:
            lib = ctypes.CDLL(path, mode=getattr(os, "RTLD_NOLOAD", 0))
        except OSError:
            return None
        get, set_ = _symbol(lib, getters), _symbol(lib, setters)
        if get is None or set_ is None:
            return None
        get.restype, get.argtypes = count, []
        set_.restype, set_.argtypes = None, [count]
        controls.append((get, set_))
    return controls or None


class _ThreadpoolctlLimit:
    """Fallback: threadpoolctl's controller (built once per process) limits the BLAS."""

    controller = None

    def __enter__(self) -> None:
        if _ThreadpoolctlLimit.controller is None:
            from threadpoolctl import ThreadpoolController

            _ThreadpoolctlLimit.controller = ThreadpoolController()
        self._limit = _ThreadpoolctlLimit.controller.limit(limits=1, user_api="blas")

    def __exit__(self, *exc: object) -> None:
        self._limit.restore_original_limits()


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Within the block the BLAS runs one thread per caller; restored afterwards."""
    with _LOCK:
        if _STATE["controls"] is None:
            _STATE["controls"] = _direct_controls() or []
        controls = _STATE["controls"]
        if controls:
            if _STATE["depth"] == 0:
                _STATE["saved"] = [get() for get, _ in controls]
                for _, set_ in controls:
                    set_(1)
            _STATE["depth"] += 1
    if not controls:
        with _ThreadpoolctlLimit():
            yield
        return
    try:
        yield
    finally:
        with _LOCK:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0:
                for (_, set_), n in zip(controls, _STATE["saved"], strict=True):
                    set_(max(1, int(n)))


def forget_blas_libraries() -> None:
    """Look for the loaded BLAS libraries again at the next use (one was just loaded)."""
    with _LOCK:
        if _STATE["depth"] == 0:
            _STATE["controls"] = None
