"""Every sampler against generated bad and extreme input: valid output or a clear error.

Frames of float16/32/64, ints, nullable ints, booleans and categoricals; NaN, infinity
and None cells; constant, duplicated and near-duplicate rows; classes of one or two
samples; magnitudes from 1e-300 to 1e300; sparse matrices. Each sampler either returns
valid output (the counts its plan promises, the input rows first and unchanged, finite
values, float dtypes kept) or raises a ``ValueError``/``TypeError`` of smotelab's own
(``SmotelabError``), never another exception, warning or hang.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from smotelab.exceptions import SmotelabError
from smotelab.over_sampling import SMOTENC
from smotelab.utils._tags import sampler_tags
from smotelab.utils.discovery import all_samplers
from tests.test_common import INIT_PARAMS

SAMPLERS = [(name, cls(**INIT_PARAMS.get(name, [{}])[0])) for name, cls in all_samplers()
            if name != "SMOTENC"]
# SMOTE-NC finds the categorical columns itself (none in a numeric table: a clear error)
SAMPLERS.append(("SMOTENC", SMOTENC(categorical_features="auto", random_state=0)))
N_EXAMPLES = int(__import__("os").environ.get("SMOTELAB_FUZZ_EXAMPLES", "12"))


@st.composite
def tables(draw):
    n_classes = draw(st.integers(2, 3))
    sizes = [draw(st.integers(1, 30)) for _ in range(n_classes)]
    n = sum(sizes)
    y = np.repeat(np.arange(n_classes), sizes)
    d = draw(st.integers(1, 4))
    scale = 10.0 ** draw(st.integers(-300, 300))
    kind = draw(st.sampled_from(["float64", "float32", "float16", "int64", "mixed",
                                 "sparse"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = rng.normal(size=(n, d)) * scale
    if draw(st.booleans()):  # duplicated and near-duplicate rows
        X[: n // 2] = X[0]
        X[n // 2:] += X[0] * 1e-12
    if draw(st.booleans()):  # a constant column
        X[:, 0] = 1.0
    bad = draw(st.sampled_from([None, np.nan, np.inf, -np.inf]))
    if bad is not None and draw(st.booleans()):
        X[draw(st.integers(0, n - 1)), draw(st.integers(0, d - 1))] = bad
    with np.errstate(all="ignore"):
        if kind == "sparse":
            return sp.csr_matrix(np.where(np.abs(X) < scale * 0.5, 0.0, X)), y
        if kind == "mixed":
            frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(d)])
            frame["n"] = pd.array(rng.integers(0, 5, n), dtype="Int64")
            if draw(st.booleans()):
                frame.loc[0, "n"] = None
            frame["b"] = rng.random(n) < 0.5
            frame["cat"] = pd.Categorical(rng.choice(["r", "g"], n))
            return frame, y
        return X.astype(kind), y


def _same(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    return bool(a == b)


def _check(sampler, X, y):
    s = clone(sampler)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # samplers' own warnings say what they did
        try:
            X_res, y_res = s.fit_resample(X, y)[:2]
        except SmotelabError as err:
            assert isinstance(err, ValueError | TypeError), type(err)
            assert len(str(err)) > 20  # a message that names the problem
            return
    n = X.shape[0]
    X_res_arr = X_res.toarray() if sp.issparse(X_res) else np.asarray(X_res)
    assert len(y_res) == X_res_arr.shape[0]
    tags = sampler_tags(s)
    if tags.sampling_type == "over-sampling" and not tags.combines:
        X_arr = X.toarray() if sp.issparse(X) else np.asarray(X)
        # the input rows first, unchanged (missing cells stay missing)
        assert all(_same(a, b) for a, b in zip(X_res_arr[:n].ravel(), X_arr.ravel(),
                                                strict=True))
        added = {c: int((np.asarray(y_res) == c).sum() - (y == c).sum()) for c in set(y)}
        assert {c: v for c, v in added.items() if v} == {
            c: v for c, v in dict(s.sampling_strategy_).items() if v}
    if X_res_arr.dtype.kind == "f":
        assert np.isfinite(X_res_arr).all() or not np.isfinite(
            X.toarray() if sp.issparse(X) else np.asarray(X, dtype=float)).all()
    if hasattr(X, "dtype") and X.dtype.kind == "f" and not sp.issparse(X):
        assert X_res.dtype == X.dtype


@pytest.mark.parametrize(("name", "sampler"), SAMPLERS, ids=[n for n, _ in SAMPLERS])
@settings(max_examples=N_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=tables())
def test_valid_output_or_a_clear_error(name, sampler, data):
    """Check a sampler on generated extreme and bad tables."""
    X, y = data
    _check(sampler, X, y)


@settings(max_examples=N_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=tables())
def test_imbalance_search_valid_output_or_a_clear_error(data):
    """Check ImbalanceSearchCV on the same tables: a fitted classifier whose predictions
    have one label per row, or a clear error of smotelab's own."""
    from sklearn.linear_model import LogisticRegression

    from smotelab.model_selection import ImbalanceSearchCV
    from smotelab.over_sampling import SMOTE

    X, y = data
    methods = ["threshold", "class_weight", SMOTE(random_state=0)]
    search = ImbalanceSearchCV(LogisticRegression(), methods=methods, n_repeats=1,
                               random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            search.fit(X, y)
        except SmotelabError as err:
            assert isinstance(err, ValueError | TypeError), type(err)
            assert len(str(err)) > 20
            return
        pred = search.predict(X)
    assert len(pred) == len(y) and set(np.unique(pred)) <= set(np.unique(y))
    assert len(search.cv_results_["name"]) == len(methods)


@settings(max_examples=N_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=tables())
def test_auto_sampler_valid_output_or_a_clear_error(data):
    """Check AutoSampler (two candidates, so the search stays quick) on the same tables,
    with the samplers' invariants."""
    from smotelab.model_selection import AutoSampler
    from smotelab.over_sampling import SMOTE, RandomOverSampler

    X, y = data
    auto = AutoSampler([SMOTE(random_state=0), RandomOverSampler(random_state=0)],
                       n_repeats=1, random_state=0)
    _check(auto, X, y)
