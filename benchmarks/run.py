"""Side-by-side benchmarks of smotelab and imbalanced-learn; writes benchmarks/RESULTS.md.

Every measurement runs in its own fresh process (benchmarks/_one.py), the libraries
alternate within each repeat, and the table reports medians of the repeats. Data are
scikit-learn's ``make_classification`` (full-rank features, the hard case for trees).

Usage: python benchmarks/run.py [--quick] [--cleaning | --nominal] [--only SUBSTRING]
                                [--repeats N]

``--only`` matches the case label and the sampler name (e.g. ``--only ADASYN``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RAW = HERE / "_raw"

# (n_samples, n_features, minority share, dtype)
CASES = [
    (10_000, 20, 0.05, "float64"),
    (10_000, 20, 0.01, "float64"),
    (100_000, 20, 0.05, "float64"),
    (100_000, 20, 0.05, "float32"),
    (100_000, 20, 0.01, "float64"),
    (1_000_000, 20, 0.05, "float64"),
    (1_000_000, 20, 0.05, "float32"),
    (1_000_000, 20, 0.01, "float64"),
    (1_000_000, 20, 0.01, "float32"),
    (20_000, 1000, 0.05, "float64"),
]
SAMPLERS = ["SMOTE", "RandomOverSampler"]

# The rest of the SMOTE family, each on the cases it is meant for. Parameters are given
# to both libraries alike (imbalanced-learn's KMeansSMOTE fails at its defaults on
# these data, "No clusters found", so both get cluster_balance_threshold=0).
FAMILY = [
    ("BorderlineSMOTE", {}, [(10_000, 20, 0.05, "float64"), (100_000, 20, 0.05, "float64"),
                             (100_000, 20, 0.01, "float64"), (1_000_000, 20, 0.01, "float64"),
                             (20_000, 1000, 0.05, "float64")]),
    ("ADASYN", {}, [(10_000, 20, 0.05, "float64"), (100_000, 20, 0.05, "float64"),
                    (100_000, 20, 0.01, "float64"), (1_000_000, 20, 0.01, "float64"),
                    (20_000, 1000, 0.05, "float64")]),
    ("SVMSMOTE", {}, [(10_000, 20, 0.05, "float64"), (100_000, 20, 0.05, "float64")]),
    ("KMeansSMOTE", {"cluster_balance_threshold": 0.0},
     [(10_000, 20, 0.05, "float64"), (100_000, 20, 0.05, "float64"),
      (1_000_000, 20, 0.01, "float64")]),
]


# Cleaners and combinations: (sampler, parameters, cases, repeats). imbalanced-learn
# takes minutes per SMOTE-ENN run at 100k rows, hence the single repeat there.
CLEANING = [
    ("TomekLinks", {}, [(10_000, 20, 0.05, "float64"), (100_000, 20, 0.05, "float64"),
                        (20_000, 1000, 0.05, "float64")], 3),
    ("EditedNearestNeighbours", {}, [(10_000, 20, 0.05, "float64"),
                                     (100_000, 20, 0.05, "float64"),
                                     (20_000, 1000, 0.05, "float64")], 3),
    ("OneSidedSelection", {}, [(10_000, 20, 0.05, "float64"),
                               (100_000, 20, 0.05, "float64")], 3),
    # imbalanced-learn refits and re-predicts the whole class after every addition:
    # minutes at 10k rows already, so only that case, once.
    ("CondensedNearestNeighbour", {}, [(10_000, 20, 0.05, "float64")], 1),
    ("SMOTETomek", {}, [(10_000, 20, 0.05, "float64"), (100_000, 20, 0.05, "float64"),
                        (20_000, 1000, 0.05, "float64")], 1),
    ("SMOTEENN", {}, [(10_000, 20, 0.05, "float64"), (100_000, 20, 0.05, "float64"),
                      (20_000, 1000, 0.05, "float64")], 1),
]


# SMOTE-NC / SMOTE-N on mixed data: (sampler, (n, numeric columns, values per categorical
# column, minority share), repeats, run imbalanced-learn too). imbalanced-learn's SMOTENC
# densifies a one-hot of every row and cannot run the 3M-row case on this machine.
NOMINAL = [
    ("SMOTENC", (200_000, 10, (5, 10, 20, 35, 50), 0.05), 3, True),
    ("SMOTEN", (200_000, 0, (5, 10, 20, 35, 50), 0.05), 3, True),
    ("SMOTENC", (3_000_000, 10, (5, 20, 100, 500, 1000), 0.05), 1, False),
]


def _plan(cleaning: bool = False) -> list[tuple[tuple, str, dict, int | None]]:
    """Every (case, sampler, parameters, repeats) to measure, in order."""
    if cleaning:
        return [(case, sampler, params, reps)
                for sampler, params, cases, reps in CLEANING for case in cases]
    jobs = [(case, sampler, {}, None) for case in CASES for sampler in SAMPLERS]
    jobs += [(case, sampler, params, None)
             for sampler, params, cases in FAMILY for case in cases]
    return jobs


def _data_file(n: int, d: int, share: float, dtype: str) -> Path:
    from sklearn.datasets import make_classification

    RAW.mkdir(exist_ok=True)
    path = RAW / f"clf_{n}x{d}_{share}_{dtype}.npz"
    if not path.exists():
        X, y = make_classification(n_samples=n, n_features=d, n_informative=min(d, 10),
                                   n_redundant=0, weights=[1 - share], flip_y=0,
                                   random_state=0)
        fd, tmp = tempfile.mkstemp(dir=RAW, suffix=".npz")
        os.close(fd)
        np.savez(tmp, X=X.astype(dtype), y=y)
        os.replace(tmp, path)
    return path


def _mixed_file(n: int, n_num: int, levels: tuple[int, ...], share: float) -> Path:
    """Numeric columns, then categorical ones as integer codes (quantile bins of further
    informative features, so the values carry class information), in one float array."""
    from sklearn.datasets import make_classification

    RAW.mkdir(exist_ok=True)
    path = RAW / f"mixed_{n}_{n_num}_{'-'.join(map(str, levels))}_{share}.npz"
    if not path.exists():
        d = n_num + len(levels)
        X, y = make_classification(n_samples=n, n_features=d, n_informative=min(d, 10),
                                   n_redundant=0, weights=[1 - share], flip_y=0,
                                   random_state=0)
        for f, L in enumerate(levels):
            col = X[:, n_num + f]
            edges = np.quantile(col, np.linspace(0, 1, L + 1)[1:-1])
            X[:, n_num + f] = np.searchsorted(edges, col)
        fd, tmp = tempfile.mkstemp(dir=RAW, suffix=".npz")
        os.close(fd)
        np.savez(tmp, X=X if n_num else X.astype(np.int64), y=y)
        os.replace(tmp, path)
    return path


def _measure(lib: str, sampler: str, path: Path, seed: int, params: dict) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "_one.py"), lib, sampler, str(path),
                          str(seed), json.dumps(params)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _versions() -> str:
    from importlib.metadata import version

    import threadpoolctl

    blas = [f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})"
            for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    libs = ", ".join(f"{d} {version(d)}" for d in
                     ("smotelab", "imbalanced-learn", "scikit-learn", "numpy", "scipy"))
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
            f"Python {platform.python_version()}; {libs}; BLAS: {'; '.join(sorted(set(blas)))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the cases under 1M rows")
    parser.add_argument("--only", default=None, help="run cases whose label contains this")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per measurement")
    parser.add_argument("--cleaning", action="store_true",
                        help="the cleaners and combinations (written to RESULTS-cleaning.md)")
    parser.add_argument("--nominal", action="store_true",
                        help="SMOTENC and SMOTEN on mixed data (written to RESULTS-nominal.md)")
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    name = ("RESULTS-cleaning.md" if args.cleaning else
            "RESULTS-nominal.md" if args.nominal else "RESULTS.md")
    output = args.output or str(HERE / name)

    jobs = []  # (label, data file, sampler, parameters, repeats, libraries)
    if args.nominal:
        for sampler, (n, n_num, levels, share), reps, both in NOMINAL:
            label = (f"{n:,} x ({n_num} num + {len(levels)} cat, {min(levels)}-{max(levels)} "
                     f"values) {share:.0%}")
            params = {"categorical_features": list(range(n_num, n_num + len(levels)))} \
                if sampler == "SMOTENC" else {}
            jobs.append((label, n, lambda a=(n, n_num, levels, share): _mixed_file(*a),
                         sampler, params, reps, both))
    else:
        for (n, d, share, dtype), sampler, params, reps in _plan(args.cleaning):
            jobs.append((f"{n:,}x{d} {share:.0%} {dtype}", n,
                         lambda a=(n, d, share, dtype): _data_file(*a), sampler, params,
                         reps or (3 if n * d >= 10_000_000 else 5), True))
    rows = []
    for label, n, data, sampler, params, reps, both in jobs:
        if args.quick and n >= 1_000_000:
            continue
        if args.only and args.only not in f"{label} {sampler}":
            continue
        path = data()
        repeats = args.repeats or reps
        libs = ("imblearn", "smotelab") if both else ("smotelab",)
        res = {"imblearn": [], "smotelab": []}
        for r in range(repeats):
            for lib in libs:
                res[lib].append(_measure(lib, sampler, path, r, params))
        a, b = res["imblearn"], res["smotelab"]
        shown = sampler + "".join(f" {k}={v}" for k, v in params.items()
                                  if k != "categorical_features")
        row = {
            "case": label, "sampler": shown,
            "imblearn_s": statistics.median(m["seconds"] for m in a) if a else None,
            "smotelab_s": statistics.median(m["seconds"] for m in b),
            "imblearn_mb": statistics.median(m["peak_mb"] or 0 for m in a) if a else None,
            "smotelab_mb": statistics.median(m["peak_mb"] or 0 for m in b),
            "output_mb": b[0]["output_mb"],
            "same_counts": a[0]["n_out"] == b[0]["n_out"] if a else None,
            "dtypes": f"{a[0]['dtype_out'] if a else '-'} / {b[0]['dtype_out']}",
            "repeats": repeats,
        }
        row["speedup"] = row["imblearn_s"] / row["smotelab_s"] if a else None
        rows.append(row)
        print(f"{label:<28}{shown:<18} imblearn {_fmt(row['imblearn_s'], '7.3f')}s "
              f"{_fmt(row['imblearn_mb'], '7.0f')}MB | smotelab {row['smotelab_s']:7.3f}s "
              f"{row['smotelab_mb']:7.0f}MB | x{_fmt(row['speedup'], '.2f')}", flush=True)
    _write(rows, Path(output), nominal=args.nominal)


def _fmt(value: float | None, spec: str) -> str:
    return "not run" if value is None else format(value, spec)


def _write(rows: list[dict], path: Path, nominal: bool = False) -> None:
    data_note = (
        "Data: `make_classification` (10 informative features), numeric columns first, "
        "then each categorical column as integer codes: quantile bins of a further "
        "feature (so values carry class information), all in one numpy array; both "
        "libraries get `categorical_features` as the list of those positions."
        if nominal else
        "Data: `make_classification` with 10 informative features and the rest noise (all "
        "independent, full rank), no label noise, `random_state=0`.")
    lines = [
        "# Benchmarks: smotelab vs imbalanced-learn",
        "",
        f"Measured {date.today().isoformat()} with `make bench` (`python benchmarks/run.py`) on "
        f"{_versions()}.",
        "",
        "Each figure is the median over the repeats; every measurement is its own process, "
        "the two libraries alternate within each repeat. *Peak* is the resident memory "
        "added by `fit_resample` (high-water mark reset before the call). The machine is "
        "shared, so absolute times are noisy; the ratios are measured back to back. "
        + data_note,
        "",
        "| data (n x d, minority, dtype) | sampler | imbalanced-learn s | smotelab s | speed-up "
        "| imbalanced-learn peak MB | smotelab peak MB | output MB | output dtype (imblearn / "
        "smotelab) | same counts | repeats |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for r in rows:
        same = "-" if r["same_counts"] is None else "yes" if r["same_counts"] else "NO"
        speed = "-" if r["speedup"] is None else f"**{r['speedup']:.2f}x**"
        lines.append(
            f"| {r['case']} | {r['sampler']} | {_fmt(r['imblearn_s'], '.3f')} "
            f"| {r['smotelab_s']:.3f} | {speed} | {_fmt(r['imblearn_mb'], '.0f')} "
            f"| {r['smotelab_mb']:.0f} | {r['output_mb']:.0f} | {r['dtypes']} | {same} "
            f"| {r['repeats']} |"
        )
    write_lines(path, lines)


def write_lines(path: Path, lines: list[str]) -> None:
    """Write a results file whole or not at all (a temporary file, then renamed)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".md")
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
