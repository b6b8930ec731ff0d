"""Balanced mini-batches for Keras (imbalanced-learn's ``imblearn.keras``).

``balanced_batch_generator`` needs no Keras. ``BalancedBatchGenerator`` is a Keras
``PyDataset``; Keras is imported when the name is first used, not with this module.
"""

from typing import Any

from ._generator import balanced_batch_generator

__all__ = ["BalancedBatchGenerator", "balanced_batch_generator"]


def __getattr__(name: str) -> Any:
    if name == "BalancedBatchGenerator":
        from ._generator import make_generator_class

        cls = make_generator_class()
        globals()[name] = cls  # built once
        return cls
    raise AttributeError(f"module 'smotelab.keras' has no attribute {name!r}")
