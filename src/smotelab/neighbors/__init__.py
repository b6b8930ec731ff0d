"""Nearest-neighbour search behind one contract.

Samplers never build a neighbour search themselves: they call
:func:`resolve_neighbors` with their ``k_neighbors``-style parameter and use the
backend it returns. The default, :class:`ExactNeighbors`, is exact (sorted true
Euclidean distances, self excluded by index, ties by index) and faster than
scikit-learn's brute force on the sizes resampling meets. :class:`ApproximateNeighbors`
is the opt-in approximate search, passed in place of the int; it measures its recall.
"""

from ._approximate import ApproximateNeighbors
from ._backends import (
    EstimatorNeighbors,
    ExactNeighbors,
    FittedNeighbors,
    NeighborsBackend,
    kneighbors_of_rows,
    resolve_neighbors,
)
from ._exact import _power_of_two_scale as power_of_two_scale
from ._exact import exact_kneighbors
from ._labelled import certify_same_class, tomek_link_mask

__all__ = [
    "ApproximateNeighbors",
    "EstimatorNeighbors",
    "ExactNeighbors",
    "FittedNeighbors",
    "NeighborsBackend",
    "certify_same_class",
    "exact_kneighbors",
    "kneighbors_of_rows",
    "power_of_two_scale",
    "resolve_neighbors",
    "tomek_link_mask",
]
