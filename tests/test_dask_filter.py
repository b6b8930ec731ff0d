"""The iterative-partitioning filter and SMOTE-IPF on Dask: the in-memory rows, exactly."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from smotelab.exceptions import DataValidationError, EstimatorFitError, NonNumericDataError
from smotelab.over_sampling import SMOTEIPF
from smotelab.under_sampling import IterativePartitioningFilter
from tests._dask_data import frames as _frames
from tests._dask_data import split as _split

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=2500, n_classes=3, n_informative=4,
                               weights=[0.6, 0.3, 0.1], flip_y=0.1, random_state=0)


@pytest.mark.parametrize("parts", [1, 4, 13])
@pytest.mark.parametrize("params", [
    {},
    {"sampling_strategy": "all", "voting": "consensus", "n_splits": 3},
    {"sampling_strategy": "majority", "n_splits": 9, "n_rounds": 1},
    {"estimator": LogisticRegression(max_iter=200)},
], ids=["default", "consensus", "majority-9", "logistic"])
def test_filter_keeps_the_in_memory_rows(data, params, parts):
    """Check the filter on Dask arrays: the trees learn each part's rows from every
    partition, so the kept rows, the output and the rounds equal the in-memory ones."""
    X, y = data
    ref = IterativePartitioningFilter(random_state=0, **params)
    X_ref, y_ref = ref.fit_resample(X, y)
    assert 0 < len(X) - len(X_ref)  # rows are removed
    s = IterativePartitioningFilter(random_state=0, **params)
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    assert isinstance(X_res, da.Array)
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    np.testing.assert_array_equal(s.sample_indices_.compute(), ref.sample_indices_)
    assert s.n_rounds_ == ref.n_rounds_ and dict(s.sampling_strategy_) == dict(
        ref.sampling_strategy_)


def test_filter_on_frames_with_float32_and_integer_columns(data):
    """Check a Dask DataFrame of float32 and integer columns: its partitions are read as
    the in-memory filter reads the frame, and the output stays a frame of those rows."""
    X, y = data
    df = pd.DataFrame(X.astype(np.float32), columns=[f"f{i}" for i in range(X.shape[1])])
    df["count"] = (np.abs(X[:, 0]) * 10).astype(np.int64)
    ys = pd.Series(np.array(["a", "b", "c"])[y], name="t")
    X_ref, y_ref = IterativePartitioningFilter(random_state=3).fit_resample(df, ys)
    s = IterativePartitioningFilter(random_state=3)
    X_res, y_res = s.fit_resample(dd.from_pandas(df, npartitions=5),
                                  dd.from_pandas(ys, npartitions=5))
    out = X_res.compute()
    pd.testing.assert_frame_equal(out, X_ref)
    np.testing.assert_array_equal(y_res.compute().to_numpy(), y_ref.to_numpy())


@pytest.mark.parametrize("frames", [False, True], ids=["arrays", "frames"])
def test_smote_ipf_on_dask_equals_the_in_memory_output(data, frames):
    """Check SMOTE-IPF on Dask: SMOTE's lazy rows, then the filter over them; the output,
    the surviving synthetic rows and their provenance equal the in-memory ones."""
    X, y = data
    ref = SMOTEIPF(random_state=0)
    X_ref, y_ref = ref.fit_resample(X, y)
    s = SMOTEIPF(random_state=0)
    X_res, y_res = s.fit_resample(*(_frames if frames else _split)(X, y, 4))
    out = X_res.compute()
    np.testing.assert_array_equal(np.asarray(out), X_ref)
    np.testing.assert_array_equal(np.asarray(y_res.compute()), y_ref)
    if not frames:
        np.testing.assert_array_equal(s.sample_indices_.compute(), ref.sample_indices_)
        np.testing.assert_array_equal(s.synthetic_kept_.compute(), ref.synthetic_kept_)
        np.testing.assert_array_equal(s.provenance_["parent"].compute(),
                                      ref.provenance_["parent"])
    assert s.ipf_.n_rounds_ == ref.ipf_.n_rounds_


def test_filter_on_dask_refuses_bad_input_and_names_the_failing_estimator(data):
    """Check the errors: a regressor as estimator before any work; NaN or a text column
    in a partition (the in-memory errors, naming the partition); an estimator that
    fails to fit in a worker (named in the error)."""
    from sklearn.linear_model import LinearRegression

    X, y = data
    with pytest.raises(TypeError, match="LinearRegression is not a classifier"):
        IterativePartitioningFilter(estimator=LinearRegression()).fit_resample(
            *_split(X, y, 3))
    bad = X.copy()
    bad[2400, 1] = np.nan
    with pytest.raises(DataValidationError, match=r"partition 2: X contains NaN or infinity"):
        IterativePartitioningFilter(random_state=0).fit_resample(*_split(bad, y, 3))
    Xf, yf = _frames(X, y, 3)
    with pytest.raises(NonNumericDataError, match=r"needs numeric features.*'colour'.*Encode"):
        IterativePartitioningFilter(random_state=0).fit_resample(
            Xf.assign(colour="red"), yf)
    with pytest.raises(EstimatorFitError, match=r"its estimator \(DecisionTreeClassifier\)"):
        IterativePartitioningFilter(
            random_state=0, estimator=DecisionTreeClassifier(max_depth=-1)).fit_resample(
            *_split(X, y, 3))
