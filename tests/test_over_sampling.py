"""Behaviour specific to SMOTE and RandomOverSampler."""

from collections import Counter

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from smotelab.exceptions import NonNumericDataError, NotEnoughSamplesError
from smotelab.over_sampling import SMOTE, RandomOverSampler


def test_smote_neighbours_are_the_k_nearest_same_class(imbalanced):
    """Check that every neighbour used is among the parent's k nearest same-class samples."""
    X, y = imbalanced
    s = SMOTE(random_state=0, k_neighbors=4)
    s.fit_resample(X, y)
    p = s.provenance_
    for label in (1, 2):
        members = np.flatnonzero(y == label)
        nn = NearestNeighbors(n_neighbors=5).fit(X[members]).kneighbors(
            return_distance=False)
        allowed = {m: set(members[row]) for m, row in zip(members, nn, strict=True)}
        rows = np.flatnonzero(p["class"] == label)
        assert all(p["neighbor"][r] in allowed[p["parent"][r]] for r in rows)


def test_smote_uses_every_neighbour_column_and_uniform_steps(seed):
    """Check that neighbour columns and steps are uniform (chi-square style bounds)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2200, 3))
    y = np.r_[np.zeros(2000, int), np.ones(200, int)]
    s = SMOTE(random_state=seed, k_neighbors=5)
    s.fit_resample(X, y)
    steps = s.provenance_["step"]
    assert len(steps) == 1800
    hist = np.histogram(steps, bins=10, range=(0, 1))[0]
    assert hist.min() > 120 and hist.max() < 240
    parents = np.bincount(s.provenance_["parent"] - 2000, minlength=200)
    assert parents.max() < 30


def test_smote_accepts_a_neighbours_object(imbalanced):
    """Check k_neighbors as a NearestNeighbors object (n_neighbors counts the sample itself)."""
    X, y = imbalanced
    s = SMOTE(random_state=0, k_neighbors=NearestNeighbors(n_neighbors=4))
    X_res, y_res = s.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 60, 1: 60, 2: 60}
    assert s.nn_k_.n_neighbors == 4  # as the object says: the sample itself included
    assert s.nn_k_.backend.n_neighbors == 3  # three neighbours besides it


def test_smote_too_few_samples_names_the_class_and_the_fix():
    """Check the k_neighbors >= class size error: class, largest k that works, alternative."""
    X = np.random.default_rng(0).standard_normal((23, 2))
    y = np.array(["sheep"] * 20 + ["dragon"] * 3)
    with pytest.raises(NotEnoughSamplesError, match=r"class 'dragon' has only 3.*k_neighbors<=2"):
        SMOTE(k_neighbors=5).fit_resample(X, y)
    with pytest.raises(NotEnoughSamplesError, match="RandomOverSampler"):
        SMOTE(k_neighbors=1).fit_resample(X, np.array(["a"] * 22 + ["b"]))


def test_smote_refuses_text_columns_and_points_to_smotenc():
    """Check that non-numeric columns are refused with a pointer to SMOTENC."""
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"x": np.arange(20.0), "colour": ["red", "blue"] * 10})
    with pytest.raises(NonNumericDataError, match=r"'colour'.*SMOTENC"):
        SMOTE(k_neighbors=2).fit_resample(df, [0] * 15 + [1] * 5)
    X = np.array([[1.0, "a"]] * 20, dtype=object)
    with pytest.raises(TypeError, match="SMOTENC"):
        SMOTE(k_neighbors=2).fit_resample(X, [0] * 15 + [1] * 5)


def test_smote_keeps_float32():
    """Check that float32 input stays float32."""
    X = np.random.default_rng(0).standard_normal((50, 3)).astype(np.float32)
    X_res, _ = SMOTE(random_state=0).fit_resample(X, [0] * 40 + [1] * 10)
    assert X_res.dtype == np.float32


def test_smote_integer_numpy_input_becomes_float():
    """Check that integer numpy input gives float output (synthetic rows are not integers)."""
    X = np.arange(60).reshape(30, 2)
    X_res, _ = SMOTE(random_state=0).fit_resample(X, [0] * 20 + [1] * 10)
    assert X_res.dtype == np.float64
    np.testing.assert_array_equal(X_res[:30], X)


def test_random_over_sampler_copies_rows_exactly(imbalanced):
    """Check that ROS rows are copies of same-class rows and sample_indices_ says which."""
    X, y = imbalanced
    r = RandomOverSampler(random_state=0)
    X_res, y_res = r.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[r.sample_indices_])
    np.testing.assert_array_equal(y_res, y[r.sample_indices_])
    assert (r.provenance_["neighbor"] == -1).all()


def test_shrinkage_spread_follows_the_class_scale(seed):
    """Check the smoothed bootstrap: noise std = shrinkage * h * class std, per feature."""
    rng = np.random.default_rng(seed)
    X = np.c_[rng.normal(0, 1, 3000), rng.normal(0, 10, 3000)]
    y = np.r_[np.zeros(2000, int), np.ones(1000, int)]
    r = RandomOverSampler(random_state=seed, shrinkage=2.0)
    X_res, _ = r.fit_resample(X, y)
    noise = X_res[3000:] - X[r.provenance_["parent"]]
    n, d = X.shape
    h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
    expected = 2.0 * h * X[y == 1].std(axis=0)
    np.testing.assert_allclose(noise.std(axis=0), expected, rtol=0.1)


def test_shrinkage_dict_needs_every_resampled_class(imbalanced):
    """Check that a shrinkage dict missing a class is refused with the class named."""
    X, y = imbalanced
    with pytest.raises(ValueError, match="missing: 2"):
        RandomOverSampler(shrinkage={1: 0.5}).fit_resample(X, y)
    X_res, _ = RandomOverSampler(shrinkage={1: 0.5, 2: 0.0}, random_state=0).fit_resample(X, y)
    assert len(X_res) == 180


def test_random_over_sampler_keeps_nan_and_strings():
    """Check that plain ROS resamples any columns (NaN, strings) since it only copies rows."""
    X = np.array([[np.nan, "a"], [1.0, "b"], [2.0, "c"]], dtype=object)
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, [0, 0, 1])
    assert X_res.shape == (4, 2) and X_res[3, 1] == "c"


def test_random_state_accepts_generator_and_randomstate(imbalanced):
    """Check RandomState and Generator seeds: reproducible from equal states."""
    X, y = imbalanced
    a, _ = SMOTE(random_state=np.random.RandomState(1)).fit_resample(X, y)
    b, _ = SMOTE(random_state=np.random.RandomState(1)).fit_resample(X, y)
    c, _ = SMOTE(random_state=np.random.default_rng(1)).fit_resample(X, y)
    d, _ = SMOTE(random_state=np.random.default_rng(1)).fit_resample(X, y)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(c, d)


def test_invalid_parameters_are_refused(imbalanced):
    """Check parameter validation (k_neighbors, shrinkage, sampling_strategy types)."""
    X, y = imbalanced
    with pytest.raises(ValueError, match="k_neighbors"):
        SMOTE(k_neighbors=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="shrinkage"):
        RandomOverSampler(shrinkage=-1.0).fit_resample(X, y)
    with pytest.raises(ValueError, match="sampling_strategy"):
        SMOTE(sampling_strategy=1.5).fit_resample(X, y)
