"""Bad input gets a specific error naming the problem and the fix."""

import numpy as np
import pytest

from smotelab.exceptions import DataValidationError
from smotelab.over_sampling import SMOTE

X = np.random.default_rng(0).standard_normal((30, 3))
Y = np.r_[np.zeros(20, int), np.ones(10, int)]


@pytest.mark.parametrize(
    ("X_bad", "y_bad", "fragment"),
    [
        (np.where(np.arange(90).reshape(30, 3) == 4, np.nan, X), Y, r"NaN or infinity in column\(s\) 1"),
        (np.where(np.arange(90).reshape(30, 3) == 5, np.inf, X), Y, "infinity"),
        (X, np.zeros(30, int), "single class"),
        (X, Y[:-2], "X has 30 rows, y has 28"),
        (X[:0], Y[:0], "empty"),
        (X[:, 0], Y, r"reshape\(-1, 1\)"),
        (X, np.linspace(0, 1, 30), "continuous"),
        (X, np.r_[Y[:-1], np.nan].astype(float), "missing label"),
        (X, np.c_[Y, Y], "Multilabel"),
        ([[1, 2], [3]], [0, 1], "same length"),
        (X, np.array([0, "a"] * 15, dtype=object), r"mixes label types \(int, str\)"),
        (X, np.r_[np.zeros(20), np.full(10, 1.5)], "continuous"),
    ],
)
def test_bad_input_is_named(X_bad, y_bad, fragment):
    """Check that each bad input raises a DataValidationError with a specific message."""
    with pytest.raises(DataValidationError, match=fragment):
        SMOTE().fit_resample(X_bad, y_bad)


def test_nan_error_names_the_pandas_column():
    """Check that the NaN error names the DataFrame column."""
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(X, columns=["a", "b", "income"])
    df.loc[3, "income"] = np.nan
    with pytest.raises(DataValidationError, match="'income'.*SimpleImputer"):
        SMOTE().fit_resample(df, Y)


def test_errors_are_value_errors():
    """Check that our errors are caught by code that catches ValueError."""
    with pytest.raises(ValueError):
        SMOTE().fit_resample(X, np.zeros(30))


def test_missing_y_is_named():
    """Check that fit_resample without y says y is required."""
    with pytest.raises(DataValidationError, match="y is required"):
        SMOTE().fit_resample(X, None)


@pytest.mark.parametrize("factor", [1e307, 1e-200, 1e-310])
def test_extreme_magnitudes_give_the_scaled_answer(factor):
    """Check data near the float limits and denormals: the same neighbours and rows as
    the unscaled data (the search rescales by an exact power of two), all finite."""
    from sklearn.datasets import make_classification

    from smotelab.under_sampling import EditedNearestNeighbours

    X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    ref = SMOTE(random_state=0)
    X_ref, _ = ref.fit_resample(X, y)
    sm = SMOTE(random_state=0)
    X_res, _ = sm.fit_resample(X * factor, y)
    assert np.isfinite(X_res).all()
    np.testing.assert_array_equal(sm.provenance_["neighbor"], ref.provenance_["neighbor"])
    enn = EditedNearestNeighbours()
    enn.fit_resample(X, y)
    big = EditedNearestNeighbours()
    big.fit_resample(X * factor, y)
    np.testing.assert_array_equal(big.sample_indices_, enn.sample_indices_)


def test_distances_beyond_float64_are_a_clear_error():
    """Check rows whose distance overflows float64: a data error that says what to do."""
    X = np.array([[1.7e308, 0.0], [-1.7e308, 1.0], [1.6e308, 2.0], [0.0, 3.0]]
                 + [[i * 1.0, i * 2.0] for i in range(10)])
    y = np.array([1] * 4 + [0] * 10)
    with pytest.raises(DataValidationError, match=r"as large as 1\.70e\+308.*StandardScaler"):
        SMOTE(k_neighbors=2).fit_resample(X, y)


@pytest.mark.parametrize("name", ["EditedNearestNeighbours", "IterativePartitioningFilter",
                                  "SMOTE"])
def test_non_numeric_columns_get_the_advice_of_the_sampler_kind(name):
    """Check a text column is named, and the advice fits the sampler: an over-sampler
    points to SMOTE-NC/SMOTE-N (it interpolates), a cleaner only to encoding."""
    import pandas as pd

    from smotelab import over_sampling, under_sampling
    from smotelab.exceptions import NonNumericDataError

    cls = getattr(over_sampling, name, None) or getattr(under_sampling, name)
    X = pd.DataFrame({"size": np.arange(40.0), "colour": ["red", "green"] * 20})
    y = np.r_[np.zeros(30), np.ones(10)]
    with pytest.raises(NonNumericDataError, match=rf"{name} needs numeric features.*'colour'") as err:
        cls().fit_resample(X, y)
    assert ("SMOTENC" in str(err.value)) == (name == "SMOTE")
    assert "Encode them" in str(err.value) or "encode them" in str(err.value)
