"""ProWSyn: proximity weighted synthetic over-sampling (Barua, Islam and Murase, 2013)."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np

from .._kernels.labels import apportion
from ..exceptions import NotEnoughSamplesError
from ..exceptions import fmt_label as _label
from ..utils._compat import HasMethods, Interval
from ._base import BaseSMOTE, ClassPlan, ClassTask, PlanNeeds

__all__ = ["ProWSyn"]

# Each seed draws its partners from a table of partners of its level, drawn uniformly
# with replacement (so a uniform column is a uniform partner whatever the level's size):
# at least twice as wide as the seed's row count, so two rows of a seed share a partner
# little more often than two uniform draws would, within these bounds (entries in all).
MIN_COLUMNS, MAX_COLUMNS, MAX_ENTRIES = 32, 512, 1 << 22


def other_partners(rng: np.random.Generator, n: int, own: np.ndarray,
                   width: int) -> np.ndarray:
    """For each position in ``own``, ``width`` positions in ``range(n)`` drawn uniformly
    with replacement among the others (never ``own`` itself)."""
    draw = rng.integers(0, n - 1, size=(len(own), width))
    draw += draw >= np.asarray(own)[:, None]
    return draw


def proximity_levels(members: np.ndarray, marks: Any, k: int, n_levels: int) -> np.ndarray:
    """The proximity level (0 = nearest the other classes) of every member.

    Level ``i`` (``i < n_levels - 1``) holds the members still unassigned that are among
    the ``k`` nearest unassigned members of at least one row of another class (``marks``,
    see :attr:`smotelab._plan.ClassTask.marks`); the members left after ``n_levels - 1`` rounds
    form the last level.
    """
    level = np.full(len(members), n_levels - 1, dtype=np.intp)
    left = np.arange(len(members))
    for i in range(n_levels - 1):
        if not len(left):
            break
        hit = marks(members[left], min(k, len(left)))
        level[left[hit]] = i
        left = np.delete(left, hit)
    return level


class ProWSyn(BaseSMOTE):
    """Proximity Weighted Synthetic over-sampling: more rows near the other classes.

    The samples of a class being over-sampled are split into ``n_levels`` proximity
    levels. In round ``i`` (``i = 1 .. n_levels - 1``), every row of the other classes
    marks its ``n_neighbors`` nearest samples among those not yet assigned; the marked
    samples form level ``i``. The samples never marked form the last level. Level ``i``
    gets the weight ``exp(-theta * (i - 1))`` and its share of the new rows in
    proportion to it, spread evenly over its samples (exact integer counts). Each new
    row is ``x + step * (y - x)`` with ``x`` a sample of the level, ``y`` another sample
    of the same level drawn uniformly and ``step`` uniform in ``[0, 1)``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams.
    n_neighbors : int or object, default=5
        How many samples of the class each other-class row marks per round (``K`` in the
        paper), or an object with ``fit``/``kneighbors`` whose ``n_neighbors`` counts one
        more (as every neighbour object in smotelab and imbalanced-learn).
    n_levels : int, default=5
        Number of proximity levels (``L`` in the paper).
    theta : float, default=1.0
        How fast the weight falls with the level (``theta`` in the paper); 0 weighs every
        level alike.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    proximity_levels_ : dict of ndarray
        Per class, the level (0 = nearest the other classes) of each of its samples, in
        input order.
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent`` and ``neighbor`` (row
        indices in the input X: the two samples of the level), ``step`` and ``class``.
    nn_ : object
        The neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    ADASYN : Weights each sample by the other-class share of its neighbours.
    BorderlineSMOTE : Seeds only from samples in danger.

    Notes
    -----
    With more than two classes, "the other classes" of a class are all rows not of it.
    A level with a single sample has no partner in it and gets no rows; where no level
    has two samples, the whole class is one level. Each sample draws its partners from
    its own table of samples of its level drawn with replacement (32 to 512, at least
    twice its row count where memory allows), so every row's partner is uniform over the
    level as in the paper, with memory linear in the class size. On Dask, each round's
    search runs in every partition (its other-class rows mark their nearest samples) and
    the marks are joined: the output equals the in-memory one.

    References
    ----------
    S. Barua, M. M. Islam, K. Murase, "ProWSyn: Proximity Weighted Synthetic
    Oversampling Technique for Imbalanced Data Set Learning", PAKDD 2013, 317-328.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import ProWSyn
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = ProWSyn(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 898)]
    """

    _k_param: ClassVar[str] = "n_neighbors"
    _k_attr: ClassVar[str] = "nn_"
    _per_class_attrs: ClassVar[tuple[str, ...]] = ("proximity_levels_",)
    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": BaseSMOTE._parameter_constraints["sampling_strategy"],
        "random_state": BaseSMOTE._parameter_constraints["random_state"],
        "n_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "fit"]),
        ],
        "n_levels": [Interval(Integral, 1, None, closed="left")],
        "theta": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5,
                 n_levels=5, theta=1.0):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_levels = n_levels
        self.theta = theta

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.neighbor_scope = "cluster"  # a partner of the level, not the nearest
        return tags

    def _plan_needs(self) -> PlanNeeds:
        return PlanNeeds(marks=True)  # which samples other-class rows are nearest to

    def _check_class_size(self, label: Any, n_class: int, k: int) -> None:
        # the search runs from the other classes into this one (a round marks at most
        # the samples left), so any class of two samples has a pair
        if n_class >= 2:
            return
        raise NotEnoughSamplesError(
            f"ProWSyn: class {_label(label)} has only {n_class} sample(s); it needs two to "
            "make a pair. Use RandomOverSampler for it, or leave it out of "
            "sampling_strategy.")

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        members = task.members
        level = proximity_levels(members, task.marks, int(task.backend.n_neighbors),
                                 self.n_levels)
        size = np.bincount(level, minlength=self.n_levels)
        weight = np.exp(-self.theta * np.arange(self.n_levels)) * (size >= 2)
        if not weight.any():  # no level has a pair: the class is one level
            weight, group = np.ones(1), np.zeros(len(members), dtype=np.intp)
        else:
            group = level
        size = np.bincount(group, minlength=len(weight))
        per_seed = weight[group] / np.maximum(size[group], 1)
        counts = apportion(per_seed, task.n_new)
        seed_pos = np.flatnonzero(counts)
        rng = task.streams.for_class(task.position)
        width = int(min(max(MIN_COLUMNS, 2 * counts.max()), MAX_COLUMNS,
                        max(MIN_COLUMNS, MAX_ENTRIES // max(len(seed_pos), 1))))
        table = np.empty((len(seed_pos), width), dtype=np.intp)
        for g in np.unique(group[seed_pos]):
            rows = np.flatnonzero(group[seed_pos] == g)
            pool = np.flatnonzero(group == g)  # positions in members, sorted
            own = np.searchsorted(pool, seed_pos[rows])
            table[rows] = members[pool[other_partners(rng, len(pool), own, width)]]
        return ClassPlan(seeds=members[seed_pos], neighbors=table,
                         seed_counts=counts[seed_pos],
                         fitted={"proximity_levels_": level})
