"""The search both choosers run: folds, the loop over candidates and folds, the results."""

from __future__ import annotations

import time
import warnings
from numbers import Integral
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import RepeatedStratifiedKFold, check_cv

from ..exceptions import (
    EstimatorFitError,
    NonNumericDataError,
    NotEnoughSamplesError,
    SmotelabWarning,
)
from ..exceptions import fmt_label as _label
from ..utils._random import RandomStreams

__all__ = ["cross_validate", "inner_folds", "search_results", "seeded", "unique_name"]


def unique_name(name: str, seen: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``... where taken; recorded in ``seen``."""
    base, i = name, 2
    while name in seen:  # SMOTE, SMOTE-2, ...
        name, i = f"{base}-{i}", i + 1
    seen.add(name)
    return name


def named(items: Any, name_of: Any, check: Any, empty: str) -> list[tuple[str, Any]]:
    """``items`` (objects or ``(name, object)`` pairs) as uniquely named pairs: an
    object's name is ``name_of(object)``; ``check(name, object)`` raises for one that
    does not belong; ``empty`` is the error when there is none."""
    out: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for item in items:
        name, obj = item if isinstance(item, tuple) else (name_of(item), item)
        check(name, obj)
        out.append((unique_name(name, seen), obj))
    if not out:
        raise ValueError(empty)
    return out


def seeded(estimator: Any, seed: int) -> Any:
    """A clone whose ``random_state`` parameters left at ``None`` (nested too) get ``seed``."""
    est = clone(estimator)
    unset = {k: seed for k, v in est.get_params(deep=True).items()
             if (k == "random_state" or k.endswith("__random_state")) and v is None}
    return est.set_params(**unset) if unset else est


def search_results(named: list, scores: np.ndarray, mean: np.ndarray, seconds: np.ndarray,
                   evaluated: np.ndarray, adapted: np.ndarray, errors: list) -> dict:
    """``cv_results_`` of a search: per candidate its name, parameters, scores, rank,
    time, and whether it was evaluated, adapted, or failed (and why)."""
    from scipy.stats import rankdata

    order = np.where(evaluated, -np.nan_to_num(mean, nan=-np.inf), np.inf)
    std = np.full(len(named), np.nan)
    std[evaluated] = scores[evaluated].std(axis=1)
    results: dict[str, Any] = {
        "name": np.array([n for n, _ in named], dtype=object),
        "params": [s.get_params(deep=False) if hasattr(s, "get_params") else {}
                   for _, s in named],
        "mean_test_score": mean,
        "std_test_score": std,
        "rank_test_score": rankdata(order, method="min").astype(np.int64),
    }
    for f in range(scores.shape[1]):
        results[f"split{f}_test_score"] = scores[:, f]
    results.update(mean_fit_time=seconds, evaluated=evaluated, adapted=adapted,
                   error=np.array(errors, dtype=object))
    return results


def inner_folds(owner: Any, X: Any, y: np.ndarray, streams: RandomStreams
                ) -> tuple[list[tuple[np.ndarray, np.ndarray]], str | None]:
    """A search's folds and, where a training fold holds a single sample of a class (or
    none), that class's label (no candidate can be scored fairly then).

    An int ``owner.cv`` gives that many stratified folds (fewer where the smallest class
    is smaller), drawn ``owner.n_repeats`` times from ``streams``; a splitter is used as
    it is.
    """
    name = type(owner).__name__
    given = getattr(owner, "n_repeats", None)
    n_repeats = int(given) if given is not None else 2 if isinstance(owner.cv, Integral) else 1
    if isinstance(owner.cv, Integral):
        labels, counts = np.unique(y, return_counts=True)
        smallest = int(counts.min())
        if smallest < 2:
            raise NotEnoughSamplesError(
                f"{name}: class {_label(labels[np.argmin(counts)])} has a single sample, so "
                "no fold can both train and test on it; choose without cross-validation "
                "(e.g. RandomOverSampler) or gather more samples.")
        cv: Any = RepeatedStratifiedKFold(n_splits=min(int(owner.cv), smallest),
                                          n_repeats=n_repeats,
                                          random_state=streams.member_seed(0))
    else:
        if n_repeats != 1:
            raise ValueError(
                f"{name}: n_repeats={n_repeats} repeats the folds of an int cv; a splitter "
                "given as cv repeats itself (e.g. RepeatedStratifiedKFold): leave "
                "n_repeats=None.")
        cv = check_cv(owner.cv, y, classifier=True)
    folds = list(cv.split(X, y))
    n_classes = len(np.unique(y))
    for train, _ in folds:
        present, counts = np.unique(y[train], return_counts=True)
        if len(present) < n_classes:
            missing = np.setdiff1d(np.unique(y), present)
            return folds, _label(missing[0])
        if counts.min() < 2:
            return folds, _label(present[np.argmin(counts)])
    return folds, None


def cross_validate(owner: Any, named: list, folds: list, starved: str | None, score: Any,
                   *, noun: str) -> tuple[int, dict]:
    """A search's loop: ``score(i, f, train, test) -> (score, adapted)`` for every
    candidate ``i`` and fold ``f``, within ``owner.time_budget``; returns the chosen
    position (the first kept unless beaten by more than ``owner.margin``) and
    ``cv_results_``.

    A candidate that raises is recorded and never chosen; where none could be scored,
    the error lists each one's (``NonNumericDataError`` when every one met a value that
    is not a number). With ``starved`` (a class with one sample in a training fold) no
    candidate is scored and the first is chosen, with a warning.
    """
    who = type(owner).__name__
    scores = np.full((len(named), len(folds)), np.nan)
    seconds = np.full(len(named), np.nan)
    adapted = np.zeros(len(named), dtype=bool)
    errors = [""] * len(named)
    if starved:
        warnings.warn(
            f"{who}: class {starved} has too few samples to cross-validate the {noun}s (a "
            f"training fold holds at most one); using the first {noun}, {named[0][0]}, "
            "unscored.", SmotelabWarning, stacklevel=4)
        errors = ["too few samples of a class to cross-validate"] * len(named)
    start = time.perf_counter()
    for i in range(0 if starved else len(named)):
        spent = []
        for f, (train, test) in enumerate(folds):
            if i and owner.time_budget is not None and (
                    time.perf_counter() - start > owner.time_budget):
                errors[i] = errors[i] or "not scored within time_budget"
                break
            t0 = time.perf_counter()
            try:
                scores[i, f], changed = score(i, f, train, test)
            except Exception as err:  # noqa: BLE001 - recorded; a failed candidate loses
                errors[i] = f"{type(err).__name__}: {err}"
                scores[i] = np.nan
                break
            adapted[i] |= changed
            spent.append(time.perf_counter() - t0)
        seconds[i] = np.mean(spent) if spent else np.nan
    evaluated = ~np.isnan(scores).any(axis=1) & (starved is None)
    if not evaluated.any() and not starved:
        lines = "; ".join(f"{n}: {e}" for (n, _), e in zip(named, errors, strict=True))
        kind = (NonNumericDataError if all(e.startswith("TypeError") for e in errors)
                else EstimatorFitError)  # e.g. a value that is not a number
        raise kind(f"{who}: no {noun} could be scored ({lines}).")
    mean = np.where(evaluated, scores.mean(axis=1), np.nan)
    best = int(np.nanargmax(mean)) if evaluated.any() else 0  # first of the best
    if evaluated[0] and mean[0] >= mean[best] - owner.margin:
        best = 0  # the first candidate stays unless clearly beaten
    return best, search_results(named, scores, mean, seconds, evaluated, adapted, errors)
