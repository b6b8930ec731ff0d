"""Samplers on Dask collections: the same classes, lazy output, partition-invariant results.

``BaseSampler.fit_resample`` hands Dask input here. What is computed eagerly is small:
the partitions' lengths and class counts, the rows of the classes being over-sampled
(gathered into one array, in input order) and, for SMOTE, their neighbour table. The
synthetic rows are made in tasks, one per block of ``BLOCK_ROWS`` rows of a class, each
from its own random stream keyed by (class, block), so the result depends only on the
input rows, their order and ``random_state`` — not on the partitioning, the scheduler
or the number of workers. SMOTE's output equals the in-memory output exactly (same
neighbours, same draws, same arithmetic); RandomOverSampler's is exact in distribution
(its draws are made per block here, in one go in memory).

Supported so far: ``SMOTE``, ``SMOTENC``, ``BorderlineSMOTE`` (both kinds), ``ADASYN`` (int
neighbour parameters; equal to the in-memory output), ``RandomOverSampler`` (without
``shrinkage``), ``RandomUnderSampler``, ``TomekLinks`` and ``EditedNearestNeighbours``
(int ``n_neighbors``; their kept rows equal the in-memory ones), on Dask arrays and Dask
DataFrames with a Dask array / Series target. ENN compares each row of the classes it
cleans with every partition (partition-pair tasks, merged per query partition): all-pairs
work, estimated and refused above ``smotelab.all-pairs-budget`` like TomekLinks'.
With the ``dask.config`` key ``smotelab.order-invariant`` set, the over-samplers' synthetic rows depend only on
the rows' values, not on their order in the input. Borderline-SMOTE and ADASYN
need every gathered row's nearest rows among *all* rows: each partition finds its local
candidates, a tree of merges in the workers keeps the nearest, ordered by (distance,
row index) exactly as the in-memory search. Borderline-2 takes its interpolation
neighbours from the same graph; the other classes' rows among them (at most k per
gathered row) are read from their partitions and join the gathered rows.

The gathered rows are refused above ``smotelab.gather-limit`` rows (20,000,000); the
error names the approximate, partition-local plan of :mod:`._local` (``dask.config``
``smotelab.neighbours='partition'``), which SMOTE and RandomOverSampler use when asked.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels.generate import draw_block, interpolate
from .._kernels.labels import edited_keep_votes
from .._strategy import SamplingPlan
from ..exceptions import DataValidationError, NotEnoughSamplesError
from ..neighbors import ExactNeighbors, FittedNeighbors, exact_kneighbors
from ..over_sampling._base import ClassTask
from ..utils._random import BLOCK_ROWS, RandomStreams
from ._local import LOCAL_KEY, LOCAL_SUPPORTED, checked_rows, local_fit_resample

__all__ = ["SUPPORTED", "fit_resample", "is_dask_collection"]

SUPPORTED = ("SMOTE", "SMOTENC", "BorderlineSMOTE", "ADASYN", "RandomOverSampler",
             "RandomUnderSampler", "TomekLinks", "EditedNearestNeighbours")
_GRAPH = {"BorderlineSMOTE": "m_neighbors", "ADASYN": "n_neighbors"}
# With this dask.config key set, over-samplers' synthetic rows do not depend on the order
# of the input rows (only on their values and random_state).
ORDER_KEY = "smotelab.order-invariant"
# The gathered rows of the classes being over-sampled must fit in memory: above this
# many (dask.config GATHER_KEY) the error names the ways out rather than exhausting the
# client.
GATHER_KEY = "smotelab.gather-limit"
GATHER_LIMIT = 20_000_000


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


def _smote_block(Xm: np.ndarray, seeds: np.ndarray, table: np.ndarray, root: Any,
                 class_pos: int, block: int, size: int, start: int, dtype: Any,
                 step_range: tuple = (0.0, 1.0), seed_counts: np.ndarray | None = None
                 ) -> tuple:
    """One block of a class's synthetic rows: exactly what ``generate`` makes in memory."""
    rng = RandomStreams(root).block(class_pos, block)
    seed, col, step = draw_block(rng, size, len(seeds), table.shape[1], step_range,
                                 seed_counts, start)
    p, nb = seeds[seed], table[seed, col]
    out = np.empty((size, Xm.shape[1]), dtype=dtype)
    interpolate(Xm, p, nb, step, out, np.empty_like(out))
    return out, p, nb, step


def _local_neighbours(Xm: np.ndarray, Xp: Any, yp: Any, classes: np.ndarray, offset: int,
                      k: int) -> tuple:
    """The k nearest rows of one partition to every gathered row: distances, global row
    indices and class positions (padded with inf when the partition is small)."""
    return _stacked_neighbours(Xm, _stacked([(Xp, yp)], classes, [offset]), k)


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


def _merge_neighbours(a: tuple, b: tuple) -> tuple:
    """The k nearest of two candidate sets, ordered by (distance, row index)."""
    k = a[0].shape[1]
    dist, idx, lab = (np.concatenate([x, y], axis=1) for x, y in zip(a, b, strict=True))
    order = np.lexsort((idx, dist), axis=1)[:, :k]
    return tuple(np.take_along_axis(x, order, axis=1) for x in (dist, idx, lab))


def _neighbours_among_all(Q: Any, rows: np.ndarray, X: Any, y: Any, kind: str,
                          classes: np.ndarray, offsets: np.ndarray, m: int) -> tuple:
    """Global indices and class positions of the ``m`` nearest rows (among all rows, never
    the row itself) of query rows ``Q`` (delayed), which are input rows ``rows``."""
    import dask

    parts = [_merged([dask.delayed(_local_neighbours)(Q, xp, yp, classes, int(o), m + 1)
                      for (xp, yp), o in zip(_aligned(X, y, kind), offsets, strict=True)])]
    _, idx, lab = dask.compute(parts[0])[0]
    return _without_self(idx, lab, rows, m)


def _merged(parts: list) -> Any:
    """One delayed candidate set from per-partition ones, by a tree of merges."""
    import dask

    while len(parts) > 1:
        parts = [dask.delayed(_merge_neighbours)(*parts[i : i + 2]) if i + 1 < len(parts)
                 else parts[i] for i in range(0, len(parts), 2)]
    return parts[0]


def _without_self(idx: np.ndarray, lab: np.ndarray, rows: np.ndarray, m: int) -> tuple:
    """The ``m`` nearest of ``m + 1`` candidates once each query row ``rows`` itself is
    dropped (by index, as drop_self does in memory; else the farthest goes)."""
    is_self = idx == rows[:, None]
    drop = np.where(is_self.any(axis=1), is_self.argmax(axis=1), m)
    keep = np.ones(idx.shape, dtype=bool)
    keep[np.arange(len(idx)), drop] = False
    return idx[keep].reshape(len(idx), m), lab[keep].reshape(len(idx), m)


class _GraphLabels:
    """What ``NeighbourLabels`` gives a SMOTE variant, from a graph computed on Dask.

    Rows are positions in the gathered rows; ``table`` (Borderline-2) holds each gathered
    row's nearest rows of any class as positions in the gathered rows extended by the
    other classes' rows among them.
    """

    def __init__(self, n_other: np.ndarray, m: int) -> None:
        self.m, self.n_other = m, n_other
        self.table: np.ndarray | None = None

    def counts(self, rows: np.ndarray) -> np.ndarray:
        return self.n_other[rows]

    def nearest(self, rows: np.ndarray, k: int) -> np.ndarray | None:
        if self.table is None or k > self.table.shape[1]:
            return None
        return self.table[rows, :k]


def _ros_block(Xm: np.ndarray, members: np.ndarray, root: Any, class_pos: int, block: int,
               size: int, dtype: Any) -> tuple:
    rng = RandomStreams(root).block(class_pos, block)
    p = members[rng.integers(0, len(members), size=size)]
    return Xm[p].astype(dtype, copy=False), p, np.full(size, -1, np.intp), np.zeros(size)


def fit_resample(sampler: Any, X: Any, y: Any) -> tuple[Any, Any]:
    """``sampler.fit_resample`` for Dask collections (see the module notes)."""
    import dask
    import dask.array as da

    name = type(sampler).__name__
    if name not in SUPPORTED or not is_dask_collection(X) or not is_dask_collection(y):
        raise DataValidationError(
            f"{name} does not take Dask collections yet (Dask input works with "
            f"{', '.join(SUPPORTED)}, given Dask X and y). Call .compute() on X and y to "
            "resample in memory.")
    sampler._validate_params()
    if name == "RandomOverSampler" and sampler.shrinkage is not None:
        raise DataValidationError("RandomOverSampler(shrinkage=...) does not take Dask "
                                  "collections yet; compute() the data or drop shrinkage.")
    for param in ("k_neighbors", "m_neighbors", "n_neighbors"):
        value = sampler.get_params().get(param)
        if value is not None and not isinstance(value, (int, np.integer)):
            raise DataValidationError(f"{name} on Dask collections takes an int {param} (the "
                                      "exact search); neighbour objects work in memory only.")
    if callable(sampler.sampling_strategy):
        raise DataValidationError("A callable sampling_strategy needs y in memory; pass a "
                                  "dict, a float or a string with Dask collections.")
    kind = "array" if isinstance(X, da.Array) else "frame"
    if kind == "array" and not isinstance(y, da.Array) or kind == "frame" and isinstance(
            y, da.Array):
        raise DataValidationError("Give X and y as the same kind of Dask collection (two "
                                  "arrays, or a DataFrame and a Series).")
    yparts, _ = _parts(y)
    stats = dask.compute(*[dask.delayed(_class_counts)(p) for p in yparts])
    n_rows = int(sum(s[2] for s in stats))
    classes = np.unique(np.concatenate([s[0] for s in stats]))
    counts = np.zeros(len(classes), dtype=np.int64)
    for c, k, _ in stats:
        counts[np.searchsorted(classes, c)] += k
    if len(classes) < 2:
        raise DataValidationError(
            f"y has a single class ({classes[0]!r}); resampling needs at least two classes.")
    if kind == "array":  # y in X's row chunks
        if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
            raise DataValidationError(f"X must be 2-D and y 1-D with as many rows; got "
                                      f"shapes {X.shape} and {y.shape}.")
        y = y.rechunk((X.chunks[0],))
    if name == "RandomUnderSampler":
        return _under_sample(sampler, X, y, kind, classes, counts)
    if name == "TomekLinks":
        return _tomek(sampler, X, y, kind, classes, counts)
    if name == "EditedNearestNeighbours":
        return _enn(sampler, X, y, kind, classes, counts)
    plan = SamplingPlan.build(sampler.sampling_strategy, np.empty(0), "over-sampling",
                              encoded=(classes, counts))
    sampler.sampling_strategy_ = plan.as_ordered_dict()
    wanted = np.array([c for c, n in plan.counts.items() if n], dtype=classes.dtype)
    mode = dask.config.get(LOCAL_KEY, "exact")
    if mode not in ("exact", "partition"):
        raise DataValidationError(f"dask.config {LOCAL_KEY!r} is 'exact' or 'partition'; got "
                                  f"{mode!r}.")
    if mode == "partition":
        return local_fit_resample(sampler, X, y, kind, classes, plan,
                                  _output_dtype(X._meta, kind), n_rows)
    _check_gather(name, int(counts[np.isin(classes, wanted)].sum()), X.shape[1])
    if name == "SMOTENC":
        return _smotenc(sampler, X, y, kind, classes, plan, wanted, n_rows)
    gathered = dask.compute(*[dask.delayed(_gather)(xp, yp, wanted)
                              for xp, yp in _aligned(X, y, kind)])
    offsets = np.concatenate(([0], np.cumsum([g[3] for g in gathered])[:-1]))
    if int(sum(g[3] for g in gathered)) != n_rows:
        raise DataValidationError("X and y have different numbers of rows.")
    rows = np.concatenate([g[0] + o for g, o in zip(gathered, offsets, strict=True)])
    labels = np.concatenate([g[1] for g in gathered])
    Xm = np.concatenate([g[2] for g in gathered]) if len(gathered) else np.empty((0, 0))
    if dask.config.get(ORDER_KEY, False) and len(rows):
        # order-invariant: the gathered rows in a canonical order (class, then values), so
        # seeds, neighbour ties and draws no longer depend on where rows sit in the input
        order = np.lexsort((*Xm.T[::-1], np.searchsorted(classes, labels)))
        rows, labels, Xm = rows[order], labels[order], Xm[order]
    meta = X._meta
    dtype = _output_dtype(meta, kind)
    if name == "RandomOverSampler" and kind == "array":
        dtype = meta.dtype  # rows are copied, not interpolated: the dtype stays
    Xm = checked_rows(Xm, name, "the classes to over-sample")
    streams = RandomStreams.from_random_state(getattr(sampler, "random_state", None))
    Xm_key = dask.delayed(Xm, pure=True)
    blocks = []
    shared = None
    local_inverse = np.searchsorted(classes, labels)
    if name in _GRAPH:  # the m nearest rows of *all* classes to each gathered row
        m = int(getattr(sampler, _GRAPH[name]))
        if m >= n_rows:
            raise NotEnoughSamplesError(
                f"{name}: {_GRAPH[name]}={m} but the data have only {n_rows} samples; use "
                f"{_GRAPH[name]}<={n_rows - 1}.")
        # Borderline-2 interpolates toward its k nearest rows of any class: the same
        # graph, long enough for both
        k = int(sampler.k_neighbors) if name == "BorderlineSMOTE" and (
            sampler.kind == "borderline-2") else 0
        idx, lab = _neighbours_among_all(Xm_key, rows, X, y, kind, classes, offsets,
                                         max(m, min(k, n_rows - 1)))
        shared = _GraphLabels(np.count_nonzero(lab[:, :m] != local_inverse[:, None], axis=1),
                              m)
        if k:
            # the rows of other classes among those neighbours join the gathered rows
            pairs = list(_aligned(X, y, kind))
            foreign = np.setdiff1d(idx[:, :k], rows)
            Xf, lab_f = _fetch_rows(pairs, offsets, foreign, Xm.shape[1])
            Xf = checked_rows(Xf.astype(Xm.dtype, copy=False), name,
                              "the other classes' rows next to them")
            Xm = np.concatenate([Xm, Xf])
            rows = np.concatenate([rows, foreign])
            local_inverse = np.concatenate([local_inverse, np.searchsorted(classes, lab_f)])
            order = np.argsort(rows, kind="stable")
            shared.table = order[np.searchsorted(rows[order], idx[:, :k])]
            Xm_key = dask.delayed(Xm, pure=True)
        if name == "BorderlineSMOTE":
            sampler.in_danger_indices_ = {}
            sampler.nn_m_ = FittedNeighbors(ExactNeighbors(m))
    backend = sampler._neighbors() if name != "RandomOverSampler" else None
    for label, n_new in plan.counts.items():
        if not n_new:
            continue
        cpos = plan.class_position(label)
        members = np.flatnonzero(labels == label)  # positions in Xm, in input order
        if name == "RandomOverSampler":
            for b, a in enumerate(range(0, n_new, BLOCK_ROWS)):
                size = min(BLOCK_ROWS, n_new - a)
                task = dask.delayed(_ros_block, nout=4)(Xm_key, members, streams.root, cpos,
                                                        b, size, dtype)
                blocks.append((task, size, label))
            continue
        # the variant's own plan, on the gathered rows (positions in Xm)
        sampler._check_class_size(label, len(members), backend.n_neighbors)
        cplan = sampler._class_plan(Xm, ClassTask(
            label=label, position=cpos, members=members, n_new=n_new, inverse=local_inverse,
            backend=backend, streams=streams, shared=shared))
        for b, a in enumerate(range(0, n_new, BLOCK_ROWS)):
            size = min(BLOCK_ROWS, n_new - a)
            task = dask.delayed(_smote_block, nout=4)(
                Xm_key, cplan.seeds, cplan.neighbors, streams.root, cpos, b, size, a, dtype,
                cplan.step_range, cplan.seed_counts)
            blocks.append((task, size, label))
    if name == "BorderlineSMOTE":  # danger sets as input rows
        sampler.in_danger_indices_ = {c: rows[v] for c, v in sampler.in_danger_indices_.items()}
    return _assemble(sampler, X, y, kind, blocks, rows, dtype, n_rows, da)


def _check_gather(name: str, n_gather: int, d: Any) -> None:
    """Refuse to gather more rows than the limit, naming the ways out."""
    import dask

    limit = int(dask.config.get(GATHER_KEY, GATHER_LIMIT))
    if n_gather <= limit:
        return
    size = f" (about {n_gather * int(d) * 8 / 1e9:.1f} GB as float64)" if isinstance(
        d, (int, np.integer)) else ""
    local = (f"find neighbours within each partition instead, approximate but bounded by "
             f"the partition: dask.config.set({{'{LOCAL_KEY}': 'partition'}}) (see the "
             "differences page); " if name in LOCAL_SUPPORTED else
             f"for an approximate plan bounded by the partition use "
             f"{' or '.join(LOCAL_SUPPORTED)} with dask.config.set({{'{LOCAL_KEY}': "
             "'partition'}); ")
    raise DataValidationError(
        f"{name}: the classes to over-sample hold {n_gather:,} rows{size}, more than the "
        f"gather limit of {limit:,} rows that the exact plan collects into one task. Either "
        f"{local}or raise the limit if the client and one worker have the memory: "
        f"dask.config.set({{'{GATHER_KEY}': {n_gather}}}).")


def _output_dtype(meta: Any, kind: str) -> Any:
    """The dtype the in-memory sampler computes in: floats kept, anything else float64."""
    dt = meta.dtype if kind == "array" else np.result_type(*[np.dtype(d) if isinstance(
        d, np.dtype) else np.dtype(np.float64) for d in meta.dtypes])
    return dt if dt.kind == "f" else np.dtype(np.float64)


def _assemble(sampler, X, y, kind, blocks, rows, dtype, n, da, ready=False
              ) -> tuple[Any, Any]:
    """Lazy output: the input collections followed by the synthetic blocks (``ready``:
    frame blocks are already DataFrames with their index)."""
    import dask

    d = X.shape[1]
    y_meta = y._meta
    label_dtype = np.asarray(y_meta).dtype if kind == "array" else y_meta.dtype
    parts_x, parts_y, prov = [], [], {"parent": [], "neighbor": [], "step": [], "class": []}
    start = n
    for task, size, label in blocks:
        rows_t, p, nb, step = task
        # provenance as lazy arrays: parent/neighbour are positions in the gathered rows
        # (``rows`` None: already input row numbers)
        parent = p if rows is None else dask.delayed(np.take)(rows, p)
        neighbor = nb if rows is None else dask.delayed(_global_or_minus_one)(rows, nb)
        prov["parent"].append(da.from_delayed(parent, (size,), np.intp))
        prov["neighbor"].append(da.from_delayed(neighbor, (size,), np.intp))
        prov["step"].append(da.from_delayed(step, (size,), np.float64))
        prov["class"].append(da.full(size, label, dtype=np.asarray([label]).dtype))
        if kind == "array":
            parts_x.append(da.from_delayed(rows_t, (size, d), dtype))
            parts_y.append(da.full(size, label, dtype=label_dtype))
        else:
            parts_x.append(rows_t if ready else dask.delayed(_frame_block)(rows_t, X._meta,
                                                                            start))
            parts_y.append(dask.delayed(_series_block)(label, size, y._meta, start))
        start += size
    sampler.provenance_ = {k: (da.concatenate(v) if v else da.empty(0))
                           for k, v in prov.items()}
    if kind == "array":
        X_out = da.concatenate([X, *parts_x]) if parts_x else X
        y_out = da.concatenate([y, *parts_y]) if parts_y else y
        return X_out, y_out
    import dask.dataframe as dd

    if not parts_x:
        return X, y
    X_new = dd.from_delayed(parts_x, meta=X._meta, verify_meta=False)
    y_new = dd.from_delayed(parts_y, meta=y._meta, verify_meta=False)
    return dd.concat([X, X_new]), dd.concat([y, y_new])


def _global_or_minus_one(rows: np.ndarray, nb: np.ndarray) -> np.ndarray:
    out = np.full(len(nb), -1, dtype=np.intp)
    ok = nb >= 0
    out[ok] = rows[nb[ok]]
    return out


def _frame_block(values: np.ndarray, meta: Any, start: int) -> Any:
    """Synthetic rows as a pandas DataFrame with the input's columns and dtypes."""
    import pandas as pd

    frame = pd.DataFrame(values, columns=meta.columns,
                         index=pd.RangeIndex(start, start + len(values)))
    for col, dt in meta.dtypes.items():
        if np.issubdtype(dt, np.integer) or str(dt) in ("Int64", "Int32", "Int16", "Int8"):
            frame[col] = np.rint(frame[col].to_numpy())
    return frame.astype(meta.dtypes.to_dict())


def _series_block(label: Any, size: int, meta: Any, start: int) -> Any:
    import pandas as pd

    return pd.Series([label] * size, name=meta.name, index=pd.RangeIndex(start, start + size)
                     ).astype(meta.dtype)


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


def _under_sample(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
                  counts: np.ndarray) -> tuple[Any, Any]:
    """RandomUnderSampler: the same draws as in memory, rows selected partition by partition."""
    import dask

    plan = SamplingPlan.build(sampler.sampling_strategy, np.empty(0), "under-sampling",
                              encoded=(classes, counts))
    sampler.sampling_strategy_ = plan.as_ordered_dict()
    streams = RandomStreams.from_random_state(sampler.random_state)
    # class-ranks kept, drawn exactly as the in-memory sampler draws class members
    ranks = [np.arange(n) for n in counts]
    for label, n_keep in plan.counts.items():
        cpos = plan.class_position(label)
        rng = streams.for_class(cpos)
        ranks[cpos] = np.sort(rng.choice(int(counts[cpos]), size=n_keep,
                                         replace=bool(sampler.replacement)))
    pairs = list(_aligned(X, y, kind))
    per_part = np.array(dask.compute(*[dask.delayed(_partition_classes)(xp, yp, classes)
                                       for xp, yp in pairs]))
    starts = np.vstack([np.zeros(len(classes), np.int64), np.cumsum(per_part, axis=0)])
    picks_by_part = []
    sizes = []
    for i in range(len(pairs)):
        picks = []
        for c in range(len(classes)):
            lo, hi = np.searchsorted(ranks[c], [starts[i, c], starts[i + 1, c]])
            picks.append(ranks[c][lo:hi] - starts[i, c])
        picks_by_part.append(picks)
        sizes.append(int(sum(len(p) for p in picks)))
    offsets = np.concatenate(([0], np.cumsum(per_part.sum(axis=1))[:-1]))
    parts = [dask.delayed(_take_partition, nout=3)(xp, yp, classes, picks)
             for (xp, yp), picks in zip(pairs, picks_by_part, strict=True)]
    return _selected(sampler, parts, sizes, offsets, X, y, kind)


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


# Exact neighbour search speed measured on this project's 2-core machine, per core
# (pairs x features per second), for the cost estimate of all-pairs work.
_PAIR_DIMS_PER_CORE_S = 1.5e10
BUDGET_KEY = "smotelab.all-pairs-budget"
# Values (rows x features) per group of partitions in ENN's partition-pair searches.
_GROUP_VALUES = 1 << 23


def _check_budget(what: str, n_query: int, n_ref: int, d: int) -> None:
    """Refuse all-pairs work above the budget (``dask.config`` ``smotelab.all-pairs-budget``,
    seconds of one core; default 600), saying what it would cost."""
    import dask

    budget = float(dask.config.get(BUDGET_KEY, 600))
    seconds = n_query * n_ref * d / _PAIR_DIMS_PER_CORE_S
    if seconds <= budget:
        return
    raise DataValidationError(
        f"{what} on Dask would compare {n_query:,} rows with {n_ref:,} rows of {d} features "
        f"(~{n_query * n_ref * d:.1e} pair-features, about {_duration(seconds)} of one core "
        f"at measured speeds), over the budget of {_duration(budget)}. To run it anyway: "
        f"dask.config.set({{'{BUDGET_KEY}': {int(seconds * 1.5) + 1}}}) (seconds); or clean "
        "before over-sampling, while the classes are still imbalanced.")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.2g} s"
    return f"{seconds / 60:,.0f} min" if seconds < 7200 else f"{seconds / 3600:,.1f} h"


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


def _tomek(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
           counts: np.ndarray) -> tuple[Any, Any]:
    """TomekLinks: links found from the small side (as in memory), rows dropped lazily."""
    import dask

    plan = SamplingPlan.build(sampler.sampling_strategy, np.empty(0), "clean-sampling",
                              encoded=(classes, counts))
    sampler.sampling_strategy_ = plan.as_ordered_dict()
    largest = int(np.argmax(counts))
    _check_budget("TomekLinks", int(counts.sum() - counts[largest]), int(counts.sum()),
                  X.shape[1])
    wanted = np.delete(classes, largest)
    pairs = list(_aligned(X, y, kind))
    gathered = dask.compute(*[dask.delayed(_gather)(xp, yp, wanted) for xp, yp in pairs])
    lengths = np.array([g[3] for g in gathered])
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rows = np.concatenate([g[0] + o for g, o in zip(gathered, offsets, strict=True)])
    own = np.searchsorted(classes, np.concatenate([g[1] for g in gathered]))
    Xm = np.concatenate([g[2] for g in gathered]).astype(np.float64)
    link = np.empty(0, dtype=np.intp)
    if len(rows):
        # every link has an end outside the largest class: its nearest neighbour ...
        nn, lab = _neighbours_among_all(dask.delayed(Xm), rows, X, y, kind, classes,
                                        offsets, 1)
        cross = lab[:, 0] != own
        r, partner = rows[cross], nn[cross, 0]
        partners = np.unique(partner)
        if len(partners):
            # ... whose own nearest neighbour must be the row back
            Xpart, _ = _fetch_rows(pairs, offsets, partners)
            back, _ = _neighbours_among_all(dask.delayed(Xpart), partners, X, y, kind,
                                            classes, offsets, 1)
            mutual = back[np.searchsorted(partners, partner), 0] == r
            link = np.union1d(r[mutual], partner[mutual])
    # the link's rows of the classes the plan names are dropped
    link_lab = _labels_at(pairs, offsets, link, classes)
    return _dropped(sampler, pairs, lengths, offsets, link[plan.in_plan(link_lab)], X, y, kind)


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


def _enn(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
         counts: np.ndarray) -> tuple[Any, Any]:
    """EditedNearestNeighbours: every row of the classes to clean queries every partition
    (local nearest, merged by a tree in the workers, as in memory); only the dropped rows'
    indices come back to the client, the kept rows are selected lazily."""
    import dask

    plan = SamplingPlan.build(sampler.sampling_strategy, np.empty(0), "clean-sampling",
                              encoded=(classes, counts))
    sampler.sampling_strategy_ = plan.as_ordered_dict()
    k, n = int(sampler.n_neighbors), int(counts.sum())
    if k >= n:
        raise NotEnoughSamplesError(
            f"EditedNearestNeighbours: n_neighbors={k} but the data have only {n} samples; "
            f"use n_neighbors<={n - 1}.")
    sampler.nn_ = FittedNeighbors(ExactNeighbors(k))
    positions = plan.positions()
    _check_budget("EditedNearestNeighbours", int(counts[positions].sum()), n, X.shape[1])
    pairs = list(_aligned(X, y, kind))
    per_part = np.array(dask.compute(*[dask.delayed(_partition_classes)(xp, yp, classes)
                                       for xp, yp in pairs]))
    lengths = per_part.sum(axis=1)
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    # Consecutive partitions are grouped up to ~64 MB of float64 rows per side: one task
    # per (query group, reference group) pair, each one exact search, instead of many
    # tiny searches when partitions are small.
    groups = _row_groups(lengths, max(1, _GROUP_VALUES // max(int(X.shape[1]), 1)))
    refs = [dask.delayed(_stacked)([pairs[i] for i in g], classes, [int(offsets[i]) for i in g])
            for g in groups]
    drops = []
    for g in groups:
        g = [i for i in g if per_part[i][positions].sum()]
        if not g:
            continue
        q = dask.delayed(_stacked_queries, nout=3)(
            [dask.delayed(_query_rows)(*pairs[i], classes, positions, int(offsets[i]))
             for i in g])
        merged = _merged([dask.delayed(_stacked_neighbours)(q[2], r, k + 1) for r in refs])
        drops.append(dask.delayed(_edited_drop)(merged, q[0], q[1], k, sampler.kind_sel))
    found = dask.compute(*drops)
    drop = np.sort(np.concatenate(found)) if found else np.empty(0, dtype=np.intp)
    return _dropped(sampler, pairs, lengths, offsets, drop, X, y, kind)


def _row_groups(lengths: np.ndarray, target: int) -> list[list[int]]:
    """Consecutive partitions grouped until each group holds at least ``target`` rows.

    >>> _row_groups(np.array([5, 5, 20, 1, 1]), 10)
    [[0, 1], [2], [3, 4]]
    """
    groups, current, rows = [], [], 0
    for i, n in enumerate(lengths):
        current.append(i)
        rows += int(n)
        if rows >= target:
            groups.append(current)
            current, rows = [], 0
    if current:
        groups.append(current)
    return groups


def _stacked(pairs: list, classes: np.ndarray, offsets: list) -> tuple:
    """Several consecutive partitions as one reference block: float64 rows, class
    positions and global row indices (increasing, so ties still go to the smaller index)."""
    Rs, labels, rows = [], [], []
    for (Xp, yp), o in zip(pairs, offsets, strict=True):
        if yp is None:
            yp = Xp.iloc[:, -1]
            Xp = Xp.iloc[:, :-1]
        Rs.append(_float_rows(Xp))
        labels.append(np.searchsorted(classes, np.asarray(yp).ravel()))
        rows.append(np.arange(len(Rs[-1])) + o)
    return np.concatenate(Rs), np.concatenate(labels), np.concatenate(rows)


def _stacked_queries(parts: list) -> tuple:
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))


def _stacked_neighbours(Q: np.ndarray, ref: tuple, k: int) -> tuple:
    """The k nearest rows of one reference block to every query row (padded when the
    block is small): distances, global row indices, class positions."""
    R, labels, rows = ref
    kk = min(k, len(R))
    dist = np.full((len(Q), k), np.inf)
    idx = np.full((len(Q), k), np.iinfo(np.intp).max, dtype=np.intp)
    lab = np.full((len(Q), k), -1, dtype=np.intp)
    if kk and len(Q):
        d, i = exact_kneighbors(R, kk, Q)
        dist[:, :kk], idx[:, :kk], lab[:, :kk] = d, rows[i], labels[i]
    return dist, idx, lab


def _query_rows(Xp: Any, yp: Any, classes: np.ndarray, positions: np.ndarray, offset: int
                ) -> tuple:
    """The rows of one partition whose class is being cleaned: global indices, class
    positions, float64 rows."""
    if yp is None:
        yp = Xp.iloc[:, -1]
        Xp = Xp.iloc[:, :-1]
    own = np.searchsorted(classes, np.asarray(yp).ravel())
    local = np.flatnonzero(np.isin(own, positions))
    return local + offset, own[local], _float_rows(Xp)[local]


def _edited_drop(merged: tuple, rows: np.ndarray, own: np.ndarray, k: int, kind_sel: str
                 ) -> np.ndarray:
    """Global indices of the query rows Wilson's rule removes."""
    _, idx, lab = merged
    _, lab = _without_self(idx, lab, rows, k)
    return rows[~edited_keep_votes(lab, own, kind_sel)]


def _labels_at(pairs: list, offsets: np.ndarray, rows: np.ndarray, classes: np.ndarray
               ) -> np.ndarray:
    """Class positions of input rows ``rows`` (sorted), read from their partitions."""
    if not len(rows):
        return np.empty(0, dtype=np.intp)
    return np.searchsorted(classes, _fetch_rows(pairs, offsets, rows)[1])


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


def _renamed(series: Any, name: Any) -> Any:
    return series.rename(name)


def _gather_native(Xp: Any, yp: Any, wanted: np.ndarray) -> tuple:
    """Like :func:`_gather`, with the rows as they are (a pandas frame keeps its dtypes)."""
    if yp is None:
        yp = Xp.iloc[:, -1]
        Xp = Xp.iloc[:, :-1]
    labels = np.asarray(yp).ravel()
    local = np.flatnonzero(np.isin(labels, wanted))
    rows = Xp.iloc[local] if hasattr(Xp, "iloc") else np.asarray(Xp)[local]
    return local, labels[local], rows, len(labels)


def _smotenc(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray, plan: Any,
             wanted: np.ndarray, n_rows: int) -> tuple[Any, Any]:
    """SMOTE-NC: the in-memory plan on the gathered rows of the classes to over-sample
    (their codes, spreads, neighbours and votes need only those rows), then blocks of
    synthetic rows in the workers, each from its (class, block) stream."""
    import dask
    import dask.array as da

    from ..utils._containers import capture_X

    if dask.config.get(ORDER_KEY, False):
        raise DataValidationError(
            f"{ORDER_KEY!r} is not available for SMOTENC on Dask yet (its rows mix values "
            "of several types); unset it, or compute() the data.")
    gathered = dask.compute(*[dask.delayed(_gather_native)(xp, yp, wanted)
                              for xp, yp in _aligned(X, y, kind)])
    if int(sum(g[3] for g in gathered)) != n_rows:
        raise DataValidationError("X and y have different numbers of rows.")
    offsets = np.concatenate(([0], np.cumsum([g[3] for g in gathered])[:-1]))
    rows = np.concatenate([g[0] + o for g, o in zip(gathered, offsets, strict=True)])
    labels = np.concatenate([g[1] for g in gathered])
    if kind == "frame":
        import pandas as pd

        Xg = pd.concat([g[2] for g in gathered], ignore_index=True)
    else:
        Xg = np.concatenate([g[2] for g in gathered])
    inverse = np.searchsorted(classes, labels)
    sampler.median_std_ = {}
    data, Xn = sampler._nominal_setup(capture_X(Xg), inverse, len(classes))
    cat = [int(j) for j in sampler.categorical_features_]
    cont = [int(j) for j in sampler.continuous_features_]
    streams = RandomStreams.from_random_state(sampler.random_state)
    backend = sampler._neighbors()
    Xn_key, Xg_key = dask.delayed(Xn, pure=True), dask.delayed(Xg, pure=True)
    first_key = dask.delayed(data.first_rows, pure=True)
    out_dtype = Xg.dtype if kind == "array" and (Xg.dtype.kind in "fO" or not cont) else (
        np.dtype(np.float64))
    blocks, start = [], n_rows
    for label, n_new in plan.counts.items():
        if not n_new:
            continue
        cpos = plan.class_position(label)
        members = np.flatnonzero(inverse == cpos)
        sampler._check_class_size(label, len(members), backend.n_neighbors)
        cplan = sampler._class_plan(Xn, ClassTask(
            label=label, position=cpos, members=members, n_new=n_new, inverse=inverse,
            backend=backend, streams=streams, shared=data))
        votes = dask.delayed(cplan.combine.votes)
        for b, a in enumerate(range(0, n_new, BLOCK_ROWS)):
            size = min(BLOCK_ROWS, n_new - a)
            task = dask.delayed(_nominal_block, nout=4)(
                Xn_key, Xg_key, first_key, cplan.seeds, cplan.neighbors, votes, cat, cont,
                streams.root, cpos, b, size, a, start)
            blocks.append((task, size, label))
            start += size
    return _assemble(sampler, X, y, kind, blocks, rows, out_dtype, n_rows, da, ready=True)


def _nominal_block(Xn: np.ndarray, Xg: Any, first_rows: list, seeds: np.ndarray,
                   table: np.ndarray, votes: Any, cat: list, cont: list, root: Any,
                   class_pos: int, block: int, size: int, offset: int, start: int) -> tuple:
    """One block of SMOTE-NC rows, drawn and combined exactly as in memory: continuous
    columns interpolated, categorical ones voted, built by ``append_columns``."""
    from ..utils._containers import capture_X

    rng = RandomStreams(root).block(class_pos, block)
    seed, col, step = draw_block(rng, size, len(seeds), table.shape[1], (0.0, 1.0), None,
                                 offset)
    p, nb = seeds[seed], table[seed, col]
    values = np.empty((size, Xn.shape[1]), dtype=Xn.dtype)
    interpolate(Xn, p, nb, step, values, np.empty_like(values))
    codes = votes.pick(seed, rng.random((size, len(cat))))
    gathers = {j: first_rows[f][codes[:, f]] for f, j in enumerate(cat)}
    rows = capture_X(Xg).append_columns(values, cont, gathers, originals=False)
    if hasattr(rows, "index"):  # a pandas block: numbered after the rows before it
        import pandas as pd

        rows.index = pd.RangeIndex(start, start + size)
    return rows, p, nb, step
