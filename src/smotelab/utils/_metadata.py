"""Per-row metadata (``sample_weight``, ``groups``...) that follows the rows a sampler outputs.

A sampler keeps, copies or makes rows. Every output row has one *source*: the input row it
is (a kept row), copies (a random over-sampling draw) or grew from (a synthetic row's
parent, the seed ``x_i`` of ``x_i + step * (x_nn - x_i)``; a cluster centroid's nearest
member). A per-row value of an output row is the value of its source:

- kept and copied rows keep their own values, exactly;
- a synthetic row takes its parent's value. Not an interpolation between parent and
  neighbour: the parent's value is defined for every dtype (``groups``, strings, ints),
  never leaves the set of values given, stays positive where SVM-SMOTE extrapolates
  (``step < 0``) and is not blended with another class's value where Borderline-SMOTE-2
  steps toward one. A synthetic row is its parent moved by at most one neighbour
  distance, as a random over-sampling copy is its parent moved by zero.

The same rule serves the Pipeline (metadata routed to later steps), ``fit_resample(X, y,
**params)`` and :func:`resample_like`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from sklearn.utils import _safe_indexing
from sklearn.utils._metadata_requests import COMPOSITE_METHODS, METHODS, SIMPLE_METHODS
from sklearn.utils.validation import _is_arraylike_not_scalar, _num_samples

from ..exceptions import MetadataResamplingError

__all__ = ["check_per_row", "is_per_row", "register_fit_resample", "resample_like", "resample_params",
           "resample_params_lazy", "row_sources"]


def register_fit_resample() -> None:
    """Let scikit-learn's metadata routing know the ``fit_resample`` method.

    scikit-learn routes only the methods it lists; imbalanced-learn adds ``fit_resample``
    to those lists in the same way, so both libraries can be imported together.
    """
    for methods in (SIMPLE_METHODS, METHODS):
        if "fit_resample" not in methods:
            methods.append("fit_resample")
    assert "fit_resample" not in COMPOSITE_METHODS


def is_per_row(value: Any, n_samples: int) -> bool:
    """Whether ``value`` holds one entry per sample (scikit-learn's rule for CV splits)."""
    if not _is_arraylike_not_scalar(value) or isinstance(value, (str, bytes, Mapping)):
        return False
    try:
        return _num_samples(value) == n_samples
    except TypeError:
        return False


# metadata that is per-row by definition: another length is a mistake, never a value to
# pass through unchanged
PER_ROW_NAMES = frozenset({"sample_weight", "groups"})


def check_per_row(params: Mapping[str, Any], n_samples: int | None, where: str) -> None:
    """Raise where a parameter that is per-row by name (``sample_weight``, ``groups``)
    holds another number of values than ``X`` has rows.

    Called before any work, so nothing is fitted or returned with values that do not
    belong to the rows.
    """
    if n_samples is None:
        return
    for name, value in params.items():
        if name not in PER_ROW_NAMES or value is None or hasattr(value, "__dask_graph__"):
            continue
        if not _is_arraylike_not_scalar(value) or isinstance(value, (str, bytes, Mapping)):
            continue
        try:
            n = _num_samples(value)
        except TypeError:
            continue
        if n != n_samples:
            raise MetadataResamplingError(
                f"{where}: {name} has {n} values but X has {n_samples} rows; give one "
                f"{name} value per row of X, in the same order.")


def row_sources(sampler: Any, n_samples: int) -> np.ndarray:
    """Input row behind every output row of ``sampler``'s last ``fit_resample``.

    smotelab's samplers answer through ``_output_sources``; another library's sampler is
    read through ``sample_indices_`` (as imbalanced-learn's selection samplers expose).
    """
    own = getattr(sampler, "_output_sources", None)
    if callable(own):
        return np.asarray(own(n_samples), dtype=np.intp)
    indices = getattr(sampler, "sample_indices_", None)
    if indices is not None:
        return np.asarray(indices, dtype=np.intp)
    raise MetadataResamplingError(
        f"{type(sampler).__name__} does not say which input row each of its output rows "
        "comes from (it has no sample_indices_), so per-row metadata such as sample_weight "
        "cannot follow its rows; use a smotelab sampler, or pass the metadata to a step "
        "before the sampler."
    )


def resample_params(sampler: Any, params: Mapping[str, Any], n_samples: int,
                    *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``params`` with every per-row value taken at the sampler's output rows.

    Values that are not per-row (scalars, arrays of another length) and the names in
    ``skip`` pass unchanged. Containers are kept (lists stay lists, a Series a Series).
    """
    check_per_row({k: v for k, v in params.items() if k not in skip}, n_samples,
                  f"{type(sampler).__name__}.fit_resample")
    sources: np.ndarray | None = None
    out: dict[str, Any] = {}
    for name, value in params.items():
        if name not in skip and is_per_row(value, n_samples):
            if sources is None:
                sources = row_sources(sampler, n_samples)
            out[name] = _safe_indexing(value, sources)
        else:
            out[name] = value
    return out


def resample_like(sampler: Any, values: Any) -> Any:
    """Resample a per-row array as ``sampler``'s last ``fit_resample`` resampled the rows.

    Kept and copied rows keep their values; a synthetic row takes its parent's (see the
    module's notes for why the parent's rather than an interpolation).

    Parameters
    ----------
    sampler : fitted sampler
        A sampler after ``fit_resample(X, y)``.
    values : array-like of shape (n_samples,) or (n_samples, ...)
        One entry per row of that ``X``: sample weights, groups, ids, a second target...

    Returns
    -------
    values_resampled : same container as ``values``
        One entry per row of ``X_resampled``.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.over_sampling import SMOTE
    >>> from smotelab.utils import resample_like
    >>> X = np.random.default_rng(0).normal(size=(6, 2))
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> w = np.array([1.0, 1.0, 1.0, 1.0, 5.0, 7.0])
    >>> sm = SMOTE(k_neighbors=1, random_state=0)
    >>> X_res, y_res = sm.fit_resample(X, y)
    >>> w_res = resample_like(sm, w)
    >>> len(w_res) == len(y_res), set(w_res[6:].tolist()) <= {5.0, 7.0}
    (True, True)
    """
    n_fit = getattr(sampler, "_n_samples_fit_", None)
    n = _num_samples(values)
    if n_fit is not None and n != n_fit:
        raise MetadataResamplingError(
            f"values has {n} entries but {type(sampler).__name__} was last fitted on "
            f"{n_fit} rows; pass one value per row of the X given to fit_resample."
        )
    return _safe_indexing(values, row_sources(sampler, n))


def resample_params_lazy(sampler: Any, params: Mapping[str, Any], n_samples: int
                         ) -> dict[str, Any]:
    """:func:`resample_params` after a fit on Dask collections: per-row values (Dask or
    numpy arrays) come back as lazy Dask arrays taken at the lazy row sources."""
    import dask.array as da

    check_per_row(params, n_samples, f"{type(sampler).__name__}.fit_resample")
    sources = None
    out: dict[str, Any] = {}
    for name, value in params.items():
        lazy = hasattr(value, "__dask_graph__")
        if lazy and not hasattr(value, "chunks"):  # a Dask Series or DataFrame
            raise MetadataResamplingError(
                f"{name} is a Dask {type(value).__name__}; per-row metadata on Dask must be "
                "a Dask array (e.g. series.to_dask_array(lengths=True)) or a numpy array.")
        if not (value.shape[0] == n_samples if lazy else is_per_row(value, n_samples)):
            out[name] = value
            continue
        if sources is None:
            sources = _lazy_sources(sampler, n_samples)
        out[name] = (value if lazy else da.from_array(np.asarray(value)))[sources]
    return out


def _lazy_sources(sampler: Any, n_samples: int) -> Any:
    """The row sources of a fit on Dask collections, as a lazy integer array."""
    import dask.array as da

    own = getattr(sampler, "_lazy_output_sources", None)
    if own is not None:  # a sampler that says where its Dask output rows come from
        return own()
    kept = getattr(sampler, "sample_indices_", None)
    provenance = getattr(sampler, "provenance_", None)
    if provenance is not None and getattr(sampler, "synthetic_kept_", None) is not None:
        return da.concatenate([kept, provenance["parent"]])  # a combination
    if kept is not None:
        return kept
    if provenance is not None:
        return da.concatenate([da.arange(n_samples), provenance["parent"]])
    raise MetadataResamplingError(
        f"{type(sampler).__name__} does not record which input row each output row comes "
        "from on Dask, so per-row metadata cannot follow its rows.")
