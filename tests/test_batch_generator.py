"""smotelab.tensorflow.balanced_batch_generator: balanced numpy batches, weights following."""

import numpy as np
import pytest
import scipy.sparse as sp

from smotelab.over_sampling import SMOTE
from smotelab.tensorflow import balanced_batch_generator
from smotelab.under_sampling import RandomUnderSampler


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(200, 4)), np.array([0] * 170 + [1] * 30)


def test_one_epoch_is_the_resampled_set_shuffled(data):
    """Check an epoch: every resampled row once, balanced, shuffled, then it starts over."""
    X, y = data
    gen, steps = balanced_batch_generator(X, y, batch_size=12, random_state=0)
    assert steps == 60 // 12
    epoch = [next(gen) for _ in range(steps)]
    Xs = np.vstack([b[0] for b in epoch])
    ys = np.concatenate([b[1] for b in epoch])
    assert np.bincount(ys).tolist() == [30, 30]
    assert len(np.unique(Xs, axis=0)) == 60  # distinct rows, none twice
    assert not np.array_equal(ys, np.sort(ys))  # classes mixed
    again = [next(gen) for _ in range(steps)]
    np.testing.assert_array_equal(np.vstack([b[0] for b in again]), Xs)


def test_over_sampler_with_weights_and_one_hot(data):
    """Check any sampler (SMOTE), weights that follow their rows, one-hot labels."""
    X, y = data
    w = np.where(y == 1, 3.0, 1.0)
    onehot = np.eye(2)[y]
    gen, steps = balanced_batch_generator(X, onehot, sample_weight=w,
                                          sampler=SMOTE(random_state=0), batch_size=34,
                                          random_state=1)
    assert steps == 340 // 34
    batches = [next(gen) for _ in range(steps)]
    for X_b, y_b, w_b in batches:
        assert X_b.shape == (34, 4) and y_b.shape == (34, 2)
        np.testing.assert_array_equal(w_b, np.where(y_b[:, 1] == 1, 3.0, 1.0))


def test_sparse_batches_and_bad_input(data):
    """Check keep_sparse both ways, the default sampler's seed, and a bad batch size."""
    X, y = data
    Xs = sp.csr_matrix(np.where(np.abs(X) < 1, 0.0, X))
    dense, _ = balanced_batch_generator(Xs, y, random_state=0)
    assert isinstance(next(dense)[0], np.ndarray)
    kept, _ = balanced_batch_generator(Xs, y, keep_sparse=True, random_state=0)
    assert sp.issparse(next(kept)[0])
    a, _ = balanced_batch_generator(X, y, sampler=RandomUnderSampler(random_state=3),
                                    random_state=5)
    b, _ = balanced_batch_generator(X, y, sampler=RandomUnderSampler(random_state=3),
                                    random_state=5)
    np.testing.assert_array_equal(next(a)[0], next(b)[0])
    with pytest.raises(ValueError, match="batch_size"):
        balanced_batch_generator(X, y, batch_size=0)
