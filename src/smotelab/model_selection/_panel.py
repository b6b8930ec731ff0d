"""The models that score a chooser's candidates when no estimator is given."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.metaestimators import available_if

__all__ = ["MAX_PANEL_ROWS", "default_panel"]

# a panel model learns from at most this many rows of a resampled training part: the
# RBF SVC's fit grows with the square of the rows (hours at 100k), and k-NN's
# prediction with the rows it searches
MAX_PANEL_ROWS = 5000


def default_panel(seed: int) -> list[Any]:
    """Four models of different kinds, whose mean score rates a candidate: k-nearest
    neighbours (local), a decision tree (axis-aligned splits), logistic regression
    (linear) and an RBF support vector machine (smooth, non-linear), each learning from
    at most :data:`MAX_PANEL_ROWS` rows."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    return [AtMost(model, MAX_PANEL_ROWS, seed) for model in (
        KNeighborsClassifier(), DecisionTreeClassifier(random_state=seed),
        LogisticRegression(max_iter=2000), SVC(random_state=seed))]


def _inner_has(name: str) -> Any:
    return lambda self: hasattr(self.model, name)


class AtMost(ClassifierMixin, BaseEstimator):
    """``model`` fitted on at most ``max_rows`` rows: above that, on a random subset
    that keeps each class's share (at least one row of each), drawn with ``seed``."""

    def __init__(self, model: Any, max_rows: int, seed: int) -> None:
        self.model = model
        self.max_rows = max_rows
        self.seed = seed

    def fit(self, X: Any, y: Any) -> AtMost:
        from sklearn.utils import _safe_indexing

        y = np.asarray(y)
        if len(y) > self.max_rows:
            rng = np.random.default_rng(self.seed)
            labels, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
            take = np.maximum(1, np.floor(counts * self.max_rows / len(y))).astype(int)
            rows = np.concatenate([rng.choice(np.flatnonzero(inverse == i), n, replace=False)
                                   for i, n in enumerate(take)])
            rows.sort()
            X, y = _safe_indexing(X, rows), y[rows]
        self.model.fit(X, y)
        self.classes_ = self.model.classes_
        self._last: tuple[Any, np.ndarray] | None = None
        return self

    def _scores(self, X: Any) -> np.ndarray:
        """The model's probabilities (else decision scores) for ``X``, computed once for
        the last ``X`` asked about: a score asks for the labels and the scores of the
        same rows, and the labels follow from the scores."""
        last = getattr(self, "_last", None)
        if last is not None and last[0] is X:
            return last[1]
        has_proba = hasattr(self.model, "predict_proba")
        scores = np.asarray(self.model.predict_proba(X) if has_proba
                            else self.model.decision_function(X))
        self._last = (X, scores)
        return scores

    def predict(self, X: Any) -> np.ndarray:
        """The labels the model predicts, read off its scores: the most probable class
        (as k-NN, trees and logistic regression decide), or the sign of a two-class
        decision score and the largest of several (as the SVC decides)."""
        scores = self._scores(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]

    @available_if(_inner_has("predict_proba"))
    def predict_proba(self, X: Any) -> np.ndarray:
        return self._scores(X)

    @available_if(_inner_has("decision_function"))
    def decision_function(self, X: Any) -> np.ndarray:
        if hasattr(self.model, "predict_proba"):
            return self.model.decision_function(X)
        return self._scores(X)
