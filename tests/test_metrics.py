"""Metrics: hand-checked values, scikit-learn scorers, and imbalanced-learn's results."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import make_scorer, recall_score
from sklearn.model_selection import cross_val_score

from smotelab import metrics as ours

imb = pytest.importorskip("imblearn.metrics")

AVERAGES = [None, "micro", "macro", "weighted"]


def _pairs():
    rng = np.random.default_rng(0)
    for seed in range(6):
        n = 60
        k = 2 if seed % 2 else 3
        y_true = rng.integers(0, k, n)
        y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, k, n))
        w = rng.random(n) if seed >= 4 else None
        yield y_true, y_pred, w
    yield np.array(["cat", "dog", "dog", "eel"]), np.array(["cat", "dog", "eel", "eel"]), None


PAIRS = list(_pairs())


def _same(a, b):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("average", AVERAGES)
@pytest.mark.parametrize("case", range(len(PAIRS)))
def test_sensitivity_specificity_match_imblearn(case, average):
    """Check sensitivity, specificity and support against imbalanced-learn, every average."""
    y_true, y_pred, w = PAIRS[case]
    if w is not None and average not in (None, "macro"):
        pytest.skip("imbalanced-learn counts true negatives unweighted (see differences)")
    a = ours.sensitivity_specificity_support(y_true, y_pred, average=average, sample_weight=w)
    b = imb.sensitivity_specificity_support(y_true, y_pred, average=average, sample_weight=w)
    if w is None:
        for x, z in zip(a, b, strict=True):
            if x is None:
                assert z is None
            else:
                _same(x, z)
    else:  # sensitivities agree; specificities use the weighted count of negatives
        _same(a[0], b[0])


@pytest.mark.parametrize("average", ["multiclass", *AVERAGES])
@pytest.mark.parametrize("case", range(len(PAIRS)))
def test_geometric_mean_and_iba_match_imblearn(case, average):
    """Check the geometric mean (with and without correction) and its IBA."""
    y_true, y_pred, _ = PAIRS[case]
    for corr in (0.0, 0.001):
        kw = {"average": average, "correction": corr}
        _same(ours.geometric_mean_score(y_true, y_pred, **kw),
              imb.geometric_mean_score(y_true, y_pred, **kw))
    a = ours.make_index_balanced_accuracy(alpha=0.2)(ours.geometric_mean_score)
    b = imb.make_index_balanced_accuracy(alpha=0.2)(imb.geometric_mean_score)
    _same(a(y_true, y_pred, average=average), b(y_true, y_pred, average=average))


@pytest.mark.parametrize("case", range(len(PAIRS)))
def test_binary_scores_and_report_match_imblearn(case):
    """Check binary sensitivity/specificity and the whole report (text and dict)."""
    y_true, y_pred, _ = PAIRS[case]
    if len(np.unique(np.r_[y_true, y_pred])) == 2:
        for name in ("sensitivity_score", "specificity_score"):
            _same(getattr(ours, name)(y_true, y_pred), getattr(imb, name)(y_true, y_pred))
    assert (ours.classification_report_imbalanced(y_true, y_pred, digits=3)
            == imb.classification_report_imbalanced(y_true, y_pred, digits=3))
    a = ours.classification_report_imbalanced(y_true, y_pred, output_dict=True)
    b = imb.classification_report_imbalanced(y_true, y_pred, output_dict=True)
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], dict):
            for h in a[key]:
                _same(a[key][h], b[key][h])
        else:
            _same(a[key], b[key])


def test_hand_values():
    """Check values worked out by hand."""
    y_true = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    y_pred = [1, 1, 1, 0, 0, 0, 0, 0, 1, 1]
    assert ours.sensitivity_score(y_true, y_pred) == 0.75
    assert ours.specificity_score(y_true, y_pred) == pytest.approx(4 / 6)
    assert ours.geometric_mean_score(y_true, y_pred, average="binary") == pytest.approx(
        np.sqrt(0.75 * 4 / 6))
    # IBA: (1 + 0.1 * (sens - spec)) * gmean^2
    iba = ours.make_index_balanced_accuracy(alpha=0.1)(ours.geometric_mean_score)
    assert iba(y_true, y_pred, average="binary") == pytest.approx(
        (1 + 0.1 * (0.75 - 4 / 6)) * 0.75 * 4 / 6)
    assert ours.macro_averaged_mean_absolute_error([1, 1, 2, 3], [1, 2, 2, 1]) == pytest.approx(
        (0.5 + 0 + 2) / 3)


def test_ill_defined_and_bad_input():
    """Check warnings for undefined values and clear errors for bad targets."""
    with pytest.warns(UndefinedMetricWarning):
        assert ours.sensitivity_score([0, 0], [0, 1], labels=[2], average="macro") == 0.0
    with pytest.raises(ValueError, match="average='binary'"):
        ours.sensitivity_score([0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="different lengths"):
        ours.specificity_score([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="class labels"):
        ours.geometric_mean_score([0.1, 0.2], [0.1, 0.2])
    with pytest.raises(ValueError, match="average must be one of"):
        ours.sensitivity_specificity_support([0, 1], [0, 1], average="mean")
    with pytest.raises(ValueError, match="target_names"):
        ours.classification_report_imbalanced([0, 1], [0, 1], target_names=["a"])


def test_metrics_work_as_scorers():
    """Check make_scorer wraps them for cross-validation."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + rng.normal(scale=0.5, size=200) > 1.0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for metric in (ours.geometric_mean_score, ours.sensitivity_score,
                       ours.specificity_score):
            scores = cross_val_score(LogisticRegression(), X, y, cv=3,
                                     scoring=make_scorer(metric))
            assert ((scores > 0) & (scores <= 1)).all()
    # sensitivity is recall
    assert ours.sensitivity_score(y, 1 - y) == recall_score(y, 1 - y)
