"""Geometric SMOTE: rows inside truncated, deformed spheres (Douzas and Bacao, 2019)."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotelab.over_sampling import GeometricSMOTE
from smotelab.over_sampling._geometric import geometric_points


@pytest.fixture
def data():
    return make_classification(n_samples=600, n_features=3, n_informative=3, n_redundant=0,
                               weights=[0.85], random_state=1)


def _geometry(X, X_res, s, n):
    p = s.provenance_
    c, surf, new = X[p["parent"]], X[p["neighbor"]], X_res[n:]
    axis = surf - c
    radius = np.linalg.norm(axis, axis=1)
    along = np.einsum("ij,ij->i", new - c, axis) / np.where(radius > 0, radius, 1)
    return p, radius, along, np.linalg.norm(new - c, axis=1)


def test_default_rows_fill_the_half_ball_toward_the_surface(data):
    """Check truncation 1: inside the sphere and on the surface point's side of the center."""
    X, y = data
    s = GeometricSMOTE(random_state=0)
    X_res, _ = s.fit_resample(X, y)
    p, radius, along, reach = _geometry(X, X_res, s, len(X))
    assert (reach <= radius + 1e-9).all() and (along >= -1e-9).all()
    # uniform in a 3-D half-ball: the distance share r has P(r < t) = t**3
    share = p["step"][radius > 0]
    assert abs(np.mean(share ** 3) - 0.5) < 0.03


def test_combined_takes_the_closer_surface_point(data):
    """Check 'combined': the surface is the closer of a class neighbour and the nearest
    other-class row, so no row reaches past the nearest other-class row."""
    X, y = data
    s = GeometricSMOTE(random_state=0)
    X_res, _ = s.fit_resample(X, y)
    p = s.provenance_
    others = X[y == 0]
    nearest_other = np.array([np.min(np.linalg.norm(others - X[i], axis=1))
                              for i in p["parent"]])
    radius = np.linalg.norm(X[p["neighbor"]] - X[p["parent"]], axis=1)
    assert (radius <= nearest_other + 1e-9).all()
    assert (y[p["neighbor"]] == 0).any() and (y[p["neighbor"]] == 1).any()


def test_majority_uses_the_nearest_other_class_row(data):
    """Check 'majority': the surface point is the parent's nearest row of another class."""
    X, y = data
    s = GeometricSMOTE(random_state=0, selection_strategy="majority")
    s.fit_resample(X, y)
    p = s.provenance_
    others = np.flatnonzero(y == 0)
    for r in range(0, len(p["parent"]), 41):
        d = np.linalg.norm(X[others] - X[p["parent"][r]], axis=1)
        assert p["neighbor"][r] == others[np.argmin(d)]


def test_minority_surface_is_a_class_neighbour(data):
    """Check 'minority': the surface point is one of the k nearest of the class."""
    X, y = data
    s = GeometricSMOTE(random_state=0, selection_strategy="minority", k_neighbors=3)
    s.fit_resample(X, y)
    p = s.provenance_
    mine = np.flatnonzero(y == 1)
    for r in range(0, len(p["parent"]), 37):
        d = np.linalg.norm(X[mine] - X[p["parent"][r]], axis=1)
        d[mine == p["parent"][r]] = np.inf
        assert np.linalg.norm(X[p["neighbor"][r]] - X[p["parent"][r]]) <= np.sort(d)[2] + 1e-12


def test_full_deformation_is_a_smote_segment():
    """Check deformation 1 with truncation 1: every point lies on the center-surface segment."""
    rng = np.random.default_rng(0)
    c, s = rng.normal(size=(200, 4)), rng.normal(size=(200, 4))
    pts = geometric_points(c, s, rng.normal(size=(200, 4)), rng.random(200), 1.0, 1.0)
    t = np.einsum("ij,ij->i", pts - c, s - c) / np.einsum("ij,ij->i", s - c, s - c)
    np.testing.assert_allclose(pts, c + t[:, None] * (s - c), atol=1e-12)
    assert ((t >= 0) & (t <= 1)).all()


def test_negative_truncation_keeps_the_far_side():
    """Check truncation -1: every point on the side away from the surface point."""
    rng = np.random.default_rng(1)
    c, s = rng.normal(size=(300, 3)), rng.normal(size=(300, 3))
    pts = geometric_points(c, s, rng.normal(size=(300, 3)), rng.random(300), -1.0, 0.0)
    assert (np.einsum("ij,ij->i", pts - c, s - c) <= 1e-12).all()


def test_same_seed_same_rows_and_sparse_matches_dense(data):
    """Check determinism and CSR input."""
    import scipy.sparse as sp

    X, y = data
    a = GeometricSMOTE(random_state=2).fit_resample(X, y)[0]
    b = GeometricSMOTE(random_state=2).fit_resample(sp.csr_matrix(X), y)[0]
    c = GeometricSMOTE(random_state=3).fit_resample(X, y)[0]
    np.testing.assert_allclose(b.toarray(), a)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize(("params", "match"), [({"truncation_factor": 1.5}, "truncation"),
                                               ({"deformation_factor": -0.1}, "deformation"),
                                               ({"selection_strategy": "all"}, "selection")])
def test_bad_parameters(data, params, match):
    """Check that out-of-range parameters are refused by name."""
    X, y = data
    with pytest.raises(ValueError, match=match):
        GeometricSMOTE(**params).fit_resample(X, y)
