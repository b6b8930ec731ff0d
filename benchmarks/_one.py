"""Run one measurement in this process and print it as JSON.

Usage: python benchmarks/_one.py LIB SAMPLER DATAFILE SEED [PARAMS_JSON]

Memory is the peak resident set size *added* by fit_resample: the kernel's high-water
mark is reset just before the call (Linux /proc/self/clear_refs), so loading the data
does not count.
"""

from __future__ import annotations

import gc
import json
import sys
import time

import numpy as np


def classification_data(rows: int, prefix: str):  # noqa: ANN201
    """``benchmarks/_raw/<prefix>-<rows>.npz``: rows x 20 of ``make_classification``
    (10 informative, 5 % minority, 1 % flipped labels), made once."""
    from pathlib import Path

    path = Path(__file__).resolve().parent / "_raw" / f"{prefix}-{rows}.npz"
    if not path.exists():
        from sklearn.datasets import make_classification

        X, y = make_classification(n_samples=rows, n_features=20, n_informative=10,
                                   weights=[0.95], flip_y=0.01, random_state=0)
        path.parent.mkdir(exist_ok=True)
        np.savez(path, X=X, y=y)
    return path


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def measure(est, X, y) -> tuple:  # noqa: ANN001
    """``est.fit_resample(X, y)`` timed: ``(X_res, y_res, seconds, added peak MB or None)``."""
    gc.collect()
    reset = _reset_peak()
    rss0 = _status_kb("VmRSS")
    t0 = time.perf_counter()
    X_res, y_res = est.fit_resample(X, y)
    elapsed = time.perf_counter() - t0
    peak = (_status_kb("VmHWM") - rss0) / 1024 if reset else None
    return X_res, y_res, elapsed, peak


def main() -> None:
    lib, sampler, path, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    params = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
    data = np.load(path)
    X, y = data["X"], data["y"]
    from importlib import import_module

    root = "imblearn" if lib == "imblearn" else "smotelab"
    for sub in ("over_sampling", "under_sampling", "combine"):
        mod = import_module(f"{root}.{sub}")
        if hasattr(mod, sampler):
            break
    cls = getattr(mod, sampler)
    import inspect

    if "random_state" in inspect.signature(cls).parameters:
        params = {"random_state": seed, **params}
    est = cls(**params)
    X_res, y_res, elapsed, peak_mb = measure(est, X, y)
    print(json.dumps({
        "seconds": elapsed,
        "peak_mb": peak_mb,
        "output_mb": X_res.nbytes / 2**20,
        "n_out": int(len(y_res)),
        "dtype_out": str(X_res.dtype),
    }))


if __name__ == "__main__":
    main()
