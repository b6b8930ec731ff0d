"""Over-sampling followed by cleaning: composition, provenance after cleaning, parity."""

from collections import Counter

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from smotelab.combine import SMOTEENN, OverThenClean, SMOTETomek
from smotelab.over_sampling import ADASYN, SMOTE, SVMSMOTE
from smotelab.pipeline import make_pipeline
from smotelab.under_sampling import EditedNearestNeighbours, TomekLinks


def test_smoteenn_is_smote_then_enn(noisy):
    """Check the default is exactly SMOTE followed by ENN(sampling_strategy='all')."""
    X, y = noisy
    s = SMOTEENN(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    X_mid, y_mid = SMOTE(random_state=0).fit_resample(X, y)
    X_ref, y_ref = EditedNearestNeighbours(sampling_strategy="all").fit_resample(X_mid, y_mid)
    assert np.array_equal(X_res, X_ref) and np.array_equal(y_res, y_ref)
    assert isinstance(s.smote_, SMOTE) and isinstance(s.enn_, EditedNearestNeighbours)


@pytest.mark.parametrize("make", [
    lambda: SMOTEENN(random_state=0),
    lambda: SMOTETomek(random_state=0),
    lambda: SMOTEENN(smote=ADASYN(random_state=1), enn=TomekLinks(sampling_strategy="all")),
    lambda: OverThenClean(SVMSMOTE(random_state=0), EditedNearestNeighbours()),
], ids=["smoteenn", "smotetomek", "adasyn+tomek", "svm+enn"])
def test_provenance_stays_readable_after_cleaning(noisy, make):
    """Check which synthetic rows survived and that each is rebuilt from its parents."""
    X, y = noisy
    s = make()
    X_res, y_res = s.fit_resample(X, y)
    n = len(s.sample_indices_)
    assert np.array_equal(X_res[:n], X[s.sample_indices_])
    p = s.provenance_
    assert len(p["parent"]) == len(X_res) - n == s.synthetic_kept_.sum()
    rebuilt = X[p["parent"]] + p["step"][:, None] * (X[p["neighbor"]] - X[p["parent"]])
    np.testing.assert_allclose(X_res[n:], rebuilt)
    assert np.array_equal(y_res[n:], p["class"])
    over = s.over_sampler_
    assert np.array_equal(p["parent"], over.provenance_["parent"][s.synthetic_kept_])


def test_any_sampler_without_provenance_still_combines(noisy):
    """Check a cleaner after a selection (RandomUnderSampler): indices compose."""
    from smotelab.under_sampling import RandomUnderSampler

    X, y = noisy
    s = OverThenClean(RandomUnderSampler(random_state=0), TomekLinks(sampling_strategy="all"))
    X_res, y_res = s.fit_resample(X, y)
    assert not hasattr(s, "provenance_")
    assert np.array_equal(X_res, X[s.sample_indices_])  # a selection of a selection
    assert np.array_equal(y_res, y[s.sample_indices_])


def test_combinations_compare_with_imbalanced_learn(noisy):
    """Check the same plan and comparable downstream F1 (within 0.03)."""
    imb = pytest.importorskip("imblearn.combine")
    imb_pipeline = pytest.importorskip("imblearn.pipeline")
    X, y = noisy
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    for ours, theirs in ((SMOTEENN, imb.SMOTEENN), (SMOTETomek, imb.SMOTETomek)):
        a, b = ours(random_state=0), theirs(random_state=0)
        _, ya = a.fit_resample(X, y)
        _, yb = b.fit_resample(X, y)
        assert dict(a.smote_.sampling_strategy_) == dict(b.smote_.sampling_strategy_)
        ca, cb = Counter(ya.tolist()), Counter(yb.tolist())
        assert all(abs(ca[c] - cb[c]) <= 0.05 * cb[c] for c in cb), (ca, cb)
        fa = cross_val_score(make_pipeline(ours(random_state=0), LogisticRegression()), X, y,
                             cv=cv, scoring="f1").mean()
        fb = cross_val_score(imb_pipeline.make_pipeline(theirs(random_state=0),
                                                        LogisticRegression()),
                             X, y, cv=cv, scoring="f1").mean()
        assert abs(fa - fb) < 0.03, (fa, fb)
