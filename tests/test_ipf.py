"""The iterative-partitioning filter and SMOTE-IPF (Sáez et al.)."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.tree import DecisionTreeClassifier

from smotelab.combine import SMOTEIPF as FromCombine
from smotelab.over_sampling import SMOTE, SMOTEIPF
from smotelab.under_sampling import IterativePartitioningFilter


@pytest.fixture
def noisy():
    X, y = make_classification(n_samples=900, n_features=5, n_informative=3,
                               weights=[0.8], class_sep=1.5, random_state=4)
    rng = np.random.default_rng(0)
    flipped = rng.choice(len(y), 45, replace=False)
    y = y.copy()
    y[flipped] = 1 - y[flipped]
    return X, y, flipped


def test_flipped_labels_are_removed_first(noisy):
    """Check that the filter removes far more of the flipped rows than of the others."""
    X, y, flipped = noisy
    ipf = IterativePartitioningFilter(sampling_strategy="all", random_state=0)
    ipf.fit_resample(X, y)
    removed = np.setdiff1d(np.arange(len(y)), ipf.sample_indices_)
    share_flipped = np.isin(flipped, removed).mean()
    share_clean = np.isin(np.setdiff1d(np.arange(len(y)), flipped), removed).mean()
    assert share_flipped > 0.8 and share_flipped > 3 * share_clean
    assert ipf.n_rounds_ >= 3


def test_one_round_matches_the_definition(noisy):
    """Check a round's removals against trees fitted here on the same parts."""
    from sklearn.model_selection import StratifiedKFold

    from smotelab.utils._random import RandomStreams

    X, y, _ = noisy
    ipf = IterativePartitioningFilter(sampling_strategy="all", random_state=0, n_splits=5,
                                      n_rounds=1, threshold=1.0)  # one quiet round
    ipf.fit_resample(X, y)
    seed = int(RandomStreams.from_random_state(0).shared().integers(0, 2**31 - 1))
    wrong = np.zeros(len(y), int)
    for f, (_, part) in enumerate(StratifiedKFold(5, shuffle=True, random_state=seed)
                                  .split(X, y)):
        tree = DecisionTreeClassifier(min_samples_leaf=2, random_state=seed + f)
        wrong += tree.fit(X[part], y[part]).predict(X) != y
    assert ipf.n_rounds_ == 1 and (wrong >= 3).sum() > 0
    np.testing.assert_array_equal(ipf.sample_indices_, np.flatnonzero(wrong < 3))


def test_consensus_removes_a_subset_of_majority(noisy):
    """Check that consensus voting removes no more than majority voting in one round."""
    X, y, _ = noisy
    majority = IterativePartitioningFilter(sampling_strategy="all", random_state=0,
                                           n_rounds=1)
    consensus = IterativePartitioningFilter(sampling_strategy="all", random_state=0,
                                            n_rounds=1, voting="consensus")
    a = set(majority.fit_resample(X, y) and majority.sample_indices_)
    b = set(consensus.fit_resample(X, y) and consensus.sample_indices_)
    assert a <= b and len(b) > len(a)


def test_only_the_named_classes_lose_rows(noisy):
    """Check sampling_strategy: cleaning the majority keeps every minority row."""
    X, y, _ = noisy
    ipf = IterativePartitioningFilter(random_state=0, sampling_strategy="majority")
    _, y_res = ipf.fit_resample(X, y)
    assert (y_res == 1).sum() == (y == 1).sum() and (y_res == 0).sum() < (y == 0).sum()


def test_a_class_keeps_two_rows():
    """Check that a class the trees never predict keeps its last two rows."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    y = np.r_[np.ones(6, int), np.zeros(294, int)]
    _, y_res = IterativePartitioningFilter(sampling_strategy="all", random_state=0,
                                           n_splits=3).fit_resample(X, y)
    assert (y_res == 1).sum() >= 2


def test_smoteipf_is_smote_then_the_filter(noisy):
    """Check SMOTE-IPF: SMOTE's rows, then the filter over all rows; provenance kept."""
    X, y, _ = noisy
    s = SMOTEIPF(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    X_smote, _ = SMOTE(random_state=0).fit_resample(X, y)
    kept = np.r_[s.sample_indices_, len(X) + np.flatnonzero(s.synthetic_kept_)]
    np.testing.assert_array_equal(X_res, X_smote[kept])
    assert 0 < s.synthetic_kept_.mean() < 1 and len(s.sample_indices_) < len(X)
    assert FromCombine is SMOTEIPF and s.ipf_.n_rounds_ >= 3


@pytest.mark.parametrize(("params", "match"), [({"n_splits": 1}, "n_splits"),
                                               ({"threshold": 2.0}, "threshold"),
                                               ({"voting": "soft"}, "voting")])
def test_bad_parameters(noisy, params, match):
    """Check that bad parameters are refused by name."""
    X, y, _ = noisy
    with pytest.raises(ValueError, match=match):
        IterativePartitioningFilter(**params).fit_resample(X, y)
