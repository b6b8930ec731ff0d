"""The fused filter: products and sign tests in one pass over cache-sized tiles.

Both exact searches spend nearly all their time in one step: for a block of query rows
and all reference rows, find the pairs whose folded product ``q . r`` is ``<= 0`` (the
filter's value minus the query's threshold). Done with numpy, each product writes a
float32 tile of a few megabytes, and the sign test reads it back and writes a mask of
it: with 20-odd features the tile holds more bytes than the arithmetic that fills it,
so the step is bound by memory bandwidth. :func:`emit_pairs` runs the same products
as BLAS calls on tiles small enough to stay in the second-level cache, tests each tile
while it is there, and writes only the pairs that pass; the loop over tiles is compiled
(Cython, ``_fused_kernel.pyx``, built at install), so it costs no interpreter time per
tile and releases the GIL for the searches' worker threads.

Why this shape (measured on the 2-core AVX-512 machine of ``benchmarks/RESULTS.md``, a
block of 256 queries against 200,000 x 22 float32 rows, one thread): numpy's product
and test took 0.054 s, the product alone 0.034 s, a hand-vectorised numba product with
the test fused into it 0.055 s (numba emits 256-bit vectors only, half the BLAS
kernel's width), and the loop of this module 0.030 s, below the product-alone time
because the tile never leaves the cache: about 34 GMAC/s, against 49 for the tiles'
products alone (the test of each value costs the rest; three other forms of it measured
no faster) and 84 for the BLAS on large square products, which dot products of 22 terms
cannot reach. The same loop compiled by numba ran at the same speed, but loading numba
costs 0.3 s and 126 MB of resident memory in every process; compiled ahead, the loop
loads in milliseconds, so small searches use it too.

The values are the BLAS's own float32 products, as before, so the searches' error
bounds and their answers are unchanged. The contract a GPU version would meet is the
same: rows ``Q`` against rows ``R[c0:c1]``, every pair with a product ``<= 0`` (``j > i``
only with ``upper``), as ``(row of Q, j, value)``.
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
# already (measured equal at 200 features on self-searches, 1.6x faster on a query of
# 1,000 rows against 1,000,000).
_WIDE = 96

_kernel: Any = None
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
        n = _kernel.emit(Q, R, c0, c1, i0, upper, cols, tile, buf[0], buf[1], buf[2], state)
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
                         _tile(nq)[: nq * _COLS], np.empty(nq, np.float32), out)
    return out
