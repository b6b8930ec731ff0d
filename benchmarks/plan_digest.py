"""Digests of every sampler's output, in memory and on Dask, to prove a refactor changes
nothing: run it before and after and compare the two files.

    python benchmarks/plan_digest.py before.json        # on the old commit
    python benchmarks/plan_digest.py after.json         # on the new one
    python benchmarks/plan_digest.py --compare before.json after.json

Each entry hashes the resampled X and y, the provenance and the fitted per-class
attributes of one (sampler, seed, dtype, container, engine, partitioning) case, bit for
bit. The digests hold on one machine (BLAS and CPU can move the last bits elsewhere).
"""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from typing import Any

import numpy as np
from sklearn.datasets import make_classification


def _samplers() -> dict[str, Any]:
    from smotelab.combine import SMOTEENN, SMOTETomek
    from smotelab.over_sampling import (
        ADASYN,
        SMOBD,
        SMOTE,
        SVMSMOTE,
        BorderlineSMOTE,
        GeometricSMOTE,
        KMeansSMOTE,
        LeeSMOTE,
        PolynomFitSMOTE,
        ProWSyn,
        RandomOverSampler,
    )
    from smotelab.under_sampling import (
        EditedNearestNeighbours,
        IterativePartitioningFilter,
        RandomUnderSampler,
        TomekLinks,
    )

    return {
        "SMOTE": lambda s: SMOTE(random_state=s),
        "SMOTE-k3": lambda s: SMOTE(k_neighbors=3, random_state=s),
        "Borderline1": lambda s: BorderlineSMOTE(random_state=s),
        "Borderline2": lambda s: BorderlineSMOTE(kind="borderline-2", random_state=s),
        "ADASYN": lambda s: ADASYN(random_state=s),
        "SVMSMOTE": lambda s: SVMSMOTE(random_state=s),
        "KMeansSMOTE": lambda s: KMeansSMOTE(random_state=s, cluster_balance_threshold=0.01),
        "GSMOTE": lambda s: GeometricSMOTE(random_state=s),
        "GSMOTE-min": lambda s: GeometricSMOTE(selection_strategy="minority", random_state=s),
        "GSMOTE-maj": lambda s: GeometricSMOTE(selection_strategy="majority",
                                               truncation_factor=-0.5, random_state=s),
        "ProWSyn": lambda s: ProWSyn(random_state=s),
        "LeeSMOTE": lambda s: LeeSMOTE(random_state=s),
        "SMOBD": lambda s: SMOBD(random_state=s),
        "Polynom-star": lambda s: PolynomFitSMOTE(random_state=s),
        "Polynom-poly": lambda s: PolynomFitSMOTE(topology="poly_2", random_state=s),
        "Polynom-mesh": lambda s: PolynomFitSMOTE(topology="mesh", random_state=s),
        "ROS": lambda s: RandomOverSampler(random_state=s),
        "ROS-shrink": lambda s: RandomOverSampler(shrinkage=0.5, random_state=s),
        "SMOTEENN": lambda s: SMOTEENN(random_state=s),
        "SMOTETomek": lambda s: SMOTETomek(random_state=s),
        "ENN": lambda s: EditedNearestNeighbours(),
        "Tomek": lambda s: TomekLinks(),
        "RUS": lambda s: RandomUnderSampler(random_state=s),
        "IPF": lambda s: IterativePartitioningFilter(random_state=s),
    }


_FITTED = ("in_danger_indices_", "proximity_levels_", "rejection_levels_", "n_rejected_",
           "median_std_", "sample_indices_")


def _digest(*arrays: Any) -> str:
    h = hashlib.sha256()
    for a in arrays:
        a = np.asarray(a)
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        h.update(np.ascontiguousarray(a).tobytes() if a.dtype != object else repr(
            a.tolist()).encode())
    return h.hexdigest()[:16]


def _case(sampler: Any, X: Any, y: Any) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            X_res, y_res = sampler.fit_resample(X, y)
        except Exception as exc:  # the refusal is part of the behaviour
            return f"error:{type(exc).__name__}"
        if hasattr(X_res, "compute"):
            X_res, y_res = X_res.compute(), y_res.compute()
        parts: list[Any] = [np.asarray(X_res.toarray() if hasattr(X_res, "toarray")
                                       else X_res), np.asarray(y_res)]
        prov = getattr(sampler, "provenance_", None)
        if prov is not None:
            for key in ("parent", "neighbor", "step", "class"):
                value = prov[key]
                parts.append(np.asarray(value.compute() if hasattr(value, "compute")
                                        else value))
        for name in _FITTED:
            value = getattr(sampler, name, None)
            if isinstance(value, dict):
                for label in sorted(value, key=repr):
                    parts.append(np.asarray(value[label]))
            elif value is not None:
                parts.append(np.asarray(value))
        return _digest(*parts)


def run() -> dict[str, str]:
    import dask
    from tests._dask_data import frames, split

    out: dict[str, str] = {}
    X, y = make_classification(n_samples=900, n_classes=3, n_informative=4,
                               weights=[0.7, 0.2, 0.1], flip_y=0.03, random_state=3)
    for name, make in _samplers().items():
        for seed in (0, 1):
            for dtype in (np.float64, np.float32):
                Xt = X.astype(dtype)
                out[f"{name}|{seed}|{dtype.__name__}|memory"] = _case(make(seed), Xt, y)
                for parts in (1, 4, 13):
                    out[f"{name}|{seed}|{dtype.__name__}|dask{parts}"] = _case(
                        make(seed), *split(Xt, y, parts))
                    with dask.config.set({"smotelab.neighbours": "partition"}):
                        out[f"{name}|{seed}|{dtype.__name__}|local{parts}"] = _case(
                            make(seed), *split(Xt, y, parts))
            out[f"{name}|{seed}|frame|dask4"] = _case(make(seed), *frames(X, y, 4))
            with dask.config.set({"smotelab.order-invariant": True}):
                out[f"{name}|{seed}|ordered|dask4"] = _case(make(seed), *split(X, y, 4))
    # mixed and categorical tables
    import pandas as pd

    from smotelab.over_sampling import SMOTEN, SMOTENC
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": X[:, 0], "b": rng.choice(list("xyz"), len(X)),
                          "c": X[:, 1].astype(np.float32),
                          "d": pd.Categorical(rng.choice(["p", "q"], len(X)))})
    cats = pd.DataFrame({"b": frame["b"], "e": rng.choice(list("uvw"), len(X))})
    import dask.dataframe as dd
    for seed in (0, 1):
        out[f"SMOTENC|{seed}|memory"] = _case(
            SMOTENC(categorical_features=["b", "d"], random_state=seed), frame, y)
        out[f"SMOTEN|{seed}|memory"] = _case(SMOTEN(random_state=seed), cats, y)
        for parts in (1, 4):
            ys = dd.from_pandas(pd.Series(y, name="t"), npartitions=parts)
            out[f"SMOTENC|{seed}|dask{parts}"] = _case(
                SMOTENC(categorical_features=["b", "d"], random_state=seed),
                dd.from_pandas(frame, npartitions=parts), ys)
    # sparse input
    import scipy.sparse as sp
    Xs = sp.csr_matrix(np.where(np.abs(X) > 1, X, 0))
    for name in ("SMOTE", "Borderline1", "Borderline2", "ADASYN", "GSMOTE", "ProWSyn",
                 "LeeSMOTE", "SVMSMOTE", "ROS"):
        out[f"{name}|0|sparse|memory"] = _case(_samplers()[name](0), Xs, y)
    return out


def main() -> None:
    if sys.argv[1] == "--compare":
        a, b = (json.load(open(p)) for p in sys.argv[2:4])
        diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        for k in diff:
            print(f"{k}: {a.get(k)} -> {b.get(k)}")
        print(f"{len(a)} cases, {len(diff)} differ")
        sys.exit(1 if diff else 0)
    result = run()
    json.dump(result, open(sys.argv[1], "w"), indent=0, sort_keys=True)
    print(f"{len(result)} cases written to {sys.argv[1]}")


if __name__ == "__main__":
    main()
