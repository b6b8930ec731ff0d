"""Borderline-SMOTE, ADASYN, SVM-SMOTE and K-Means SMOTE against their papers.

Each test recomputes what the paper defines with scikit-learn's own neighbour search
and checks the sampler's seeds, neighbours, steps and counts against it.
"""

from collections import Counter

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC
from sklearn.utils._param_validation import InvalidParameterError

from smotelab._kernels.labels import apportion, danger_and_noise
from smotelab.exceptions import NotEnoughSamplesError, SmotelabWarning
from smotelab.over_sampling import ADASYN, SVMSMOTE, BorderlineSMOTE, KMeansSMOTE


@pytest.fixture(scope="module")
def separated():
    """Two far-apart blobs: no minority sample has an other-class neighbour."""
    X, y = make_blobs(n_samples=[300, 40], centers=[[0, 0], [50, 50]], random_state=0)
    return X, y


def _other_counts(X, y, rows, m):
    """Other-class neighbours among the m nearest (self excluded), by scikit-learn."""
    nn = NearestNeighbors(n_neighbors=m + 1).fit(X).kneighbors(X[rows], return_distance=False)
    nn = np.array([[j for j in row if j != i][:m] for i, row in zip(rows, nn, strict=True)])
    return (y[nn] != y[rows][:, None]).sum(axis=1)


def _knn_sets(X, rows, members, k):
    """For each row, its k nearest among members (self excluded), as sets of row indices."""
    nn = NearestNeighbors(n_neighbors=k + 1).fit(X[members]).kneighbors(
        X[rows], return_distance=False)
    return {r: {members[j] for j in row if members[j] != r} for r, row in
            zip(rows, nn, strict=True)}


# ---------------------------------------------------------------- Borderline-SMOTE


def test_kernel_danger_and_noise_follow_han_et_al():
    """Check m/2 <= n_other < m is danger and n_other == m is noise, at the edges."""
    n_other = np.array([0, 4, 5, 9, 10])
    danger, noise = danger_and_noise(n_other, 10)
    assert danger.tolist() == [False, False, True, True, False]
    assert noise.tolist() == [False, False, False, False, True]
    danger, _ = danger_and_noise(np.array([1, 2]), 3)  # m odd: 1.5 <= n_other
    assert danger.tolist() == [False, True]


@pytest.mark.parametrize("m", [5, 10])
def test_borderline1_seeds_are_exactly_the_danger_set(noisy, m):
    """Check that in_danger_indices_ is the paper's danger set and only it seeds rows."""
    X, y = noisy
    s = BorderlineSMOTE(random_state=0, m_neighbors=m)
    X_res, y_res = s.fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    n_other = _other_counts(X, y, minority, m)
    expected = minority[(2 * n_other >= m) & (n_other < m)]
    assert np.array_equal(s.in_danger_indices_[1], expected)
    parents = s.provenance_["parent"]
    assert set(parents.tolist()) <= set(expected.tolist())
    noise = minority[n_other == m]
    assert len(noise) and not np.isin(parents, noise).any()
    assert Counter(y_res.tolist()) == {0: int((y == 0).sum()), 1: int((y == 0).sum())}


def test_borderline1_neighbours_are_the_k_nearest_of_the_class(noisy):
    """Check every neighbour is among its parent's k nearest same-class samples."""
    X, y = noisy
    s = BorderlineSMOTE(random_state=0, k_neighbors=4)
    s.fit_resample(X, y)
    p = s.provenance_
    allowed = _knn_sets(X, np.unique(p["parent"]), np.flatnonzero(y == 1), 4)
    assert all(nb in allowed[pa] for pa, nb in zip(p["parent"], p["neighbor"], strict=True))
    assert ((p["step"] >= 0) & (p["step"] < 1)).all()


@pytest.mark.parametrize(("k", "m"), [(5, 10), (6, 4)])
def test_borderline2_reaches_toward_other_classes_at_most_half_way(noisy, k, m):
    """Check Borderline-2: neighbours are the parent's k nearest samples of any class;
    toward another class the step is uniform in [0, 0.5), toward its own in [0, 1)."""
    X, y = noisy
    s = BorderlineSMOTE(random_state=0, kind="borderline-2", k_neighbors=k, m_neighbors=m)
    X_res, _ = s.fit_resample(X, y)
    p = s.provenance_
    allowed = _knn_sets(X, np.unique(p["parent"]), np.arange(len(X)), k)
    assert all(nb in allowed[pa] for pa, nb in zip(p["parent"], p["neighbor"], strict=True))
    toward_other = y[p["neighbor"]] != 1
    # the share of rows toward other classes is the share of such neighbours
    share = np.mean([np.mean(y[list(allowed[pa])] != 1) for pa in p["parent"]])
    n = len(p["step"])
    assert abs(toward_other.mean() - share) < 4 * np.sqrt(share * (1 - share) / n)
    steps = p["step"][toward_other]
    assert steps.min() >= 0 and steps.max() < 0.5
    assert steps.max() > 0.45 and abs(steps.mean() - 0.25) < 0.02  # uniform, not a product
    same_steps = p["step"][~toward_other]
    assert same_steps.max() > 0.9 and abs(same_steps.mean() - 0.5) < 0.05
    np.testing.assert_allclose(
        X_res[len(X):], X[p["parent"]] + p["step"][:, None] * (X[p["neighbor"]] -
                                                               X[p["parent"]]))


def test_borderline_without_danger_falls_back_with_a_warning(separated):
    """Check exact counts and a warning saying what was done when no sample is in danger."""
    X, y = separated
    with pytest.warns(SmotelabWarning, match=r"no sample of class 1 is in danger.*40 of its 40"):
        s = BorderlineSMOTE(random_state=0)
        _, y_res = s.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 300, 1: 300}
    assert len(s.in_danger_indices_[1]) == 0


def test_borderline_bad_parameters_are_explained(noisy):
    """Check an invalid kind and an m_neighbors larger than the data."""
    X, y = noisy
    with pytest.raises(InvalidParameterError, match="kind"):
        BorderlineSMOTE(kind="borderline-3").fit_resample(X, y)
    with pytest.raises(NotEnoughSamplesError, match=r"m_neighbors=20 but the data have only 12"):
        BorderlineSMOTE(m_neighbors=20, k_neighbors=2).fit_resample(X[:12], np.r_[[0] * 8,
                                                                                  [1] * 4])


# ---------------------------------------------------------------------------- ADASYN


def test_apportion_is_exact_and_proportional():
    """Check largest remainders: sums exactly, never off by a full row from the share."""
    rng = np.random.default_rng(0)
    for _ in range(200):
        w = rng.random(rng.integers(1, 50)) * (rng.random() < 0.9)
        if w.sum() == 0:
            continue
        total = int(rng.integers(0, 10_000))
        c = apportion(w, total)
        assert c.sum() == total
        assert np.all(np.abs(c - w / w.sum() * total) < 1)
    with pytest.raises(ValueError, match="positive sum"):
        apportion(np.zeros(3), 5)


@pytest.mark.parametrize("n_neighbors", [3, 5])
def test_adasyn_counts_follow_the_density_ratio(noisy, n_neighbors):
    """Check He et al.: rows per seed proportional to its other-class neighbour share."""
    X, y = noisy
    s = ADASYN(random_state=0, n_neighbors=n_neighbors)
    _, y_res = s.fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    n_new = int((y == 0).sum() - (y == 1).sum())
    ratio = _other_counts(X, y, minority, n_neighbors) / n_neighbors
    expected = apportion(ratio, n_new)
    got = np.bincount(s.provenance_["parent"], minlength=len(X))[minority]
    assert np.array_equal(got, expected)
    assert Counter(y_res.tolist())[1] == (y == 0).sum()
    # imbalanced-learn rounds each share; ours differ from those by at most one row.
    assert np.abs(got - np.rint(ratio / ratio.sum() * n_new)).max() <= 1
    p = s.provenance_
    allowed = _knn_sets(X, np.unique(p["parent"]), minority, n_neighbors)
    assert all(nb in allowed[pa] for pa, nb in zip(p["parent"], p["neighbor"], strict=True))


def test_adasyn_without_other_class_neighbours_falls_back(separated):
    """Check that all-zero weights give even counts and a warning instead of an error."""
    X, y = separated
    with pytest.warns(SmotelabWarning, match="every weight is zero"):
        s = ADASYN(random_state=0)
        _, y_res = s.fit_resample(X, y)
    counts = np.bincount(s.provenance_["parent"], minlength=len(X))[y == 1]
    assert counts.sum() == 260 and counts.max() - counts.min() <= 1


def test_adasyn_n_neighbors_larger_than_the_data():
    """Check the error names n_neighbors and the largest value that works."""
    X = np.random.default_rng(0).standard_normal((9, 2))
    y = np.r_[[0] * 6, [1] * 3]
    with pytest.raises(NotEnoughSamplesError, match=r"n_neighbors=9 but the data have only 9"):
        ADASYN(n_neighbors=9).fit_resample(X, y)
    with pytest.raises(NotEnoughSamplesError, match=r"n_neighbors=5 but class 1 has only 3"):
        ADASYN(n_neighbors=5).fit_resample(X, y)


# -------------------------------------------------------------------------- SVM-SMOTE


def test_svmsmote_seeds_are_the_non_noise_support_vectors(noisy):
    """Check Nguyen et al.: seeds are the class's support vectors minus noise; danger ones
    interpolate (step in [0, 1)), safe ones extrapolate (step in [-out_step, 0))."""
    X, y = noisy
    s = SVMSMOTE(random_state=0, out_step=0.7)
    s.fit_resample(X, y)
    sv = np.sort(SVC().fit(X, y).support_)
    sv = sv[y[sv] == 1]
    n_other = _other_counts(X, y, sv, 10)
    danger, noise = danger_and_noise(n_other, 10)
    assert np.array_equal(s.support_indices_[1], sv[~noise])
    p = s.provenance_
    assert set(p["parent"].tolist()) <= set(sv[~noise].tolist())
    in_danger = np.isin(p["parent"], sv[danger])
    assert (p["step"][in_danger] >= 0).all() and (p["step"][in_danger] < 1).all()
    assert (p["step"][~in_danger] < 0).all() and (p["step"][~in_danger] >= -0.7).all()
    assert in_danger.any() and (~in_danger).any()
    allowed = _knn_sets(X, np.unique(p["parent"]), np.flatnonzero(y == 1), 5)
    assert all(nb in allowed[pa] for pa, nb in zip(p["parent"], p["neighbor"], strict=True))


def test_svmsmote_large_data_fits_the_svm_on_a_sample():
    """Check the SVM budget: all minority rows kept (up to half), the rest stratified."""
    X, y = make_classification(n_samples=6000, n_classes=3, n_informative=4,
                               weights=[0.75, 0.2, 0.05], random_state=0)
    s = SVMSMOTE(random_state=0, svm_max_samples=2000, sampling_strategy={2: 1000})
    _, y_res = s.fit_resample(X, y)
    idx = s.svm_sample_indices_
    assert len(idx) == 2000 and len(np.unique(idx)) == 2000
    assert np.isin(np.flatnonzero(y == 2), idx).all()
    rest = Counter(y[idx].tolist())
    share = (y == 0).sum() / ((y == 0) | (y == 1)).sum()
    assert abs(rest[0] / (rest[0] + rest[1]) - share) < 0.01
    assert Counter(y_res.tolist())[2] == 1000
    assert set(s.support_indices_[2].tolist()) <= set(idx.tolist())


def test_svmsmote_estimator_without_support_is_refused(noisy):
    """Check a clear error for an svm_estimator that exposes no support_."""
    X, y = noisy
    with pytest.raises(TypeError, match=r"LogisticRegression has no support_"):
        SVMSMOTE(svm_estimator=LogisticRegression()).fit_resample(X, y)


def test_svmsmote_accepts_any_estimator_with_support(noisy):
    """Check another SVM (a linear-kernel SVC) is used as given."""
    X, y = noisy
    s = SVMSMOTE(random_state=0, svm_estimator=SVC(kernel="linear", C=0.5))
    _, y_res = s.fit_resample(X, y)
    assert s.svm_estimator_.kernel == "linear"
    assert Counter(y_res.tolist())[1] == (y == 0).sum()


# ------------------------------------------------------------------------ K-Means SMOTE


@pytest.fixture(scope="module")
def textbook():
    """The example of Douzas et al. on which imbalanced-learn's defaults fail."""
    return make_classification(n_samples=2000, n_features=20, n_informative=15,
                               n_clusters_per_class=3, weights=[0.95, 0.05], flip_y=0.1,
                               random_state=42)


def test_kmeans_smote_works_at_its_defaults_on_the_textbook_example(textbook, recwarn):
    """Check exact counts, no fallback, and rows only in kept clusters."""
    X, y = textbook
    s = KMeansSMOTE(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert not [w for w in recwarn if issubclass(w.category, SmotelabWarning)]
    assert Counter(y_res.tolist()) == {0: 1804, 1: 1804}
    clusters = s.kmeans_estimator_.labels_
    kept = s.cluster_allocation_[1]
    threshold = s.cluster_balance_thresholds_[1]
    assert threshold == pytest.approx((y == 1).mean())
    p = s.provenance_
    # never in a filtered cluster; the neighbour from the parent's own cluster
    assert set(clusters[p["parent"]].tolist()) <= set(kept)
    assert np.array_equal(clusters[p["parent"]], clusters[p["neighbor"]])
    for c in kept:
        members = clusters == c
        assert (y[members] == 1).mean() >= threshold and (y[members] == 1).sum() > 2
    per_cluster = Counter(clusters[p["parent"]].tolist())
    assert {c: per_cluster.get(c, 0) for c in kept} == kept


def test_kmeans_smote_allocates_by_sparsity(textbook):
    """Check the rows per cluster follow mean_distance ** exponent / n (largest remainders)."""
    from scipy.spatial.distance import pdist

    X, y = textbook
    s = KMeansSMOTE(random_state=0, cluster_balance_threshold=0.05)
    s.fit_resample(X, y)
    clusters = s.kmeans_estimator_.labels_
    kept = sorted(s.cluster_allocation_[1])
    exponent = np.log(20) / np.log(1.6)
    exponent = exponent**1.8 * 0.16
    assert s.density_exponent_ == pytest.approx(exponent)
    sparsity = []
    for c in kept:
        rows = X[(clusters == c) & (y == 1)]
        sparsity.append(pdist(rows).mean() ** exponent / len(rows))
    expected = apportion(np.array(sparsity), 1804 - 196)
    assert [s.cluster_allocation_[1][c] for c in kept] == expected.tolist()


def test_kmeans_smote_neighbours_are_the_k_nearest_in_the_cluster(textbook):
    """Check SMOTE inside each cluster: neighbours among the k nearest class samples there."""
    X, y = textbook
    s = KMeansSMOTE(random_state=1, k_neighbors=3)
    s.fit_resample(X, y)
    clusters = s.kmeans_estimator_.labels_
    p = s.provenance_
    for c in s.cluster_allocation_[1]:
        members = np.flatnonzero((clusters == c) & (y == 1))
        rows = np.flatnonzero(clusters[p["parent"]] == c)
        allowed = _knn_sets(X, np.unique(p["parent"][rows]), members, 3)
        assert all(p["neighbor"][r] in allowed[p["parent"][r]] for r in rows)


def test_kmeans_smote_relaxes_a_threshold_no_cluster_meets(textbook):
    """Check that an unreachable threshold is dropped with a warning that says so."""
    X, y = textbook
    with pytest.warns(SmotelabWarning, match="threshold was dropped"):
        s = KMeansSMOTE(random_state=0, cluster_balance_threshold=0.99)
        _, y_res = s.fit_resample(X, y)
    assert Counter(y_res.tolist())[1] == 1804
    assert s.cluster_balance_thresholds_[1] == -np.inf


def test_kmeans_smote_falls_back_to_the_whole_class():
    """Check that with no cluster holding k + 1 class samples the class is one cluster."""
    X, y = make_classification(n_samples=400, weights=[0.95], random_state=0)
    with pytest.warns(SmotelabWarning, match="whole class is used as one cluster"):
        s = KMeansSMOTE(random_state=0, kmeans_estimator=60, k_neighbors=5)
        _, y_res = s.fit_resample(X, y)
    assert Counter(y_res.tolist())[1] == Counter(y.tolist())[0]


def test_kmeans_smote_survives_duplicate_points():
    """Check duplicated rows (zero mean distances, empty clusters) give exact counts."""
    X = np.repeat(np.array([[0.0, 0.0], [1.5, 1.5], [5.5, 5.5]]), [50, 8, 8], axis=0)
    y = np.r_[[0] * 50, [1] * 16]
    s = KMeansSMOTE(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 50, 1: 50}
    assert np.isfinite(X_res).all()


def test_kmeans_smote_bad_estimator_is_refused(textbook):
    """Check a kmeans_estimator without fit_predict is refused by parameter validation."""
    X, y = textbook
    with pytest.raises(InvalidParameterError, match="kmeans_estimator"):
        KMeansSMOTE(kmeans_estimator="many").fit_resample(X, y)


# ------------------------------------------------------------------- all four, together


@pytest.mark.parametrize("make", [
    lambda: BorderlineSMOTE(random_state=0),
    lambda: BorderlineSMOTE(random_state=0, kind="borderline-2"),
    lambda: ADASYN(random_state=0),
    lambda: SVMSMOTE(random_state=0),
    lambda: KMeansSMOTE(random_state=0, kmeans_estimator=3),
], ids=["bl1", "bl2", "adasyn", "svm", "kmeans"])
def test_multiclass_counts_and_float32(make):
    """Check exact counts on three classes and that float32 input stays float32."""
    X, y = make_classification(n_samples=1200, n_classes=3, n_informative=4,
                               weights=[0.6, 0.3, 0.1], flip_y=0.05, random_state=0)
    X_res, y_res = make().fit_resample(X.astype(np.float32), y)
    top = Counter(y.tolist()).most_common(1)[0][1]
    assert Counter(y_res.tolist()) == {0: top, 1: top, 2: top}
    assert X_res.dtype == np.float32


def test_neighbour_objects_give_the_same_sets_as_ints(noisy):
    """Check m_neighbors / n_neighbors / k_neighbors given as NearestNeighbors objects
    (n_neighbors counting the sample itself) select the same seeds as the ints."""
    X, y = noisy
    a = BorderlineSMOTE(random_state=0, m_neighbors=10, kind="borderline-2")
    a.fit_resample(X, y)
    b = BorderlineSMOTE(random_state=0, m_neighbors=NearestNeighbors(n_neighbors=11),
                        k_neighbors=NearestNeighbors(n_neighbors=6), kind="borderline-2")
    b.fit_resample(X, y)
    assert np.array_equal(a.in_danger_indices_[1], b.in_danger_indices_[1])
    assert b.nn_m_.n_neighbors == 11 and b.nn_k_.n_neighbors == 6  # the objects' counts
    assert a.nn_m_.n_neighbors == 11  # an int m_neighbors=10 reads the same way
    c = ADASYN(random_state=0, n_neighbors=NearestNeighbors(n_neighbors=6))
    c.fit_resample(X, y)
    d = ADASYN(random_state=0, n_neighbors=5)
    d.fit_resample(X, y)
    assert np.array_equal(np.bincount(c.provenance_["parent"]),
                          np.bincount(d.provenance_["parent"]))
