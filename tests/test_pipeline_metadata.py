"""Metadata in the Pipeline: scikit-learn's routing, and per-row metadata following the rows."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from joblib import Memory
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.preprocessing import StandardScaler

from smotelab import FunctionSampler
from smotelab.exceptions import MetadataResamplingError
from smotelab.over_sampling import SMOTE
from smotelab.pipeline import Pipeline, make_pipeline
from smotelab.under_sampling import RandomUnderSampler
from smotelab.utils import resample_like
from smotelab.utils.discovery import all_samplers
from tests.test_common import INIT_PARAMS


class _WeightRecorder(ClassifierMixin, BaseEstimator):
    """Records the rows and weights it was fitted on."""

    def fit(self, X, y, sample_weight=None):
        self.classes_ = np.unique(y)
        self.X_, self.y_, self.sample_weight_ = np.asarray(X), np.asarray(y), sample_weight
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


@pytest.fixture
def data():
    X, y = make_classification(n_samples=240, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=3, weights=[0.6, 0.28, 0.12], random_state=0)
    return X, y


def _sampler_params():
    for name, cls in all_samplers():
        params = INIT_PARAMS[name][0]
        if name == "SMOTENC":
            continue  # needs categorical columns; the common checks cover it
        yield pytest.param(cls, params, id=name)


@pytest.mark.parametrize(("cls", "params"), list(_sampler_params()))
@pytest.mark.parametrize("routed", [True, False], ids=["routing", "step__param"])
def test_sample_weight_follows_the_rows_of_every_sampler(cls, params, routed, data):
    """Check that the final step gets one weight per resampled row: its source row's."""
    X, y = data
    ids = np.arange(len(y), dtype=float)  # a weight that names its row
    sampler = cls(**params)
    if cls.__name__ == "SMOTEN":
        X = np.floor(X).astype(int)
    with sklearn.config_context(enable_metadata_routing=routed):
        clf = _WeightRecorder()
        if routed:
            clf.set_fit_request(sample_weight=True)
            model = make_pipeline(sampler, clf).fit(X, y, sample_weight=ids)
        else:
            model = make_pipeline(sampler, clf).fit(X, y, _weightrecorder__sample_weight=ids)
    fitted = model[-1]
    w = fitted.sample_weight_
    assert len(w) == len(fitted.y_)
    src = w.astype(int)
    assert np.array_equal(fitted.y_, y[src])
    expected = resample_like(model[0], ids)
    assert np.array_equal(w, expected)


def test_routing_without_metadata_and_grid_search(routing, data):
    """Check that a routed Pipeline fits without metadata and inside GridSearchCV."""
    X, y = data
    model = make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression())
    model.fit(X, y)
    search = GridSearchCV(model, {"smote__k_neighbors": [2, 4]}, cv=3).fit(X, y)
    assert search.best_params_["smote__k_neighbors"] in (2, 4)


def test_cross_validated_score_uses_the_resampled_weights(routing, data):
    """Check a weighted, routed cross-validation against the same folds done by hand."""
    X, y = data
    y = (y == 2).astype(int)
    w = np.random.default_rng(1).uniform(0.1, 3.0, len(y))
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    clf = LogisticRegression().set_fit_request(sample_weight=True)
    clf.set_score_request(sample_weight=True)
    model = make_pipeline(SMOTE(random_state=0), clf)
    routed = cross_val_score(model, X, y, cv=cv, params={"sample_weight": w})
    by_hand, unweighted = [], []
    for train, test in cv.split(X, y):
        sm = SMOTE(random_state=0)
        X_res, y_res = sm.fit_resample(X[train], y[train])
        w_res = resample_like(sm, w[train])
        by_hand.append(LogisticRegression().fit(X_res, y_res, sample_weight=w_res)
                       .score(X[test], y[test], sample_weight=w[test]))
        unweighted.append(LogisticRegression().fit(X_res, y_res)
                          .score(X[test], y[test], sample_weight=w[test]))
    np.testing.assert_allclose(routed, by_hand)
    assert not np.allclose(routed, unweighted)  # the weights were really used


def test_unrequested_metadata_is_refused(routing, data):
    """Check scikit-learn's rule: metadata nobody requested is an error, not ignored."""
    X, y = data
    model = make_pipeline(SMOTE(random_state=0), LogisticRegression())
    with pytest.raises(sklearn.exceptions.UnsetMetadataPassedError):
        model.fit(X, y, sample_weight=np.ones(len(y)))


def test_fit_resample_returns_resampled_metadata(data):
    """Check fit_resample(X, y, **params): per-row values resampled, containers and other
    values kept, and the same as resample_like."""
    X, y = data
    w = pd.Series(np.arange(len(y), dtype=float), name="w")
    sm = RandomUnderSampler(random_state=0)
    X_res, y_res, params = sm.fit_resample(X, y, sample_weight=w, groups=list(range(len(y))),
                                           scale=2.0, other=np.ones(3))
    assert isinstance(params["sample_weight"], pd.Series)
    np.testing.assert_array_equal(params["sample_weight"].to_numpy(), sm.sample_indices_)
    assert params["groups"] == sm.sample_indices_.tolist()
    assert params["scale"] == 2.0 and len(params["other"]) == 3
    assert len(sm.fit_resample(X, y)) == 2
    np.testing.assert_array_equal(resample_like(sm, w).to_numpy(), sm.sample_indices_)
    with pytest.raises(MetadataResamplingError, match="fitted on 240 rows"):
        resample_like(sm, w[:10])


def test_function_sampler_metadata(data):
    """Check that a same-size function keeps metadata in place and a resizing one refuses
    it with a clear error."""
    X, y = data
    w = np.arange(len(y), dtype=float)
    same = FunctionSampler(func=lambda X, y: (X * 2, y))
    assert np.array_equal(same.fit_resample(X, y, sample_weight=w)[2]["sample_weight"], w)
    shrink = FunctionSampler(func=lambda X, y: (X[:10], y[:10]))
    with pytest.raises(MetadataResamplingError, match="240 rows into 10"):
        shrink.fit_resample(X, y, sample_weight=w)


class _CountingScaler(TransformerMixin, BaseEstimator):
    fits = 0

    def fit(self, X, y=None):
        type(self).fits += 1
        self.mean_ = np.asarray(X).mean(axis=0)
        return self

    def transform(self, X):
        return np.asarray(X) - self.mean_


def test_memory_caches_transformers_and_refits_samplers(tmp_path, data):
    """Check that memory= caches transformer fits while sampler steps are refitted."""
    X, y = data
    _CountingScaler.fits = 0
    memory = Memory(location=str(tmp_path), verbose=0)
    model = Pipeline([("scale", _CountingScaler()), ("smote", SMOTE(random_state=0)),
                      ("clf", _WeightRecorder())], memory=memory)
    model.fit(X, y)
    first = model[-1].X_.copy()
    model.set_params(smote__random_state=1).fit(X, y)
    assert _CountingScaler.fits == 1  # the second fit loaded the scaler from the cache
    assert len(model[-1].X_) == len(first) and not np.array_equal(model[-1].X_, first)
    with pytest.raises(ValueError, match="memory"):
        Pipeline([("smote", SMOTE()), ("clf", _WeightRecorder())], memory=3).fit(X, y)


class _UsesValidation(_WeightRecorder):
    def fit(self, X, y, X_val=None):
        self.X_val_ = X_val
        return super().fit(X, y)


def test_transform_input_skips_samplers(routing, data):
    """Check transform_input: a validation set passes through the transformers only."""
    X, y = data
    X_val = X[:7] + 1.0
    clf = _UsesValidation().set_fit_request(X_val=True)
    model = Pipeline([("scale", StandardScaler()), ("smote", SMOTE(random_state=0)),
                      ("clf", clf)], transform_input=["X_val"])
    model.fit(X, y, X_val=X_val)
    np.testing.assert_allclose(model[-1].X_val_, model[0].transform(X_val))
    with sklearn.config_context(enable_metadata_routing=False), pytest.raises(
            ValueError, match="transform_input"):
        clone(model).fit(X, y)


def test_verbose_logs_every_step(capsys, data):
    """Check that verbose prints every step, a 'passthrough' one included."""
    X, y = data
    Pipeline([("smote", SMOTE(random_state=0)), ("skip", "passthrough"),
              ("clf", LogisticRegression())], verbose=True).fit(X, y)
    out = capsys.readouterr().out
    for i, name in enumerate(["smote", "skip", "clf"], start=1):
        assert f"(step {i} of 3) Processing {name}" in out


def test_fit_predict_only_when_the_last_step_has_it():
    """Check that fit_predict exists only when the final step can fit_predict."""
    assert not hasattr(make_pipeline(SMOTE(), LogisticRegression()), "fit_predict")
    assert not hasattr(make_pipeline(SMOTE(), "passthrough"), "fit_predict")


def test_transform_skips_a_last_sampler(data):
    """Check that a Pipeline ending in a sampler transforms with the steps before it."""
    X, y = data
    model = make_pipeline(StandardScaler(), SMOTE(random_state=0)).fit(X, y)
    np.testing.assert_allclose(model.transform(X), model[0].transform(X))
    with pytest.raises(ValueError, match="metadata routing"):
        model.transform(X, copy=True)


@pytest.mark.parametrize(("cls", "params"), list(_sampler_params()))
@pytest.mark.parametrize("name", ["sample_weight", "groups"])
def test_per_row_metadata_of_another_length_is_refused(cls, params, name, data):
    """Check a per-row parameter with a value count other than X's rows fails, naming the
    parameter and both lengths, before anything is fitted."""
    X, y = data
    sampler = cls(**params)
    with pytest.raises(MetadataResamplingError, match=rf"{name} has 10 values but X has 240"):
        sampler.fit_resample(X, y, **{name: np.ones(10)})
    assert not hasattr(sampler, "sampling_strategy_")
    assert not hasattr(sampler, "n_features_in_")


def test_pipeline_refuses_per_row_metadata_of_another_length(routing, data):
    """Check a Pipeline refuses a routed sample_weight of the wrong length with the
    same message before it reaches the classifier."""
    X, y = data
    model = make_pipeline(SMOTE(random_state=0),
                          LogisticRegression().set_fit_request(sample_weight=True))
    with pytest.raises(MetadataResamplingError, match="sample_weight has 7 values"):
        model.fit(X, y, sample_weight=np.ones(7))
