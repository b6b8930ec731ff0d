"""Metrics for imbalanced classification (imbalanced-learn's names and results)."""

from ._classification import (
    classification_report_imbalanced,
    geometric_mean_score,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    sensitivity_score,
    sensitivity_specificity_support,
    specificity_score,
)

__all__ = [
    "classification_report_imbalanced",
    "geometric_mean_score",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "sensitivity_score",
    "sensitivity_specificity_support",
    "specificity_score",
]
