"""SMOTE-NC and SMOTE-N side by side with imbalanced-learn.

Same plans, the same penalty (``median_std_``), categorical values drawn with the same
distribution, continuous columns in the same places.
"""

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from smotelab import over_sampling as ours

imb_over = pytest.importorskip("imblearn.over_sampling")


def _data(n=3000, seed=0, n_classes=2):
    rng = np.random.default_rng(seed)
    y = rng.choice(n_classes, size=n, p=[0.8, 0.2] if n_classes == 2 else [0.6, 0.3, 0.1])
    df = pd.DataFrame({
        "a": rng.normal(y * 1.0, 1.0),
        "b": rng.normal(-y * 0.5, 2.0),
        # value frequencies depend on the class, so neighbours and votes matter
        "c": pd.Categorical(np.where(rng.random(n) < 0.3 + 0.4 * (y == 1),
                                     rng.choice(["p", "q"], n), rng.choice(["r", "s", "t"], n))),
        "d": pd.Categorical(rng.choice([f"v{i}" for i in range(8)], n,
                                       p=np.r_[0.3, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05])),
    })
    return df, y


def _shares(values):
    c = Counter(values)
    return {k: v / len(values) for k, v in c.items()}


def _total_variation(a, b):
    pa, pb = _shares(a), _shares(b)
    return 0.5 * sum(abs(pa.get(k, 0) - pb.get(k, 0)) for k in set(pa) | set(pb))


@pytest.mark.parametrize("strategy", ["auto", "minority", "all", 0.6])
def test_smotenc_same_plan_and_penalty(strategy):
    """Check the same counts and the same median_std_ per class."""
    X, y = _data()
    a = ours.SMOTENC(categorical_features=[2, 3], sampling_strategy=strategy, random_state=0)
    _, ya = a.fit_resample(X, y)
    b = imb_over.SMOTENC(categorical_features=[2, 3], sampling_strategy=strategy,
                         random_state=0)
    _, yb = b.fit_resample(X, y)
    assert Counter(ya.tolist()) == Counter(yb.tolist())
    assert a.median_std_.keys() == b.median_std_.keys()
    for c in a.median_std_:
        assert a.median_std_[c] == pytest.approx(b.median_std_[c])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_smotenc_same_distribution(n_classes):
    """Check the synthetic rows' categorical shares and continuous moments agree.

    Between two seeds of the same library the shares already differ by up to ~0.05 in
    total variation (a few hundred seeds, each with a fixed vote), hence 0.08.
    """
    X, y = _data(n_classes=n_classes)
    Xa, ya = ours.SMOTENC(categorical_features=[2, 3], random_state=0).fit_resample(X, y)
    Xb, yb = imb_over.SMOTENC(categorical_features=[2, 3], random_state=0).fit_resample(X, y)
    n = len(X)
    for c in np.unique(ya[n:]):
        A, B = Xa.iloc[n:][ya[n:] == c], Xb.iloc[n:][yb[n:] == c]
        for col in ("c", "d"):
            assert _total_variation(A[col].tolist(), B[col].tolist()) < 0.08, (c, col)
        for col in ("a", "b"):
            spread = X[col][y == c].std()
            assert abs(A[col].mean() - B[col].mean()) < 0.1 * spread
            assert A[col].std() == pytest.approx(B[col].std(), rel=0.1)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_smoten_same_plan_and_distribution(n_classes):
    """Check SMOTE-N's counts and per-column value shares agree.

    imbalanced-learn takes the smallest value on a tied vote where we draw one at
    random, so shares may differ a little where votes tie.
    """
    X, y = _data(n_classes=n_classes)
    Xc = X[["c", "d"]].astype(str).to_numpy(dtype=object)
    Xa, ya = ours.SMOTEN(random_state=0).fit_resample(Xc, y)
    Xb, yb = imb_over.SMOTEN(random_state=0).fit_resample(Xc, y)
    assert Counter(ya.tolist()) == Counter(yb.tolist())
    n = len(Xc)
    for c in np.unique(ya[n:]):
        for j in range(2):
            a = Xa[n:][ya[n:] == c, j].tolist()
            b = Xb[n:][yb[n:] == c, j].tolist()
            assert _total_variation(a, b) < 0.1, (c, j)


def test_numpy_mask_works_where_imblearn_needs_a_list():
    """Check a numpy boolean mask gives the same output as the list of positions."""
    X, y = _data()
    Xo = X.to_numpy(dtype=object)
    mask = np.array([False, False, True, True])
    a, _ = ours.SMOTENC(categorical_features=mask, random_state=0).fit_resample(Xo, y)
    b, _ = ours.SMOTENC(categorical_features=[2, 3], random_state=0).fit_resample(Xo, y)
    assert np.array_equal(a, b)
