"""Cross-validation for imbalanced data."""

from ._split import InstanceHardnessCV

__all__ = ["InstanceHardnessCV"]
