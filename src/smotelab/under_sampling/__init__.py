"""Under-samplers and cleaners: keep a subset of the rows."""

from ._base import BaseCleaningSampler, BaseUnderSampler
from ._clean import EditedNearestNeighbours, TomekLinks
from ._random import RandomUnderSampler

__all__ = [
    "BaseCleaningSampler",
    "BaseUnderSampler",
    "EditedNearestNeighbours",
    "RandomUnderSampler",
    "TomekLinks",
]
