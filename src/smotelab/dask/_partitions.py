"""Partition plumbing: row partitions of Dask collections, gathers, selections."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import DataValidationError

__all__ = ["is_dask_collection", "validated_lazily"]


def is_dask_collection(obj: Any) -> bool:
    """Whether ``obj`` is a Dask collection (without importing Dask)."""
    return hasattr(obj, "__dask_graph__") and callable(obj.__dask_graph__)


def _parts(obj: Any) -> tuple[list, str]:
    """Row partitions of a Dask array (one column chunk) or DataFrame/Series, as delayed.

    Only for things read partition by partition on their own (counts; the gather, where
    X and y come aligned): dask may partition two collections of one table differently.
    """
    import dask.array as da

    if isinstance(obj, da.Array):
        if obj.ndim == 2 and len(obj.chunks[1]) > 1:
            obj = obj.rechunk({1: -1})
        return list(obj.to_delayed().ravel()), "array"
    return list(obj.to_delayed()), "frame"


def _aligned(X: Any, y: Any, kind: str) -> Any:
    """Pairs of (X, y) partitions that hold the same rows (y None: X carries the target
    as its last column, so a DataFrame and its Series cannot be partitioned apart)."""
    if kind == "array":
        return zip(_parts(X)[0], _parts(y)[0], strict=True)
    if X.npartitions == y.npartitions:
        # Partition by partition (a frame-wide assign would make Dask align the indexes,
        # a shuffle when their divisions are unknown, as after concatenating blocks);
        # each pair is checked to hold the same rows.
        import dask

        return ((dask.delayed(_carry)(xp, yp), None)
                for xp, yp in zip(X.to_delayed(optimize_graph=False),
                                  y.to_delayed(optimize_graph=False), strict=True))
    return ((p, None) for p in _parts(_carrying(X, y))[0])


def _carrying(X: Any, y: Any) -> Any:
    return X.assign(__smotelab_target__=y)


def _carry(Xp: Any, yp: Any) -> Any:
    """One X partition carrying its y partition as the last column."""
    if len(Xp) != len(yp) or not Xp.index.equals(yp.index):
        raise DataValidationError(
            "X and y are partitioned differently (a pair of partitions holds different "
            "rows); take X and y from one DataFrame, or repartition y like X.")
    return Xp.assign(__smotelab_target__=yp.array)


def _class_counts(part: Any) -> tuple[np.ndarray, np.ndarray, int]:
    values = np.asarray(part).ravel()
    classes, counts = np.unique(values, return_counts=True)
    return classes, counts, len(values)


def _gather(Xp: Any, yp: Any, wanted: np.ndarray) -> tuple:
    """Rows of one partition whose label is in ``wanted``: local positions, labels,
    numeric rows, and the partition's length. ``yp`` None: the label is X's last column
    (a DataFrame partition carrying the target)."""
    local, labels, rows, n = _gather_native(Xp, yp, wanted)
    return local, labels, np.asarray(rows.to_numpy() if hasattr(rows, "to_numpy") else rows), n


def _gather_native(Xp: Any, yp: Any, wanted: np.ndarray) -> tuple:
    """Like :func:`_gather`, with the rows as they are (a pandas frame keeps its dtypes)."""
    if yp is None:
        yp = Xp.iloc[:, -1]
        Xp = Xp.iloc[:, :-1]
    labels = np.asarray(yp).ravel()
    local = np.flatnonzero(np.isin(labels, wanted))
    rows = Xp.iloc[local] if hasattr(Xp, "iloc") else np.asarray(Xp)[local]
    return local, labels[local], rows, len(labels)


def _float_rows(Xp: Any) -> np.ndarray:
    """One partition's X as float64, refused with the fix when not numeric or not finite."""
    raw = np.asarray(Xp.to_numpy() if hasattr(Xp, "to_numpy") else Xp)
    if raw.dtype.kind not in "iufb":
        raise DataValidationError(
            f"X has non-numeric columns ({raw.dtype}); neighbour searches need numbers. "
            "Encode them first.")
    R = raw.astype(np.float64, copy=False)
    if not np.isfinite(R).all():
        raise DataValidationError(
            "X contains NaN or infinity. Impute missing values (e.g. with dask-ml's "
            "SimpleImputer) or drop them.")
    return R


def _partition_classes(Xp: Any, yp: Any, classes: np.ndarray) -> np.ndarray:
    """Rows of each class (in ``classes`` order) in one partition."""
    labels = np.asarray(Xp.iloc[:, -1] if yp is None else yp).ravel()
    return np.bincount(np.searchsorted(classes, labels), minlength=len(classes))


def _take_partition(Xp: Any, yp: Any, classes: np.ndarray, picks: list) -> tuple:
    """The kept rows of one partition: ``picks[c]`` holds the class-ranks (within this
    partition, with multiplicity) kept of class ``c``."""
    labels = np.asarray(Xp.iloc[:, -1] if yp is None else yp).ravel()
    cls = np.searchsorted(classes, labels)
    keep = []
    for c, ranks in enumerate(picks):
        rows = np.flatnonzero(cls == c)
        keep.append(rows[ranks])
    rows = np.sort(np.concatenate(keep)) if keep else np.empty(0, np.intp)
    return _rows_of_partition(Xp, yp, rows)


def _rows_of_partition(Xp: Any, yp: Any, local: np.ndarray) -> tuple:
    """Rows ``local`` of one partition: (X, y, local), X as in :func:`_take_partition`."""
    if yp is None:
        part = Xp.iloc[local]
        return part.iloc[:, :-1], part.iloc[:, -1], local
    return np.asarray(Xp)[local], np.asarray(yp)[local], local


def _numeric_rows(part: tuple) -> tuple:
    X, y, _ = part
    X = X.to_numpy() if hasattr(X, "to_numpy") else np.asarray(X)
    return np.asarray(X, dtype=np.float64), np.asarray(y).ravel()


def _fetch_rows(pairs: list, offsets: np.ndarray, rows: np.ndarray, d: int = 0) -> tuple:
    """Input rows ``rows`` (sorted, few; ``d`` features), read from their partitions:
    X as float64, and y."""
    import dask

    if not len(rows):
        return np.empty((0, d)), np.empty(0)
    where = np.searchsorted(offsets, rows, side="right") - 1
    tasks = [dask.delayed(_rows_of_partition)(xp, yp, rows[where == i] - offsets[i])
             for i, (xp, yp) in enumerate(pairs) if (where == i).any()]
    got = dask.compute(*[dask.delayed(_numeric_rows)(t) for t in tasks])
    return np.concatenate([g[0] for g in got]), np.concatenate([g[1] for g in got])


def _labels_at(pairs: list, offsets: np.ndarray, rows: np.ndarray, classes: np.ndarray
               ) -> np.ndarray:
    """Class positions of input rows ``rows`` (sorted), read from their partitions."""
    if not len(rows):
        return np.empty(0, dtype=np.intp)
    return np.searchsorted(classes, _fetch_rows(pairs, offsets, rows)[1])


def _renamed(series: Any, name: Any) -> Any:
    return series.rename(name)


def _selected(sampler: Any, parts: list, sizes: list, offsets: np.ndarray, X: Any, y: Any,
              kind: str, kept: list | None = None) -> tuple[Any, Any]:
    """Lazy output of a selection: per partition, ``(X rows, y rows, kept local rows)``.

    ``kept``: per partition, the kept global rows as delayed arrays that do not read the
    partition (a Dask array made from what a Dask DataFrame built from delayed blocks
    hands out fails to compute in dask 2026.8, so frames in a chain need them).
    """
    import dask
    import dask.array as da

    if kept is None:
        kept = [dask.delayed(np.add)(p[2], int(o)) for p, o in zip(parts, offsets, strict=True)]
    # kept rows as global indices (lazy, like the output)
    sampler.sample_indices_ = da.concatenate([
        da.from_delayed(k, (n,), np.intp) for k, n in zip(kept, sizes, strict=True)])
    if kind == "array":
        d = X.shape[1]
        X_out = da.concatenate([da.from_delayed(p[0], (n, d), X.dtype)
                                for p, n in zip(parts, sizes, strict=True)])
        y_out = da.concatenate([da.from_delayed(p[1], (n,), y.dtype)
                                for p, n in zip(parts, sizes, strict=True)])
        return X_out, y_out
    import dask.dataframe as dd

    X_out = dd.from_delayed([p[0] for p in parts], meta=X._meta, verify_meta=False)
    y_out = dd.from_delayed([dask.delayed(_renamed)(p[1], y._meta.name) for p in parts],
                            meta=y._meta, verify_meta=False)
    return X_out, y_out


def _dropped(sampler: Any, pairs: list, lengths: np.ndarray, offsets: np.ndarray,
             drop: np.ndarray, X: Any, y: Any, kind: str) -> tuple[Any, Any]:
    """Lazy output without the input rows ``drop`` (sorted)."""
    import dask

    where = np.searchsorted(offsets, drop, side="right") - 1
    parts, sizes, kept = [], [], []
    for i, (xp, yp) in enumerate(pairs):
        gone = drop[where == i] - offsets[i]  # few: the rows to drop, not the kept ones
        parts.append(dask.delayed(_rows_without, nout=3)(xp, yp, gone))
        kept.append(dask.delayed(_kept_rows)(int(lengths[i]), gone, int(offsets[i])))
        sizes.append(int(lengths[i]) - len(gone))
    return _selected(sampler, parts, sizes, offsets, X, y, kind, kept)


def _kept_rows(length: int, gone: np.ndarray, offset: int) -> np.ndarray:
    return np.setdiff1d(np.arange(length), gone) + offset


def _rows_without(Xp: Any, yp: Any, gone: np.ndarray) -> tuple:
    return _rows_of_partition(Xp, yp, np.setdiff1d(np.arange(len(Xp)), gone))


def validated_lazily(X: Any, kind: str, sampler: Any) -> Any:
    """``X`` whose every partition is checked as it is computed, as ``fit_resample``
    checks ``X`` in memory (non-numeric columns, NaN, infinity), the error naming the
    partition: the rows a plan never gathers are validated too, without a pass of
    their own."""
    tags = sampler.__sklearn_tags__()
    if not tags.sampler_tags.needs_numeric or tags.input_tags.categorical:
        return X  # what the in-memory check skips too (BaseSampler._check_contents)
    caller = type(sampler).__name__
    if kind == "array":
        return X.map_blocks(_checked_block, caller, dtype=X.dtype, meta=X._meta)
    return X.map_partitions(_checked_frame, caller, meta=X._meta)


def _checked_block(block: Any, caller: str, block_info: Any = None) -> Any:
    where = block_info[0]["chunk-location"][0] if block_info else "?"
    _in_partition(where, lambda: _check_values(np.asarray(block), None, caller))
    return block


def _checked_frame(part: Any, caller: str, partition_info: Any = None) -> Any:
    from ..utils._containers import capture_X

    where = partition_info["number"] if partition_info else "?"
    _in_partition(where, lambda: _check_values(None, capture_X(part), caller))
    return part


def _check_values(values: Any, container: Any, caller: str) -> None:
    from ..utils._validation import numeric_values

    numeric_values(container if container is not None else values, caller=caller)


def _in_partition(where: Any, check: Any) -> None:
    try:
        check()
    except DataValidationError as err:
        raise type(err)(f"partition {where}: {err}") from None
