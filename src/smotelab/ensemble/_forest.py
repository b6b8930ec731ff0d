"""BalancedRandomForestClassifier: each tree grows on a random, balanced draw of the rows.

Chen, Liaw & Breiman (2004), "Using random forest to learn imbalanced data": for each
tree, draw from every class as many rows as the strategy asks (by default the minority
class's count from each class, with replacement), then grow an unpruned tree on the
draw with random feature subsets. Prediction, ``apply``, ``decision_path`` and
``feature_importances_`` are scikit-learn's ``RandomForestClassifier``'s; the fit loop is
ours. A tree is handed only its draw (no copy of ``X`` per tree beyond those rows), the
draws come from fitted ``RandomUnderSampler`` objects (kept in ``samplers_``) that read
the labels only, and the out-of-bag rows of a tree are all the rows it never saw.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any, ClassVar

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import _STRATEGY_CONSTRAINT
from ..pipeline import Pipeline, make_pipeline
from ..under_sampling import RandomUnderSampler
from ..utils._random import RandomStreams
from ._common import encode_target, encoded_strategy, member_seeds, members_to_add

__all__ = ["BalancedRandomForestClassifier"]


def _n_bootstrap(n_rows: int, max_samples: Any) -> int:
    """Rows a tree's bootstrap draws from its balanced draw of ``n_rows`` rows."""
    if max_samples is None:
        return n_rows
    if isinstance(max_samples, float):
        return max(1, int(round(max_samples * n_rows)))
    return min(int(max_samples), n_rows)


def _grow(forest: Any, tree: Any, sampler: Any, X: Any, y: np.ndarray, row_ids: np.ndarray,
          weights: np.ndarray | None, seed: int) -> tuple[Any, Any]:
    """Draw one tree's rows with its sampler, then grow the tree on them."""
    sampler.fit_resample(row_ids, y)
    rows = sampler.sample_indices_
    y_rows = y[rows]
    w = None if weights is None else weights[rows]
    if forest.bootstrap:
        boot = np.random.RandomState([int(seed), 2]).randint(
            0, rows.size, _n_bootstrap(rows.size, forest.max_samples))
        counts = np.bincount(boot, minlength=rows.size).astype(np.float64)
        w = counts if w is None else w * counts
        if forest.class_weight == "balanced_subsample":
            w = w * compute_sample_weight("balanced", y_rows, indices=boot)
    elif forest.class_weight == "balanced_subsample":
        w = compute_sample_weight("balanced", y_rows) * (1.0 if w is None else w)
    tree.fit(X[rows], y_rows, sample_weight=w)
    return tree, sampler


class BalancedRandomForestClassifier(RandomForestClassifier):
    """A random forest whose every tree grows on a random, class-balanced draw of rows.

    Same parameters, defaults and attributes as imbalanced-learn's
    ``BalancedRandomForestClassifier`` (0.13+ defaults: ``sampling_strategy='all'``,
    ``replacement=True``, ``bootstrap=False``).

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion, max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, \
max_features, max_leaf_nodes, min_impurity_decrease, ccp_alpha, monotonic_cst
        The trees' parameters, as in ``RandomForestClassifier``.
    bootstrap : bool, default=False
        Bootstrap each tree's balanced draw again before growing it.
    oob_score : bool, default=False
        Estimate the accuracy on the rows each tree never saw (needs ``bootstrap=True``,
        as in imbalanced-learn).
    sampling_strategy : float, str, dict or callable, default='all'
        How many rows each tree draws per class (labels as given to ``fit``).
    replacement : bool, default=True
        Draw the rows of a class with replacement.
    n_jobs : int, default=None
        Trees grown at once, in threads; -1 uses every core.
    random_state : int, RandomState, Generator or None, default=None
        Root of the trees' seeds: tree ``i``'s seed depends only on it and ``i``.
    verbose : int, default=0
        joblib's progress messages.
    warm_start : bool, default=False
        Keep the grown trees and add new ones.
    class_weight : {'balanced', 'balanced_subsample'}, dict, list or None, default=None
        Class weights, as in ``RandomForestClassifier`` (``balanced_subsample``: computed
        on each tree's draw).
    max_samples : int, float or None, default=None
        With ``bootstrap=True``, rows the bootstrap draws (a float: a share of the
        tree's balanced draw).

    Attributes
    ----------
    estimator_ : DecisionTreeClassifier
        The tree template.
    base_sampler_ : RandomUnderSampler
        The sampler template.
    estimators_ : list of DecisionTreeClassifier
        The grown trees.
    samplers_ : list of RandomUnderSampler
        The fitted sampler of each tree (``sample_indices_``: the rows it drew).
    pipelines_ : list of Pipeline
        ``Pipeline([sampler, tree])`` per tree.
    estimators_samples_ : list of ndarray
        Rows (into X) each tree was grown on.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.
    n_outputs_ : int
        Always 1.
    feature_importances_ : ndarray of shape (n_features,)
        Mean impurity decrease of each feature over the trees.
    oob_score_ : float
        Out-of-bag accuracy (with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities (with ``oob_score=True``).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.ensemble import BalancedRandomForestClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> forest = BalancedRandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> forest.samplers_[0].sample_indices_.shape
    (204,)
    """

    _parameter_constraints: ClassVar[dict] = {
        **copy.deepcopy(RandomForestClassifier._parameter_constraints),
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
    }

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_features="sqrt", max_leaf_nodes=None, min_impurity_decrease=0.0,
                 bootstrap=False, oob_score=False, sampling_strategy="all",
                 replacement=True, n_jobs=None, random_state=None, verbose=0,
                 warm_start=False, class_weight=None, ccp_alpha=0.0, max_samples=None,
                 monotonic_cst=None):
        super().__init__(
            n_estimators=n_estimators, criterion=criterion, max_depth=max_depth,
            min_samples_split=min_samples_split, min_samples_leaf=min_samples_leaf,
            min_weight_fraction_leaf=min_weight_fraction_leaf, max_features=max_features,
            max_leaf_nodes=max_leaf_nodes, min_impurity_decrease=min_impurity_decrease,
            bootstrap=bootstrap, oob_score=oob_score, n_jobs=n_jobs,
            random_state=random_state, verbose=verbose, warm_start=warm_start,
            class_weight=class_weight, ccp_alpha=ccp_alpha, max_samples=max_samples,
            monotonic_cst=monotonic_cst)
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
        """Grow the trees, each on its own balanced draw.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows (NaN allowed where the trees take it).
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows; a tree uses the weights of the rows it drew.

        Returns
        -------
        self : object
            The fitted forest.
        """
        self._validate_params()
        if sparse.issparse(y):
            raise ValueError("sparse multilabel-indicator for y is not supported.")
        X, y = validate_data(self, X, y, multi_output=True, accept_sparse="csc",
                             dtype=np.float32, ensure_all_finite=False)
        _, classes, y_encoded = encode_target(y)
        weights = self._weights(sample_weight, y, X.shape[0])
        if not self.bootstrap and self.oob_score:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        self.classes_, self.n_classes_, self.n_outputs_ = classes, len(classes), 1
        self._validate_estimator()
        self.base_sampler_ = RandomUnderSampler(
            sampling_strategy=encoded_strategy(self.sampling_strategy, classes),
            replacement=self.replacement)
        if not self.warm_start or not hasattr(self, "estimators_"):
            self.estimators_: list[Any] = []
            self.samplers_: list[Any] = []
        n_fitted = len(self.estimators_)
        if members_to_add(self.n_estimators, n_fitted):
            self._grow_trees(X, y_encoded, weights, n_fitted)
        if self.oob_score:
            self._set_oob_score_and_attributes(X, y_encoded)
        return self

    def _weights(self, sample_weight: Any, y: np.ndarray, n_samples: int) -> Any:
        weights = None
        if sample_weight is not None:
            weights = np.asarray(sample_weight, dtype=np.float64)
            if weights.shape != (n_samples,):
                raise ValueError(f"sample_weight has shape {weights.shape}; expected "
                                 f"({n_samples},), one weight per row of X.")
            if not np.isfinite(weights).all() or (weights < 0).any():
                raise ValueError("sample_weight must be finite and non-negative.")
        if self.class_weight is not None and self.class_weight != "balanced_subsample":
            expanded = compute_sample_weight(self.class_weight, y)
            weights = expanded if weights is None else weights * expanded
        return weights

    def _grow_trees(self, X: Any, y: np.ndarray, weights: Any, n_fitted: int) -> None:
        seeds = member_seeds(RandomStreams.from_random_state(self.random_state),
                             n_fitted, self.n_estimators)
        params = {p: getattr(self, p) for p in self.estimator_params}
        trees, samplers = [], []
        for seed in seeds:
            trees.append(clone(self.estimator_).set_params(**{**params,
                                                                "random_state": int(seed)}))
            sub = int(np.random.RandomState([int(seed), 1]).randint(2**31 - 1))
            samplers.append(clone(self.base_sampler_).set_params(random_state=sub))
        X_rows = X.tocsr() if sparse.issparse(X) else X
        row_ids = np.arange(X.shape[0]).reshape(-1, 1)
        grown = Parallel(n_jobs=self.n_jobs, verbose=self.verbose, prefer="threads")(
            delayed(_grow)(self, tree, sampler, X_rows, y, row_ids, weights, seed)
            for tree, sampler, seed in zip(trees, samplers, seeds, strict=True))
        self.estimators_ += [tree for tree, _ in grown]
        self.samplers_ += [sampler for _, sampler in grown]

    def _in_bag(self) -> list[np.ndarray]:
        bags = []
        for tree, sampler in zip(self.estimators_, self.samplers_, strict=True):
            rows = sampler.sample_indices_
            if self.bootstrap:
                boot = np.random.RandomState([int(tree.random_state), 2]).randint(
                    0, rows.size, _n_bootstrap(rows.size, self.max_samples))
                rows = rows[boot]
            bags.append(rows)
        return bags

    @property
    def estimators_samples_(self) -> list[np.ndarray]:
        """Rows (into X, repeats kept) each tree was grown on."""
        check_is_fitted(self, "estimators_")
        return self._in_bag()

    @property
    def pipelines_(self) -> list[Pipeline]:
        """``make_pipeline(sampler, tree)`` for each tree (steps named as imbalanced-learn's:
        ``randomundersampler``, ``decisiontreeclassifier``)."""
        check_is_fitted(self, "estimators_")
        return [make_pipeline(s, t) for s, t in zip(self.samplers_, self.estimators_,
                                                    strict=True)]

    def _set_oob_score_and_attributes(self, X: Any, y: np.ndarray, scoring_function=None):
        X = X.tocsr() if sparse.issparse(X) else X
        n_samples = X.shape[0]
        votes = np.zeros((n_samples, self.n_classes_))
        seen = np.zeros(n_samples, dtype=bool)
        for tree, bag in zip(self.estimators_, self._in_bag(), strict=True):
            out = np.ones(n_samples, dtype=bool)
            out[bag] = False
            if out.any():
                votes[out] += tree.predict_proba(X[out])
                seen |= out
        if not seen.all():
            warnings.warn("Some inputs do not have OOB scores. This probably means too few "
                          "trees were used to compute any reliable OOB estimates.",
                          UserWarning, stacklevel=3)
        totals = votes.sum(axis=1, keepdims=True)
        self.oob_decision_function_ = np.divide(votes, totals, out=np.zeros_like(votes),
                                                where=totals > 0)
        score = scoring_function or accuracy_score
        self.oob_score_ = score(y, np.argmax(self.oob_decision_function_, axis=1))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False
        tags.classifier_tags.multi_label = False
        tags.input_tags.allow_nan = True
        return tags
