"""The Pipeline: samplers act only while fitting."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score, cross_validate
from sklearn.preprocessing import StandardScaler

from smotelab import FunctionSampler
from smotelab.over_sampling import SMOTE, RandomOverSampler
from smotelab.pipeline import Pipeline, make_pipeline


class _Recorder(ClassifierMixin, BaseEstimator):
    """A classifier that records how many rows it was fitted and asked to predict on."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.n_fit_ = len(X)
        self.fit_counts_ = np.bincount(np.searchsorted(self.classes_, y))
        return self

    def predict(self, X):
        self.n_predict_ = len(X)
        return np.full(len(X), self.classes_[0])


@pytest.fixture
def data():
    return make_classification(n_samples=300, weights=[0.9], random_state=0)


def test_sampler_resamples_in_fit_only(data):
    """Check that fit sees the resampled rows and predict sees the original rows."""
    X, y = data
    pipe = make_pipeline(StandardScaler(), SMOTE(random_state=0), _Recorder())
    pipe.fit(X, y)
    rec = pipe[-1]
    assert rec.n_fit_ == 2 * np.bincount(y).max()
    assert rec.fit_counts_[0] == rec.fit_counts_[1]
    pipe.predict(X[:17])
    assert rec.n_predict_ == 17


def test_no_synthetic_row_reaches_a_test_fold(data):
    """Check that in cross-validation each test fold is exactly the original fold."""
    X, y = data
    pipe = make_pipeline(RandomOverSampler(random_state=0), _Recorder())
    res = cross_validate(pipe, X, y, cv=5, return_estimator=True)
    for est in res["estimator"]:
        assert est[-1].n_predict_ == len(X) // 5


def test_cross_val_score_and_grid_search_tune_sampler_parameters(data):
    """Check GridSearchCV over smote__k_neighbors and cross_val_score."""
    X, y = data
    pipe = make_pipeline(SMOTE(random_state=0), LogisticRegression())
    assert len(cross_val_score(pipe, X, y, cv=3, scoring="f1")) == 3
    grid = GridSearchCV(pipe, {"smote__k_neighbors": [2, 5]}, cv=3, scoring="f1").fit(X, y)
    assert grid.best_params_["smote__k_neighbors"] in (2, 5)
    assert grid.best_estimator_.named_steps["smote"].k_neighbors in (2, 5)


def test_clone_and_params_round_trip(data):
    """Check clone and nested get_params/set_params."""
    pipe = make_pipeline(SMOTE(k_neighbors=3), LogisticRegression())
    c = clone(pipe)
    assert c.get_params()["smote__k_neighbors"] == 3
    c.set_params(smote__k_neighbors=4)
    assert c.named_steps["smote"].k_neighbors == 4


def test_fit_resample_when_the_last_step_is_a_sampler(data):
    """Check that a Pipeline ending with a sampler exposes fit_resample."""
    X, y = data
    pipe = Pipeline([("scale", StandardScaler()), ("smote", SMOTE(random_state=0))])
    X_res, y_res = pipe.fit_resample(X, y)
    assert len(X_res) == 2 * np.bincount(y).max()
    np.testing.assert_allclose(X_res[: len(X)], StandardScaler().fit_transform(X))


def test_transformers_after_a_sampler_and_fit_params(data):
    """Check transformers after the sampler, fit params routing, fit_transform and score."""
    X, y = data
    pipe = Pipeline([("smote", SMOTE(random_state=0)), ("pca", PCA(2)),
                     ("clf", LogisticRegression())])
    w = np.ones(len(X) * 2)
    with pytest.raises(ValueError, match="step__parameter"):
        pipe.fit(X, y, sample_weight=w)
    pipe.fit(X, y)
    assert 0 <= pipe.score(X, y) <= 1
    assert pipe[:-1].fit_transform(X, y).shape == (2 * np.bincount(y).max(), 2)


def test_function_sampler_in_pipeline(data):
    """Check a FunctionSampler step and its pass-through of the original objects."""
    X, y = data
    seen = {}

    def first_half(X, y):
        seen["type"] = type(X)
        return X[:150], y[:150]

    pipe = make_pipeline(FunctionSampler(func=first_half), _Recorder()).fit(X, y)
    assert pipe[-1].n_fit_ == 150 and seen["type"] is np.ndarray


def test_bad_steps_are_refused():
    """Check that an intermediate step that neither transforms nor resamples is refused."""
    with pytest.raises(TypeError, match="samplers"):
        Pipeline([("clf", LogisticRegression()), ("clf2", LogisticRegression())]).fit(
            [[0.0], [1.0]], [0, 1])
