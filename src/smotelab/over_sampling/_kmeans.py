"""K-Means SMOTE (Douzas, Bacao and Last, 2018)."""

from __future__ import annotations

import math
import warnings
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.cluster import MiniBatchKMeans
from sklearn.metrics.pairwise import euclidean_distances

from .._kernels.labels import apportion
from ..exceptions import NotEnoughSamplesError, SmotelabWarning, fitting
from ..exceptions import fmt_label as _label
from ..utils._compat import HasMethods, Interval, StrOptions
from ._base import BaseSMOTE, ClassPlan, ClassTask

__all__ = ["KMeansSMOTE"]

# Clusters with more members of the class than this get their mean pairwise distance
# from a random sample of this many members (an unbiased estimate) instead of all pairs.
_MEAN_DISTANCE_SAMPLE = 2048
# The default clustering is fitted on a uniform sample of at most this many rows (then
# every row is assigned to the nearest centre): scikit-learn's MiniBatchKMeans spends
# time proportional to the rows at every step, ~10 s at 1M rows.
_KMEANS_SAMPLE = 100_000
# kmeans_estimator='auto': one cluster per this many samples of the smallest class being
# over-sampled, at most _AUTO_MAX_CLUSTERS. On the real-data benchmark every clustered
# configuration measured (2 to 8 clusters, any threshold, exponent or allocation; classes
# of up to ~500 samples per training fold, with or without separate subgroups) lost
# G-mean to SMOTE (docs/differences.md), so smaller classes are one cluster
_AUTO_PER_CLUSTER = 500
_AUTO_MAX_CLUSTERS = 8


class KMeansSMOTE(BaseSMOTE):
    """K-Means SMOTE: cluster, keep the clusters where the class is well represented, SMOTE inside.

    1. All samples are clustered once (``kmeans_estimator``).
    2. For each class being over-sampled, a cluster is *kept* when the class's share of
       its samples is at least ``cluster_balance_threshold`` and it holds more than
       ``k_neighbors`` samples of the class.
    3. The requested rows are split between the kept clusters in proportion to their
       sparsity, ``mean_distance ** density_exponent / n_class_samples`` (sparse clusters
       get more), as integers that add up exactly to the request.
    4. Inside each kept cluster, rows are made as SMOTE does, from the class's samples of
       that cluster and their ``k_neighbors`` nearest neighbours within it.

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
        Number of nearest same-class neighbours (within the cluster) to interpolate
        with, or an object with ``fit``/``kneighbors`` whose ``n_neighbors`` counts the
        sample itself (as in imbalanced-learn). imbalanced-learn's default is 2, which
        costs AUC and G-mean on real data (SMOTE's 5 is better there too); pass
        ``k_neighbors=2`` for its behaviour.
    n_jobs : int or None, default=None
        Threads of the neighbour searches: ``None`` the library's default, ``-1`` every
        core, a positive number a cap (``1``: one core, BLAS included).
    kmeans_estimator : 'auto', int, estimator or None, default='auto'
        The clustering. ``'auto'``: ``MiniBatchKMeans`` with one cluster per 500 samples
        of the smallest class being over-sampled, at most 8: a class of under 1,000
        samples is one cluster, and the output is then exactly SMOTE's with the same
        ``k_neighbors`` and ``random_state`` (on real data of that size clustering lost
        G-mean to SMOTE in every configuration measured). ``None``: ``MiniBatchKMeans`` with 8
        clusters (imbalanced-learn's default); an int: that many clusters; or any
        estimator with ``fit_predict`` (KMeans, a GPU k-means...).
    cluster_balance_threshold : float or 'auto', default='auto'
        Smallest share of the class among a cluster's samples for the cluster to be
        kept. ``'auto'`` is the class's share in the whole data set: a cluster is kept
        when the class is at least as frequent there as overall (some cluster always
        is). When no cluster passes, the threshold is dropped with a warning.
    density_exponent : float or 'auto', default='auto'
        Exponent of the mean distance in the sparsity; ``'auto'`` is the paper's
        ``log(n_features, 1.6) ** 1.8 * 0.16``.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    kmeans_estimator_ : estimator
        The fitted clustering.
    cluster_balance_threshold_ : str or float
        The ``cluster_balance_threshold`` parameter, or ``-inf`` with a single cluster (as
        in imbalanced-learn).
    cluster_balance_thresholds_ : dict
        The threshold applied to each over-sampled class (``'auto'`` resolved, after any
        relaxation).
    density_exponent_ : float
        The exponent used.
    cluster_allocation_ : dict
        For each over-sampled class, ``{cluster: rows generated in it}`` over the kept
        clusters.
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order (grouped by parent): ``parent``
        and ``neighbor`` (row indices in the input X), ``step`` and ``class``.
    nn_k_ : object
        The neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTE : The same interpolation over the whole class.

    Notes
    -----
    The clustering is fitted once per fit (not once per class); the default one on a
    uniform sample of at most 100,000 rows, every row then going to its nearest centre.
    A cluster's mean
    distance uses every pair of its class samples up to 2048 samples, and a random
    sample of 2048 of them above that. If no cluster holds more than ``k_neighbors``
    samples of the class even without the threshold, the whole class is treated as
    one cluster (plain SMOTE) with a warning.

    References
    ----------
    G. Douzas, F. Bacao, F. Last, "Improving imbalanced learning through a heuristic
    oversampling method based on k-means and SMOTE", Information Sciences 465, 1-20,
    2018.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import KMeansSMOTE
    >>> X, y = make_classification(n_samples=2000, n_features=20, n_informative=15,
    ...                            n_clusters_per_class=3, weights=[0.95, 0.05],
    ...                            flip_y=0.1, random_state=42)
    >>> X_res, y_res = KMeansSMOTE(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 1804), (np.int64(1), 1804)]
    """

    # its clusters are fitted on all rows: no plan on the gathered rows
    _per_class_attrs: ClassVar[tuple[str, ...]] = ("cluster_balance_thresholds_",
                                                   "cluster_allocation_")

    _parameter_constraints: ClassVar[dict] = {
        **BaseSMOTE._parameter_constraints,
        "n_jobs": [Integral, None],
        "kmeans_estimator": [
            HasMethods(["fit_predict"]),
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
            None,
        ],
        "cluster_balance_threshold": [Interval(Real, None, None, closed="neither"),
                                      StrOptions({"auto"})],
        "density_exponent": [Interval(Real, None, None, closed="neither"),
                             StrOptions({"auto"})],
    }

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.neighbor_scope = "cluster"
        tags.sampler_tags.distributed_plan = None  # its clusters read every row: memory only
        tags.sampler_tags.partition_local = False
        return tags

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        n_jobs=None,
        kmeans_estimator="auto",
        cluster_balance_threshold="auto",
        density_exponent="auto",
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent

    def _fit_context(self, X, *, inverse, plan, streams):
        rng = streams.shared()
        seed = int(rng.integers(0, 2**31 - 1))
        wanted_km = self.kmeans_estimator
        default = wanted_km is None or wanted_km == "auto" or isinstance(wanted_km, Integral)
        if default:
            if wanted_km == "auto":
                growing = [plan.class_position(label) for label, n in plan.counts.items() if n]
                smallest = min((int(np.count_nonzero(inverse == c)) for c in growing), default=0)
                n_clusters = max(1, min(_AUTO_MAX_CLUSTERS, smallest // _AUTO_PER_CLUSTER))
            else:
                n_clusters = 8 if wanted_km is None else int(wanted_km)
            km = MiniBatchKMeans(n_clusters=n_clusters, n_init=3, random_state=seed)
        else:
            km = clone(self.kmeans_estimator)
            if "random_state" in km.get_params() and km.get_params()["random_state"] is None:
                km.set_params(random_state=seed)
        with warnings.catch_warnings():
            # Duplicate rows can leave clusters empty; empty clusters are skipped below.
            warnings.filterwarnings("ignore", message="Number of distinct clusters")
            n = X.shape[0]
            wanted = getattr(km, "n_clusters", None)
            if isinstance(wanted, Integral) and wanted > n:
                raise NotEnoughSamplesError(
                    f"{type(self).__name__}: {wanted} clusters need at least {wanted} samples, "
                    f"but the data have {n}; pass kmeans_estimator=<int <= {n}> (1: plain "
                    "SMOTE).")
            if default and n > _KMEANS_SAMPLE:
                # The centres of a uniform sample of this size are those of the whole
                # data for any practical purpose; every row is then assigned to them.
                sample = np.sort(rng.choice(n, _KMEANS_SAMPLE, replace=False))
                with fitting(type(self).__name__, "kmeans_estimator", km):
                    km.fit(X[sample])
                clusters = np.asarray(km.predict(X), dtype=np.intp)
            else:
                with fitting(type(self).__name__, "kmeans_estimator", km):
                    clusters = np.asarray(km.fit_predict(X), dtype=np.intp)
        self.kmeans_estimator_ = km
        # imbalanced-learn's attribute: the parameter, or -inf for a single cluster
        self.cluster_balance_threshold_ = (
            -math.inf if getattr(km, "n_clusters", None) == 1
            else self.cluster_balance_threshold)
        if self.density_exponent == "auto":
            self.density_exponent_ = math.log(max(X.shape[1], 2), 1.6) ** 1.8 * 0.16
        else:
            self.density_exponent_ = float(self.density_exponent)
        return clusters

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        clusters, members, label = task.shared, task.members, task.label
        backend, n_new = task.backend, task.n_new
        k = int(backend.n_neighbors)
        n_clusters = int(clusters.max()) + 1
        size = np.bincount(clusters, minlength=n_clusters)
        mine = np.bincount(clusters[members], minlength=n_clusters)
        share = np.divide(mine, size, out=np.zeros(n_clusters), where=size > 0)
        threshold = (len(members) / len(clusters) if self.cluster_balance_threshold == "auto"
                     else float(self.cluster_balance_threshold))
        big_enough = mine > k
        kept = np.flatnonzero(big_enough & (share >= threshold))
        name = f"KMeansSMOTE: class {_label(label)}"
        if not len(kept) and big_enough.any():
            kept = np.flatnonzero(big_enough)
            warnings.warn(
                f"{name}: no cluster has a share of the class >= cluster_balance_threshold="
                f"{threshold:.4g} and more than k_neighbors={k} of its samples; the "
                f"threshold was dropped and the {len(kept)} cluster(s) with more than {k} "
                "of its samples are used.",
                SmotelabWarning,
                stacklevel=5,
            )
            threshold = -math.inf
        rng = task.streams.for_class(task.position)
        if not len(kept):
            warnings.warn(
                f"{name}: no cluster holds more than k_neighbors={k} of its samples; the "
                "whole class is used as one cluster (plain SMOTE). Use fewer clusters or "
                "a smaller k_neighbors to over-sample cluster by cluster.",
                SmotelabWarning,
                stacklevel=5,
            )
            table = self._within_class(X, members, backend)
            counts = rng.multinomial(n_new, np.full(len(members), 1 / len(members)))
            return ClassPlan(seeds=members, neighbors=table, seed_counts=counts, fitted={
                "cluster_balance_thresholds_": -math.inf, "cluster_allocation_": {}})
        if len(kept) == 1 and mine[kept[0]] == len(members):
            # the class is one cluster: SMOTE's own plan (its output, draw for draw)
            return ClassPlan(seeds=members, neighbors=self._within_class(X, members, backend),
                             fitted={"cluster_balance_thresholds_": threshold,
                                     "cluster_allocation_": {int(kept[0]): int(n_new)}})
        groups = [members[clusters[members] == c] for c in kept]
        # log-sparsities: any magnitude of the data, no overflow; weights by ratio
        log_sparsity = np.array([self._log_sparsity(X, g, rng) for g in groups])
        weights = (np.exp(log_sparsity - log_sparsity.max()) if np.isfinite(log_sparsity).any()
                   else mine[kept].astype(np.float64))
        per_cluster = apportion(weights, n_new)
        fitted = {"cluster_balance_thresholds_": threshold, "cluster_allocation_": {
            int(c): int(n) for c, n in zip(kept, per_cluster, strict=True)}}
        seed_parts, tables, count_parts = [], [], []
        for g, n in zip(groups, per_cluster, strict=True):
            if not n:
                continue
            seed_parts.append(g)
            tables.append(self._within_class(X, g, backend))
            count_parts.append(rng.multinomial(n, np.full(len(g), 1 / len(g))))
        return ClassPlan(seeds=np.concatenate(seed_parts), neighbors=np.vstack(tables),
                         seed_counts=np.concatenate(count_parts), fitted=fitted)

    def _log_sparsity(self, X: Any, rows: np.ndarray, rng: np.random.Generator) -> float:
        """log(mean pairwise distance ** exponent / number of samples), the paper's
        sparsity in log space (-inf when the rows coincide)."""
        sample = rows
        if len(rows) > _MEAN_DISTANCE_SAMPLE:
            sample = np.sort(rng.choice(rows, _MEAN_DISTANCE_SAMPLE, replace=False))
        Xs = X[sample]
        Xs = Xs.astype(np.float64) if hasattr(Xs, "astype") else Xs
        top = float(abs(Xs).max()) if Xs.shape[0] else 0.0
        if top > 0 and np.isfinite(top):
            Xs = Xs / top  # distances of any magnitude, their log shifted back below
        n = len(sample)
        mean = float(euclidean_distances(Xs).sum()) / (n * (n - 1))
        if mean <= 0:
            return -math.inf
        shift = math.log(top) if top > 0 and np.isfinite(top) else 0.0
        return self.density_exponent_ * (math.log(mean) + shift) - math.log(len(rows))
