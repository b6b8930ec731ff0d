"""Samplers written for imbalanced-learn's base classes run on smotelab's unchanged."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import Interval

from smotelab.base import BaseSampler, SamplerMixin
from smotelab.pipeline import make_pipeline


class KeepEveryOther(BaseSampler):
    """An under-sampler as imbalanced-learn users write one."""

    _sampling_type = "under-sampling"
    _parameter_constraints = {**BaseSampler._parameter_constraints,
                              "step": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, sampling_strategy="auto", step=2):
        super().__init__(sampling_strategy=sampling_strategy)
        self.step = step

    def _fit_resample(self, X, y, **params):
        assert isinstance(X, np.ndarray) and X.dtype.kind == "f"  # validated arrays
        self.seen_params_ = params
        return X[:: self.step], y[:: self.step]


class MixedIn(SamplerMixin, BaseEstimator):
    """A sampler built on imbalanced-learn's mixin instead of its base class."""

    _sampling_type = "bypass"
    _parameter_constraints: dict = {}

    def _fit_resample(self, X, y):
        return X[:5], y[:5]


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 3)), np.array([0, 1] * 20)


def test_imbalanced_learn_style_subclass():
    """Check arrays in, params passed on, containers restored, parameters validated."""
    X, y = _data()
    s = KeepEveryOther(step=4)
    X_res, y_res = s.fit_resample(X, y)
    assert X_res.shape == (10, 3) and s.sampling_strategy_  # the plan was built
    s.fit_resample(X, y, foo=1)
    assert s.seen_params_ == {"foo": 1}
    df = pd.DataFrame(X, columns=["a", "b", "c"]).astype({"c": "float32"})
    X_df, y_s = s.fit_resample(df, pd.Series(y, name="label"))
    assert list(X_df.columns) == ["a", "b", "c"] and X_df.dtypes["c"] == "float32"
    assert y_s.name == "label" and len(y_s) == 10
    onehot = np.eye(2)[y]
    assert s.fit_resample(X, onehot)[1].shape == (10, 2)
    try:
        KeepEveryOther(step=0).fit_resample(X, y)
    except ValueError as err:
        assert "step" in str(err)
    else:
        raise AssertionError("step=0 was accepted")


def test_mixin_subclass_in_a_pipeline():
    """Check a SamplerMixin sampler: tags, and a Pipeline step resampling only in fit."""
    X, y = _data()
    s = MixedIn()
    assert s.__sklearn_tags__().estimator_type == "sampler"
    model = make_pipeline(MixedIn(), LogisticRegression()).fit(X, y)
    assert model[-1].n_features_in_ == 3 and len(model.predict(X)) == len(X)
