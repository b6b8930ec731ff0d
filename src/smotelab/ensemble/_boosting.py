"""RUSBoostClassifier: AdaBoost (SAMME) whose every round learns from a balanced draw.

Seiffert, Khoshgoftaar, Van Hulse & Napolitano (2010), "RUSBoost: A hybrid approach to
alleviating class imbalance": at each boosting round, under-sample the classes at
random, fit the weak learner on the kept rows with their current boosting weights,
then measure its error and update the weights on *all* rows. The boosting loop,
prediction and ``staged_*`` methods are scikit-learn's ``AdaBoostClassifier``'s; a round
is ours.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import Hidden, StrOptions
from sklearn.utils.validation import has_fit_parameter

from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import EstimatorFitError
from ..pipeline import Pipeline, make_pipeline
from ..under_sampling import RandomUnderSampler
from ._common import MAX_INT, encode_target, encoded_strategy, set_member_random_states

__all__ = ["RUSBoostClassifier"]


class RUSBoostClassifier(AdaBoostClassifier):
    """AdaBoost in which each round's learner sees a random, class-balanced subset.

    Same parameters, defaults and attributes as imbalanced-learn's
    ``RUSBoostClassifier``. Boosting is SAMME (scikit-learn's only algorithm since 1.6).

    Parameters
    ----------
    estimator : estimator object, default=None
        The weak learner (must take ``sample_weight``); a depth-1 tree when None.
    n_estimators : int, default=50
        Maximum number of rounds (boosting stops early on a perfect fit).
    learning_rate : float, default=1.0
        Shrinks each learner's weight.
    algorithm : {'SAMME'}, default='deprecated'
        Kept for imbalanced-learn's signature: ``'SAMME'`` (what runs anyway) warns that
        the parameter is deprecated; ``'SAMME.R'`` is refused (scikit-learn removed it).
    sampling_strategy : float, str, dict or callable, default='auto'
        Each round's under-sampling strategy (labels as given to ``fit``).
    replacement : bool, default=False
        Under-sample with replacement.
    random_state : int, RandomState or None, default=None
        Seeds the rounds' learners and samplers.

    Attributes
    ----------
    estimator_ : estimator
        The weak-learner template.
    base_sampler_ : RandomUnderSampler
        The sampler template.
    estimators_ : list of estimators
        The fitted weak learners.
    samplers_ : list of RandomUnderSampler
        The fitted sampler of each kept round (``sample_indices_``: its rows).
    pipelines_ : list of Pipeline
        ``Pipeline([sampler, learner])`` per kept round.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    estimator_weights_ : ndarray of floats
        Weight of each learner in the vote.
    estimator_errors_ : ndarray of floats
        Weighted training error of each learner.
    feature_importances_ : ndarray of shape (n_features,)
        Weighted mean of the learners' importances.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.ensemble import RUSBoostClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> boost = RUSBoostClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> len(boost.estimators_) == len(boost.samplers_)
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **copy.deepcopy(AdaBoostClassifier._parameter_constraints),
        "algorithm": [StrOptions({"SAMME", "SAMME.R"}), Hidden(StrOptions({"deprecated"}))],
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
    }

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0,
                 algorithm="deprecated", sampling_strategy="auto", replacement=False,
                 random_state=None):
        super().__init__(estimator=estimator, n_estimators=n_estimators,
                         learning_rate=learning_rate, random_state=random_state)
        self.algorithm = algorithm
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
        """Boost on balanced draws.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Initial weights (uniform when None).

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        self._validate_params()
        if self.algorithm == "SAMME.R":
            raise ValueError(
                "algorithm='SAMME.R' is not available: scikit-learn removed it in 1.6 and "
                "boosts with SAMME only. Leave algorithm at its default.")
        if self.algorithm != "deprecated":
            warnings.warn("`algorithm` parameter is deprecated in 0.12 and will be removed "
                          "in 0.14. In the future, the SAMME algorithm will always be used.",
                          FutureWarning, stacklevel=2)
        _, self._fit_classes, _ = encode_target(np.asarray(y) if not hasattr(y, "iloc")
                                                else y.to_numpy())
        self.samplers_: list[Any] = []
        try:
            super().fit(X, y, sample_weight)
        except ValueError as err:
            if "worse than random" not in str(err):
                raise
            raise EstimatorFitError(
                f"{type(self).__name__}: the first round's {type(self.estimator_).__name__} "
                "predicts its balanced draw no better than chance (an error of at least "
                "1 - 1/n_classes), so boosting cannot weigh it. The features may not "
                "separate the classes at all (constant or duplicated rows), or a class is "
                "too small; check the data, or give a stronger estimator (e.g. "
                "DecisionTreeClassifier(max_depth=3)).") from None
        finally:
            self.__dict__.pop("_round_inputs", None)
        return self

    def _validate_estimator(self) -> None:
        self.estimator_ = (clone(self.estimator) if self.estimator is not None
                           else DecisionTreeClassifier(max_depth=1))
        if not has_fit_parameter(self.estimator_, "sample_weight"):
            raise ValueError(
                f"{type(self.estimator_).__name__} doesn't support sample_weight; RUSBoost "
                "fits each round's learner with the boosting weights.")
        self.base_sampler_ = RandomUnderSampler(
            sampling_strategy=encoded_strategy(self.sampling_strategy, self._fit_classes),
            replacement=self.replacement)

    def _boost(self, iboost: int, X: Any, y: np.ndarray, sample_weight: np.ndarray,
               random_state: Any) -> tuple:
        learner = self._make_estimator(random_state=random_state)
        sampler = clone(self.base_sampler_)
        set_member_random_states(sampler, int(random_state.randint(MAX_INT)))
        if iboost == 0:
            # the sampler reads row numbers, and labels as positions in the classes (as
            # its strategy does): the same for every round
            self._round_inputs = (np.arange(X.shape[0]).reshape(-1, 1),
                                  np.searchsorted(self._fit_classes, y))
        sampler.fit_resample(*self._round_inputs)
        rows = sampler.sample_indices_
        self.samplers_.append(sampler)
        learner.fit(X[rows], y[rows], sample_weight=sample_weight[rows])
        y_predict = learner.predict(X)
        if iboost == 0:
            self.classes_ = learner.classes_
            self.n_classes_ = len(self.classes_)
        incorrect = y_predict != y
        error = float(np.mean(np.average(incorrect, weights=sample_weight, axis=0)))
        if error <= 0:
            return sample_weight, 1.0, 0.0
        n_classes = self.n_classes_
        if error >= 1.0 - 1.0 / n_classes:
            self.estimators_.pop(-1)
            self.samplers_.pop(-1)
            if not self.estimators_:
                raise ValueError("BaseClassifier in AdaBoostClassifier ensemble is worse "
                                 "than random, ensemble can not be fit.")
            return None, None, None
        weight = self.learning_rate * (np.log((1.0 - error) / error) + np.log(n_classes - 1.0))
        if iboost != self.n_estimators - 1:
            with np.errstate(divide="ignore"):  # rows of weight 0 stay 0
                sample_weight = np.exp(np.log(sample_weight)
                                       + weight * incorrect * (sample_weight > 0))
        return sample_weight, weight, error

    @property
    def pipelines_(self) -> list[Pipeline]:
        """``make_pipeline(sampler, learner)`` for each round (steps named after their
        classes, as imbalanced-learn's)."""
        return [make_pipeline(s, e) for s, e in zip(self.samplers_, self.estimators_,
                                                    strict=True)]
