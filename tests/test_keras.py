"""smotelab.keras against the real Keras 3 (JAX backend): a PyDataset that model.fit reads."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import sparse  # noqa: E402

from smotelab.keras import _generator  # noqa: E402
from smotelab.over_sampling import SMOTE  # noqa: E402


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def _data(n_major=90, n_minor=10):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(n_major, 4)), rng.normal(2, 1, size=(n_minor, 4))])
    return X.astype(np.float32), np.array([0] * n_major + [1] * n_minor)


def test_is_a_keras_dataset_of_balanced_batches(keras):
    """Check the class derives from PyDataset and an epoch's batches are balanced."""
    from smotelab.keras import BalancedBatchGenerator

    assert issubclass(BalancedBatchGenerator, keras.utils.PyDataset)
    X, y = _data()
    gen = BalancedBatchGenerator(X, y, batch_size=4, random_state=0)
    assert len(gen) == 20 // 4
    seen = np.concatenate([gen[i][1] for i in range(len(gen))])
    assert np.bincount(seen).tolist() == [10, 10]
    rows = gen.indices_
    np.testing.assert_array_equal(gen[0][0], X[rows[:4]])
    with pytest.raises(IndexError):
        gen[len(gen)]
    again = BalancedBatchGenerator(X, y, batch_size=4, random_state=0)
    np.testing.assert_array_equal(again.indices_, gen.indices_)


def test_weights_follow_rows_and_over_samplers_work(keras):
    """Check sample weights ride with their rows, and SMOTE's new rows are batched."""
    from smotelab.keras import BalancedBatchGenerator

    X, y = _data()
    w = np.arange(len(y), dtype=float)
    gen = BalancedBatchGenerator(X, y, sample_weight=w, batch_size=10, random_state=0)
    Xb, yb, wb = gen[0]
    np.testing.assert_array_equal(Xb, X[wb.astype(int)])
    smote = BalancedBatchGenerator(X, y, sampler=SMOTE(random_state=0), batch_size=30,
                                   random_state=0)
    assert len(smote) == 180 // 30
    labels = np.concatenate([smote[i][1] for i in range(len(smote))])
    assert np.bincount(labels).tolist() == [90, 90]


def test_sparse_batches(keras):
    """Check sparse input gives dense batches, or sparse ones with keep_sparse."""
    from smotelab.keras import BalancedBatchGenerator

    X, y = _data()
    Xs = sparse.csr_matrix(np.where(X > 0.5, X, 0))
    dense = BalancedBatchGenerator(Xs, y, batch_size=5, random_state=0)[0][0]
    kept = BalancedBatchGenerator(Xs, y, batch_size=5, keep_sparse=True, random_state=0)[0][0]
    assert isinstance(dense, np.ndarray) and sparse.issparse(kept)
    np.testing.assert_array_equal(kept.toarray(), dense)


def test_model_fit_reads_it(keras):
    """Check Keras trains a small model from the generator and from the plain generator."""
    from smotelab.keras import BalancedBatchGenerator, balanced_batch_generator

    keras.utils.set_random_seed(0)
    X, y = _data()
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    history = model.fit(BalancedBatchGenerator(X, y, batch_size=5, random_state=0),
                        epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    gen, steps = balanced_batch_generator(X, y, batch_size=5, random_state=0)
    history = model.fit(gen, steps_per_epoch=steps, epochs=1, shuffle=False, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_without_keras_the_error_says_what_to_install(monkeypatch):
    """Check the name exists without Keras, and creating one gives the install hint."""
    monkeypatch.setattr(_generator, "_keras_parent", lambda: (None, False))
    cls = _generator.make_generator_class()
    X, y = _data()
    with pytest.raises(ImportError, match=r"smotelab\[keras\]"):
        cls(X, y)


def test_bad_batch_size(keras):
    """Check a batch size that is not a positive int is refused."""
    from smotelab.keras import BalancedBatchGenerator

    X, y = _data()
    with pytest.raises(ValueError, match="batch_size"):
        BalancedBatchGenerator(X, y, batch_size=0)
