"""Under-samplers and cleaners side by side with imbalanced-learn: identical kept sets."""

from collections import Counter

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotelab import under_sampling as ours

imb_under = pytest.importorskip("imblearn.under_sampling")

DATA = {
    "binary": make_classification(n_samples=1200, n_features=6, n_informative=4,
                                  weights=[0.85], flip_y=0.05, random_state=0),
    "multiclass": make_classification(n_samples=1500, n_classes=3, n_informative=4,
                                      weights=[0.6, 0.3, 0.1], flip_y=0.05, random_state=1),
    "overlap": make_classification(n_samples=2000, n_features=3, n_informative=2,
                                   n_redundant=0, n_clusters_per_class=1, class_sep=0.3,
                                   weights=[0.7], random_state=2),
}


@pytest.mark.parametrize("data", DATA, ids=str)
@pytest.mark.parametrize("strategy", ["auto", "all", "majority", "not majority"])
@pytest.mark.parametrize(("name", "params"), [
    ("TomekLinks", {}),
    ("EditedNearestNeighbours", {}),
    ("EditedNearestNeighbours", {"kind_sel": "mode"}),
    ("EditedNearestNeighbours", {"n_neighbors": 5}),
    ("EditedNearestNeighbours", {"n_neighbors": 7, "kind_sel": "mode"}),
    ("RepeatedEditedNearestNeighbours", {}),
    ("RepeatedEditedNearestNeighbours", {"kind_sel": "mode", "max_iter": 2}),
    ("AllKNN", {}),
    ("AllKNN", {"allow_minority": True, "n_neighbors": 5}),
    ("NeighbourhoodCleaningRule", {}),
    ("NeighbourhoodCleaningRule", {"n_neighbors": 5, "threshold_cleaning": 0.1}),
], ids=["tomek", "enn", "enn-mode", "enn-5", "enn-7-mode", "renn", "renn-mode-2", "allknn",
        "allknn-5-allow", "ncr", "ncr-5"])
def test_kept_rows_are_imbalanced_learns(data, strategy, name, params):
    """Check the kept index set equals imbalanced-learn's (no ties in these data)."""
    X, y = DATA[data]
    a = getattr(ours, name)(sampling_strategy=strategy, **params)
    b = getattr(imb_under, name)(sampling_strategy=strategy, **params)
    a.fit_resample(X, y)
    b.fit_resample(X, y)
    assert np.array_equal(a.sample_indices_, np.sort(b.sample_indices_))
    assert dict(a.sampling_strategy_) == dict(b.sampling_strategy_)


@pytest.mark.parametrize("strategy", ["auto", "majority", "not minority", "all",
                                      {0: 300, 1: 200}, 0.5])
def test_random_under_sampler_counts_are_identical(strategy):
    """Check identical counts and plans for every strategy form."""
    X, y = DATA["multiclass"] if not isinstance(strategy, float) else DATA["binary"]
    _, ya = ours.RandomUnderSampler(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
    b = imb_under.RandomUnderSampler(sampling_strategy=strategy, random_state=0)
    _, yb = b.fit_resample(X, y)
    assert Counter(ya.tolist()) == Counter(yb.tolist())


@pytest.mark.parametrize("data", DATA, ids=str)
def test_renn_runs_as_many_passes_as_imbalanced_learn(data):
    """Check the stopping rules: the same number of passes and the same kept set."""
    X, y = DATA[data]
    a = ours.RepeatedEditedNearestNeighbours(sampling_strategy="all")
    b = imb_under.RepeatedEditedNearestNeighbours(sampling_strategy="all")
    a.fit_resample(X, y)
    b.fit_resample(X, y)
    assert a.n_iter_ == b.n_iter_ and a.n_iter_ > 1
    assert np.array_equal(a.sample_indices_, np.sort(b.sample_indices_))


@pytest.mark.parametrize("data", DATA, ids=str)
@pytest.mark.parametrize("strategy", ["auto", "all", "majority", {0: 150}])
@pytest.mark.parametrize("params", [{"version": 1}, {"version": 2}, {"version": 3},
                                    {"version": 1, "n_neighbors": 5},
                                    {"version": 3, "n_neighbors_ver3": 5}], ids=str)
def test_nearmiss_keeps_imbalanced_learns_rows(data, strategy, params):
    """Check NearMiss 1/2/3 keep the same rows (and counts) as imbalanced-learn."""
    import warnings

    X, y = DATA[data]
    if isinstance(strategy, dict) and data == "overlap":
        strategy = {0: 700}
    a = ours.NearMiss(sampling_strategy=strategy, **params)
    b = imb_under.NearMiss(sampling_strategy=strategy, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a.fit_resample(X, y)
        b.fit_resample(X, y)
    assert np.array_equal(a.sample_indices_, np.sort(b.sample_indices_))


@pytest.mark.parametrize("data", DATA, ids=str)
@pytest.mark.parametrize("strategy", ["auto", "all", {0: 150}])
def test_instance_hardness_keeps_imbalanced_learns_rows(data, strategy):
    """Check an int random_state gives imbalanced-learn's very selection."""
    from sklearn.linear_model import LogisticRegression

    X, y = DATA[data]
    if isinstance(strategy, dict) and data == "overlap":
        strategy = {0: 700}
    # the default forest (100 trees) only once: it is slow
    ests = [None, LogisticRegression()] if (data, strategy) == ("binary", "auto") else [
        LogisticRegression()]
    for est in ests:
        a = ours.InstanceHardnessThreshold(sampling_strategy=strategy, random_state=0,
                                           estimator=est)
        b = imb_under.InstanceHardnessThreshold(sampling_strategy=strategy, random_state=0,
                                                estimator=est)
        a.fit_resample(X, y)
        b.fit_resample(X, y)
        assert np.array_equal(a.sample_indices_, np.sort(b.sample_indices_))


@pytest.mark.parametrize("voting", ["soft", "hard"])
@pytest.mark.parametrize("data", ["binary", "multiclass"])
def test_cluster_centroids_are_imbalanced_learns(data, voting):
    """Check the same centres (soft) or the same kept rows (hard) for an int seed."""
    X, y = DATA[data]
    a = ours.ClusterCentroids(random_state=0, voting=voting)
    b = imb_under.ClusterCentroids(random_state=0, voting=voting)
    Xa, ya = a.fit_resample(X, y)
    Xb, yb = b.fit_resample(X, y)
    assert Counter(ya.tolist()) == Counter(yb.tolist())
    if voting == "soft":
        order_a, order_b = np.lexsort(Xa.T), np.lexsort(Xb.T)
        np.testing.assert_allclose(Xa[order_a], Xb[order_b])
        assert np.array_equal(ya[order_a], yb[order_b])
        return
    # hard: the same rows except where a centre lies exactly between samples (the
    # centre of a two-sample cluster): we take the lower index, scikit-learn either one.
    # Both choices must be among each centre's equally nearest samples.
    from sklearn.cluster import KMeans

    allowed = set()
    for label, n_keep in a.sampling_strategy_.items():
        Xc = X[y == label]
        centres = KMeans(n_clusters=n_keep, random_state=0).fit(Xc).cluster_centers_
        d = np.sqrt(((centres[:, None] - Xc[None]) ** 2).sum(-1))
        near = d <= d.min(axis=1, keepdims=True) * (1 + 1e-12)
        allowed |= {tuple(Xc[j]) for j in np.flatnonzero(near.any(axis=0))}
    alone = ~np.isin(y, list(a.sampling_strategy_))
    allowed |= {tuple(r) for r in X[alone]}
    assert {tuple(r) for r in Xa} <= allowed and {tuple(r) for r in Xb} <= allowed


@pytest.mark.parametrize("data", DATA, ids=str)
@pytest.mark.parametrize("strategy", ["auto", "majority", "not majority"])
@pytest.mark.parametrize("params", [{}, {"n_neighbors": 3}, {"n_neighbors": 2}])
def test_one_sided_selection_keeps_imbalanced_learns_rows(data, strategy, params):
    """Check OSS keeps exactly imbalanced-learn's rows (same seeds for an int seed)."""
    X, y = DATA[data]
    a = ours.OneSidedSelection(sampling_strategy=strategy, random_state=3, **params)
    a.fit_resample(X, y)
    b = imb_under.OneSidedSelection(sampling_strategy=strategy, random_state=3, **params)
    b.fit_resample(X, y)
    assert set(a.sample_indices_.tolist()) == set(b.sample_indices_.tolist())


@pytest.mark.parametrize("data", ["binary", "overlap"])
@pytest.mark.parametrize("params", [{}, {"n_neighbors": 3}, {"n_neighbors": 2}])
def test_condensed_nearest_neighbour_keeps_imbalanced_learns_rows(data, params):
    """Check CNN keeps imbalanced-learn's rows where its index mix-up cannot act: the
    class being condensed occupies the first rows, so its row indices equal its
    positions (see docs/differences.md)."""
    X, y = DATA[data]
    order = np.argsort(y != 0, kind="stable")
    X, y = X[order], y[order]
    a = ours.CondensedNearestNeighbour(random_state=5, **params)
    a.fit_resample(X, y)
    b = imb_under.CondensedNearestNeighbour(random_state=5, **params)
    b.fit_resample(X, y)
    assert set(a.sample_indices_.tolist()) == set(b.sample_indices_.tolist())
