"""Ensembles that balance what each member learns from.

``BalancedBaggingClassifier`` (any smotelab sampler per bag), ``BalancedRandomForestClassifier``,
``EasyEnsembleClassifier`` and ``RUSBoostClassifier``: imbalanced-learn's ensembles, with
the same parameters, defaults and attributes, built on scikit-learn's own bagging,
forest and boosting.
"""

from ._bagging import BalancedBaggingClassifier, EasyEnsembleClassifier
from ._boosting import RUSBoostClassifier
from ._forest import BalancedRandomForestClassifier

__all__ = [
    "BalancedBaggingClassifier",
    "BalancedRandomForestClassifier",
    "EasyEnsembleClassifier",
    "RUSBoostClassifier",
]
