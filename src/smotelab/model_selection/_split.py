"""InstanceHardnessCV: folds that spread the hard samples of each class evenly."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from numbers import Integral
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.model_selection._split import BaseCrossValidator
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import _num_samples

from ..exceptions import DataValidationError

__all__ = ["InstanceHardnessCV"]


class InstanceHardnessCV(BaseCrossValidator):
    """Cross-validation whose folds share the hard samples of every class evenly.

    A sample's hardness is how badly ``estimator`` predicts it, estimated out of fold
    (stratified ``n_splits``-fold ``cross_val_predict`` of ``predict_proba``). Within each
    class the samples are sorted by it and dealt to the folds in turn, so every fold gets
    the same share of each class and of its hard samples: fold scores vary less than
    with plain stratified folds, which matters when a few hard minority samples decide
    the score.

    Parameters
    ----------
    estimator : estimator object
        Classifier with ``predict_proba`` that estimates the hardness.
    n_splits : int, default=5
        Number of folds (at least 2).
    pos_label : int, float, bool or str, default=None
        Two classes: the class whose predicted probability orders the samples (as in
        imbalanced-learn; ``None`` means the second sorted class). Ignored with more
        classes, where the hardness is one minus the probability of the sample's own
        class.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_validate
    >>> from smotelab.model_selection import InstanceHardnessCV
    >>> X, y = make_classification(weights=[0.9], flip_y=0.05, n_samples=500,
    ...                            random_state=0)
    >>> cv = InstanceHardnessCV(LogisticRegression(), n_splits=5)
    >>> scores = cross_validate(LogisticRegression(), X, y, cv=cv)["test_score"]
    >>> len(scores)
    5
    """

    def __init__(self, estimator: Any, *, n_splits: int = 5, pos_label: Any = None) -> None:
        self.estimator = estimator
        self.n_splits = n_splits
        self.pos_label = pos_label

    def split(self, X: Any, y: Any, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Train and test indices of each fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels (binary or multiclass).
        groups : None
            Ignored (a warning says so), as in imbalanced-learn.

        Yields
        ------
        train, test : ndarray
            Row indices of the fold's training and test sets.
        """
        if groups is not None:
            warnings.warn(f"The groups parameter is ignored by {type(self).__name__}.",
                          UserWarning, stacklevel=2)
        fold = self._folds(X, y)
        rows = np.arange(len(fold))
        for f in range(self.n_splits):
            yield rows[fold != f], rows[fold == f]

    def _folds(self, X: Any, y: Any) -> np.ndarray:
        if not isinstance(self.n_splits, Integral) or self.n_splits < 2:
            raise ValueError(f"n_splits must be an int >= 2; got {self.n_splits!r}.")
        if y is None:
            raise DataValidationError("InstanceHardnessCV needs y: hardness is per class.")
        y = np.asarray(y)
        kind = type_of_target(y)
        if kind not in ("binary", "multiclass"):
            raise DataValidationError(
                f"InstanceHardnessCV needs binary or multiclass labels; y is {kind!r}.")
        classes, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
        if counts.min() < self.n_splits:
            raise DataValidationError(
                f"class {classes[np.argmin(counts)]!r} has {counts.min()} samples, fewer "
                f"than n_splits={self.n_splits}; use n_splits<={counts.min()}.")
        proba = cross_val_predict(clone(self.estimator), X, y, method="predict_proba",
                                  cv=StratifiedKFold(self.n_splits))
        if len(classes) == 2:
            column = 1 if self.pos_label is None else self._column(classes)
            key = proba[:, column]
        else:
            key = 1.0 - proba[np.arange(len(y)), inverse]
        order = np.lexsort((key, inverse))  # by class, then by the key; ties in row order
        fold = np.empty(_num_samples(X), dtype=np.intp)
        fold[order] = np.arange(len(order)) % self.n_splits
        return fold

    def _column(self, classes: np.ndarray) -> int:
        found = np.flatnonzero(classes == self.pos_label)
        if not len(found):
            raise ValueError(f"pos_label={self.pos_label!r} is not a class of y "
                             f"({', '.join(map(repr, classes.tolist()))}).")
        return int(found[0])

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of folds.

        Parameters
        ----------
        X, y, groups : object
            Ignored.

        Returns
        -------
        n_splits : int
            ``n_splits``.
        """
        return self.n_splits
