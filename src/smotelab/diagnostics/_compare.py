"""Compare samplers honestly: each inside a Pipeline, on the same folds, no leakage.

Every sampler is put in ``make_pipeline(sampler, estimator)``, so it resamples the
training part of each fold only: no synthetic row (and no row cleaned away) ever
touches a test fold. All samplers see the same stratified folds. A sampler that fails on
the data is reported as failed, with the reason, and the comparison goes on.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import get_scorer, make_scorer
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import _safe_indexing

from ..metrics import geometric_mean_score

__all__ = ["compare"]


def _default_samplers(random_state: Any) -> dict[str, Any]:
    from ..combine import SMOTEENN, SMOTETomek
    from ..over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler

    rs = random_state
    return {"no resampling": None, "RandomOverSampler": RandomOverSampler(random_state=rs),
            "SMOTE": SMOTE(random_state=rs), "BorderlineSMOTE": BorderlineSMOTE(random_state=rs),
            "ADASYN": ADASYN(random_state=rs), "SMOTETomek": SMOTETomek(random_state=rs),
            "SMOTEENN": SMOTEENN(random_state=rs)}


def _default_estimator() -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from ..pipeline import make_pipeline

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def _scorers(scoring: Any) -> dict[str, Callable]:
    if scoring is None:
        scoring = ["balanced_accuracy", "f1_macro", "geometric_mean"]
    if isinstance(scoring, str) or callable(scoring):
        scoring = [scoring]
    items = scoring.items() if isinstance(scoring, Mapping) else (
        (s if isinstance(s, str) else getattr(s, "__name__", repr(s)), s) for s in scoring)
    out = {}
    for name, s in items:
        if s == "geometric_mean":
            s = make_scorer(geometric_mean_score)
        out[name] = get_scorer(s) if isinstance(s, str) else s
    return out


def _named(samplers: Any, random_state: Any) -> dict[str, Any]:
    if samplers is None:
        return _default_samplers(random_state)
    if isinstance(samplers, Mapping):
        return dict(samplers)
    out: dict[str, Any] = {}
    for s in samplers if isinstance(samplers, Iterable) else [samplers]:
        name = "no resampling" if s is None else type(s).__name__
        base, i = name, 2
        while name in out:  # two SMOTEs with different parameters
            name, i = f"{base} ({i})", i + 1
        out[name] = s
    return out


class _Progress:
    """A one-line progress bar on stderr (only when it is a terminal, unless forced)."""

    def __init__(self, total: int, show: bool | None) -> None:
        self.total, self.done, self.t0 = total, 0, time.perf_counter()
        self.show = sys.stderr.isatty() if show is None else show

    def step(self, label: str) -> None:
        self.done += 1
        if not self.show:
            return
        width = 24
        full = int(width * self.done / self.total)
        elapsed = time.perf_counter() - self.t0
        sys.stderr.write(f"\r[{'#' * full}{'.' * (width - full)}] {self.done}/{self.total} "
                         f"{elapsed:5.1f}s {label[:30]:<30}")
        if self.done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def compare(X: Any, y: Any, samplers: Any = None, *, estimator: Any = None, cv: Any = 5,
            scoring: Any = None, random_state: Any = 0, progress: bool | None = None) -> Any:
    """Cross-validate samplers side by side, each inside a Pipeline (no leakage).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
        Features.
    y : array-like of shape (n_samples,)
        Class labels.
    samplers : list, dict or None, default=None
        Samplers to compare: a list (``None`` in it means no resampling), or a dict
        ``{name: sampler}``. Default: no resampling, RandomOverSampler, SMOTE,
        BorderlineSMOTE, ADASYN, SMOTETomek and SMOTEENN.
    estimator : estimator, default=None
        The model each sampler feeds (cloned per fold). Default: standard scaling and a
        logistic regression.
    cv : int or splitter, default=5
        Folds: an int gives ``StratifiedKFold(cv, shuffle=True, random_state)``, the same
        folds for every sampler; a splitter object is used as given.
    scoring : str, callable, list or dict, default=None
        scikit-learn scorer names or scorers; ``'geometric_mean'`` is smotelab's
        G-mean. Default: balanced accuracy, macro F1 and the G-mean.
    random_state : int or None, default=0
        Seeds the folds (samplers keep their own ``random_state``).
    progress : bool or None, default=None
        Show a progress bar on stderr; ``None`` shows it when stderr is a terminal.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per (sampler, metric), with ``mean`` and ``std`` over the folds,
        ``fit_time`` (mean seconds per fold, resampling and fitting), ``n_folds`` and
        ``error`` (empty, or why the sampler failed; its scores are then NaN).

    Examples
    --------
    >>> from smotelab.datasets import make_dragons
    >>> from smotelab.diagnostics import compare
    >>> from smotelab.over_sampling import SMOTE
    >>> table = compare(*make_dragons(), samplers=[None, SMOTE(random_state=0)], cv=3,
    ...                 scoring=["balanced_accuracy"])
    >>> table[["sampler", "metric"]].values.tolist()
    [['no resampling', 'balanced_accuracy'], ['SMOTE', 'balanced_accuracy']]
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a test dependency
        raise ImportError('compare returns a DataFrame and needs pandas: '
                          'pip install "smotelab[pandas]"') from None
    from ..pipeline import make_pipeline

    named = _named(samplers, random_state)
    scorers = _scorers(scoring)
    estimator = _default_estimator() if estimator is None else estimator
    y_arr = np.asarray(y)
    if isinstance(cv, int):
        cv = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    folds = list(cv.split(np.zeros((len(y_arr), 1)), y_arr))
    bar = _Progress(len(named) * len(folds), progress)
    rows = []
    for name, sampler in named.items():
        scores: dict[str, list[float]] = {m: [] for m in scorers}
        times, error = [], ""
        for train, test in folds:
            if not error:
                try:
                    model = clone(estimator) if sampler is None else make_pipeline(
                        clone(sampler), clone(estimator))
                    t0 = time.perf_counter()
                    model.fit(_safe_indexing(X, train), _safe_indexing(y, train))
                    times.append(time.perf_counter() - t0)
                    Xt, yt = _safe_indexing(X, test), _safe_indexing(y, test)
                    for m, scorer in scorers.items():
                        scores[m].append(float(scorer(model, Xt, yt)))
                except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                    error = f"{type(exc).__name__}: {exc}".splitlines()[0]
            bar.step(name)
        for m in scorers:
            vals = np.asarray(scores[m], dtype=float)
            rows.append({"sampler": name, "metric": m,
                         "mean": np.nan if error else float(vals.mean()),
                         "std": np.nan if error else float(vals.std()),
                         "fit_time": np.nan if error else float(np.mean(times)),
                         "n_folds": 0 if error else len(vals), "error": error})
    return pd.DataFrame(rows)
