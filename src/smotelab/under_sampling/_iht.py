"""Instance hardness threshold (Smith, Martinez and Giraud-Carrier, 2014)."""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, check_cv, cross_val_predict

from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import NotEnoughSamplesError, fitting
from ..utils._compat import HasMethods, set_random_states
from ._base import BaseUnderSampler

__all__ = ["InstanceHardnessThreshold"]


class InstanceHardnessThreshold(BaseUnderSampler):
    """Remove the samples a cross-validated classifier finds hardest (lowest probability
    of their own class).

    For each class the plan names, the samples whose out-of-fold probability of their
    own class is below the ``1 - n_keep / n_class`` quantile of that class are removed.
    Equal probabilities at the quantile are all kept, so a class can keep a few more
    samples than the plan asks for (as in imbalanced-learn).

    Parameters
    ----------
    estimator : classifier or None, default=None
        A classifier with ``predict_proba``; default
        ``RandomForestClassifier(n_estimators=100, random_state=random_state)``.
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to keep per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        minority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState or None, default=None
        Passed to the classifier and the fold shuffling exactly as imbalanced-learn does,
        so an int gives imbalanced-learn's selection.
    cv : int, cross-validation generator or iterable, default=5
        Number of stratified (shuffled) folds, or any splitter or iterable of
        ``(train, test)`` that partitions the data, as scikit-learn's ``cv``.
    n_jobs : int or None, default=None
        Jobs of the default forest and of the cross-validation.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples to keep per class named by the plan.
    estimator_ : classifier
        The classifier used (cloned; fitted once per fold).
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    References
    ----------
    M. R. Smith, T. Martinez, C. Giraud-Carrier, "An instance level analysis of data
    complexity", Machine Learning 95(2), 225-256, 2014.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import InstanceHardnessThreshold
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = InstanceHardnessThreshold(random_state=0).fit_resample(X, y)
    >>> Counter(y_res)[0] >= 102
    True
    """

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.approximate_counts = True
        return tags

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "cv": ["cv_object"],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, estimator=None, sampling_strategy="auto", random_state=None, cv=5,
                 n_jobs=None):
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.cv = cv
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        _, counts, inverse = y.encoded()
        rs = self.random_state
        rng = rs if isinstance(rs, np.random.RandomState) else np.random.RandomState(rs)
        if self.estimator is None:
            est = RandomForestClassifier(n_estimators=100, random_state=self.random_state,
                                         n_jobs=self.n_jobs)
        else:
            if not is_classifier(self.estimator):
                raise TypeError(
                    f"InstanceHardnessThreshold: estimator {type(self.estimator).__name__} "
                    "is not a classifier; give one with predict_proba (e.g. a random forest)."
                )
            est = clone(self.estimator)
            set_random_states(est, rng)
        self.estimator_ = est
        if isinstance(self.cv, Integral):
            largest = int(counts.max())
            if int(self.cv) > largest:
                raise NotEnoughSamplesError(
                    f"InstanceHardnessThreshold: cv={self.cv} stratified folds need a class "
                    f"with at least {self.cv} samples, but the largest has {largest}; use "
                    f"cv<={largest}.")
            folds = StratifiedKFold(n_splits=self.cv, shuffle=True, random_state=rng)
        else:  # a splitter or an iterable of (train, test): used as given
            folds = check_cv(self.cv, inverse, classifier=True)
        with fitting(type(self).__name__, "estimator", est):
            proba = cross_val_predict(est, Xn, inverse, cv=folds, n_jobs=self.n_jobs,
                                      method="predict_proba")
        own = proba[np.arange(len(inverse)), inverse]
        keep = [np.flatnonzero(~plan.in_plan(inverse))]
        for label, n_keep in plan.counts.items():
            cpos = plan.class_position(label)
            members = np.flatnonzero(inverse == cpos)
            threshold = np.percentile(own[members], (1.0 - n_keep / counts[cpos]) * 100.0)
            keep.append(members[own[members] >= threshold])
        return self._select(X, y, np.concatenate(keep))
