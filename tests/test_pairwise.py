"""ValueDifferenceMetric: imbalanced-learn's values, SMOTEN's tables, clear errors."""

import numpy as np
import pytest
from imblearn.metrics.pairwise import ValueDifferenceMetric as ImbVDM

from smotelab.exceptions import DataValidationError
from smotelab.metrics.pairwise import ValueDifferenceMetric
from smotelab.neighbors._nominal import vdm_kneighbors


@pytest.fixture
def codes():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.integers(0, L, 300) for L in (2, 5, 9)])
    y = rng.choice(["a", "b", "c"], size=300, p=[0.6, 0.3, 0.1])
    return X, y


@pytest.mark.parametrize(("k", "r"), [(1, 2), (1, 1), (2, 1), (3, 2)])
def test_equals_imbalanced_learn(codes, k, r):
    """Check the class shares and the distances against imbalanced-learn's."""
    X, y = codes
    ours = ValueDifferenceMetric(k=k, r=r).fit(X, y)
    theirs = ImbVDM(k=k, r=r).fit(X.astype(np.int32), y)
    np.testing.assert_array_equal(ours.n_categories_, theirs.n_categories_)
    for p, q in zip(ours.proba_per_class_, theirs.proba_per_class_, strict=True):
        np.testing.assert_allclose(p, q)
    X32 = X.astype(np.int32)
    np.testing.assert_allclose(ours.pairwise(X[:40], X), theirs.pairwise(X32[:40], X32))
    D = ours.pairwise(X[:40])
    np.testing.assert_allclose(D, D.T)
    assert np.all(np.diag(D) == 0)


def test_smoten_search_uses_the_same_distances(codes):
    """Check that SMOTEN's neighbour search ranks rows by this metric (k=1, r=2)."""
    X, y = codes
    vdm = ValueDifferenceMetric().fit(X, y)
    dist, ind = vdm_kneighbors(X, vdm.proba_per_class_, 4)
    D = vdm.pairwise(X)
    np.fill_diagonal(D, np.inf)
    np.testing.assert_allclose(dist ** 2, np.sort(D, axis=1)[:, :4], atol=1e-12)
    np.testing.assert_allclose(np.take_along_axis(D, ind, axis=1), dist ** 2, atol=1e-12)


def test_n_categories_and_bad_input(codes):
    """Check given counts, unseen codes, feature counts and negative codes."""
    X, y = codes
    vdm = ValueDifferenceMetric(n_categories=[3, 6, 10]).fit(X, y)
    assert [P.shape[0] for P in vdm.proba_per_class_] == [3, 6, 10]
    assert np.all(vdm.proba_per_class_[0][2] == 0)  # a value no row holds
    with pytest.raises(ValueError, match="one count per feature"):
        ValueDifferenceMetric(n_categories=[3, 6]).fit(X, y)
    with pytest.raises(DataValidationError, match="codes must be below"):
        ValueDifferenceMetric(n_categories=[1, 6, 10]).fit(X, y)
    fitted = ValueDifferenceMetric().fit(X, y)
    with pytest.raises(DataValidationError, match="unseen by fit"):
        fitted.pairwise(np.array([[0, 0, 20]]))
    with pytest.raises(DataValidationError, match="features"):
        fitted.pairwise(X[:, :2])
    with pytest.raises(DataValidationError, match="negative code"):
        ValueDifferenceMetric().fit(-X, y)


@pytest.mark.parametrize(("bad", "found"), [
    (np.array([["a", "b"], ["c", "b"], ["a", "d"]], dtype=object), "'a' (row 0, a string)"),
    (np.array([["a", "b"], ["c", "b"], ["a", "d"]]), "'a' (row 0, a string)"),
    (np.array([[0, 1.5], [1, 2.0], [0, 1.0]]), "1.5 (row 0)"),
    (np.array([[0, 1.0], [np.nan, 2.0], [0, 1.0]]), "nan (row 1)"),
])
def test_categories_that_are_not_codes_say_what_to_do(bad, found):
    """Check strings, fractions and NaN get the metric's own error (the feature, the value,
    OrdinalEncoder or SMOTEN), in fit and in pairwise; whole floats are codes."""
    y = [0, 1, 0]
    with pytest.raises(DataValidationError, match="OrdinalEncoder") as err:
        ValueDifferenceMetric().fit(bad, y)
    assert found in str(err.value)
    fitted = ValueDifferenceMetric().fit([[0, 1], [1, 2], [0, 1]], y)
    with pytest.raises(DataValidationError, match="not an integer code"):
        fitted.pairwise(bad)
    whole = ValueDifferenceMetric().fit(np.array([[0.0, 1.0], [1.0, 2.0], [0.0, 1.0]]), y)
    np.testing.assert_array_equal(whole.n_categories_, [2, 3])
