"""The public surface beyond the samplers, against generated bad and extreme input: the
four ensembles (fit, predict, predict_proba, with weights), the classification metrics,
``resample_like`` and ``estimate_resampling``. Each gives valid output (one prediction
per row, probabilities that sum to one, a finite score, rows and weights aligned) or a
``ValueError``/``TypeError`` that names the problem; never an error from inside numpy,
scipy or scikit-learn that a user cannot act on.
"""

import os
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.utils._param_validation import InvalidParameterError

from smotelab.ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
)
from smotelab.exceptions import SmotelabError
from tests.test_fuzz import tables

N_EXAMPLES = int(os.environ.get("SMOTELAB_FUZZ_EXAMPLES", "12"))
SETTINGS = settings(max_examples=N_EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ENSEMBLES = [
    lambda: BalancedBaggingClassifier(n_estimators=3, random_state=0),
    lambda: BalancedRandomForestClassifier(n_estimators=3, random_state=0),
    lambda: EasyEnsembleClassifier(n_estimators=2, random_state=0),
    lambda: RUSBoostClassifier(n_estimators=3, random_state=0),
]


def _clear(err: BaseException) -> None:
    """A refusal must be smotelab's own (or scikit-learn's own input check), and say
    something."""
    from sklearn.exceptions import NotFittedError

    ours = isinstance(err, SmotelabError | InvalidParameterError | NotFittedError)
    sklearn_check = isinstance(err, ValueError) and any(
        word in str(err) for word in ("NaN", "infinity", "could not convert", "sparse",
                                      "Input contains", "dtype", "least", "class"))
    assert ours or sklearn_check, f"{type(err).__name__}: {err}"
    assert isinstance(err, ValueError | TypeError), type(err)
    assert len(str(err)) > 20


@SETTINGS
@given(data=tables(), which=st.integers(0, len(ENSEMBLES) - 1), weighted=st.booleans())
def test_ensembles_predict_every_row_or_say_why(data, which, weighted):
    """Check each ensemble on generated tables: one prediction per row among the
    classes, probabilities in [0, 1] summing to one; with weights, the same."""
    X, y = data
    model = ENSEMBLES[which]()
    kwargs = {"sample_weight": np.linspace(0.5, 2, len(y))} if weighted else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model.fit(X, y, **kwargs)
            pred = model.predict(X)
            proba = model.predict_proba(X)
        except (ValueError, TypeError) as err:
            _clear(err)
            return
    assert len(pred) == len(y) and set(np.unique(pred)) <= set(np.unique(y))
    assert proba.shape == (len(y), len(np.unique(y)))
    assert np.isfinite(proba).all() and (proba >= 0).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)


@SETTINGS
@given(y=st.lists(st.sampled_from([0, 1, 2, "a"]), min_size=0, max_size=40),
       noise=st.integers(0, 2**16), weights=st.sampled_from([None, "ok", "short", "nan"]))
def test_classification_metrics_score_or_say_why(y, noise, weights):
    """Check the imbalanced metrics on generated labels (mixed types, one class, empty,
    weights of the wrong length or NaN): a finite score in [0, 1] or a clear error."""
    from smotelab.metrics import (
        geometric_mean_score,
        macro_averaged_mean_absolute_error,
        sensitivity_score,
        specificity_score,
    )

    y_true = np.asarray(y, dtype=object)
    pred = np.random.default_rng(noise).permutation(y_true)
    w = {None: None, "ok": np.ones(len(y_true)), "short": np.ones(max(len(y_true) - 1, 0)),
         "nan": np.full(len(y_true), np.nan)}[weights]
    for metric in (geometric_mean_score, sensitivity_score, specificity_score,
                   macro_averaged_mean_absolute_error):
        kwargs = {} if metric is macro_averaged_mean_absolute_error else {
            "average": "macro"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                got = metric(y_true, pred, sample_weight=w, **kwargs)
            except (ValueError, TypeError) as err:
                _clear(err)
                continue
        got = np.asarray(got, dtype=float)
        assert np.isfinite(got).all() or len(y_true) == 0
        if metric is not macro_averaged_mean_absolute_error:
            assert ((got >= 0) & (got <= 1)).all()


@SETTINGS
@given(data=tables(), extra=st.sampled_from(["ok", "short", "none"]))
def test_resample_like_and_estimate_or_say_why(data, extra):
    """Check resample_like carries per-row values with the rows the sampler kept or made
    (or refuses a wrong length), and estimate_resampling answers without resampling."""
    from smotelab.over_sampling import SMOTE
    from smotelab.utils import estimate_resampling, resample_like

    X, y = data
    sampler = SMOTE(k_neighbors=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            est = estimate_resampling(sampler, X, y)
        except (ValueError, TypeError) as err:
            _clear(err)
            return
        assert est.rows_to_add >= 0 and est.n_rows_out == len(y) + est.rows_to_add
        try:
            sampler.fit_resample(X, y)
        except (ValueError, TypeError) as err:
            _clear(err)
            return
        values = {"ok": np.arange(len(y)), "short": np.arange(len(y) - 1),
                  "none": None}[extra]
        if values is None:
            return
        try:
            got = resample_like(sampler, values)
        except (ValueError, TypeError) as err:
            assert extra == "short"
            _clear(err)
            return
    assert extra == "ok"
    sources = np.r_[np.arange(len(y)), sampler.provenance_["parent"]]
    np.testing.assert_array_equal(np.asarray(got), sources)

