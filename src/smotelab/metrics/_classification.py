"""Classification metrics that stay informative when classes are imbalanced.

The names, parameters and results are imbalanced-learn's: sensitivity (recall of a
class), specificity (recall of everything else), their geometric mean, the index
balanced accuracy of Garcia et al. and a report of all of them per class. They are
plain functions of ``(y_true, y_pred)``, so ``sklearn.metrics.make_scorer`` turns any of
them into a scorer.

All of them are computed from four sums per class, taken once with ``np.bincount``:
true positives, predicted, true, and true negatives (the total weight minus the rest).
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import precision_recall_fscore_support
from sklearn.utils.multiclass import type_of_target, unique_labels

from ..exceptions import DataValidationError

__all__ = [
    "classification_report_imbalanced",
    "geometric_mean_score",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "sensitivity_score",
    "sensitivity_specificity_support",
    "specificity_score",
]

_AVERAGES = (None, "binary", "micro", "macro", "weighted", "samples")


def _check_targets(y_true: Any, y_pred: Any, sample_weight: Any) -> tuple:
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise DataValidationError(
            f"y_true and y_pred must be 1-D label arrays; got shapes {y_true.shape} and "
            f"{y_pred.shape} (multilabel targets are not supported).")
    if len(y_true) != len(y_pred):
        raise DataValidationError(
            f"y_true and y_pred have different lengths: {len(y_true)} and {len(y_pred)}.")
    if not len(y_true):
        raise DataValidationError("y_true and y_pred are empty; a score needs at least "
                                  "one row.")
    _check_label_types(y_true, y_pred)
    kinds = {type_of_target(y_true), type_of_target(y_pred)}
    if kinds & {"continuous", "continuous-multioutput", "multiclass-multioutput",
                "multilabel-indicator", "unknown"}:
        raise ValueError(
            f"these metrics need class labels; got targets of type {sorted(kinds)}.")
    kind = "multiclass" if "multiclass" in kinds else "binary"
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
        if sample_weight.shape != y_true.shape:
            raise DataValidationError(
                f"sample_weight has shape {sample_weight.shape} but y_true has "
                f"{len(y_true)} rows; give one weight per row.")
        if not np.isfinite(sample_weight).all() or (sample_weight < 0).any():
            raise DataValidationError(
                "sample_weight holds NaN, infinite or negative values; weights must be "
                "finite and non-negative.")
    return kind, y_true, y_pred, sample_weight


def _check_label_types(y_true: np.ndarray, y_pred: np.ndarray) -> None:
    """Labels that cannot be ordered together (numbers and strings) refused by name."""
    if y_true.dtype != object and y_pred.dtype != object and (
            y_true.dtype.kind in "US") == (y_pred.dtype.kind in "US"):
        return
    kinds = {"string" if isinstance(v, str) else "number"
             for v in np.concatenate([y_true.ravel(), y_pred.ravel()]).tolist()
             if v is not None}
    if len(kinds) > 1:
        raise DataValidationError(
            "y_true and y_pred mix numbers and strings as labels, which cannot be "
            "ordered together; give every label the same type (e.g. all strings).")


def _class_sums(y_true: np.ndarray, y_pred: np.ndarray, labels: np.ndarray,
                sample_weight: np.ndarray | None) -> tuple[np.ndarray, ...]:
    """Per label of ``labels``: true positives, predicted, true and true negatives."""
    present = unique_labels(y_true, y_pred)
    everything = np.union1d(present, labels)
    t = np.searchsorted(everything, y_true)
    p = np.searchsorted(everything, y_pred)
    L = len(everything)
    hit = t == p
    w_hit = None if sample_weight is None else sample_weight[hit]
    tp = np.bincount(t[hit], weights=w_hit, minlength=L).astype(np.float64)
    pred = np.bincount(p, weights=sample_weight, minlength=L).astype(np.float64)
    true = np.bincount(t, weights=sample_weight, minlength=L).astype(np.float64)
    total = float(len(y_true) if sample_weight is None else sample_weight.sum())
    tn = total - (pred + true - tp)
    idx = np.searchsorted(everything, labels)
    return tp[idx], pred[idx], true[idx], tn[idx]


def _divide(num: np.ndarray, den: np.ndarray, metric: str, what: str, warn: bool) -> np.ndarray:
    """``num / den`` with 0 where ``den`` is 0, warning as scikit-learn does."""
    zero = den == 0
    out = np.divide(num, np.where(zero, 1.0, den))
    out[zero] = 0.0
    if zero.any() and warn:
        warnings.warn(
            f"{metric.capitalize()} is ill-defined and set to 0.0 in labels with no {what} "
            "samples.", UndefinedMetricWarning, stacklevel=4)
    return out


def _labels_for(y_true, y_pred, labels, pos_label, average, kind) -> tuple[np.ndarray, bool]:
    """The labels to report and whether only the negative class is present (binary)."""
    present = unique_labels(y_true, y_pred)
    if average == "binary":
        if kind != "binary":
            raise ValueError(
                f"Target is {kind} but average='binary'; choose average='macro', 'micro', "
                "'weighted' or None.")
        if pos_label not in present:
            if len(present) < 2:
                return np.asarray([pos_label]), True
            raise ValueError(f"pos_label={pos_label!r} is not one of the labels "
                             f"{present.tolist()}.")
        return np.asarray([pos_label]), False
    if pos_label not in (None, 1):
        warnings.warn(
            f"pos_label={pos_label!r} is ignored when average != 'binary' (got "
            f"{average!r}); use labels=[pos_label] to report one class.", UserWarning,
            stacklevel=4)
    return (present if labels is None else np.asarray(labels)), False


def sensitivity_specificity_support(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    pos_label: Any = 1,
    average: str | None = None,
    warn_for: tuple[str, ...] = ("sensitivity", "specificity"),
    sample_weight: Any = None,
) -> tuple[Any, Any, Any]:
    """Sensitivity, specificity and support of each class (or their average).

    The sensitivity of a class is the share of its samples predicted as it (its recall);
    the specificity is the share of the other samples not predicted as it.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Classes to report, in this order (default: every class present, sorted).
    pos_label : object, default=1
        The class to report when ``average='binary'``.
    average : {None, 'binary', 'micro', 'macro', 'weighted'}, default=None
        ``None``: one value per class. ``'binary'``: ``pos_label`` only. ``'micro'``:
        from the sums over classes. ``'macro'``: unweighted mean over classes.
        ``'weighted'``: mean weighted by support.
    warn_for : tuple of str, default=('sensitivity', 'specificity')
        Which metrics warn (``UndefinedMetricWarning``) when they are ill-defined.
    sample_weight : array-like, default=None
        Sample weights.

    Returns
    -------
    sensitivity, specificity : float or ndarray
        One value per class when ``average`` is None.
    support : ndarray or None
        Samples (weight) per class when ``average`` is None, else None.

    Examples
    --------
    >>> from smotelab.metrics import sensitivity_specificity_support
    >>> y_true = [0, 1, 2, 0, 1, 2]
    >>> y_pred = [0, 2, 1, 0, 0, 1]
    >>> sen, spe, sup = sensitivity_specificity_support(y_true, y_pred)
    >>> sen.tolist(), spe.round(2).tolist(), sup.tolist()
    ([1.0, 0.0, 0.0], [0.75, 0.5, 0.75], [2, 2, 2])
    >>> [round(float(v), 3) for v in sensitivity_specificity_support(
    ...     y_true, y_pred, average="macro")[:2]]
    [0.333, 0.667]
    """
    if average not in _AVERAGES:
        raise ValueError(f"average must be one of {list(_AVERAGES)}; got {average!r}.")
    if average == "samples":
        raise ValueError("average='samples' is only meaningful for multilabel targets, "
                         "which these metrics do not support.")
    kind, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    labels, only_negative = _labels_for(y_true, y_pred, labels, pos_label, average, kind)
    if only_negative:
        return 0.0, 0.0, 0
    tp, pred, true, tn = _class_sums(y_true, y_pred, labels, sample_weight)
    if average == "micro":
        tp, pred, true, tn = (np.array([a.sum()]) for a in (tp, pred, true, tn))
    specificity = _divide(tn, tn + pred - tp, "specificity", "negative",
                          "specificity" in warn_for)
    sensitivity = _divide(tp, true, "sensitivity", "true", "sensitivity" in warn_for)
    if average is None:
        support = true.astype(np.int64) if sample_weight is None else true
        return sensitivity, specificity, support
    weights = None
    if average == "weighted":
        weights = true
        if weights.sum() == 0:
            return 0.0, 0.0, None
    return (float(np.average(sensitivity, weights=weights)),
            float(np.average(specificity, weights=weights)), None)


def sensitivity_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
                      average: str | None = "binary", sample_weight: Any = None) -> Any:
    """Sensitivity (recall): the share of a class's samples predicted as that class.

    Parameters are those of :func:`sensitivity_specificity_support`, with
    ``average='binary'`` by default.

    Examples
    --------
    >>> from smotelab.metrics import sensitivity_score
    >>> sensitivity_score([0, 0, 1, 1], [0, 1, 1, 1])
    1.0
    """
    sen, _, _ = sensitivity_specificity_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("sensitivity",), sample_weight=sample_weight)
    return sen


def specificity_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
                      average: str | None = "binary", sample_weight: Any = None) -> Any:
    """Specificity: the share of the other classes' samples not predicted as the class.

    Parameters are those of :func:`sensitivity_specificity_support`, with
    ``average='binary'`` by default.

    Examples
    --------
    >>> from smotelab.metrics import specificity_score
    >>> specificity_score([0, 0, 1, 1], [0, 1, 1, 1])
    0.5
    """
    _, spe, _ = sensitivity_specificity_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("specificity",), sample_weight=sample_weight)
    return spe


def geometric_mean_score(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    pos_label: Any = 1,
    average: str | None = "multiclass",
    sample_weight: Any = None,
    correction: float = 0.0,
) -> Any:
    """Geometric mean of the per-class recalls (or of sensitivity and specificity).

    A classifier that ignores a class scores 0, however well it does on the others,
    which is what makes it useful on imbalanced data.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Classes to include (every class present by default).
    pos_label : object, default=1
        The positive class when ``average='binary'``.
    average : {'multiclass', 'binary', 'micro', 'macro', 'weighted', None}, \
default='multiclass'
        ``'multiclass'``: geometric mean of every class's recall. Otherwise
        ``sqrt(sensitivity * specificity)``, per class (``None``) or averaged as in
        :func:`sensitivity_specificity_support`.
    sample_weight : array-like, default=None
        Sample weights.
    correction : float, default=0.0
        Value used in place of a zero recall (``'multiclass'`` only), so that one
        missed class does not zero the score.

    Returns
    -------
    float or ndarray
        The geometric mean (one per class when ``average`` is None).

    Examples
    --------
    >>> from smotelab.metrics import geometric_mean_score
    >>> geometric_mean_score([0, 0, 1, 1], [0, 0, 1, 0])
    0.7071067811865476
    >>> y_true, y_pred = [0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]
    >>> round(geometric_mean_score(y_true, y_pred, correction=0.001), 4)
    0.01
    >>> round(geometric_mean_score(y_true, y_pred, average="macro"), 3)
    0.471
    """
    if average != "multiclass":
        sen, spe, _ = sensitivity_specificity_support(
            y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
            warn_for=("specificity", "specificity"), sample_weight=sample_weight)
        out = np.sqrt(np.multiply(sen, spe))
        return float(out) if np.ndim(out) == 0 else out
    _, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    labels = unique_labels(y_true, y_pred) if labels is None else np.asarray(labels)
    tp, _, true, _ = _class_sums(y_true, y_pred, labels, sample_weight)
    recall = _divide(tp, true, "recall", "true", True)
    recall[recall == 0] = correction
    if not len(recall) or (recall == 0).any():
        return 0.0
    return float(np.exp(np.mean(np.log(recall))))


def make_index_balanced_accuracy(*, alpha: float = 0.1, squared: bool = True) -> Callable:
    """Turn a score into its index balanced accuracy (García et al., 2009).

    ``IBA = (1 + alpha * (sensitivity - specificity)) * score`` (``score ** 2`` when
    ``squared``), with the sensitivity and specificity computed with the same
    ``labels``, ``pos_label``, ``average`` and ``sample_weight`` as the score
    (``average='multiclass'`` counts as ``'macro'``).

    Parameters
    ----------
    alpha : float, default=0.1
        Weight of the dominance (sensitivity minus specificity).
    squared : bool, default=True
        Square the score first.

    Returns
    -------
    callable
        A decorator for a scoring function ``f(y_true, y_pred, **kwargs)``.

    Examples
    --------
    >>> from smotelab.metrics import geometric_mean_score, make_index_balanced_accuracy
    >>> iba_gmean = make_index_balanced_accuracy(alpha=0.1)(geometric_mean_score)
    >>> iba_gmean([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average=None).round(3).tolist()
    [0.769, 0.0, 0.0]
    """
    def decorate(scoring_func: Callable) -> Callable:
        sig = inspect.signature(scoring_func)
        shared = set(inspect.signature(sensitivity_specificity_support).parameters)

        @functools.wraps(scoring_func)
        def compute_score(*args: Any, **kwargs: Any) -> Any:
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            score = scoring_func(*bound.args, **bound.kwargs)
            if squared:
                score = np.power(score, 2)
            params = {k: v for k, v in bound.arguments.items() if k in shared}
            if params.get("average") == "multiclass":
                params["average"] = "macro"
            if scoring_func.__name__ in ("accuracy_score", "jaccard_score"):
                params["average"] = "binary"
            sen, spe, _ = sensitivity_specificity_support(**params)
            return (1.0 + alpha * (np.asarray(sen) - np.asarray(spe))) * score

        return compute_score

    return decorate


def classification_report_imbalanced(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    target_names: Any = None,
    sample_weight: Any = None,
    digits: int = 2,
    alpha: float = 0.1,
    output_dict: bool = False,
    zero_division: Any = "warn",
) -> str | dict:
    """Per-class precision, recall, specificity, F1, geometric mean, IBA and support.

    The last line averages each column weighted by support, as imbalanced-learn does.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Classes to report (every class present by default).
    target_names : list of str, default=None
        Display names of ``labels``.
    sample_weight : array-like, default=None
        Sample weights.
    digits : int, default=2
        Digits shown for the scores.
    alpha : float, default=0.1
        ``alpha`` of the index balanced accuracy.
    output_dict : bool, default=False
        Return a dict (``{name: {"pre": ..., ...}, "avg_pre": ..., "total_support": ...}``)
        instead of text.
    zero_division : {'warn', 0, 1}, default='warn'
        Value of precision / F1 when they are ill-defined, as in scikit-learn.

    Returns
    -------
    str or dict
        The report.

    Examples
    --------
    >>> from smotelab.metrics import classification_report_imbalanced
    >>> print(classification_report_imbalanced([0, 1, 2, 2, 2], [0, 0, 2, 2, 1],
    ...                                        target_names=["a", "b", "c"]))
    ...                                                      # doctest: +NORMALIZE_WHITESPACE
                       pre       rec       spe        f1       geo       iba       sup
    <BLANKLINE>
              a       0.50      1.00      0.75      0.67      0.87      0.77         1
              b       0.00      0.00      0.75      0.00      0.00      0.00         1
              c       1.00      0.67      1.00      0.80      0.82      0.64         3
    <BLANKLINE>
    avg / total       0.70      0.60      0.90      0.61      0.66      0.54         5
    <BLANKLINE>
    """
    labels = unique_labels(y_true, y_pred) if labels is None else np.asarray(labels)
    if target_names is None:
        target_names = [f"{label}" for label in labels]
    if len(target_names) != len(labels):
        raise ValueError(f"target_names has {len(target_names)} names for {len(labels)} "
                         "labels; give one name per label.")
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight,
        zero_division=zero_division)
    common = {"labels": labels, "average": None, "sample_weight": sample_weight}
    specificity = specificity_score(y_true, y_pred, **common)
    geo = geometric_mean_score(y_true, y_pred, **common)
    iba = make_index_balanced_accuracy(alpha=alpha, squared=True)(geometric_mean_score)(
        y_true, y_pred, **common)
    heads = ["pre", "rec", "spe", "f1", "geo", "iba"]
    columns = [precision, recall, specificity, f1, geo, iba]
    report: dict[str, Any] = {}
    for i, name in enumerate(target_names):
        report[name] = {h: c[i] for h, c in zip(heads, columns, strict=True)}
        report[name]["sup"] = support[i]
    for h, c in zip(heads, columns, strict=True):
        report[f"avg_{h}"] = np.average(c, weights=support)
    report["total_support"] = np.sum(support)
    if output_dict:
        return report
    last = "avg / total"
    width = max(max(len(n) for n in target_names), len(last), digits)
    fmt = f"%{width}s  " + " ".join(["% 9s"] * 7) + "\n"
    text = fmt % ("", *heads, "sup") + "\n"
    for i, name in enumerate(target_names):
        text += fmt % (name, *(f"{c[i]:0.{digits}f}" for c in columns), f"{support[i]}")
    text += "\n"
    text += fmt % (last, *(f"{report[f'avg_{h}']:0.{digits}f}" for h in heads),
                   f"{report['total_support']}")
    return text


def macro_averaged_mean_absolute_error(y_true: Any, y_pred: Any, *,
                                       sample_weight: Any = None) -> float:
    """Mean absolute error of each class, averaged over classes (ordinal targets).

    Each class weighs the same however rare it is.

    Examples
    --------
    >>> from smotelab.metrics import macro_averaged_mean_absolute_error
    >>> macro_averaged_mean_absolute_error([1, 1, 1, 1, 1, 2], [1, 2, 1, 2, 1, 2])
    0.2
    """
    _, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    for given in (y_true, y_pred):
        if given.dtype.kind not in "iufb" and len(given):
            try:
                given.astype(np.float64)
            except (TypeError, ValueError):
                raise DataValidationError(
                    "macro_averaged_mean_absolute_error measures distances between "
                    f"ordinal labels, but the labels are not numbers ({given.dtype}); "
                    "encode the classes as ordered integers first.") from None
    errors = []
    for c in np.unique(y_true):
        rows = y_true == c
        w = None if sample_weight is None else sample_weight[rows]
        errors.append(np.average(np.abs(y_true[rows] - y_pred[rows]), weights=w))
    return float(np.mean(errors))
