"""ClusterCentroids: replace each class the plan names by the centres of k-means clusters."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.cluster import KMeans

from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import EstimatorContractError, fitting
from ..neighbors import exact_kneighbors
from ..utils._compat import HasMethods, StrOptions
from ..utils._containers import capture_X
from ._base import BaseUnderSampler

__all__ = ["ClusterCentroids"]


class ClusterCentroids(BaseUnderSampler):
    """Under-sample a class by clustering it into as many clusters as rows to keep.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to keep per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        minority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState or None, default=None
        Passed to the default ``KMeans`` as imbalanced-learn does.
    estimator : clustering estimator or None, default=None
        Anything with an ``n_clusters`` parameter and a fitted ``cluster_centers_``;
        default ``KMeans(random_state=random_state)``.
    voting : {'auto', 'soft', 'hard'}, default='auto'
        ``'soft'``: the centres themselves are the new rows (new, synthetic rows);
        ``'hard'``: each centre is replaced by the nearest sample of the class (a
        selection, with ``sample_indices_``). ``'auto'`` is ``'hard'`` for sparse input
        and ``'soft'`` otherwise.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples kept per class named by the plan.
    estimator_ : estimator
        The clustering, as last fitted.
    voting_ : str
        The voting used.
    sample_indices_ : ndarray
        With hard voting: row indices (into X) of the output rows, in input order.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    Notes
    -----
    Output: the rows of the classes the plan leaves alone (in input order), then, class
    by class, the centres (soft voting); with hard voting, the kept rows in input order.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.under_sampling import ClusterCentroids
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = ClusterCentroids(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 102), (np.int64(1), 102)]
    """

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = False  # centroids are new rows (soft voting)
        return tags

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "estimator": [HasMethods(["fit"]), None],
        "voting": [StrOptions({"auto", "soft", "hard"})],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, estimator=None,
                 voting="auto"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.estimator = estimator
        self.voting = voting

    def _fit_resample(self, X, y, *, plan, streams) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        _, _, inverse = y.encoded()
        sparse = sp.issparse(Xn)
        self.voting_ = ("hard" if sparse else "soft") if self.voting == "auto" else self.voting
        if self.estimator is None:
            est = KMeans(random_state=self.random_state)
        else:
            est = clone(self.estimator)
            if "n_clusters" not in est.get_params():
                raise EstimatorContractError(
                    f"ClusterCentroids: estimator {type(est).__name__} has no n_clusters "
                    "parameter; give a clustering estimator such as KMeans or MiniBatchKMeans."
                )
        untouched = np.flatnonzero(~plan.in_plan(inverse))
        chosen, centres, labels_of = [], [], []
        for label, n_keep in plan.counts.items():
            members = np.flatnonzero(inverse == plan.class_position(label))
            est.set_params(n_clusters=n_keep)
            with fitting("ClusterCentroids", "estimator", est):
                est.fit(Xn[members])
            c = getattr(est, "cluster_centers_", None)
            if c is None:
                raise EstimatorContractError(
                    f"ClusterCentroids: estimator {type(est).__name__} exposes no "
                    "cluster_centers_ after fitting; give a centroid-based clustering."
                )
            # the member nearest each centre: kept with hard voting, and the source
            # of the centre's per-row metadata with soft voting
            nearest = members[exact_kneighbors(Xn[members], 1, np.asarray(c))[1][:, 0]]
            if self.voting_ == "hard":
                chosen.append(nearest)
            else:
                centres.append(np.asarray(c, dtype=Xn.dtype))
                labels_of.append(nearest)
        self.estimator_ = est
        if self.voting_ == "hard":
            return self._select(X, y, np.concatenate([untouched, *chosen]))
        new = np.vstack(centres) if centres else np.empty((0, Xn.shape[1]), Xn.dtype)
        kept = capture_X(X.take(untouched))
        if kept.kind == "sparse":
            X_out = kept.append(sp.csr_matrix(new))
        else:
            base = Xn[untouched]
            buffer, tail = kept.new_rows_buffer(base, len(new))
            tail[:] = new
            X_out = kept.append(buffer)
        self._sources_ = np.concatenate([untouched, *labels_of]).astype(np.intp)
        return X_out, y.take(self._sources_)

    def _output_sources(self, n_samples: int) -> np.ndarray:
        if self.voting_ == "hard":
            return self.sample_indices_
        return self._sources_
