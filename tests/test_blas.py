"""The BLAS thread limiter used by the exact neighbour search."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from smotelab.utils import _blas


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.fixture
def two_blas_threads():
    if not _blas_threads():
        pytest.skip("no BLAS that threadpoolctl can see")
    with threadpool_limits(limits=2, user_api="blas"):
        yield


@pytest.fixture
def fresh_state(monkeypatch):
    monkeypatch.setattr(_blas, "_STATE", {"depth": 0, "saved": [], "controls": None})


def test_limits_inside_and_restores_after(two_blas_threads, fresh_state):
    before = _blas_threads()
    with _blas.single_threaded_blas():
        assert set(_blas_threads()) == {1}
        np.ones((300, 300)) @ np.ones((300, 300))  # the BLAS still works
    assert _blas_threads() == before


def test_nested_and_concurrent_uses_restore_once_at_the_end(two_blas_threads, fresh_state):
    before = _blas_threads()
    inside, release = threading.Barrier(2), threading.Event()
    seen = []

    def worker() -> None:
        with _blas.single_threaded_blas():
            inside.wait()
            release.wait()

    t = threading.Thread(target=worker)
    t.start()
    with _blas.single_threaded_blas():
        inside.wait()
        with _blas.single_threaded_blas():
            seen.append(_blas_threads())
        seen.append(_blas_threads())
        release.set()
        t.join()
        seen.append(_blas_threads())  # the other user has left; this one still holds
    assert all(set(s) == {1} for s in seen)
    assert _blas_threads() == before


def test_restores_after_an_error(two_blas_threads, fresh_state):
    before = _blas_threads()
    with pytest.raises(RuntimeError, match="boom"), _blas.single_threaded_blas():
        raise RuntimeError("boom")
    assert _blas_threads() == before


def test_threadpoolctl_fallback(two_blas_threads, fresh_state, monkeypatch):
    monkeypatch.setattr(_blas, "_direct_controls", lambda: None)
    before = _blas_threads()
    with _blas.single_threaded_blas():
        assert set(_blas_threads()) == {1}
    assert _blas_threads() == before


def test_finds_the_blas_lines_of_a_memory_map():
    maps = (
        "7f0-7f1 r--p 00000000 08:01 1 /usr/lib/libc.so.6\n"
        "7f1-7f2 r-xp 00001000 08:01 2 /opt/numpy.libs/libscipy_openblas64_-ab.so\n"
        "7f2-7f3 r--p 00002000 08:01 2 /opt/numpy.libs/libscipy_openblas64_-ab.so\n"
        "7f3-7f4 rw-p 00000000 00:00 0 \n"
        "7f4-7f5 r-xp 00000000 08:01 3 /opt/intel/lib/libmkl_rt.so.2"
    )
    assert _blas._blas_like_paths(maps) == [
        "/opt/intel/lib/libmkl_rt.so.2", "/opt/numpy.libs/libscipy_openblas64_-ab.so"]
