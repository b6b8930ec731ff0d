"""``smotelab demo``: the rare-class story on the bundled dragons data."""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

__all__ = ["demo_table", "run_demo"]

RARE = "dragon"


def demo_table(folds: int = 5, random_state: int = 0) -> list[dict]:
    """Cross-validated scores on the dragons: no resampling, then every over-sampler."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, make_scorer, recall_score
    from sklearn.model_selection import StratifiedKFold, cross_validate
    from sklearn.preprocessing import StandardScaler

    from ..datasets import make_dragons
    from ..metrics import geometric_mean_score
    from ..over_sampling import (
        ADASYN,
        SMOTE,
        SVMSMOTE,
        BorderlineSMOTE,
        KMeansSMOTE,
        RandomOverSampler,
    )
    from ..pipeline import make_pipeline

    X, y = make_dragons()
    scoring = {
        "F1 (dragon)": make_scorer(f1_score, labels=[RARE], average="macro", zero_division=0),
        "G-mean": make_scorer(geometric_mean_score),
        "recall (dragon)": make_scorer(recall_score, labels=[RARE], average="macro",
                                       zero_division=0),
    }
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    candidates = {
        "no resampling": None,
        "RandomOverSampler": RandomOverSampler(random_state=random_state),
        "SMOTE": SMOTE(random_state=random_state),
        "BorderlineSMOTE": BorderlineSMOTE(random_state=random_state),
        "ADASYN": ADASYN(random_state=random_state),
        "SVMSMOTE": SVMSMOTE(random_state=random_state),
        "KMeansSMOTE": KMeansSMOTE(random_state=random_state),
    }
    rows = []
    for name, sampler in candidates.items():
        steps = [StandardScaler()] + ([sampler] if sampler is not None else [])
        model = make_pipeline(*steps, LogisticRegression(max_iter=1000))
        t0 = time.perf_counter()
        res = cross_validate(model, X, y, cv=cv, scoring=scoring)
        row = {"method": name, "seconds": time.perf_counter() - t0}
        for metric in scoring:
            vals = res[f"test_{metric}"]
            row[metric] = (float(np.mean(vals)), float(np.std(vals)))
        rows.append(row)
    return rows


def run_demo(folds: int = 5, random_state: int = 0) -> None:
    """Print the demo: class counts before/after SMOTE and the cross-validated table."""
    from ..datasets import make_dragons
    from ..over_sampling import SMOTE

    X, y = make_dragons()
    print("smotelab demo - the dragons data set: a farm with a rare, dangerous class.\n")
    before = Counter(y.tolist())
    sampler = SMOTE(random_state=random_state)
    X_res, y_res = sampler.fit_resample(X, y)
    after = Counter(y_res.tolist())
    print(f"{'class':<8}{'before':>8}{'after SMOTE':>13}")
    for label in sorted(before, key=lambda c: before[c], reverse=True):
        print(f"{label:<8}{before[label]:>8}{after[label]:>13}")
    n = len(X)
    prov = sampler.provenance_
    print(f"\n{len(X_res) - n} synthetic rows; the first one is row {prov['parent'][0]} + "
          f"{prov['step'][0]:.3f} x (row {prov['neighbor'][0]} - row {prov['parent'][0]}).")
    print(f"\n{folds}-fold cross-validation, StandardScaler + LogisticRegression; resampling "
          "happens inside each training fold only.\n")
    rows = demo_table(folds=folds, random_state=random_state)
    metrics = [k for k in rows[0] if k not in ("method", "seconds")]
    header = f"{'method':<20}" + "".join(f"{m:>20}" for m in metrics) + f"{'time (s)':>10}"
    print(header)
    print("-" * len(header))
    for row in rows:
        cells = "".join(f"{row[m][0]:>13.3f} ± {row[m][1]:.3f}" for m in metrics)
        print(f"{row['method']:<20}{cells}{row['seconds']:>10.2f}")
