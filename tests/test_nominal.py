"""SMOTE-NC and SMOTE-N: the paper's rules, exact neighbours, types that survive, clear errors."""

import warnings
from collections import Counter

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.neighbors import NearestNeighbors

from smotelab.exceptions import CategoricalFeatureWarning, DataValidationError
from smotelab.neighbors._nominal import (
    nc_kneighbors,
    vdm_kneighbors,
    vdm_pairwise,
    vdm_tables,
)
from smotelab.over_sampling import ADASYN, SMOTE, SMOTEN, SMOTENC


def _mixed(n=400, seed=0, levels=(3, 6, 12), minority=0.15):
    rng = np.random.default_rng(seed)
    X = np.empty((n, 2 + len(levels)), dtype=object)
    X[:, 0] = rng.normal(size=n)
    X[:, 1] = rng.normal(3.0, 2.0, size=n)
    for f, L in enumerate(levels):
        # skewed value frequencies, so votes are often but not always unanimous
        X[:, 2 + f] = np.array([f"v{v}" for v in range(L)])[
            np.minimum(rng.geometric(0.4, n) - 1, L - 1)]
    y = np.where(rng.random(n) < minority, 1, 0)
    return X, y


def _brute_nc(cont, cat, penalty):
    D = ((cont[:, None, :] - cont[None, :, :]) ** 2).sum(-1)
    D = D + penalty * (cat[:, None, :] != cat[None, :, :]).sum(-1)
    np.fill_diagonal(D, np.inf)
    return D


def _sorted_neighbours(D, k):
    n = len(D)
    return np.lexsort((np.broadcast_to(np.arange(n), D.shape), D), axis=1)[:, :k]


def _tie_safe_equal(D, got, want):
    rows = np.arange(len(D))[:, None]
    np.testing.assert_allclose(D[rows, got], D[rows, want], rtol=0, atol=1e-12)


# -- the neighbour searches -----------------------------------------------------------

@pytest.mark.parametrize("seed", range(8))
def test_nc_search_is_exact(seed):
    """Check SMOTE-NC's search against brute force: skewed, rare and frequent values,
    rounded (tied) continuous values, penalty zero and not."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 600))
    cont = rng.normal(size=(n, int(rng.integers(1, 5)))).round(int(rng.integers(0, 3)))
    cat = np.column_stack([np.minimum(rng.geometric(rng.uniform(0.02, 0.9), n) - 1, L)
                           for L in rng.integers(1, 300, int(rng.integers(1, 4)))])
    penalty = float(rng.choice([0.0, 0.25, 1.0, 4.0]))
    k = int(rng.integers(1, 8))
    D = _brute_nc(cont, cat, penalty)
    dist, ind = nc_kneighbors(cont, cat, penalty, k)
    _tie_safe_equal(D, ind, _sorted_neighbours(D, k))
    np.testing.assert_allclose(dist ** 2, np.sort(D, axis=1)[:, :k], atol=1e-9)


def test_nc_search_enumerates_rare_values():
    """Check pairs sharing rare values (no product column) are found at their true distance:
    with a huge penalty, the neighbours are exactly the rows sharing all values."""
    rng = np.random.default_rng(0)
    n = 3000
    cat = rng.integers(0, 1000, size=(n, 1))  # every value rare
    cat[:, 0] = np.repeat(np.arange(n // 3), 3)  # triplets share a value
    cont = rng.normal(size=(n, 2))
    _, ind = nc_kneighbors(cont, cat, 1e6, 2)
    assert (cat[ind, 0] == cat[:, [0]]).all()


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("seed", range(4))
def test_vdm_search_is_exact(seed, n_classes):
    """Check the VDM search (two-class embedding and the general product) against brute force."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 500))
    codes = np.column_stack([rng.integers(0, L, n) for L in rng.integers(1, 30, 3)])
    codes = np.column_stack([np.unique(c, return_inverse=True)[1] for c in codes.T])
    inverse = rng.integers(0, n_classes, n)
    probas = vdm_tables(codes, [int(c.max()) + 1 for c in codes.T], inverse, n_classes)
    D = vdm_pairwise(codes, probas)
    np.fill_diagonal(D, np.inf)
    k = int(rng.integers(1, 6))
    _, ind = vdm_kneighbors(codes, probas, k)
    _tie_safe_equal(D, ind, _sorted_neighbours(D, k))


def test_vdm_matches_the_definition():
    """Check VDM values by hand: (sum over classes of |P(c|a) - P(c|b)|) squared."""
    codes = np.array([[0], [0], [1], [1], [2]])
    inverse = np.array([0, 1, 0, 0, 1])
    probas = vdm_tables(codes, [3], inverse, 2)
    np.testing.assert_allclose(probas[0], [[0.5, 0.5], [1.0, 0.0], [0.0, 1.0]])
    D = vdm_pairwise(codes, probas)
    assert D[0, 2] == pytest.approx((0.5 + 0.5) ** 2)
    assert D[2, 4] == pytest.approx((1 + 1) ** 2)


# -- conformance to the paper -----------------------------------------------------------

def test_smotenc_follows_the_paper():
    """Check continuous parts on the segment to a k-nearest neighbour under the SMOTE-NC
    distance, and categorical values among the most frequent of the k neighbours."""
    X, y = _mixed()
    k = 5
    s = SMOTENC(categorical_features=[2, 3, 4], k_neighbors=k, random_state=0)
    X_res, _ = s.fit_resample(X, y)
    n, p = len(X), s.provenance_
    members = np.flatnonzero(y == 1)
    cont = X[members][:, :2].astype(float)
    med = np.median(cont.std(axis=0))
    assert s.median_std_[1] == pytest.approx(med)
    D = _brute_nc(cont, X[members][:, 2:], med ** 2)
    pos = {r: i for i, r in enumerate(members)}
    for r in range(len(p["parent"])):
        i = pos[p["parent"][r]]
        kth = np.sort(D[i])[k - 1]
        assert D[i, pos[p["neighbor"][r]]] <= kth + 1e-9
        expect = X[p["parent"][r], :2] + p["step"][r] * (X[p["neighbor"][r], :2]
                                                          - X[p["parent"][r], :2])
        np.testing.assert_allclose(X_res[n + r, :2].astype(float), expect.astype(float))
        nbrs = members[_sorted_neighbours(D[[i]], k)[0]]
        for j in (2, 3, 4):
            votes = Counter(X[nbrs, j].tolist())
            top = max(votes.values())
            assert votes[X_res[n + r, j]] == top


def test_smoten_follows_the_paper():
    """Check each value is among the most frequent of the seed and its k VDM neighbours."""
    X, y = _mixed()
    Xc = X[:, 2:]
    k = 4
    s = SMOTEN(k_neighbors=k, random_state=0)
    X_res, _ = s.fit_resample(Xc, y)
    n, p = len(Xc), s.provenance_
    assert (p["neighbor"] == -1).all() and (p["step"] == 0).all()
    codes = np.column_stack([np.unique(c, return_inverse=True)[1] for c in Xc.T])
    probas = vdm_tables(codes, [int(c.max()) + 1 for c in codes.T], y, 2)
    members = np.flatnonzero(y == 1)
    D = vdm_pairwise(codes[members], probas)
    np.fill_diagonal(D, np.inf)
    pos = {r: i for i, r in enumerate(members)}
    for r in range(len(p["parent"])):
        i = pos[p["parent"][r]]
        voters = np.r_[p["parent"][r], members[_sorted_neighbours(D[[i]], k)[0]]]
        for j in range(Xc.shape[1]):
            votes = Counter(Xc[voters, j].tolist())
            assert votes[X_res[n + r, j]] == max(votes.values())


def test_ties_are_broken_by_the_seed():
    """Check a tie picks each tied value sometimes, reproducibly for one random_state."""
    X = np.array([[0.0, "a"], [0.1, "b"], [0.2, "a"], [0.3, "b"], [5.0, "z"], [5.1, "z"],
                  [5.2, "z"], [5.3, "z"], [5.4, "z"], [5.5, "z"]], dtype=object)
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    s = SMOTENC(categorical_features=[1], k_neighbors=2, sampling_strategy={1: 400},
                random_state=0)
    a, _ = s.fit_resample(X, y)
    b, _ = s.fit_resample(X, y)
    assert np.array_equal(a, b)
    # rows 0 and 3 have one 'a' and one 'b' among their two neighbours: both appear
    from_tied = np.isin(s.provenance_["parent"], [0, 3])
    assert set(a[10:][from_tied, 1]) == {"a", "b"}


def test_user_neighbours_give_the_same_rows():
    """Check NearestNeighbors objects on the sparse encoding / VDM matrix find the same
    neighbours as the exact search, hence the same output."""
    X, y = _mixed()
    a, _ = SMOTENC(categorical_features=[2, 3, 4], random_state=0).fit_resample(X, y)
    b, _ = SMOTENC(categorical_features=[2, 3, 4], random_state=0,
                   k_neighbors=NearestNeighbors(n_neighbors=6)).fit_resample(X, y)
    np.testing.assert_array_equal(a[:, 2:], b[:, 2:])
    np.testing.assert_allclose(a[:, :2].astype(float), b[:, :2].astype(float))
    Xc = np.column_stack([X[:, 2:], np.arange(len(X)) % 7])  # fewer exact VDM ties
    a, _ = SMOTEN(random_state=0).fit_resample(Xc, y)
    b, _ = SMOTEN(random_state=0, k_neighbors=NearestNeighbors(n_neighbors=6)).fit_resample(Xc, y)
    assert np.array_equal(a, b)


# -- types --------------------------------------------------------------------------------

def _frame(n=300, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "x": rng.normal(size=n),
        "count": rng.integers(0, 1000, n),
        "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n),
                                 categories=["red", "green", "blue", "unused"], ordered=True),
        "city": rng.choice(["Oslo", "Lima", "Pune"], n).astype(object),
        "flag": rng.random(n) > 0.5,
        "nint": pd.array(rng.integers(0, 50, n), dtype="Int64"),
        "nfloat": pd.array(rng.normal(size=n), dtype="Float64"),
        "nbool": pd.array(rng.random(n) > 0.3, dtype="boolean"),
        "f32": rng.normal(size=n).astype(np.float32),
    }), pd.Series(np.where(rng.random(n) < 0.2, "rare", "common"), name="label")


def test_pandas_types_survive():
    """Check categories (and their order), strings, booleans, nullable and integer columns."""
    df, y = _frame()
    s = SMOTENC(categorical_features="auto", random_state=0)
    out, yout = s.fit_resample(df, y)
    assert list(s.categorical_features_) == [2, 3, 4, 7]
    assert (out.dtypes == df.dtypes).all()
    assert list(out["colour"].cat.categories) == ["red", "green", "blue", "unused"]
    assert out["colour"].cat.ordered
    pd.testing.assert_frame_equal(out.iloc[: len(df)], df)
    new = out.iloc[len(df):]
    rare = df[y == "rare"]
    for col in ("colour", "city", "flag", "nbool"):
        assert set(new[col]) <= set(rare[col])
    # integer columns are rounded, not truncated: the same as rounding the interpolation
    p = s.provenance_
    x = df["count"].to_numpy(float)
    expect = np.rint(x[p["parent"]] + p["step"] * (x[p["neighbor"]] - x[p["parent"]]))
    np.testing.assert_array_equal(new["count"].to_numpy(), expect)
    assert yout.name == "label" and Counter(yout)["rare"] == Counter(y)["common"]


def test_polars_types_survive():
    """Check polars in, polars out: Categorical, Enum, String, Boolean, Int64 kept."""
    df, y = _frame()
    frame = pl.DataFrame({
        "x": df["x"].to_numpy(), "count": df["count"].to_numpy(),
        "colour": pl.Series(df["colour"].astype(str).to_list(), dtype=pl.Categorical),
        "size": pl.Series(df["city"].map({"Oslo": "S", "Lima": "M", "Pune": "L"}).to_list(),
                          dtype=pl.Enum(["S", "M", "L"])),
        "city": df["city"].astype(str).to_list(), "flag": df["flag"].to_numpy(),
    })
    out, yout = SMOTENC(categorical_features="auto", random_state=0).fit_resample(
        frame, pl.Series("label", y.to_numpy()))
    assert isinstance(out, pl.DataFrame) and out.schema == frame.schema
    assert out.head(len(frame)).equals(frame)
    assert isinstance(yout, pl.Series) and yout.name == "label"
    new = out.tail(len(out) - len(frame))
    assert set(new["size"].to_list()) <= {"S", "M", "L"}


def test_smoten_keeps_types():
    """Check SMOTEN on pandas categoricals, strings and booleans, and numpy int / bool."""
    df, y = _frame()
    cat = df[["colour", "city", "flag"]]
    out, _ = SMOTEN(random_state=0).fit_resample(cat, y)
    assert (out.dtypes == cat.dtypes).all() and len(out) == 2 * Counter(y)["common"]
    codes = np.random.default_rng(0).integers(0, 4, size=(len(y), 2))
    for X in (codes, codes.astype(np.int32), codes > 1):
        out, _ = SMOTEN(random_state=0).fit_resample(X, y)
        assert out.dtype == X.dtype


@pytest.mark.parametrize("spec", [[2, 3], [-3, -2], ["c2", "c3"], [False, False, True, True, False],
                                  np.array([False, False, True, True, False]), "auto"])
def test_every_form_of_categorical_features(spec):
    """Check positions, negative positions, names, masks (list, numpy) and 'auto' agree."""
    X, y = _mixed(levels=(3, 6))
    X = np.column_stack([X, np.arange(len(X), dtype=float)]).astype(object)
    df = pd.DataFrame(X, columns=[f"c{j}" for j in range(5)]).astype(
        {"c0": float, "c1": float, "c4": float})
    ref, _ = SMOTENC(categorical_features=[2, 3], random_state=0).fit_resample(df, y)
    out, _ = SMOTENC(categorical_features=spec, random_state=0).fit_resample(df, y)
    pd.testing.assert_frame_equal(out, ref)


# -- guard rails --------------------------------------------------------------------------

@pytest.mark.parametrize(("spec", "fragment"), [
    ([], "use SMOTE"),
    ([0, 1, 2, 3, 4], "Use SMOTEN"),
    ([7], "out of range"),
    (["nope"], "unknown column"),
    ([True, False], "boolean mask of length 2"),
    ([0, "a"], "only positions"),
])
def test_smotenc_column_errors(spec, fragment):
    """Check specific errors for wrong categorical_features."""
    X, y = _mixed()
    df = pd.DataFrame(X, columns=list("abcde"))
    with pytest.raises(DataValidationError, match=fragment):
        SMOTENC(categorical_features=spec).fit_resample(df, y)


def test_smotenc_errors_on_bad_values():
    """Check missing categories, non-numeric continuous columns, names without a frame."""
    X, y = _mixed()
    Xm = X.copy()
    Xm[5, 3] = None
    with pytest.raises(DataValidationError, match=r"column 3 .* 1 missing"):
        SMOTENC(categorical_features=[2, 3, 4]).fit_resample(Xm, y)
    with pytest.raises(TypeError, match="List them in categorical_features"):
        SMOTENC(categorical_features=[2, 3]).fit_resample(X, y)
    with pytest.raises(DataValidationError, match="no column names"):
        SMOTENC(categorical_features=["a"]).fit_resample(X, y)
    Xn = X.copy()
    Xn[4, 0] = np.nan
    with pytest.raises(DataValidationError, match="NaN"):
        SMOTENC(categorical_features=[2, 3, 4]).fit_resample(Xn, y)
    df = pd.DataFrame({"x": np.arange(10.0), "c": pd.array(["a", None] * 5, dtype="string")})
    with pytest.raises(DataValidationError, match=r"'c' has 5 missing"):
        SMOTENC(categorical_features=["c"]).fit_resample(df, [0] * 7 + [1] * 3)


def test_too_few_samples_for_k():
    """Check the usual class-size error names the class and the way out."""
    X, y = _mixed()
    y = np.zeros(len(y), int)
    y[:3] = 1
    with pytest.raises(ValueError, match=r"k_neighbors=5 but class 1 has only 3"):
        SMOTENC(categorical_features=[2, 3, 4]).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"k_neighbors=5 but class 1 has only 3"):
        SMOTEN().fit_resample(X[:, 2:], y)


@pytest.mark.parametrize("cls", [SMOTE, ADASYN])
def test_numeric_samplers_warn_on_integer_codes(cls):
    """Check integer-coded columns with few values warn and point to SMOTENC; real
    continuous columns and many-valued counts do not."""
    rng = np.random.default_rng(0)
    n = 300
    y = (rng.random(n) < 0.2).astype(int)
    X = np.column_stack([rng.normal(size=n), rng.integers(0, 4, n), rng.integers(0, 500, n)])
    with pytest.warns(CategoricalFeatureWarning, match=r"column\(s\) 1 .*SMOTENC"):
        cls(random_state=0).fit_resample(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cls(random_state=0).fit_resample(X[:, [0, 2]], y)
    df = pd.DataFrame({"x": X[:, 0], "s": rng.choice(["a", "b"], n)})
    with pytest.raises(TypeError, match="SMOTENC"):
        cls(random_state=0).fit_resample(df, y)


# -- properties ---------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(n_min=st.integers(3, 30), n_maj=st.integers(31, 80), n_cont=st.integers(1, 3),
       levels=st.lists(st.integers(1, 6), min_size=1, max_size=3), seed=st.integers(0, 10_000),
       k=st.integers(1, 2))
def test_random_mixed_frames(n_min, n_maj, n_cont, levels, seed, k):
    """Check exact counts, originals first, dtypes kept and values from the class, on random
    mixed frames (values may repeat heavily)."""
    rng = np.random.default_rng(seed)
    n = n_min + n_maj
    data = {f"x{j}": rng.normal(size=n).round(1) for j in range(n_cont)}
    for f, L in enumerate(levels):
        data[f"c{f}"] = pd.Categorical(rng.choice([f"l{v}" for v in range(L)], n))
    df = pd.DataFrame(data)
    y = np.r_[np.ones(n_min, int), np.zeros(n_maj, int)]
    s = SMOTENC(categorical_features="auto", k_neighbors=k, random_state=seed)
    out, yout = s.fit_resample(df, y)
    assert Counter(yout.tolist()) == {0: n_maj, 1: n_maj}
    pd.testing.assert_frame_equal(out.iloc[:n], df)
    assert (out.dtypes == df.dtypes).all()
    new = out.iloc[n:]
    for f in range(len(levels)):
        assert set(new[f"c{f}"]) <= set(df[f"c{f}"][y == 1])
    for j in range(n_cont):
        col = df[f"x{j}"][y == 1]
        assert new[f"x{j}"].between(col.min() - 1e-9, col.max() + 1e-9).all()


def test_smotenc_inside_a_combination_and_a_pipeline():
    """Check SMOTENC as SMOTE-ENN's over-sampler (codes stay codes) and in a pipeline."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    from smotelab.combine import SMOTEENN
    from smotelab.pipeline import make_pipeline

    rng = np.random.default_rng(0)
    n = 400
    y = (rng.random(n) < 0.2).astype(int)
    X = np.column_stack([rng.normal(y, 1.0), rng.normal(size=n), rng.integers(0, 4, n)])
    s = SMOTEENN(smote=SMOTENC(categorical_features=[2], random_state=0), random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert set(np.unique(X_res[:, 2])) <= {0.0, 1.0, 2.0, 3.0}
    assert s.synthetic_kept_.any()
    model = make_pipeline(SMOTENC(categorical_features=[2], random_state=0),
                          LogisticRegression())
    assert cross_val_score(model, X, y, cv=3).mean() > 0.5


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
@pytest.mark.parametrize("cls", ["SMOTENC", "SMOTEN"])
def test_nominal_samplers_take_sparse_input(cls, fmt):
    """Check that sparse input gives the dense input's rows back in a sparse matrix (CSR
    for formats without row access, as imbalanced-learn returns)."""
    import scipy.sparse as sp

    from smotelab.over_sampling import SMOTEN

    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=40), rng.integers(0, 3, 40)]).astype(float)
    y = np.array([0] * 30 + [1] * 10)
    if cls == "SMOTEN":
        X[:, 0] = np.floor(X[:, 0])
        make = lambda: SMOTEN(random_state=0)  # noqa: E731
    else:
        make = lambda: SMOTENC(categorical_features=[1], random_state=0)  # noqa: E731
    X_dense, y_dense = make().fit_resample(X, y)
    matrix = {"csr": sp.csr_matrix, "csc": sp.csc_matrix, "coo": sp.coo_matrix}[fmt]
    X_sp, y_sp = make().fit_resample(matrix(X), y)
    assert sp.issparse(X_sp) and X_sp.format == ("csr" if fmt == "coo" else fmt)
    np.testing.assert_array_equal(X_sp.toarray(), X_dense)
    np.testing.assert_array_equal(y_sp, y_dense)


def test_smotenc_reads_object_numbers_and_unlisted_booleans():
    """Check a frame whose numeric column has object dtype, and a boolean column not
    named categorical: read as numbers (0/1), dtypes kept, booleans rounded."""
    X = pd.DataFrame({"c": pd.Categorical(list("abbacaba" * 3)),
                      "f": pd.Series([0.3, 0.5, 0.1, 0.2] * 6, dtype=object),
                      "b": [False, False, True] * 8})
    y = np.array([1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0] * 2)
    sm = SMOTENC(categorical_features=[0], k_neighbors=3, random_state=0)
    X_res, y_res = sm.fit_resample(X, y)
    pd.testing.assert_series_equal(X_res.dtypes, X.dtypes)
    assert len(X_res) == len(y_res) == 32
    p = sm.provenance_
    parent_b = X["b"].to_numpy()[p["parent"]].astype(float)
    neighbor_b = X["b"].to_numpy()[p["neighbor"]].astype(float)
    expected = np.rint(parent_b + p["step"] * (neighbor_b - parent_b)).astype(bool)
    np.testing.assert_array_equal(X_res["b"].to_numpy()[24:], expected)
    with pytest.raises(TypeError, match=r"column\(s\) 'b' are not numeric"):
        SMOTE().fit_resample(X[["f", "b"]], y)  # SMOTE still refuses booleans
