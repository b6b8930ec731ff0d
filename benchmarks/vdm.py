"""ValueDifferenceMetric: smotelab against imbalanced-learn, same data, same run.

Usage: python benchmarks/vdm.py [--rows 200000] [--queries 1000] [--repeats 5]

Fit on ``rows`` x 10 ordinal codes (5 to 40 values per feature, 3 classes), then the
distances from ``queries`` rows to all rows. Medians of the repeats, alternating the
libraries; the two matrices are checked equal.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from imblearn.metrics.pairwise import ValueDifferenceMetric as Theirs

    from smotelab.metrics.pairwise import ValueDifferenceMetric as Ours

    rng = np.random.default_rng(0)
    levels = np.linspace(5, 40, 10).astype(int)
    X = np.column_stack([rng.integers(0, L, args.rows) for L in levels]).astype(np.int32)
    y = rng.choice(3, size=args.rows, p=[0.8, 0.15, 0.05])
    Q = X[: args.queries]
    times: dict[str, dict[str, list[float]]] = {"smotelab": {}, "imblearn": {}}
    results = {}
    for _ in range(args.repeats):
        for name, cls in (("smotelab", Ours), ("imblearn", Theirs)):
            t0 = time.perf_counter()
            vdm = cls().fit(X, y)
            t1 = time.perf_counter()
            results[name] = vdm.pairwise(Q, X)
            t2 = time.perf_counter()
            times[name].setdefault("fit", []).append(t1 - t0)
            times[name].setdefault("pairwise", []).append(t2 - t1)
    assert np.allclose(results["smotelab"], results["imblearn"])
    print(f"{args.rows} rows x 10 features, pairwise {args.queries} x {args.rows}, "
          f"median of {args.repeats}")
    print("| step | smotelab | imbalanced-learn | speed-up |")
    print("|---|---|---|---|")
    for step in ("fit", "pairwise"):
        ours = statistics.median(times["smotelab"][step])
        theirs = statistics.median(times["imblearn"][step])
        print(f"| {step} | {ours:.3f} s | {theirs:.3f} s | {theirs / ours:.1f}x |")


if __name__ == "__main__":
    main()
