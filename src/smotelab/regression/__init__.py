"""Resampling for a continuous target whose extreme values are rare.

The relevance function ``phi(y)`` says how rare each target value is; the sorted targets
are cut into bumps at a relevance threshold, and the rare bumps grown (random copies,
SMOTER's synthetic rows with interpolated targets) or the others shrunk (random
under-sampling), with UBL's rules for how many rows each bump gets.
"""

from ._relevance import (
    ControlPointsRelevance,
    ExtremesRelevance,
    SigmoidRelevance,
    boxplot_stats,
)
from ._samplers import (
    SMOTER,
    GaussianNoiseSampler,
    RegressionRandomOverSampler,
    RegressionRandomUnderSampler,
)

__all__ = [
    "SMOTER",
    "ControlPointsRelevance",
    "ExtremesRelevance",
    "GaussianNoiseSampler",
    "RegressionRandomOverSampler",
    "RegressionRandomUnderSampler",
    "SigmoidRelevance",
    "boxplot_stats",
]
