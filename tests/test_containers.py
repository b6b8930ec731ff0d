"""Container round trips: pandas, polars, sparse, lists; dtypes and names kept."""

import numpy as np
import pytest
import scipy.sparse as sp

from smotelab.over_sampling import SMOTE, RandomOverSampler

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")


def _frame_data():
    rng = np.random.default_rng(0)
    n = 40
    return {
        "f64": rng.standard_normal(n),
        "f32": rng.standard_normal(n).astype(np.float32),
        "i64": rng.integers(0, 1000, n),
    }, np.r_[np.zeros(30, int), np.ones(10, int)]


def test_pandas_dtypes_names_and_integer_rounding():
    """Check pandas in -> pandas out: names, dtypes, rounded integers, fresh index."""
    cols, y = _frame_data()
    df = pd.DataFrame(cols, index=np.arange(100, 140))
    df["nullable"] = pd.array(np.arange(40), dtype="Int64")
    s = SMOTE(random_state=0)
    out, yout = s.fit_resample(df, pd.Series(y, name="label", index=df.index))
    assert out.dtypes.to_dict() == df.dtypes.to_dict()
    assert list(out.columns) == list(df.columns)
    assert out.index.equals(pd.RangeIndex(len(out)))
    assert yout.name == "label" and yout.index.equals(out.index)
    pd.testing.assert_frame_equal(out.iloc[:40], df.reset_index(drop=True))
    p = s.provenance_
    exact = df["i64"].to_numpy()[p["parent"]] + p["step"] * (
        df["i64"].to_numpy()[p["neighbor"]] - df["i64"].to_numpy()[p["parent"]])
    np.testing.assert_array_equal(out["i64"].to_numpy()[40:], np.rint(exact))


def test_pandas_categorical_and_string_labels_are_kept():
    """Check that y's categories (and their order) and string dtype survive."""
    cols, y = _frame_data()
    ycat = pd.Series(pd.Categorical(np.where(y == 1, "rare", "common"),
                                    categories=["rare", "common", "unused"]), name="t")
    _, yout = SMOTE(random_state=0).fit_resample(pd.DataFrame(cols), ycat)
    assert list(yout.cat.categories) == ["rare", "common", "unused"]
    assert (yout.iloc[40:] == "rare").all()


def test_polars_round_trip():
    """Check polars in -> polars out with the same schema and series name."""
    cols, y = _frame_data()
    frame = pl.DataFrame(cols)
    out, yout = SMOTE(random_state=0).fit_resample(frame, pl.Series("t", y.astype(str)))
    assert isinstance(out, pl.DataFrame) and out.schema == frame.schema
    assert yout.name == "t" and yout.dtype == pl.String
    assert out.head(40).equals(frame)


def test_sparse_stays_sparse_and_matches_dense():
    """Check that CSR stays sparse and gives the dense result from the same seed."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 5)) * (rng.random((60, 5)) < 0.4)
    y = np.r_[np.zeros(45, int), np.ones(15, int)]
    dense, _ = SMOTE(random_state=0).fit_resample(X, y)
    sparse, _ = SMOTE(random_state=0).fit_resample(sp.csr_matrix(X), y)
    assert sp.issparse(sparse)
    np.testing.assert_allclose(sparse.toarray(), dense)
    ros, _ = RandomOverSampler(random_state=0).fit_resample(sp.csc_matrix(X), y)
    assert ros.format == "csc"


def test_random_over_sampler_keeps_every_pandas_dtype():
    """Check that ROS (pure row copies) keeps strings, categories and booleans in frames."""
    df = pd.DataFrame({"s": list("abcde"), "c": pd.Categorical(list("xyxyx")),
                       "b": [True, False, True, False, True]})
    out, _ = RandomOverSampler(random_state=0).fit_resample(df, [0, 0, 0, 1, 1])
    assert out.dtypes.to_dict() == df.dtypes.to_dict() and len(out) == 6


def test_feature_names_are_recorded():
    """Check feature_names_in_ for frames with string columns, not for arrays."""
    cols, y = _frame_data()
    s = SMOTE(random_state=0).fit(pd.DataFrame(cols), y)
    assert list(s.feature_names_in_) == list(cols)
    s.fit(np.c_[cols["f64"], cols["f32"]], y)
    assert not hasattr(s, "feature_names_in_") and s.n_features_in_ == 2
