"""LeeSMOTE: SMOTE candidates, kept only where their class is not outnumbered."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotelab.over_sampling import SMOTE, LeeSMOTE


@pytest.fixture
def data():
    return make_classification(n_samples=800, n_features=4, n_informative=3, n_redundant=0,
                               weights=[0.88], flip_y=0.08, class_sep=0.7, random_state=2)


def _other_share(X, y, rows, label, m):
    d = ((rows[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    nn = np.argsort(d, axis=1, kind="stable")[:, :m]
    return (y[nn] != label).mean(axis=1)


def test_every_kept_row_passes_the_rejection_rule(data):
    """Check each synthetic row against a brute-force count of its m nearest input rows."""
    X, y = data
    s = LeeSMOTE(random_state=0, m_neighbors=6, rejection_level=0.5)
    X_res, y_res = s.fit_resample(X, y)
    new = X_res[len(X):]
    assert len(new) == (y == 0).sum() - (y == 1).sum()
    assert (_other_share(X, y, new, 1, 6) < s.rejection_levels_[1] + 1e-12).all()
    assert s.rejection_levels_[1] == 0.5 and s.n_rejected_[1] > 0


def test_rows_are_smote_rows(data):
    """Check that kept rows lie between a sample and one of its k nearest of its class."""
    X, y = data
    s = LeeSMOTE(random_state=1, k_neighbors=4)
    X_res, _ = s.fit_resample(X, y)
    p = s.provenance_
    rebuilt = X[p["parent"]] + p["step"][:, None] * (X[p["neighbor"]] - X[p["parent"]])
    np.testing.assert_allclose(X_res[len(X):], rebuilt)
    minority = np.flatnonzero(y == 1)
    for r in range(0, len(p["parent"]), 37):
        a = p["parent"][r]
        d = ((X[minority] - X[a]) ** 2).sum(1)
        d[minority == a] = np.inf
        assert ((X[p["neighbor"][r]] - X[a]) ** 2).sum() <= np.sort(d)[3] + 1e-12


def test_rejection_rejects_more_than_smote_would_place_there(data):
    """Check that fewer Lee rows than SMOTE rows lie where the other class dominates."""
    X, y = data
    lee = LeeSMOTE(random_state=0).fit_resample(X, y)[0][len(X):]
    smote = SMOTE(random_state=0).fit_resample(X, y)[0][len(X):]
    bad_lee = (_other_share(X, y, lee, 1, 5) >= 0.5).mean()
    bad_smote = (_other_share(X, y, smote, 1, 5) >= 0.5).mean()
    assert bad_lee == 0 < bad_smote


def test_the_level_rises_when_nothing_can_pass():
    """Check that a class inside the other one still gets its rows, at a raised level."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(20, 2)) * 0.1, rng.normal(size=(400, 2)) * 0.1])
    y = np.r_[np.ones(20, int), np.zeros(400, int)]
    s = LeeSMOTE(random_state=0, rejection_level=0.2)
    _, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res)[1] == 400
    assert s.rejection_levels_[1] > 0.2


def test_same_seed_same_rows(data):
    """Check determinism from random_state."""
    X, y = data
    a = LeeSMOTE(random_state=3).fit_resample(X, y)[0]
    b = LeeSMOTE(random_state=3).fit_resample(X, y)[0]
    c = LeeSMOTE(random_state=4).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize(("params", "match"), [({"rejection_level": 0.0}, "rejection_level"),
                                               ({"rejection_level": 1.5}, "rejection_level"),
                                               ({"m_neighbors": 0}, "m_neighbors")])
def test_bad_parameters(data, params, match):
    """Check that out-of-range parameters are refused by name."""
    X, y = data
    with pytest.raises(ValueError, match=match):
        LeeSMOTE(**params).fit_resample(X, y)


def test_sparse_matches_dense(data):
    """Check that CSR input gives the dense rows."""
    import scipy.sparse as sp

    X, y = data
    dense = LeeSMOTE(random_state=0).fit_resample(X, y)[0]
    out = LeeSMOTE(random_state=0).fit_resample(sp.csr_matrix(X), y)[0]
    np.testing.assert_allclose(out.toarray(), dense)
