"""The iterative-partitioning filter on Dask: the in-memory rounds, trees learnt in workers.

The labels (as class positions) come to the client, where the rounds run exactly as in
memory (``IterativePartitioningFilter._filter``): the same stratified parts, seeds and
votes. In each round a task per partition hands every part its kept rows; one task per
part fits that part's learner on them (in input order, as in memory, so the trees are the
same); a task per partition counts how many learners misclassify each of its kept rows,
and only those counts come back. The kept rows are selected lazily at the end.

What must fit one worker is one part's rows (a ``1 / n_splits`` share of the kept rows)
and its learner; the client holds the labels and the round's part of every row (a few
bytes per row).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._strategy import SamplingPlan
from ..utils._random import RandomStreams
from ._partitions import _aligned, _dropped, _in_partition

__all__ = ["iterative_filter"]


def iterative_filter(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
                     counts: np.ndarray, n_rows: int, plan: SamplingPlan) -> tuple[Any, Any]:
    """``IterativePartitioningFilter`` on Dask collections (see the module notes)."""
    import dask

    sampler._check_estimator()
    pairs = list(_aligned(X, y, kind))
    codes = dask.compute(*[dask.delayed(_codes)(xp, yp, classes) for xp, yp in pairs])
    lengths = np.array([len(c) for c in codes], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    inverse = np.concatenate(codes) if codes else np.empty(0, dtype=np.intp)

    def count_wrong(kept: np.ndarray, parts: list[np.ndarray], seed: int) -> np.ndarray:
        # every row's part this round (-1: removed in an earlier round), per partition
        part_of = np.full(n_rows, -1, dtype=np.int8 if len(parts) < 128 else np.int32)
        for f, part in enumerate(parts):
            part_of[kept[part]] = f
        split = [part_of[o:o + n] for o, n in zip(offsets, lengths, strict=True)]
        pieces = [dask.delayed(_pieces, nout=len(parts))(sampler, i, xp, yp, p, classes,
                                                         len(parts))
                  for i, ((xp, yp), p) in enumerate(zip(pairs, split, strict=True))]
        learners = [dask.delayed(_fit_part)(sampler, sampler._learner(seed, f),
                                            [p[f] for p in pieces])
                    for f in range(len(parts))]
        wrong = dask.compute(*[dask.delayed(_wrong)(sampler, i, xp, yp, p, classes, learners)
                               for i, ((xp, yp), p) in enumerate(zip(pairs, split,
                                                                     strict=True))])
        return np.concatenate(wrong)

    streams = RandomStreams.from_random_state(sampler.random_state)
    kept = sampler._filter(inverse, plan.in_plan(inverse), streams.shared(), count_wrong)
    drop = np.setdiff1d(np.arange(n_rows), kept)
    return _dropped(sampler, pairs, lengths, offsets, drop, X, y, kind)


def _xy(Xp: Any, yp: Any, classes: np.ndarray) -> tuple[Any, np.ndarray]:
    """One partition's X and its labels' class positions (``yp`` None: the label is X's
    last column)."""
    if yp is None:
        yp, Xp = Xp.iloc[:, -1], Xp.iloc[:, :-1]
    return Xp, np.searchsorted(classes, np.asarray(yp).ravel())


def _codes(Xp: Any, yp: Any, classes: np.ndarray) -> np.ndarray:
    return _xy(Xp, yp, classes)[1]


def _numeric(sampler: Any, Xp: Any, where: int) -> Any:
    """One partition's X as the in-memory fit reads it (``sampler._numeric``: floats keep
    their dtype; non-numeric or non-finite values are refused with the in-memory error,
    naming the partition)."""
    from ..utils._containers import capture_X

    out: list = []
    _in_partition(where, lambda: out.append(sampler._numeric(capture_X(Xp))))
    return out[0]


def _pieces(sampler: Any, where: int, Xp: Any, yp: Any, part_of: np.ndarray,
            classes: np.ndarray, n_parts: int) -> tuple:
    """The rows of partition ``where`` in each part: (X rows, class positions) per part."""
    Xp, codes = _xy(Xp, yp, classes)
    values = _numeric(sampler, Xp, where)
    return tuple((values[part_of == f], codes[part_of == f]) for f in range(n_parts))


def _fit_part(sampler: Any, learner: Any, pieces: list) -> Any:
    """One part's learner, fitted on its rows from every partition (in input order), as
    the sampler fits it in memory."""
    X = np.concatenate([p[0] for p in pieces])
    return sampler._fit_learner(learner, X, np.concatenate([p[1] for p in pieces]))


def _wrong(sampler: Any, where: int, Xp: Any, yp: Any, part_of: np.ndarray,
           classes: np.ndarray, learners: list) -> np.ndarray:
    """How many of the learners misclassify each kept row of partition ``where``."""
    Xp, codes = _xy(Xp, yp, classes)
    kept = part_of >= 0
    rows, truth = _numeric(sampler, Xp, where)[kept], codes[kept]
    wrong = np.zeros(len(truth), dtype=np.int64)
    if len(truth):
        for learner in learners:
            wrong += np.asarray(learner.predict(rows)) != truth
    return wrong
