"""Bagging whose members resample their bag first: BalancedBaggingClassifier, EasyEnsemble.

A member is ``Pipeline([("sampler", sampler), ("classifier", estimator)])``: it draws its
rows (and features) as scikit-learn's bagging does, then its sampler balances those rows
and its classifier learns from the result. Prediction, ``decision_function`` and the
out-of-bag score are scikit-learn's ``BaggingClassifier``'s; the fit loop is ours, so that
the members run in threads (the samplers and trees release the GIL; no copy of ``X`` per
process), their seeds come from smotelab's streams, and a member always receives its bag
as rows (a member whose classifier asks for ``sample_weight`` is not handed all of ``X``
with zero weights, which would let its sampler pick rows outside the bag).
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.metadata_routing import _routing_enabled, process_routing
from sklearn.utils.random import sample_without_replacement
from sklearn.utils.validation import validate_data

from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import fitting
from ..pipeline import Pipeline
from ..utils._random import RandomStreams
from ..utils._threads import thread_limit
from ._common import (
    balancing_sampler,
    encode_target,
    member_seeds,
    members_to_add,
    n_drawn,
    n_features_drawn,
    rows_with_length,
    set_member_random_states,
)

__all__ = ["BalancedBaggingClassifier", "EasyEnsembleClassifier"]


def _draw(seed: int, n_samples: int, n_features: int, settings: dict) -> tuple:
    """(features, rows) of one member: the same every time for the same seed."""
    rs = np.random.RandomState(int(seed))
    n_feat = settings["max_features"]
    if settings["bootstrap_features"]:
        features = rs.randint(0, n_features, n_feat)
    elif n_feat == n_features:
        features = np.arange(n_features)
    else:
        features = sample_without_replacement(n_features, n_feat, random_state=rs)
    n_rows, weights = settings["max_samples"], settings["sample_weight"]
    if weights is not None:
        rows = rs.choice(n_samples, n_rows, replace=settings["bootstrap"], p=weights)
    elif settings["bootstrap"]:
        rows = rs.randint(0, n_samples, n_rows)
    elif n_rows == n_samples:
        rows = np.arange(n_samples)  # every row, each once: nothing to draw
    else:
        rows = sample_without_replacement(n_samples, n_rows, random_state=rs)
    return features, rows


def _fit_member(template: Any, X: Any, y: np.ndarray, seed: int, settings: dict,
                params: dict, n_threads: int | None) -> tuple[Any, np.ndarray]:
    features, rows = _draw(seed, X.shape[0], X.shape[1], settings)
    member = clone(template)
    # the member's own random states come from a second stream of the same seed
    set_member_random_states(member, int(np.random.RandomState([int(seed), 1]).randint(2**31 - 1)))
    X_member = X[rows]
    if features.size != X.shape[1] or settings["bootstrap_features"]:
        X_member = X_member[:, features]
    # a member's own failure on its bag (a boosted member worse than chance) is named
    with thread_limit(n_threads), fitting(settings.get("owner", "the ensemble"),
                                          "member estimator", _last_step(member)):
        member.fit(X_member, y[rows], **rows_with_length(params, X.shape[0], rows))
    return member, features


def _last_step(member: Any) -> Any:
    """The estimator a member pipeline ends with (the member itself otherwise)."""
    steps = getattr(member, "steps", None)
    return steps[-1][1] if steps else member


class BalancedBaggingClassifier(BaggingClassifier):
    """Bagging in which every member balances its bag with a sampler before fitting.

    Same parameters, defaults and attributes as imbalanced-learn's
    ``BalancedBaggingClassifier``. With the defaults each member under-samples its
    bootstrap at random (Exactly Balanced Bagging); any smotelab sampler can take that
    place: ``sampler=SMOTE()`` is SMOTE-Bagging, ``sampler=SMOTEENN()`` bags on cleaned
    over-samples, ``RandomUnderSampler(replacement=True)`` with ``bootstrap=False`` is
    Roughly Balanced Bagging's cousin.

    Parameters
    ----------
    estimator : estimator object, default=None
        The classifier each member fits; a decision tree when None.
    n_estimators : int, default=10
        Number of members.
    max_samples : int or float, default=1.0
        Rows each member draws before resampling (an int: that many; a float: that share
        of the rows, or of the total ``sample_weight``).
    max_features : int or float, default=1.0
        Features each member draws.
    bootstrap : bool, default=True
        Draw the rows with replacement. The member's sampler then balances the bootstrap.
    bootstrap_features : bool, default=False
        Draw the features with replacement.
    oob_score : bool, default=False
        Estimate the accuracy on the rows each member did not draw.
    warm_start : bool, default=False
        Keep the fitted members and add ``n_estimators - len(estimators_)`` new ones.
    sampling_strategy : float, str, dict or callable, default='auto'
        The members' sampling strategy, set on the sampler (as imbalanced-learn does, it
        replaces the strategy of a ``sampler`` given below). A dict or callable uses the
        labels given to ``fit``.
    replacement : bool, default=False
        Under-sample with replacement (only when ``sampler`` is None).
    n_jobs : int, default=None
        Members fitted at once, in threads; -1 uses every core. With more than one, each
        member's own searches run on one thread.
    random_state : int, RandomState, Generator or None, default=None
        Root of the members' seeds: member ``i``'s seed depends only on it and ``i``.
    verbose : int, default=0
        joblib's progress messages.
    sampler : sampler object, default=None
        The sampler each member runs on its bag (cloned); a ``RandomUnderSampler`` when
        None.

    Attributes
    ----------
    estimator_ : Pipeline
        The member template: ``Pipeline([("sampler", sampler_), ("classifier", ...)])``.
    sampler_ : sampler object
        The sampler of the template.
    estimators_ : list of Pipeline
        The fitted members.
    estimators_samples_ : list of ndarray
        Rows each member drew (before its sampler), regenerated on access from its seed.
    estimators_features_ : list of ndarray
        Features each member drew.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    oob_score_ : float
        Out-of-bag accuracy (with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities (with ``oob_score=True``).
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    BalancedRandomForestClassifier : Random forest whose trees grow on balanced draws.
    EasyEnsembleClassifier : Bag of AdaBoost classifiers on balanced subsets.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.ensemble import BalancedBaggingClassifier
    >>> from smotelab.over_sampling import SMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> smote_bagging = BalancedBaggingClassifier(sampler=SMOTE(), random_state=0)
    >>> smote_bagging.fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **copy.deepcopy(BaggingClassifier._parameter_constraints),
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
        "sampler": [HasMethods(["fit_resample"]), None],
    }

    def __init__(self, estimator=None, n_estimators=10, *, max_samples=1.0,
                 max_features=1.0, bootstrap=True, bootstrap_features=False,
                 oob_score=False, warm_start=False, sampling_strategy="auto",
                 replacement=False, n_jobs=None, random_state=None, verbose=0,
                 sampler=None):
        super().__init__(
            estimator=estimator, n_estimators=n_estimators, max_samples=max_samples,
            max_features=max_features, bootstrap=bootstrap,
            bootstrap_features=bootstrap_features, oob_score=oob_score,
            warm_start=warm_start, n_jobs=n_jobs, random_state=random_state,
            verbose=verbose)
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.sampler = sampler

    # -- the member template ------------------------------------------------------------
    def _default_classifier(self) -> Any:
        return DecisionTreeClassifier()

    def _sampler_param(self) -> Any:
        return self.sampler

    def _member_template(self, classes: np.ndarray | None) -> Pipeline:
        classifier = (clone(self.estimator) if self.estimator is not None
                      else self._default_classifier())
        sampler = balancing_sampler(self._sampler_param(), self.sampling_strategy,
                                    self.replacement, classes)
        return Pipeline([("sampler", sampler), ("classifier", classifier)])

    def _get_estimator(self) -> Pipeline:
        # what routing and tags look at: the member as it will be built
        return self._member_template(None)

    @property
    def base_estimator_(self) -> Any:
        raise AttributeError(f"{type(self).__name__} has no attribute 'base_estimator_'; "
                             "use estimator_.")

    # -- fit ----------------------------------------------------------------------------
    def fit(self, X: Any, y: Any, sample_weight: Any = None, **fit_params: Any) -> Any:
        """Fit the members, each on its own balanced bag.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Probabilities of drawing each row into a bag (scikit-learn's meaning).
        **fit_params : dict
            With metadata routing on, routed to the members (per-row values are taken
            at the member's rows, then follow the rows through its sampler). Without
            routing, given to every member's ``Pipeline.fit`` (``classifier__param=...``).

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        self._validate_params()
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], dtype=None,
                             ensure_all_finite=False, multi_output=True)
        _, classes, y_encoded = encode_target(y)
        n_samples = X.shape[0]
        weights = self._check_weights(sample_weight, n_samples)
        self.classes_, self.n_classes_ = classes, len(classes)
        template = self._member_template(classes)
        self.estimator_, self.sampler_ = template, template.named_steps["sampler"]
        self._n_samples = n_samples
        self._max_samples = n_drawn(n_samples, self.max_samples, weights, self.bootstrap)
        self._max_features = n_features_drawn(X.shape[1], self.max_features)
        self._sample_weight = None if weights is None else weights / weights.sum()
        if not self.bootstrap and self.oob_score:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        if self.warm_start and self.oob_score:
            raise ValueError("Out of bag estimate only available if warm_start=False")
        if not self.warm_start or not hasattr(self, "estimators_"):
            self.estimators_: list[Any] = []
            self.estimators_features_: list[np.ndarray] = []
            self._seeds = np.empty(0, dtype=np.int64)
        elif hasattr(self, "oob_score_"):
            del self.oob_score_
        n_fitted = len(self.estimators_)
        if not members_to_add(self.n_estimators, n_fitted):
            return self
        seeds = member_seeds(RandomStreams.from_random_state(self.random_state),
                             n_fitted, self.n_estimators)
        params = (process_routing(self, "fit", **fit_params).estimator.fit
                  if _routing_enabled() else fit_params)
        settings = {"max_features": self._max_features, "max_samples": self._max_samples,
                    "bootstrap": self.bootstrap, "sample_weight": self._sample_weight,
                    "bootstrap_features": self.bootstrap_features,
                    "owner": type(self).__name__}
        n_threads = None if self.n_jobs in (None, 1) else 1
        fitted = Parallel(n_jobs=self.n_jobs, verbose=self.verbose, prefer="threads")(
            delayed(_fit_member)(template, X, y_encoded, seed, settings, params, n_threads)
            for seed in seeds)
        self.estimators_ += [member for member, _ in fitted]
        self.estimators_features_ += [features for _, features in fitted]
        self._seeds = np.concatenate([self._seeds, seeds])
        if self.oob_score:
            self._set_oob_score(X, y_encoded)
        return self

    def _check_weights(self, sample_weight: Any, n_samples: int) -> np.ndarray | None:
        if sample_weight is None:
            return None
        weights = np.asarray(sample_weight, dtype=np.float64)
        if weights.shape != (n_samples,):
            raise ValueError(f"sample_weight has shape {weights.shape}; expected "
                             f"({n_samples},), one weight per row of X.")
        if not np.isfinite(weights).all() or (weights < 0).any() or weights.sum() <= 0:
            raise ValueError("sample_weight must be finite and non-negative, and the "
                             "weights must not be all zero (they are drawing probabilities).")
        if not self.bootstrap:
            import warnings

            warnings.warn(f"When fitting {type(self).__name__} with sample_weight it is "
                          f"recommended to use bootstrap=True, got {self.bootstrap}.",
                          UserWarning, stacklevel=3)
        return weights

    def _get_estimators_indices(self) -> Any:
        settings = {"max_features": self._max_features, "max_samples": self._max_samples,
                    "bootstrap": self.bootstrap, "sample_weight": self._sample_weight,
                    "bootstrap_features": self.bootstrap_features}
        for seed in self._seeds:
            yield _draw(int(seed), self._n_samples, self.n_features_in_, settings)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False
        return tags


class EasyEnsembleClassifier(BalancedBaggingClassifier):
    """A bag of AdaBoost classifiers, each learning from a balanced random subset.

    Liu, Wu & Zhou (2009), "Exploratory undersampling for class-imbalance learning":
    every member under-samples the classes at random (all rows, no bootstrap) and boosts
    on the balanced subset; the members' probabilities are averaged. Same parameters,
    defaults and attributes as imbalanced-learn's ``EasyEnsembleClassifier``.

    Parameters
    ----------
    n_estimators : int, default=10
        Number of AdaBoost members.
    estimator : estimator object, default=None
        The classifier each member fits; ``AdaBoostClassifier()`` when None.
    warm_start : bool, default=False
        Keep the fitted members and add new ones.
    sampling_strategy : float, str, dict or callable, default='auto'
        The members' under-sampling strategy (labels as given to ``fit``).
    replacement : bool, default=False
        Under-sample with replacement.
    n_jobs : int, default=None
        Members fitted at once, in threads.
    random_state : int, RandomState, Generator or None, default=None
        Root of the members' seeds.
    verbose : int, default=0
        joblib's progress messages.

    Attributes
    ----------
    estimator_ : Pipeline
        The member template (random under-sampler, then the classifier).
    estimators_ : list of Pipeline
        The fitted members.
    estimators_samples_ : list of ndarray
        Rows each member was given (all of them: the subset is its sampler's).
    estimators_features_ : list of ndarray
        Features of each member (all of them).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.ensemble import EasyEnsembleClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> EasyEnsembleClassifier(n_estimators=5, random_state=0).fit(X, y).n_classes_
    2
    """

    _parameter_constraints: ClassVar[dict] = {
        key: value for key, value in BalancedBaggingClassifier._parameter_constraints.items()
        if key not in {"bootstrap", "bootstrap_features", "max_features", "oob_score",
                       "max_samples", "sampler"}}

    def __init__(self, n_estimators=10, estimator=None, *, warm_start=False,
                 sampling_strategy="auto", replacement=False, n_jobs=None,
                 random_state=None, verbose=0):
        super().__init__(
            estimator=estimator, n_estimators=n_estimators, max_samples=1.0,
            max_features=1.0, bootstrap=False, bootstrap_features=False, oob_score=False,
            warm_start=warm_start, sampling_strategy=sampling_strategy,
            replacement=replacement, n_jobs=n_jobs, random_state=random_state,
            verbose=verbose, sampler=None)

    def _default_classifier(self) -> Any:
        return AdaBoostClassifier()

    def _sampler_param(self) -> Any:
        return None

    def fit(self, X: Any, y: Any, **fit_params: Any) -> Any:  # type: ignore[override]
        """Fit the members, each on its own balanced random subset of all the rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Class labels.
        **fit_params : dict
            Routed (or passed) to the members, as in ``BalancedBaggingClassifier``. There
            is no ``sample_weight`` of the ensemble (imbalanced-learn's has none either):
            the subsets are drawn by class, not by weight.

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        if "sample_weight" in fit_params and not _routing_enabled():
            raise ValueError(
                "EasyEnsembleClassifier draws each member's subset by class, so it takes no "
                "sample_weight; to weight the AdaBoost members' rows, pass "
                "classifier__sample_weight=... (the weights follow the kept rows).")
        return super().fit(X, y, **fit_params)
