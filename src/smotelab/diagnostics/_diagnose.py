"""What a data set's classes look like before resampling, and what that means for SMOTE.

:func:`diagnose` measures the things the SMOTE literature warns about and turns each
into a :class:`Finding` that says what was found, why it matters and what to do:

* imbalance: each class's count and its ratio to the largest class;
* too few samples: fewer than ``k_neighbors + 1`` (SMOTE cannot run), or fewer than
  six per feature (a common rule of thumb for interpolation to stay meaningful);
* high dimensionality: more than 50 features with fewer than five minority samples
  per feature, where neighbours stop being informative;
* difficulty (Napierala and Stefanowski, 2016): with ``k = 5`` neighbours on
  standardised numeric columns, a sample is *safe* (4-5 of its class around it),
  *borderline* (2-3), *rare* (1) or an *outlier* (0). The outlier share is the noise
  estimate, one minus the safe share the class overlap;
* subgroups: the number of well-separated clusters inside each minority class
  (k-means on the class's own standardised rows, best silhouette of at least 0.6);
* categorical columns: non-numeric columns, and numbers that look like codes.

Everything is computed on at most ``max_queries`` rows per class (spread evenly), against
all rows, so a diagnosis of a million rows takes seconds.
"""

from __future__ import annotations

from typing import Any

from ..utils._validation import check_X_y, integer_coded_columns
from ._measure import difficulty, standardised, subgroups
from ._report import SEVERITY_ORDER, Diagnosis, Finding
from ._rules import NOISE, findings

__all__ = ["NOISE", "Diagnosis", "Finding", "_findings", "diagnose"]


def _continuous(y: Any) -> bool:
    """Whether ``y`` is one column of floats that are not all whole numbers."""
    import numpy as np

    try:
        arr = np.asarray(y)
    except Exception:  # noqa: BLE001  (left to the class checks to word)
        return False
    if arr.dtype.kind != "f" or arr.ndim != 1 or not len(arr):
        return False
    finite = arr[np.isfinite(arr)]
    return bool(len(finite) and np.any(np.mod(finite, 1) != 0)) or bool(
        len(finite) < len(arr) and len(np.unique(finite)) > 20)

_findings = findings  # the guide's rules (smotelab.diagnostics._rules), by their old name


def diagnose(X: Any, y: Any, *, n_neighbors: int = 5, max_queries: int = 2000,
             random_state: int | None = 0) -> Diagnosis:
    """Measure what matters for resampling ``(X, y)`` and say what to do about it.

    Parameters
    ----------
    X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
        Features; non-numeric columns are reported and left out of the distances.
    y : array-like of shape (n_samples,)
        Class labels.
    n_neighbors : int, default=5
        Neighbours for the difficulty of each sample.
    max_queries : int, default=2000
        At most this many samples per class have their neighbours examined (spread
        evenly over the class); the neighbours are searched among all samples.
    random_state : int or None, default=0
        Seed of the subgroup clustering.

    Returns
    -------
    Diagnosis
        Per-class numbers and the findings, most severe first; for a continuous target
        (floats that are not all whole numbers), a
        :class:`~smotelab.diagnostics.RegressionDiagnosis` of its relevance and bumps.

    Examples
    --------
    >>> from smotelab.datasets import make_dragons
    >>> from smotelab.diagnostics import diagnose
    >>> report = diagnose(*make_dragons())
    >>> report.counts["dragon"], round(report.imbalance_ratio["dragon"])
    (48, 50)
    >>> report.has("noisy-minority"), report.findings[0].code
    (True, 'noisy-minority')
    """
    if _continuous(y):  # a regression target: relevance and bumps, not classes
        from ._regression import diagnose_regression

        return diagnose_regression(X, y, k_neighbors=n_neighbors)  # type: ignore[return-value]
    Xc, yc = check_X_y(X, y)
    classes, counts, inverse = yc.encoded()
    labels = [c.item() if hasattr(c, "item") else c for c in classes]
    n, d = Xc.n_rows, Xc.n_features
    count = {c: int(k) for c, k in zip(labels, counts, strict=True)}
    top = max(count.values())
    cat_cols = Xc.categorical_like_columns()
    numeric_cols = [j for j in range(d) if j not in set(Xc.non_numeric_columns())]
    Xn = Xc.numeric(caller="diagnose", columns=numeric_cols) if numeric_cols else None
    if Xn is not None:  # NaN or infinity, dense or sparse, named before any distance
        from ..utils._validation import check_finite

        check_finite(Xn, Xc)
    code_like = [numeric_cols[j] for j in integer_coded_columns(Xn)] if Xn is not None else []
    diag = Diagnosis(
        n_samples=n, n_features=d, classes=labels, counts=count,
        imbalance_ratio={c: top / k for c, k in count.items()},
        samples_per_feature={c: k / d for c, k in count.items()},
        difficulty={}, subgroups={},
        categorical_columns=[Xc.columns[j] if Xc.columns is not None else j for j in cat_cols],
        code_like_columns=[Xc.columns[j] if Xc.columns is not None else j for j in code_like],
        n_neighbors=n_neighbors)
    if Xn is not None and n > n_neighbors:
        Z = standardised(Xn)
        diag.difficulty = difficulty(Z, inverse, labels, n_neighbors, max_queries)
        diag.subgroups = {c: subgroups(Z[inverse == i], random_state)
                          for i, c in enumerate(labels) if c in diag.minority_classes}
    diag.findings = sorted(findings(diag), key=lambda f: SEVERITY_ORDER[f.severity])
    return diag
