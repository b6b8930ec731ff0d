"""Under-samplers and cleaners: keep a subset of the rows."""

from ._base import BaseCleaningSampler, BaseUnderSampler
from ._clean import (
    AllKNN,
    EditedNearestNeighbours,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)
from ._cluster import ClusterCentroids
from ._iht import InstanceHardnessThreshold
from ._ipf import IterativePartitioningFilter
from ._ncr import NeighbourhoodCleaningRule
from ._nearmiss import NearMiss
from ._prototype import CondensedNearestNeighbour, OneSidedSelection
from ._random import RandomUnderSampler

__all__ = [
    "AllKNN",
    "BaseCleaningSampler",
    "BaseUnderSampler",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "InstanceHardnessThreshold",
    "IterativePartitioningFilter",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "TomekLinks",
]
