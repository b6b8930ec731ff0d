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

from ._diagnose import NOISE, Diagnosis, diagnose

__all__ = ["Recommendation", "recommend"]

_HEAVY_NOISE = 2 * NOISE


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
    """

    sampler: Any
    reasons: list = field(default_factory=list)
    before: list = field(default_factory=list)
    diagnosis: Diagnosis | None = None

    def __str__(self) -> str:
        lines = [f"Recommended: {self.sampler!r}", "", "Because:"]
        lines += [f"  {i}. {r}" for i, r in enumerate(self.reasons, 1)]
        if self.before:
            lines += ["", "First:"] + [f"  - {b}" for b in self.before]
        return "\n".join(lines)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython
        p.text(str(self))


def recommend(X: Any, y: Any, *, random_state: Any = None,
              diagnosis: Diagnosis | None = None) -> Recommendation:
    """Choose and configure a sampler for ``(X, y)`` by the SMOTE decision guide.

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

    Returns
    -------
    Recommendation
        The configured sampler, the reasons and any step to take first.

    Examples
    --------
    >>> from smotelab.datasets import make_dragons
    >>> from smotelab.diagnostics import recommend
    >>> rec = recommend(*make_dragons(), random_state=0)
    >>> type(rec.sampler).__name__ in {"SMOTE", "BorderlineSMOTE", "ADASYN", "SMOTETomek",
    ...                                "SMOTEENN", "KMeansSMOTE"}
    True
    """
    from .. import combine, over_sampling

    diag = diagnosis if diagnosis is not None else diagnose(X, y)
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
            sampler = combine.SMOTEENN(smote=smote, random_state=random_state)
            reasons.append(f"{noise:.0%} of a minority class are outliers (only other "
                           "classes around them): SMOTE-ENN removes the samples their "
                           f"neighbours disagree with after over-sampling{k_note}.")
        else:
            sampler = combine.SMOTETomek(smote=smote, random_state=random_state)
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
