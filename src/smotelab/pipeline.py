"""A Pipeline whose samplers act only while fitting.

Samplers (objects with ``fit_resample``) resample the training data inside ``fit``;
at ``predict``, ``transform``, ``score`` and friends they are skipped, so in
cross-validation no synthetic row ever reaches a test fold. Per-row metadata given to
later steps (``sample_weight``, ``groups``...) follows the rows each sampler outputs.

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
from sklearn.base import clone
from sklearn.utils import Bunch
from sklearn.utils._metadata_requests import METHODS
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import _num_samples, check_memory

from .base import is_sampler
from .utils._compat import name_estimators, print_elapsed_time
from .utils._metadata import resample_params

__all__ = ["Pipeline", "make_pipeline"]

# Pipeline methods that fit the steps, and so run the samplers
_FITTING = ("fit", "fit_transform", "fit_predict", "fit_resample")
# Pipeline methods that only apply fitted steps (samplers skipped)
_APPLYING = ("predict", "predict_proba", "decision_function", "predict_log_proba",
             "transform", "score")


def _final_has(attr: str, passthrough: bool = True):
    def check(self: Pipeline) -> bool:
        final = self._final_estimator
        if final is None or final == "passthrough":
            return passthrough
        return hasattr(final, attr)

    return check


def _fit_transform_one(transformer, X, y, params, message_clsname="", message=None):
    """Fit a transformer and transform ``X`` (a function, so ``memory`` can cache it)."""
    with print_elapsed_time(message_clsname, message):
        if hasattr(transformer, "fit_transform"):
            Xt = transformer.fit_transform(X, y, **params.get("fit_transform", {}))
        else:
            Xt = transformer.fit(X, y, **params.get("fit", {})).transform(
                X, **params.get("transform", {}))
    return Xt, transformer


class Pipeline(_skpipeline.Pipeline):
    """scikit-learn's Pipeline, with samplers allowed as intermediate (or last) steps.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Transformers and samplers, then a final estimator (or sampler). A step may be
        ``'passthrough'`` or ``None``.
    transform_input : list of str, default=None
        Names of metadata (e.g. a validation set ``X_val``) to pass through the steps
        before the one that consumes it, as in scikit-learn; samplers are skipped there,
        as at predict time. Needs metadata routing.
    memory : str or object with the joblib.Memory interface, default=None
        Cache of fitted transformers (cloned first, as in scikit-learn). Sampler steps
        are always refitted: their output depends on their random state, and caching
        would freeze it.
    verbose : bool, default=False
        Print the time of each step, ``'passthrough'`` ones included.

    Notes
    -----
    Without metadata routing, parameters for a step's fit are passed as
    ``step__param=value``. With ``sklearn.set_config(enable_metadata_routing=True)``,
    steps request metadata (``clf.set_fit_request(sample_weight=True)``) and the
    Pipeline routes it, samplers' ``fit_resample`` included.

    Either way, a per-row parameter (any array of length ``n_samples``: ``sample_weight``,
    ``groups``...) given to a step after a sampler is resampled with the rows: kept and
    copied rows keep their values, a synthetic row takes its parent's
    (:func:`smotelab.utils.resample_like`). imbalanced-learn's Pipeline passes such
    arrays on unchanged, which then fail on their length or misalign.
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
                    "All intermediate steps of the chain should be estimators that "
                    "implement fit and transform or fit_resample (transformers or "
                    f"samplers), or 'passthrough'; {t!r} (type {type(t).__name__}) is "
                    "none of these."
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
                "Last step of Pipeline should implement fit or be the string "
                f"'passthrough' (or be a sampler); {last!r} (type {type(last).__name__}) "
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

    # -- metadata ---------------------------------------------------------------------

    def _check_method_params(self, method, props, **kwargs):
        """Parameters of each step, by step name then method (``process_routing``'s shape)."""
        def empty() -> Bunch:
            return Bunch(**{m: {} for m in METHODS})

        if _routing_enabled():
            found = process_routing(self, method, **props, **kwargs)
            # a plain Bunch for every step (without metadata, scikit-learn returns a
            # stand-in that answers any name)
            return Bunch(**{name: found.get(name) or empty() for name, _ in self.steps})
        routed = Bunch(**{name: empty() for name, step in self.steps if step is not None})
        for key, value in props.items():
            if "__" not in key:
                raise ValueError(
                    f"Pipeline.{method} does not accept the {key} parameter; pass it to a "
                    f"step as step__parameter, e.g. '{self.steps[-1][0]}__{key}'."
                )
            step, param = key.split("__", 1)
            if step not in routed:
                raise ValueError(f"Pipeline has no step named {step!r} (for parameter {key!r}).")
            for m in _FITTING:
                routed[step][m][param] = value
        return routed

    def _follow_rows(self, sampler, routed, *, after: int, n_samples: int):
        """Resample every per-row parameter of the steps after ``after`` like the sampler."""
        skip = frozenset(self.transform_input or ())
        for name, _ in self.steps[after + 1:]:
            if name not in routed:
                continue
            routed[name] = Bunch(**{
                m: resample_params(sampler, p, n_samples, skip=skip) if p else p
                for m, p in routed[name].items()})
        return routed

    def get_metadata_routing(self):
        """Metadata routing of this Pipeline: samplers receive ``fit_resample``'s metadata.

        Returns
        -------
        routing : MetadataRouter
            What each step requests, by the Pipeline method that calls it.
        """
        router = MetadataRouter(owner=self)
        for _, name, step in self._iter(with_final=False, filter_resample=False):
            mapping = MethodMapping()
            if is_sampler(step):
                for caller in _FITTING:
                    mapping.add(caller=caller, callee="fit_resample")
            else:
                for caller in _FITTING:
                    if hasattr(step, "fit_transform"):
                        mapping.add(caller=caller, callee="fit_transform")
                    else:
                        mapping.add(caller=caller, callee="fit").add(caller=caller,
                                                                     callee="transform")
                for caller in _APPLYING:
                    mapping.add(caller=caller, callee="transform")
                mapping.add(caller="inverse_transform", callee="inverse_transform")
            router.add(method_mapping=mapping, **{name: step})

        name, final = self.steps[-1]
        if final is None or final == "passthrough":
            return router
        mapping = MethodMapping()
        if is_sampler(final) and not hasattr(final, "predict"):
            mapping.add(caller="fit", callee="fit_resample")  # fit() resamples with it
        else:
            mapping.add(caller="fit", callee="fit")
        if hasattr(final, "fit_transform"):
            mapping.add(caller="fit_transform", callee="fit_transform")
        elif hasattr(final, "transform"):
            mapping.add(caller="fit_transform", callee="fit").add(caller="fit_transform",
                                                                  callee="transform")
        for method in ("predict", "fit_predict", "predict_proba", "decision_function",
                       "predict_log_proba", "transform", "inverse_transform", "score",
                       "fit_resample"):
            if hasattr(final, method):
                mapping.add(caller=method, callee=method)
        router.add(method_mapping=mapping, **{name: final})
        return router

    # -- fitting ----------------------------------------------------------------------

    def _check_transform_input(self) -> None:
        self._validate_params()
        if self.transform_input is not None and not _routing_enabled():
            raise ValueError(
                "The `transform_input` parameter can only be set if metadata routing is "
                "enabled; enable it with sklearn.set_config(enable_metadata_routing=True)."
            )

    def _fit(self, X, y=None, routed_params=None, raw_params=None, callback_ctx=None):
        """Fit every step but the last, resampling through samplers.

        Returns ``(X, y, routed_params)``: the data for the last step and the parameters,
        per-row ones resampled with the rows.
        """
        self.steps = list(self.steps)
        self._validate_steps()
        memory = check_memory(self.memory)
        fit_transform_cached = memory.cache(_fit_transform_one)
        routed = routed_params
        for idx, name, step in self._iter(with_final=False, filter_passthrough=False,
                                          filter_resample=False):
            message = self._log_message(idx)
            if step is None or step == "passthrough":
                with print_elapsed_time("Pipeline", message):
                    continue
            # without a cache, fit in place as scikit-learn does; with one, fit clones
            fitted = step if getattr(memory, "location", None) is None else clone(step)
            if is_sampler(fitted):  # never cached: refitted with its own random state
                n_before = _num_samples(X)
                with print_elapsed_time("Pipeline", message):
                    out = fitted.fit_resample(X, y, **routed[name]["fit_resample"])
                self._check_resampled(name, out)
                X, y = out[0], out[1]
                routed = self._follow_rows(fitted, routed, after=idx, n_samples=n_before)
                self.steps[idx] = (name, fitted)
                continue
            step_params = self._get_metadata_for_step(
                step_idx=idx, step_params=routed[name], all_params=raw_params)
            X, fitted = fit_transform_cached(fitted, X, y, step_params,
                                             message_clsname="Pipeline", message=message)
            self.steps[idx] = (name, fitted)
        return X, y, routed

    @staticmethod
    def _check_resampled(name: str, out: Any) -> None:
        if not isinstance(out, tuple) or len(out) < 2 or out[0] is None or out[1] is None:
            raise TypeError(f"Sampler step {name!r} must return (X_resampled, y_resampled).")

    def _final_params(self, routed, raw_params) -> dict:
        return self._get_metadata_for_step(step_idx=len(self) - 1,
                                           step_params=routed[self.steps[-1][0]],
                                           all_params=raw_params)

    def fit(self, X, y=None, **params):
        """Fit the steps in turn, resampling through samplers; then fit the final step.

        Parameters
        ----------
        X : array-like
            Training data.
        y : array-like, default=None
            Training targets.
        **params : dict
            Without metadata routing, ``step__param`` parameters for the steps' fit
            methods; with it, metadata the steps requested.

        Returns
        -------
        self : Pipeline
            This pipeline, fitted.
        """
        self._check_transform_input()
        routed = self._check_method_params(method="fit", props=params)
        Xt, yt, routed = self._fit(X, y, routed, raw_params=params)
        last = self._final_estimator
        with print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            if last is not None and last != "passthrough":
                last_params = self._final_params(routed, params)
                if is_sampler(last) and not hasattr(last, "predict"):
                    last.fit_resample(Xt, yt, **last_params["fit_resample"])
                else:
                    last.fit(Xt, yt, **last_params["fit"])
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
            ``step__param`` parameters, or routed metadata.

        Returns
        -------
        Xt : array-like
            The transformed training data.
        """
        self._check_transform_input()
        routed = self._check_method_params(method="fit_transform", props=params)
        Xt, yt, routed = self._fit(X, y, routed, raw_params=params)
        last = self._final_estimator
        with print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            if last is None or last == "passthrough":
                return Xt
            last_params = self._final_params(routed, params)
            if hasattr(last, "fit_transform"):
                return last.fit_transform(Xt, yt, **last_params["fit_transform"])
            return last.fit(Xt, yt, **last_params["fit"]).transform(
                Xt, **last_params["transform"])

    def _can_transform(self) -> bool:
        final = self._final_estimator
        return (final is None or final == "passthrough" or hasattr(final, "transform")
                or is_sampler(final))

    @available_if(_can_transform)
    def transform(self, X, **params):
        """Apply the fitted transformers; samplers (a last one included) pass ``X`` on.

        Parameters
        ----------
        X : array-like
            Data to transform.
        **params : dict
            With metadata routing, metadata the steps' ``transform`` requested.

        Returns
        -------
        Xt : array-like
            The transformed data.
        """
        if params and not _routing_enabled():
            raise ValueError(
                f"Pipeline.transform got {sorted(params)}; parameters of transform need "
                "metadata routing: sklearn.set_config(enable_metadata_routing=True)."
            )
        routed = process_routing(self, "transform", **params) if _routing_enabled() else None
        for _, name, step in self._iter():
            Xt_params = routed[name].transform if routed is not None else {}
            X = step.transform(X, **Xt_params)
        return X

    @available_if(_final_has("fit_predict", passthrough=False))
    def fit_predict(self, X, y=None, **params):
        """Fit, then ``fit_predict`` the final step on the (resampled) training data.

        Parameters
        ----------
        X : array-like
            Training data.
        y : array-like, default=None
            Training targets.
        **params : dict
            ``step__param`` parameters, or routed metadata.

        Returns
        -------
        y_pred : ndarray
            Predictions of the final step.
        """
        self._check_transform_input()
        routed = self._check_method_params(method="fit_predict", props=params)
        Xt, yt, routed = self._fit(X, y, routed, raw_params=params)
        with print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            return self.steps[-1][1].fit_predict(Xt, yt,
                                                 **routed[self.steps[-1][0]]["fit_predict"])

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
            ``step__param`` parameters, or routed metadata.

        Returns
        -------
        X_resampled, y_resampled
            The output of the final sampler.
        """
        self._check_transform_input()
        routed = self._check_method_params(method="fit_resample", props=params)
        Xt, yt, routed = self._fit(X, y, routed, raw_params=params)
        last = self._final_estimator
        with print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            if last is None or last == "passthrough":
                return Xt, yt
            out = last.fit_resample(Xt, yt, **self._final_params(routed, params)["fit_resample"])
            return out[0], out[1]


def make_pipeline(*steps: Any, memory=None, transform_input=None, verbose=False) -> Pipeline:
    """Build a :class:`Pipeline` from the steps, naming each by its lowercased class name.

    Parameters
    ----------
    *steps : estimators
        Transformers, samplers and a final estimator.
    memory : str or object with the joblib.Memory interface, default=None
        Cache of fitted transformers; see :class:`Pipeline`.
    transform_input : list of str, default=None
        Metadata to transform before the step that consumes it; see :class:`Pipeline`.
    verbose : bool, default=False
        Print the time of each step.

    Returns
    -------
    Pipeline
        The pipeline.
    """
    return Pipeline(name_estimators(steps), memory=memory,
                    transform_input=transform_input, verbose=verbose)
