"""The fused filter: products and sign tests in one pass, no distance tile in memory.

Both exact searches spend nearly all their time in one step: for a block of query rows
and all reference rows, find the pairs whose folded product ``q . r`` is ``<= 0`` (the
filter's value minus the query's threshold). Done with numpy, each product writes a
float32 tile of a few megabytes, and the sign test reads it back and writes a mask of
it: with 20-odd features the tile holds more bytes than the arithmetic that fills it,
so the step is bound by memory bandwidth. :func:`emit_pairs` does it in a compiled loop
(Cython, ``_fused_kernel.pyx``, built at install; the GIL released for the searches'
worker threads):

* on x86-64 CPUs with AVX-512 (or AVX2 and FMA), the block's query rows are packed
  feature-major once, and six reference rows at a time, read as stored, accumulate
  their products with 64 (or 16) query rows in registers; only the lanes that pass
  leave them (``_fused_simd.h``); no product is ever stored;
* elsewhere, BLAS products on tiles small enough to stay in the second-level cache,
  each tested while it is there (the BLAS scipy links, ``scipy.linalg.cython_blas``).

Measured on the 2-core AVX-512 machine of ``benchmarks/RESULTS.md``, one thread, a block
of 256 queries against 200,000 x 22 float32 rows: numpy's products and test 0.054 s;
the products alone 0.034 s; the BLAS tiles 0.030 s (about 34 GMAC/s; the test of each
value costs a third of that); the register loop 74-80 GMAC/s (AVX2 on the same
machine: 44-48), against a peak of ~100 for fused multiply-adds alone. (Its first form,
8 query rows by 32 reference rows packed per 128-row tile, ran at 52: the packing cost
15 %, the narrower block the rest.) A numba version of the tiles ran as fast as the
Cython one but cost 0.3 s and 126 MB of resident memory to load in every process, and
numba emits 256-bit vectors only. Whole searches at 20 features: see
``benchmarks/RESULTS-search.md``.

The values are float32 products as before, summed in another order (and with fused
multiply-adds), which the searches' error bounds allow: they hold for any order. The
answers are unchanged, bit for bit. The contract a GPU version would meet is the same:
rows ``Q`` against rows ``R[c0:c1]``, every pair with a product ``<= 0`` (``j > i`` only
with ``upper``), as ``(row of Q, j, value)``.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np

from smotelab.utils._blas import forget_blas_libraries

__all__ = ["emit_pairs", "fused_available", "group_minima", "use_fused"]

# Reference rows per tile: 256 query rows x 128 columns of float32 is 128 KiB, within
# the second-level cache (measured: 128 and 256 within 3 %, 1024 to 4096 20-30 % slower;
# splitting the rows into smaller products did not help).
_COLS = 128

# Row widths (features + 2) above which numpy's products are kept: wide rows' products
# cost so much more than the tile they write that numpy's path is at the compute rate
# already (the register loop measured 1.5x faster at 64 features, 1.25x at 100, equal
# at 200, 0.84x at 1,000).
_WIDE = 128

_kernel: Any = None
# The compiled loop's form: 2 (AVX-512) or 1 (AVX2) in registers, 0 BLAS tiles.
_level = 0
_lock = threading.Lock()


def use_fused(width: int) -> bool:
    """Whether a search over rows of ``width`` (features + 2) runs the compiled kernel.

    ``SMOTELAB_FUSED=0`` keeps numpy's products always, ``=1`` uses the kernel at any
    width (for tests and benchmarks).
    """
    setting = os.environ.get("SMOTELAB_FUSED", "")
    if setting == "0" or (setting != "1" and width > _WIDE):
        return False
    return fused_available()


def fused_available() -> bool:
    """Whether the compiled kernel is there (a source tree not built falls back)."""
    global _kernel
    if _kernel is None:
        with _lock:
            if _kernel is None:
                try:
                    from . import _fused_kernel
                except ImportError:  # not built: numpy's products
                    _kernel = False
                else:
                    global _level
                    _level = _fused_kernel.simd_level()
                    _kernel = _fused_kernel
                    # its products run on scipy's BLAS, which single-threaded blocks
                    # must limit too (the libraries are looked up again)
                    forget_blas_libraries()
    return bool(_kernel)


_local = threading.local()


def _tile(nq: int) -> np.ndarray:
    """This thread's tile buffer, at least ``nq x _COLS`` floats (reused: fresh buffers
    cost page faults)."""
    tile = getattr(_local, "tile", None)
    if tile is None or len(tile) < nq * _COLS:
        tile = _local.tile = np.empty(max(nq, 256) * _COLS, np.float32)
    return tile


def emit_pairs(Q: np.ndarray, R: np.ndarray, c0: int, c1: int, *, i0: int = 0,
               upper: bool = False, expect: int = 0
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of rows ``Q[r]`` and ``R[j]``, ``c0 <= j < c1``, whose product is ``<= 0``.

    ``Q`` and ``R`` are C-ordered float32 with the same width. ``Q``'s rows are the
    search's rows ``i0, i0 + 1, ...``; with ``upper`` only pairs ``j > i0 + r`` count
    (a self-search's upper triangle). Returns the rows ``r`` of ``Q``, the rows ``j`` of
    ``R`` and the float32 products, in no particular order; ``expect`` sizes the
    first buffer.
    """
    cols = _COLS
    tile = _tile(Q.shape[0])
    cap = max(1 << 14, int(expect))
    state = np.zeros(2, np.intp)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    while True:
        buf = getattr(_local, "buf", None)
        if buf is None or len(buf[0]) < cap:
            buf = _local.buf = (np.empty(cap, np.intp), np.empty(cap, np.intp),
                                np.empty(cap, np.float32))
        n = _kernel.emit(Q, R, c0, c1, i0, upper, cols, tile, buf[0], buf[1], buf[2], state,
                         _level)
        done = n if n >= 0 else int(state[0])
        parts.append((buf[0][:done].copy(), buf[1][:done].copy(), buf[2][:done].copy()))
        if n >= 0:
            break
        c0 = int(state[1])  # resume at the tile that did not fit, with room for more
        cap = 4 * len(buf[0])
    if len(parts) == 1:
        return parts[0]
    return tuple(np.concatenate([p[x] for p in parts]) for x in range(3))  # type: ignore[return-value]


def group_minima(Q: np.ndarray, RS: np.ndarray, per: int, i0: int, subset: np.ndarray
                 ) -> np.ndarray:
    """Per row of ``Q`` (the search's rows ``i0, i0 + 1, ...``) and group of ``per``
    consecutive rows of ``RS`` (the rows ``subset`` of the search), the least product,
    the row itself left out: float32, shape ``(len(Q), len(RS) // per)``.
    """
    nq = Q.shape[0]
    out = np.empty((nq, len(RS) // per), np.float32)
    _kernel.group_minima(Q, RS, per, i0, np.asarray(subset, dtype=np.intp),
                         _tile(nq)[: nq * _COLS], np.empty(nq, np.float32), out, _level)
    return out
