"""Cross-validation for imbalanced data, and choosing a sampler by it."""

from ._auto import AutoSampler, auc_and_g_mean, default_candidates
from ._split import InstanceHardnessCV

__all__ = ["AutoSampler", "InstanceHardnessCV", "auc_and_g_mean", "default_candidates"]
