"""Shared machinery: validation, containers, random streams."""

from ._memory import ResamplingEstimate, estimate_resampling
from ._metadata import resample_like
from ._public import (
    Substitution,
    check_neighbors_object,
    check_sampling_strategy,
    check_target_type,
)

__all__ = [
    "ResamplingEstimate",
    "Substitution",
    "check_neighbors_object",
    "check_sampling_strategy",
    "check_target_type",
    "estimate_resampling",
    "resample_like",
]
