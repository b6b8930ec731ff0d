"""Resampling for a continuous target whose extreme values are rare.

The relevance function ``phi(y)`` says how rare each target value is; the sorted targets
are cut into bumps at a relevance threshold, and the rare bumps grown (random copies,
SMOTER's synthetic rows with interpolated targets) or the others shrunk (random
under-sampling), with UBL's rules for how many rows each bump gets.
"""

from ._metrics import relevance_weighted_mae, relevance_weighted_mse, sera
from ._noise import SMOGN, GaussianNoiseSampler
from ._relevance import (
    ControlPointsRelevance,
    ExtremesRelevance,
    SigmoidRelevance,
    boxplot_stats,
)
from ._samplers import SMOTER, RegressionRandomOverSampler, RegressionRandomUnderSampler
from ._wercs import WERCS

__all__ = [
    "SMOGN",
    "SMOTER",
    "ControlPointsRelevance",
    "ExtremesRelevance",
    "GaussianNoiseSampler",
    "RegressionRandomOverSampler",
    "RegressionRandomUnderSampler",
    "SigmoidRelevance",
    "WERCS",
    "boxplot_stats",
    "relevance_weighted_mae",
    "relevance_weighted_mse",
    "sera",
]
