"""PolynomFitSMOTE: star, bus, mesh and polynomial topologies (Gazzah and Ben Amara)."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotelab.exceptions import NotEnoughSamplesError
from smotelab.over_sampling import PolynomFitSMOTE


@pytest.fixture
def data():
    return make_classification(n_samples=400, n_features=4, weights=[0.9], random_state=5)


def test_star_rows_are_evenly_spaced_toward_the_class_mean(data):
    """Check star: each sample's rows at j/(c+1) of the way to the class mean."""
    X, y = data
    s = PolynomFitSMOTE(topology="star")
    X_res, _ = s.fit_resample(X, y)
    mean = X[y == 1].mean(axis=0)
    np.testing.assert_allclose(s.class_means_[1], mean)
    p = s.provenance_
    np.testing.assert_allclose(X_res[len(X):], X[p["parent"]] + p["step"][:, None]
                               * (mean - X[p["parent"]]))
    for parent in np.unique(p["parent"]):
        steps = np.sort(p["step"][p["parent"] == parent])
        c = len(steps)
        np.testing.assert_allclose(steps, np.arange(1, c + 1) / (c + 1))
    counts = np.bincount(p["parent"])[np.flatnonzero(y == 1)]
    assert counts.max() - counts.min() <= 1 and (p["neighbor"] == -1).all()


def test_bus_rows_join_consecutive_samples(data):
    """Check bus: rows on the segment from each sample to the next one in input order."""
    X, y = data
    s = PolynomFitSMOTE(topology="bus")
    X_res, _ = s.fit_resample(X, y)
    members = np.flatnonzero(y == 1)
    nxt = dict(zip(members[:-1], members[1:], strict=True))
    p = s.provenance_
    assert all(nxt[a] == b for a, b in zip(p["parent"], p["neighbor"], strict=True))
    np.testing.assert_allclose(X_res[len(X):], X[p["parent"]] + p["step"][:, None]
                               * (X[p["neighbor"]] - X[p["parent"]]))


def test_star_and_bus_draw_nothing(data):
    """Check that star and bus give the same rows for any random_state."""
    X, y = data
    for topology in ("star", "bus"):
        a = PolynomFitSMOTE(topology=topology, random_state=0).fit_resample(X, y)[0]
        b = PolynomFitSMOTE(topology=topology, random_state=9).fit_resample(X, y)[0]
        np.testing.assert_array_equal(a, b)


def test_mesh_pairs_any_two_samples(data):
    """Check mesh: partners of a sample range over many others of the class."""
    X, y = data
    s = PolynomFitSMOTE(topology="mesh", random_state=0, sampling_strategy={1: 2000})
    s.fit_resample(X, y)
    p = s.provenance_
    assert (p["parent"] != p["neighbor"]).all() and (y[p["neighbor"]] == 1).all()
    assert len(np.unique(p["neighbor"])) == (y == 1).sum()


def test_curve_rows_lie_on_the_fitted_curves(data):
    """Check curve_d: each feature of a row is the degree-d fit at the row's position."""
    X, y = data
    s = PolynomFitSMOTE(topology="curve_2", random_state=0)
    X_res, _ = s.fit_resample(X, y)
    members = np.flatnonzero(y == 1)
    order = members[np.argsort(X[members].mean(axis=1), kind="stable")]
    idx = np.arange(len(order), dtype=float)
    coef = np.polynomial.polynomial.polyfit(idx, X[order], 2)
    p = s.provenance_
    rank = {r: i for i, r in enumerate(order)}
    t = np.array([rank[r] for r in p["parent"]]) + p["step"]
    np.testing.assert_allclose(X_res[len(X):], np.polynomial.polynomial.polyval(t, coef).T)


def test_polynomial_features_take_independent_positions(data):
    """Check poly_1: each feature is its fitted line at its own uniform position in
    [0, n); the first feature's is the provenance's, the others are independent of it."""
    X, y = data
    s = PolynomFitSMOTE(topology="poly_1", random_state=0,
                        sampling_strategy={1: 4000})
    X_res, _ = s.fit_resample(X, y)
    members = np.flatnonzero(y == 1)
    order = members[np.argsort(X[members].mean(axis=1), kind="stable")]
    n = len(order)
    coef = np.polynomial.polynomial.polyfit(np.arange(n, dtype=float), X[order], 1)
    positions = (X_res[len(X):] - coef[0]) / coef[1]  # each line inverted
    assert positions.min() >= -1e-9 and positions.max() < n + 1e-9
    rank = {r: i for i, r in enumerate(order)}
    p = s.provenance_
    first = np.array([rank[r] for r in p["parent"]]) + p["step"]
    np.testing.assert_allclose(positions[:, 0], first, atol=1e-9)
    corr = np.corrcoef(positions, rowvar=False)[np.triu_indices(X.shape[1], 1)]
    assert np.abs(corr).max() < 0.1  # on the curve they would all be 1
    assert abs(positions.mean() - n / 2) < 0.05 * n


@pytest.mark.parametrize("topology", ["ring", "poly_0", "poly_x", "star "])
def test_bad_topology_is_refused(data, topology):
    """Check that an unknown topology names the choices."""
    X, y = data
    with pytest.raises(ValueError, match="poly_<degree>"):
        PolynomFitSMOTE(topology=topology).fit_resample(X, y)


def test_too_few_samples_for_the_degree():
    """Check that a class too small for the degree gets exact curves of a lower degree,
    with a warning, and a one-sample class a clear error."""
    from smotelab.exceptions import SmotelabWarning

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = np.r_[np.ones(3, int), np.zeros(37, int)]
    with pytest.warns(SmotelabWarning, match="curves have degree 2"):
        s = PolynomFitSMOTE(topology="poly_3", random_state=0)
        s.fit_resample(X, y)
    PolynomFitSMOTE(topology="poly_2").fit_resample(X, y)
    with pytest.raises(NotEnoughSamplesError, match="needs at least 2"):
        PolynomFitSMOTE(topology="star").fit_resample(X, np.r_[1, np.zeros(39, int)])
