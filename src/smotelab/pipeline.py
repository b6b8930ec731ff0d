"""A Pipeline whose samplers act only while fitting.

Samplers (objects with ``fit_resample``) resample the training data inside ``fit``;
at ``predict``, ``transform``, ``score`` and friends they are skipped, so in
cross-validation no synthetic row ever reaches a test fold.

>>> from sklearn.datasets import make_classification
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.model_selection import cross_val_score
>>> from smotelab.over_sampling import SMOTE
>>> from smotelab.pipeline import make_pipeline
>>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
>>> model = make_pipeline(SMOTE(random_state=0), LogisticRegression())
>>> scores = cross_val_score(model, X, y, cv=3, scoring="f1")
>>> len(scores)
3
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from sklearn import pipeline as _skpipeline
from sklearn.utils.metaestimators import available_if

from .base import is_sampler
from .utils._compat import name_estimators, print_elapsed_time

__all__ = ["Pipeline", "make_pipeline"]


def _final_has(attr: str):
    def check(self: Pipeline) -> bool:
        final = self._final_estimator
        return final == "passthrough" or hasattr(final, attr)

    return check


class Pipeline(_skpipeline.Pipeline):
    """scikit-learn's Pipeline, with samplers allowed as intermediate (or last) steps.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Transformers and samplers, then a final estimator (or sampler). A step may be
        ``'passthrough'`` or ``None``.
    transform_input : list of str, default=None
        As in scikit-learn (requires metadata routing, which this Pipeline does not
        implement for samplers; leave it as None).
    memory : str or object with the joblib.Memory interface, default=None
        Not supported for sampler steps (resampling is cheap to redo and its
        randomness should not be cached); transformers are fitted uncached as well.
    verbose : bool, default=False
        Print the time of each step.

    Notes
    -----
    Parameters for a step's ``fit`` are passed as ``step__param=value``. Metadata
    routing (``sklearn.set_config(enable_metadata_routing=True)``) is not supported.
    """

    def _validate_steps(self) -> None:
        if not self.steps:
            raise ValueError("The pipeline is empty. Please add steps.")
        names, estimators = zip(*self.steps, strict=True)
        self._validate_names(names)
        for t in estimators[:-1]:
            if t is None or t == "passthrough":
                continue
            if is_sampler(t):
                if hasattr(t, "transform"):
                    raise TypeError(
                        f"Step {t!r} both resamples and transforms; a step must do one "
                        "or the other."
                    )
                continue
            if not (hasattr(t, "fit") or hasattr(t, "fit_transform")) or not hasattr(
                t, "transform"
            ):
                raise TypeError(
                    "All intermediate steps should be transformers (fit and transform), "
                    f"samplers (fit_resample) or 'passthrough'; {t!r} (type "
                    f"{type(t).__name__}) is none of these."
                )
            if isinstance(t, _skpipeline.Pipeline) and any(
                is_sampler(s) for _, s in t.steps
            ):
                raise TypeError(
                    "A Pipeline containing a sampler cannot be nested as a transformer step;"
                    " flatten the steps into one Pipeline."
                )
        last = estimators[-1]
        if last is not None and last != "passthrough" and not hasattr(last, "fit") and not (
            is_sampler(last)
        ):
            raise TypeError(
                f"Last step of Pipeline should implement fit or be 'passthrough'; {last!r} "
                "doesn't."
            )

    def _iter(self, with_final=True, filter_passthrough=True, filter_resample=True):
        """Yield ``(idx, name, step)``; samplers are skipped when ``filter_resample``."""
        stop = len(self.steps) if with_final else len(self.steps) - 1
        for idx, (name, trans) in enumerate(islice(self.steps, 0, stop)):
            if filter_passthrough and (trans is None or trans == "passthrough"):
                continue
            if filter_resample and is_sampler(trans):
                continue
            yield idx, name, trans

    def _split_params(self, params: dict) -> dict[str, dict]:
        from sklearn import get_config

        if get_config().get("enable_metadata_routing", False):
            raise NotImplementedError(
                "smotelab's Pipeline does not support metadata routing; pass step "
                "parameters as step__param=value with routing disabled."
            )
        if self.transform_input is not None:
            raise ValueError("transform_input requires metadata routing, which is not supported.")
        out: dict[str, dict] = {name: {} for name, _ in self.steps}
        for key, value in params.items():
            if "__" not in key:
                raise ValueError(
                    f"Pipeline fit parameter {key!r} must be named step__parameter, e.g. "
                    f"'{self.steps[-1][0]}__{key}'."
                )
            step, param = key.split("__", 1)
            if step not in out:
                raise ValueError(f"Pipeline has no step named {step!r} (for parameter {key!r}).")
            out[step][param] = value
        return out

    def _fit(self, X, y=None, routed_params=None, raw_params=None, callback_ctx=None):
        """Fit every step but the last, resampling through samplers; return (X, y)."""
        self.steps = list(self.steps)
        self._validate_steps()
        if self.memory is not None:
            raise ValueError(
                "smotelab's Pipeline does not cache steps; leave memory=None (resampling "
                "is cheap to redo, and caching would freeze its randomness)."
            )
        params = routed_params or {}
        for idx, name, step in self._iter(with_final=False, filter_passthrough=False,
                                          filter_resample=False):
            if step is None or step == "passthrough":
                continue
            fitted = step
            with print_elapsed_time("Pipeline", self._log_message(idx)):
                if is_sampler(fitted):
                    X, y = fitted.fit_resample(X, y, **params.get(name, {}))
                    self._check_resampled(name, X, y)
                elif hasattr(fitted, "fit_transform"):
                    X = fitted.fit_transform(X, y, **params.get(name, {}))
                else:
                    X = fitted.fit(X, y, **params.get(name, {})).transform(X)
            self.steps[idx] = (name, fitted)
        return X, y

    @staticmethod
    def _check_resampled(name: str, X: Any, y: Any) -> None:
        if y is None or X is None:
            raise TypeError(f"Sampler step {name!r} must return (X_resampled, y_resampled).")

    def _fit_final(self, method: str, X, y, params: dict):
        last_name, last = self.steps[-1]
        with print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            if last == "passthrough" or last is None:
                return X if method != "fit_resample" else (X, y)
            return getattr(last, method)(X, y, **params.get(last_name, {}))

    def fit(self, X, y=None, **params):
        """Fit the steps in turn, resampling through samplers; then fit the final step.

        Parameters
        ----------
        X : array-like
            Training data.
        y : array-like, default=None
            Training targets.
        **params : dict
            ``step__param`` parameters for the steps' fit methods.

        Returns
        -------
        self : Pipeline
            This pipeline, fitted.
        """
        split = self._split_params(params)
        Xt, yt = self._fit(X, y, split)
        last_name, last = self.steps[-1]
        if last != "passthrough" and last is not None:
            with print_elapsed_time("Pipeline",
                                                 self._log_message(len(self.steps) - 1)):
                if is_sampler(last) and not hasattr(last, "predict"):
                    last.fit_resample(Xt, yt, **split.get(last_name, {}))
                else:
                    last.fit(Xt, yt, **split.get(last_name, {}))
        return self

    @available_if(_final_has("transform"))
    def fit_transform(self, X, y=None, **params):
        """Fit, then transform the (resampled) training data with the final step.

        Parameters
        ----------
        X : array-like
            Training data.
        y : array-like, default=None
            Training targets.
        **params : dict
            ``step__param`` parameters for the steps' fit methods.

        Returns
        -------
        Xt : array-like
            The transformed training data.
        """
        split = self._split_params(params)
        Xt, yt = self._fit(X, y, split)
        last_name, last = self.steps[-1]
        if last == "passthrough" or last is None:
            return Xt
        fit_params = split.get(last_name, {})
        if hasattr(last, "fit_transform"):
            return last.fit_transform(Xt, yt, **fit_params)
        return last.fit(Xt, yt, **fit_params).transform(Xt)

    @available_if(_final_has("fit_predict"))
    def fit_predict(self, X, y=None, **params):
        """Fit, then ``fit_predict`` the final step on the (resampled) training data.

        Parameters
        ----------
        X : array-like
            Training data.
        y : array-like, default=None
            Training targets.
        **params : dict
            ``step__param`` parameters for the steps' fit methods.

        Returns
        -------
        y_pred : ndarray
            Predictions of the final step.
        """
        split = self._split_params(params)
        Xt, yt = self._fit(X, y, split)
        return self._fit_final("fit_predict", Xt, yt, split)

    @available_if(_final_has("fit_resample"))
    def fit_resample(self, X, y=None, **params):
        """Fit the steps and resample with the final step (a sampler).

        Parameters
        ----------
        X : array-like
            Data.
        y : array-like, default=None
            Targets.
        **params : dict
            ``step__param`` parameters for the steps.

        Returns
        -------
        X_resampled, y_resampled
            The output of the final sampler.
        """
        split = self._split_params(params)
        Xt, yt = self._fit(X, y, split)
        return self._fit_final("fit_resample", Xt, yt, split)


def make_pipeline(*steps: Any, memory=None, transform_input=None, verbose=False) -> Pipeline:
    """Build a :class:`Pipeline` from the steps, naming each by its lowercased class name.

    Parameters
    ----------
    *steps : estimators
        Transformers, samplers and a final estimator.
    memory : None
        See :class:`Pipeline`.
    transform_input : None
        See :class:`Pipeline`.
    verbose : bool, default=False
        Print the time of each step.

    Returns
    -------
    Pipeline
        The pipeline.
    """
    return Pipeline(name_estimators(steps), memory=memory,
                    transform_input=transform_input, verbose=verbose)
