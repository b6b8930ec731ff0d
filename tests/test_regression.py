"""Resampling a continuous target: relevance, bumps, rates and the samplers, checked
against hand-worked values of UBL's and the papers' definitions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotelab.exceptions import DataValidationError
from smotelab.regression import (
    SMOGN,
    SMOTER,
    WERCS,
    ControlPointsRelevance,
    ExtremesRelevance,
    GaussianNoiseSampler,
    RegressionRandomOverSampler,
    RegressionRandomUnderSampler,
    SigmoidRelevance,
    boxplot_stats,
    relevance_weighted_mae,
    relevance_weighted_mse,
    sera,
)
from smotelab.regression._bumps import bump_runs, over_rates, smoter_rates, under_rates

SAMPLERS = [SMOTER, SMOGN, WERCS, GaussianNoiseSampler, RegressionRandomOverSampler,
            RegressionRandomUnderSampler]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5))
    y = np.exp(X[:, 0] + 0.4 * rng.normal(size=400))  # a long upper tail
    return X, y


# --- relevance ---------------------------------------------------------------------

def test_boxplot_stats_are_r_s():
    """Check R's fivenum hinges and whiskers (boxplot.stats) on worked examples."""
    stats, out = boxplot_stats(np.arange(1.0, 11.0))
    np.testing.assert_array_equal(stats, [1, 3, 5.5, 8, 10])  # R: fivenum(1:10)
    assert len(out) == 0
    stats, out = boxplot_stats(np.r_[np.arange(1.0, 21.0), 60.0])
    np.testing.assert_array_equal(stats, [1, 6, 11, 16, 20])  # 60 is past 16 + 1.5 * 10
    np.testing.assert_array_equal(out, [60.0])
    q = boxplot_stats(np.arange(1.0, 11.0), hinges="quantiles")[0]
    np.testing.assert_allclose(q[1:4], np.quantile(np.arange(1.0, 11.0), [.25, .5, .75],
                                                   method="midpoint"))


def test_extremes_relevance_is_ubl_s_curve():
    """Check the control points of UBL's 'extremes' and the cubic between them: with
    zero slopes it is the smoothstep, 0.5 half-way and 0.15625 a quarter of the way."""
    y = np.r_[np.arange(1.0, 21.0), 60.0]
    phi = ExtremesRelevance().fit(y)
    np.testing.assert_array_equal(phi.control_points_, [[1, 0, 0], [11, 0, 0], [20, 1, 0]])
    got = phi(np.array([-5.0, 1.0, 10.0, 11.0, 13.25, 15.5, 20.0, 60.0, 1e9]))
    np.testing.assert_allclose(got, [0, 0, 0, 0, 0.15625, 0.5, 1, 1, 1], atol=1e-12)
    low = ExtremesRelevance(tails="low").fit(-y)
    np.testing.assert_allclose(low(np.array([-15.5, -60.0])), [0.5, 1.0])


def test_control_points_take_ubl_s_slopes_and_stay_monotone():
    """Check two-column points get UBL's slopes (0 at the ends, mean secants inside) and
    steep given slopes are brought back into the monotone region (Fritsch-Carlson)."""
    phi = ControlPointsRelevance([[0, 0], [1, 0.5], [3, 1]]).fit(np.arange(5.0))
    np.testing.assert_allclose(phi.control_points_[:, 2], [0, (0.5 + 0.25) / 2, 0])
    steep = ControlPointsRelevance([[0, 0, 5], [1, 1, 5]]).fit(np.arange(5.0))
    grid = np.linspace(-1, 2, 301)
    values = steep(grid)
    assert (np.diff(values) >= -1e-12).all() and values.min() >= 0 and values.max() <= 1
    np.testing.assert_allclose(steep(np.array([0.0, 1.0])), [0, 1])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=6, unique=True),
       st.lists(st.floats(0, 1), min_size=6, max_size=6))
def test_relevance_stays_in_the_unit_interval_and_through_its_points(xs, fs):
    """Check any control points give values in [0, 1] that pass through the points."""
    xs = sorted(xs)
    if min(np.diff(xs), default=1) < 1e-6:
        return
    pts = np.column_stack([xs, fs[: len(xs)]])
    phi = ControlPointsRelevance(pts).fit(np.array(xs))
    np.testing.assert_allclose(phi(pts[:, 0]), pts[:, 1], atol=1e-9)
    v = phi(np.linspace(xs[0] - 10, xs[-1] + 10, 200))
    assert np.isfinite(v).all() and v.min() >= 0 and v.max() <= 1


def test_sigmoid_and_callable_relevance(data):
    """Check the sigmoid is 0.5 at its cut-off and rises, and a callable is used as is."""
    _, y = data
    phi = SigmoidRelevance(high=3.0).fit(y)
    assert phi(np.array([3.0]))[0] == pytest.approx(0.5)
    assert phi(np.array([1.0]))[0] < 0.5 < phi(np.array([5.0]))[0]
    s = SMOTER(relevance=lambda v: (v > 3).astype(float), random_state=0).fit(np.ones((400, 1)), y)
    assert s.rare_bumps_.tolist() == [False, True]
    assert len(s.bumps_[1]) == int((y > 3).sum())


def test_relevance_errors_say_what_to_do(data):
    """Check a target without box-plot outliers, bad points and a bad callable."""
    with pytest.raises(DataValidationError, match="no box-plot outlier.*ControlPointsRelevance"):
        ExtremesRelevance().fit(np.arange(20.0))
    with pytest.raises(DataValidationError, match="strictly increasing"):
        ControlPointsRelevance([[1, 0], [1, 1]]).fit(np.arange(3.0))
    with pytest.raises(DataValidationError, match=r"\[0, 1\]"):
        ControlPointsRelevance([[0, 0], [1, 2]]).fit(np.arange(3.0))
    X, y = data
    with pytest.raises(DataValidationError, match="one finite value in"):
        SMOTER(relevance=lambda v: v).fit_resample(X, y)


# --- bumps and rates ----------------------------------------------------------------

def test_bumps_are_runs_of_sorted_targets_on_one_side():
    """Check the cut points: every crossing of the threshold starts a bump."""
    phi = np.array([0.9, 0.1, 0.1, 0.6, 0.6, 0.2, 0.7])
    assert [b.tolist() for b in bump_runs(phi, 0.5)] == [[0], [1, 2], [3, 4], [5], [6]]


def test_rates_follow_ubl_s_rules():
    """Check 'balance' and 'extreme' of each method against their worked values."""
    np.testing.assert_allclose(smoter_rates([250, 50], "balance"), [0.6, 3.0])
    np.testing.assert_allclose(smoter_rates([250, 50], "extreme"), [0.2, 5.0])
    rare = np.array([False, True])
    np.testing.assert_allclose(over_rates([250, 50], rare, "balance"), [0, 5.0])
    np.testing.assert_allclose(over_rates([250, 50], rare, "extreme"), [0, 25.0])
    np.testing.assert_allclose(under_rates([250, 50], rare, "balance"), [0.2, 1.0])
    np.testing.assert_allclose(under_rates([250, 50], rare, "extreme"), [0.04, 1.0])
    np.testing.assert_allclose(smoter_rates([10, 20, 30], [0.5, 2, 1]), [0.5, 2, 1])
    with pytest.raises(DataValidationError, match="one non-negative rate per bump"):
        smoter_rates([10, 20, 30], [0.5, 2])


# --- samplers -------------------------------------------------------------------------

def test_smoter_rows_lie_in_their_bump_with_interpolated_targets(data):
    """Check SMOTER's counts per bump, each new row on the segment between two rows of
    one bump, and its target the same step between theirs (the inverse-distance mean)."""
    X, y = data
    s = SMOTER(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    n_kept = len(s.sample_indices_)
    p = s.provenance_
    parent, nb, step = p["parent"], p["neighbor"], p["step"]
    np.testing.assert_allclose(X_res[n_kept:], X[parent] + step[:, None] * (X[nb] - X[parent]))
    np.testing.assert_allclose(y_res[n_kept:], y[parent] + step * (y[nb] - y[parent]))
    np.testing.assert_array_equal(p["target"], y_res[n_kept:])
    of = np.empty(len(y), dtype=int)
    for b, rows in enumerate(s.bumps_):
        of[rows] = b
    assert (of[parent] == of[nb]).all() and (of[parent] == p["bump"]).all()
    assert (parent != nb).all()
    # every bump ends at rate x size: shrunk ones by int(), grown ones by nexs + extra
    sizes = np.array([len(b) for b in s.bumps_])
    got = np.bincount(of[s.sample_indices_], minlength=len(sizes)) + np.bincount(
        p["bump"], minlength=len(sizes))
    want = np.where(s.rates_ < 1, (s.rates_ * sizes).astype(int),
                    sizes + (s.rates_ - 1).astype(int) * sizes + (
                        sizes * (s.rates_ - 1 - (s.rates_ - 1).astype(int))).astype(int))
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(X_res[:n_kept], X[s.sample_indices_])
    assert (np.diff(s.sample_indices_) > 0).all()  # kept rows in input order


def test_the_seed_gives_the_same_output_and_another_seed_another(data):
    """Check one random_state, one output."""
    X, y = data
    for cls in SAMPLERS:
        a = cls(random_state=3).fit_resample(X, y)
        b = cls(random_state=3).fit_resample(X, y)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    c = SMOTER(random_state=4).fit_resample(X, y)
    assert not np.array_equal(a[0], c[0]) or cls is not SMOTER


def test_random_samplers_grow_or_shrink_the_right_bumps(data):
    """Check random over-sampling copies only rare bumps' rows after the input rows, and
    under-sampling keeps every rare row and the asked share of the others."""
    X, y = data
    over = RegressionRandomOverSampler(random_state=0)
    X_res, y_res = over.fit_resample(X, y)
    rare_rows = np.concatenate([b for b, r in zip(over.bumps_, over.rare_bumps_,
                                                  strict=True) if r])
    copies = over.sample_indices_[len(y):]
    assert np.isin(copies, rare_rows).all()
    np.testing.assert_array_equal(y_res, y[over.sample_indices_])
    under = RegressionRandomUnderSampler(random_state=0)
    X_res, y_res = under.fit_resample(X, y)
    assert np.isin(rare_rows, under.sample_indices_).all()
    normal = np.setdiff1d(np.arange(len(y)), rare_rows)
    kept_normal = np.isin(under.sample_indices_, normal).sum()
    assert kept_normal == int(under.rates_[~under.rare_bumps_][0] * len(normal))
    with pytest.raises(DataValidationError, match="without replacement"):
        RegressionRandomOverSampler(replacement=False, random_state=0).fit_resample(X, y)


def test_containers_and_metadata_follow_the_rows(data):
    """Check pandas in, pandas out (names, Series name); polars too; weights follow the
    rows (a synthetic row takes its parent's)."""
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(X.shape[1])])
    target = pd.Series(y, name="price")
    w = np.arange(len(y), dtype=float)
    s = SMOTER(random_state=0)
    X_res, y_res, meta = s.fit_resample(frame, target, sample_weight=w)
    ref_X, ref_y = SMOTER(random_state=0).fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(frame.columns)
    assert isinstance(y_res, pd.Series) and y_res.name == "price"
    np.testing.assert_array_equal(X_res.to_numpy(), ref_X)
    np.testing.assert_array_equal(y_res.to_numpy(), ref_y)
    np.testing.assert_array_equal(
        meta["sample_weight"], w[np.r_[s.sample_indices_, s.provenance_["parent"]]])
    assert list(s.feature_names_in_) == list(frame.columns)
    pl = pytest.importorskip("polars")
    X_pl, y_pl = SMOTER(random_state=0).fit_resample(pl.from_pandas(frame),
                                                     pl.Series("price", y))
    assert isinstance(X_pl, pl.DataFrame) and isinstance(y_pl, pl.Series)
    np.testing.assert_array_equal(X_pl.to_numpy(), ref_X)
    with pytest.raises(ValueError, match="sample_weight"):
        SMOTER(random_state=0).fit_resample(X, y, sample_weight=np.ones(3))


def test_pipeline_resamples_only_while_fitting(data):
    """Check a Pipeline with a regressor: fit sees the resampled rows, predict all rows."""
    from sklearn.neighbors import KNeighborsRegressor

    from smotelab.pipeline import make_pipeline

    X, y = data
    pipe = make_pipeline(SMOTER(random_state=0), KNeighborsRegressor())
    pipe.fit(X, y)
    assert pipe.predict(X).shape == (len(y),)
    assert pipe[-1].n_samples_fit_ == len(SMOTER(random_state=0).fit_resample(X, y)[1])


@pytest.mark.parametrize("cls", SAMPLERS)
def test_bad_targets_get_clear_errors(data, cls):
    """Check NaN, a constant, integers, labels and an indicator matrix as y."""
    X, y = data
    cases = [
        (np.where(np.arange(len(y)) == 7, np.nan, y), "NaN or infinite.*row 7"),
        (np.full(len(y), 2.5), "constant"),
        (np.round(y * 10).astype(int), "integers.*astype\\(float\\)"),
        (np.where(y > 1, "high", "low"), "classification"),
        (np.eye(2)[(y > 1).astype(int)], "indicator matrix|classification"),
        (y[:10], "rows"),
    ]
    for bad, match in cases:
        with pytest.raises(DataValidationError, match=match):
            cls(random_state=0).fit_resample(X, bad)
    with pytest.raises(DataValidationError, match="no box-plot outlier"):
        cls(random_state=0).fit_resample(X, np.linspace(0, 1, len(y)))
    with pytest.raises(DataValidationError, match="one bump"):
        cls(threshold=0.0, random_state=0).fit_resample(X, y)


def test_regression_target_given_to_a_classifier_sampler_and_dask(data):
    """Check the reverse mistake (a continuous y to SMOTE), and per-row metadata of the
    wrong length with Dask input, are refused with what to do."""
    from smotelab.over_sampling import SMOTE

    X, y = data
    with pytest.raises(ValueError, match="continuous"):
        SMOTE().fit_resample(X, y)
    da = pytest.importorskip("dask.array")
    from smotelab.exceptions import MetadataResamplingError

    with pytest.raises(MetadataResamplingError, match="sample_weight"):
        SMOTER().fit_resample(da.from_array(X, chunks=100), da.from_array(y, chunks=100),
                              sample_weight=np.ones(3))


@pytest.mark.parametrize("cls", [SMOTER, RegressionRandomOverSampler])
def test_weights_follow_the_rows_on_dask(data, cls):
    """Check per-row metadata on Dask: lazy, and the in-memory values."""
    pytest.importorskip("dask.array")
    from tests._dask_data import split

    X, y = data
    w = np.arange(len(y), dtype=float)
    _, _, ref = cls(random_state=0).fit_resample(X, y, sample_weight=w)
    _, _, got = cls(random_state=0).fit_resample(*split(X, y, 4), sample_weight=w)
    np.testing.assert_array_equal(got["sample_weight"].compute(), ref["sample_weight"])


@pytest.mark.parametrize("make", [
    lambda: RegressionRandomOverSampler(random_state=0),
    lambda: RegressionRandomUnderSampler(random_state=0),
    lambda: WERCS(random_state=0), lambda: WERCS(threshold=0.5, random_state=0),
    lambda: SMOTER(random_state=0), lambda: SMOGN(random_state=0),
    lambda: GaussianNoiseSampler(random_state=0)],
    ids=["over", "under", "wercs", "wercs-bumps", "smoter", "smogn", "noise"])
@pytest.mark.parametrize("parts", [1, 4, 13])
def test_regression_samplers_on_dask_equal_memory(data, make, parts):
    """Check every regression sampler on Dask arrays gives the in-memory rows and
    targets bit for bit, in the same order (kept rows, then new ones), the same fitted
    bumps and sample_indices_, and for the synthesising ones the same provenance."""
    pytest.importorskip("dask.array")
    from tests._dask_data import split

    X, y = data
    ref = make()
    X_ref, y_ref = ref.fit_resample(X, y)
    s = make()
    X_res, y_res = s.fit_resample(*split(X, y, parts))
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    np.testing.assert_array_equal(np.asarray(s.sample_indices_), ref.sample_indices_)
    assert [len(b) for b in s.bumps_ or []] == [len(b) for b in ref.bumps_ or []]
    assert s.n_features_in_ == X.shape[1]
    if ref.provenance_ is not None:
        for key in ("parent", "neighbor", "step", "target", "bump"):
            np.testing.assert_array_equal(np.asarray(s.provenance_[key].compute()),
                                          ref.provenance_[key])


def test_gathering_too_many_rare_rows_on_dask_is_refused_with_the_ways_out(data):
    """Check the gather limit applies to the bumps SMOTER gathers."""
    import dask

    from tests._dask_data import split

    X, y = data
    with dask.config.set({"smotelab.gather-limit": 10}), pytest.raises(
            DataValidationError, match="gather limit of 10 rows.*threshold"):
        SMOTER(random_state=0).fit_resample(*split(X, y, 3))


@pytest.mark.parametrize("cls", [RegressionRandomOverSampler, SMOTER])
def test_regression_samplers_on_dask_frames(data, cls):
    """Check Dask DataFrames: the same values as in memory, the column names kept."""
    pytest.importorskip("dask.dataframe")
    from tests._dask_data import frames

    X, y = data
    X_ref, y_ref = cls(random_state=0).fit_resample(X, y)
    s = cls(random_state=0)
    X_res, y_res = s.fit_resample(*frames(X, y, 5))
    X_res, y_res = X_res.compute(), y_res.compute()
    assert list(X_res.columns) == [f"f{i}" for i in range(X.shape[1])]
    np.testing.assert_array_equal(X_res.to_numpy(), X_ref)
    np.testing.assert_array_equal(y_res.to_numpy(), y_ref)
    assert list(s.feature_names_in_) == list(X_res.columns)


def test_small_bumps_fall_back_as_ubl_does():
    """Check a bump smaller than k_neighbors + 1 uses fewer neighbours, and a bump of one
    row is copied, each with a warning."""
    from smotelab.exceptions import SmotelabWarning

    rng = np.random.default_rng(1)
    y = np.r_[rng.normal(size=60), 8.0, 8.5, 9.0]
    X = np.column_stack([y, rng.normal(size=63)])
    with pytest.warns(SmotelabWarning, match="fewer than"):
        s = SMOTER(random_state=0, relevance=[[0, 0], [7, 0], [7.9, 1]])
        X_res, y_res = s.fit_resample(X, y)
    assert (y_res[len(s.sample_indices_):] >= 8.0).all()
    y1 = np.r_[rng.normal(size=60), 9.0]
    with pytest.warns(SmotelabWarning, match="single sample"):
        s = SMOTER(random_state=0, relevance=[[0, 0], [7, 0], [7.9, 1]])
        _, y_res = s.fit_resample(X[:61], y1)
    assert (y_res[len(s.sample_indices_):] == 9.0).all()


def test_gaussian_noise_perturbs_each_column_by_its_spread_in_the_bump(data):
    """Check Gaussian noise: SMOTER's counts (4-decimal 'extreme' rates), every new row
    its parent plus noise whose spread per column (and on the target) is the asked share
    of that column's within the bump, and no neighbour."""
    X, y = data
    X = np.column_stack([X, 100 * X[:, 1]])  # a wide column gets wide noise
    s = GaussianNoiseSampler(perturbation=0.2, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    n_kept = len(s.sample_indices_)
    p = s.provenance_
    assert (p["neighbor"] == -1).all() and (p["step"] == 0).all()
    grown = int(np.flatnonzero(s.rates_ > 1)[0])
    rows = s.bumps_[grown]
    noise = X_res[n_kept:] - X[p["parent"]]
    want = 0.2 * X[rows].std(axis=0, ddof=1)
    np.testing.assert_allclose(noise.std(axis=0, ddof=1), want, rtol=0.25)
    t_noise = y_res[n_kept:] - y[p["parent"]]
    assert t_noise.std() == pytest.approx(0.2 * y[rows].std(ddof=1), rel=0.25)
    assert np.isin(p["parent"], rows).all()
    np.testing.assert_allclose(smoter_rates([250, 50], "extreme", 4), [0.2, 5.0])


def test_sera_is_the_exact_area_under_the_error_relevance_curve(data):
    """Check SERA equals a fine numerical integral of SER_t over t (Ribeiro and Moniz's
    definition), the weighted errors' means, and a scorer built from them."""
    from sklearn.metrics import make_scorer
    from sklearn.neighbors import KNeighborsRegressor

    X, y = data
    pred = y + np.random.default_rng(2).normal(size=len(y))
    phi = ExtremesRelevance().fit(y)(y)
    t = np.linspace(0, 1, 20001)
    ser = np.array([np.sum(((pred - y) ** 2)[phi >= v]) for v in t])
    area = float(np.sum((ser[1:] + ser[:-1]) / 2 * np.diff(t)))
    assert sera(y, pred) == pytest.approx(area, rel=1e-3)
    assert relevance_weighted_mse(y, pred) == pytest.approx(
        np.average((pred - y) ** 2, weights=phi))
    assert relevance_weighted_mae(y, pred) == pytest.approx(
        np.average(np.abs(pred - y), weights=phi))
    fitted = ExtremesRelevance().fit(y[:200])  # a relevance fitted on training targets
    assert sera(y, pred, relevance=fitted) == pytest.approx(
        np.sum(fitted(y) * (pred - y) ** 2))
    w = np.linspace(0, 2, len(y))
    assert sera(y, pred, sample_weight=w) == pytest.approx(np.sum(w * phi * (pred - y) ** 2))
    scorer = make_scorer(sera, greater_is_better=False)
    model = KNeighborsRegressor().fit(X, y)
    assert scorer(model, X, y) == pytest.approx(-sera(y, model.predict(X)))
    with pytest.raises(DataValidationError, match="must match"):
        sera(y, pred[:5])
    with pytest.raises(DataValidationError, match="no true target has a positive"):
        relevance_weighted_mse(y, pred, relevance=lambda v: np.zeros_like(v))


def test_smogn_interpolates_toward_near_neighbours_and_adds_noise_elsewhere(data):
    """Check SMOGN's rule row by row: a row with a neighbour is SMOTER's (on the segment,
    the neighbour closer than half the seed's median distance in its bump); a row without
    is its parent plus noise; counts as SMOTER's."""
    from smotelab.regression._noise import half_median_distances

    X, y = data
    s = SMOGN(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    ref = SMOTER(random_state=0)
    ref.fit_resample(X, y)
    assert len(s.provenance_["parent"]) == len(ref.provenance_["parent"])
    n_kept = len(s.sample_indices_)
    p = s.provenance_
    near = p["neighbor"] >= 0
    assert near.any() and (~near).any()
    par, nb, step = p["parent"][near], p["neighbor"][near], p["step"][near]
    np.testing.assert_allclose(X_res[n_kept:][near], X[par] + step[:, None] * (X[nb] - X[par]))
    np.testing.assert_allclose(y_res[n_kept:][near], y[par] + step * (y[nb] - y[par]))
    grown = int(np.flatnonzero(s.rates_ > 1)[0])
    rows = np.sort(s.bumps_[grown])
    half = half_median_distances(X[rows])
    where = np.searchsorted(rows, par)
    assert (np.linalg.norm(X[nb] - X[par], axis=1) < half[where]).all()
    noisy = X_res[n_kept:][~near] - X[p["parent"][~near]]
    assert np.abs(noisy).max() < 0.02 * 10 * X[rows].std(axis=0).max()


def test_half_median_distances_match_the_full_matrix():
    """Check the chunked half-median equals the one of the full distance matrix."""
    from sklearn.metrics import pairwise_distances

    from smotelab.regression._noise import half_median_distances

    Xb = np.random.default_rng(5).normal(size=(300, 3))
    np.testing.assert_allclose(half_median_distances(Xb, working_memory=1),
                               np.median(pairwise_distances(Xb), axis=1) / 2)


def test_wercs_copies_by_relevance_and_drops_by_its_complement(data):
    """Check WERCS without a threshold (UBL's default): int(over n) copies, all of rows
    with positive relevance; the dropped rows all below relevance 1 and, on average,
    less relevant than the copies; with a threshold, each bump replaced by int(rate x
    size) of its own rows."""
    X, y = data
    s = WERCS(random_state=0, over=0.4, under=0.3)
    X_res, y_res = s.fit_resample(X, y)
    phi = s.relevance_(y)
    n = len(y)
    idx = s.sample_indices_
    kept = idx[: len(idx) - int(0.4 * n)]
    copies = idx[len(idx) - int(0.4 * n):]
    assert (phi[copies] > 0).all()
    dropped = np.setdiff1d(np.arange(n), kept)
    assert len(dropped) and (phi[dropped] < 1).all()
    assert phi[copies].mean() > phi.mean() > phi[dropped].mean()
    np.testing.assert_array_equal(y_res, y[idx])
    b = WERCS(random_state=0, threshold=0.5)
    b.fit_resample(X, y)
    of = np.empty(n, dtype=int)
    for i, rows in enumerate(b.bumps_):
        of[rows] = i
    got = np.bincount(of[b.sample_indices_], minlength=len(b.bumps_))
    want = [len(r) if rate == 1 else int(rate * len(r))
            for r, rate in zip(b.bumps_, b.rates_, strict=True)]
    np.testing.assert_array_equal(got, want)
    assert (phi[b.sample_indices_] > 0).all()
    with pytest.raises(DataValidationError, match="relevance 0"):
        WERCS(relevance=lambda v: np.zeros_like(v)).fit_resample(X, y)


@pytest.mark.parametrize("make", [
    lambda: SMOTER(random_state=0), lambda: SMOGN(random_state=0),
    lambda: GaussianNoiseSampler(random_state=0, sampling_strategy="extreme"),
    lambda: RegressionRandomOverSampler(random_state=0),
    lambda: RegressionRandomUnderSampler(random_state=0),
    lambda: WERCS(threshold=0.5, random_state=0)])
def test_planned_rows_are_the_rows_made(data, make):
    """Check the rows each bump keeps and gains, told before any draw (what the CLI's
    --dry-run prints), equal the output's."""
    X, y = data
    s = make()
    s.fit_resample(X, y)
    from smotelab.regression._base import Bumps

    bumps = Bumps(y, s.relevance_(y), 0.5)
    kept, new = s._planned_rows(bumps)
    of = np.empty(len(y), dtype=int)
    for b, rows in enumerate(s.bumps_):
        of[rows] = b
    n = len(y)
    idx = s.sample_indices_
    is_copy = np.arange(len(idx)) >= n if isinstance(s, RegressionRandomOverSampler) else (
        np.zeros(len(idx), bool))
    np.testing.assert_array_equal(np.bincount(of[idx[~is_copy]], minlength=len(kept)), kept)
    made = np.bincount(of[idx[is_copy]], minlength=len(kept))
    if s.provenance_ is not None:
        made = made + np.bincount(s.provenance_["bump"], minlength=len(kept))
    np.testing.assert_array_equal(made, new)
    assert WERCS()._planned_rows(None) is None


def test_estimate_resampling_tells_the_rows_before_resampling(data):
    """Check estimate_resampling on regression samplers: exact rows out and new rows for
    the planned ones, a bound for WERCS's random drops."""
    from smotelab.utils import estimate_resampling

    X, y = data
    for make in (lambda: SMOTER(random_state=0), lambda: SMOGN(random_state=0),
                 lambda: RegressionRandomOverSampler(random_state=0)):
        est = estimate_resampling(make(), X, y)
        s = make()
        X_res, _ = s.fit_resample(X, y)
        assert est.exact and est.n_rows_out == len(X_res) and est.unit == "bump"
        made = 0 if s.provenance_ is None else len(s.provenance_["parent"])
        assert est.rows_to_add == made
        assert "bump 1 (rare" in str(est)
    est = estimate_resampling(WERCS(random_state=0), X, y)
    assert not est.exact and est.n_rows_out >= len(WERCS(random_state=0).fit_resample(X, y)[1])
