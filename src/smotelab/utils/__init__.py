"""Shared machinery: validation, containers, random streams."""

from ._metadata import resample_like
from ._public import (
    Substitution,
    check_neighbors_object,
    check_sampling_strategy,
    check_target_type,
)

__all__ = [
    "Substitution",
    "check_neighbors_object",
    "check_sampling_strategy",
    "check_target_type",
    "resample_like",
]
