"""The exact neighbour search alone: the fused kernel, the matrix-product path, faiss and
scikit-learn, side by side; writes benchmarks/RESULTS-search.md.

Usage: python benchmarks/search.py [--quick] [--repeats N]

Cases: a self-search (SMOTE's: every row of a class against the others) at 10,000 and
100,000 rows, and at 1,000,000 rows the query of Borderline-SMOTE and ADASYN (1 % of
the rows against all of them), each at 20 and 200 features, k = 5 (6 with the row
itself for the libraries that count it). Every method runs in the same process on the
same float64 data, alternating within each repeat, after one warm-up call each (faiss's
float32 copies are made within its time, as smotelab's are within its own). The table gives
medians, and the share of each method's neighbour indices equal to the exact answer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
K = 5
# (rows, features, queries: None for a self-search, repeats)
CASES = [
    (10_000, 20, None, 5), (100_000, 20, None, 3), (1_000_000, 20, 10_000, 3),
    (10_000, 200, None, 3), (100_000, 200, None, 1), (1_000_000, 200, 1_000, 1),
]


def _smotelab(fused: str) -> Callable:
    def run(X: np.ndarray, Q: np.ndarray | None) -> np.ndarray:
        from smotelab.neighbors import exact_kneighbors

        os.environ["SMOTELAB_FUSED"] = fused
        return exact_kneighbors(X, K, Q)[1]
    return run


def _faiss(X: np.ndarray, Q: np.ndarray | None) -> np.ndarray:
    import faiss

    X32 = np.ascontiguousarray(X, dtype=np.float32)
    index = faiss.IndexFlatL2(X.shape[1])
    index.add(X32)
    if Q is None:
        _, ind = index.search(X32, K + 1)
        return _drop_self(ind)
    return index.search(np.ascontiguousarray(Q, dtype=np.float32), K)[1]


def _sklearn(X: np.ndarray, Q: np.ndarray | None) -> np.ndarray:
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=K, algorithm="brute").fit(X)
    return nn.kneighbors(Q, return_distance=False)


def _drop_self(ind: np.ndarray) -> np.ndarray:
    """The ``K`` neighbours that are not the row itself (the first ``K`` otherwise)."""
    rows = np.arange(len(ind))[:, None]
    keep = ind != rows
    keep[keep.sum(axis=1) > K, -1] = False
    return ind[keep].reshape(len(ind), -1)[:, :K]


METHODS = {
    "smotelab, fused kernel": _smotelab("1"),
    "smotelab, matrix products": _smotelab("0"),
    "faiss IndexFlatL2": _faiss,
    "scikit-learn brute": _sklearn,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the cases under 1M rows")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--output", default=str(HERE / "RESULTS-search.md"))
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    rows = []
    for n, d, n_q, reps in CASES:
        if args.quick and n >= 1_000_000:
            continue
        X = rng.standard_normal((n, d))
        X[:, : d // 2] *= 3.0  # unequal spreads, as scaled real features have
        Q = None if n_q is None else X[rng.choice(n, n_q, replace=False)]
        for fn in METHODS.values():  # warm-up: kernels loaded, pages touched
            fn(X[:2000], None if Q is None else Q[:50])
        times: dict[str, list[float]] = {m: [] for m in METHODS}
        answers: dict[str, np.ndarray] = {}
        for _ in range(args.repeats or reps):
            for name, fn in METHODS.items():
                t = time.perf_counter()
                answers[name] = fn(X, Q)
                times[name].append(time.perf_counter() - t)
        exact = answers["smotelab, matrix products"]
        row = {"case": f"{n:,} x {d}, " + ("self-search" if Q is None else
                                           f"{n_q:,} queries"),
               "repeats": args.repeats or reps}
        for name in METHODS:
            row[name] = (statistics.median(times[name]),
                         float((answers[name] == exact).mean()))
        rows.append(row)
        print(row["case"], {m: f"{t:.3f}s {s:.4f}" for m, (t, s) in
                            ((m, row[m]) for m in METHODS)}, flush=True)
        del X, Q, answers
    _write(rows, Path(args.output))


def _write(rows: list[dict], path: Path) -> None:
    from run import _versions, write_lines  # the same machine line as RESULTS.md

    names = list(METHODS)
    lines = [
        "# The exact neighbour search alone",
        "",
        f"Measured {date.today().isoformat()} with `python benchmarks/search.py` on "
        f"{_versions()}; faiss-cpu "
        f"{__import__('faiss').__version__}.",
        "",
        "Seconds (median of the repeats, the methods alternating in one process, each "
        "warmed up first), and in brackets the share of neighbour indices equal to the "
        "exact answer (smotelab's two kernels are exact by construction; faiss searches "
        "float32 values and scikit-learn float64 products, so near-ties may go either way). "
        f"k = {K}; data standard normal, half the features at three times the spread. "
        "A self-search excludes each row by index; the queries are rows of the data. "
        "The fused column forces the compiled loop (`SMOTELAB_FUSED=1`); by default "
        "rows of more than 126 features keep numpy's products, so at 200 features "
        "smotelab runs the matrix-products column.",
        "",
        "| case | " + " | ".join(names) + " | fused vs matrix products | repeats |",
        "|---|" + "---:|" * (len(names) + 2),
    ]
    for r in rows:
        cells = [f"{r[m][0]:.3f} ({r[m][1]:.4f})" for m in names]
        ratio = r[names[1]][0] / r[names[0]][0]
        lines.append(f"| {r['case']} | " + " | ".join(cells) +
                     f" | **{ratio:.2f}x** | {r['repeats']} |")
    write_lines(path, lines)


if __name__ == "__main__":
    main()
