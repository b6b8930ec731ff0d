"""Selections and cleaning on Dask: random under-sampling, Tomek links, Wilson's editing.

Only what decides the kept rows comes to the client (class counts per partition, the
rows of the smaller classes, the dropped rows' indices); the kept rows are selected
lazily, partition by partition, and equal the in-memory selection.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._kernels.labels import edited_keep_votes
from .._strategy import SamplingPlan
from ..exceptions import too_few_samples
from ..neighbors import ExactNeighbors, FittedNeighbors
from ..utils._random import RandomStreams
from ._graph import (
    _check_budget,
    _merged,
    _neighbours_among_all,
    _query_rows,
    _row_groups,
    _stacked,
    _stacked_neighbours,
    _stacked_queries,
    _without_self,
)
from ._partitions import (
    _aligned,
    _dropped,
    _fetch_rows,
    _gather,
    _labels_at,
    _partition_classes,
    _selected,
    _take_partition,
)

__all__ = ['edited', 'random_selection', 'tomek_links']

# Values (rows x features) per group of partitions in ENN's partition-pair searches.
_GROUP_VALUES = 1 << 23


def random_selection(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
                     counts: np.ndarray, n_rows: int, plan: SamplingPlan) -> tuple[Any, Any]:
    """Random selection per class: the same draws as in memory, rows selected partition by
    partition."""
    import dask

    spec = sampler._plan_spec()
    streams = RandomStreams.from_random_state(sampler.random_state)
    # class-ranks kept, drawn exactly as the in-memory sampler draws class members
    ranks = [np.arange(n) for n in counts]
    for label, n_keep in plan.counts.items():
        cpos = plan.class_position(label)
        rng = streams.for_class(cpos)
        ranks[cpos] = np.sort(rng.choice(int(counts[cpos]), size=n_keep,
                                         replace=spec.replacement))
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


def tomek_links(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
                counts: np.ndarray, n_rows: int, plan: SamplingPlan) -> tuple[Any, Any]:
    """Tomek links: found from the small side (as in memory), their rows dropped lazily."""
    import dask

    largest = int(np.argmax(counts))
    _check_budget(type(sampler).__name__, int(counts.sum() - counts[largest]), int(counts.sum()),
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


def edited(sampler: Any, X: Any, y: Any, kind: str, classes: np.ndarray,
           counts: np.ndarray, n_rows: int, plan: SamplingPlan) -> tuple[Any, Any]:
    """Wilson's editing: every row of the classes to clean queries every partition
    (local nearest, merged by a tree in the workers, as in memory); only the dropped rows'
    indices come back to the client, the kept rows are selected lazily."""
    import dask

    spec = sampler._plan_spec()
    k, n = spec.k, int(counts.sum())
    if k >= n:
        raise too_few_samples(type(sampler).__name__, spec.param, k, n)
    setattr(sampler, spec.attr, FittedNeighbors(ExactNeighbors(k)))
    positions = plan.positions()
    _check_budget(type(sampler).__name__, int(counts[positions].sum()), n, X.shape[1])
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
        drops.append(dask.delayed(_edited_drop)(merged, q[0], q[1], k, spec.rule))
    found = dask.compute(*drops)
    drop = np.sort(np.concatenate(found)) if found else np.empty(0, dtype=np.intp)
    return _dropped(sampler, pairs, lengths, offsets, drop, X, y, kind)


def _edited_drop(merged: tuple, rows: np.ndarray, own: np.ndarray, k: int, rule: str
                 ) -> np.ndarray:
    """Global indices of the query rows Wilson's rule removes."""
    _, idx, lab = merged
    _, lab = _without_self(idx, lab, rows, k)
    return rows[~edited_keep_votes(lab, own, rule)]
