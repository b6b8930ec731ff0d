"""The fused filter: products and sign tests in one pass over cache-sized tiles.

Both exact searches spend nearly all their time in one step: for a block of query rows
and all reference rows, find the pairs whose folded product ``q . r`` is ``<= 0`` (the
filter's value minus the query's threshold). Done with numpy, each product writes a
float32 tile of a few megabytes, and the sign test reads it back and writes a mask of
it: with 20-odd features the tile holds more bytes than the arithmetic that fills it,
so the step is bound by memory bandwidth. :func:`emit_pairs` runs the same products
as BLAS calls on tiles small enough to stay in the second-level cache, tests each tile
while it is there, and writes only the pairs that pass; the loop over tiles is
numba-compiled, so it costs no interpreter time per tile.

Why this shape (measured on the 2-core AVX-512 machine of ``benchmarks/RESULTS.md``, a
block of 256 queries against 200,000 x 22 float32 rows): numpy's product and test took
0.054 s, the product alone 0.034 s, a hand-vectorised numba product with the test
fused into it 0.055 s (numba emits 256-bit vectors only, half the BLAS kernel's width),
and this kernel 0.030 s, below the product-alone time because the tile never leaves the
cache. It runs at about 35 GMAC/s a core, the products alone at 49: the test of each
value costs the rest (three other forms of it measured no faster). The BLAS reaches
84 GMAC/s on large square products; with 22 terms per dot product it cannot.

The kernel releases the GIL, so the searches' worker threads run it on every core. Its
values are the BLAS's own float32 products, as before, so the searches' error bounds
and their answers are unchanged. The contract a GPU version would meet is the same:
rows ``Q`` against rows ``R[c0:c1]``, every pair with a product ``<= 0`` (``j > i``
only with ``upper``), as ``(row of Q, j, value)``.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np

from smotelab.utils._blas import forget_blas_libraries

__all__ = ["emit_pairs", "fused_available", "use_fused"]

# Reference rows per tile: 256 query rows x 128 columns of float32 is 128 KiB, within
# the second-level cache (measured: 128 and 256 within 3 %, 1024 to 4096 20-30 % slower;
# splitting the rows into smaller products did not help).
_COLS = 128

# Work (pairs x width) from which a search loads the kernel: a few seconds of products,
# next to which loading it costs little.
_LOAD_WORK = 1 << 36

# Row widths (features + 2) above which numpy's products are kept.
_WIDE = 96

_kernel: Any = None
_lock = threading.Lock()


def use_fused(work: int, width: int) -> bool:
    """Whether a search of ``work`` (pairs x width) over rows of ``width`` runs the kernel.

    Wide rows gain nothing: their products cost so much more than the tile they write
    that numpy's path is already at the compute rate (measured equal at 200 features).

    Loading numba and the cached kernel costs about 0.4 s once per process, so a small
    search in a process that has not loaded it yet keeps the matrix-product path;
    ``SMOTELAB_FUSED=0`` keeps it always (``=1``: always the kernel, for tests).
    """
    setting = os.environ.get("SMOTELAB_FUSED", "")
    if setting == "0" or (setting != "1" and width > _WIDE):
        return False
    if setting != "1" and _kernel is None and work < _LOAD_WORK:
        return False
    return _load() is not None


def fused_available() -> bool:
    """Whether the compiled kernel can be used (numba imports)."""
    return _load() is not None


def _load() -> Any:
    global _kernel
    if _kernel is None:
        with _lock:
            if _kernel is None:
                try:
                    from ._fused_kernel import emit
                except ImportError:  # numba missing or unusable: the matrix-product path
                    _kernel = False
                else:
                    _kernel = emit
                    # the kernel's products run on scipy's BLAS, which single-threaded
                    # blocks must now limit too
                    forget_blas_libraries()
    return _kernel or None


_local = threading.local()


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
    kernel = _load()
    nq = Q.shape[0]
    cols = _COLS
    tile = getattr(_local, "tile", None)
    if tile is None or len(tile) < nq * cols:
        tile = _local.tile = np.empty(max(nq, 256) * cols, np.float32)
    cap = max(1 << 14, int(expect))
    state = np.zeros(2, np.intp)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    while True:
        buf = getattr(_local, "buf", None)
        if buf is None or len(buf[0]) < cap:
            buf = _local.buf = (np.empty(cap, np.intp), np.empty(cap, np.intp),
                                np.empty(cap, np.float32))
        n = kernel(Q, R, c0, c1, i0, upper, cols, tile, buf[0], buf[1], buf[2], state)
        done = n if n >= 0 else int(state[0])
        parts.append((buf[0][:done].copy(), buf[1][:done].copy(), buf[2][:done].copy()))
        if n >= 0:
            break
        c0 = int(state[1])  # resume at the tile that did not fit, with room for more
        cap = 4 * len(buf[0])
    if len(parts) == 1:
        return parts[0]
    return tuple(np.concatenate([p[x] for p in parts]) for x in range(3))  # type: ignore[return-value]
