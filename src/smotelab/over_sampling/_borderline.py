"""Borderline-SMOTE 1 and 2 (Han, Wang and Mao, 2005)."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any, ClassVar

import numpy as np

from .._kernels.labels import danger_and_noise
from ..exceptions import SmotelabWarning
from ..exceptions import fmt_label as _label
from ..neighbors import kneighbors_of_rows, resolve_neighbors
from ..utils._compat import HasMethods, Interval, StrOptions
from ._base import BaseSMOTE, ClassPlan, ClassTask, GraphNeed, PlanNeeds

__all__ = ["BorderlineSMOTE"]


class BorderlineSMOTE(BaseSMOTE):
    """Borderline-SMOTE: over-sample only the minority samples near the class border.

    For each sample of a class being over-sampled, ``m_neighbors`` nearest neighbours
    are found among *all* samples. A sample whose neighbours all belong to other
    classes is noise and never a seed; one with at least half (but not all) of them in
    other classes is *in danger*. Only danger samples seed synthetic rows:

    * ``'borderline-1'``: ``x + step * (x_nn - x)`` with ``x_nn`` one of the
      ``k_neighbors`` nearest same-class neighbours, ``step`` uniform in ``[0, 1)``;
    * ``'borderline-2'``: ``x_nn`` is one of the ``k_neighbors`` nearest samples of
      *any* class; toward a sample of the same class ``step`` is uniform in ``[0, 1)``,
      toward one of another class uniform in ``[0, 0.5)``, so the new row stays on
      this class's side of the midpoint.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams; each class and each block of rows draws from
        its own stream, so one class's rows never depend on another's.
    k_neighbors : int or object, default=5
        Number of nearest neighbours to interpolate with, or an object with
        ``fit``/``kneighbors`` whose ``n_neighbors`` counts the sample itself (as in
        imbalanced-learn).
    m_neighbors : int or object, default=10
        Number of nearest neighbours (among all samples) that decide whether a sample
        is in danger or noise, or an object with ``fit``/``kneighbors`` (its
        ``n_neighbors`` counts the sample itself).
    kind : {'borderline-1', 'borderline-2'}, default='borderline-1'
        Which variant of the paper to run.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    in_danger_indices_ : dict
        For each over-sampled class, the row indices (into X) of its danger samples,
        the seeds of its synthetic rows.
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent`` and ``neighbor`` (row
        indices in the input X), ``step`` and ``class``.
    nn_k_ : object
        The neighbour search used for interpolation.
    nn_m_ : object
        The neighbour search used for the danger test.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTE : Seeds from every sample of the class.
    SVMSMOTE : Seeds from the minority support vectors of an SVM.
    ADASYN : Seeds weighted by how many neighbours belong to other classes.

    Notes
    -----
    The danger test for every class comes from one neighbour query of the rows being
    over-sampled against all rows; Borderline-2 takes its neighbours from the same
    graph when ``k_neighbors <= m_neighbors`` (both ints). When a class has no sample in danger, its rows are
    seeded from all of its non-noise samples (plain SMOTE) with a warning, so the
    requested counts are always met.

    References
    ----------
    H. Han, W.-Y. Wang, B.-H. Mao, "Borderline-SMOTE: A New Over-Sampling Method in
    Imbalanced Data Sets Learning", ICIC 2005, LNCS 3644, 878-887.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> sampler = BorderlineSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 877), (np.int64(1), 877)]
    >>> import numpy as np
    >>> bool(np.isin(sampler.provenance_["parent"], sampler.in_danger_indices_[1]).all())
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **BaseSMOTE._parameter_constraints,
        "m_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "fit"]),
        ],
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
    }

    @property
    def in_danger_indices(self) -> dict:
        """imbalanced-learn's name for :attr:`in_danger_indices_` (the same dict)."""
        try:
            return self.in_danger_indices_
        except AttributeError:
            raise AttributeError(
                "in_danger_indices exists after fit_resample (BorderlineSMOTE not fitted)."
            ) from None

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        m_neighbors=10,
        kind="borderline-1",
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.neighbor_scope = "any" if self.kind == "borderline-2" else "class"
        return tags

    _per_class_attrs: ClassVar[tuple[str, ...]] = ("in_danger_indices_",)

    def _plan_needs(self) -> PlanNeeds:
        nn_m = resolve_neighbors(self.m_neighbors, param="m_neighbors")
        any_k = 0
        if self.kind == "borderline-2":
            k = resolve_neighbors(self.k_neighbors, param="k_neighbors")
            if k.exact and nn_m.exact:  # the partners can come from the same exact graph
                any_k = int(k.n_neighbors)
        return PlanNeeds(graph=GraphNeed(nn_m, "m_neighbors", attr="nn_m_", any_k=any_k))

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        members, label, labels = task.members, task.label, task.facts.graph
        danger, noise = danger_and_noise(labels.counts(members), labels.m)
        seed_pos = np.flatnonzero(danger)
        if not len(seed_pos):
            seed_pos = np.flatnonzero(~noise)
            if not len(seed_pos):
                seed_pos = np.arange(len(members))
            warnings.warn(
                f"BorderlineSMOTE: no sample of class {_label(label)} is in danger (at "
                f"least m/2 of its m={labels.m} neighbours in other classes); its new "
                f"rows are seeded from {len(seed_pos)} of its {len(members)} samples, as "
                "plain SMOTE would.",
                SmotelabWarning,
                stacklevel=5,
            )
        fitted = {"in_danger_indices_": members[np.flatnonzero(danger)]}
        seeds = members[seed_pos]
        if self.kind == "borderline-1":
            return ClassPlan(seeds=seeds, neighbors=self._within_class(X, members, task.backend,
                                                                         seed_pos),
                             fitted_rows=fitted)
        # Borderline-2: the k nearest samples of *any* class; a step toward one of
        # another class stops short of 0.5, so the new row stays on this class's side.
        k = int(task.backend.n_neighbors)
        table = None
        if task.backend.exact and labels.exact:
            table = labels.nearest(seeds, k)  # the danger test's own graph, when it has k
        if table is None:
            _, table = kneighbors_of_rows(task.backend, X, seeds, k)
        hi = np.where(task.inverse[table] == task.position, 1.0, 0.5)
        return ClassPlan(seeds=seeds, neighbors=table, step_range=(0.0, hi), fitted_rows=fitted)
