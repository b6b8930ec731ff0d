"""The SMOTE decision guide, applied to a :class:`~smotelab.diagnostics.Diagnosis`.

The guide, in order: categorical columns -> SMOTE-NC (SMOTE-N when every column is
categorical); noisy labels -> SMOTE-ENN (much noise) or SMOTE-Tomek; distinct minority
subgroups -> K-Means SMOTE; a boundary that matters -> Borderline-SMOTE; regions of
varying difficulty -> ADASYN; otherwise SMOTE. Failure modes adjust the choice: a class
too small for five neighbours gets a smaller ``k_neighbors`` (random over-sampling below
two samples), and high dimensionality or few samples per feature add a step to take
first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._diagnose import NOISE, Diagnosis, diagnose

__all__ = ["Recommendation", "recommend"]

_HEAVY_NOISE = 2 * NOISE

# what resampling costs, from the real-data benchmark (benchmarks/RESULTS-quality.md)
CALIBRATION = (
    "Resampling moves predicted probabilities toward the minority: decide with predict(), "
    "or recalibrate before reading probabilities as risks. On the real-data benchmark "
    "SMOTE raised the mean Brier score from 0.030 to 0.051 (SMOTE-ENN 0.066), while a "
    "decision threshold tuned by cross-validation kept 0.030 but reached a lower balanced "
    "accuracy (0.830 against SMOTE's 0.849; class weights 0.826). To weigh resampling, "
    "class weights and a tuned threshold on your data, with calibration beside each: "
    "smotelab.model_selection.ImbalanceSearchCV.")


@dataclass
class Recommendation:
    """A configured sampler and the reasons for it, in the order the guide applied them.

    Attributes
    ----------
    sampler : sampler
        Ready to use (``fit_resample``, or as a Pipeline step).
    reasons : list of str
        Why this sampler and these parameters, most decisive first.
    before : list of str
        Steps to take before resampling (e.g. reduce the dimension), possibly empty.
    diagnosis : Diagnosis
        What the choice was based on.
    evidence : dict or None
        With an ``estimator``: the search's ``cv_results_``.
    caveats : list of str
        What the choice costs (calibration), and the alternatives to weigh.
    """

    sampler: Any
    reasons: list = field(default_factory=list)
    before: list = field(default_factory=list)
    diagnosis: Diagnosis | None = None
    evidence: dict | None = None
    caveats: list = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Recommended: {self.sampler!r}", "", "Because:"]
        lines += [f"  {i}. {r}" for i, r in enumerate(self.reasons, 1)]
        if self.evidence is not None:
            ev = self.evidence
            lines += ["", "Cross-validated on these data (mean ± std of the score):"]
            for i in np.argsort(ev["rank_test_score"], kind="stable"):
                score = (f"{ev['mean_test_score'][i]:.3f} ± {ev['std_test_score'][i]:.3f}"
                         if ev["evaluated"][i] else f"not scored ({ev['error'][i][:60]})")
                lines.append(f"  {ev['name'][i]:<20} {score}")
        if self.before:
            lines += ["", "First:"] + [f"  - {b}" for b in self.before]
        if self.caveats:
            lines += ["", "Keep in mind:"] + [f"  - {c}" for c in self.caveats]
        return "\n".join(lines)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython
        p.text(str(self))


def recommend(X: Any, y: Any, *, random_state: Any = None,
              diagnosis: Diagnosis | None = None, estimator: Any = None,
              scoring: Any = None, cv: Any = 3, time_budget: float | None = None
              ) -> Recommendation:
    """Choose and configure a sampler for ``(X, y)``: by the SMOTE decision guide, or by
    cross-validation on the data when an ``estimator`` is given.

    Without ``estimator`` the guide's rules choose (fast, no model fitted). With one,
    the guide's choice and :func:`~smotelab.model_selection.default_candidates` are
    cross-validated on ``(X, y)`` with that estimator (the search of
    :class:`~smotelab.model_selection.AutoSampler`, the guide's choice first: it stands
    unless another scores clearly better); the rules' reasons stay as the explanation,
    and the scores are in ``evidence``. On the real-data benchmark the rules alone tie SMOTE; the search is
    evidence from the user's own data.

    Parameters
    ----------
    X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
        Features.
    y : array-like of shape (n_samples,)
        Class labels.
    random_state : int, RandomState, Generator or None, default=None
        Passed to the recommended sampler.
    diagnosis : Diagnosis, optional
        A diagnosis of the same data, to avoid computing it again.
    estimator : classifier, optional
        The model the sampler will feed: choose by cross-validating the candidates with
        it (see above).
    scoring, cv, time_budget : optional
        The search's scoring (default: the mean of ROC AUC and G-mean), folds (default:
        3 stratified) and time limit in seconds, as
        :class:`~smotelab.model_selection.AutoSampler` takes them.

    Returns
    -------
    Recommendation
        The configured sampler, the reasons, any step to take first and, with an
        ``estimator``, the cross-validated scores (``evidence``: AutoSampler's
        ``cv_results_``).

    Examples
    --------
    >>> from smotelab.datasets import make_dragons
    >>> from smotelab.diagnostics import recommend
    >>> rec = recommend(*make_dragons(), random_state=0)
    >>> type(rec.sampler).__name__ in {"SMOTE", "BorderlineSMOTE", "ADASYN", "SMOTETomek",
    ...                                "SMOTEENN", "KMeansSMOTE"}
    True
    """
    diag = diagnosis if diagnosis is not None else diagnose(X, y)
    rec = _by_rules(diag, random_state)
    if estimator is not None:
        rec = _by_evidence(rec, X, y, estimator=estimator, scoring=scoring, cv=cv,
                           time_budget=time_budget, random_state=random_state)
    rec.caveats.append(CALIBRATION)
    return rec


def _by_evidence(rec: Recommendation, X: Any, y: Any, **search: Any) -> Recommendation:
    """The rules' pick and the default portfolio, cross-validated; the best recommended."""
    from sklearn.base import clone

    from ..model_selection import AutoSampler, default_candidates

    candidates = default_candidates(search["random_state"])
    if repr(rec.sampler) not in {repr(s) for _, s in candidates}:
        candidates.insert(0, (f"{type(rec.sampler).__name__} (guide)", rec.sampler))
    auto = AutoSampler(candidates, **search)
    auto.fit_resample(X, y)
    res = auto.cv_results_
    best = auto.best_index_
    name = res["name"][best]
    model = search["estimator"]
    model = model.steps[-1][1] if hasattr(model, "steps") else model
    reasons = [f"Cross-validated with {type(model).__name__} on these data, "
               f"{name} scored best ({res['mean_test_score'][best]:.3f})."]
    if clone(candidates[best][1]).get_params() != rec.sampler.get_params() or type(
            candidates[best][1]) is not type(rec.sampler):
        reasons.append(f"The decision guide alone would pick {type(rec.sampler).__name__}: "
                       + " ".join(rec.reasons))
    else:
        reasons += rec.reasons
    return Recommendation(clone(candidates[best][1]), reasons, rec.before, rec.diagnosis,
                          evidence=res)


def _by_rules(diag: Diagnosis, random_state: Any) -> Recommendation:
    """The decision guide's choice for a diagnosis."""
    from .. import combine, over_sampling

    reasons: list[str] = []
    before: list[str] = []
    minority = diag.minority_classes
    smallest = min((diag.counts[c] for c in minority), default=0)
    k = 5
    if smallest and smallest <= k:
        k = max(1, smallest - 1)
    if smallest < 2:
        reasons.append(f"The smallest class has {smallest} sample(s): no neighbour to "
                       "interpolate with, so samples are duplicated (RandomOverSampler).")
        return Recommendation(over_sampling.RandomOverSampler(random_state=random_state),
                              reasons, before, diag)
    k_note = (f" with k_neighbors={k} (the smallest class has {smallest} samples)"
              if k < 5 else "")
    if diag.has("high-dimensional"):
        before.append("Reduce the dimension (PCA or feature selection) inside the "
                      "pipeline, before the sampler.")
    if diag.has("few-samples-per-feature"):
        before.append("Consider fewer features: the minority has under six samples per "
                      "feature.")
    noise = max((diag.noise(c) for c in minority if c in diag.difficulty), default=0.0)
    cat = list(diag.categorical_columns) + list(diag.code_like_columns)
    if cat:
        if len(cat) == diag.n_features:
            sampler = over_sampling.SMOTEN(k_neighbors=k, random_state=random_state)
            reasons.append("Every column is categorical: SMOTEN votes each value from the "
                           f"nearest same-class samples (Value Difference Metric){k_note}.")
        else:
            sampler = over_sampling.SMOTENC(categorical_features=cat, k_neighbors=k,
                                            random_state=random_state)
            reasons.append(f"Column(s) {', '.join(map(repr, cat))} look categorical: "
                           "SMOTENC interpolates only the numeric columns and votes the "
                           f"categories{k_note}.")
        if noise > NOISE:
            reasons.append(f"The minority is noisy ({noise:.0%} outliers), but the cleaners "
                           "need numeric distances; clean the categorical data separately.")
        return Recommendation(sampler, reasons, before, diag)
    smote = over_sampling.SMOTE(k_neighbors=k, random_state=random_state)
    if noise > NOISE:
        if noise > _HEAVY_NOISE:
            sampler = combine.SMOTEENN(smote=smote if k < 5 else None,
                                       random_state=random_state)
            reasons.append(f"{noise:.0%} of a minority class are outliers (only other "
                           "classes around them): SMOTE-ENN removes the samples their "
                           f"neighbours disagree with after over-sampling{k_note}.")
        else:
            sampler = combine.SMOTETomek(smote=smote if k < 5 else None,
                                         random_state=random_state)
            reasons.append(f"{noise:.0%} of a minority class are outliers: SMOTE-Tomek "
                           f"removes the pairs that straddle the boundary{k_note}.")
        return Recommendation(sampler, reasons, before, diag)
    reasons.append(f"Little label noise (at most {noise:.0%} outliers in a minority class).")
    if diag.has("subgroups"):
        groups = max(diag.subgroups.values())
        sampler = over_sampling.KMeansSMOTE(k_neighbors=k, random_state=random_state)
        reasons.append(f"A minority class forms {groups} separate groups: K-Means SMOTE "
                       f"over-samples within clusters, not across the gaps{k_note}.")
    elif diag.has("overlap"):
        sampler = over_sampling.BorderlineSMOTE(k_neighbors=k, random_state=random_state)
        reasons.append("Many minority samples are borderline: Borderline-SMOTE synthesises "
                       f"near the class boundary{k_note}.")
    elif diag.has("varying-difficulty"):
        sampler = over_sampling.ADASYN(n_neighbors=k, random_state=random_state)
        reasons.append("The minority mixes easy and hard regions: ADASYN generates more "
                       f"where it is harder to learn (n_neighbors={k}).")
    else:
        sampler = smote
        reasons.append("No categorical columns, noise, subgroups or overlap stand out: plain "
                       f"SMOTE{k_note}.")
    return Recommendation(sampler, reasons, before, diag)
