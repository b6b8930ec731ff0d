"""The fused filtering kernel: the same pairs as numpy's products, the same neighbours."""

import numpy as np
import pytest

from smotelab.neighbors import _fused, exact_kneighbors
from smotelab.neighbors._fused import emit_pairs, group_minima, use_fused
from smotelab.neighbors._nominal import nc_kneighbors

pytestmark = pytest.mark.skipif(not _fused.fused_available(),
                                reason="the compiled kernel is not built")


def _pairs(i, j):
    return set(zip(i.tolist(), j.tolist(), strict=True))


LEVELS = [0, 1, 2]


@pytest.fixture(params=LEVELS, ids=["blas-tiles", "avx2", "avx512"])
def level(request, monkeypatch):
    """Each form of the compiled loop this CPU can run."""
    if request.param > _fused._kernel.simd_level():
        pytest.skip("this CPU lacks the instructions")
    monkeypatch.setattr(_fused, "_level", request.param)
    return request.param


@pytest.mark.parametrize("width", [1, 3, 8, 22, 203])
def test_pairs_are_those_of_the_matrix_product(width, level):
    """Check every pair with a non-positive product is emitted, with its value, and no
    other: rows against a column range, tile edges not aligned with it. Small integers
    make every product exact in any order, zeros included."""
    rng = np.random.default_rng(width)
    Q = rng.integers(-3, 4, (37, width)).astype(np.float32)
    R = rng.integers(-3, 4, (1100, width)).astype(np.float32)
    i, j, v = emit_pairs(Q, R, 5, 1090)
    D = Q @ R[5:1090].T
    ri, rj = np.nonzero(D <= 0)
    assert (D == 0).any()
    assert _pairs(i, j) == _pairs(ri, rj + 5)
    np.testing.assert_array_equal(v, D[i, j - 5])


def test_upper_triangle_and_row_offset(level):
    """Check ``upper`` keeps pairs ``j > i`` only, ``i`` counted from ``i0``."""
    rng = np.random.default_rng(1)
    X = rng.integers(-3, 4, (300, 6)).astype(np.float32)
    Q = X[40:200].copy()
    i, j, _ = emit_pairs(Q, X, 40, 300, i0=40, upper=True)
    ri, rj = np.nonzero(Q @ X.T <= 0)
    keep = rj > ri + 40
    assert _pairs(i, j) == _pairs(ri[keep], rj[keep])
    assert (j > i + 40).all()


def test_full_buffers_resume_where_they_stopped(monkeypatch, level):
    """Check a tile that does not fit is redone in a larger buffer, nothing lost or doubled."""
    monkeypatch.setattr(_fused, "_COLS", 64)
    rng = np.random.default_rng(2)
    Q = rng.integers(-3, 4, (200, 4)).astype(np.float32)
    R = rng.integers(-3, 4, (3000, 4)).astype(np.float32)
    i, j, _ = emit_pairs(Q, R, 0, 3000)  # over 300,000 pairs: several resumptions
    ri, rj = np.nonzero(Q @ R.T <= 0)
    assert len(i) == len(ri) > 4 * (1 << 14)
    assert _pairs(i, j) == _pairs(ri, rj)


@pytest.mark.parametrize("queries", [False, True])
def test_searches_agree_bit_for_bit(queries, monkeypatch, level):
    """Check the fused and numpy kernels give identical neighbours and distances on a
    threaded search with ties and duplicates, one-sided and symmetric."""
    from smotelab.neighbors import _exact

    monkeypatch.setattr(_exact, "_SYMMETRIC_MIN", 4000)
    rng = np.random.default_rng(3)
    X = rng.integers(0, 4, size=(9000, 9)).astype(float)
    X[:, :3] += rng.standard_normal((9000, 3))
    X[500:600] = X[7]
    Q = X[::7] + 0.25 if queries else None
    out = {}
    for setting in ("0", "1"):
        monkeypatch.setenv("SMOTELAB_FUSED", setting)
        out[setting] = exact_kneighbors(X, 6, Q)
    np.testing.assert_array_equal(out["0"][1], out["1"][1])
    np.testing.assert_array_equal(out["0"][0], out["1"][0])


def test_mixed_search_agrees_bit_for_bit(monkeypatch, level):
    """Check SMOTE-NC's numeric filter on the fused kernel: same neighbours, same distances."""
    rng = np.random.default_rng(4)
    n = 3000
    cont = rng.standard_normal((n, 3)).round(1)
    codes = np.column_stack([rng.integers(0, 4, n), rng.integers(0, 900, n)])
    out = {}
    for setting in ("0", "1"):
        monkeypatch.setenv("SMOTELAB_FUSED", setting)
        out[setting] = nc_kneighbors(cont, codes, 0.5, 5)
    np.testing.assert_array_equal(out["0"][1], out["1"][1])
    np.testing.assert_array_equal(out["0"][0], out["1"][0])


def test_the_setting_chooses_the_kernel(monkeypatch):
    """Check ``SMOTELAB_FUSED``: 0 never, 1 always, unset by the rows' width."""
    monkeypatch.setenv("SMOTELAB_FUSED", "0")
    assert not use_fused(22)
    monkeypatch.setenv("SMOTELAB_FUSED", "1")
    assert use_fused(500)
    monkeypatch.delenv("SMOTELAB_FUSED")
    assert use_fused(22)
    assert not use_fused(202)  # wide rows keep numpy's products
    assert use_fused(102)


def test_an_unbuilt_kernel_falls_back(monkeypatch):
    """Check a source tree without the compiled loop searches with numpy's products."""
    monkeypatch.setattr(_fused, "_kernel", False)
    monkeypatch.setenv("SMOTELAB_FUSED", "1")
    assert not use_fused(22)
    X = np.random.default_rng(5).standard_normal((3000, 4))
    _, ind = exact_kneighbors(X, 3)
    monkeypatch.setattr(_fused, "_kernel", None)
    np.testing.assert_array_equal(exact_kneighbors(X, 3)[1], ind)


@pytest.mark.parametrize("width", [5, 22])
@pytest.mark.parametrize("per", [1, 7, 300])
def test_group_minima_leave_out_the_row_itself(per, width, level):
    """Check the least product per group of subset rows, the row itself left out (a
    group of that row alone has none: inf), in every form of the loop. Small integers
    make every product exact; 301 query rows leave a partial chunk."""
    rng = np.random.default_rng(per + width)
    X = rng.integers(-3, 4, (2000, width)).astype(np.float32)
    subset = np.sort(rng.choice(2000, 4 * per, replace=False)).astype(np.intp)
    subset[: per] = np.arange(100, 100 + per)  # the first group: rows of the block
    Q = X[100:401]
    got = group_minima(Q, X[subset], per, 100, subset)
    D = Q @ X[subset].T
    rows, cols = np.nonzero(subset[None, :] == np.arange(100, 401)[:, None])
    D[rows, cols] = np.inf
    want = D.reshape(len(Q), 4, per).min(axis=2)
    np.testing.assert_array_equal(got, want)
    if per == 1:
        assert np.isinf(got[0, 0])


def test_kernel_rejects_inconsistent_shapes():
    """Check the compiled loop refuses operands that do not fit, before touching memory."""
    Q = np.zeros((4, 3), np.float32)
    with pytest.raises(ValueError, match="width"):
        _fused._kernel.emit(Q, np.zeros((9, 5), np.float32), 0, 9, 0, False, 128,
                            np.zeros(4 * 128, np.float32), np.zeros(9, np.intp),
                            np.zeros(9, np.intp), np.zeros(9, np.float32),
                            np.zeros(2, np.intp))
