"""Samplers on Dask collections: the same classes, lazy output, partition-invariant results.

``BaseSampler.fit_resample`` hands Dask input here. The engine knows *plans*, not
samplers: a sampler declares the plan it runs (its tag
``sampler_tags.distributed_plan``, inherited by subclasses that keep its
``_fit_resample``), and the engine runs that plan with the sampler's own hooks:

* ``"interpolate"`` — the over-sampling protocol of ``over_sampling._base`` (context,
  class plans, blocks): the rows of the classes being over-sampled are gathered (in
  input order), the neighbour graph the sampler declares is merged from per-partition
  candidates, the sampler's ``_fit_context`` and ``_class_plan`` run on the gathered
  rows, and each block of ``BLOCK_ROWS`` synthetic rows is a task drawing from its own
  (class, block) stream. The output equals the in-memory output exactly, whatever the
  partitioning, the scheduler or the number of workers;
* ``"nominal"`` — the same for mixed numeric and categorical rows;
* ``"duplicate"`` — random copies of rows, drawn per block (exact in distribution);
* ``"random-selection"``, ``"tomek-links"``, ``"edited"`` — selections whose kept rows
  equal the in-memory ones (``_select``);
* ``"iterative-filter"`` — the iterative-partitioning filter's rounds, its learners
  fitted and voting in the workers (``_filter``); the kept rows equal the in-memory ones.

With the ``dask.config`` key ``smotelab.order-invariant`` set, the over-samplers' synthetic
rows depend only on the rows' values, not on their order in the input. The gathered rows
are refused above ``smotelab.gather-limit`` rows (20,000,000); the error names the
partition-local plan of :mod:`._local` (``dask.config`` ``smotelab.neighbours='partition'``)
where the sampler's plan has one. All-pairs work (Tomek links, editing) is estimated and
refused above ``smotelab.all-pairs-budget``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._plan import search_objects
from .._strategy import SamplingPlan, as_kind
from ..exceptions import DataValidationError
from ..utils._tags import sampler_tags
from ._filter import iterative_filter
from ._over import duplicate, interpolate_plan, nominal
from ._partitions import _class_counts, _parts, is_dask_collection
from ._select import edited, random_selection, tomek_links

__all__ = ["PLANS", "fit_resample", "is_dask_collection"]

# The plans this engine runs, by the name a sampler declares in its tags.
PLANS: dict[str, Callable[..., tuple[Any, Any]]] = {
    "interpolate": interpolate_plan,
    "nominal": nominal,
    "duplicate": duplicate,
    "random-selection": random_selection,
    "tomek-links": tomek_links,
    "edited": edited,
    "iterative-filter": iterative_filter,
}


def _check_request(sampler: Any, X: Any, y: Any) -> str:
    """The plan to run, after the checks every plan shares."""
    name = type(sampler).__name__
    plan = sampler.__sklearn_tags__().sampler_tags.distributed_plan
    if plan not in PLANS or not is_dask_collection(X) or not is_dask_collection(y):
        runs = sorted(PLANS)
        raise DataValidationError(
            f"{name} does not take Dask collections yet (Dask input runs samplers that "
            f"declare one of the plans {', '.join(runs)}, given Dask X and y; {name} "
            f"declares {plan!r}). Call .compute() on X and y to resample in memory.")
    sampler._validate_params()
    for param in search_objects(sampler):
        raise DataValidationError(f"{name} on Dask collections takes an int {param} (the "
                                  "exact search); neighbour objects work in memory only.")
    if callable(sampler.sampling_strategy):
        raise DataValidationError("A callable sampling_strategy needs y in memory; pass a "
                                  "dict, a float or a string with Dask collections.")
    return plan


def fit_resample(sampler: Any, X: Any, y: Any) -> tuple[Any, Any]:
    """``sampler.fit_resample`` for Dask collections (see the module notes)."""
    import dask
    import dask.array as da

    plan = _check_request(sampler, X, y)
    kind = "array" if isinstance(X, da.Array) else "frame"
    if kind == "array" and not isinstance(y, da.Array) or kind == "frame" and isinstance(
            y, da.Array):
        raise DataValidationError("Give X and y as the same kind of Dask collection (two "
                                  "arrays, or a DataFrame and a Series).")
    sampler._record_input(X.shape[1], getattr(X, "columns", None))
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
    # the sampling plan, once, as in memory (every plan reads it)
    sampling = SamplingPlan.build(sampler.sampling_strategy, np.empty(0),
                                  as_kind(sampler_tags(sampler).sampling_type),
                                  encoded=(classes, counts))
    sampler.sampling_strategy_ = sampling.as_ordered_dict()
    return PLANS[plan](sampler, X, y, kind, classes, counts, n_rows, sampling)
