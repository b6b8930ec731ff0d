"""The regression samplers and metrics against generated bad and extreme input: valid
output or a clear error of smotelab's own.

Targets: skewed, with ties, tiny, constant, integer-typed, with NaN or infinity, of
magnitudes from 1e-300 to 1e300; tables as in the sampler fuzzing (float16/32/64, ints,
mixed frames, sparse, NaN cells, duplicated rows). Each sampler returns the kept input
rows unchanged and in order, then new rows with finite targets, its per-row metadata
aligned; or raises a smotelab ``ValueError``/``TypeError`` that says what is wrong.
"""

import os
import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smotelab.exceptions import SmotelabError
from smotelab.regression import (
    SMOGN,
    SMOTER,
    WERCS,
    GaussianNoiseSampler,
    RegressionRandomOverSampler,
    RegressionRandomUnderSampler,
    relevance_weighted_mae,
    relevance_weighted_mse,
    sera,
)

SAMPLERS = [SMOTER, SMOGN, WERCS, GaussianNoiseSampler, RegressionRandomOverSampler,
            RegressionRandomUnderSampler]
N_EXAMPLES = int(os.environ.get("SMOTELAB_FUZZ_EXAMPLES", "12"))
SETTINGS = settings(max_examples=N_EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def problems(draw):
    n = draw(st.integers(1, 80))
    d = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    scale = 10.0 ** draw(st.integers(-300, 300))
    X = rng.normal(size=(n, d)) * scale
    shape = draw(st.sampled_from(["lognormal", "ties", "constant", "two-tails", "tiny"]))
    if shape == "lognormal":
        y = np.exp(rng.normal(size=n) * draw(st.sampled_from([0.5, 1.0, 2.0])))
    elif shape == "ties":
        y = np.round(np.exp(rng.normal(size=n)), 0)
    elif shape == "constant":
        y = np.full(n, 3.0)
    elif shape == "two-tails":
        y = rng.standard_t(2, size=n)
    else:
        y = rng.normal(size=n) * 1e-300
    y = y * 10.0 ** draw(st.integers(-100, 100))
    if draw(st.booleans()):
        y[draw(st.integers(0, n - 1))] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    if draw(st.booleans()):
        X[draw(st.integers(0, n - 1)), draw(st.integers(0, d - 1))] = np.nan
    if draw(st.booleans()):  # duplicated rows
        X[: n // 2] = X[0]
    y_kind = draw(st.sampled_from(["float64", "float32", "int64", "series"]))
    with np.errstate(all="ignore"):
        y_out = (pd.Series(y, name="t") if y_kind == "series" else
                 y.astype(y_kind) if y_kind != "int64" else np.nan_to_num(y).astype(np.int64))
        kind = draw(st.sampled_from(["float64", "float32", "float16", "int64", "frame",
                                     "sparse"]))
        if kind == "sparse":
            return sp.csr_matrix(np.where(np.abs(X) < scale * 0.5, 0.0, X)), y_out
        if kind == "frame":
            return pd.DataFrame(X, columns=[f"c{j}" for j in range(d)]), y_out
        return X.astype(kind), y_out


def _check(cls, X, y):
    s = cls(random_state=0)
    w = np.arange(X.shape[0], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the samplers' own warnings say what they did
        try:
            X_res, y_res, meta = s.fit_resample(X, y, sample_weight=w)
        except SmotelabError as err:
            assert isinstance(err, ValueError | TypeError), type(err)
            assert len(str(err)) > 20  # a message that names the problem
            return
    X_arr, y_arr = np.asarray(X_res), np.asarray(y_res, dtype=float)
    kept = s.sample_indices_
    n_new = 0 if s.provenance_ is None else len(s.provenance_["parent"])
    assert len(X_arr) == len(y_arr) == len(kept) + n_new == len(meta["sample_weight"])
    np.testing.assert_array_equal(np.asarray(X_res)[: len(kept)], np.asarray(X)[kept])
    np.testing.assert_array_equal(y_arr[: len(kept)], np.asarray(y, dtype=float)[kept])
    assert np.isfinite(y_arr).all()
    sources = np.r_[kept, [] if s.provenance_ is None else s.provenance_["parent"]]
    np.testing.assert_array_equal(meta["sample_weight"], w[sources.astype(int)])
    if hasattr(X, "dtype") and X.dtype.kind == "f":
        assert X_res.dtype == X.dtype


@SETTINGS
@given(data=problems(), which=st.integers(0, len(SAMPLERS) - 1))
def test_regression_samplers_give_valid_output_or_a_clear_error(data, which):
    """Check every regression sampler on generated extreme and bad problems."""
    X, y = data
    _check(SAMPLERS[which], X, y)


@SETTINGS
@given(data=problems(), noise=st.floats(-1e3, 1e3))
def test_regression_metrics_give_a_number_or_a_clear_error(data, noise):
    """Check SERA and the relevance-weighted errors: a finite non-negative number, or a
    clear error of smotelab's own."""
    _, y = data
    y_true = np.asarray(y, dtype=float)
    for metric in (sera, relevance_weighted_mse, relevance_weighted_mae):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                with np.errstate(over="ignore"):
                    got = metric(y_true, y_true + noise)
            except SmotelabError as err:
                assert isinstance(err, ValueError | TypeError), type(err)
                assert len(str(err)) > 20
                continue
        assert got >= 0 and (np.isfinite(got) or not np.isfinite(y_true * noise).all()
                             or abs(noise) * np.abs(y_true).max() > 1e150)
