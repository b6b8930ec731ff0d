"""Partition-local over-sampling: the approximate way past the gather limit.

The exact plan gathers every row of the classes being over-sampled into one task. When
they are too many for that (more than the ``smotelab.gather-limit`` rows), the user may
ask, with the ``dask.config`` key ``smotelab.neighbours`` set to ``"partition"``, for
each partition to over-sample its own share: a class's new rows are apportioned to the
partitions in proportion to the rows of the class each holds (largest remainders, ties
to the earlier partition; partitions with too few rows of the class for ``k_neighbors``
get none), and each partition runs the sampler's own class plan on the rows of the
class *in the same partition* (an interpolating plan finds a row's neighbours there).
Memory is then bounded by the partition, never by the
class. What is given up: the neighbours are the nearest within a partition, not over
the whole class (a partition is a sample of the class, so they are somewhat farther),
and the output depends on the partitioning (still not on the scheduler or the number of
workers). Counts still match the sampling strategy exactly. The duplicating plan (random
over-sampling) copies each partition's own rows. Samplers whose plans read a neighbour
graph over all rows (danger sets, density weights) have no partition-local form.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels.labels import apportion
from .._plan import Facts, MemorySink, RowsView, run_plan
from ..exceptions import DataValidationError, NotEnoughSamplesError, fmt_label
from ..utils._random import RandomStreams
from ..utils._validation import numeric_values

__all__ = ["LOCAL_KEY", "checked_rows", "local_fit_resample"]

# dask.config key: "exact" (default, the gathered plan) or "partition" (this module).
LOCAL_KEY = "smotelab.neighbours"
# First element of the spawn key of a partition's streams: apart from every key the
# exact plan uses (class positions, and 2**31 for shared draws), whatever the length.
_STREAM_TAG = 2**31 + 1


def checked_rows(Xm: np.ndarray, sampler: Any, where: str) -> np.ndarray:
    """Gathered rows as floats, refused as the in-memory fit refuses them (non-numeric
    or not finite), the error saying which rows."""
    return numeric_values(Xm, caller=type(sampler).__name__, where=where,
                          hint=sampler._numeric_hint())


def local_fit_resample(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
                       plan: Any, dtype: Any, n_rows: int) -> tuple[Any, Any]:
    """Over-sample partition by partition (see the module notes); lazy output."""
    import dask
    import dask.array as da

    from ._over import _assemble
    from ._partitions import _aligned, _partition_classes

    name = type(sampler).__name__
    interpolates = sampler.__sklearn_tags__().sampler_tags.distributed_plan == "interpolate"
    k = int(sampler._neighbors().n_neighbors) if interpolates else 0
    param = sampler._k_param if interpolates else "neighbours"
    targets = interpolates and sampler._plan_needs().targets
    pairs = list(_aligned(X, y, kind))
    per_part = np.array(dask.compute(*[dask.delayed(_partition_classes)(xp, yp, classes)
                                       for xp, yp in pairs])).reshape(len(pairs), len(classes))
    if int(per_part.sum()) != n_rows:
        raise DataValidationError("X and y have different numbers of rows.")
    offsets = np.concatenate(([0], np.cumsum(per_part.sum(axis=1))[:-1]))
    root = RandomStreams.from_random_state(getattr(sampler, "random_state", None)).root
    blocks = []
    for label, n_new in plan.counts.items():
        if not n_new:
            continue
        cpos = plan.class_position(label)
        have = per_part[:, cpos]
        usable = have >= k + 1
        if not usable.any():
            raise NotEnoughSamplesError(
                f"{name}: with {LOCAL_KEY}='partition' every partition needs at least "
                f"{param}+1={k + 1} rows of class {fmt_label(label)} to over-sample it "
                f"there, and none has (the most is {int(have.max())}). Repartition into "
                f"fewer, larger partitions, lower {param}, or use the exact plan.")
        shares = apportion(np.where(usable, have, 0), n_new)
        for p in np.flatnonzero(shares):
            xp, yp = pairs[p]
            size = int(shares[p])
            task = dask.delayed(_local_block, nout=5 if targets else 4)(
                sampler, interpolates, xp, yp, label, size, root, cpos, int(p),
                int(offsets[p]), dtype, plan)
            blocks.append((task, size, label))
    return _assemble(sampler, X, y, kind, blocks, None, dtype, n_rows, da)


def _local_block(sampler: Any, interpolates: bool, Xp: Any, yp: Any, label: Any, n_new: int,
                 root: np.random.SeedSequence, class_pos: int, part: int, offset: int,
                 dtype: Any, plan: Any) -> tuple:
    """One partition's new rows of one class: the plan protocol's driver on the class's
    rows of this partition (not ``interpolates``: duplicates of those rows); parents and
    neighbours as input row numbers."""
    if yp is None:
        yp = Xp.iloc[:, -1]
        Xp = Xp.iloc[:, :-1]
    members = np.flatnonzero(np.asarray(yp).ravel() == label)
    Xc = np.asarray(Xp.to_numpy() if hasattr(Xp, "to_numpy") else Xp)[members]
    Xc = checked_rows(Xc, sampler, f"class {fmt_label(label)} (partition {part})").astype(
        dtype, copy=False)
    seq = np.random.SeedSequence(root.entropy,
                                 spawn_key=(*root.spawn_key, _STREAM_TAG, part))
    streams = RandomStreams(seq)
    out = np.empty((n_new, Xc.shape[1]), dtype=dtype)
    if not interpolates:
        pick = streams.block(class_pos, 0).integers(0, len(members), size=n_new)
        out[:] = Xc[pick]
        return out, members[pick] + offset, np.full(n_new, -1, np.intp), np.zeros(n_new)
    sink = MemorySink(tail=out)
    inverse = np.full(len(members), class_pos, dtype=np.intp)
    needs = sampler._plan_needs()
    targets = np.asarray(yp).ravel()[members] if needs.targets else None
    run_plan(sampler, needs, RowsView(Xc, inverse, Facts(), targets=targets),
             [(label, class_pos, n_new)], sink, plan=plan, streams=streams,
             backend=sampler._neighbors())
    prov = sink.provenance[0]  # its own rows, or segments
    nb = prov["neighbor"]
    block = (out, members[prov["parent"]] + offset,
             np.where(nb >= 0, members[nb] + offset, -1), prov["step"])
    return (*block, prov["target"]) if needs.targets else block
