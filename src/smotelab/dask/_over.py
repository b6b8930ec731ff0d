"""Over-sampling on Dask: the sampler's own plan on the gathered rows, blocks in tasks."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels.generate import make_block
from .._plan import (
    ClassPlan,
    ClassTask,
    Facts,
    PlanNeeds,
    RowsView,
    makes_rows_whole,
    partition_local,
    partition_local_names,
    run_plan,
)
from .._strategy import SamplingPlan
from ..exceptions import DataValidationError
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
    """One block of a variant's own rows (``_block_rows``), as in memory (a fifth value:
    the rows' generated targets)."""
    rows, *rest = make(Xm, spec, RandomStreams(root).block(class_pos, block), start, size)
    return (rows.astype(dtype, copy=False), *rest)


def _whole_rows(sampler: Any, Xm: np.ndarray, task: ClassTask, spec: dict, dtype: Any,
                dask: Any) -> tuple:
    """A class's rows made as a whole in the client, by a variant that replaces
    ``_generate`` (LeeSMOTE judges them against every partition), as one block."""
    out = np.empty((spec["n_new"], Xm.shape[1]), dtype=dtype)
    prov = sampler._generate(Xm, task, {**spec, "streams": task.streams, "on_block": None},
                             out=out)
    parts = [out, prov["parent"], prov["neighbor"], prov["step"]]
    if "target" in prov:
        parts.append(prov["target"])
    return tuple(dask.delayed(v, pure=True) for v in parts)


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
             f"{' or '.join(partition_local_names())} with dask.config.set("
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
    if any(len(task) > 4 for task, _, _ in blocks):  # targets made with the rows
        prov["target"] = []
    start = n
    for task, size, label in blocks:
        rows_t, p, nb, step, *target = task
        # provenance as lazy arrays: parent/neighbour are positions in the gathered rows
        # (``rows`` None: already input row numbers)
        parent = p if rows is None else dask.delayed(np.take)(rows, p)
        neighbor = nb if rows is None else dask.delayed(_global_or_minus_one)(rows, nb)
        prov["parent"].append(da.from_delayed(parent, (size,), np.intp))
        prov["neighbor"].append(da.from_delayed(neighbor, (size,), np.intp))
        prov["step"].append(da.from_delayed(step, (size,), np.float64))
        prov["class"].append(da.full(size, label, dtype=np.asarray([label]).dtype))
        made = dask.delayed(np.asarray)(target[0], label_dtype) if target else None
        if "target" in prov:
            prov["target"].append(da.full(size, label, dtype=label_dtype) if made is None
                                  else da.from_delayed(made, (size,), label_dtype))
        if kind == "array":
            parts_x.append(da.from_delayed(rows_t, (size, d), dtype))
            parts_y.append(da.full(size, label, dtype=label_dtype) if made is None else
                           da.from_delayed(made, (size,), label_dtype))
        else:
            parts_x.append(rows_t if ready else dask.delayed(_frame_block)(rows_t, X._meta,
                                                                            start))
            parts_y.append(dask.delayed(_series_block)(label if made is None else made,
                                                       size, y._meta, start))
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
    """The labels of a block of new rows (one label, or the rows' generated targets)."""
    import pandas as pd

    values = label if isinstance(label, np.ndarray) else [label] * size
    return pd.Series(values, name=meta.name, index=pd.RangeIndex(start, start + size)
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
    data, Xn = sampler._nominal_setup(capture_X(Xg), inverse, len(classes))
    cat = [int(j) for j in sampler.categorical_features_]
    cont = [int(j) for j in sampler.continuous_features_]
    streams = RandomStreams.from_random_state(sampler.random_state)
    backend = sampler._neighbors()
    Xn_key, Xg_key = dask.delayed(Xn, pure=True), dask.delayed(Xg, pure=True)
    first_key = dask.delayed(data.first_rows, pure=True)
    out_dtype = Xg.dtype if kind == "array" and (Xg.dtype.kind in "fO" or not cont) else (
        np.dtype(np.float64))
    blocks: list[tuple] = []

    def sink(sampler: Any, Xn: Any, task: ClassTask, cplan: ClassPlan, start: int) -> None:
        votes = dask.delayed(cplan.combine.votes)  # type: ignore[union-attr]
        at = n_rows + start
        for b, a, size in block_spans(task.n_new):
            block = dask.delayed(_nominal_block, nout=4)(
                Xn_key, Xg_key, first_key, cplan.seeds, cplan.neighbors, votes, cat, cont,
                streams.root, task.position, b, size, a, at)
            blocks.append((block, size, task.label))
            at += size

    classes_ = [(label, plan.class_position(label), n) for label, n in plan.counts.items() if n]
    run_plan(sampler, PlanNeeds(), RowsView(Xn, inverse, Facts(), rows.__getitem__), classes_,
             sink, plan=plan, streams=streams, backend=backend, shared=data)
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
            f"{LOCAL_KEY}='partition' works with {' and '.join(partition_local_names())} "
            "(samplers that need no neighbours among all rows, and their subclasses); "
            f"{type(sampler).__name__} needs the exact plan (unset {LOCAL_KEY}).")
    return wanted, mode


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
        Xf = checked_rows(Xf.astype(Xm.dtype, copy=False), sampler,
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
    Xm = checked_rows(Xm, sampler, "the rows of the classes to over-sample")
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
    needs = sampler._plan_needs()
    facts = _DaskFacts(X, y, kind, classes, offsets)
    if needs.other_rows:
        Xm, rows, inverse = with_other_class_rows(
            needs.other_rows, Xm, rows, inverse, X, y, kind, classes, offsets,
            bool(dask.config.get(ORDER_KEY, False)))
        Xm = checked_rows(Xm, sampler, "the other classes' rows next to them")
    if needs.graph is not None:
        facts.graph, Xm, rows, inverse = _graph_on_dask(
            sampler, needs.graph, Xm, rows, inverse, X, y, kind, classes, offsets, n_rows)
    backend = sampler._neighbors()
    if needs.judge is not None:  # new rows are not input rows: all of them may judge
        sampler._check_m_neighbors(needs.judge.backend, n_rows + 1, param=needs.judge.param)
        facts.judge = NearestClasses(X, y, kind, classes, offsets,
                                     int(needs.judge.backend.n_neighbors))
    facts.Xm = Xm
    sink = _DaskSink(Xm, dtype)
    classes_ = [(label, plan.class_position(label), n) for label, n in plan.counts.items() if n]
    targets = classes[inverse] if needs.targets else None
    run_plan(sampler, needs, RowsView(Xm, inverse, facts, rows.__getitem__, targets),
             classes_, sink, plan=plan, streams=streams, backend=backend)
    return _assemble(sampler, X, y, kind, sink.blocks, rows, dtype, n_rows, da)


class _DaskFacts(Facts):
    """The facts of :class:`PlanNeeds` on Dask: the graph and the judge as the plan
    computes them (merged from every partition), marks asked of every partition."""

    def __init__(self, X: Any, y: Any, kind: str, classes: np.ndarray,
                 offsets: np.ndarray) -> None:
        self.X, self.y, self.kind, self.classes, self.offsets = X, y, kind, classes, offsets
        self.Xm: np.ndarray | None = None

    def marks(self, own: int) -> Any:
        assert self.Xm is not None  # set once the rows the plans read are known
        return OtherClassMarks(self.Xm, self.X, self.y, self.kind, self.classes, own)


class _DaskSink:
    """The exact plan's sink: one task per block of a class's rows, made by the kernel
    the in-memory path uses (segments) or by the variant's own ``_block_rows``; a
    variant that makes a class's rows as a whole (its own ``_generate``) runs it in the
    client, where the facts it reads are answered by every partition."""

    def __init__(self, Xm: np.ndarray, dtype: Any) -> None:
        import dask

        self.Xm, self.dtype, self.dask = Xm, dtype, dask
        self.Xm_key = dask.delayed(Xm, pure=True)
        self.blocks: list[tuple] = []

    def __call__(self, sampler: Any, Xm: Any, task: ClassTask, cplan: ClassPlan,
                 start: int) -> None:
        dask, own = self.dask, sampler._own_rows()
        spec = cplan.spec(task.n_new, task.position, task.label, own)
        if makes_rows_whole(sampler):
            block = _whole_rows(sampler, self.Xm, task, spec, self.dtype, dask)
            if cplan.target_of is not None:
                parts = tuple(block)[:4]
                block = (*parts, dask.delayed(cplan.target_of)(*parts[1:4]))
            self.blocks.append((block, task.n_new, task.label))
            return
        nout = 5 if task.targets is not None and cplan.target_of is None else 4
        root = task.streams.root
        for b, a, size in block_spans(task.n_new):
            if own:  # the variant's own rows, by its own method
                block = dask.delayed(_own_block, nout=nout)(
                    sampler._block_rows, self.Xm_key, spec, root, task.position, b, size, a,
                    self.dtype)
            else:
                block = dask.delayed(_smote_block, nout=4)(
                    self.Xm_key, cplan.seeds, cplan.neighbors, root, task.position, b, size,
                    a, self.dtype, cplan.step_range, cplan.seed_counts)
            if cplan.target_of is not None:  # the targets of the block's rows, made there
                parts = tuple(block)
                block = (*parts, dask.delayed(cplan.target_of)(*parts[1:4]))
            self.blocks.append((block, size, task.label))


def duplicate(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
              counts: np.ndarray, n_rows: int, plan: SamplingPlan) -> tuple[Any, Any]:
    """Random over-sampling: rows of each class copied, drawn block by block."""
    import dask
    import dask.array as da

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
