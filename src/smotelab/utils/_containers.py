"""Capture the caller's container once, let the algorithms see numpy, restore on the way out.

The algorithms work on numpy arrays (or scipy sparse matrices); this module is the one
place that knows about pandas, polars and friends, through narwhals. Outside this
module, never call methods on a user's container.

Rules kept on the way out:

* numpy in, numpy out; floating dtypes are kept (float32 stays float32), integer and
  boolean arrays come out as float64 when synthetic rows are added (as in
  imbalanced-learn), unchanged when rows are only selected;
* scipy sparse in, the same sparse format out, never densified;
* a pandas or polars DataFrame in, the same library out, with the same column names
  and dtypes; integer columns of synthetic rows are rounded to the nearest integer
  (not truncated); pandas outputs get a fresh ``RangeIndex``, since synthetic rows have
  no index label of their own;
* a Series ``y`` keeps its name and dtype (categories included), because the labels of
  the output are always *gathered* from the input labels, never rebuilt.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from ..exceptions import DataValidationError, NonNumericDataError

__all__ = ["XContainer", "YContainer", "capture_X", "capture_y"]


def _is_frame(obj: Any) -> bool:
    # numpy first: narwhals' check looks up its plugins on the first call (~10 ms)
    return not isinstance(obj, np.ndarray) and nw.dependencies.is_into_dataframe(obj)


def _is_series(obj: Any) -> bool:
    return not isinstance(obj, np.ndarray) and nw.dependencies.is_into_series(obj)


@dataclass
class XContainer:
    """The captured feature matrix: its original form plus a view for the algorithms."""

    native: Any
    kind: str  # "numpy", "sparse" or "frame"
    columns: list[Any] | None = None
    _frame: Any = field(default=None, repr=False)

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        if self.kind == "frame":
            return int(self._frame.shape[0])
        return int(self.native.shape[0])

    @property
    def n_features(self) -> int:
        """Number of columns."""
        if self.kind == "frame":
            return int(self._frame.shape[1])
        return int(self.native.shape[1])

    def column_name(self, j: int) -> str:
        """Human-readable name of column ``j`` for error messages."""
        if self.columns is not None:
            return repr(self.columns[j])
        return f"{j} (0-based index)"

    def non_numeric_columns(self, *, bool_numeric: bool = False) -> list[int]:
        """Positions of columns that are not real-valued numbers.

        Booleans count as non-numeric unless ``bool_numeric``; an object column of
        numbers (as pandas makes from a mixed array) counts as numeric.
        """
        if self.kind == "sparse":
            return [] if self.native.dtype.kind in "iuf" else list(range(self.n_features))
        if self.kind == "frame":
            return [
                j
                for j, (name, dt) in enumerate(self._frame.schema.items())
                if not (dt.is_numeric() and dt != nw.Boolean)
                and not (bool_numeric and dt == nw.Boolean)
                and not (dt == nw.Object and _numbers_only(self._frame.get_column(name)))
            ]
        arr = self.native
        if arr.dtype.kind in "iuf" or (bool_numeric and arr.dtype.kind == "b"):
            return []
        if arr.dtype.kind == "O":
            bad = []
            for j in range(arr.shape[1]):
                try:
                    col = np.asarray(arr[:, j], dtype=np.float64)
                except (TypeError, ValueError):
                    bad.append(j)
                    continue
                if not bool_numeric and any(isinstance(v, (bool, np.bool_)) for v in arr[:, j]):
                    bad.append(j)
                del col
            return bad
        return list(range(arr.shape[1]))

    def _odd_cell(self, columns: list[int]) -> str | None:
        """A message for the first cell of ``columns`` that is neither a number nor a string
        (a dict, a list...), which no sampler can read; ``None`` when there is none."""
        if self.kind != "numpy" or self.native.dtype.kind != "O":
            return None
        for j in columns:
            for i, v in enumerate(self.native[:, j]):
                if not isinstance(v, (str, bytes, numbers.Number)) and v is not None:
                    return (f"X's column {self.column_name(j)} holds a {type(v).__name__} "
                            f"at row {i} ({v!r:.40}), which cannot be read as a number (a float() "
                            "argument must be a string or a number). Flatten or encode "
                            "that column.")
        return None

    def categorical_like_columns(self) -> list[int]:
        """Positions of columns whose type says "categories": strings, categoricals, booleans.

        For frames: Categorical, Enum, String, Boolean and Object dtypes; for numpy: the
        non-numeric columns of an object array, or every column of a boolean array.
        """
        if self.kind == "frame":
            kinds = (nw.Categorical, nw.Enum, nw.String, nw.Boolean, nw.Object)
            return [j for j, dt in enumerate(self._frame.schema.values())
                    if any(dt == k for k in kinds)]
        if self.kind == "sparse":
            return []
        return self.non_numeric_columns()

    def numeric(self, *, caller: str, columns: list[int] | None = None,
                hint: str | None = None, bool_numeric: bool = False) -> Any:
        """The data (or ``columns`` of it) as a floating array for numeric algorithms.

        Raises a specific error naming the first non-numeric column otherwise; ``hint``
        replaces the default advice in that error. ``bool_numeric`` reads booleans as 0/1.
        """
        bad = self.non_numeric_columns(bool_numeric=bool_numeric)
        if columns is not None:
            bad = [j for j in bad if j in set(columns)]
        if bad:
            names = ", ".join(self.column_name(j) for j in bad[:5])
            more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
            hint = hint or ("Encode them first (e.g. with scikit-learn's OneHotEncoder or "
                            "OrdinalEncoder).")
            odd = self._odd_cell(bad)
            if odd is not None:
                raise NonNumericDataError(odd)
            raise NonNumericDataError(
                f"{caller} needs numeric features, but "
                f"column(s) {names}{more} are not numeric (strings, categories or booleans). "
                + hint
            )
        if self.kind == "sparse":
            X = self.native
            if X.dtype.kind != "f":
                X = X.astype(np.float64)
            return X.tocsr()
        if self.kind == "frame":
            frame = self._frame
            if columns is not None:
                picked = [frame.columns[j] for j in columns]
                # nullable integers become floats with NaN for missing (caught as NaN)
                # (and booleans and object columns of numbers, already checked)
                frame = frame.select([
                    nw.col(c).cast(nw.Float64) if frame.schema[c].is_integer()
                    or frame.schema[c] in (nw.Boolean, nw.Object) else nw.col(c)
                    for c in picked])
            arr = frame.to_numpy()
        else:
            arr = self.native if columns is None else self.native[:, columns]
        if arr.dtype.kind != "f":
            arr = arr.astype(np.float64)
        return arr

    def category_codes(self, j: int, *, caller: str) -> np.ndarray:
        """Column ``j`` as integer codes ``0 .. n_values - 1`` (equal values, equal codes).

        Codes follow the categories' order for categorical dtypes and the sorted values
        otherwise. Missing values (None, NaN, nulls) raise a specific error.
        """
        def missing(count: int) -> DataValidationError:
            return DataValidationError(
                f"{caller}: categorical column {self.column_name(j)} has {count} missing "
                "value(s) (NaN, None or null). Fill them (e.g. SimpleImputer(strategy='most_frequent') or an "
                "explicit 'missing' category) before resampling."
            )

        if self.kind == "frame":
            s = self._frame.get_column(self._frame.columns[j])
            nulls = int(s.null_count())
            if s.dtype.is_float():
                nulls += int(s.is_nan().sum())
            if nulls:
                raise missing(nulls)
            native = s.to_native()
            if s.dtype == nw.Categorical or s.dtype == nw.Enum:
                if nw.dependencies.is_pandas_series(native):
                    return np.asarray(native.cat.codes, dtype=np.intp)
                if nw.dependencies.is_polars_series(native):
                    return native.to_physical().to_numpy().astype(np.intp)
            ranks = s.rank(method="dense").to_numpy()
            return np.asarray(ranks, dtype=np.intp) - 1
        col = self.native[:, j]
        if col.dtype.kind == "f":
            bad = int(np.isnan(col).sum())
            if bad:
                raise missing(bad)
            if np.isinf(col).any():
                raise DataValidationError(
                    f"{caller}: categorical column {self.column_name(j)} holds infinity; "
                    "a category must be a finite value or a string. Replace it first.")
        elif col.dtype.kind == "O":
            bad = sum(1 for v in col if v is None or (isinstance(v, float) and v != v))
            if bad:
                raise missing(bad)
        try:
            _, codes = np.unique(col, return_inverse=True)
        except TypeError:
            kinds = sorted({type(v).__name__ for v in col.tolist()})
            raise DataValidationError(
                f"{caller}: categorical column {self.column_name(j)} mixes value types "
                f"({', '.join(kinds)}) that cannot be compared; give it one type (e.g. "
                "strings)."
            ) from None
        return codes.reshape(-1).astype(np.intp)

    def column_values(self, j: int, rows: np.ndarray) -> np.ndarray:
        """Values of column ``j`` at ``rows``, as a numpy array."""
        if self.kind == "frame":
            return self._frame.get_column(self._frame.columns[j])[rows].to_numpy()
        return self.native[rows, j]

    def take(self, indices: np.ndarray, *, keep_index: bool = False) -> Any:
        """Rows ``indices`` of the original container, in its own type and dtypes.

        pandas rows keep their index labels with ``keep_index`` (selections), else get a
        fresh ``RangeIndex``.
        """
        if self.kind == "frame":
            out = self._frame[indices].to_native()
            return out if keep_index else _tidy_index(out)
        out = self.native[indices]
        if self.kind == "sparse":
            out = out.asformat(self.native.format)
        return out

    def new_rows_buffer(self, X_num: np.ndarray, n_new: int) -> tuple[np.ndarray, np.ndarray]:
        """A buffer for the output and the view of it that synthetic rows go into.

        For numpy input the buffer is the whole ``(n + n_new, d)`` output with the input
        already copied into its head, so synthetic rows are written in place and no
        concatenation copy follows. For other containers it holds the new rows only.
        """
        n = X_num.shape[0]
        if self.kind == "numpy":
            out = np.empty((n + n_new, X_num.shape[1]), dtype=X_num.dtype)
            out[:n] = X_num
            return out, out[n:]
        out = np.empty((n_new, X_num.shape[1]), dtype=X_num.dtype)
        return out, out

    def append(self, buffer: Any) -> Any:
        """The original rows followed by the synthetic rows, in the original container.

        ``buffer`` is what :meth:`new_rows_buffer` returned (filled in), or a sparse
        matrix of new rows for sparse input.
        """
        if self.kind == "sparse":
            return sp.vstack([self.native, buffer], format=self.native.format)
        if self.kind == "numpy":
            return buffer
        return self._append_frame(buffer)

    def append_columns(self, values: np.ndarray, value_columns: list[int],
                       gathers: dict[int, np.ndarray], *, originals: bool = True) -> Any:
        """The original rows followed by new rows built column by column.

        Columns ``value_columns`` of the new rows take the columns of ``values`` (numbers;
        integer columns are rounded); every other column ``j`` takes the column's own
        values at rows ``gathers[j]``, so categories, strings and booleans keep their
        exact type (categories and their order included). ``originals=False``: the new
        rows only (pandas and polars, numbered from 0; the Dask engine's blocks).
        """
        n_new = values.shape[0]
        slot = {j: i for i, j in enumerate(value_columns)}
        if self.kind == "numpy":
            X = self.native
            # interpolated integer columns become floats (as with SMOTE); a table of only
            # gathered values (SMOTEN) keeps its dtype
            dtype = X.dtype if X.dtype.kind in "fO" or not value_columns else np.float64
            n0 = X.shape[0] if originals else 0
            out = np.empty((n0 + n_new, X.shape[1]), dtype=dtype)
            out[:n0] = X[:n0]
            for j in range(X.shape[1]):
                out[n0:, j] = values[:, slot[j]] if j in slot else X[gathers[j], j]
            return out
        frame = self._frame
        native = frame.to_native()
        columns = []
        for j, (name, dt) in enumerate(frame.schema.items()):
            if j in slot:
                col = np.asarray(values[:, slot[j]])
                if dt.is_integer() or dt == nw.Boolean:  # the nearest value, not truncated
                    col = np.rint(col)
                columns.append(nw.new_series(str(name), col, nw.Float64,
                                             backend=frame.implementation).cast(dt))
            else:
                columns.append(frame.get_column(name)[gathers[j]])
        if nw.dependencies.is_pandas_dataframe(native):
            import pandas as pd

            parts = [c.to_native().reset_index(drop=True) for c in columns]
            new = pd.concat(parts, axis=1)
            new.columns = native.columns
            return pd.concat([native, new], ignore_index=True) if originals else new
        if nw.dependencies.is_polars_dataframe(native):
            import polars as pl

            # native series: narwhals' from_dict would turn an Enum into a Categorical
            new = pl.DataFrame([c.to_native() for c in columns])
            return pl.concat([native, new], how="vertical") if originals else new
        new = nw.from_dict({str(n): c for n, c in zip(frame.columns, columns, strict=True)},
                           backend=frame.implementation)
        if not originals:
            return _tidy_index(new.to_native())
        return _tidy_index(nw.concat([frame, new], how="vertical").to_native())

    def _append_frame(self, new_rows: np.ndarray) -> Any:
        frame = self._frame
        schema = frame.schema
        data = {}
        for j, (name, dt) in enumerate(schema.items()):
            col = np.asarray(new_rows[:, j])
            if dt.is_integer():
                col = np.rint(col)
            data[name] = col
        impl = frame.implementation
        new = nw.from_dict(data, backend=impl)
        native_new = new.to_native()
        native_old = frame.to_native()
        if impl.is_pandas():
            native_new = native_new.astype(native_old.dtypes.to_dict())
        elif impl.is_polars():
            native_new = native_new.cast(dict(native_old.schema))
        else:  # other eager backends: narwhals' own casts
            native_new = new.with_columns(
                *[nw.col(name).cast(dt) for name, dt in schema.items()]
            ).to_native()
        combined = nw.concat(
            [frame, nw.from_native(native_new, eager_only=True)], how="vertical"
        )
        return _tidy_index(combined.to_native())


def _tidy_index(native: Any) -> Any:
    # pandas keeps row labels through gathers and concatenations; synthetic rows have
    # none, so every pandas output gets a fresh RangeIndex (as imbalanced-learn does).
    if nw.dependencies.is_pandas_dataframe(native) or nw.dependencies.is_pandas_series(native):
        return native.reset_index(drop=True)
    return native


@dataclass
class YContainer:
    """The captured target: labels for the algorithms, gathering for the output."""

    native: Any
    kind: str  # "numpy", "series", "frame" (one column) or "onehot"
    labels: np.ndarray
    _series: Any = field(default=None, repr=False)
    _encoded: Any = field(default=None, repr=False)

    def encoded(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sorted classes, their counts and each row's class position, computed once.

        Validation, the sampling plan and the samplers all need them; sorting the labels
        once instead of at every step matters at millions of rows.
        """
        if self._encoded is None:
            try:
                classes, inverse, counts = np.unique(self.labels, return_inverse=True,
                                                     return_counts=True)
            except TypeError:
                kinds = sorted({type(v).__name__ for v in self.labels.tolist()})
                raise DataValidationError(
                    f"y mixes label types ({', '.join(kinds)}) that cannot be ordered; "
                    "give every label the same type (e.g. all strings)."
                ) from None
            self._encoded = (classes, counts, inverse.reshape(-1))
        return self._encoded

    def take(self, indices: np.ndarray, *, keep_index: bool = False) -> Any:
        """Labels of rows ``indices``, in the input's own type (dtype, categories, name);
        pandas index labels kept with ``keep_index``, as for :meth:`XContainer.take`."""
        tidy = (lambda native: native) if keep_index else _tidy_index
        if self.kind == "series":
            return tidy(self._series[indices].to_native())
        if self.kind == "frame":  # a one-column DataFrame stays one
            return tidy(self._series[indices].to_frame().to_native())
        return self.native[indices]

    def append(self, values: np.ndarray) -> Any:
        """The labels followed by ``values`` (targets made with new rows), in the
        input's own type; the values take the target's dtype."""
        if self.kind in ("series", "frame"):
            series = self._series
            new = nw.new_series(series.name, np.asarray(values), backend=nw.get_native_namespace(
                series)).cast(series.dtype)
            out = nw.concat([series.to_frame(), new.to_frame()], how="vertical")
            col = out[series.name] if series.name is not None else out.get_column(
                out.columns[0])
            native = col.to_frame().to_native() if self.kind == "frame" else col.to_native()
            return _tidy_index(native)
        native = np.asarray(self.native)
        return np.concatenate([native, np.asarray(values).astype(native.dtype, copy=False)])


def _numbers_only(series: Any) -> bool:
    """Whether an object column holds only real numbers (missing values allowed)."""
    return all(v is None or (isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)))
               for v in series.to_numpy())


def _is_pandas_sparse(X: Any) -> bool:
    """A pandas DataFrame whose every column has a ``SparseDtype``."""
    if not nw.dependencies.is_pandas_dataframe(X) or X.shape[1] == 0:
        return False
    import pandas as pd

    return all(isinstance(dt, pd.SparseDtype) for dt in X.dtypes)


def restore_output(out: Any, given: Any) -> Any:
    """``out`` (X or y) as the container given: a list (imbalanced-learn returns lists for
    lists), or a pandas frame of sparse columns."""
    if isinstance(given, list) and hasattr(out, "tolist"):
        return out.tolist()
    if sp.issparse(out) and _is_pandas_sparse(given):
        import pandas as pd

        frame = pd.DataFrame.sparse.from_spmatrix(out, columns=given.columns)
        return frame.astype(given.dtypes.to_dict())
    return out


def capture_X(X: Any) -> XContainer:
    """Capture ``X`` (array-like, sparse matrix or DataFrame) without copying it."""
    if sp.issparse(X):
        if X.ndim != 2:
            raise DataValidationError(f"X must be 2-D; got a sparse array of shape {X.shape}.")
        if X.format not in ("csr", "csc"):  # COO, DIA, BSR, LIL, DOK: rows need CSR
            X = X.tocsr()
        return XContainer(native=X, kind="sparse")
    if _is_pandas_sparse(X):  # sparse columns: the algorithms see one CSR matrix
        return XContainer(native=X.sparse.to_coo().tocsr(), kind="sparse",
                          columns=list(X.columns))
    if _is_frame(X):
        frame = nw.from_native(X, eager_only=True)
        return XContainer(native=X, kind="frame", columns=list(frame.columns), _frame=frame)
    if _is_series(X):
        raise DataValidationError(
            "X is a Series (one column); samplers expect a 2-D table of features. "
            "Pass a one-column DataFrame, e.g. `series.to_frame()`."
        )
    try:
        arr = np.asarray(X)
    except ValueError as exc:  # ragged nested lists
        raise DataValidationError(
            f"X could not be read as a 2-D array ({exc}); every row needs the same length."
        ) from None
    if arr.ndim == 1:
        raise DataValidationError(
            f"X is 1-D (shape {arr.shape}); samplers expect a 2-D array of shape "
            "(n_samples, n_features). Use X.reshape(-1, 1) for a single feature."
        )
    if arr.ndim != 2:
        raise DataValidationError(f"X must be 2-D; got an array of shape {arr.shape}.")
    return XContainer(native=arr, kind="numpy")


def capture_y(y: Any) -> YContainer:
    """Capture ``y`` (array-like or Series); a 2-D one-vs-all indicator is read by argmax."""
    if _is_series(y):
        series = nw.from_native(y, series_only=True)
        labels = series.to_numpy()
        return YContainer(native=y, kind="series", labels=labels, _series=series)
    if _is_frame(y):
        frame = nw.from_native(y, eager_only=True)
        if frame.shape[1] != 1:
            raise DataValidationError(
                f"y is a DataFrame with {frame.shape[1]} columns; pass one column of class "
                "labels (a Series)."
            )
        series = frame.get_column(frame.columns[0])  # by name: frame[0] would be a row
        return YContainer(native=y, kind="frame", labels=series.to_numpy(), _series=series)
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:  # a column of labels: 1-D out, as imbalanced-learn
        return YContainer(native=arr.ravel(), kind="numpy", labels=arr.ravel())
    if arr.ndim == 2:
        valid = arr.size > 0 and np.isin(arr, (0, 1)).all() and (arr.sum(axis=1) == 1).all()
        if not valid:
            raise DataValidationError(
                f"y is 2-D with shape {arr.shape}, which is neither one column of labels "
                "nor a one-vs-all indicator matrix (exactly one 1 per row). Multilabel "
                "targets cannot be resampled."
            )
        return YContainer(native=arr, kind="onehot", labels=arr.argmax(axis=1))
    if arr.ndim != 1:
        raise DataValidationError(f"y must be 1-D; got shape {arr.shape}.")
    return YContainer(native=arr, kind="numpy", labels=arr)
