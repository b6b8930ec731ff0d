"""What code written for imbalanced-learn expects of smotelab: containers, errors, tags."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.tree import DecisionTreeClassifier

from smotelab.combine import SMOTEENN
from smotelab.exceptions import DataValidationError
from smotelab.over_sampling import SMOTE, SVMSMOTE, RandomOverSampler
from smotelab.under_sampling import (
    ClusterCentroids,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    NearMiss,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RandomUnderSampler,
    TomekLinks,
)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = np.array([0] * 45 + [1] * 15)
    return X, y


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), RandomUnderSampler(random_state=0),
                                     SMOTEENN(random_state=0)], ids=type)
def test_lists_in_lists_out(sampler, data):
    """Check that lists come back as lists holding the array output's values."""
    X, y = data
    X_arr, y_arr = sampler.fit_resample(X, y)
    X_list, y_list = sampler.fit_resample(X.tolist(), y.tolist())
    assert isinstance(X_list, list) and isinstance(y_list, list)
    np.testing.assert_allclose(X_list, X_arr)
    assert y_list == y_arr.tolist()


@pytest.mark.parametrize("column", [0, "species"])
def test_one_column_frame_target_stays_a_frame(column, data):
    """Check that y as a one-column DataFrame (integer or named column) comes back as one."""
    X, y = data
    y_df = pd.DataFrame({column: y})
    _, y_res = SMOTE(random_state=0).fit_resample(X, y_df)
    assert isinstance(y_res, pd.DataFrame) and y_res.columns.tolist() == [column]
    _, y_arr = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(y_res[column].to_numpy(), y_arr)


@pytest.mark.parametrize("fmt", ["coo", "dia", "bsr", "lil"])
@pytest.mark.parametrize("sampler", [RandomOverSampler(random_state=0),
                                     RandomUnderSampler(random_state=0), TomekLinks()], ids=type)
def test_any_sparse_format(sampler, fmt, data):
    """Check that sparse formats without row access are read as CSR and returned as CSR."""
    X, y = data
    X_res, y_res = sampler.fit_resample(sp.csr_matrix(X).asformat(fmt), y)
    assert sp.issparse(X_res) and X_res.format == "csr"
    X_dense, y_dense = sampler.fit_resample(X, y)
    np.testing.assert_allclose(X_res.toarray(), X_dense)


def test_pandas_sparse_columns_stay_sparse(data):
    """Check that a DataFrame of sparse columns comes back with sparse columns and names."""
    X, y = data
    X_df = pd.DataFrame(np.where(np.abs(X) < 0.5, 0.0, X), columns=["a", "b", "c"]).astype(
        pd.SparseDtype(float, 0.0))
    X_res, _ = SMOTE(random_state=0).fit_resample(X_df, y)
    assert X_res.columns.tolist() == ["a", "b", "c"]
    assert all(isinstance(dt, pd.SparseDtype) for dt in X_res.dtypes)
    X_arr, _ = SMOTE(random_state=0).fit_resample(X_df.sparse.to_dense().to_numpy(), y)
    np.testing.assert_allclose(X_res.sparse.to_dense().to_numpy(), X_arr)


@pytest.mark.parametrize("bad", ["nan", "inf", "complex", "dict"])
def test_fit_checks_values_as_fit_resample_does(bad, data):
    """Check that fit() refuses the values fit_resample() refuses, with the same error."""
    X, y = data
    X = X.astype(object if bad == "dict" else complex if bad == "complex" else float)
    X[0, 0] = {"nan": np.nan, "inf": np.inf, "complex": 1 + 2j, "dict": {"a": 1}}[bad]
    with pytest.raises((DataValidationError, TypeError)) as fit_error:
        SMOTE().fit(X, y)
    with pytest.raises(type(fit_error.value)):
        SMOTE().fit_resample(X, y)


def test_estimator_errors_are_runtime_errors_too(data):
    """Check that an estimator lacking what the sampler needs raises what imbalanced-learn
    raises (RuntimeError), and TypeError as before."""
    X, y = data
    with pytest.raises(RuntimeError, match="support_") as err:
        SVMSMOTE(svm_estimator=LogisticRegression()).fit_resample(X, y)
    assert isinstance(err.value, TypeError)
    with pytest.raises(RuntimeError, match="n_clusters"):
        ClusterCentroids(estimator=LogisticRegression()).fit_resample(X, y)


def test_sampler_tags_and_feature_names(data):
    """Check imbalanced-learn's tags and get_feature_names_out."""
    X, y = data
    tags = RandomUnderSampler().__sklearn_tags__()
    assert tags.estimator_type == "sampler" and tags.sampler_tags.sample_indices
    assert tags.sampler_tags.sampling_type == "under-sampling"
    assert not SMOTE().__sklearn_tags__().sampler_tags.sample_indices
    assert RandomOverSampler().__sklearn_tags__().input_tags.allow_nan
    assert not SMOTE().__sklearn_tags__().input_tags.allow_nan
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    assert SMOTE().fit(df, y).get_feature_names_out().tolist() == ["a", "b", "c"]
    assert SMOTE().fit(X, y).get_feature_names_out().tolist() == ["x0", "x1", "x2"]


def test_selections_keep_pandas_index_labels(data):
    """Check that a selection keeps its rows' index labels and an over-sampler renumbers."""
    X, y = data
    index = pd.Index([f"r{i}" for i in range(len(y))])
    X_df, y_s = pd.DataFrame(X, index=index), pd.Series(y, index=index, name="y")
    sampler = RandomUnderSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X_df, y_s)
    assert X_res.index.tolist() == index[sampler.sample_indices_].tolist()
    assert y_res.index.equals(X_res.index)
    X_res, y_res = SMOTE(random_state=0).fit_resample(X_df, y_s)
    assert X_res.index.equals(pd.RangeIndex(len(X_res))) and y_res.index.equals(X_res.index)


@pytest.mark.parametrize("make", [
    lambda nn: NearMiss(version=1, n_neighbors=nn),
    lambda nn: NearMiss(version=2, n_neighbors=nn),
    lambda nn: NearMiss(version=3, n_neighbors=nn, n_neighbors_ver3=nn),
    lambda nn: NeighbourhoodCleaningRule(n_neighbors=nn),
], ids=["nearmiss1", "nearmiss2", "nearmiss3", "ncr"])
def test_neighbour_objects_equal_their_int(make):
    """Check that a NearestNeighbors object selects what its n_neighbors as an int does."""
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    a = make(3)
    b = make(NearestNeighbors(n_neighbors=3))
    a.fit_resample(X, y)
    b.fit_resample(X, y)
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    assert isinstance(getattr(b.nn_, "estimator", None), NearestNeighbors)


@pytest.mark.parametrize("cls", [CondensedNearestNeighbour, OneSidedSelection])
def test_prototype_selection_takes_a_classifier(cls):
    """Check CNN/OSS: a Euclidean KNeighborsClassifier equals its int; any classifier
    votes; estimators_ holds one fitted classifier per class cleaned."""
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    a = cls(random_state=0, n_neighbors=3).fit(X, y)
    a.fit_resample(X, y)
    b = cls(random_state=0, n_neighbors=KNeighborsClassifier(n_neighbors=3))
    b.fit_resample(X, y)
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    c = cls(random_state=0, n_neighbors=DecisionTreeClassifier(random_state=0))
    c.fit_resample(X, y)
    assert len(c.estimators_) == 1 and isinstance(c.estimators_[0], DecisionTreeClassifier)
    assert isinstance(a.estimators_[0], KNeighborsClassifier)
    assert 0 < len(c.sample_indices_) < len(y)


def test_parameters_as_imbalanced_learn_takes_them(data):
    """Check a Mapping strategy, a splitter as cv, and out_step's range."""
    from collections import OrderedDict
    from types import MappingProxyType

    from sklearn.model_selection import KFold
    from sklearn.utils._param_validation import InvalidParameterError

    from smotelab.under_sampling import InstanceHardnessThreshold

    X, y = data
    for strategy in (OrderedDict({1: 30}), MappingProxyType({1: 30})):
        _, y_res = SMOTE(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
        assert int((y_res == 1).sum()) == 30
    iht = InstanceHardnessThreshold(cv=KFold(3, shuffle=True, random_state=0), random_state=0,
                                    estimator=LogisticRegression())
    _, y_res = iht.fit_resample(X, y)
    assert int((y_res == 0).sum()) < 45
    with pytest.raises(InvalidParameterError, match="out_step"):
        SVMSMOTE(out_step=1.5).fit_resample(X, y)


def test_fitted_searches_read_like_nearest_neighbors(data):
    """Check nn_k_ / nn_m_ / nn_: n_neighbors counts the sample itself, and kneighbors and
    kneighbors_graph answer as a NearestNeighbors fitted on the same rows does."""
    from smotelab.over_sampling import BorderlineSMOTE

    X, y = data
    sm = BorderlineSMOTE(k_neighbors=4, m_neighbors=7, random_state=0)
    sm.fit_resample(X, y)
    assert sm.nn_k_.n_neighbors == 5 and sm.nn_m_.n_neighbors == 8
    enn = EditedNearestNeighbours(n_neighbors=3)
    enn.fit_resample(X, y)
    assert enn.nn_.n_neighbors == 4
    ref = NearestNeighbors(n_neighbors=4).fit(X)
    nn = enn.nn_.fit(X)
    for query in (None, X[:7]):
        d_ref, i_ref = ref.kneighbors(query)
        d, i = nn.kneighbors(query)
        np.testing.assert_allclose(d, d_ref)
        np.testing.assert_array_equal(i, i_ref)
        np.testing.assert_array_equal(nn.kneighbors(query, 2, return_distance=False),
                                      ref.kneighbors(query, 2, return_distance=False))
        for mode in ("connectivity", "distance"):
            np.testing.assert_allclose(nn.kneighbors_graph(query, mode=mode).toarray(),
                                       ref.kneighbors_graph(query, mode=mode).toarray())
    with pytest.raises(ValueError, match="mode"):
        nn.kneighbors_graph(mode="weights")


@pytest.mark.parametrize("version", [1, 2, 3])
def test_nearmiss_nn_reads_like_nearest_neighbors(version):
    """Check NearMiss.nn_: fitted on the minority, answering as NearestNeighbors does."""
    X, y = make_classification(n_samples=200, weights=[0.8], random_state=0)
    nm = NearMiss(version=version)
    nm.fit_resample(X, y)
    ref = NearestNeighbors(n_neighbors=3).fit(X[y == 1])
    d, i = nm.nn_.kneighbors(X[:5])
    d_ref, i_ref = ref.kneighbors(X[:5])
    np.testing.assert_allclose(d, d_ref)
    np.testing.assert_array_equal(i, i_ref)
    assert nm.nn_.n_neighbors == 3
