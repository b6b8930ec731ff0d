"""InstanceHardnessCV: imbalanced-learn's folds for two classes, even spread for more."""

import numpy as np
import pandas as pd
import pytest
from imblearn.model_selection import InstanceHardnessCV as ImbInstanceHardnessCV
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, cross_validate

from smotelab.exceptions import DataValidationError
from smotelab.model_selection import InstanceHardnessCV


@pytest.fixture
def binary():
    return make_classification(weights=[0.9], flip_y=0.05, n_samples=400, random_state=0)


@pytest.mark.parametrize("pos_label", [None, 0, 1])
def test_binary_folds_equal_imbalanced_learn(binary, pos_label):
    """Check the very folds imbalanced-learn's splitter makes, for any pos_label."""
    X, y = binary
    ours = list(InstanceHardnessCV(LogisticRegression(), pos_label=pos_label).split(X, y))
    theirs = list(ImbInstanceHardnessCV(LogisticRegression(), pos_label=pos_label)
                  .split(X, y))
    assert len(ours) == len(theirs) == 5
    for (tr_a, te_a), (tr_b, te_b) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(tr_a, tr_b)
        np.testing.assert_array_equal(te_a, te_b)


def test_multiclass_folds_share_classes_and_hardness():
    """Check more than two classes: a partition, equal class shares, equal hardness."""
    X, y = make_classification(n_samples=600, n_classes=3, n_informative=4,
                               weights=[0.6, 0.3, 0.1], flip_y=0.1, random_state=1)
    cv = InstanceHardnessCV(LogisticRegression(), n_splits=4)
    folds = list(cv.split(pd.DataFrame(X), pd.Series(y)))
    tests = np.concatenate([te for _, te in folds])
    np.testing.assert_array_equal(np.sort(tests), np.arange(len(y)))
    for train, test in folds:
        assert len(np.intersect1d(train, test)) == 0
    proba = cross_val_predict(LogisticRegression(), X, y, method="predict_proba", cv=4)
    hardness = 1 - proba[np.arange(len(y)), y]
    for c in range(3):
        sizes = [np.sum(y[te] == c) for _, te in folds]
        assert max(sizes) - min(sizes) <= 1
        means = [hardness[te][y[te] == c].mean() for _, te in folds]
        assert max(means) - min(means) < 0.05  # dealt in hardness order


def test_scores_vary_less_than_shuffled_folds(binary):
    """Check the point of it: fold scores spread less than with stratified folds."""
    X, y = binary
    est = LogisticRegression()
    ih = cross_validate(est, X, y, cv=InstanceHardnessCV(est), scoring="recall")
    plain = cross_validate(est, X, y, cv=5, scoring="recall")
    assert ih["test_score"].std() < plain["test_score"].std()


def test_bad_input(binary):
    """Check clear errors and the groups warning."""
    X, y = binary
    cv = InstanceHardnessCV(LogisticRegression())
    assert cv.get_n_splits() == 5
    with pytest.raises(ValueError, match="n_splits"):
        list(InstanceHardnessCV(LogisticRegression(), n_splits=1).split(X, y))
    with pytest.raises(DataValidationError, match="continuous"):
        list(cv.split(X, y + 0.5))
    with pytest.raises(DataValidationError, match="fewer than n_splits"):
        list(cv.split(X[:30], np.r_[np.zeros(27), np.ones(3)]))
    with pytest.raises(ValueError, match="pos_label=7"):
        list(InstanceHardnessCV(LogisticRegression(), pos_label=7).split(X, y))
    with pytest.warns(UserWarning, match="groups"):
        list(cv.split(X, y, groups=np.zeros(len(y))))
