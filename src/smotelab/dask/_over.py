"""Over-sampling on Dask: the sampler's own plan on the gathered rows, blocks in tasks."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels.generate import make_block
from .._strategy import SamplingPlan
from ..exceptions import DataValidationError
from ..over_sampling._base import ClassTask, record_fitted
from ..utils._random import RandomStreams, block_spans
from ._graph import (
    NearestClasses,
    OtherClassMarks,
    _GraphLabels,
    _neighbours_among_all,
    with_other_class_rows,
)
from ._local import LOCAL_KEY, checked_rows, local_fit_resample
from ._partitions import _aligned, _fetch_rows, _gather, _gather_native, validated_lazily

__all__ = ['duplicate', 'interpolate_plan', 'nominal']


# With this dask.config key set, over-samplers' synthetic rows do not depend on the order
# of the input rows (only on their values and random_state).
ORDER_KEY = "smotelab.order-invariant"

# The gathered rows of the classes being over-sampled must fit in memory: above this
# many (dask.config GATHER_KEY) the error names the ways out rather than exhausting the
# client.
GATHER_KEY = "smotelab.gather-limit"

GATHER_LIMIT = 20_000_000


def _smote_block(Xm: np.ndarray, seeds: np.ndarray, table: np.ndarray, root: Any,
                 class_pos: int, block: int, size: int, start: int, dtype: Any,
                 step_range: tuple = (0.0, 1.0), seed_counts: np.ndarray | None = None
                 ) -> tuple:
    """One block of a class's synthetic rows, by the kernel the in-memory path uses."""
    rng = RandomStreams(root).block(class_pos, block)
    out = np.empty((size, Xm.shape[1]), dtype=dtype)
    _, p, nb, step = make_block(rng, Xm, seeds, table, size, start, out, np.empty_like(out),
                                step_range, seed_counts)
    return out, p, nb, step


def _own_block(make: Any, Xm: np.ndarray, spec: dict, root: Any, class_pos: int, block: int,
               size: int, start: int, dtype: Any) -> tuple:
    """One block of a variant's own rows (``BaseSMOTE._block_rows``), as in memory."""
    rows, p, nb, step = make(Xm, spec, RandomStreams(root).block(class_pos, block), start,
                             size)
    return rows.astype(dtype, copy=False), p, nb, step


def _judged_rows(sampler: Any, Xm: np.ndarray, task: Any, spec: dict, streams: Any,
                 dtype: Any, dask: Any) -> tuple:
    """A class's rows made in the client by a variant that judges them (LeeSMOTE), as one
    block of the output."""
    out = np.empty((spec["n_new"], Xm.shape[1]), dtype=dtype)
    prov = sampler._generate(Xm, task, {**spec, "streams": streams, "on_block": None},
                             out=out)
    parts = (out, prov["parent"], prov["neighbor"], prov["step"])
    return tuple(dask.delayed(v, pure=True) for v in parts), spec["n_new"], spec["label"]


def _ros_block(Xm: np.ndarray, members: np.ndarray, root: Any, class_pos: int, block: int,
               size: int, dtype: Any) -> tuple:
    rng = RandomStreams(root).block(class_pos, block)
    p = members[rng.integers(0, len(members), size=size)]
    return Xm[p].astype(dtype, copy=False), p, np.full(size, -1, np.intp), np.zeros(size)


def _check_gather(sampler: Any, n_gather: int, d: Any) -> None:
    """Refuse to gather more rows than the limit, naming the ways out."""
    import dask

    limit = int(dask.config.get(GATHER_KEY, GATHER_LIMIT))
    if n_gather <= limit:
        return
    name = type(sampler).__name__
    size = f" (about {n_gather * int(d) * 8 / 1e9:.1f} GB as float64)" if isinstance(
        d, (int, np.integer)) else ""
    local = (f"find neighbours within each partition instead, approximate but bounded by "
             f"the partition: dask.config.set({{'{LOCAL_KEY}': 'partition'}}) (see the "
             "differences page); " if partition_local(sampler) else
             f"for an approximate plan bounded by the partition use "
             f"{' or '.join(_partition_local_samplers())} with dask.config.set("
             f"{{'{LOCAL_KEY}': 'partition'}}); ")
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
    parts_x: list[Any] = []
    parts_y: list[Any] = []
    prov: dict[str, list[Any]] = {"parent": [], "neighbor": [], "step": [], "class": []}
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
        X = validated_lazily(X, kind, sampler)
        X_out = da.concatenate([X, *parts_x]) if parts_x else X
        y_out = da.concatenate([y, *parts_y]) if parts_y else y
        return X_out, y_out
    import dask.dataframe as dd

    if not parts_x:
        return validated_lazily(X, kind, sampler), y
    X_new = dd.from_delayed(parts_x, meta=X._meta, verify_meta=False)
    y_new = dd.from_delayed(parts_y, meta=y._meta, verify_meta=False)
    return dd.concat([validated_lazily(X, kind, sampler), X_new]), dd.concat([y, y_new])


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


def _smotenc(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray, plan: Any,
             wanted: np.ndarray, n_rows: int) -> tuple[Any, Any]:
    """Mixed rows: the in-memory plan on the gathered rows of the classes to over-sample
    (their codes, spreads, neighbours and votes need only those rows), then blocks of
    synthetic rows in the workers, each from its (class, block) stream."""
    import dask
    import dask.array as da

    from ..utils._containers import capture_X

    if dask.config.get(ORDER_KEY, False):
        raise DataValidationError(
            f"{ORDER_KEY!r} is not available for {type(sampler).__name__} on Dask yet (its rows mix values "
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
    sampler._start_fitted()
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
        record_fitted(sampler, label, cplan, to_rows=rows.__getitem__)
        votes = dask.delayed(cplan.combine.votes)
        for b, a, size in block_spans(n_new):
            task = dask.delayed(_nominal_block, nout=4)(
                Xn_key, Xg_key, first_key, cplan.seeds, cplan.neighbors, votes, cat, cont,
                streams.root, cpos, b, size, a, start)
            blocks.append((task, size, label))
            start += size
    return _assemble(sampler, X, y, kind, blocks, rows, out_dtype, n_rows, da, ready=True)


def _nominal_block(Xn: np.ndarray, Xg: Any, first_rows: list, seeds: np.ndarray,
                   table: np.ndarray, votes: Any, cat: list, cont: list, root: Any,
                   class_pos: int, block: int, size: int, offset: int, start: int) -> tuple:
    """One block of mixed rows, drawn and combined exactly as in memory: continuous
    columns interpolated, categorical ones voted, built by ``append_columns``."""
    from ..utils._containers import capture_X

    rng = RandomStreams(root).block(class_pos, block)
    values = np.empty((size, Xn.shape[1]), dtype=Xn.dtype)
    seed, p, nb, step = make_block(rng, Xn, seeds, table, size, offset, values,
                                   np.empty_like(values))
    codes = votes.draw(rng, seed)
    gathers = {j: first_rows[f][codes[:, f]] for f, j in enumerate(cat)}
    rows = capture_X(Xg).append_columns(values, cont, gathers, originals=False)
    if hasattr(rows, "index"):  # a pandas block: numbered after the rows before it
        import pandas as pd

        rows.index = pd.RangeIndex(start, start + size)
    return rows, p, nb, step


def _plan(sampler: Any, classes: np.ndarray, plan: SamplingPlan) -> tuple:
    """The classes to gather for ``plan``, and the mode asked for."""
    import dask

    wanted = np.array([c for c, n in plan.counts.items() if n], dtype=classes.dtype)
    mode = dask.config.get(LOCAL_KEY, "exact")
    if mode not in ("exact", "partition"):
        raise DataValidationError(f"dask.config {LOCAL_KEY!r} is 'exact' or 'partition'; got "
                                  f"{mode!r}.")
    if mode == "partition" and not partition_local(sampler):
        raise DataValidationError(
            f"{LOCAL_KEY}='partition' works with {' and '.join(_partition_local_samplers())} "
            "(samplers that need no neighbours among all rows, and their subclasses); "
            f"{type(sampler).__name__} needs the exact plan (unset {LOCAL_KEY}).")
    return wanted, mode


def _partition_local_samplers() -> list[str]:
    """The shipped samplers whose plan runs within each partition (found by their tags)."""
    from ..utils.discovery import all_samplers

    order = {"interpolate": 0, "duplicate": 1}
    found = []
    for name, cls in all_samplers():
        try:
            sampler = cls()
        except TypeError:  # a sampler with required parameters
            continue
        if partition_local(sampler):
            found.append((order[sampler.__sklearn_tags__().sampler_tags.distributed_plan], name))
    return [name for _, name in sorted(found)]


def partition_local(sampler: Any) -> bool:
    """Whether the sampler's plan can run inside each partition (no all-row context)."""
    kind = sampler.__sklearn_tags__().sampler_tags.distributed_plan
    return kind == "duplicate" or (kind == "interpolate" and sampler._graph_need() is None
                                   and not sampler._other_class_need()
                                   and not sampler._marks_other_classes
                                   and not sampler._judges_new_rows)


def _gathered(X: Any, y: Any, kind: str, classes: np.ndarray, wanted: np.ndarray,
              n_rows: int) -> tuple:
    """The rows of the classes in ``wanted``, in input order (or canonical order with
    ``ORDER_KEY``): input row numbers, labels, values, and the partitions' offsets."""
    import dask

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
    return rows, labels, Xm, offsets


def _graph_on_dask(sampler: Any, need: Any, Xm: np.ndarray, rows: np.ndarray,
                   inverse: np.ndarray, X: Any, y: Any, kind: str, classes: np.ndarray,
                   offsets: np.ndarray, n_rows: int) -> tuple:
    """The declared graph of the gathered rows among *all* rows, merged across
    partitions; with ``need.any_k`` the other classes' rows among each row's nearest join
    the gathered rows. Returns the graph and the (extended) rows, numbers and classes."""
    import dask

    sampler._check_m_neighbors(need.backend, n_rows, param=need.param)
    m, k = int(need.backend.n_neighbors), int(need.any_k)
    idx, lab = _neighbours_among_all(dask.delayed(Xm, pure=True), rows, X, y, kind, classes,
                                     offsets, max(m, min(k, n_rows - 1)))
    graph = _GraphLabels(np.count_nonzero(lab[:, :m] != inverse[:, None], axis=1), m)
    if k:
        foreign = np.setdiff1d(idx[:, :k], rows)
        Xf, lab_f = _fetch_rows(list(_aligned(X, y, kind)), offsets, foreign, Xm.shape[1])
        Xf = checked_rows(Xf.astype(Xm.dtype, copy=False), type(sampler).__name__,
                          "the other classes' rows next to them")
        Xm = np.concatenate([Xm, Xf])
        rows = np.concatenate([rows, foreign])
        inverse = np.concatenate([inverse, np.searchsorted(classes, lab_f)])
        order = np.argsort(rows, kind="stable")
        graph.table = order[np.searchsorted(rows[order], idx[:, :k])]
    return graph, Xm, rows, inverse


def _gather_for(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
                counts: np.ndarray, plan: SamplingPlan, n_rows: int, dtype: Any) -> tuple:
    """``(partition-local output, None)`` when that mode is asked for, else ``(None,
    (rows, labels, values, offsets))``: the checked rows of the classes to over-sample."""
    wanted, mode = _plan(sampler, classes, plan)
    if mode == "partition":
        return local_fit_resample(sampler, X, y, kind, classes, plan, dtype, n_rows), None
    _check_gather(sampler, int(counts[np.isin(classes, wanted)].sum()), X.shape[1])
    rows, labels, Xm, offsets = _gathered(X, y, kind, classes, wanted, n_rows)
    Xm = checked_rows(Xm, type(sampler).__name__, "the classes to over-sample")
    return None, (rows, labels, Xm, offsets)


def interpolate_plan(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
                     counts: np.ndarray, n_rows: int, plan: SamplingPlan) -> tuple[Any, Any]:
    """The interpolation protocol (over_sampling._base) on the gathered rows: the declared
    graph (merged across partitions), the sampler's own context and class plans, then
    one task per block of rows. Equal to the in-memory output."""
    import dask
    import dask.array as da

    dtype = _output_dtype(X._meta, kind)
    local, gathered = _gather_for(sampler, X, y, kind, classes, counts, plan, n_rows, dtype)
    if local is not None:
        return local
    rows, labels, Xm, offsets = gathered
    inverse = np.searchsorted(classes, labels)
    streams = RandomStreams.from_random_state(sampler.random_state)
    k_other = sampler._other_class_need()
    if k_other:
        Xm, rows, inverse = with_other_class_rows(
            k_other, Xm, rows, inverse, X, y, kind, classes, offsets,
            bool(dask.config.get(ORDER_KEY, False)))
        Xm = checked_rows(Xm, type(sampler).__name__, "the other classes' rows next to them")
    need = sampler._graph_need()
    graph = None
    if need is not None:
        graph, Xm, rows, inverse = _graph_on_dask(sampler, need, Xm, rows, inverse, X, y,
                                                  kind, classes, offsets, n_rows)
    backend = sampler._neighbors()
    if sampler._judges_new_rows:  # its judge reads every row: every partition answers
        judge = sampler._judge_neighbors()
        sampler._check_m_neighbors(judge, n_rows + 1, param="m_neighbors")
        shared: Any = NearestClasses(X, y, kind, classes, offsets, int(judge.n_neighbors))
    else:
        shared = sampler._fit_context(Xm, inverse=inverse, plan=plan, streams=streams,
                                      graph=graph)
    sampler._start_fitted()
    Xm_key = dask.delayed(Xm, pure=True)
    blocks = []
    for label, n_new in plan.counts.items():
        if not n_new:
            continue
        cpos = plan.class_position(label)
        members = np.flatnonzero(inverse == cpos)  # positions in Xm, in input order
        sampler._check_class_size(label, len(members), backend.n_neighbors)
        task = ClassTask(label=label, position=cpos, members=members, n_new=n_new,
                         inverse=inverse, backend=backend, streams=streams, shared=shared,
                         marks=OtherClassMarks(Xm, X, y, kind, classes, cpos))
        cplan = sampler._class_plan(Xm, task)
        record_fitted(sampler, label, cplan, to_rows=rows.__getitem__)
        spec = cplan.spec(n_new, cpos, label, sampler._own_rows())
        if sampler._judges_new_rows:  # made here: its rounds follow the judge's answers
            blocks.append(_judged_rows(sampler, Xm, task, spec, streams, dtype, dask))
            continue
        for b, a, size in block_spans(n_new):
            if sampler._own_rows():  # the variant's own rows, by its own method
                task = dask.delayed(_own_block, nout=4)(
                    sampler._block_rows, Xm_key, spec, streams.root, cpos, b, size, a, dtype)
            else:
                task = dask.delayed(_smote_block, nout=4)(
                    Xm_key, cplan.seeds, cplan.neighbors, streams.root, cpos, b, size, a,
                    dtype, cplan.step_range, cplan.seed_counts)
            blocks.append((task, size, label))
    return _assemble(sampler, X, y, kind, blocks, rows, dtype, n_rows, da)


def duplicate(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
              counts: np.ndarray, n_rows: int, plan: SamplingPlan) -> tuple[Any, Any]:
    """Random over-sampling: rows of each class copied, drawn block by block."""
    import dask
    import dask.array as da

    if getattr(sampler, "shrinkage", None) is not None:
        raise DataValidationError(
            f"{type(sampler).__name__}(shrinkage=...) does not take Dask collections yet; "
            "compute() the data or drop shrinkage.")
    meta_dtype = _output_dtype(X._meta, kind)
    local, gathered = _gather_for(sampler, X, y, kind, classes, counts, plan, n_rows,
                                  meta_dtype)
    if local is not None:
        return local
    rows, labels, Xm, _ = gathered
    dtype = X._meta.dtype if kind == "array" else meta_dtype  # copies keep the dtype
    streams = RandomStreams.from_random_state(sampler.random_state)
    Xm_key = dask.delayed(Xm, pure=True)
    blocks = []
    for label, n_new in plan.counts.items():
        if not n_new:
            continue
        cpos = plan.class_position(label)
        members = np.flatnonzero(labels == label)
        for b, _, size in block_spans(n_new):
            task = dask.delayed(_ros_block, nout=4)(Xm_key, members, streams.root, cpos, b,
                                                    size, dtype)
            blocks.append((task, size, label))
    return _assemble(sampler, X, y, kind, blocks, rows, dtype, n_rows, da)


def nominal(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
            counts: np.ndarray, n_rows: int, plan: SamplingPlan) -> tuple[Any, Any]:
    """Mixed numeric and categorical rows (the nominal plan): see :func:`_smotenc`."""
    wanted, _ = _plan(sampler, classes, plan)
    _check_gather(sampler, int(counts[np.isin(classes, wanted)].sum()), X.shape[1])
    return _smotenc(sampler, X, y, kind, classes, plan, wanted, n_rows)
