"""Balanced mini-batches for Keras: ``BalancedBatchGenerator`` and ``balanced_batch_generator``.

Keras is imported only when :class:`BalancedBatchGenerator` is first asked for (``from
smotelab.keras import BalancedBatchGenerator``); the class then derives from
``keras.utils.PyDataset`` (``keras.utils.Sequence`` on older Keras, or TensorFlow's
Keras). Without Keras the name still exists, and creating one says what to install.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.utils import _safe_indexing, check_random_state

from ..tensorflow import balanced_batch_generator as _numpy_generator
from ..tensorflow._generator import resample_once

__all__ = ["balanced_batch_generator", "make_generator_class"]

_HINT = ("BalancedBatchGenerator needs Keras and a backend for it: pip install "
         "'smotelab[keras]' (Keras 3 and JAX) and set KERAS_BACKEND=jax, or install "
         "TensorFlow or PyTorch as the backend.")


def _keras_parent() -> tuple[type | None, bool]:
    """Keras's dataset base class and whether it wants ``super().__init__()``."""
    for module in ("keras", "tensorflow.keras"):
        try:
            keras = __import__(module, fromlist=["utils"])
        except ImportError:
            continue
        utils = keras.utils
        if hasattr(utils, "PyDataset"):
            return utils.PyDataset, True
        return utils.Sequence, False
    return None, False


class _Generator:
    """The batches; mixed with Keras's dataset class by :func:`make_generator_class`."""

    use_sequence_api = True  # Keras's duck-typing flag for sequences
    X: Any
    y: Any
    sample_weight: Any
    sampler: Any
    batch_size: int
    keep_sparse: bool
    random_state: Any

    def __init__(self, X: Any, y: Any, *, sample_weight: Any = None, sampler: Any = None,
                 batch_size: int = 32, keep_sparse: bool = False,
                 random_state: Any = None) -> None:
        if self._keras_init is None:
            raise ImportError(_HINT)
        if self._keras_init:
            super().__init__()  # PyDataset's workers / queue settings: the defaults
        if not isinstance(batch_size, Integral) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int; got {batch_size!r}.")
        self.X = X
        self.y = y
        self.sample_weight = sample_weight
        self.sampler = sampler
        self.batch_size = batch_size
        self.keep_sparse = keep_sparse
        self.random_state = random_state
        self._sample()

    _keras_init: bool | None = None

    def _sample(self) -> None:
        rng = check_random_state(self.random_state)
        self.sampler_, X_res, y_res, w_res = resample_once(
            self.X, self.y, self.sample_weight, self.sampler, rng)
        if hasattr(self.sampler_, "sample_indices_"):
            # a selection: batches are read from the data given, nothing is copied
            self.indices_ = np.array(self.sampler_.sample_indices_, copy=True)
            self._source = (self.X, self.y, self.sample_weight)
            rng.shuffle(self.indices_)
        else:
            # new rows (an over-sampler): batches are read from the resampled data
            self.indices_ = rng.permutation(len(y_res))
            self._source = (X_res, y_res, w_res)

    def __len__(self) -> int:
        return int(self.indices_.size // self.batch_size)

    def __getitem__(self, index: int) -> tuple:
        if not 0 <= index < len(self):
            raise IndexError(f"batch {index} out of range: there are {len(self)} batches.")
        rows = self.indices_[index * self.batch_size:(index + 1) * self.batch_size]
        X, y, w = self._source
        X_batch = _safe_indexing(X, rows)
        if sp.issparse(X_batch) and not self.keep_sparse:
            X_batch = X_batch.toarray()
        y_batch = _safe_indexing(y, rows)
        if w is None:
            return X_batch, y_batch
        return X_batch, y_batch, _safe_indexing(w, rows)


def make_generator_class() -> type:
    """Build ``BalancedBatchGenerator`` on whatever Keras is installed (or none)."""
    parent, wants_init = _keras_parent()
    bases = (_Generator,) if parent is None else (_Generator, parent)
    doc = """Keras dataset of balanced mini-batches (imbalanced-learn's class).

    The data are resampled once by ``sampler`` (any smotelab sampler: a selection is read
    from ``X`` in place, an over-sampler's rows are kept); the rows are shuffled once
    and cut into ``len(self)`` full batches (a last partial batch is left out, as in
    imbalanced-learn). Weights follow their rows.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The imbalanced data.
    y : array-like of shape (n_samples,)
        Labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Per-row weights, yielded with each batch.
    sampler : sampler, default=None
        Cloned and fitted once; ``None`` means ``RandomUnderSampler``.
    batch_size : int, default=32
        Rows per batch.
    keep_sparse : bool, default=False
        Keep sparse batches sparse.
    random_state : int, RandomState or None, default=None
        Seeds the shuffle and the default sampler.

    Attributes
    ----------
    sampler_ : sampler
        The fitted sampler.
    indices_ : ndarray
        Order of the rows read: rows of ``X`` for a selection, rows of the resampled
        data for an over-sampler.

    Examples
    --------
    >>> from smotelab.keras import BalancedBatchGenerator  # doctest: +SKIP
    >>> batches = BalancedBatchGenerator(X, y, batch_size=32)  # doctest: +SKIP
    >>> model.fit(batches, epochs=10)  # doctest: +SKIP
    """
    cls = type("BalancedBatchGenerator", bases,
               {"__doc__": doc, "__module__": "smotelab.keras",
                "_keras_init": None if parent is None else wants_init})
    return cls


def balanced_batch_generator(X: Any, y: Any, *, sample_weight: Any = None,
                             sampler: Any = None, batch_size: int = 32,
                             keep_sparse: bool = False, random_state: Any = None) -> tuple:
    """Mini-batches of a resampled data set for ``model.fit`` (needs no Keras).

    Same as :func:`smotelab.tensorflow.balanced_batch_generator` (imbalanced-learn's
    ``imblearn.keras.balanced_batch_generator`` is the same function).

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The imbalanced data.
    y : array-like of shape (n_samples,)
        Labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Per-row weights, yielded with each batch.
    sampler : sampler, default=None
        Cloned and fitted once; ``None`` means ``RandomUnderSampler``.
    batch_size : int, default=32
        Rows per batch.
    keep_sparse : bool, default=False
        Keep sparse batches sparse.
    random_state : int, RandomState or None, default=None
        Seeds the shuffle and the default sampler.

    Returns
    -------
    generator : generator of tuple
        Yields ``(X_batch, y_batch)`` or ``(X_batch, y_batch, sample_weight_batch)``.
    steps_per_epoch : int
        Number of full batches in one pass.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.keras import balanced_batch_generator
    >>> X, y = np.arange(40.0).reshape(20, 2), np.array([0] * 15 + [1] * 5)
    >>> gen, steps = balanced_batch_generator(X, y, batch_size=5, random_state=0)
    >>> steps
    2
    """
    return _numpy_generator(X, y, sample_weight=sample_weight, sampler=sampler,
                            batch_size=batch_size, keep_sparse=keep_sparse,
                            random_state=random_state)
