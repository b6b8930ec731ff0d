"""The exact neighbour search and the backend contract."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.neighbors import NearestNeighbors

from smotelab.neighbors import EstimatorNeighbors, exact_kneighbors, resolve_neighbors


@pytest.fixture(autouse=True, params=["blas", "fused"])
def kernel(request, monkeypatch):
    """Every search here runs on both kernels of the filtering pass: numpy's products
    and tests, and the fused tiles of ``_fused`` (narrow tiles, so there are many)."""
    if request.param == "fused":
        from smotelab.neighbors import _fused

        if not _fused.fused_available():
            pytest.skip("the compiled kernel is not built")

        monkeypatch.setattr(_fused, "_COLS", 96)
    monkeypatch.setenv("SMOTELAB_FUSED", "1" if request.param == "fused" else "0")
    return request.param


def _reference(R, k, Q=None):
    """Brute force in float64, ordered by (squared distance, index).

    Squared distances are compared before the square root, which can merge two
    distances that differ in the last bit.
    """
    Qx = R if Q is None else Q
    dist, idx = [], []
    for a in range(0, len(Qx), 256):
        D2 = ((Qx[a : a + 256, None, :] - R[None, :, :]) ** 2).sum(-1)
        if Q is None:
            D2[np.arange(len(D2)), np.arange(a, a + len(D2))] = np.inf
        i = np.argsort(D2, axis=1, kind="stable")[:, :k]  # stable: ties by index
        idx.append(i)
        dist.append(np.sqrt(np.take_along_axis(D2, i, axis=1)))
    return np.vstack(dist), np.vstack(idx)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    n=st.integers(2, 60),
    d=st.integers(1, 6),
    scale=st.sampled_from([1e-3, 1.0, 1.0, 1e3]),
    offset=st.sampled_from([0.0, 1e4]),
    discrete=st.booleans(),
)
def test_exact_search_matches_brute_force(data, n, d, scale, offset, discrete):
    """Check sets, order and tie-breaking against a float64 brute force, duplicates included."""
    if discrete:
        X = data.draw(arrays(np.int8, (n, d), elements=st.integers(0, 2))).astype(float)
    else:
        X = data.draw(arrays(np.float64, (n, d), elements=st.floats(-1, 1)))
    X = X * scale + offset
    k = data.draw(st.integers(1, n - 1))
    dist, ind = exact_kneighbors(X, k)
    rdist, rind = _reference(X, k)
    np.testing.assert_allclose(dist, rdist, rtol=1e-12, atol=1e-12 * scale)
    if scale == 1.0 and offset == 0.0 and discrete:
        # small integers: every distance is exact, so ties are exact and broken by index
        np.testing.assert_array_equal(ind, rind)
    else:
        # elsewhere two distances may tie only up to the last bit, where the order of a
        # float sum decides; any disagreement must sit at such a near-tie
        diff = ind != rind
        assert np.allclose(dist[diff], rdist[diff], rtol=1e-12, atol=1e-15)


def test_self_is_excluded_by_index_among_duplicates():
    """Check that a duplicate is a neighbour at distance 0 but the row itself never is."""
    X = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    dist, ind = exact_kneighbors(X, 2)
    assert ind.tolist() == [[1, 2], [0, 2], [0, 1], [0, 1]]
    assert (dist[:3] == 0).all()
    assert not (ind == np.arange(4)[:, None]).any()


def test_float32_and_sparse_inputs_give_the_same_sets(seed):
    """Check that float32 and sparse input give the float64 dense answer."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((400, 7))
    _, ref = exact_kneighbors(X, 6)
    _, ind32 = exact_kneighbors(X.astype(np.float32).astype(np.float64), 6)
    _, ind_sp = exact_kneighbors(sp.csr_matrix(X), 6)
    np.testing.assert_array_equal(ind_sp, ref)
    _, ref32 = _reference(X.astype(np.float32).astype(np.float64), 6)
    np.testing.assert_array_equal(ind32, ref32)


def test_large_search_matches_scikit_learn():
    """Check a multi-block, multi-thread search against scikit-learn's brute force."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6000, 12))
    dist, ind = exact_kneighbors(X, 5)
    sd, si = NearestNeighbors(n_neighbors=5, algorithm="brute").fit(X).kneighbors()
    np.testing.assert_array_equal(ind, si)
    np.testing.assert_allclose(dist, sd, rtol=1e-9)


@pytest.mark.parametrize("discrete", [True, False])
@pytest.mark.parametrize("offset", [0.0, 1e4])
@pytest.mark.parametrize("queries", [False, True])
def test_tiled_search_is_exact_with_ties_and_offsets(discrete, offset, queries, monkeypatch):
    """Check the tiled, threshold-in-the-product path (references beyond one subset, many
    full tiles) against float64 brute force: exact ties by index, large offsets, queries."""
    from smotelab.neighbors import _exact

    monkeypatch.setattr(_exact, "_COL_BLOCK", 512)
    monkeypatch.setattr(_exact, "_ROW_BLOCK", 128)
    rng = np.random.default_rng(7)
    n, d, k = 2600, 5, 7
    if discrete:
        R = rng.integers(0, 3, size=(n, d)).astype(float)  # ties everywhere
    else:
        R = rng.standard_normal((n, d)) * np.array([1e-3, 1, 10, 1, 0.1])
    R += offset
    Q = R[rng.choice(n, 300, replace=False)] + (0.5 if discrete else 0.0) if queries else None
    dist, ind = exact_kneighbors(R, k, Q)
    rd, ri = _reference(R, k, Q)
    np.testing.assert_array_equal(ind, ri)
    np.testing.assert_allclose(dist, rd, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("discrete", [True, False])
@pytest.mark.parametrize("offset", [0.0, 1e4])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_symmetric_search_is_exact_across_bands(discrete, offset, dtype, monkeypatch):
    """Check the self-search that computes each pair once: many bands, candidates
    waiting for later bands and pruned, duplicates, exact ties by index, offsets."""
    from smotelab.neighbors import _exact

    monkeypatch.setattr(_exact, "_SYMMETRIC_MIN", 0)
    monkeypatch.setattr(_exact, "_COL_BLOCK", 512)
    monkeypatch.setattr(_exact, "_ROW_BLOCK", 128)
    monkeypatch.setattr(_exact, "_BAND_BLOCKS", 3)
    monkeypatch.setattr(_exact, "_PRUNE_MIN", 2000)
    monkeypatch.setattr(_exact, "_PRUNE_PER_ROW", 0)
    rng = np.random.default_rng(11)
    n, d, k = 2900, 6, 9
    if discrete:
        R = rng.integers(0, 3, size=(n, d)).astype(float)  # ties and duplicates everywhere
    else:
        R = rng.standard_normal((n, d)) * np.array([1e-3, 1, 10, 1, 0.1, 3])
        R[100:140] = R[0]  # a block of exact duplicates
    R = (R + offset).astype(dtype)
    dist, ind = exact_kneighbors(R, k)
    rd, ri = _reference(R.astype(np.float64), k)
    np.testing.assert_array_equal(ind, ri)
    np.testing.assert_allclose(dist, rd, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n", [5, 40, 300])
def test_symmetric_search_on_small_sets(n, monkeypatch):
    """Check the symmetric search where the subset is the whole set and k is large."""
    from smotelab.neighbors import _exact

    monkeypatch.setattr(_exact, "_SYMMETRIC_MIN", 0)
    X = np.random.default_rng(n).standard_normal((n, 3))
    for k in {1, n // 2, n - 1}:
        np.testing.assert_array_equal(exact_kneighbors(X, k)[1], _reference(X, k)[1])


def test_queries_against_a_reference_set():
    """Check queries that are not the reference rows (no self-exclusion)."""
    rng = np.random.default_rng(1)
    R, Q = rng.standard_normal((300, 4)), rng.standard_normal((40, 4))
    _, ind = exact_kneighbors(R, 4, Q)
    np.testing.assert_array_equal(ind, _reference(R, 4, Q)[1])


def test_too_many_neighbours_is_an_error():
    """Check that asking for more neighbours than rows fails clearly."""
    with pytest.raises(ValueError, match="only 2 are available"):
        exact_kneighbors(np.zeros((3, 2)), 3)


def test_estimator_adapter_counts_self_and_drops_it_by_index():
    """Check the imbalanced-learn convention n_neighbors = k + 1 and index-based self removal."""
    X = np.array([[0.0], [0.0], [1.0], [3.0]])
    backend = resolve_neighbors(NearestNeighbors(n_neighbors=3), param="k_neighbors")
    assert isinstance(backend, EstimatorNeighbors) and backend.n_neighbors == 2
    _, ind = backend.fit(X).kneighbors()
    assert not (ind == np.arange(4)[:, None]).any()
    assert set(ind[0]) == {1, 2} and set(ind[1]) == {0, 2}


def test_resolve_rejects_other_objects():
    """Check that a k_neighbors that is neither an int nor a neighbours object is refused."""
    with pytest.raises(TypeError, match="kneighbors"):
        resolve_neighbors("five", param="k_neighbors")


def test_word_scan_finds_the_same_positions_as_flatnonzero():
    """Check the eight-bytes-at-a-time scan of the filter's sign mask."""
    from smotelab.neighbors._exact import _flat_true

    rng = np.random.default_rng(0)
    for density in (0.0, 1e-4, 0.01, 0.5, 1.0):
        mask = rng.random((64, 512)) < density
        np.testing.assert_array_equal(_flat_true(mask), np.flatnonzero(mask))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("sparse", [False, True])
def test_row_subsets_search_as_if_copied(dtype, sparse, monkeypatch):
    monkeypatch.setattr("smotelab.neighbors._exact._ROW_BLOCK", 16)
    rng = np.random.default_rng(3)
    X = np.round(rng.normal(size=(400, 5)) * 3).astype(dtype)  # ties and duplicates
    Xs = sp.csr_matrix(X) if sparse else X
    R_rows = np.sort(rng.choice(400, 150, replace=False))
    Q_rows = rng.choice(400, 90, replace=False)  # unsorted, may overlap R_rows
    want = exact_kneighbors(Xs[R_rows], 4, Xs[Q_rows])
    got = exact_kneighbors(Xs, 4, Xs, R_rows=R_rows, Q_rows=Q_rows)
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(got[0], want[0])
    self_want = exact_kneighbors(Xs[R_rows], 3)
    self_got = exact_kneighbors(Xs, 3, R_rows=R_rows)
    np.testing.assert_array_equal(self_got[1], self_want[1])
    with pytest.raises(ValueError, match="Q_rows needs Q"):
        exact_kneighbors(Xs, 3, Q_rows=Q_rows)
