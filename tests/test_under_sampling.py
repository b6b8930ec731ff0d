"""Under-samplers and cleaners against their definitions."""

from collections import Counter

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotelab.exceptions import NotEnoughSamplesError, SamplingStrategyError
from smotelab.under_sampling import EditedNearestNeighbours, RandomUnderSampler, TomekLinks


def _brute_1nn(X):
    D = ((X[:, None] - X[None]) ** 2).sum(-1)
    np.fill_diagonal(D, np.inf)
    return np.argsort(D, axis=1, kind="stable")[:, 0]  # ties to the lower index


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tomek_links_are_mutual_nearest_neighbours_of_different_classes(seed):
    """Check the links against a brute-force definition, three classes, all cleaned."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((400, 3))
    y = rng.choice(3, size=400, p=[0.6, 0.3, 0.1])
    nn = _brute_1nn(X)
    link = (nn[nn] == np.arange(400)) & (y[nn] != y)
    s = TomekLinks(sampling_strategy="all")
    s.fit_resample(X, y)
    assert link.any()
    assert np.array_equal(s.sample_indices_, np.flatnonzero(~link))
    only0 = TomekLinks(sampling_strategy=[0])
    only0.fit_resample(X, y)
    assert np.array_equal(only0.sample_indices_, np.flatnonzero(~(link & (y == 0))))


def test_tomek_links_with_exact_ties_go_to_the_lower_index():
    """Check duplicates: a row's duplicate is its nearest neighbour, so no link forms."""
    X = np.array([[0.0], [0.0], [1.0], [3.0], [3.2]])
    y = np.array([0, 1, 0, 0, 1])
    s = TomekLinks(sampling_strategy="all")
    s.fit_resample(X, y)
    # 0 and 1 are duplicates of different classes: mutual nearest -> a link
    # 3 and 4 are mutual nearest of different classes -> a link
    assert s.sample_indices_.tolist() == [2]


@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("k", [3, 4])
def test_enn_keeps_samples_that_agree_with_their_neighbours(kind_sel, k):
    """Check Wilson's rule against scikit-learn's neighbours (ties in the vote to the
    smallest label)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 4))
    y = rng.choice(3, size=500, p=[0.5, 0.3, 0.2])
    s = EditedNearestNeighbours(n_neighbors=k, kind_sel=kind_sel, sampling_strategy="all")
    s.fit_resample(X, y)
    nn = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X, return_distance=False)[:, 1:]
    votes = y[nn]
    if kind_sel == "all":
        keep = (votes == y[:, None]).all(axis=1)
    else:
        counts = np.stack([(votes == c).sum(1) for c in range(3)], axis=1)
        keep = counts.argmax(axis=1) == y
    assert np.array_equal(s.sample_indices_, np.flatnonzero(keep))


def test_random_under_sampler_keeps_rows_in_order_and_without_duplicates():
    """Check the selection: exact counts, input order, no repeats unless replacement."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 2))
    y = np.r_[np.zeros(250, int), np.ones(50, int)]
    s = RandomUnderSampler(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 50, 1: 50}
    assert np.all(np.diff(s.sample_indices_) > 0)
    assert np.array_equal(X_res, X[s.sample_indices_])
    r = RandomUnderSampler(random_state=0, replacement=True, sampling_strategy={0: 200})
    r.fit_resample(X, y)
    assert len(np.unique(r.sample_indices_[r.sample_indices_ < 250])) < 200


def test_cleaners_refuse_a_dict_and_too_many_neighbours():
    """Check a dict strategy (cleaners take a list) and n_neighbors beyond the data."""
    X = np.random.default_rng(0).standard_normal((6, 2))
    y = np.array([0, 0, 0, 0, 1, 1])
    with pytest.raises(SamplingStrategyError, match="list of classes"):
        TomekLinks(sampling_strategy={0: 3}).fit_resample(X, y)
    with pytest.raises(NotEnoughSamplesError, match=r"n_neighbors=6 but the data have only 6"):
        EditedNearestNeighbours(n_neighbors=6).fit_resample(X, y)


def test_cluster_centroids_hard_voting_keeps_the_sample_nearest_each_centre():
    """Check hard voting against its definition (ties to the lower index)."""
    from sklearn.cluster import KMeans

    from smotelab.under_sampling import ClusterCentroids

    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 3))
    y = np.r_[np.zeros(240, int), np.ones(60, int)]
    s = ClusterCentroids(random_state=0, voting="hard")
    s.fit_resample(X, y)
    km = KMeans(n_clusters=60, random_state=0).fit(X[:240])
    d = ((km.cluster_centers_[:, None] - X[None, :240]) ** 2).sum(-1)
    expected = np.argsort(d, axis=1, kind="stable")[:, 0]
    assert np.array_equal(s.sample_indices_, np.sort(np.r_[expected, np.arange(240, 300)]))


def _hart_single_pass(X, y, seeds, minority_label, label, k):
    """The rule written plainly: visit the class in order, add what the store misclassifies."""
    store = list(np.flatnonzero(y == minority_label)) + list(seeds)
    kept = set(seeds.tolist())
    for i in np.flatnonzero(y == label):
        if i in kept:
            continue
        d = np.linalg.norm(X[store] - X[i], axis=1)
        near = np.array(store)[np.lexsort((np.arange(len(store)), d))[:k]]
        votes = y[near]
        n_t = int((votes == label).sum())
        n_m = k - n_t
        predicted_label = n_t > n_m or (n_t == n_m and label < minority_label)
        if not predicted_label:
            store.append(i)
            kept.add(int(i))
    # the class keeps its seeds and what was added (the minority condensed against itself
    # keeps only its seeds, as in imbalanced-learn)
    return sorted(kept)


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("seed", [0, 1])
def test_condensed_nearest_neighbour_is_hart_single_pass(seed, k):
    """Check CNN against a plain re-implementation of the rule, on every class of three."""
    from sklearn.datasets import make_classification
    from sklearn.utils import check_random_state

    from smotelab.under_sampling import CondensedNearestNeighbour

    X, y = make_classification(n_samples=700, n_classes=3, n_informative=3,
                               weights=[0.6, 0.3, 0.1], flip_y=0.05, random_state=seed)
    s = CondensedNearestNeighbour(random_state=seed, n_neighbors=k, sampling_strategy="all")
    s.fit_resample(X, y)
    rs = check_random_state(seed)
    minority = int(np.argmin(np.bincount(y)))
    for label in (0, 1, 2):
        members = np.flatnonzero(y == label)
        seeds = members[rs.randint(0, len(members), size=1)]
        want = _hart_single_pass(X, y, seeds, minority, label, k)
        got = sorted(i for i in s.sample_indices_ if y[i] == label)
        assert got == want, label


def test_condensing_shrinks_the_majority_and_keeps_the_minority():
    """Check CNN and OSS on separated classes: few majority prototypes, minority intact."""
    from sklearn.datasets import make_classification

    from smotelab.under_sampling import CondensedNearestNeighbour, OneSidedSelection

    X, y = make_classification(n_samples=2000, weights=[0.9], class_sep=2.5, random_state=0)
    for s in (CondensedNearestNeighbour(random_state=0), OneSidedSelection(random_state=0)):
        _, y_res = s.fit_resample(X, y)
        assert (y_res == 1).sum() == (y == 1).sum()
        assert (y_res == 0).sum() < (y == 0).sum()
    with pytest.raises(ValueError, match="n_neighbors=500"):
        CondensedNearestNeighbour(n_neighbors=500).fit_resample(X, y)


@pytest.mark.parametrize("subset", [4, 16, 4096])
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
def test_edited_certificates_give_the_full_query_answer(subset, kind_sel, monkeypatch):
    """Check ENN's certified shortcut (subset plus other classes, then denser subsets)
    keeps exactly the rows a full neighbour query and vote keep, also when small subsets
    force every level of the cascade, with duplicate rows and three classes."""
    from smotelab._kernels import labels as L
    from smotelab.neighbors import ExactNeighbors, _labelled, kneighbors_of_rows

    X, y = make_classification(n_samples=3000, n_features=6, n_informative=4, n_classes=3,
                               weights=[0.6, 0.3, 0.1], flip_y=0.05, random_state=3)
    X = np.vstack([X, X[:40]])  # exact duplicates, some of other classes' rows
    y = np.concatenate([y, (y[:40] + 1) % 3])
    rows = np.flatnonzero(y != 2)
    monkeypatch.setattr(_labelled, "_CERTIFY_SUBSET", subset)  # the certificate's search
    got = L.edited_keep_exact(X, y, rows, 3, kind_sel)
    _, graph = kneighbors_of_rows(ExactNeighbors(3), X, rows, 3)
    np.testing.assert_array_equal(got, L.edited_keep(graph, y, y[rows], kind_sel))
    assert 0 < (~got).sum() < len(rows)
