"""n_jobs caps the threads of a sampler's searches, and never changes the output."""

import numpy as np
import pytest

import smotelab._kernels.generate as generate
import smotelab.neighbors._exact as exact
import smotelab.utils._threads as threads
from smotelab.combine import SMOTEENN
from smotelab.under_sampling import EditedNearestNeighbours, TomekLinks
from smotelab.utils._threads import available_cores, max_threads, thread_limit


@pytest.fixture
def spy(monkeypatch):
    """Record what every exact search decided about its worker threads."""
    seen = []
    original = exact._n_workers

    def recording(work):
        n = original(work)
        seen.append((max_threads(), n))
        return n

    monkeypatch.setattr(exact, "_n_workers", recording)
    return seen


@pytest.mark.parametrize("make", [TomekLinks, EditedNearestNeighbours,
                                  lambda **kw: SMOTEENN(random_state=0, **kw)],
                         ids=["tomek", "enn", "smoteenn"])
def test_n_jobs_caps_threads_and_keeps_the_output(make, spy):
    """Check that n_jobs reaches the search, caps its threads, and changes nothing else."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 8))
    y = (rng.random(3000) < 0.2).astype(int)
    outputs = {}
    for n_jobs in (None, 1, 2, -1):
        spy.clear()
        X_res, y_res = make(n_jobs=n_jobs).fit_resample(X, y)
        outputs[n_jobs] = (X_res, y_res)
        limits = {limit for limit, _ in spy}
        expected = None if n_jobs is None else (available_cores() if n_jobs == -1 else n_jobs)
        assert limits == {expected}, (n_jobs, spy)
        if n_jobs == 1:
            assert all(n == 1 for _, n in spy)
    for X_res, y_res in outputs.values():
        np.testing.assert_array_equal(X_res, outputs[None][0])
        np.testing.assert_array_equal(y_res, outputs[None][1])


def test_thread_limit_resolution():
    """Check joblib's convention for negative n_jobs and the error for 0."""
    with thread_limit(-1):
        assert max_threads() == available_cores()
    with thread_limit(-2):
        assert max_threads() == max(1, available_cores() - 1)
    with thread_limit(3):
        assert max_threads() == 3
    assert max_threads() is None
    with pytest.raises(ValueError, match="n_jobs=0"), thread_limit(0):
        pass


def test_large_search_uses_the_threads_allowed(monkeypatch):
    """Check the worker count of a search big enough to thread."""
    monkeypatch.setattr(threads, "available_cores", lambda: 16)
    big = 1 << 30
    assert exact._n_workers(big) == 8  # the default cap
    with thread_limit(12):
        assert exact._n_workers(big) == 12
    with thread_limit(1):
        assert exact._n_workers(big) == 1
    assert exact._n_workers(1000) == 1  # small searches stay serial


@pytest.mark.parametrize("sampler", ["SMOTE", "ADASYN", "BorderlineSMOTE", "SMOTENC"])
def test_threaded_generation_matches_serial(monkeypatch, sampler):
    """Check that blocks interpolated by several threads give the serial output, bit for
    bit (each block has its own random stream and its own rows; SMOTE-NC's categories
    are voted while other blocks are interpolated)."""
    from smotelab import over_sampling
    from smotelab.utils import _random

    monkeypatch.setattr(_random, "BLOCK_ROWS", 512)  # many blocks from small data
    X = np.random.default_rng(0).normal(size=(3000, 4))
    y = np.r_[np.zeros(2700, int), np.ones(300, int)]
    params = {}
    if sampler == "SMOTENC":
        X[:, 0] = np.round(X[:, 0])  # a categorical column
        params = {"categorical_features": [0]}
    outputs = []
    for workers in (1, 3):
        monkeypatch.setattr(generate, "worker_count", lambda work, below, w=workers: w)
        est = getattr(over_sampling, sampler)(random_state=0, **params)
        outputs.append((*est.fit_resample(X, y), est.provenance_))
    (X1, y1, p1), (X3, y3, p3) = outputs
    assert len(X1) > 4000
    np.testing.assert_array_equal(X1, X3)
    np.testing.assert_array_equal(y1, y3)
    for field in ("parent", "neighbor", "step"):
        np.testing.assert_array_equal(p1[field], p3[field])



@pytest.mark.parametrize("name", ["IterativePartitioningFilter", "SMOTEIPF"])
def test_filter_learners_fit_side_by_side_with_the_same_output(name, monkeypatch):
    """Check the filter's part learners: n_jobs=1 fits them one after the other, more
    threads side by side (the pool really starts), and the kept rows are the same."""
    import smotelab.under_sampling._ipf as ipf
    from smotelab.combine import SMOTEIPF
    from smotelab.under_sampling import IterativePartitioningFilter

    pools = []
    original = ipf.ThreadPoolExecutor

    def recording(workers):
        pools.append(workers)
        return original(workers)

    monkeypatch.setattr(ipf, "ThreadPoolExecutor", recording)
    monkeypatch.setattr(threads, "available_cores", lambda: 3)
    cls = {"IterativePartitioningFilter": IterativePartitioningFilter, "SMOTEIPF": SMOTEIPF}[name]
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6000, 6))
    y = (X[:, 0] + rng.normal(scale=1.5, size=6000) > 1.2).astype(int)
    outputs = []
    for n_jobs in (1, 3):
        pools.clear()
        X_res, y_res = cls(random_state=0, n_jobs=n_jobs).fit_resample(X, y)
        outputs.append((X_res, y_res))
        assert (pools == []) if n_jobs == 1 else (pools and set(pools) == {3}), pools
    np.testing.assert_array_equal(outputs[0][0], outputs[1][0])
    np.testing.assert_array_equal(outputs[0][1], outputs[1][1])
