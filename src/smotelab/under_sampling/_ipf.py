"""Iterative-partitioning noise filter (Khoshgoftaar and Rebours, 2007; Sáez et al., 2015)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone, is_classifier
from sklearn.model_selection import StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import fitting
from ..utils._compat import HasMethods, Interval, StrOptions
from ..utils._tags import own_plan
from ..utils._threads import worker_count
from ._base import BaseCleaningSampler

__all__ = ["IterativePartitioningFilter"]

# Rows under which the parts' learners are fitted one after the other.
_SERIAL_BELOW = 4096


class IterativePartitioningFilter(BaseCleaningSampler):
    """Remove, in rounds, the rows that most of an ensemble of trees misclassifies.

    Each round splits the rows still kept into ``n_splits`` stratified parts; a tree
    learns from each part, and every tree predicts every kept row. A row is noise when more than half of the trees (``voting='majority'``) or
    all of them (``'consensus'``) predict another class; the noise rows of the classes
    named by ``sampling_strategy`` are removed. The rounds stop once ``n_rounds`` rounds
    in a row each removed fewer than ``threshold`` times the number of input rows.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Which classes may lose samples: ``'majority'``, ``'not minority'``, ``'not
        majority'``, ``'all'`` or ``'auto'`` (= ``'not minority'``), a list of classes,
        or a callable ``y -> dict`` whose keys are the classes.
    random_state : int, RandomState, Generator or None, default=None
        Seeds the parts of each round and the default trees.
    n_splits : int, default=5
        Parts (and trees) per round; fewer when a class has fewer rows. With one part
        per tree, more parts mean weaker trees that flag clean rows too: at 9 parts
        (smote-variants' value, whose trees learn from eight ninths of the rows) the
        minority F1 on the development data sets falls below smote-variants' SMOTE-IPF,
        at 5 it does not (benchmarks/RESULTS-quality-all.md).
    n_rounds : int, default=3
        Consecutive rounds below ``threshold`` that end the filtering (``k`` in the
        papers).
    threshold : float, default=0.01
        Share of the input rows under which a round counts as removing little (``p``).
    voting : {'majority', 'consensus'}, default='majority'
        How many trees must misclassify a row for it to be noise.
    estimator : classifier or None, default=None
        The learner of each part; default ``DecisionTreeClassifier(min_samples_leaf=2)``
        (the papers use C4.5, whose leaves hold at least two rows).
    n_jobs : int or None, default=None
        Threads fitting the parts' learners side by side: ``None`` the library's
        default (one for small data, else every core up to 8), ``-1`` every core, a
        positive number a cap. The output does not depend on it. (On Dask the learners
        are tasks, run side by side by the scheduler.)

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        The classes cleaned.
    sample_indices_ : ndarray
        Row indices (into X) of the kept rows, in input order.
    n_rounds_ : int
        Rounds run.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    Notes
    -----
    Each tree learns from one part, as the papers describe. ``smote-variants``' SMOTE-IPF
    trains each on all parts but one; a fully grown tree then predicts the rows it learnt
    from, so a row is misclassified by at most one tree and nearly nothing is removed. A
    class never loses its last two rows to the filter.

    On Dask collections the rounds run on the labels in the client; each part's rows are
    gathered from every partition for its tree, and the partitions count the wrong
    votes. The kept rows equal the in-memory ones; one part and its tree must fit a
    worker.

    References
    ----------
    T. M. Khoshgoftaar, P. Rebours, "Improving software quality prediction by noise
    filtering techniques", JCST 22, 387-396, 2007. J. A. Sáez, J. Luengo, J. Stefanowski,
    F. Herrera, "SMOTE-IPF: Addressing the noisy and borderline examples problem in
    imbalanced classification by a re-sampling method with filtering", Information
    Sciences 291, 184-203, 2015.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import IterativePartitioningFilter
    >>> X, y = make_classification(n_samples=500, flip_y=0.1, random_state=0)
    >>> ipf = IterativePartitioningFilter(sampling_strategy="all", random_state=0)
    >>> X_res, y_res = ipf.fit_resample(X, y)
    >>> len(y_res) < len(y)
    True
    """

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.approximate_counts = True
        tags.sampler_tags.coupled_classes = True  # each round sees the rows the last one kept
        tags.sampler_tags.distributed_plan = own_plan(self, IterativePartitioningFilter,
                                                      "iterative-filter")
        return tags

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": [*_STRATEGY_CONSTRAINT, list],
        "random_state": ["random_state", np.random.Generator],
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "voting": [StrOptions({"majority", "consensus"})],
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_splits=5, n_rounds=3,
                 threshold=0.01, voting="majority", estimator=None, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_splits = n_splits
        self.n_rounds = n_rounds
        self.threshold = threshold
        self.voting = voting
        self.estimator = estimator
        self.n_jobs = n_jobs

    def _fit_learner(self, est: Any, X: Any, y: np.ndarray) -> Any:
        """``est`` fitted on one part (an error names the estimator); every engine fits
        the parts' learners through this."""
        with fitting(type(self).__name__, "estimator", est):
            est.fit(X, y)
        return est

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        _, _, inverse = y.encoded()
        self._check_estimator()

        def count_wrong(kept: np.ndarray, parts: list[np.ndarray], seed: int) -> np.ndarray:
            yk = inverse[kept]
            # the default trees read float32 (and would each convert a copy): one
            # float32 copy of the kept rows serves every tree of the round
            Xk = Xn[kept]
            if self.estimator is None and not sp.issparse(Xk):
                Xk = np.asarray(Xk, dtype=np.float32, order="C")

            def one(f: int) -> np.ndarray:
                est = self._fit_learner(self._learner(seed, f), Xk[parts[f]],
                                        yk[parts[f]])
                return np.asarray(est.predict(Xk)) != yk

            # the parts' learners are independent: fitted side by side (scikit-learn's
            # trees build without the GIL), their votes summed in part order
            workers = min(len(parts), worker_count(len(kept), _SERIAL_BELOW))
            if workers == 1:
                votes = [one(f) for f in range(len(parts))]
            else:
                with ThreadPoolExecutor(workers) as pool:
                    votes = list(pool.map(one, range(len(parts))))
            return np.asarray(np.sum(votes, axis=0, dtype=np.int64))

        kept = self._filter(inverse, plan.in_plan(inverse), streams.shared(), count_wrong)
        return self._select(X, y, kept)

    # The rounds, shared by the in-memory and the Dask plan: they differ only in where
    # the trees learn and predict (``count_wrong``).

    def _check_estimator(self) -> None:
        if self.estimator is not None and not is_classifier(self.estimator):
            raise TypeError(f"IterativePartitioningFilter: estimator "
                            f"{type(self.estimator).__name__} is not a classifier.")

    def _filter(self, inverse: np.ndarray, cleanable: np.ndarray, rng: np.random.Generator,
                count_wrong: Callable[[np.ndarray, list[np.ndarray], int], np.ndarray]
                ) -> np.ndarray:
        """The rows kept after the rounds (sorted); ``inverse`` holds every row's class
        position, ``cleanable`` whether its class may lose rows, and
        ``count_wrong(kept, parts, seed)`` how many of the parts' learners misclassify
        each kept row (part ``f`` holds positions into ``kept``)."""
        kept = np.arange(len(inverse))
        quiet, rounds = 0, 0
        while quiet < self.n_rounds:
            noise = np.zeros(len(kept), dtype=bool)
            split = self._split(inverse[kept], rng)
            if split is not None:
                seed, parts = split
                wrong = count_wrong(kept, parts, seed)
                noise = (wrong == len(parts) if self.voting == "consensus"
                         else wrong * 2 > len(parts))
            noise &= cleanable[kept]
            noise = _spare_last_rows(inverse[kept], noise)
            kept = kept[~noise]
            rounds += 1
            quiet = quiet + 1 if noise.sum() < self.threshold * len(inverse) else 0
        self.n_rounds_ = rounds
        return kept

    def _split(self, yk: np.ndarray, rng: np.random.Generator
               ) -> tuple[int, list[np.ndarray]] | None:
        """One round's seed and stratified parts of the kept rows (positions, sorted),
        or None where fewer than two parts or classes are left."""
        present = np.unique(yk)
        n_splits = int(min(self.n_splits, np.bincount(yk)[present].min()))
        if n_splits < 2 or len(present) < 2:
            return None
        seed = int(rng.integers(0, 2**31 - 1))
        folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
        return seed, [part for _, part in folds.split(np.zeros((len(yk), 1)), yk)]

    def _learner(self, seed: int, f: int) -> Any:
        """The unfitted learner of part ``f``."""
        if self.estimator is None:
            return DecisionTreeClassifier(min_samples_leaf=2, random_state=seed + f)
        return clone(self.estimator)


def _spare_last_rows(labels: np.ndarray, noise: np.ndarray, keep: int = 2) -> np.ndarray:
    """``noise`` without the rows that would leave a class under ``keep`` rows."""
    noise = noise.copy()
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        left = len(rows) - int(noise[rows].sum())
        if left < keep:
            flagged = rows[noise[rows]]
            noise[flagged[: keep - max(left, 0)]] = False
    return noise
