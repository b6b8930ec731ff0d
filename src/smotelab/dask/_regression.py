"""Samplers of a continuous target on Dask: selections, and synthetic rows of the bumps.

The targets (one float per row) come to the client, where the sampler fits its
relevance, cuts the bumps and draws the rows to keep and copy exactly as in memory
(its own ``_fit_target`` and ``_resample`` or ``_bump_plan``, the same streams); the
rows themselves stay in their partitions and are selected lazily: the kept rows in
input order, partition by partition, then the copies in the order they were drawn.
For SMOTER, SMOGN and Gaussian noise the rows of the bumps to grow are gathered (they
are the rare ones) and the plan protocol's driver runs on them as in memory, one task
per block of synthetic rows. The output equals the in-memory output, whatever the
partitioning.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._plan import Facts, RowsView, run_plan
from ..exceptions import DataValidationError
from ..utils._random import RandomStreams
from ._local import checked_rows
from ._over import GATHER_KEY, GATHER_LIMIT, _assemble, _DaskSink, _output_dtype
from ._partitions import _aligned, _fetch_rows, _rows_of_partition, _selected

__all__ = ["regression_fit_resample"]


def _lengths(X: Any, kind: str) -> np.ndarray:
    import dask

    if kind == "array":
        return np.asarray(X.chunks[0], dtype=np.int64)
    return np.asarray(dask.compute(*[dask.delayed(len)(p) for p in X.to_delayed()]),
                      dtype=np.int64)


def regression_fit_resample(sampler: Any, X: Any, y: Any) -> tuple[Any, Any]:
    """``fit_resample`` of a selection sampler of a continuous target on Dask input."""
    import dask.array as da

    name = type(sampler).__name__
    kind = "array" if isinstance(X, da.Array) else "frame"
    if (kind == "array") != isinstance(y, da.Array):
        raise DataValidationError("Give X and y as the same kind of Dask collection (two "
                                  "arrays, or a DataFrame and a Series).")
    sampler._validate_params()
    if kind == "array":
        if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
            raise DataValidationError(f"X must be 2-D and y 1-D with as many rows; got "
                                      f"shapes {X.shape} and {y.shape}.")
        y = y.rechunk((X.chunks[0],))
    sampler._record_input(X.shape[1], getattr(X, "columns", None))
    values, bumps = sampler._fit_target(sampler._checked_target(y.compute()))
    n, d = len(values), int(X.shape[1])
    sampler._n_samples_fit_ = n
    lengths = _lengths(X, kind)
    if int(lengths.sum()) != n:
        raise DataValidationError(f"{name}: X has {int(lengths.sum())} rows but y has {n}.")
    streams = RandomStreams.from_random_state(sampler.random_state)
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    pairs = list(_aligned(X, y, kind))
    if sampler._synthesises:
        return _synthesised(sampler, X, y, kind, pairs, offsets, values, bumps, streams)
    # the rows' values are not read to choose them: a zero-size stand-in of X's shape
    keep, _, _ = sampler._resample(np.broadcast_to(np.float64(0), (n, d)), values, bumps,
                                   streams)
    keep = np.asarray(keep, dtype=np.intp)
    sampler.provenance_ = None
    X_out, y_out = _in_order(sampler, pairs, offsets, keep, X, y, kind)
    sampler.sample_indices_ = keep
    return X_out, y_out


def _synthesised(sampler: Any, X: Any, y: Any, kind: str, pairs: list, offsets: np.ndarray,
                 values: np.ndarray, bumps: Any, streams: Any) -> tuple[Any, Any]:
    """The kept rows selected lazily, then the grown bumps' synthetic rows: the driver on
    their gathered rows (input order, as in memory), one task per block."""
    import dask
    import dask.array as da

    kept, grow = sampler._bump_plan(bumps, streams)
    grown = np.isin(bumps.of_row, [b for b, _, _ in grow])
    rows = np.flatnonzero(grown)
    limit = int(dask.config.get(GATHER_KEY, GATHER_LIMIT))
    if len(rows) > limit:
        raise DataValidationError(
            f"{type(sampler).__name__}: the bumps to grow hold {len(rows):,} rows, more than "
            f"the gather limit of {limit:,} rows that one task collects. Raise the "
            "threshold (fewer rare targets), or raise the limit if the client and one "
            f"worker have the memory: dask.config.set({{'{GATHER_KEY}': {len(rows)}}}).")
    Xm, _ = _fetch_rows(pairs, offsets, rows, int(X.shape[1]))
    Xm = checked_rows(Xm, sampler, "the rows of the bumps to grow")
    dtype = _output_dtype(X._meta, kind)
    Xm = Xm.astype(dtype, copy=False)
    X_kept, y_kept = _in_order(sampler, pairs, offsets, np.asarray(kept, np.intp), X, y, kind)
    sink = _DaskSink(Xm, dtype)
    view = RowsView(Xm, bumps.of_row[rows], Facts(), rows.__getitem__, values[rows])
    run_plan(sampler, sampler._plan_needs(), view, grow, sink, plan=None, streams=streams,
             backend=sampler._search())
    X_out, y_out = _assemble(sampler, X_kept, y_kept, kind, sink.blocks, rows, dtype,
                             len(kept), da)
    sampler.provenance_["bump"] = sampler.provenance_.pop("class")
    sampler.sample_indices_ = np.asarray(kept, dtype=np.intp)
    return X_out, y_out


def _in_order(sampler: Any, pairs: list, offsets: np.ndarray, rows: np.ndarray, X: Any,
              y: Any, kind: str) -> tuple[Any, Any]:
    """Input rows ``rows`` (repeats allowed) lazily, in that order: the longest
    non-decreasing head partition by partition, the rest gathered in one task."""
    import dask

    steps = np.flatnonzero(np.diff(rows) < 0)
    head_end = int(steps[0]) + 1 if len(steps) else len(rows)
    head, tail = rows[:head_end], rows[head_end:]
    where = np.searchsorted(offsets, head, side="right") - 1
    parts, sizes, kept = [], [], []
    for i, (xp, yp) in enumerate(pairs):
        local = head[where == i] - offsets[i]
        if not len(local):
            continue
        parts.append(dask.delayed(_rows_of_partition, nout=3)(xp, yp, local))
        sizes.append(len(local))
        kept.append(dask.delayed(np.add)(local, int(offsets[i])))
    if len(tail):
        at = np.searchsorted(offsets, tail, side="right") - 1
        blocks = [dask.delayed(_rows_of_partition, nout=3)(xp, yp, tail[at == i] - offsets[i])
                  for i, (xp, yp) in enumerate(pairs) if (at == i).any()]
        # the tail's rows come grouped by partition; put them back in drawn order
        grouped = np.concatenate([np.flatnonzero(at == i) for i in np.unique(at)])
        order = np.empty(len(tail), dtype=np.intp)
        order[grouped] = np.arange(len(tail))
        parts.append(dask.delayed(_reordered, nout=3)(blocks, order))
        sizes.append(len(tail))
        kept.append(dask.delayed(np.asarray)(tail))
    if not parts:  # nothing kept: an empty selection of the first partition
        xp, yp = pairs[0]
        parts.append(dask.delayed(_rows_of_partition, nout=3)(xp, yp, np.empty(0, np.intp)))
        sizes.append(0)
        kept.append(dask.delayed(np.empty)(0, np.intp))
    return _selected(sampler, parts, sizes, offsets, X, y, kind, kept)


def _reordered(blocks: list, order: np.ndarray) -> tuple:
    """Blocks of ``(X, y, local)`` joined, their rows taken in ``order``."""
    X_parts = [b[0] for b in blocks]
    y_parts = [b[1] for b in blocks]
    if hasattr(X_parts[0], "iloc"):
        import pandas as pd

        return (pd.concat(X_parts).iloc[order], pd.concat(y_parts).iloc[order],
                np.asarray(order))
    return (np.concatenate(X_parts)[order], np.concatenate(y_parts)[order],
            np.asarray(order))
