"""Metrics for imbalanced classification (imbalanced-learn's names)."""

from ._classification import geometric_mean_score

__all__ = ["geometric_mean_score"]
