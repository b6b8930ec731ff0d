"""The opt-in approximate neighbour search: its contract, its recall report, its use."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError

from smotelab.combine import SMOTEENN
from smotelab.exceptions import DataValidationError, LowRecallError
from smotelab.neighbors import ApproximateNeighbors, exact_kneighbors
from smotelab.over_sampling import SMOTE
from smotelab.under_sampling import EditedNearestNeighbours


def _blobs(n=3000, d=10, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d))


def _true_recall(X, dist, k, queries=None):
    """Share of the true k nearest found, ties at the k-th distance counting as found."""
    true_d, _ = exact_kneighbors(X, k, queries)
    found = np.minimum((dist <= true_d[:, -1:] * (1 + 1e-12)).sum(axis=1), k)
    return found.sum() / (len(dist) * k)


def _check_contract(X, dist, ind, self_rows=None):
    """Sorted true distances, no repeated row, never the query's own row."""
    assert (np.diff(dist, axis=1) >= 0).all()
    assert all(len(set(r)) == len(r) for r in ind.tolist())
    Q = X if self_rows is None else X[self_rows]
    np.testing.assert_allclose(dist, np.linalg.norm(Q[:, None, :] - X[ind], axis=2),
                               rtol=1e-12, atol=1e-12)
    if self_rows is not None:
        assert (ind != np.asarray(self_rows)[:, None]).all()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_probing_every_cell_is_the_exact_search(dtype):
    X = _blobs().astype(dtype)
    nn = ApproximateNeighbors(5, n_cells=25, n_probe=25).fit(X)
    dist, ind = nn.kneighbors()
    true_d, true_i = exact_kneighbors(X, 5)
    np.testing.assert_array_equal(ind, true_i)
    np.testing.assert_allclose(dist, true_d, rtol=1e-12)
    Q = _blobs(200, seed=1).astype(dtype)
    dist, ind = nn.kneighbors(Q, n_neighbors=3)
    np.testing.assert_array_equal(ind, exact_kneighbors(X, 3, Q)[1])
    assert nn.recall_ == 1.0 and nn.n_recall_queries_ == 1000 + 200


def test_reported_recall_is_the_measured_one():
    X = _blobs()
    nn = ApproximateNeighbors(4, n_cells=60, n_probe=3, recall_sample=5000).fit(X)
    dist, ind = nn.kneighbors()  # every query checked: the report is exact
    _check_contract(X, dist, ind, np.arange(len(X)))
    truth = _true_recall(X, dist, 4)
    assert 0.3 < truth < 0.95  # a real approximation, not the exact answer
    assert nn.recall_ == pytest.approx(truth, abs=1e-12)
    sampled = ApproximateNeighbors(4, n_cells=60, n_probe=3, recall_sample=500).fit(X)
    sampled.kneighbors()
    assert sampled.n_recall_queries_ == 500
    assert sampled.recall_ == pytest.approx(truth, abs=0.05)  # ~4 standard errors


def test_recall_accumulates_over_queries_and_resets_on_fit():
    X = _blobs(1500)
    nn = ApproximateNeighbors(3, n_cells=40, n_probe=2).fit(X)
    Q1, Q2 = _blobs(300, seed=1), _blobs(500, seed=2)
    d1, _ = nn.kneighbors(Q1)
    d2, _ = nn.kneighbors(Q2)
    found = (_true_recall(X, d1, 3, Q1) * 300 + _true_recall(X, d2, 3, Q2) * 500) / 800
    assert nn.recall_ == pytest.approx(found, abs=1e-12)
    assert nn.n_recall_queries_ == 800
    nn.fit(X)
    assert (nn.recall_, nn.n_recall_queries_) == (1.0, 0)


def test_more_probes_find_more():
    X = _blobs(4000, d=16)
    recalls = []
    for p in (1, 4, 16):
        nn = ApproximateNeighbors(5, n_cells=64, n_probe=p).fit(X)
        nn.kneighbors()
        recalls.append(nn.recall_)
    assert recalls[0] < recalls[1] < recalls[2]


def test_same_seed_same_answer_and_clone():
    X = _blobs(2000)
    a = ApproximateNeighbors(4, n_probe=2, random_state=3).fit(X).kneighbors()
    b = clone(ApproximateNeighbors(4, n_probe=2, random_state=3)).fit(X).kneighbors()
    c = ApproximateNeighbors(4, n_probe=2, random_state=4).fit(X).kneighbors()
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_cells_smaller_than_k_fall_back_to_exact():
    X = _blobs(300, d=3)
    nn = ApproximateNeighbors(6, n_cells=300, n_probe=1).fit(X)  # one row per cell
    dist, ind = nn.kneighbors()
    np.testing.assert_array_equal(ind, exact_kneighbors(X, 6)[1])
    assert nn.recall_ == 1.0


def test_duplicates_are_neighbours_but_never_self():
    X = np.repeat(_blobs(100, d=2), 3, axis=0)
    nn = ApproximateNeighbors(2, n_cells=10, n_probe=10).fit(X)
    dist, ind = nn.kneighbors()
    assert (dist == 0).all()
    _check_contract(X, dist, ind, np.arange(len(X)))
    rows = np.array([5, 7, 200])
    np.testing.assert_array_equal(nn.kneighbors_rows(rows, 2)[1], ind[rows])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 80), d=st.integers(1, 5), k=st.integers(1, 4),
       cells=st.integers(1, 12), probe=st.integers(1, 12), seed=st.integers(0, 5),
       discrete=st.booleans())
def test_any_shape_meets_the_contract(n, d, k, cells, probe, seed, discrete):
    X = np.random.default_rng(seed).normal(size=(n, d))
    if discrete:
        X = np.round(X)  # many ties and duplicates
    k = min(k, n - 1)
    nn = ApproximateNeighbors(k, n_cells=cells, n_probe=probe, random_state=seed).fit(X)
    dist, ind = nn.kneighbors()
    _check_contract(X, dist, ind, np.arange(n))
    assert nn.recall_ == pytest.approx(_true_recall(X, dist, k), abs=1e-12)
    if probe >= nn.n_cells_:
        assert nn.recall_ == 1.0


def test_min_recall_turns_a_low_recall_into_an_error():
    X = _blobs()
    nn = ApproximateNeighbors(4, n_cells=60, n_probe=1, min_recall=0.99).fit(X)
    with pytest.raises(LowRecallError, match=r"below min_recall=0\.99.*Raise n_probe"):
        nn.kneighbors()
    with pytest.raises(RuntimeError):  # a built-in base, for code that catches those
        nn.kneighbors(X[:10])


def test_bad_input_is_refused_clearly():
    X = _blobs(100)
    with pytest.raises(NotFittedError, match="call fit"):
        ApproximateNeighbors().kneighbors(X)
    with pytest.raises(TypeError, match="dense arrays only"):
        ApproximateNeighbors().fit(sp.csr_matrix(X))
    bad = X.copy()
    bad[3, 2] = np.nan
    with pytest.raises(DataValidationError, match="NaN"):
        ApproximateNeighbors().fit(bad)
    nn = ApproximateNeighbors().fit(X)
    with pytest.raises(ValueError, match="only 99 are available"):
        nn.kneighbors(n_neighbors=100)
    with pytest.raises(DataValidationError, match="fitted on 10"):
        nn.kneighbors(X[:, :3])
    with pytest.raises(ValueError, match="n_probe"):
        ApproximateNeighbors(n_probe=0).fit(X)


def test_cleaner_with_every_cell_probed_equals_the_exact_one():
    X, y = make_classification(3000, weights=[0.85], flip_y=0.05, random_state=0)
    exact = EditedNearestNeighbours(sampling_strategy="all")
    exact.fit_resample(X, y)
    enn = EditedNearestNeighbours(sampling_strategy="all",
                                  n_neighbors=ApproximateNeighbors(4, n_cells=20, n_probe=20))
    enn.fit_resample(X, y)
    np.testing.assert_array_equal(enn.sample_indices_, exact.sample_indices_)
    assert enn.nn_.recall_ == 1.0


def test_samplers_report_the_recall_of_their_search():
    X, y = make_classification(4000, n_features=12, weights=[0.9], flip_y=0.02,
                               random_state=1)
    sm = SMOTE(k_neighbors=ApproximateNeighbors(6, n_probe=2), random_state=0)
    X_res, y_res = sm.fit_resample(X, y)
    assert 0 < sm.nn_k_.recall_ < 1
    assert np.bincount(y_res).tolist() == [np.bincount(y)[0]] * 2
    combo = SMOTEENN(random_state=0, enn=EditedNearestNeighbours(
        sampling_strategy="all", n_neighbors=ApproximateNeighbors(4, n_probe=3)))
    combo.fit_resample(X, y)
    assert 0.5 < combo.enn_.nn_.recall_ <= 1
    assert combo.enn_.nn_.estimator.n_recall_queries_ == 1000


@settings(max_examples=50, deadline=None)
@given(rows=st.integers(1, 30), cols=st.integers(1, 20), p=st.integers(1, 20),
       levels=st.integers(2, 50), seed=st.integers(0, 100))
def test_probe_selection_takes_the_nearest_cells_nearest_first(rows, cols, p, levels, seed):
    from smotelab.neighbors._approximate import _smallest

    p = min(p, cols)
    D = np.random.default_rng(seed).integers(0, levels, size=(rows, cols)).astype(np.float32)
    part = _smallest(D, p)
    assert part.shape == (rows, p)
    assert all(len(set(r)) == p for r in part.tolist())  # distinct cells
    np.testing.assert_array_equal(part[:, 0], D.argmin(axis=1))
    chosen = np.take_along_axis(D, part, axis=1)
    np.testing.assert_array_equal(np.sort(chosen, axis=1), np.sort(D, axis=1)[:, :p])
