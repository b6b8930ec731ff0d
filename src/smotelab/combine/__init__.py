"""Over-sampling followed by cleaning: SMOTE-ENN, SMOTE-Tomek, and any pair of samplers."""

from ._base import OverThenClean
from ._smote_clean import SMOTEENN, SMOTETomek

__all__ = ["SMOTEENN", "OverThenClean", "SMOTETomek"]
