"""Cross-validation for imbalanced data, and choosing how to meet the imbalance by it."""

from ._auto import AutoSampler, auc_and_g_mean, default_candidates
from ._search import ImbalanceSearchCV, default_methods
from ._split import InstanceHardnessCV

__all__ = ["AutoSampler", "ImbalanceSearchCV", "InstanceHardnessCV", "auc_and_g_mean",
           "default_candidates", "default_methods"]
