"""SMOBD: seeds weighted by the class's density, noise left out (Cao and Wang)."""

import numpy as np
import pytest
from sklearn.cluster import OPTICS
from sklearn.datasets import make_classification

from smotelab.over_sampling import SMOBD
from smotelab.over_sampling._smobd import density_weights


@pytest.fixture
def data():
    X, y = make_classification(n_samples=800, n_features=3, n_informative=3, n_redundant=0,
                               weights=[0.85], random_state=3)
    return X, y


def test_weights_follow_the_definition(data):
    """Check the weights against OPTICS and a radius count computed here."""
    X, y = data
    Xc = X[y == 1]
    w, noise = density_weights(Xc, 5, 1.0, 0.5, 1.8)
    optics = OPTICS(min_samples=5, max_eps=1.0).fit(Xc)
    core = optics.core_distances_.copy()
    core[~np.isfinite(core)] = 1.1 * core[np.isfinite(core)].max()
    d = np.linalg.norm(Xc[:, None] - Xc[None], axis=-1)
    count = (d <= 1.0).sum(1)
    expected = 0.5 * core / core.max() + 0.5 * count / count.max()
    expected[noise] = 0
    np.testing.assert_allclose(w, expected)


def test_noise_gets_no_rows_and_counts_follow_the_weights():
    """Check that an isolated sample is noise and seeds nothing; counts are exact."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(40, 2)) * 0.3, [[6.0, 6.0]], rng.normal(size=(300, 2)) + 3])
    y = np.r_[np.ones(41, int), np.zeros(300, int)]
    s = SMOBD(random_state=0, max_eps=3.0)
    _, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res)[1] == 300
    assert s.noise_[1][40] and 40 not in s.provenance_["parent"]


def test_rows_are_smote_rows_toward_near_samples(data):
    """Check that rows lie between a seed and one of its min_samples nearest."""
    X, y = data
    s = SMOBD(random_state=0, min_samples=4)
    X_res, _ = s.fit_resample(X, y)
    p = s.provenance_
    np.testing.assert_allclose(X_res[len(X):], X[p["parent"]] + p["step"][:, None]
                               * (X[p["neighbor"]] - X[p["parent"]]))
    mine = np.flatnonzero(y == 1)
    for r in range(0, len(p["parent"]), 53):
        d = np.linalg.norm(X[mine] - X[p["parent"][r]], axis=1)
        d[mine == p["parent"][r]] = np.inf
        assert np.linalg.norm(X[p["neighbor"][r]] - X[p["parent"][r]]) <= np.sort(d)[3] + 1e-12


def test_small_classes_use_fewer_neighbours():
    """Check that a class of 3 samples still gets its rows."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 2))
    y = np.r_[np.ones(3, int), np.zeros(47, int)]
    _, y_res = SMOBD(random_state=0).fit_resample(X, y)
    assert np.bincount(y_res)[1] == 47


@pytest.mark.parametrize(("params", "match"), [({"eta": 1.5}, "eta"), ({"max_eps": 0}, "max_eps"),
                                               ({"min_samples": 1}, "min_samples")])
def test_bad_parameters(data, params, match):
    """Check that out-of-range parameters are refused by name."""
    X, y = data
    with pytest.raises(ValueError, match=match):
        SMOBD(**params).fit_resample(X, y)
