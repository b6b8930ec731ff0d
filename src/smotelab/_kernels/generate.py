"""The one generator of synthetic rows; every SMOTE variant goes through it.

A synthetic row is ``x_new = x_p + step * (x_nn - x_p)``, where ``x_p`` is a seed
(parent) row, ``x_nn`` one of its neighbours and ``step`` drawn uniformly from
``step_range``. A variant only decides *where* (which seeds, how many rows each),
*with whom* (the neighbour table) and *how far* (the step range; negative steps
extrapolate away from the neighbour).

Draws are made block by block (``BLOCK_ROWS`` rows each), every block from its own
stream keyed by (class, block), in a fixed order — seed, neighbour column, step — so the
output depends only on the input rows and ``random_state``, never on the neighbour
backend, the container or where the block is computed.

>>> import numpy as np
>>> from smotelab.utils._random import RandomStreams
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
>>> table = np.array([[1, 2], [0, 2], [0, 1]])  # neighbours, as row indices of X
>>> out = np.empty((4, 2))
>>> prov = generate(X, seeds=np.arange(3), neighbors=table, n_new=4,
...                 streams=RandomStreams.from_random_state(0), class_pos=0,
...                 label=1, out=out)
>>> rebuilt = X[prov["parent"]] + prov["step"][:, None] * (
...     X[prov["neighbor"]] - X[prov["parent"]])
>>> bool(np.allclose(out, rebuilt))
True
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..utils._random import RandomStreams, block_spans
from ..utils._threads import worker_count

__all__ = [
    "PROVENANCE_FIELDS",
    "BlockMaker",
    "concat_provenance",
    "draw_block",
    "empty_provenance",
    "generate",
    "generate_own",
    "interpolate",
    "make_block",
]

PROVENANCE_FIELDS = ("parent", "neighbor", "step", "class")

# Rows interpolated at a time within a block: their parents' rows (the scratch, at most
# this many bytes) stay in the second-level cache while they are used.
_CHUNK_BYTES = 1 << 20


def empty_provenance(label_dtype: Any = np.int64) -> dict[str, np.ndarray]:
    """A provenance record with no rows."""
    return {
        "parent": np.empty(0, dtype=np.intp),
        "neighbor": np.empty(0, dtype=np.intp),
        "step": np.empty(0, dtype=np.float64),
        "class": np.empty(0, dtype=label_dtype),
    }


def concat_provenance(parts: list[dict[str, np.ndarray]], label_dtype: Any) -> dict:
    """Concatenate provenance records in output order."""
    if not parts:
        return empty_provenance(label_dtype)
    return {f: np.concatenate([p[f] for p in parts]) for f in PROVENANCE_FIELDS}


def draw_block(
    rng: np.random.Generator,
    size: int,
    n_seeds: int,
    n_cols: int,
    step_range: tuple[Any, Any],
    seed_counts: np.ndarray | None,
    offset: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The draws of one block: seed positions, neighbour columns and steps.

    ``step_range`` is ``(lo, hi)``: two floats, or arrays broadcastable to
    ``(n_seeds, n_cols)`` giving each (seed, neighbour column) its own range (e.g.
    Borderline-2 steps at most 0.5 toward other-class neighbours, SVM-SMOTE steps
    backwards from safe seeds).
    """
    if seed_counts is None:
        seed = rng.integers(0, n_seeds, size=size)
    else:
        # Seeds with fixed per-seed counts (e.g. ADASYN): the seed of output row r is
        # the same whichever block r falls in, so only columns and steps are drawn.
        cum = np.cumsum(seed_counts)
        seed = np.searchsorted(cum, np.arange(offset, offset + size), side="right")
    col = rng.integers(0, n_cols, size=size)
    lo, hi = step_range
    if np.ndim(lo) == 0 and np.ndim(hi) == 0:
        step = rng.uniform(lo, hi, size=size) if hi > lo else np.full(size, float(lo))
        return seed, col, step
    u = rng.random(size)
    lo_sc = np.broadcast_to(np.asarray(lo, dtype=np.float64), (n_seeds, n_cols))[seed, col]
    hi_sc = np.broadcast_to(np.asarray(hi, dtype=np.float64), (n_seeds, n_cols))[seed, col]
    return seed, col, lo_sc + (hi_sc - lo_sc) * u


def interpolate(X: np.ndarray, parent: np.ndarray, neighbor: np.ndarray, step: np.ndarray,
                out: np.ndarray, scratch: np.ndarray) -> None:
    """``out = X[parent] + step * (X[neighbor] - X[parent])``, in ``out``'s dtype.

    The one piece of arithmetic every synthetic row goes through (in this order, so that
    every engine computes the same bits). ``scratch`` has ``out``'s width and any number
    of rows: the rows are made that many at a time (a few thousand keep each chunk's
    parents in cache while it is used).
    """
    step = step.astype(out.dtype, copy=False)
    chunk = max(1, len(scratch))
    for a in range(0, len(out), chunk):
        b = min(len(out), a + chunk)
        o, par = out[a:b], scratch[: b - a]
        # mode="clip": with the default mode numpy buffers `out` (a full copy); the
        # indices come from the neighbour table and are always in range.
        np.take(X, neighbor[a:b], axis=0, out=o, mode="clip")
        np.take(X, parent[a:b], axis=0, out=par, mode="clip")
        o -= par
        o *= step[a:b, None]
        o += par


def make_block(
    rng: np.random.Generator,
    X: np.ndarray,
    seeds: np.ndarray,
    neighbors: np.ndarray,
    size: int,
    offset: int,
    out: np.ndarray,
    scratch: np.ndarray,
    step_range: tuple[Any, Any] = (0.0, 1.0),
    seed_counts: np.ndarray | None = None,
    compact: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    submit: Callable[..., Any] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One block of synthetic rows, as every engine makes it: the draws, then ``out``.

    ``offset`` is the block's first row among the class's new rows (it fixes the seeds
    when ``seed_counts`` does); ``compact`` is ``(X', seeds', neighbors')``, the same
    rows re-indexed into a smaller copy of ``X`` to interpolate from. ``submit``, if
    given, is handed the interpolation (``submit(interpolate, *args)``) to run
    elsewhere, e.g. in a worker thread; it allocates nothing. Returns the seed
    positions, parents, neighbours (row indices into ``X``) and steps.
    """
    seed, col, step = draw_block(rng, size, len(seeds), neighbors.shape[1], step_range,
                                 seed_counts, offset)
    Xi, si, ni = (X, seeds, neighbors) if compact is None else compact
    args = (Xi, si[seed], ni[seed, col], step.astype(out.dtype, copy=False), out, scratch)
    if submit is None:
        interpolate(*args)
    else:
        submit(interpolate, *args)
    return seed, seeds[seed], neighbors[seed, col], step


def generate(
    X: Any,
    *,
    seeds: np.ndarray,
    neighbors: np.ndarray,
    n_new: int,
    streams: RandomStreams,
    class_pos: int,
    label: Any,
    out: np.ndarray | None = None,
    step_range: tuple[Any, Any] = (0.0, 1.0),
    seed_counts: np.ndarray | None = None,
    on_block: Callable[[np.random.Generator, int, np.ndarray], None] | None = None,
) -> Any:
    """Generate ``n_new`` synthetic rows between seeds and their neighbours.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n, d)
        All input rows (numeric); seeds and neighbours index into it.
    seeds : ndarray of shape (n_seeds,)
        Row indices (into ``X``) of the seed samples.
    neighbors : ndarray of shape (n_seeds, k)
        Row indices (into ``X``) of each seed's candidate neighbours.
    n_new : int
        Number of rows to generate.
    streams, class_pos : RandomStreams, int
        The fit's random streams and the class position that keys them.
    label : object
        Class label recorded in the provenance.
    out : ndarray of shape (n_new, d), optional
        Dense output to write into (required for dense ``X``), in ``X``'s dtype.
    step_range : (lo, hi)
        Steps are drawn uniformly in ``[lo, hi)``; ``lo == hi`` gives a fixed step.
        ``lo`` and ``hi`` are floats, or arrays broadcastable to ``(n_seeds, k)`` for
        a range per seed and/or per neighbour column.
    seed_counts : ndarray of shape (n_seeds,), optional
        Exact number of rows per seed (summing to ``n_new``); default draws seeds
        uniformly with replacement.
    on_block : callable, optional
        Called as ``on_block(rng, start, seed)`` after each block's draws, with the
        block's generator (for further draws, after the standard ones), the position of
        its first row among the ``n_new`` and the seed position of each of its rows:
        SMOTE-NC and SMOTE-N set the categorical values there.

    Returns
    -------
    provenance : dict of ndarray
        ``parent``, ``neighbor``, ``step`` and ``class`` for each new row; for sparse
        ``X`` a tuple ``(provenance, new_rows)`` with the rows as a CSR matrix.
    """
    seeds = np.asarray(seeds, dtype=np.intp)
    neighbors = np.asarray(neighbors, dtype=np.intp)
    if seed_counts is not None and int(np.sum(seed_counts)) != n_new:
        raise ValueError("seed_counts must add up to n_new.")
    parent = np.empty(n_new, dtype=np.intp)
    neighbor = np.empty(n_new, dtype=np.intp)
    steps = np.empty(n_new, dtype=np.float64)
    sparse = sp.issparse(X)
    if sparse:
        X = X.tocsr()
        sparse_blocks = []
    elif out is None or out.shape != (n_new, X.shape[1]):
        raise ValueError("A dense X needs an output buffer of shape (n_new, n_features).")
    buffer: Any = out  # set for dense X (checked above)
    n_cols = neighbors.shape[1]
    Xg, seeds_g, neighbors_g = X, seeds, neighbors
    if not sparse and 4 * len(seeds) < X.shape[0]:
        # The rows involved are a small part of X: gather them into one compact block
        # first, so that the random reads of every synthetic row hit cache, not memory.
        used, inv = np.unique(np.concatenate([seeds, neighbors.ravel()]), return_inverse=True)
        Xg = X[used]
        seeds_g, neighbors_g = inv[: len(seeds)], inv[len(seeds) :].reshape(neighbors.shape)
    if sparse:
        for b, a, size in block_spans(n_new):
            rng = streams.block(class_pos, b)
            seed, col, step = draw_block(rng, size, len(seeds), n_cols, step_range,
                                         seed_counts, a)
            p, nb = seeds[seed], neighbors[seed, col]
            Xp = X[p]
            sparse_blocks.append(Xp + sp.diags(step) @ (X[nb] - Xp))
            parent[a : a + size], neighbor[a : a + size], steps[a : a + size] = p, nb, step
            if on_block is not None:
                on_block(rng, a, seed)
    else:
        # Blocks are independent (each has its own stream and rows), so a large output
        # is written by every core: the draws stay here, in order, and worker threads
        # interpolate (first writes to fresh output memory, page faults, are most of
        # the generation's time, and they run in parallel too). The workers allocate
        # nothing: each in-flight block has its own small scratch for its parents.
        workers = worker_count(n_new * X.shape[1], 1 << 21)
        rows = max(64, _CHUNK_BYTES // max(1, X.shape[1] * buffer.itemsize))
        scratches = [np.empty((min(rows, n_new), X.shape[1]), dtype=buffer.dtype)
                     for _ in range(workers)]
        in_flight: deque = deque()
        ex = ThreadPoolExecutor(workers) if workers > 1 else None

        def submit(f: Callable[..., None], *args: Any) -> None:
            assert ex is not None
            in_flight.append((ex.submit(f, *args), args[-1]))

        try:
            for b, a, size in block_spans(n_new):
                if len(in_flight) == workers:  # a scratch comes free with its block
                    fut, used = in_flight.popleft()
                    fut.result()
                    scratches.append(used)
                rng = streams.block(class_pos, b)
                scratch = scratches.pop()
                seed, p, nb, step = make_block(
                    rng, X, seeds, neighbors, size, a, buffer[a : a + size], scratch,
                    step_range, seed_counts, (Xg, seeds_g, neighbors_g),
                    submit=None if ex is None else submit)
                if ex is None:  # done already
                    scratches.append(scratch)
                parent[a : a + size], neighbor[a : a + size] = p, nb
                steps[a : a + size] = step
                if on_block is not None:
                    on_block(rng, a, seed)
            for fut, _ in in_flight:
                fut.result()
        finally:
            if ex is not None:
                ex.shutdown()
    prov = {
        "parent": parent,
        "neighbor": neighbor,
        "step": steps,
        "class": np.full(n_new, label, dtype=np.asarray([label]).dtype),
    }
    if sparse:
        new = sp.vstack(sparse_blocks, format="csr") if sparse_blocks else sp.csr_matrix(
            (0, X.shape[1]), dtype=X.dtype)
        return prov, new.astype(X.dtype)
    return prov


# A variant's own rows for one block: ``make(X, spec, rng, start, size)`` returns the
# rows (dense float64, ``size`` of them), their parents, neighbours (-1: none) and steps,
# and, for a variant whose plan generates targets, the rows' targets.
BlockMaker = Callable[[Any, dict, np.random.Generator, int, int], tuple[np.ndarray, ...]]


def generate_own(make: BlockMaker, X: Any, spec: dict, out: np.ndarray | None = None) -> Any:
    """:func:`generate` for variants whose rows are not segments (G-SMOTE's spheres,
    polynomial fitting's curves): ``make`` builds each block of ``BLOCK_ROWS`` rows from
    the block's own stream, as the Dask engine's tasks do, so both give the same rows.

    ``spec`` holds :func:`generate`'s keywords (``n_new``, ``streams``, ``class_pos``,
    ``label``, ``seeds``, ``neighbors``...). Returns what :func:`generate` returns; a
    maker that returns a fifth value (the rows' generated targets) adds them to the
    provenance as ``target``.
    """
    n_new, streams, class_pos = spec["n_new"], spec["streams"], spec["class_pos"]
    parent = np.empty(n_new, dtype=np.intp)
    neighbor = np.empty(n_new, dtype=np.intp)
    steps = np.empty(n_new, dtype=np.float64)
    targets: list[np.ndarray] = []
    parts = []
    for b, a, size in block_spans(n_new):
        rows, p, nb, step, *target = make(X, spec, streams.block(class_pos, b), a, size)
        parent[a : a + size], neighbor[a : a + size], steps[a : a + size] = p, nb, step
        targets.extend(np.asarray(t) for t in target)
        if out is not None:
            out[a : a + size] = rows
        else:
            parts.append(sp.csr_matrix(rows.astype(X.dtype)))
    label = spec["label"]
    prov = {"parent": parent, "neighbor": neighbor, "step": steps,
            "class": np.full(n_new, label, dtype=np.asarray([label]).dtype)}
    if targets:
        prov["target"] = np.concatenate(targets)
    if out is not None:
        return prov
    new = sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, X.shape[1]),
                                                                     dtype=X.dtype)
    return prov, new
