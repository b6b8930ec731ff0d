"""Errors raised by smotelab.

Every error subclasses a built-in one (``ValueError`` or ``TypeError``) so code written
for scikit-learn or imbalanced-learn that catches those still catches ours, and every
message says what is wrong, which class or column, and what to do about it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "CategoricalFeatureWarning",
    "DataValidationError",
    "EstimatorContractError",
    "EstimatorFitError",
    "LowRecallError",
    "MemoryLimitError",
    "MetadataResamplingError",
    "NonNumericDataError",
    "NotEnoughSamplesError",
    "SamplingStrategyError",
    "SmotelabError",
    "SmotelabWarning",
    "SparseInputError",
    "fitting",
    "raise_isinstance_error",
    "too_few_samples",
]


def fmt_label(label: object) -> str:
    """A class label as users wrote it (``'dragon'``, ``3``), for error messages."""
    item = getattr(label, "item", None)
    if callable(item) and getattr(label, "shape", None) == ():
        label = item()
    return repr(label)


class SmotelabError(Exception):
    """Base class of every error smotelab raises on purpose."""


class DataValidationError(SmotelabError, ValueError):
    """``X`` or ``y`` cannot be resampled as given (NaN, wrong shape, wrong type...)."""


class EstimatorContractError(SmotelabError, TypeError, RuntimeError):
    """A given estimator lacks what the sampler needs from it (``support_``,
    ``cluster_centers_``, ``n_clusters``...). A ``RuntimeError`` too, as imbalanced-learn
    raises one there."""


class LowRecallError(SmotelabError, RuntimeError):
    """An approximate neighbour search measured a recall below the ``min_recall`` asked for."""


class MemoryLimitError(SmotelabError, ValueError):
    """The output asked for cannot fit in memory; refused before anything is allocated."""


class MetadataResamplingError(SmotelabError, ValueError):
    """Per-row metadata cannot follow the rows a sampler output (unknown row sources)."""


class NonNumericDataError(DataValidationError, TypeError):
    """A numeric-only sampler was given non-numeric columns."""


class EstimatorFitError(DataValidationError):
    """An estimator a sampler fits (a classifier, an SVM, a clustering) failed on the data."""


@contextmanager
def fitting(who: str, role: str, estimator: object) -> Iterator[None]:
    """Turn the ``ValueError`` of an estimator fitted inside a sampler into a clear one.

    The message says which sampler, which of its estimators, what it said, and what to
    try (scale extreme values, more samples per class, another estimator).
    """
    try:
        yield
    except SmotelabError:
        raise
    except ValueError as err:
        said = " ".join(str(err).split())
        raise EstimatorFitError(
            f"{who}: its {role} ({type(estimator).__name__}) could not be fitted on this "
            f"data: {said} Check for extreme magnitudes (standardise X), classes with very "
            f"few samples, or pass another {role}.") from err


class SparseInputError(DataValidationError, TypeError):
    """Sparse ``X`` given where dense data is required (a TypeError, as scikit-learn's)."""


class SamplingStrategyError(SmotelabError, ValueError):
    """``sampling_strategy`` does not describe a valid plan for this ``y``."""


class NotEnoughSamplesError(SmotelabError, ValueError):
    """A class has too few samples for the requested number of neighbours."""


def too_few_samples(who: str, param: str, k: int, n: int, when: str = ""
                    ) -> NotEnoughSamplesError:
    """The error for ``param=k`` neighbours asked of data with only ``n`` samples.

    >>> str(too_few_samples("ENN", "n_neighbors", 6, 6))
    'ENN: n_neighbors=6 but the data have only 6 samples, so each has at most 5 neighbours; use n_neighbors<=5.'
    """
    return NotEnoughSamplesError(
        f"{who}: {param}={k} but the data have only {n} samples{when}, so each has at most "
        f"{max(n - 1, 0)} neighbours; use {param}<={max(n - 1, 1)}.")


class SmotelabWarning(UserWarning):
    """A sampler changed what it does to finish the job (a fallback); the message says how."""


class CategoricalFeatureWarning(UserWarning):
    """A numeric-only sampler was given columns that look categorical (integer codes)."""


def raise_isinstance_error(variable_name: str, possible_type: object, variable: object) -> None:
    """Raise imbalanced-learn's error for a variable of the wrong type.

    Parameters
    ----------
    variable_name : str
        The variable's name.
    possible_type : type or list of types
        What it may be.
    variable : object
        What it is.

    Raises
    ------
    ValueError
        Always: ``"{variable_name} has to be one of {possible_type}. Got ..."``.
    """
    raise ValueError(
        f"{variable_name} has to be one of {possible_type}. Got {type(variable)} instead."
    )
