"""SVM-SMOTE (Nguyen, Cooper and Kamei, 2011)."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.svm import SVC

from .._kernels.labels import apportion, danger_and_noise, other_class_counts
from ..exceptions import EstimatorContractError, NotEnoughSamplesError, fitting
from ..exceptions import fmt_label as _label
from ..neighbors import FittedNeighbors, kneighbors_of_rows, resolve_neighbors
from ..utils._compat import HasMethods, Interval
from ._base import BaseSMOTE, ClassPlan, ClassTask

__all__ = ["SVMSMOTE"]


class SVMSMOTE(BaseSMOTE):
    """SVM-SMOTE: seed synthetic rows from the support vectors of an SVM.

    An SVM is fitted once; the support vectors of each class being over-sampled are its
    seeds. Each is classified by its ``m_neighbors`` nearest neighbours among all
    samples: *noise* (all of them in other classes) is dropped; a support vector *in
    danger* (at least half of them in other classes) interpolates toward one of its
    ``k_neighbors`` nearest same-class neighbours (``step`` uniform in ``[0, 1)``); a
    *safe* one extrapolates away from it (``step`` uniform in ``[-out_step, 0)``), which
    widens the class region toward the border.

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
        Number of nearest same-class neighbours to interpolate (or extrapolate) with, or
        an object with ``fit``/``kneighbors`` whose ``n_neighbors`` counts the sample
        itself (as in imbalanced-learn).
    m_neighbors : int or object, default=10
        Number of nearest neighbours (among all samples) that decide whether a support
        vector is noise, in danger or safe, or an object with ``fit``/``kneighbors``.
    svm_estimator : estimator or None, default=None
        Classifier whose fitted ``support_`` (row indices of the support vectors) gives
        the seeds; default ``sklearn.svm.SVC()``. Any estimator exposing ``support_``
        after ``fit`` works (a GPU SVM, for instance).
    out_step : float, default=0.5
        Largest step of an extrapolation from a safe support vector.
    svm_max_samples : int or None, default=5000
        Largest number of rows the SVM is fitted on. A kernel SVM costs at least
        quadratic time in its rows; above this size it is fitted on the rows of the
        classes being over-sampled (up to half of the budget) plus a class-stratified
        random sample of the others. ``None`` always fits on every row (as
        imbalanced-learn does).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    svm_estimator_ : estimator
        The fitted SVM.
    svm_sample_indices_ : ndarray
        Row indices (into X) the SVM was fitted on.
    support_indices_ : dict
        For each over-sampled class, the row indices (into X) of its support vectors
        that seeded rows (noise removed).
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent`` and ``neighbor`` (row
        indices in the input X), ``step`` (negative for an extrapolation) and ``class``.
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
    BorderlineSMOTE : Seeds from samples in danger.

    Notes
    -----
    Each non-noise support vector is an equally likely seed, so the share of
    extrapolated rows is the share of safe support vectors (imbalanced-learn splits the
    rows about half and half whatever the numbers; when one kind is absent it makes
    fewer rows than requested).

    References
    ----------
    H. M. Nguyen, E. W. Cooper, K. Kamei, "Borderline over-sampling for imbalanced data
    classification", Int. J. Knowledge Engineering and Soft Data Paradigms 3(1), 4-21,
    2011.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import SVMSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> sampler = SVMSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 898)]
    >>> bool((sampler.provenance_["step"] >= -0.5).all())
    True
    """

    # its SVM is fitted on all rows: no plan on the gathered rows
    _per_class_attrs: ClassVar[tuple[str, ...]] = ("support_indices_",)

    _parameter_constraints: ClassVar[dict] = {
        **BaseSMOTE._parameter_constraints,
        "m_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "fit"]),
        ],
        "svm_estimator": [HasMethods(["fit"]), None],
        "out_step": [Interval(Real, 0, 1, closed="both")],
        "svm_max_samples": [Interval(Integral, 2, None, closed="left"), None],
    }

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.distributed_plan = None  # its SVM read every row: memory only
        tags.sampler_tags.partition_local = False
        return tags

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        m_neighbors=10,
        svm_estimator=None,
        out_step=0.5,
        svm_max_samples=5000,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step
        self.svm_max_samples = svm_max_samples

    def _svm_sample(self, inverse: np.ndarray, rows: np.ndarray, rng: np.random.Generator
                    ) -> np.ndarray:
        """Rows to fit the SVM on: all of them, or the over-sampled classes plus a sample."""
        n, cap = len(inverse), self.svm_max_samples
        if cap is None or n <= cap:
            return np.arange(n)
        rest = np.setdiff1d(np.arange(n), rows, assume_unique=True)
        n_rows = min(len(rows), cap // 2)
        parts = [_stratified(rows, inverse[rows], n_rows, rng),
                 _stratified(rest, inverse[rest], cap - n_rows, rng)]
        return np.sort(np.concatenate(parts))

    def _fit_context(self, X, *, inverse, plan, streams):
        nn_m = resolve_neighbors(self.m_neighbors, param="m_neighbors")
        self.nn_m_ = FittedNeighbors(nn_m)
        self._check_m_neighbors(nn_m, X.shape[0])
        svm = SVC() if self.svm_estimator is None else clone(self.svm_estimator)
        rows = self._resampled_rows(plan, inverse)
        sample = self._svm_sample(inverse, rows, streams.shared())
        with fitting(type(self).__name__, "svm_estimator", svm):
            svm.fit(X[sample], inverse[sample])
        support = getattr(svm, "support_", None)
        if support is None:
            raise EstimatorContractError(
                f"SVMSMOTE: svm_estimator {type(svm).__name__} has no support_ after "
                "fitting, so its support vectors are unknown; use sklearn.svm.SVC (the "
                "default) or an estimator that exposes the row indices of its support "
                "vectors as support_."
            )
        self.svm_estimator_ = svm
        self.svm_sample_indices_ = sample
        sv = np.unique(sample[np.asarray(support, dtype=np.intp)])
        sv = sv[np.isin(inverse[sv], inverse[rows])] if len(rows) else sv[:0]
        # One neighbour query of every support vector to be used, against all rows.
        if len(sv):
            _, graph = kneighbors_of_rows(nn_m, X, sv, int(nn_m.n_neighbors))
            n_other = other_class_counts(graph, inverse, inverse[sv])
        else:
            n_other = np.empty(0, dtype=np.intp)
        return sv, n_other

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        sv_all, n_other_all = task.shared
        label = task.label
        mine = task.inverse[sv_all] == task.position
        sv, n_other = sv_all[mine], n_other_all[mine]
        danger, noise = danger_and_noise(n_other, int(self.nn_m_.backend.n_neighbors))
        sv, danger = sv[~noise], danger[~noise]
        if not mine.any():
            raise NotEnoughSamplesError(
                f"SVMSMOTE: the SVM found no support vector of class {_label(label)}, so "
                "nothing can seed new rows; try another svm_estimator (e.g. a larger C "
                "or another kernel) or BorderlineSMOTE."
            )
        if not len(sv):
            raise NotEnoughSamplesError(
                f"SVMSMOTE: class {_label(label)} has {int(mine.sum())} support vector(s) "
                "and all of them are noise (every one of their m_neighbors nearest samples "
                "is of another class), so nothing can seed new rows; try BorderlineSMOTE "
                "or SMOTE, or a larger m_neighbors."
            )
        seed_pos = np.searchsorted(task.members, sv)
        table = self._within_class(X, task.members, task.backend, seed_pos)
        lo = np.where(danger, 0.0, -float(self.out_step))[:, None]
        hi = np.where(danger, 1.0, 0.0)[:, None]
        return ClassPlan(seeds=sv, neighbors=table, step_range=(lo, hi),
                         fitted_rows={"support_indices_": sv})


def _stratified(rows: np.ndarray, labels: np.ndarray, n: int, rng: np.random.Generator
                ) -> np.ndarray:
    """``n`` of ``rows`` drawn without replacement, each label keeping its share."""
    if n >= len(rows):
        return rows
    classes, inv, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    quota = apportion(sizes, n)
    picked = []
    for c in range(len(classes)):
        group = rows[inv == c]
        picked.append(rng.choice(group, size=int(quota[c]), replace=False))
    return np.concatenate(picked)
