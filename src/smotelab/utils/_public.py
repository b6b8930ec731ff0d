"""imbalanced-learn's public validation helpers, on smotelab's machinery.

For third-party samplers and code written against ``imblearn.utils``: same names, same
signatures, same results (checked against imbalanced-learn in the tests).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d

from .._strategy import as_kind
from .._strategy import check_sampling_strategy as _plan_counts

__all__ = ["Substitution", "check_neighbors_object", "check_sampling_strategy",
           "check_target_type"]


def check_neighbors_object(nn_name: str, nn_object: Any, additional_neighbor: int = 0) -> Any:
    """A k-nearest-neighbours object from an int or an object, as imbalanced-learn makes it.

    Parameters
    ----------
    nn_name : str
        The parameter's name, for the error message.
    nn_object : int or object with ``kneighbors``
        An int ``k`` gives ``NearestNeighbors(n_neighbors=k + additional_neighbor)``; an
        object is cloned.
    additional_neighbor : int, default=0
        Added to an int (e.g. 1 when the sample itself will be among its neighbours).

    Returns
    -------
    nn_object : object
        A new, unfitted neighbours object.

    Examples
    --------
    >>> from smotelab.utils import check_neighbors_object
    >>> check_neighbors_object("k_neighbors", 5, additional_neighbor=1).n_neighbors
    6
    """
    from sklearn.neighbors import NearestNeighbors

    if isinstance(nn_object, Integral) and not isinstance(nn_object, bool):
        return NearestNeighbors(n_neighbors=int(nn_object) + additional_neighbor)
    if not hasattr(nn_object, "kneighbors"):
        raise TypeError(
            f"{nn_name} must be an int or an object with kneighbors (such as "
            f"sklearn.neighbors.NearestNeighbors); got {type(nn_object).__name__}.")
    return clone(nn_object)


def check_target_type(y: Any, indicate_one_vs_all: bool = False) -> Any:
    """``y`` as 1-D class labels; a one-vs-all indicator matrix is read by argmax.

    Parameters
    ----------
    y : array-like
        Binary or multiclass labels, or a one-vs-all indicator matrix.
    indicate_one_vs_all : bool, default=False
        Also return whether ``y`` was a one-vs-all indicator matrix.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        The labels.
    is_one_vs_all : bool
        Only with ``indicate_one_vs_all=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.utils import check_target_type
    >>> check_target_type(np.array([[1, 0], [0, 1], [1, 0]]), indicate_one_vs_all=True)
    (array([0, 1, 0]), True)
    """
    kind = type_of_target(y)
    if kind == "multilabel-indicator":
        y = np.asarray(y)
        if np.any(y.sum(axis=1) > 1):
            raise ValueError(
                "y is a multilabel indicator (a row has more than one 1): samplers take "
                "binary or multiclass labels, or one-vs-all rows with exactly one 1.")
        y = y.argmax(axis=1)
    else:
        y = column_or_1d(y)
    return (y, kind == "multilabel-indicator") if indicate_one_vs_all else y


def check_sampling_strategy(sampling_strategy: Any, y: Any, sampling_type: str,
                            **kwargs: Any) -> Any:
    """The per-class counts a ``sampling_strategy`` asks for, as imbalanced-learn gives them.

    Parameters
    ----------
    sampling_strategy : float, str, dict, list or callable
        Any of imbalanced-learn's forms; a callable is called as
        ``sampling_strategy(y, **kwargs)``.
    y : array-like of shape (n_samples,)
        Class labels.
    sampling_type : {'over-sampling', 'under-sampling', 'clean-sampling', 'ensemble', 'bypass'}
        What the counts mean: rows to add, rows to keep, classes to clean. For
        ``'ensemble'`` and ``'bypass'`` the strategy is returned as given.
    **kwargs : dict
        Passed to a callable ``sampling_strategy``.

    Returns
    -------
    sampling_strategy_ : OrderedDict
        Class -> number of samples, sorted by class.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.utils import check_sampling_strategy
    >>> y = np.array([0] * 6 + [1] * 2)
    >>> dict(check_sampling_strategy("auto", y, "over-sampling"))
    {np.int64(1): 4}
    """
    if sampling_type in ("ensemble", "bypass"):
        return sampling_strategy
    kinds = ("over-sampling", "under-sampling", "clean-sampling", "ensemble", "bypass")
    if sampling_type not in kinds:
        raise ValueError(f"'sampling_type' should be one of {kinds}. Got '{sampling_type}' "
                         "instead.")
    return _plan_counts(sampling_strategy, np.asarray(y), as_kind(sampling_type), **kwargs)


class Substitution:
    """Decorate a function's or a class's docstring with ``str.format`` substitutions.

    Parameters
    ----------
    *args, **kwargs
        The substitutions: positional or keyword, not both.

    Examples
    --------
    >>> from smotelab.utils import Substitution
    >>> @Substitution(what="samples")
    ... def f():
    ...     '''Resample the {what}.'''
    >>> f.__doc__
    'Resample the samples.'
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and kwargs:
            raise AssertionError("Only positional or keyword args are allowed")
        self.params = args or kwargs

    def __call__(self, obj: Any) -> Any:
        """Format ``obj.__doc__`` (when it has one) and return ``obj``."""
        if obj.__doc__:
            obj.__doc__ = obj.__doc__.format(**self.params) if isinstance(
                self.params, dict) else obj.__doc__.format(*self.params)
        return obj
