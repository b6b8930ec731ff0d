"""Classification metrics that stay informative when classes are imbalanced."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix

__all__ = ["geometric_mean_score"]


def geometric_mean_score(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    pos_label: Any = 1,
    average: str | None = "multiclass",
    sample_weight: Any = None,
    correction: float = 0.0,
) -> float:
    """Geometric mean of the per-class recalls (sensitivities).

    A classifier that ignores a class scores 0, however well it does on the others,
    which is what makes it useful on imbalanced data.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Classes to include (all classes present by default).
    pos_label : object, default=1
        The positive class when ``average='binary'``.
    average : {'multiclass', 'binary'}, default='multiclass'
        ``'multiclass'``: geometric mean of every class's recall. ``'binary'``:
        ``sqrt(sensitivity * specificity)`` of ``pos_label``.
    sample_weight : array-like, default=None
        Sample weights.
    correction : float, default=0.0
        Value used in place of a zero recall (to avoid a score of exactly 0).

    Returns
    -------
    float
        The geometric mean.

    Examples
    --------
    >>> from smotelab.metrics import geometric_mean_score
    >>> geometric_mean_score([0, 0, 1, 1], [0, 0, 1, 0])
    0.7071067811865476
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if labels is None:
        labels = np.unique(np.concatenate([y_true, y_pred]))
    labels = np.asarray(labels)
    cm = confusion_matrix(y_true, y_pred, labels=labels, sample_weight=sample_weight)
    support = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.where(support > 0, np.diag(cm) / np.where(support > 0, support, 1), 0.0)
    if average == "binary":
        if len(labels) > 2:
            raise ValueError(
                f"average='binary' needs two classes, got {len(labels)}; use "
                "average='multiclass'."
            )
        hit = np.flatnonzero(labels == pos_label)
        if len(hit) == 0:
            raise ValueError(f"pos_label={pos_label!r} is not one of the labels {labels.tolist()}.")
        sens = recall[hit[0]]
        spec = recall[1 - hit[0]] if len(labels) == 2 else 1.0
        values = np.array([sens, spec])
    elif average == "multiclass":
        values = recall[support > 0]
    else:
        raise ValueError(
            f"average={average!r} is not supported; use 'multiclass' or 'binary'."
        )
    values = np.where(values == 0, correction, values)
    return float(np.prod(values) ** (1.0 / len(values)))
