"""Borderline-SMOTE, ADASYN, SVM-SMOTE and K-Means SMOTE side by side with imbalanced-learn.

Same plan, same danger/noise sets, same support vectors, per-seed counts within one row,
synthetic rows in the same places (statistically), comparable downstream scores.
"""

from collections import Counter

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from smotelab import over_sampling as ours
from smotelab.pipeline import make_pipeline

imb_over = pytest.importorskip("imblearn.over_sampling")
imb_pipeline = pytest.importorskip("imblearn.pipeline")


@pytest.fixture(scope="module")
def multiclass():
    return make_classification(n_samples=1500, n_classes=3, n_informative=4,
                               weights=[0.7, 0.2, 0.1], flip_y=0.05, random_state=0)


@pytest.mark.parametrize("strategy", ["auto", "minority", "not majority", "all",
                                      {1: 500, 2: 400}])
@pytest.mark.parametrize("name", ["BorderlineSMOTE", "SVMSMOTE", "ADASYN", "KMeansSMOTE"])
def test_sampling_strategy_is_identical(multiclass, name, strategy):
    """Check the same sampling_strategy_ (the plan) for every strategy form."""
    X, y = multiclass
    a = getattr(ours, name)(sampling_strategy=strategy, random_state=0)
    a.fit_resample(X, y)
    b = getattr(imb_over, name)(sampling_strategy=strategy, random_state=0)
    b.fit(X, y)
    assert dict(a.sampling_strategy_) == dict(b.sampling_strategy_)


@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
def test_borderline_counts_and_danger_set_are_identical(noisy, multiclass, kind):
    """Check identical counts and imbalanced-learn's own danger test's answer."""
    for X, y in (noisy, multiclass):
        a = ours.BorderlineSMOTE(random_state=0, kind=kind)
        b = imb_over.BorderlineSMOTE(random_state=0, kind=kind)
        _, ya = a.fit_resample(X, y)
        _, yb = b.fit_resample(X, y)
        assert Counter(ya.tolist()) == Counter(yb.tolist())
        for label in a.sampling_strategy_:
            members = np.flatnonzero(y == label)
            b.nn_m_.fit(X)
            danger = b._in_danger_noise(b.nn_m_, X[members], label, y, kind="danger")
            assert np.array_equal(a.in_danger_indices_[label], members[danger])


def test_adasyn_per_seed_counts_are_within_one_of_imbalanced_learns(noisy):
    """Check ADASYN's seeds: ours add up exactly, theirs are rounded shares."""
    X, y = noisy
    a = ours.ADASYN(random_state=0)
    a.fit_resample(X, y)
    b = imb_over.ADASYN(random_state=0)
    _, yb = b.fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    ours_counts = np.bincount(a.provenance_["parent"], minlength=len(X))[minority]
    # imbalanced-learn keeps no record; its rule is rint(normalised ratio * n)
    b.nn_.fit(X)
    nn = b.nn_.kneighbors(X[minority], return_distance=False)[:, 1:]
    ratio = (y[nn] != 1).sum(axis=1) / 5
    theirs = np.rint(ratio / ratio.sum() * a.sampling_strategy_[1]).astype(int)
    assert np.abs(ours_counts - theirs).max() <= 1
    assert ours_counts.sum() == a.sampling_strategy_[1]
    assert abs(int(theirs.sum()) - (Counter(yb.tolist())[1] - len(minority))) == 0


def test_svmsmote_support_vectors_are_imbalanced_learns(noisy):
    """Check the seeds come from the same support vectors (same SVC, all rows)."""
    X, y = noisy
    a = ours.SVMSMOTE(random_state=0)
    a.fit_resample(X, y)
    b = imb_over.SVMSMOTE(random_state=0)
    b.fit_resample(X, y)
    sv = b.svm_estimator_.support_
    sv = np.sort(sv[y[sv] == 1])
    b.nn_m_.fit(X)
    noise = b._in_danger_noise(b.nn_m_, X[sv], 1, y, kind="noise")
    assert np.array_equal(a.support_indices_[1], sv[~noise])


@pytest.mark.parametrize("name", ["BorderlineSMOTE", "ADASYN"])
def test_synthetic_rows_land_in_the_same_places(noisy, name):
    """Check the synthetic rows' mean and spread against imbalanced-learn's.

    (SVM-SMOTE differs on purpose: every support vector is an equally likely seed,
    where imbalanced-learn splits the rows half and half between danger and safe ones.)
    """
    X, y = noisy
    n = len(X)
    a, _ = getattr(ours, name)(random_state=0).fit_resample(X, y)
    b, _ = getattr(imb_over, name)(random_state=0).fit_resample(X, y)
    sa, sb = a[n:], b[n:]
    scale = X[y == 1].std(axis=0)
    assert np.all(np.abs(sa.mean(0) - sb.mean(0)) < 0.15 * scale)
    ratio = sa.std(0) / sb.std(0)
    assert np.all((ratio > 0.8) & (ratio < 1.25)), ratio


@pytest.mark.parametrize("name", ["BorderlineSMOTE", "ADASYN", "SVMSMOTE", "KMeansSMOTE"])
def test_downstream_scores_are_comparable(name):
    """Check cross-validated F1 within 0.03 of imbalanced-learn's (KMeans: where it runs)."""
    X, y = make_classification(n_samples=3000, weights=[0.95], n_informative=5,
                               flip_y=0.02, random_state=0)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    kw = {}
    if name == "KMeansSMOTE":  # the same clustering and exponent (see the allocation test)
        from sklearn.cluster import MiniBatchKMeans

        kw = {"cluster_balance_threshold": 0.05, "density_exponent": 6.0,
              "kmeans_estimator": MiniBatchKMeans(random_state=0)}
    a = make_pipeline(getattr(ours, name)(random_state=0, **kw), LogisticRegression())
    b = imb_pipeline.make_pipeline(getattr(imb_over, name)(random_state=0, **kw),
                                   LogisticRegression())
    fa = cross_val_score(a, X, y, cv=cv, scoring="f1").mean()
    fb = cross_val_score(b, X, y, cv=cv, scoring="f1").mean()
    assert abs(fa - fb) < 0.03, (fa, fb)


def test_kmeans_smote_runs_where_imbalanced_learns_default_fails():
    """Check the textbook example: imbalanced-learn's defaults refuse it, ours resample."""
    X, y = make_classification(n_samples=2000, n_features=20, n_informative=15,
                               n_clusters_per_class=3, weights=[0.95, 0.05], flip_y=0.1,
                               random_state=42)
    with pytest.raises(RuntimeError, match="No clusters found"):
        imb_over.KMeansSMOTE(random_state=0).fit_resample(X, y)
    _, y_res = ours.KMeansSMOTE(random_state=0).fit_resample(X, y)
    assert Counter(y_res.tolist())[1] == Counter(y.tolist())[0]


def test_kmeans_smote_allocation_matches_with_the_same_clusters_and_exponent():
    """Check rows per cluster: ours exact (largest remainders), theirs rounded up."""
    from sklearn.cluster import MiniBatchKMeans

    X, y = make_classification(n_samples=3000, weights=[0.95], n_informative=5,
                               flip_y=0.02, random_state=0)
    kw = {"cluster_balance_threshold": 0.05, "density_exponent": 3.0}
    a = ours.KMeansSMOTE(random_state=0, kmeans_estimator=MiniBatchKMeans(random_state=0),
                         **kw)
    Xa, _ = a.fit_resample(X, y)
    b = imb_over.KMeansSMOTE(random_state=0, **kw)
    Xb, _ = b.fit_resample(X, y)
    assert np.array_equal(a.kmeans_estimator_.labels_, b.kmeans_estimator_.labels_)
    theirs = Counter(b.kmeans_estimator_.predict(Xb[len(X):]).tolist())
    mine = a.cluster_allocation_[1]
    assert set(theirs) == set(mine)
    assert all(0 <= theirs[c] - mine[c] <= 1 for c in mine), (theirs, mine)
    assert sum(mine.values()) == a.sampling_strategy_[1]
