"""SMOTE and RandomOverSampler side by side with imbalanced-learn.

Parity is statistical, not bit-for-bit: smotelab draws from independent per-class
streams, so the rows differ, but counts, neighbour sets, the distribution of synthetic
rows and downstream scores agree.
"""

from collections import Counter

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import NearestNeighbors

from smotelab.over_sampling import SMOTE, RandomOverSampler
from smotelab.pipeline import make_pipeline

imb_over = pytest.importorskip("imblearn.over_sampling")
imb_pipeline = pytest.importorskip("imblearn.pipeline")

STRATEGIES = ["auto", "minority", "not minority", "not majority", "all",
              {1: 300, 2: 200}, lambda y: {2: int(Counter(y)[0])}]


@pytest.fixture(scope="module")
def multiclass():
    return make_classification(n_samples=1000, n_classes=3, n_informative=4,
                               weights=[0.7, 0.2, 0.1], random_state=0)


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize(("ours", "theirs"), [(SMOTE, "SMOTE"),
                                              (RandomOverSampler, "RandomOverSampler")])
def test_counts_are_identical(multiclass, strategy, ours, theirs):
    """Check identical resulting class counts and sampling_strategy_."""
    X, y = multiclass
    a = ours(sampling_strategy=strategy, random_state=0)
    b = getattr(imb_over, theirs)(sampling_strategy=strategy, random_state=0)
    _, ya = a.fit_resample(X, y)
    _, yb = b.fit_resample(X, y)
    assert Counter(ya.tolist()) == Counter(yb.tolist())
    assert dict(a.sampling_strategy_) == dict(b.sampling_strategy_)


def test_binary_float_counts_are_identical():
    """Check a float strategy on two classes."""
    X, y = make_classification(n_samples=500, weights=[0.85], random_state=1)
    for ratio in (0.5, 0.8, 1.0):
        _, ya = SMOTE(sampling_strategy=ratio, random_state=0).fit_resample(X, y)
        _, yb = imb_over.SMOTE(sampling_strategy=ratio, random_state=0).fit_resample(X, y)
        assert Counter(ya.tolist()) == Counter(yb.tolist())


def test_neighbour_sets_are_imbalanced_learns(multiclass):
    """Check that every pair used is in imbalanced-learn's neighbour set, and all are used."""
    X, y = multiclass
    s = SMOTE(random_state=0, k_neighbors=5, sampling_strategy={1: 3000, 2: 3000})
    s.fit_resample(X, y)
    p = s.provenance_
    for label in (1, 2):
        members = np.flatnonzero(y == label)
        # what imbalanced-learn computes: k + 1 neighbours, the first dropped
        nn = NearestNeighbors(n_neighbors=6).fit(X[members]).kneighbors(
            X[members], return_distance=False)[:, 1:]
        theirs = {(members[i], members[j]) for i, row in enumerate(nn) for j in row}
        rows = p["class"] == label
        ours = set(zip(p["parent"][rows].tolist(), p["neighbor"][rows].tolist(), strict=True))
        assert ours <= theirs
        assert len(ours) > 0.9 * len(theirs)


def test_synthetic_distribution_matches(multiclass):
    """Check that the synthetic rows have the same mean and spread as imbalanced-learn's."""
    X, y = multiclass
    n = len(X)
    a, ya = SMOTE(random_state=0).fit_resample(X, y)
    b, yb = imb_over.SMOTE(random_state=0).fit_resample(X, y)
    for label in (1, 2):
        sa, sb = a[n:][ya[n:] == label], b[n:][yb[n:] == label]
        scale = X[y == label].std(axis=0)
        assert np.all(np.abs(sa.mean(0) - sb.mean(0)) < 0.1 * scale)
        ratio = sa.std(0) / sb.std(0)
        assert 0.93 < ratio.mean() < 1.07 and np.all((ratio > 0.75) & (ratio < 1.33)), ratio


@pytest.mark.parametrize("name", ["SMOTE", "RandomOverSampler"])
def test_downstream_scores_are_comparable(name):
    """Check that cross-validated F1 with our sampler is within 0.03 of imbalanced-learn's."""
    X, y = make_classification(n_samples=3000, weights=[0.95], n_informative=5,
                               flip_y=0.02, random_state=0)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    ours = make_pipeline(globals()[name](random_state=0), LogisticRegression())
    theirs = imb_pipeline.make_pipeline(getattr(imb_over, name)(random_state=0),
                                        LogisticRegression())
    fa = cross_val_score(ours, X, y, cv=cv, scoring="f1").mean()
    fb = cross_val_score(theirs, X, y, cv=cv, scoring="f1").mean()
    assert abs(fa - fb) < 0.03, (fa, fb)
