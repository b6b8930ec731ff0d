"""Input validation shared by every sampler: shapes, lengths, finiteness, target type."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.utils.multiclass import type_of_target

from ..exceptions import DataValidationError
from ._containers import XContainer, YContainer, capture_X, capture_y

__all__ = ["check_finite", "check_X_y", "class_counts", "integer_coded_columns"]

# Columns of whole numbers with at most this many distinct values look categorical.
FEW_VALUES = 10
_CHECK_ROWS = 20_000


def check_X_y(X: Any, y: Any) -> tuple[XContainer, YContainer]:
    """Capture and check ``X`` and ``y`` together (shapes, lengths, target type)."""
    if y is None:
        raise DataValidationError(
            "y is required: the sampler requires y to be passed, but the target y is None; "
            "samplers resample by class, so fit_resample needs the labels."
        )
    Xc = capture_X(X)
    yc = capture_y(y)
    n = Xc.n_rows
    if n == 0:
        raise DataValidationError(
            f"Found array with 0 sample(s) (shape=(0, {Xc.n_features})) while a minimum of "
            "1 is required: X is empty, there is nothing to resample.")
    if Xc.n_features == 0:
        raise DataValidationError(
            f"Found array with 0 feature(s) (shape=({n}, 0)) while a minimum of 1 is "
            "required: X needs at least one column.")
    if len(yc.labels) != n:
        raise DataValidationError(
            f"X and y have different lengths: X has {n} rows, y has {len(yc.labels)} labels."
        )
    _check_target(yc)
    return Xc, yc


def _check_target(yc: YContainer) -> None:
    labels = yc.labels
    if labels.dtype.kind == "f" and np.isnan(labels).any():
        raise DataValidationError(
            f"y has {int(np.isnan(labels).sum())} missing label(s) (NaN); drop or fill them."
        )
    if labels.dtype.kind == "O":
        missing = sum(1 for v in labels if v is None or (isinstance(v, float) and v != v))
        if missing:
            raise DataValidationError(
                f"y has {missing} missing label(s) (None/NaN); drop or fill them."
            )
        yc.encoded()  # labels of types that cannot be ordered get their own error
        kind = type_of_target(labels)
    else:
        # Integers, booleans and strings are class labels; floats are when integral
        # (what scikit-learn's type_of_target decides, here from the sorted classes only).
        classes = yc.encoded()[0]
        integral = labels.dtype.kind != "f" or bool(np.all(np.mod(classes, 1) == 0))
        kind = "multiclass" if integral else "continuous"
    if kind in ("continuous", "continuous-multioutput"):
        raise DataValidationError(
            "y looks continuous (non-integer floats); this sampler resamples class "
            "labels. For a continuous target whose extremes are rare, use the samplers "
            "of smotelab.regression (SMOTER, SMOGN, WERCS...); to treat it as classes, "
            "bin it first."
        )
    if kind not in ("binary", "multiclass"):
        raise DataValidationError(
            f"Unknown label type: y of type {kind!r} cannot be resampled; expected binary "
            "or multiclass labels."
        )
    classes = yc.encoded()[0]
    if len(classes) < 2:
        if len(labels) == 1:
            raise DataValidationError(
                "X has 1 sample (n_samples = 1); resampling needs samples of at least two "
                "classes.")
        raise DataValidationError(
            f"y has a single class ({classes[0]!r}); resampling needs at least two classes."
        )


def class_counts(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted classes, their counts, and each sample's class position (``inverse``).

    For a captured target use :meth:`YContainer.encoded`, which computes them once.
    """
    classes, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    return classes, counts, inverse.reshape(-1)


class NamesColumns(Protocol):
    """Anything that names column ``j`` for an error message (a container, a subset)."""

    def column_name(self, j: int) -> str: ...


def check_finite(X: Any, container: NamesColumns | None = None) -> None:
    """Raise a specific error naming the column if ``X`` holds NaN or infinity.

    Without ``container`` (a bare array), columns are named by position.
    """
    data = X.data if sp.issparse(X) else X
    # A sum is NaN or infinite whenever any term is, and costs no temporary; only when
    # it is not finite (a bad value, or a harmless overflow) is the exact check needed.
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.add.reduce(data, axis=None, dtype=np.float64)
    if np.isfinite(total) or np.isfinite(data).all():
        return
    if sp.issparse(X):
        cols = np.unique(X.tocoo().col[~np.isfinite(X.tocoo().data)])
        bad_rows = None
    else:
        finite = np.isfinite(X)
        cols = np.flatnonzero(~finite.all(axis=0))
        bad_rows = int((~finite.all(axis=1)).sum())
    names = ", ".join(f"{int(j)} (0-based index)" if container is None
                      else container.column_name(int(j)) for j in cols[:5])
    rows = f" in {bad_rows} row(s)" if bad_rows is not None else ""
    raise DataValidationError(
        f"X contains NaN or infinity in column(s) {names}{rows}. Impute missing values "
        "(e.g. sklearn.impute.SimpleImputer in the pipeline before the sampler) or drop them."
    )


def numeric_values(X: Any, *, caller: str, hint: str | None = None,
                   where: str | None = None) -> Any:
    """The one numeric input check every engine runs: ``X`` (an array, a sparse matrix,
    a frame or a captured container) as a floating array, or a specific error naming
    the non-numeric or non-finite columns (``where``, when given, says which rows: a
    partition, the gathered rows of a class)."""
    Xc = X if isinstance(X, XContainer) else capture_X(X)
    try:
        values = Xc.numeric(caller=caller, hint=hint)
        check_finite(values, Xc)
    except DataValidationError as err:
        if where is None:
            raise
        raise type(err)(f"{where}: {err}") from None
    return values


def integer_coded_columns(X: Any) -> list[int]:
    """Columns that look like integer-coded categories.

    A column is flagged when, on a spread-out sample of at most 20,000 rows, it holds only
    whole numbers and between 2 and ``FEW_VALUES`` distinct values. Sparse input is not
    checked.
    """
    if sp.issparse(X) or not len(X):
        return []
    n = X.shape[0]
    m = min(n, _CHECK_ROWS)
    rows = np.arange(m) * (n - 1) // max(m - 1, 1)  # spread out, increasing, distinct
    # Most data have no whole-number column: a few rows rule those columns out cheaply.
    head = np.asarray(X[rows[:: max(1, m // 64)]], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        cols = np.flatnonzero((head == np.rint(head)).all(axis=0))
    if not len(cols):
        return []
    Z = np.asarray(X[rows][:, cols], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        is_whole = (Z == np.rint(Z)).all(axis=0)
    return [int(j) for j, z in zip(cols[is_whole], Z[:, is_whole].T, strict=True)
            if 2 <= len(np.unique(z)) <= FEW_VALUES]
