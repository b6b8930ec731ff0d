"""The one generator: rows on segments, provenance, block streams."""

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from smotelab._kernels.generate import generate
from smotelab.utils._random import BLOCK_ROWS, RandomStreams


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 30), d=st.integers(1, 5), n_new=st.integers(0, 200),
       seed=st.integers(0, 2**32 - 1), lo=st.sampled_from([0.0, -0.5]),
       hi=st.sampled_from([0.5, 1.0]), dtype=st.sampled_from([np.float32, np.float64]))
def test_rows_lie_on_the_segments_recorded_in_provenance(n, d, n_new, seed, lo, hi, dtype):
    """Check x_new = x_p + step (x_nn - x_p), steps in range, neighbours from the table."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(dtype)
    seeds = np.arange(n)
    table = np.array([rng.permutation(np.delete(np.arange(n), i))[: min(3, n - 1)]
                      for i in range(n)])
    out = np.empty((n_new, d), dtype=dtype)
    prov = generate(X, seeds=seeds, neighbors=table, n_new=n_new,
                    streams=RandomStreams.from_random_state(seed), class_pos=0, label=7,
                    out=out, step_range=(lo, hi))
    p, nb, s = prov["parent"], prov["neighbor"], prov["step"]
    assert ((s >= lo) & (s < hi)).all()
    assert all(nb[i] in table[p[i]] for i in range(n_new))
    assert (prov["class"] == 7).all()
    rebuilt = X[p].astype(float) + s[:, None] * (X[nb].astype(float) - X[p])
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, rebuilt, rtol=tol, atol=tol)


def test_fixed_seed_counts_are_respected():
    """Check that seed_counts fixes exactly how many rows each seed gets."""
    X = np.arange(10.0).reshape(5, 2)
    counts = np.array([3, 0, 1, 0, 2])
    out = np.empty((6, 2))
    prov = generate(X, seeds=np.arange(5), neighbors=np.roll(np.arange(5), 1)[:, None],
                    n_new=6, streams=RandomStreams.from_random_state(0), class_pos=0,
                    label=0, out=out, seed_counts=counts)
    assert np.bincount(prov["parent"], minlength=5).tolist() == counts.tolist()


def test_blocks_draw_from_their_own_streams():
    """Check that block b's rows depend only on (seed, class, b), not on earlier blocks."""
    X = np.random.default_rng(0).standard_normal((50, 3))
    table = np.tile(np.arange(1, 6), (50, 1))
    streams = RandomStreams.from_random_state(5)
    n_new = BLOCK_ROWS + 10
    out = np.empty((n_new, 3))
    prov = generate(X, seeds=np.arange(50), neighbors=table, n_new=n_new, streams=streams,
                    class_pos=2, label=0, out=out)
    rng = streams.block(2, 1)
    seed = rng.integers(0, 50, size=10)
    col = rng.integers(0, 5, size=10)
    step = rng.uniform(0, 1, size=10)
    np.testing.assert_array_equal(prov["parent"][BLOCK_ROWS:], seed)
    np.testing.assert_array_equal(prov["neighbor"][BLOCK_ROWS:], table[seed, col])
    np.testing.assert_array_equal(prov["step"][BLOCK_ROWS:], step)


def test_sparse_and_dense_generation_agree():
    """Check that sparse input gives the same rows as dense input from the same draws."""
    X = sp.random(30, 8, density=0.3, random_state=1, format="csr")
    table = np.array([[(i + 1) % 30, (i + 2) % 30] for i in range(30)])
    kw = {"seeds": np.arange(30), "neighbors": table, "n_new": 40, "class_pos": 0, "label": 1}
    prov_s, rows = generate(X, streams=RandomStreams.from_random_state(0), **kw)
    out = np.empty((40, 8))
    prov_d = generate(X.toarray(), streams=RandomStreams.from_random_state(0), out=out, **kw)
    np.testing.assert_array_equal(prov_s["parent"], prov_d["parent"])
    np.testing.assert_allclose(rows.toarray(), out)
