"""Over-sampling followed by cleaning: SMOTE-ENN, SMOTE-Tomek, SMOTE-IPF, and any pair of
samplers."""

from ._base import OverThenClean
from ._smote_clean import SMOTEENN, SMOTETomek
from ._smote_ipf import SMOTEIPF

__all__ = ["SMOTEENN", "SMOTEIPF", "OverThenClean", "SMOTETomek"]
