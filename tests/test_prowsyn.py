"""ProWSyn: proximity levels, weights, pairs within a level, exact counts (Barua et al.)."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotelab.exceptions import NotEnoughSamplesError
from smotelab.over_sampling import ProWSyn


@pytest.fixture
def data():
    return make_classification(n_samples=600, n_features=4, n_informative=3, n_redundant=0,
                               weights=[0.85], class_sep=0.8, random_state=3)


def _levels_by_definition(X, y, label, k, n_levels):
    """The paper's steps 2-4, written with a plain distance matrix."""
    members = np.flatnonzero(y == label)
    others = X[y != label]
    level = np.full(len(members), n_levels - 1)
    left = list(range(len(members)))
    for i in range(n_levels - 1):
        if not left:
            break
        d = ((others[:, None, :] - X[members[left]][None, :, :]) ** 2).sum(-1)
        nearest = np.argsort(d, axis=1, kind="stable")[:, : min(k, len(left))]
        hit = {left[j] for j in np.unique(nearest)}
        for j in hit:
            level[j] = i
        left = [j for j in left if j not in hit]
    return level


def test_levels_follow_the_paper(data):
    """Check the proximity levels against a direct transcription of the definition."""
    X, y = data
    s = ProWSyn(random_state=0, n_neighbors=3, n_levels=4).fit(X, y)
    s.fit_resample(X, y)
    np.testing.assert_array_equal(s.proximity_levels_[1], _levels_by_definition(X, y, 1, 3, 4))
    assert len(np.unique(s.proximity_levels_[1])) > 1


def test_rows_are_pairs_within_a_level_with_exact_weights(data):
    """Check that each new row lies between two samples of one level, shares follow exp(-theta*l)."""
    X, y = data
    theta = 0.7
    s = ProWSyn(random_state=1, theta=theta)
    X_res, y_res = s.fit_resample(X, y)
    n_new = int((y == 0).sum() - (y == 1).sum())
    assert len(y_res) == len(y) + n_new and (y_res[len(y):] == 1).all()
    p = s.provenance_
    lv = np.full(len(y), -1)
    lv[y == 1] = s.proximity_levels_[1]
    assert (lv[p["parent"]] == lv[p["neighbor"]]).all()
    assert (p["parent"] != p["neighbor"]).all()
    assert ((p["step"] >= 0) & (p["step"] < 1)).all()
    rebuilt = X[p["parent"]] + p["step"][:, None] * (X[p["neighbor"]] - X[p["parent"]])
    np.testing.assert_allclose(X_res[len(y):], rebuilt)
    # each level's share of the rows is exp(-theta * level), over levels with a pair
    size = np.bincount(s.proximity_levels_[1])
    w = np.exp(-theta * np.arange(len(size))) * (size >= 2)
    got = np.bincount(lv[p["parent"]], minlength=len(size))
    np.testing.assert_allclose(got, w / w.sum() * n_new, atol=size.max())
    # within a level the rows are spread evenly over its samples
    per_parent = np.bincount(p["parent"], minlength=len(y))
    for level in np.unique(lv[p["parent"]]):
        counts = per_parent[(lv == level)]
        assert counts.max() - counts.min() <= 1


def test_partner_is_uniform_over_the_level():
    """Check that a seed's partners cover its level about evenly (no fixed neighbour set)."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(40, 2)) + 5, rng.normal(size=(400, 2))])
    y = np.r_[np.ones(40, int), np.zeros(400, int)]
    s = ProWSyn(random_state=0, n_levels=1, sampling_strategy={1: 40 + 20000})
    s.fit_resample(X, y)
    partners = np.bincount(s.provenance_["neighbor"], minlength=40)[:40]
    # 20000 rows over 40 samples: each is a partner ~500 times
    assert partners.min() > 350 and partners.max() < 650


def test_same_seed_same_rows_and_provenance(data):
    """Check that one random_state gives the same output twice and another differs."""
    X, y = data
    a = ProWSyn(random_state=5).fit_resample(X, y)[0]
    b = ProWSyn(random_state=5).fit_resample(X, y)[0]
    c = ProWSyn(random_state=6).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_a_class_with_no_pair_in_any_level_is_one_level():
    """Check that two minority samples in different levels still make rows between them."""
    X = np.array([[0.0, 0.0], [10.0, 0.0], [0.1, 0.0], [0.2, 0.0], [-0.1, 0.0], [0.0, 0.1]])
    y = np.array([1, 1, 0, 0, 0, 0])
    s = ProWSyn(random_state=0, n_neighbors=1)
    s.fit_resample(X, y)
    # every majority row marks sample 0 first; sample 1 is left for the next round
    assert s.proximity_levels_[1].tolist() == [0, 1]
    assert set(s.provenance_["parent"]) | set(s.provenance_["neighbor"]) == {0, 1}


def test_multiclass_levels_against_all_other_classes():
    """Check that with three classes each over-sampled class is levelled against the rest."""
    X, y = make_classification(n_samples=900, n_classes=3, n_informative=4,
                               weights=[0.7, 0.2, 0.1], random_state=0)
    s = ProWSyn(random_state=0, n_neighbors=2, n_levels=3)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [np.bincount(y).max()] * 3
    for label in (1, 2):
        np.testing.assert_array_equal(s.proximity_levels_[label],
                                      _levels_by_definition(X, y, label, 2, 3))


def test_a_single_sample_class_is_refused_with_the_way_out():
    """Check that a one-sample class raises a clear error naming the class."""
    X = np.random.default_rng(0).normal(size=(10, 2))
    y = np.array([1] + [0] * 9)
    with pytest.raises(NotEnoughSamplesError, match="class 1 has only 1 sample.*RandomOver"):
        ProWSyn().fit_resample(X, y)


@pytest.mark.parametrize("params", [{"n_levels": 0}, {"theta": -1.0}, {"n_neighbors": 0}])
def test_bad_parameters_are_refused(data, params):
    """Check that out-of-range parameters raise before any work."""
    X, y = data
    with pytest.raises(ValueError, match=next(iter(params))):
        ProWSyn(**params).fit_resample(X, y)


def test_sparse_and_dataframe_inputs_match_dense(data):
    """Check that CSR and DataFrame input give the dense rows."""
    import pandas as pd
    import scipy.sparse as sp

    X, y = data
    dense = ProWSyn(random_state=0).fit_resample(X, y)[0]
    np.testing.assert_allclose(ProWSyn(random_state=0).fit_resample(sp.csr_matrix(X), y)[0]
                               .toarray(), dense)
    np.testing.assert_allclose(
        ProWSyn(random_state=0).fit_resample(pd.DataFrame(X), pd.Series(y))[0].to_numpy(),
        dense)
