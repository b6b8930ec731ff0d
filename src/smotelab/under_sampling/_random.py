"""RandomUnderSampler: keep a random subset of each class."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._plan import Selection
from ..base import _STRATEGY_CONSTRAINT
from ..utils._tags import own_plan, set_needs_numeric
from ._base import BaseUnderSampler

__all__ = ["RandomUnderSampler"]


class RandomUnderSampler(BaseUnderSampler):
    """Keep a random subset of the rows of each class the plan names.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to keep per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        minority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams; each class draws from its own stream, so one
        class's selection never depends on another's.
    replacement : bool, default=False
        Draw with replacement (a row can be kept more than once).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples kept per class named by the plan.
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    RandomOverSampler : The opposite move: duplicate rows of the small classes.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import RandomUnderSampler
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 102), (np.int64(1), 102)]
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state", np.random.Generator],
        "replacement": ["boolean"],
    }

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        set_needs_numeric(tags, False)
        tags.sampler_tags.distributed_plan = own_plan(self, RandomUnderSampler,
                                                      "random-selection")
        return tags

    def _plan_spec(self) -> Selection:
        """What the random-selection plan reads, for every engine."""
        return Selection(replacement=bool(self.replacement))

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        _, _, inverse = y.encoded()
        keep = [np.flatnonzero(~plan.in_plan(inverse))]
        for label, n_keep in plan.counts.items():
            cpos = plan.class_position(label)
            members = np.flatnonzero(inverse == cpos)
            rng = streams.for_class(cpos)
            keep.append(rng.choice(members, size=n_keep, replace=bool(self.replacement)))
        return self._select(X, y, np.concatenate(keep))
