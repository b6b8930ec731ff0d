"""Samplers on Dask collections: lazy, exact, the same output whatever the partitioning."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotelab.combine import SMOTETomek
from smotelab.exceptions import DataValidationError, MetadataResamplingError
from smotelab.over_sampling import (
    ADASYN,
    SMOBD,
    SMOTE,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    GeometricSMOTE,
    LeeSMOTE,
    PolynomFitSMOTE,
    ProWSyn,
    RandomOverSampler,
)
from smotelab.under_sampling import RandomUnderSampler, TomekLinks
from tests._dask_data import split as _split

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=4000, n_classes=3, n_informative=4,
                               weights=[0.7, 0.2, 0.1], random_state=0)


@pytest.fixture(scope="session")
def cluster_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.mark.parametrize("parts", [1, 4, 13])
def test_smote_equals_the_in_memory_output(data, parts):
    """Check SMOTE on 1, 4 and 13 partitions gives exactly the numpy output and provenance."""
    X, y = data
    ref = SMOTE(random_state=0)
    X_ref, y_ref = ref.fit_resample(X, y)
    s = SMOTE(random_state=0)
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    assert isinstance(X_res, da.Array) and isinstance(y_res, da.Array)  # lazy
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    assert dict(s.sampling_strategy_) == dict(ref.sampling_strategy_)
    for key in ("parent", "neighbor", "step", "class"):
        np.testing.assert_array_equal(np.asarray(s.provenance_[key].compute()),
                                      ref.provenance_[key])


@pytest.mark.parametrize("parts", [1, 4, 13])
@pytest.mark.parametrize("cls", [BorderlineSMOTE, ADASYN])
def test_variants_with_a_global_graph_equal_the_in_memory_output(data, cls, parts):
    """Check Borderline-SMOTE and ADASYN (neighbours among all rows, merged across
    partitions) give exactly the in-memory rows, labels and danger sets."""
    X, y = data
    ref = cls(random_state=0)
    X_ref, y_ref = ref.fit_resample(X, y)
    s = cls(random_state=0)
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    for c, rows in getattr(ref, "in_danger_indices_", {}).items():
        np.testing.assert_array_equal(s.in_danger_indices_[c], rows)


@pytest.mark.parametrize("parts", [1, 4, 13])
@pytest.mark.parametrize("params", [{}, {"k_neighbors": 12, "m_neighbors": 5}])
def test_borderline_2_equals_the_in_memory_output(data, parts, params):
    """Check Borderline-2 (interpolation toward rows of any class, read back from their
    partitions) gives exactly the in-memory rows and provenance, also when its k exceeds
    the danger test's m."""
    X, y = data
    ref = BorderlineSMOTE(kind="borderline-2", random_state=0, **params)
    X_ref, y_ref = ref.fit_resample(X, y)
    s = BorderlineSMOTE(kind="borderline-2", random_state=0, **params)
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    for key in ("parent", "neighbor", "step", "class"):
        np.testing.assert_array_equal(np.asarray(s.provenance_[key].compute()),
                                      ref.provenance_[key])
    # the point of the variant: some neighbours are of another class, steps below 0.5
    nb = ref.provenance_["neighbor"]
    other = y[nb] != ref.provenance_["class"]
    assert other.any() and (ref.provenance_["step"][other] < 0.5).all()


def test_borderline_2_on_dataframes_keeps_float32(data):
    """Check Borderline-2 on a float32 Dask DataFrame equals the pandas result."""
    X, y = data
    df = pd.DataFrame(X.astype(np.float32), columns=[f"f{i}" for i in range(X.shape[1])])
    ys = pd.Series(y, name="label")
    ref_X, _ = BorderlineSMOTE(kind="borderline-2", random_state=3).fit_resample(df, ys)
    X_res, _ = BorderlineSMOTE(kind="borderline-2", random_state=3).fit_resample(
        dd.from_pandas(df, npartitions=5), dd.from_pandas(ys, npartitions=5))
    out = X_res.compute().reset_index(drop=True)
    assert (out.dtypes == np.float32).all()
    pd.testing.assert_frame_equal(out, ref_X)


@pytest.fixture(scope="module")
def mixed(data):
    X, y = data
    rng = np.random.default_rng(0)
    df = pd.DataFrame(X[:, :4], columns=["a", "b", "c", "d"])
    df["b"] = df["b"].astype("float32")
    df["n"] = rng.integers(0, 40, len(df))  # a count: continuous, rounded back to int
    df["colour"] = pd.Categorical(rng.choice(["red", "green", "blue"], len(df)),
                                  categories=["red", "green", "blue"])
    df["city"] = rng.choice(["oslo", "lima", "pune", "kiev"], len(df)).astype(object)
    df["flag"] = rng.random(len(df)) < 0.3
    return df, pd.Series(np.array(["x", "y", "z"])[y], name="label")


@pytest.mark.parametrize("parts", [1, 4, 11])
def test_smotenc_equals_the_in_memory_output(mixed, parts):
    """Check SMOTE-NC on a Dask DataFrame (categories, strings, booleans, a count) gives
    exactly the pandas output: values, dtypes, provenance and per-class spreads."""
    df, ys = mixed
    cats = ["colour", "city", "flag"]
    ref = SMOTENC(categorical_features=cats, random_state=0)
    X_ref, y_ref = ref.fit_resample(df, ys)
    s = SMOTENC(categorical_features=cats, random_state=0)
    Xd = dd.from_pandas(df, npartitions=parts)
    X_res, y_res = s.fit_resample(Xd, dd.from_pandas(ys, npartitions=parts))
    assert isinstance(X_res, dd.DataFrame)
    out = X_res.compute().reset_index(drop=True)
    # Dask may store strings with its own string dtype: the output keeps the input's
    assert (out.dtypes == Xd.dtypes).all()
    pd.testing.assert_frame_equal(out.astype({"city": object}), X_ref.astype({"city": object}))
    assert y_res.compute().astype(str).tolist() == y_ref.astype(str).tolist()
    for key in ("parent", "neighbor", "step", "class"):
        np.testing.assert_array_equal(np.asarray(s.provenance_[key].compute()),
                                      ref.provenance_[key])
    assert s.median_std_ == ref.median_std_
    np.testing.assert_array_equal(s.categorical_features_, ref.categorical_features_)


def test_smotenc_on_dask_arrays_with_coded_categories(data):
    """Check SMOTE-NC on a Dask array whose last columns are integer codes."""
    X, y = data
    rng = np.random.default_rng(1)
    Xc = np.column_stack([X[:, :5], rng.integers(0, 4, len(X)), rng.integers(0, 7, len(X))])
    ref_X, ref_y = SMOTENC(categorical_features=[5, 6], random_state=2).fit_resample(Xc, y)
    X_res, y_res = SMOTENC(categorical_features=[5, 6], random_state=2).fit_resample(
        *_split(Xc, y, 6))
    np.testing.assert_array_equal(X_res.compute(), ref_X)
    np.testing.assert_array_equal(y_res.compute(), ref_y)
    assert set(np.unique(X_res.compute()[len(X):, 5])) <= {0.0, 1.0, 2.0, 3.0}


@pytest.mark.parametrize("cls", [SMOTE, ADASYN])
def test_order_invariant_option(data, cls):
    """Check the option makes the synthetic rows independent of the input row order."""
    import dask

    X, y = data
    perm = np.random.default_rng(0).permutation(len(y))
    outs = []
    with dask.config.set({"smotelab.order-invariant": True}):
        for Xi, yi in ((X, y), (X[perm], y[perm])):
            X_res, y_res = cls(random_state=0).fit_resample(*_split(Xi, yi, 3))
            new = X_res.compute()[len(X):]
            outs.append(new[np.lexsort(new.T[::-1])])
    np.testing.assert_array_equal(outs[0], outs[1])


def test_dataframes_stay_dataframes(data):
    """Check a Dask DataFrame and Series in give the same columns, dtypes and values out."""
    X, y = data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    df["f0"] = df["f0"].astype("float32")
    df["count"] = np.arange(len(df)) % 50
    ys = pd.Series(np.array(["a", "b", "c"])[y], name="label")
    ref_X, ref_y = SMOTE(random_state=1).fit_resample(df, ys)
    dys = dd.from_pandas(ys, npartitions=6)
    X_res, y_res = SMOTE(random_state=1).fit_resample(dd.from_pandas(df, npartitions=6), dys)
    assert isinstance(X_res, dd.DataFrame)
    out, yout = X_res.compute().reset_index(drop=True), y_res.compute().reset_index(drop=True)
    assert list(out.columns) == list(df.columns) and (out.dtypes == df.dtypes).all()
    pd.testing.assert_frame_equal(out, ref_X)
    # Dask may store strings with its own string dtype: the output keeps the input's
    assert yout.dtype == dys.dtype and yout.name == "label"
    assert yout.astype(str).tolist() == ref_y.astype(str).tolist()


def test_float32_frames_compute_in_float32(data):
    """Check an all-float32 DataFrame is interpolated in float32, as in memory."""
    X, y = data
    df = pd.DataFrame(X.astype(np.float32), columns=[f"f{i}" for i in range(X.shape[1])])
    ref, _ = SMOTE(random_state=2).fit_resample(df, y)
    out, _ = SMOTE(random_state=2).fit_resample(dd.from_pandas(df, npartitions=3),
                                                 dd.from_pandas(pd.Series(y), npartitions=3))
    pd.testing.assert_frame_equal(out.compute().reset_index(drop=True), ref)


def test_random_over_sampler_counts_and_copies(data):
    """Check RandomOverSampler: exact counts, every new row a copy of a row of its class,
    the same output from different partitionings."""
    X, y = data
    outs = []
    for parts in (2, 7):
        X_res, y_res = RandomOverSampler(random_state=0).fit_resample(*_split(X, y, parts))
        X_res, y_res = X_res.compute(), y_res.compute()
        assert np.bincount(y_res).tolist() == [np.bincount(y).max()] * 3
        np.testing.assert_array_equal(X_res[: len(X)], X)
        for row, label in zip(X_res[len(X):][:200], y_res[len(X):][:200], strict=True):
            assert (X[y == label] == row).all(axis=1).any()
        outs.append(X_res)
    np.testing.assert_array_equal(outs[0], outs[1])
    Xi = (X * 10).astype(np.int64)  # rows are copied: an int array stays int
    X_res, _ = RandomOverSampler(random_state=0).fit_resample(*_split(Xi, y, 3))
    assert X_res.dtype == np.int64 and X_res.compute().dtype == np.int64


@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize("parts", [1, 6])
def test_random_under_sampler_equals_the_in_memory_output(data, parts, replacement):
    """Check RandomUnderSampler keeps exactly the in-memory rows, arrays and frames."""
    X, y = data
    ref = RandomUnderSampler(random_state=0, replacement=replacement)
    X_ref, y_ref = ref.fit_resample(X, y)
    s = RandomUnderSampler(random_state=0, replacement=replacement)
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    np.testing.assert_array_equal(s.sample_indices_.compute(), ref.sample_indices_)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    ys = pd.Series(y, name="t")
    out, yout = RandomUnderSampler(random_state=0, replacement=replacement).fit_resample(
        dd.from_pandas(df, npartitions=parts), dd.from_pandas(ys, npartitions=parts))
    np.testing.assert_array_equal(out.compute().to_numpy(), X_ref)
    assert yout.compute().name == "t"
    np.testing.assert_array_equal(yout.compute().to_numpy(), y_ref)


@pytest.mark.parametrize("strategy", ["auto", "all"])
@pytest.mark.parametrize("parts", [1, 5])
def test_tomek_links_keep_the_in_memory_rows(data, parts, strategy):
    """Check TomekLinks on Dask (links found from the small side, across partitions)
    drops exactly the in-memory rows, arrays and frames."""
    X, y = data
    ref = TomekLinks(sampling_strategy=strategy)
    X_ref, y_ref = ref.fit_resample(X, y)
    assert len(y_ref) < len(y)  # there are links to remove
    s = TomekLinks(sampling_strategy=strategy)
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    np.testing.assert_array_equal(s.sample_indices_.compute(), ref.sample_indices_)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    out, _ = TomekLinks(sampling_strategy=strategy).fit_resample(
        dd.from_pandas(df, npartitions=parts), dd.from_pandas(pd.Series(y), npartitions=parts))
    np.testing.assert_array_equal(out.compute().to_numpy(), X_ref)


@pytest.mark.parametrize(("strategy", "kind_sel"), [("auto", "all"), ("all", "mode")])
@pytest.mark.parametrize(("parts", "group_rows"), [(1, None), (4, None), (9, 700), (9, 1)])
def test_edited_nearest_neighbours_keep_the_in_memory_rows(data, parts, group_rows,
                                                           strategy, kind_sel, monkeypatch):
    """Check ENN on Dask (each cleaned row's neighbours merged across partitions, or
    groups of partitions) drops exactly the in-memory rows, arrays and frames."""
    from smotelab.dask import _select
    from smotelab.under_sampling import EditedNearestNeighbours as ENN

    X, y = data
    if group_rows is not None:
        monkeypatch.setattr(_select, "_GROUP_VALUES", group_rows * X.shape[1])
    ref = ENN(sampling_strategy=strategy, kind_sel=kind_sel, n_neighbors=4)
    X_ref, y_ref = ref.fit_resample(X, y)
    assert len(y_ref) < len(y)  # there are rows to remove
    s = ENN(sampling_strategy=strategy, kind_sel=kind_sel, n_neighbors=4)
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    np.testing.assert_array_equal(s.sample_indices_.compute(), ref.sample_indices_)
    assert dict(s.sampling_strategy_) == dict(ref.sampling_strategy_)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    out, yout = ENN(sampling_strategy=strategy, kind_sel=kind_sel, n_neighbors=4).fit_resample(
        dd.from_pandas(df, npartitions=parts), dd.from_pandas(pd.Series(y, name="t"),
                                                              npartitions=parts))
    np.testing.assert_array_equal(out.compute().to_numpy(), X_ref)
    assert yout.compute().name == "t"


def test_edited_nearest_neighbours_errors_on_dask(data):
    """Check ENN on Dask refuses too many neighbours, NaN in a row it only compares
    with, and all-pairs work over the budget, each saying what to do."""
    import dask

    from smotelab.exceptions import NotEnoughSamplesError
    from smotelab.under_sampling import EditedNearestNeighbours as ENN

    X, y = data
    small = np.concatenate([np.flatnonzero(y == 2)[:2], np.flatnonzero(y == 0)[:1]])
    with pytest.raises(NotEnoughSamplesError, match="n_neighbors<=2"):
        ENN(n_neighbors=3, sampling_strategy="all").fit_resample(*_split(X[small], y[small], 2))
    Xn = X.copy()
    Xn[np.flatnonzero(y == 2)[0], 1] = np.inf  # a minority row: compared with, not cleaned
    with pytest.raises(DataValidationError, match="NaN or infinity"):
        ENN().fit_resample(*_split(Xn, y, 3))[0].compute()
    with dask.config.set({"smotelab.all-pairs-budget": 0.01}), pytest.raises(
            DataValidationError, match=r"EditedNearestNeighbours on Dask would compare"):
        ENN().fit_resample(*_split(X, y, 3))


@pytest.mark.parametrize("name", ["SMOTETomek", "SMOTEENN"])
def test_combinations_compose_lazily_and_exactly(data, name):
    """Check SMOTE-Tomek and SMOTE-ENN on Dask: their steps take the Dask route, the output
    and the bookkeeping (kept rows, surviving synthetic rows, provenance) equal the
    in-memory ones; all-pairs work over the budget is refused with its cost."""
    import dask

    from smotelab import combine

    cls = getattr(combine, name)
    X, y = data
    ref = cls(random_state=0)
    X_ref, y_ref = ref.fit_resample(X, y)
    s = cls(random_state=0)
    X_res, y_res = s.fit_resample(*_split(X, y, 4))
    assert isinstance(X_res, da.Array)
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    np.testing.assert_array_equal(s.sample_indices_.compute(), ref.sample_indices_)
    np.testing.assert_array_equal(s.synthetic_kept_.compute(), ref.synthetic_kept_)
    np.testing.assert_array_equal(s.provenance_["step"].compute(), ref.provenance_["step"])
    assert s.sampling_strategy_ == ref.sampling_strategy_ == "auto"  # the parameter
    assert dict(s.smote_.sampling_strategy_) == dict(ref.smote_.sampling_strategy_)
    with dask.config.set({"smotelab.all-pairs-budget": 0.01}):
        with pytest.raises(DataValidationError, match=r"would compare .* rows.*budget"):
            cls(random_state=0).fit_resample(*_split(X, y, 4))


def test_combinations_on_dask_dataframes(data):
    """Check SMOTE-ENN on Dask DataFrames: the cleaner reads the over-sampler's lazy
    output partition by partition (no index shuffle) and the result equals pandas'."""
    from smotelab.combine import SMOTEENN

    X, y = data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    ys = pd.Series(y, name="t")
    X_ref, y_ref = SMOTEENN(random_state=0).fit_resample(df, ys)
    s = SMOTEENN(random_state=0)
    X_res, y_res = s.fit_resample(dd.from_pandas(df, npartitions=3),
                                  dd.from_pandas(ys, npartitions=3))
    np.testing.assert_array_equal(X_res.compute().to_numpy(), X_ref.to_numpy())
    np.testing.assert_array_equal(y_res.compute().to_numpy(), y_ref.to_numpy())
    assert len(s.sample_indices_.compute()) + int(s.synthetic_kept_.sum().compute()) == len(
        y_ref)


def test_differently_partitioned_x_and_y_are_refused(data):
    """Check X and y whose partitions hold different rows give a specific error."""
    import dask

    X, y = data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    ys = pd.Series(y, name="t")
    Xd = dd.from_pandas(df, npartitions=2)
    yd = dd.from_delayed([dask.delayed(ys.iloc[:1500]), dask.delayed(ys.iloc[1500:])],
                         meta=ys.iloc[:0])
    with pytest.raises(DataValidationError, match="partitioned differently"):
        SMOTE(random_state=0).fit_resample(Xd, yd)


def test_threads_and_a_distributed_cluster_agree(data, cluster_client):
    """Check the same output from the threaded scheduler and a 2-process LocalCluster."""
    import dask

    X, y = data
    Xd, yd = _split(X, y, 5)
    with dask.config.set(scheduler="threads"):
        a = SMOTE(random_state=4).fit_resample(Xd, yd)[0].compute()
    b = SMOTE(random_state=4).fit_resample(Xd, yd)[0].compute()  # the client is default
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, SMOTE(random_state=4).fit_resample(X, y)[0])


def test_dask_errors_are_specific(data):
    """Check unsupported samplers, callable strategies and NaN say what to do."""
    X, y = data
    Xd, yd = _split(X, y, 3)
    with pytest.raises(DataValidationError, match=r"does not take Dask collections yet.*compute"):
        SVMSMOTE().fit_resample(Xd, yd)
    with pytest.raises(DataValidationError, match="callable"):
        SMOTE(sampling_strategy=lambda y: {1: 3000}).fit_resample(Xd, yd)
    Xn = X.copy()
    Xn[np.flatnonzero(y == 2)[0], 0] = np.nan
    with pytest.raises(DataValidationError, match="NaN"):
        SMOTE().fit_resample(*_split(Xn, y, 3))
    with pytest.raises(ValueError, match="k_neighbors=500"):
        SMOTE(k_neighbors=500).fit_resample(Xd, yd)


def test_gather_limit_error_names_the_approximate_alternative(data):
    """Check that more rows than the gather limit are refused with the ways out named."""
    import dask

    X, y = data
    Xd, yd = _split(X, y, 4)
    with dask.config.set({"smotelab.gather-limit": 100}):
        with pytest.raises(DataValidationError, match=r"more than the gather limit of 100 rows"
                           r".*'smotelab.neighbours': 'partition'.*smotelab.gather-limit"):
            SMOTE().fit_resample(Xd, yd)
        with pytest.raises(DataValidationError, match=r"use PolynomFitSMOTE or SMOBD or SMOTE "
                           r"or RandomOverSampler with"):
            ADASYN().fit_resample(Xd, yd)
        with dask.config.set({"smotelab.neighbours": "partition"}):
            SMOTE().fit_resample(Xd, yd)  # asked for: no gather, no error
    with dask.config.set({"smotelab.neighbours": "nearby"}):
        with pytest.raises(DataValidationError, match="'exact' or 'partition'"):
            SMOTE().fit_resample(Xd, yd)
    with dask.config.set({"smotelab.neighbours": "partition"}):
        for sampler in (ADASYN(), GeometricSMOTE(), ProWSyn(), LeeSMOTE()):  # all rows
            with pytest.raises(DataValidationError, match="works with PolynomFitSMOTE and "
                               "SMOBD and SMOTE and RandomOverSampler"):
                sampler.fit_resample(Xd, yd)


def _partition_of(rows, chunk):
    return np.asarray(rows) // chunk


@pytest.mark.parametrize("parts", [1, 4, 9])
def test_partition_local_smote_stays_inside_each_partition(data, parts):
    """Check the approximate plan: exact counts, originals first, every synthetic row on
    the segment from its parent to one of the parent's k nearest rows of its class in
    the same partition, and the same output from every scheduler."""
    import dask

    X, y = data
    Xd, yd = _split(X, y, parts)
    chunk = Xd.chunks[0][0]
    with dask.config.set({"smotelab.neighbours": "partition"}):
        s = SMOTE(k_neighbors=4, random_state=3)
        X_res, y_res = s.fit_resample(Xd, yd)
        with dask.config.set(scheduler="sync"):
            X_res, y_res = X_res.compute(), y_res.compute()
        with dask.config.set(scheduler="threads"):
            again = SMOTE(k_neighbors=4, random_state=3).fit_resample(Xd, yd)[0].compute()
    np.testing.assert_array_equal(X_res, again)
    ref = SMOTE(k_neighbors=4, random_state=3)
    _, y_ref = ref.fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(y_res), np.bincount(y_ref))
    np.testing.assert_array_equal(X_res[: len(X)], X)
    prov = {k: np.asarray(v.compute()) for k, v in s.provenance_.items()}
    parent, nb, step = prov["parent"], prov["neighbor"], prov["step"]
    new = X_res[len(X):]
    np.testing.assert_array_equal(y_res[len(X):], prov["class"])
    np.testing.assert_array_equal(y[parent], prov["class"])
    np.testing.assert_array_equal(y[nb], prov["class"])
    np.testing.assert_array_equal(_partition_of(parent, chunk), _partition_of(nb, chunk))
    np.testing.assert_allclose(new, X[parent] + step[:, None] * (X[nb] - X[parent]),
                               rtol=1e-12, atol=1e-12)
    for i in np.random.default_rng(0).choice(len(parent), 60, replace=False):
        part = _partition_of(parent[i], chunk)
        same = np.flatnonzero((y == y[parent[i]]) & (np.arange(len(y)) // chunk == part))
        same = same[same != parent[i]]
        d = ((X[same] - X[parent[i]]) ** 2).sum(axis=1)
        assert nb[i] in same[np.argsort(d, kind="stable")[:4]]
    if parts == 1:  # one partition is the whole class: only the streams differ
        assert not np.array_equal(X_res, ref.fit_resample(X, y)[0])


def test_partition_local_skips_partitions_too_small_for_k(data):
    """Check a partition with too few rows of a class gets none of its new rows, the
    others share them exactly, and a class no partition can serve is a clear error."""
    import dask

    X, y = data
    order = np.argsort(y == 2, kind="stable")[::-1]  # class 2 first: all in partition 0
    Xs, ys = X[order], y[order]
    n2 = int((ys == 2).sum())
    # move all but two rows of class 2 out of partition 0: swap them behind the others
    head = np.flatnonzero(ys == 2)[2:]
    tail = np.flatnonzero(ys != 2)[-len(head):]
    perm = np.arange(len(ys))
    perm[head], perm[tail] = tail, head
    Xs, ys = Xs[perm], ys[perm]
    Xd, yd = _split(Xs, ys, 4)
    chunk = Xd.chunks[0][0]
    assert int((ys[:chunk] == 2).sum()) == 2 and n2 > 2
    with dask.config.set({"smotelab.neighbours": "partition"}):
        s = SMOTE(random_state=0)
        _, y_res = s.fit_resample(Xd, yd)
        y_res = y_res.compute()
        parent = np.asarray(s.provenance_["parent"].compute())
        cls = np.asarray(s.provenance_["class"].compute())
        assert not np.any(_partition_of(parent[cls == 2], chunk) == 0)
        assert np.bincount(y_res).tolist() == [np.bincount(ys).max()] * 3
        spread = (np.arange(400) % 20 == 0).astype(int)  # one minority row in 20
        with pytest.raises(ValueError, match=r"k_neighbors\+1=6 rows of class 1.*Repartition"):
            SMOTE().fit_resample(*_split(X[:400], spread, 40))


def test_partition_local_random_over_sampler_and_frames(data):
    """Check RandomOverSampler duplicates each partition's own rows, and DataFrames stay
    DataFrames in the approximate plan."""
    import dask

    X, y = data
    Xd, yd = _split(X, y, 3)
    with dask.config.set({"smotelab.neighbours": "partition"}):
        r = RandomOverSampler(random_state=0)
        X_res, y_res = (a.compute() for a in r.fit_resample(Xd, yd))
        parent = np.asarray(r.provenance_["parent"].compute())
        np.testing.assert_array_equal(X_res[len(X):], X[parent])
        np.testing.assert_array_equal(y_res[len(X):], y[parent])
        assert (np.asarray(r.provenance_["neighbor"].compute()) == -1).all()
        frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
        Xf = dd.from_pandas(frame, npartitions=3)
        yf = dd.from_pandas(pd.Series(y, name="target"), npartitions=3)
        Xo, yo = SMOTE(random_state=0).fit_resample(Xf, yf)
        Xo, yo = Xo.compute(), yo.compute()
    assert list(Xo.columns) == list(frame.columns) and yo.name == "target"
    assert np.bincount(yo).tolist() == [np.bincount(y).max()] * 3


@pytest.mark.parametrize("make", [lambda: SMOTE(random_state=0),
                                  lambda: RandomUnderSampler(random_state=0),
                                  lambda: SMOTETomek(random_state=0)],
                         ids=["smote", "rus", "smotetomek"])
def test_per_row_metadata_follows_the_rows_on_dask(data, make):
    """Check fit_resample(X, y, sample_weight=...) on Dask: lazy, and the in-memory values."""
    X, y = data
    w = np.arange(len(y), dtype=float)
    _, _, ref = make().fit_resample(X, y, sample_weight=w, note="kept")
    Xd, yd = _split(X, y, 4)
    for given in (w, da.from_array(w, chunks=Xd.chunks[0])):
        _, _, params = make().fit_resample(Xd, yd, sample_weight=given, note="kept")
        assert isinstance(params["sample_weight"], da.Array) and params["note"] == "kept"
        np.testing.assert_array_equal(params["sample_weight"].compute(),
                                      ref["sample_weight"])
    with pytest.raises(MetadataResamplingError, match="Dask array"):
        make().fit_resample(Xd, yd, groups=dd.from_pandas(pd.Series(w), npartitions=2))


@pytest.mark.parametrize("parts", [1, 4, 13])
@pytest.mark.parametrize("make", [
    lambda: SMOBD(random_state=0),
    lambda: PolynomFitSMOTE(topology="star"),
    lambda: PolynomFitSMOTE(topology="bus"),
    lambda: PolynomFitSMOTE(topology="mesh", random_state=0),
    lambda: PolynomFitSMOTE(topology="poly_2", random_state=0),
    lambda: PolynomFitSMOTE(topology="curve_2", random_state=0),
    lambda: GeometricSMOTE(random_state=0),
    lambda: GeometricSMOTE(random_state=0, selection_strategy="majority",
                           truncation_factor=-0.5, deformation_factor=0.4),
    lambda: ProWSyn(random_state=0),
    lambda: ProWSyn(random_state=0, n_neighbors=3, n_levels=8, theta=0.5),
], ids=["smobd", "star", "bus", "mesh", "poly_2", "curve_2", "gsmote", "gsmote-majority", "prowsyn",
        "prowsyn-8"])
def test_newer_variants_equal_the_in_memory_output(data, make, parts):
    """Check SMOBD (the class's own densities), polynomial fitting (its own rows, block
    by block), G-SMOTE (its own rows, and each sample's nearest other-class row from
    every partition) and ProWSyn (proximity levels marked from every partition) give
    exactly the in-memory rows, provenance and fitted values."""
    X, y = data
    ref = make()
    X_ref, y_ref = ref.fit_resample(X, y)
    s = make()
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    assert isinstance(X_res, da.Array)
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    for key in ("parent", "neighbor", "step", "class"):
        np.testing.assert_array_equal(np.asarray(s.provenance_[key].compute()),
                                      ref.provenance_[key])
    for name in ("class_means_", "noise_", "proximity_levels_"):
        for label, value in getattr(ref, name, {}).items():
            np.testing.assert_array_equal(getattr(s, name)[label], value)


def test_gsmote_on_dask_takes_the_nearest_other_class_row_from_any_partition():
    """Check G-SMOTE's 'majority' surfaces on Dask: the minority rows sit in the first
    partition and their nearest majority rows in the last, so only the cross-partition
    search can find them."""
    rng = np.random.default_rng(1)
    far = rng.normal(size=(300, 3)) + 50.0  # majority rows far away: early partitions
    near = rng.normal(size=(60, 3)) + 5.0   # the majority rows next to the minority
    minority = rng.normal(size=(40, 3)) + 3.0
    X = np.vstack([minority, far, near])
    y = np.r_[np.ones(40, int), np.zeros(360, int)]
    make = lambda: GeometricSMOTE(random_state=0, selection_strategy="majority")  # noqa: E731
    ref = make()
    X_ref, _ = ref.fit_resample(X, y)
    s = make()
    X_res, _ = s.fit_resample(*_split(X, y, 8))
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    surfaces = ref.provenance_["neighbor"]
    assert (surfaces >= 340).all()  # every surface is one of the near majority rows


@pytest.mark.parametrize("make", [lambda: SMOBD(random_state=0, max_eps=5.0),
                                  lambda: PolynomFitSMOTE(topology="star"),
                                  lambda: PolynomFitSMOTE(topology="poly_2", random_state=0)],
                         ids=["smobd", "star", "poly_2"])
def test_partition_local_plan_runs_the_variants_own_rows(data, make):
    """Check the approximate partition-local plan runs these variants' own plans and rows
    in each partition: the counts of the in-memory fit, rows within the partition's
    class, and no neighbour where the variant has none (-1, not a row)."""
    import dask

    X, y = data
    Xd, yd = _split(X, y, 4)
    with dask.config.set({"smotelab.neighbours": "partition"}):
        s = make()
        X_res, y_res = dask.compute(*s.fit_resample(Xd, yd))
    ref = make()
    ref.fit_resample(X, y)
    assert dict(s.sampling_strategy_) == dict(ref.sampling_strategy_)
    assert len(X_res) == len(ref.fit_resample(X, y)[0])
    parent = np.asarray(s.provenance_["parent"].compute())
    neighbor = np.asarray(s.provenance_["neighbor"].compute())
    new_labels = y_res[len(X):]
    np.testing.assert_array_equal(y[parent], new_labels)  # parents of the row's class
    chunk = -(-len(X) // 4)
    has = neighbor >= 0
    np.testing.assert_array_equal(parent[has] // chunk, neighbor[has] // chunk)
    if isinstance(ref, PolynomFitSMOTE):
        assert not has.any()  # star and curves pair with no row


@pytest.mark.parametrize("parts", [1, 4, 13])
@pytest.mark.parametrize("params", [{}, {"m_neighbors": 8, "rejection_level": 0.3}])
def test_lee_smote_judged_by_every_partition_equals_the_in_memory_output(data, parts,
                                                                          params):
    """Check LeeSMOTE on Dask: candidates judged by their nearest rows among all
    partitions (merged exactly) give the in-memory rows, provenance, rejection counts
    and levels."""
    X, y = data
    ref = LeeSMOTE(random_state=0, **params)
    X_ref, y_ref = ref.fit_resample(X, y)
    s = LeeSMOTE(random_state=0, **params)
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    assert isinstance(X_res, da.Array)
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    for key in ("parent", "neighbor", "step"):
        np.testing.assert_array_equal(np.asarray(s.provenance_[key].compute()),
                                      ref.provenance_[key])
    assert s.n_rejected_ == ref.n_rejected_ and sum(ref.n_rejected_.values()) > 0
    assert s.rejection_levels_ == ref.rejection_levels_
