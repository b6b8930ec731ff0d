"""ImbalanceSearchCV: resample, weight the classes or move the threshold, chosen by
cross-validation with the user's own classifier."""

from __future__ import annotations

import warnings
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin
from sklearn.metrics import brier_score_loss, check_scoring
from sklearn.utils import _safe_indexing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ..exceptions import (
    DataValidationError,
    EstimatorFitError,
    NonNumericDataError,
    SmotelabError,
)
from ..exceptions import fmt_label as _label
from ..utils._compat import HasMethods, Interval
from ..utils._random import RandomStreams
from ._auto import auc_and_g_mean, fit_to_classes
from ._cv import cross_validate, inner_folds, named, seeded

__all__ = ["ImbalanceSearchCV"]

_KEYWORDS = ("none", "threshold", "class_weight")


def default_methods(random_state: Any = None) -> list[tuple[str, Any]]:
    """ImbalanceSearchCV's default methods: the two that do not resample (a decision
    threshold tuned on balanced accuracy, class weights) and the two samplers with the
    best mean AUC, G-mean and balanced accuracy on the real-data benchmark (Geometric
    SMOTE, SMOTE-ENN; ``benchmarks/RESULTS-quality.md``)."""
    from ..combine import SMOTEENN
    from ..over_sampling import GeometricSMOTE

    return [("threshold", "threshold"), ("class_weight", "class_weight"),
            ("GeometricSMOTE", GeometricSMOTE(random_state=random_state)),
            ("SMOTEENN", SMOTEENN(random_state=random_state))]


def _has_estimator(name: str) -> Any:
    return lambda self: hasattr(self.best_estimator_, name)


class ImbalanceSearchCV(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A classifier that chooses, by cross-validation on its training data, how to meet
    the imbalance: resample, weight the classes, or move the decision threshold.

    Each *method* is a way to fit ``estimator``: ``'threshold'`` (no resampling; the
    decision threshold tuned on balanced accuracy by an inner cross-validation of up to
    5 stratified folds, scikit-learn's ``TunedThresholdClassifierCV``; two classes
    only), ``'class_weight'``
    (no resampling; ``class_weight='balanced'``, where the estimator takes it),
    ``'none'`` (the estimator as it is) or any sampler (it resamples the training part
    and the estimator learns from the result, as in a Pipeline; in a Pipeline given as
    ``estimator`` it goes right before the last step, after the scaling). Every method is scored
    on the same folds; the best mean score wins, the first method staying unless
    another beats it by more than ``margin``. The winner is then fitted on all the data
    (``best_estimator_``), and predicts. The scores and the calibration of every method
    are in ``cv_results_``: resampling moves predicted probabilities toward the minority,
    moving the threshold does not.

    Parameters
    ----------
    estimator : classifier
        The model to fit (cloned), e.g. a Pipeline of a scaler and a classifier.
    methods : list, default=None
        Each a keyword (``'none'``, ``'threshold'``, ``'class_weight'``), a sampler, or a
        ``(name, method)`` pair. ``None``: :func:`default_methods` (threshold, class
        weights, Geometric SMOTE, SMOTE-ENN). A method that does not apply (``'threshold'`` with
        more than two classes, ``'class_weight'`` for an estimator without it) or fails
        on the data is reported in ``cv_results_['error']`` and never chosen.
    scoring : str or callable, default=None
        How a fold's test part is scored, as in scikit-learn. ``None``:
        :func:`~smotelab.model_selection.auc_and_g_mean`.
    cv : int or cross-validation generator, default=3
        The folds; an int gives that many stratified folds, shuffled with
        ``random_state`` (fewer where the smallest class is smaller).
    n_repeats : int or None, default=None
        With an int ``cv``: how many times the folds are drawn anew (the scores are
        averaged over all of them). ``None``: 2 with an int ``cv``; a splitter is used
        as it is.
    margin : float, default=0.0
        The first method is kept unless another's mean score is higher by more than
        this.
    time_budget : float or None, default=None
        Seconds for the search; once spent, no further method or fold starts (the first
        method is always scored).
    random_state : int, RandomState, Generator or None, default=None
        Seeds the folds, the samplers, the threshold's inner folds and every
        ``random_state`` left at ``None``.

    Attributes
    ----------
    best_estimator_ : classifier
        The chosen method fitted on all the data.
    best_method_ : str
        Its name.
    best_index_, best_score_ : int, float
        Its position among the methods and its mean test score.
    cv_results_ : dict of ndarray
        Per method: ``name``, ``mean_test_score``, ``std_test_score``,
        ``split<i>_test_score``, ``rank_test_score``, ``mean_brier_score`` (Brier score
        of the positive class's predicted probability on the test parts: calibration,
        lower is better; ``nan`` without probabilities or with more than two classes),
        ``mean_fit_time``, ``evaluated``, ``adapted`` and ``error``.
    classes_ : ndarray
        The class labels.
    n_features_in_ : int
        Number of features seen.

    See Also
    --------
    AutoSampler : Chooses a sampler (a Pipeline step) the same way.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from smotelab.model_selection import ImbalanceSearchCV
    >>> X, y = make_classification(n_samples=600, weights=[0.9], random_state=0)
    >>> search = ImbalanceSearchCV(LogisticRegression(), random_state=0).fit(X, y)
    >>> search.cv_results_["name"].tolist()
    ['threshold', 'class_weight', 'GeometricSMOTE', 'SMOTEENN']
    >>> search.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict"])],
        "methods": [list, tuple, None],
        "scoring": [str, callable, None],
        "cv": [Interval(Integral, 2, None, closed="left"), "cv_object"],
        "n_repeats": [Interval(Integral, 1, None, closed="left"), None],
        "margin": [Interval(Real, 0, None, closed="left")],
        "time_budget": [Interval(Real, 0, None, closed="neither"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator, *, methods=None, scoring=None, cv=3, n_repeats=None,
                 margin=0.0, time_budget=None, random_state=None):
        self.estimator = estimator
        self.methods = methods
        self.scoring = scoring
        self.cv = cv
        self.n_repeats = n_repeats
        self.margin = margin
        self.time_budget = time_budget
        self.random_state = random_state

    def _named_methods(self) -> list[tuple[str, Any]]:
        if self.methods is None:
            return default_methods()

        def check(name: str, method: Any) -> None:
            if isinstance(method, str) and method not in _KEYWORDS:
                raise ValueError(f"ImbalanceSearchCV: unknown method {method!r}; give one of "
                                 f"{', '.join(map(repr, _KEYWORDS))} or a sampler.")
            if not isinstance(method, str) and not hasattr(method, "fit_resample"):
                raise TypeError(f"ImbalanceSearchCV: method {name!r} is a "
                                f"{type(method).__name__}, neither a keyword nor a sampler "
                                "(no fit_resample).")

        return named(self.methods, lambda m: m if isinstance(m, str) else type(m).__name__,
                     check, "ImbalanceSearchCV: methods is empty; give at least one.")

    def _model(self, method: Any, seed: int, y: np.ndarray) -> tuple[Any, bool]:
        """The classifier a method fits: ``(model, adapted)``; raises where the method
        does not apply."""
        from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

        from ..pipeline import Pipeline

        est = seeded(self.estimator, seed)
        steps = getattr(est, "steps", None)  # a Pipeline: its last step is the model
        if isinstance(method, str):
            if method == "none":
                return est, False
            if method == "threshold":
                labels, counts = np.unique(y, return_counts=True)
                if len(labels) != 2:
                    raise SmotelabError("a decision threshold is tuned for two classes only")
                if counts.min() < 2:
                    raise SmotelabError(
                        f"class {_label(labels[np.argmin(counts)])} has a single sample "
                        "here: too few to tune a threshold on")
                # its own folds: up to 5, fewer where the smaller class is smaller
                folds = StratifiedKFold(min(5, int(counts.min())), shuffle=True,
                                        random_state=seed)
                return TunedThresholdClassifierCV(est, scoring="balanced_accuracy",
                                                  cv=folds, random_state=seed), False
            params = est.get_params()
            key = ("class_weight" if "class_weight" in params
                   else f"{steps[-1][0]}__class_weight" if steps
                   and f"{steps[-1][0]}__class_weight" in params else None)
            if key is None:
                raise SmotelabError(f"{type(self.estimator).__name__} takes no class_weight")
            return est.set_params(**{key: "balanced"}), False
        sampler, changed = fit_to_classes(seeded(method, seed), y)
        if steps:  # right before the model, after the Pipeline's own scaling
            names = {n for n, _ in steps}
            name = next(f"sampler{i or ''}" for i in range(len(steps) + 1)
                        if f"sampler{i or ''}" not in names)
            return Pipeline([*steps[:-1], (name, sampler), steps[-1]]), changed
        return Pipeline([("sampler", sampler), ("model", est)]), changed

    def fit(self, X: Any, y: Any) -> ImbalanceSearchCV:
        """Score every method by cross-validation, then fit the best on all the data.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : ImbalanceSearchCV
            Fitted.
        """
        self._validate_params()
        named = self._named_methods()
        X, yn = _checked(X, y)
        streams = RandomStreams.from_random_state(self.random_state)
        folds, starved = inner_folds(self, X, yn, streams)
        rs = self.random_state
        seed = int(rs) if isinstance(rs, Integral) else streams.member_seed(1)
        scorer = (auc_and_g_mean if self.scoring is None
                  else check_scoring(self.estimator, scoring=self.scoring))
        brier = np.full((len(named), len(folds)), np.nan)

        def score(i: int, f: int, train: np.ndarray, test: np.ndarray) -> tuple[float, bool]:
            model, changed = self._model(named[i][1], seed, yn[train])
            model.fit(_safe_indexing(X, train), yn[train])
            X_te, y_te = _safe_indexing(X, test), yn[test]
            brier[i, f] = _brier(model, X_te, y_te)
            return scorer(model, X_te, y_te), changed

        best, self.cv_results_ = cross_validate(self, named, folds, starved, score,
                                                noun="method")
        evaluated, mean = self.cv_results_["evaluated"], self.cv_results_["mean_test_score"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-nan: no probabilities
            self.cv_results_["mean_brier_score"] = np.where(
                evaluated, np.nanmean(brier, axis=1), np.nan)
        self.best_index_, self.best_score_ = best, float(mean[best])
        self.best_method_ = named[best][0]
        try:
            model, _ = self._model(named[best][1], seed, yn)
            self.best_estimator_ = model.fit(X, yn)
        except (SmotelabError, ValueError, TypeError) as err:  # e.g. chosen unscored
            said = " ".join(str(err).split())
            kind = NonNumericDataError if isinstance(err, TypeError) else EstimatorFitError
            raise kind(f"ImbalanceSearchCV: {named[best][0]} could not be fitted on all the "
                       f"data: {said}. Check the data for missing or non-numeric values, or "
                       "give methods that suit them.") from err
        self.classes_ = self.best_estimator_.classes_
        if hasattr(self.best_estimator_, "n_features_in_"):
            self.n_features_in_ = self.best_estimator_.n_features_in_
        if hasattr(self.best_estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.best_estimator_.feature_names_in_
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Class labels from the chosen method's fitted model."""
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict(X)

    @available_if(_has_estimator("predict_proba"))
    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities from the chosen method's fitted model (a tuned threshold
        leaves them as the estimator gives them)."""
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict_proba(X)

    @available_if(_has_estimator("decision_function"))
    def decision_function(self, X: Any) -> np.ndarray:
        """Decision scores from the chosen method's fitted model."""
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.decision_function(X)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _brier(model: Any, X: Any, y: np.ndarray) -> float:
    """Brier score of the positive class's probability; ``nan`` where there is none."""
    classes = getattr(model, "classes_", None)
    if classes is None or len(classes) != 2 or not hasattr(model, "predict_proba"):
        return np.nan
    proba = np.asarray(model.predict_proba(X))[:, 1]
    return float(brier_score_loss(np.asarray(y) == classes[1], proba))


def _checked(X: Any, y: Any) -> tuple[Any, np.ndarray]:
    """``X`` made indexable as it is (frames keep their columns) and ``y`` as a 1-D
    array of class labels, or a clear error."""
    from sklearn.utils.multiclass import type_of_target
    from sklearn.utils.validation import column_or_1d, indexable

    if y is None:
        raise DataValidationError("ImbalanceSearchCV requires y to be passed, but the target "
                                  "y is None.")
    X, y = indexable(X, y)
    if len(getattr(X, "shape", (0, 0))) != 2:
        raise DataValidationError(
            f"ImbalanceSearchCV: expected 2D array X (rows x features), got "
            f"{len(getattr(X, 'shape', ()))}D; reshape it (X.reshape(-1, 1) for one feature).")
    yn = column_or_1d(y, warn=True)
    if yn.dtype.kind == "f" and not np.isfinite(yn).all():
        raise DataValidationError(
            f"ImbalanceSearchCV: y holds {np.count_nonzero(~np.isfinite(yn))} NaN or "
            "infinite label(s); drop those rows or give them a class.")
    kind = type_of_target(yn)
    if kind not in ("binary", "multiclass"):
        raise DataValidationError(
            f"ImbalanceSearchCV: y is a {kind} target (Unknown label type: {kind}); it "
            "chooses for classification targets (binary or multiclass) only.")
    if len(yn) < 2 or len(np.unique(yn)) < 2:
        raise DataValidationError(
            f"ImbalanceSearchCV: y holds one class ({len(yn)} sample(s)); a classifier "
            "needs at least two classes.")
    return X, yn
