"""AutoSampler: choose a sampler by cross-validation on the training data, inside the fit."""

from __future__ import annotations

import warnings
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import check_scoring
from sklearn.utils import _safe_indexing

from ..base import BaseSampler
from ..utils._compat import HasMethods, Interval
from ..utils._containers import XContainer, YContainer
from ..utils._random import RandomStreams
from ..utils._tags import sampler_tags, set_needs_numeric
from ._cv import cross_validate, inner_folds, named, seeded

__all__ = ["AutoSampler", "auc_and_g_mean", "default_candidates", "fit_to_classes"]

# neighbour-count parameters (nested ones too) that must stay below a class's size
# (m_neighbors counts rows of every class, so any class size suits it)
_NEIGHBOUR_PARAMS = ("k_neighbors", "n_neighbors")


def default_candidates(random_state: Any = None) -> list[tuple[str, Any]]:
    """AutoSampler's default portfolio: the eight samplers with the best mean rank on the
    development data sets of the real-data benchmark (over ROC AUC, G-mean and balanced
    accuracy, four classifiers), best first: Geometric SMOTE, SMOTE, SMOTE-Tomek,
    SVM-SMOTE, SMOTE-ENN, ProWSyn, Borderline-SMOTE and ADASYN.

    The portfolio's size, the margin and the models that score were chosen by the
    leave-data-sets-out procedure of ``benchmarks/chooser.py``: designed on half of the
    data sets, such a chooser ranked above every fixed sampler on the other half
    (``benchmarks/RESULTS-chooser.md``).
    """
    from ..combine import SMOTEENN, SMOTETomek
    from ..over_sampling import (
        ADASYN,
        SMOTE,
        SVMSMOTE,
        BorderlineSMOTE,
        GeometricSMOTE,
        ProWSyn,
    )

    rs = random_state
    return [("GeometricSMOTE", GeometricSMOTE(random_state=rs)),
            ("SMOTE", SMOTE(random_state=rs)),
            ("SMOTETomek", SMOTETomek(random_state=rs)),
            ("SVMSMOTE", SVMSMOTE(random_state=rs)),
            ("SMOTEENN", SMOTEENN(random_state=rs)),
            ("ProWSyn", ProWSyn(random_state=rs)),
            ("BorderlineSMOTE", BorderlineSMOTE(random_state=rs)),
            ("ADASYN", ADASYN(random_state=rs))]


def auc_and_g_mean(estimator: Any, X: Any, y: Any) -> float:
    """AutoSampler's default score: the mean of ROC AUC and G-mean on ``(X, y)``.

    ROC AUC from ``predict_proba`` (else ``decision_function``; with more than two
    classes, the mean of each class's one-vs-rest AUC) rates the ranking, G-mean (geometric mean of the
    per-class recalls, from ``predict``) the decisions: a sampler chosen on both does not
    trade one for the other. Without scores, the G-mean alone.
    """
    from sklearn.metrics import roc_auc_score

    from ..metrics import geometric_mean_score

    y = np.asarray(y)
    gmean = float(geometric_mean_score(y, estimator.predict(X), average="multiclass"))
    classes = getattr(estimator, "classes_", np.unique(y))
    if hasattr(estimator, "predict_proba"):
        score = np.asarray(estimator.predict_proba(X))
    elif hasattr(estimator, "decision_function"):
        score = np.asarray(estimator.decision_function(X))
    else:
        return gmean
    if len(classes) == 2:
        auc = roc_auc_score(y, score[:, 1] if score.ndim == 2 else score)
    elif hasattr(estimator, "predict_proba"):
        auc = roc_auc_score(y, score, multi_class="ovr", labels=classes)
    else:  # one decision score per class, not probabilities: each class against the rest
        present = [i for i, c in enumerate(classes) if 0 < np.count_nonzero(y == c) < len(y)]
        auc = np.mean([roc_auc_score(y == classes[i], score[:, i]) for i in present])
    return (float(auc) + gmean) / 2


def fit_to_classes(sampler: Any, y: Any) -> tuple[Any, bool]:
    """``sampler``, or a clone whose int neighbour counts fit the smallest class of ``y``.

    A neighbour count must stay below the class's size; where one does not, the clone
    takes ``smallest - 1`` (a combination building its own SMOTE gets one so set, from
    the combination's own library: an imbalanced-learn combination gets
    imbalanced-learn's SMOTE). Returns the sampler and whether it was changed.
    """
    _, counts = np.unique(np.asarray(y), return_counts=True)
    most = int(counts.min()) - 1
    params = sampler.get_params(deep=True)
    if most < 1:
        return sampler, False
    lower = {k: most for k, v in params.items()
             if k.rsplit("__", 1)[-1] in _NEIGHBOUR_PARAMS
             and isinstance(v, Integral) and not isinstance(v, bool) and int(v) > most}
    if "smote" in params and params["smote"] is None and most < 5:
        from importlib import import_module

        root = type(sampler).__module__.split(".")[0]
        smote_cls = import_module(f"{root}.over_sampling").SMOTE
        smote = smote_cls(k_neighbors=most, random_state=params.get("random_state"))
        return clone(sampler).set_params(smote=smote, **lower), True
    if not lower:
        return sampler, False
    return clone(sampler).set_params(**lower), True


def _to_fold(sampler: Any, y_full: np.ndarray, y_fold: np.ndarray) -> Any:
    """``sampler`` for a training fold: dict strategies (nested too) scaled to the fold.

    ``{class: n}`` counts rows of the whole data; a fold holds fewer of each class, so
    each count is scaled by the class's share in the fold (an over-sampler still adds,
    an under-sampler still removes).
    """
    dicts = {k: v for k, v in sampler.get_params(deep=True).items()
             if k.rsplit("__", 1)[-1] == "sampling_strategy" and isinstance(v, dict)}
    if not dicts:
        return sampler
    labels, full = np.unique(y_full, return_counts=True)
    fold = np.array([np.count_nonzero(y_fold == c) for c in labels])
    share = dict(zip(labels.tolist(), (fold / full).tolist(), strict=True))
    scaled = {k: {c: int(round(n * share.get(c, 1.0))) for c, n in v.items()}
              for k, v in dicts.items()}
    return clone(sampler).set_params(**scaled)


class AutoSampler(BaseSampler):
    """A sampler that picks, on the data it is fitted on, the candidate that scores best.

    ``fit_resample(X, y)`` cross-validates every candidate sampler on ``(X, y)``: for each
    fold, the candidate resamples the training part, ``estimator`` learns from the
    result and ``scoring`` rates it on the untouched test part. The candidate with the
    best mean score (the earlier one on ties) then resamples all of ``(X, y)``, and that
    is the output; the first candidate is kept unless another beats it by more than
    ``margin``. Everything happens inside the fit, on the data given: as a Pipeline
    step, the outer cross-validation's test folds are never seen, so the choice does not
    leak.

    Parameters
    ----------
    candidates : list of samplers or (name, sampler) pairs, default=None
        The samplers to choose from (cloned). ``None``: :func:`default_candidates`
        (eight: Geometric SMOTE, SMOTE, SMOTE-Tomek, SVM-SMOTE, SMOTE-ENN, ProWSyn,
        Borderline-SMOTE, ADASYN; with 3 folds drawn twice, 48 sampler fits, then one).
        A candidate whose neighbour counts exceed a class of a training fold runs with
        fewer there (``cv_results_['adapted']``).
    sampling_strategy : float, str, dict, callable or None, default=None
        Given to every candidate (each must take one); ``None``: each keeps its own.
    estimator : classifier, default=None
        Learns from each resampled training part. Give the classifier the output will
        feed (the Pipeline's own) to choose for it. ``None``: a panel of four models of
        different kinds, k-nearest neighbours, a decision tree, logistic regression and
        an RBF SVC (scikit-learn's defaults; each learns from at most 5,000 rows of a
        resampled part, a random subset keeping the classes' shares, so the SVC stays
        affordable on large data), and the fold's score is the mean of theirs. The
        panel reads the features as given, so scale them first (as a Pipeline step
        after a scaler does). On held-out real data sets, choosing with the panel ranked
        above every fixed sampler, and choosing with the one classifier fed only as
        well as the best fixed sampler: the mean of four models is a steadier signal
        than one (``benchmarks/RESULTS-chooser.md``).
    scoring : str or callable, default=None
        How a fold's test part is scored, as in scikit-learn (``'roc_auc'``,
        ``'balanced_accuracy'``, ``'f1'``, a scorer...). ``None``:
        :func:`auc_and_g_mean`, the mean of ROC AUC and G-mean.
    margin : float, default=0.01
        The first candidate is kept unless another's mean score is higher by more than
        this: with a few minority samples per fold, smaller differences are mostly
        noise (0: the best mean wins).
    cv : int or cross-validation generator, default=3
        The folds; an int gives that many stratified folds, shuffled with
        ``random_state`` (fewer when the smallest class has fewer samples, at least 2).
        Where a training fold would hold a single sample of a class, no candidate can be
        scored: the first is used, with a warning, and ``cv_results_`` says so.
    n_repeats : int or None, default=None
        With an int ``cv``: how many times the folds are drawn anew; every candidate is
        scored on all of them (``split<i>_test_score``, repeats one after the other), a
        steadier choice at proportionally more cost. ``None``: 2 with an int ``cv``; a
        splitter given as ``cv`` is used as it is (it repeats itself, if it does, and
        takes no ``n_repeats`` above 1).
    time_budget : float or None, default=None
        Seconds for the search. Once spent, no further candidate or fold starts; the
        choice is made among the candidates scored on every fold (the first candidate
        always is). ``cv_results_['evaluated']`` says which were.
    random_state : int, RandomState, Generator or None, default=None
        Seeds the folds and every candidate and estimator whose ``random_state`` is
        ``None``; the same seed gives the same choice and output. An int is given to the
        candidates as it is: the output is then exactly what the chosen candidate with
        ``random_state=<that int>`` makes on the data.

    Attributes
    ----------
    chosen_ : sampler
        The chosen candidate, fitted on all the data (its own attributes, such as
        ``provenance_`` or ``sample_indices_``, are there).
    best_index_ : int
        Its position among the candidates.
    best_score_ : float
        Its mean test score.
    cv_results_ : dict of ndarray
        Per candidate: ``name``, ``params``, ``mean_test_score``, ``std_test_score``,
        ``split<i>_test_score``, ``rank_test_score``, ``mean_fit_time`` (resampling and
        learning, per fold), ``evaluated``, ``adapted`` and ``error`` (why it failed, if
        it did; a failed candidate scores ``nan`` and is never chosen).
    sampling_strategy_, sample_indices_, provenance_ : as the chosen sampler's
        Where it has them.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    smotelab.diagnostics.recommend : The decision guide; with ``estimator=`` it runs this
        search and explains the choice.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.model_selection import AutoSampler
    >>> X, y = make_classification(n_samples=600, weights=[0.9], random_state=0)
    >>> auto = AutoSampler(random_state=0)
    >>> X_res, y_res = auto.fit_resample(X, y)
    >>> auto.cv_results_["name"].tolist()[:3]
    ['GeometricSMOTE', 'SMOTE', 'SMOTETomek']
    >>> type(auto.chosen_).__name__ == auto.cv_results_["name"][auto.best_index_]
    True
    """

    _sampling_type: ClassVar[str] = "bypass"
    _parameter_constraints: ClassVar[dict] = {
        "candidates": [list, tuple, None],
        "sampling_strategy": [Real, str, dict, list, callable, None],
        "estimator": [HasMethods(["fit", "predict"]), None],
        "scoring": [str, callable, None],
        "cv": [Interval(Integral, 2, None, closed="left"), "cv_object"],
        "n_repeats": [Interval(Integral, 1, None, closed="left"), None],
        "margin": [Interval(Real, 0, None, closed="left")],
        "time_budget": [Interval(Real, 0, None, closed="neither"), None],
        "random_state": ["random_state", np.random.Generator],
    }

    def __init__(self, candidates=None, *, sampling_strategy=None, estimator=None,
                 scoring=None, cv=3, n_repeats=None, margin=0.01, time_budget=None,
                 random_state=None):
        self.candidates = candidates
        self.sampling_strategy = sampling_strategy
        self.estimator = estimator
        self.scoring = scoring
        self.cv = cv
        self.n_repeats = n_repeats
        self.margin = margin
        self.time_budget = time_budget
        self.random_state = random_state

    def _named_candidates(self) -> list[tuple[str, Any]]:
        if self.candidates is None:
            return default_candidates()

        def check(name: str, sampler: Any) -> None:
            if not hasattr(sampler, "fit_resample"):
                raise TypeError(f"AutoSampler: candidate {name!r} is a "
                                f"{type(sampler).__name__}, not a sampler (no fit_resample).")

        return named(self.candidates, lambda s: type(s).__name__, check,
                     "AutoSampler: candidates is empty; give at least one sampler.")

    def _candidates(self) -> list[tuple[str, Any]]:
        """The named candidates, with ``sampling_strategy`` given to each when set."""
        named = self._named_candidates()
        if self.sampling_strategy is None:
            return named
        out = []
        for name, sampler in named:
            if "sampling_strategy" not in sampler.get_params(deep=False):
                raise ValueError(f"AutoSampler: sampling_strategy is set but candidate "
                                 f"{name!r} takes none; leave it None or drop {name!r}.")
            out.append((name, clone(sampler).set_params(
                sampling_strategy=self.sampling_strategy)))
        return out

    def __sklearn_tags__(self):  # noqa: D105
        # what the output is: what every candidate's is, where they agree
        tags = super().__sklearn_tags__()
        set_needs_numeric(tags, False)  # the candidates check what they need
        tags.sampler_tags.coupled_classes = True  # the choice depends on every class
        try:
            found = [sampler_tags(s) for _, s in self._named_candidates()]
        except (TypeError, ValueError):
            return tags
        kinds = {t.sampling_type for t in found}
        if len(kinds) == 1:
            tags.sampler_tags.sampling_type = kinds.pop()
        tags.sampler_tags.combines = all(t.combines for t in found)
        tags.sampler_tags.sample_indices = all(t.sample_indices for t in found)
        tags.sampler_tags.approximate_counts = any(t.approximate_counts for t in found)
        scopes = {t.neighbor_scope for t in found}
        tags.sampler_tags.neighbor_scope = scopes.pop() if len(scopes) == 1 else "any"
        return tags

    def _check_contents(self, Xc: XContainer, yc: YContainer) -> None:
        if all(sampler_tags(s).needs_numeric for _, s in self._named_candidates()):
            self._numeric(Xc)  # NaN, strings: the data's fault, said once, up front

    def _fit_resample(self, X: XContainer, y: YContainer, *, plan: Any,
                      streams: RandomStreams) -> tuple[Any, Any]:
        self._check_contents(X, y)
        named = self._candidates()
        Xn, yn = X.native, np.asarray(y.native)
        if yn.ndim == 2:  # a one-vs-all indicator: the search runs on the labels
            yn = yn.argmax(axis=1)
        folds, starved = inner_folds(self, Xn, yn, streams)
        scorer = (auc_and_g_mean if self.scoring is None
                  else check_scoring(self._estimators(streams)[0], scoring=self.scoring))
        # an int random_state reaches the candidates as it is, so the output is the chosen
        # candidate's own with that seed; otherwise each draws a seed of its own
        rs = self.random_state
        seeds = [int(rs) if isinstance(rs, Integral) else streams.member_seed(1 + i)
                 for i in range(len(named))]

        def score(i: int, f: int, train: np.ndarray, test: np.ndarray) -> tuple[float, bool]:
            return self._score_fold(named[i][1], seeds[i], Xn, yn, train, test, scorer,
                                    streams)

        best, self.cv_results_ = cross_validate(self, named, folds, starved, score,
                                                noun="candidate")
        mean = self.cv_results_["mean_test_score"]
        self.best_index_, self.best_score_ = best, float(mean[best])
        chosen, _ = fit_to_classes(seeded(named[best][1], seeds[best]), yn)
        out = chosen.fit_resample(Xn, y.native)
        self.chosen_ = chosen
        for attr in ("sampling_strategy_", "sample_indices_", "provenance_",
                     "synthetic_kept_", "n_features_in_", "feature_names_in_"):
            if hasattr(chosen, attr):
                setattr(self, attr, getattr(chosen, attr))
            elif attr in vars(self) and attr != "n_features_in_":
                delattr(self, attr)
        return out[0], out[1]

    def _estimators(self, streams: RandomStreams) -> list[Any]:
        """The models a fold is scored with (the score is their mean)."""
        rs = self.random_state
        seed = int(rs) if isinstance(rs, Integral) else streams.member_seed(2**20)
        if self.estimator is None:
            from ._panel import default_panel

            return default_panel(seed)
        return [seeded(self.estimator, streams.member_seed(2**20))]

    def _score_fold(self, candidate: Any, seed: int, Xn: Any, yn: np.ndarray,
                    train: np.ndarray, test: np.ndarray, scorer: Any,
                    streams: RandomStreams) -> tuple[float, bool]:
        X_tr, y_tr = _safe_indexing(Xn, train), yn[train]
        sampler, changed = fit_to_classes(_to_fold(seeded(candidate, seed), yn, y_tr), y_tr)
        X_res, y_res = sampler.fit_resample(X_tr, y_tr)[:2]
        X_te, y_te = _safe_indexing(Xn, test), yn[test]
        with warnings.catch_warnings():
            if self.estimator is None:
                # the default models only score the candidates: a logistic regression
                # short of convergence still ranks them
                warnings.simplefilter("ignore", ConvergenceWarning)
            scores = [scorer(est.fit(X_res, np.asarray(y_res)), X_te, y_te)
                      for est in self._estimators(streams)]
        return float(np.mean(scores)), changed

    def _output_sources(self, n_samples: int) -> np.ndarray:
        from ..utils._metadata import row_sources

        return row_sources(self.chosen_, n_samples)
