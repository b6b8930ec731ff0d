"""Turn a data set into an imbalanced one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .._strategy import SamplingPlan
from ..exceptions import SamplingStrategyError
from ..utils._random import RandomStreams
from ..utils._validation import check_X_y

__all__ = ["make_imbalance"]


def make_imbalance(
    X: Any,
    y: Any,
    *,
    sampling_strategy: Mapping | Callable | None = None,
    random_state: Any = None,
    verbose: bool = False,
    **kwargs: Any,
) -> tuple[Any, Any]:
    """Keep a random subset of some classes, to make a data set imbalanced.

    Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Data.
    y : array-like of shape (n_samples,)
        Class labels.
    sampling_strategy : dict or callable
        ``{class: n_samples_to_keep}`` (classes left out are kept whole), or a callable
        ``f(y, **kwargs) -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed; each class draws from its own stream.
    verbose : bool, default=False
        Print the class counts before and after.
    **kwargs : dict
        Passed to a callable ``sampling_strategy``.

    Returns
    -------
    X_resampled, y_resampled
        The kept rows, in their original order, in the input's containers.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.datasets import make_imbalance
    >>> X, y = np.arange(20).reshape(10, 2), np.array([0] * 5 + [1] * 5)
    >>> Xi, yi = make_imbalance(X, y, sampling_strategy={1: 2}, random_state=0)
    >>> np.bincount(yi).tolist()
    [5, 2]
    """
    Xc, yc = check_X_y(X, y)
    if sampling_strategy is None:
        raise SamplingStrategyError(
            "make_imbalance needs sampling_strategy: a dict {class: n_samples_to_keep} or a "
            "callable returning one."
        )
    if callable(sampling_strategy):
        sampling_strategy = sampling_strategy(yc.labels, **kwargs)
    if not isinstance(sampling_strategy, Mapping):
        raise SamplingStrategyError(
            "make_imbalance's sampling_strategy must be a dict {class: n_samples_to_keep} "
            f"(or a callable returning one); got {type(sampling_strategy).__name__}."
        )
    classes, counts, inverse = yc.encoded()
    plan = SamplingPlan.build(sampling_strategy, yc.labels, "under-sampling",
                              encoded=(classes, counts))
    streams = RandomStreams.from_random_state(random_state)
    keep = np.ones(len(inverse), dtype=bool)
    for label, n_keep in plan.counts.items():
        cpos = plan.class_position(label)
        members = np.flatnonzero(inverse == cpos)
        chosen = streams.for_class(cpos).choice(len(members), size=n_keep, replace=False)
        keep[members] = False
        keep[members[chosen]] = True
    idx = np.flatnonzero(keep)
    if verbose:
        after = np.bincount(inverse[idx], minlength=len(counts))
        print(f"Original class counts: {dict(zip(plan.classes.tolist(), counts.tolist(), strict=False))}")
        print(f"Kept class counts: {dict(zip(plan.classes.tolist(), after.tolist(), strict=False))}")
    return Xc.take(idx), yc.take(idx)
