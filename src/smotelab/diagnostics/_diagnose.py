"""What a data set's classes look like before resampling, and what that means for SMOTE.

:func:`diagnose` measures the things the SMOTE literature warns about and turns each
into a :class:`Finding` that says what was found, why it matters and what to do:

* imbalance: each class's count and its ratio to the largest class;
* too few samples: fewer than ``k_neighbors + 1`` (SMOTE cannot run), or fewer than
  six per feature (a common rule of thumb for interpolation to stay meaningful);
* high dimensionality: more than 50 features with fewer than five minority samples
  per feature, where neighbours stop being informative;
* difficulty (Napierala and Stefanowski, 2016): with ``k = 5`` neighbours on
  standardised numeric columns, a sample is *safe* (4-5 of its class around it),
  *borderline* (2-3), *rare* (1) or an *outlier* (0). The outlier share is the noise
  estimate, one minus the safe share the class overlap;
* subgroups: the number of well-separated clusters inside each minority class
  (k-means on the class's own standardised rows, best silhouette of at least 0.6);
* categorical columns: non-numeric columns, and numbers that look like codes.

Everything is computed on at most ``max_queries`` rows per class (spread evenly), against
all rows, so a diagnosis of a million rows takes seconds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .._kernels.labels import other_class_counts
from ..neighbors import ExactNeighbors, kneighbors_of_rows
from ..utils._subsets import evenly_spaced
from ..utils._validation import check_X_y, integer_coded_columns

__all__ = ["Diagnosis", "Finding", "diagnose"]

# Thresholds of the findings, in one place.
PER_FEATURE = 6          # minority samples per feature, rule of thumb
HIGH_DIM_FEATURES = 50   # "high dimensional" above this many features ...
HIGH_DIM_PER_FEATURE = 5  # ... with fewer minority samples per feature than this
NOISE = 0.10             # outlier share that makes a class noisy
BORDERLINE = 0.30        # borderline share where the boundary matters
SILHOUETTE = 0.6         # subgroups are reported when they separate this well
BALANCED = 1.5           # imbalance ratio under which resampling rarely helps
_SEVERITY_ORDER = {"problem": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One thing :func:`diagnose` found.

    Attributes
    ----------
    code : str
        Stable identifier (``'noisy-minority'``, ``'too-few-samples'``, ...).
    severity : {'problem', 'warning', 'info'}
        ``'problem'``: resampling as usual will fail or mislead; ``'warning'``: it will
        probably do worse than it could; ``'info'``: a fact that guides the choice.
    message : str
        What was found, with the numbers.
    why : str
        Why it matters.
    action : str
        What to do about it.
    classes : tuple
        The classes concerned (empty when the finding is about the columns).
    """

    code: str
    severity: str
    message: str
    why: str
    action: str
    classes: tuple = ()


@dataclass
class Diagnosis:
    """The report of :func:`diagnose`: per-class statistics and findings.

    Print it for a readable report; :meth:`to_dict` and :meth:`to_frame` give the
    numbers to programs.
    """

    n_samples: int
    n_features: int
    classes: list
    counts: dict
    imbalance_ratio: dict
    samples_per_feature: dict
    difficulty: dict  # class -> {"safe", "borderline", "rare", "outlier"} shares
    subgroups: dict   # class -> estimated number of well-separated clusters
    categorical_columns: list
    code_like_columns: list
    n_neighbors: int
    findings: list = field(default_factory=list)

    @property
    def majority(self) -> Any:
        """The largest class."""
        return max(self.counts, key=lambda c: self.counts[c])

    @property
    def minority_classes(self) -> list:
        """Every class but the largest, smallest first."""
        return sorted((c for c in self.classes if c != self.majority),
                      key=lambda c: self.counts[c])

    def noise(self, label: Any) -> float:
        """Share of the class's samples whose neighbours all belong to other classes."""
        return self.difficulty[label]["outlier"] if label in self.difficulty else float("nan")

    def overlap(self, label: Any) -> float:
        """Share of the class's samples that are not safe (other classes around them)."""
        d = self.difficulty.get(label)
        return float("nan") if d is None else 1.0 - d["safe"]

    def has(self, code: str) -> bool:
        """Whether a finding with this code was made."""
        return any(f.code == code for f in self.findings)

    def to_dict(self) -> dict:
        """Everything as plain Python values (labels as they are, findings as dicts)."""
        out = {k: v for k, v in asdict(self).items() if k != "findings"}
        out["findings"] = [asdict(f) for f in self.findings]
        return out

    def to_frame(self) -> Any:
        """One row per class: count, ratio, samples per feature, difficulty shares, subgroups.

        Needs pandas (``pip install "smotelab[pandas]"``).
        """
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - pandas is a test dependency
            raise ImportError('Diagnosis.to_frame needs pandas: pip install "smotelab[pandas]"'
                              ) from None
        rows = []
        for c in self.classes:
            d = self.difficulty.get(c, {})
            rows.append({"class": c, "count": self.counts[c],
                         "imbalance_ratio": self.imbalance_ratio[c],
                         "samples_per_feature": self.samples_per_feature[c],
                         "safe": d.get("safe"), "borderline": d.get("borderline"),
                         "rare": d.get("rare"), "outlier": d.get("outlier"),
                         "subgroups": self.subgroups.get(c)})
        return pd.DataFrame(rows).set_index("class")

    def __str__(self) -> str:
        lines = [f"Diagnosis of {self.n_samples:,} samples x {self.n_features} features, "
                 f"{len(self.classes)} classes (difficulty from {self.n_neighbors} "
                 "neighbours on standardised numeric columns)", ""]
        head = (f"{'class':>12} {'count':>9} {'ratio':>7} {'per feat.':>9} {'safe':>6} "
                f"{'border':>6} {'rare':>6} {'outlier':>7} {'groups':>6}")
        lines.append(head)
        for c in self.classes:
            d = self.difficulty.get(c)
            shares = (" ".join(f"{d[k]:>6.0%}" for k in ("safe", "borderline", "rare"))
                      + f" {d['outlier']:>7.0%}") if d else f"{'-':>6} {'-':>6} {'-':>6} {'-':>7}"
            groups = self.subgroups.get(c)
            lines.append(f"{str(c)[:12]:>12} {self.counts[c]:>9,} "
                         f"{self.imbalance_ratio[c]:>7.1f} "
                         f"{self.samples_per_feature[c]:>9.1f} {shares} "
                         f"{'-' if groups is None else groups:>6}")
        lines.append("")
        if not self.findings:
            lines.append("No findings.")
        for f in self.findings:
            mark = {"problem": "!!", "warning": " !", "info": " -"}[f.severity]
            lines.append(f"{mark} [{f.code}] {f.message}")
            lines.append(f"     why: {f.why}")
            lines.append(f"     do:  {f.action}")
        return "\n".join(lines)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython
        p.text(str(self))


def diagnose(X: Any, y: Any, *, n_neighbors: int = 5, max_queries: int = 2000,
             random_state: int | None = 0) -> Diagnosis:
    """Measure what matters for resampling ``(X, y)`` and say what to do about it.

    Parameters
    ----------
    X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
        Features; non-numeric columns are reported and left out of the distances.
    y : array-like of shape (n_samples,)
        Class labels.
    n_neighbors : int, default=5
        Neighbours for the difficulty of each sample.
    max_queries : int, default=2000
        At most this many samples per class have their neighbours examined (spread
        evenly over the class); the neighbours are searched among all samples.
    random_state : int or None, default=0
        Seed of the subgroup clustering.

    Returns
    -------
    Diagnosis
        Per-class numbers and the findings, most severe first.

    Examples
    --------
    >>> from smotelab.datasets import make_dragons
    >>> from smotelab.diagnostics import diagnose
    >>> report = diagnose(*make_dragons())
    >>> report.counts["dragon"], round(report.imbalance_ratio["dragon"])
    (48, 50)
    >>> report.has("noisy-minority"), report.findings[0].code
    (True, 'noisy-minority')
    """
    Xc, yc = check_X_y(X, y)
    classes, counts, inverse = yc.encoded()
    labels = [c.item() if hasattr(c, "item") else c for c in classes]
    n, d = Xc.n_rows, Xc.n_features
    count = {c: int(k) for c, k in zip(labels, counts, strict=True)}
    top = max(count.values())
    cat_cols = Xc.categorical_like_columns()
    numeric_cols = [j for j in range(d) if j not in set(Xc.non_numeric_columns())]
    Xn = Xc.numeric(caller="diagnose", columns=numeric_cols) if numeric_cols else None
    if Xn is not None and not hasattr(Xn, "toarray"):
        from ..utils._validation import check_finite

        check_finite(Xn, Xc)
    code_like = [numeric_cols[j] for j in integer_coded_columns(Xn)] if Xn is not None else []
    diag = Diagnosis(
        n_samples=n, n_features=d, classes=labels, counts=count,
        imbalance_ratio={c: top / k for c, k in count.items()},
        samples_per_feature={c: k / d for c, k in count.items()},
        difficulty={}, subgroups={},
        categorical_columns=[Xc.columns[j] if Xc.columns is not None else j for j in cat_cols],
        code_like_columns=[Xc.columns[j] if Xc.columns is not None else j for j in code_like],
        n_neighbors=n_neighbors)
    if Xn is not None and n > n_neighbors:
        Z = _standardised(Xn)
        diag.difficulty = _difficulty(Z, inverse, labels, n_neighbors, max_queries)
        diag.subgroups = {c: _subgroups(Z[inverse == i], random_state)
                          for i, c in enumerate(labels) if c in diag.minority_classes}
    diag.findings = sorted(_findings(diag), key=lambda f: _SEVERITY_ORDER[f.severity])
    return diag


def _standardised(X: Any) -> np.ndarray:
    if hasattr(X, "toarray"):
        X = X.toarray()
    X = np.asarray(X, dtype=np.float64)
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def _difficulty(Z: np.ndarray, inverse: np.ndarray, labels: list, k: int, max_queries: int
                ) -> dict:
    picked = []
    for i in range(len(labels)):
        members = np.flatnonzero(inverse == i)
        picked.append(members[evenly_spaced(len(members), max_queries)])
    rows = np.concatenate(picked)
    _, graph = kneighbors_of_rows(ExactNeighbors(k), Z, rows, k)
    same = k - other_class_counts(graph, inverse, inverse[rows])
    share = same / k
    kind = np.select([share > 0.7, share >= 0.3, share > 0], [0, 1, 2], 3)
    out = {}
    for i, c in enumerate(labels):
        mine = inverse[rows] == i
        tally = np.bincount(kind[mine], minlength=4) / max(int(mine.sum()), 1)
        out[c] = dict(zip(("safe", "borderline", "rare", "outlier"), map(float, tally),
                          strict=True))
    return out


def _subgroups(Zc: np.ndarray, random_state: int | None) -> int:
    """Well-separated clusters in one class: best silhouette over 2..6 clusters, if >= 0.6."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    if len(Zc) < 20:
        return 1
    if len(Zc) > 2000:
        Zc = Zc[evenly_spaced(len(Zc), 2000)]
    # the class's own scale: a thin strip of the whole data is not two groups
    Zc = _standardised(Zc)
    best, best_k = SILHOUETTE, 1
    for k in range(2, min(6, len(Zc) // 10) + 1):
        lab = KMeans(n_clusters=k, n_init=3, random_state=random_state).fit_predict(Zc)
        if len(np.unique(lab)) < 2:
            continue
        s = silhouette_score(Zc, lab)
        if s > best:
            best, best_k = s, k
    return best_k


def _findings(diag: Diagnosis) -> list[Finding]:
    out = []
    minority = diag.minority_classes
    worst = max(diag.imbalance_ratio[c] for c in minority) if minority else 1.0
    if worst < BALANCED:
        out.append(Finding(
            "balanced", "info",
            f"The classes are nearly balanced (largest/smallest ratio {worst:.2f}).",
            "Resampling mostly helps when a class is much rarer than the others.",
            "Try the model without resampling first (or with class weights)."))
    else:
        rare = [c for c in minority if diag.imbalance_ratio[c] >= BALANCED]
        out.append(Finding(
            "imbalance", "info",
            "Class(es) " + ", ".join(f"{c!r} ({diag.imbalance_ratio[c]:.0f}x rarer)"
                                     for c in rare) + f" than {diag.majority!r}.",
            "A model fitted as is will favour the majority; accuracy will hide it.",
            "Resample inside a Pipeline (smotelab.pipeline.make_pipeline) and score with "
            "balanced metrics (smotelab.metrics.geometric_mean_score).", tuple(rare)))
    tiny = [c for c in minority if diag.counts[c] <= diag.n_neighbors]
    if tiny:
        out.append(Finding(
            "too-few-samples", "problem",
            "Class(es) " + ", ".join(f"{c!r} ({diag.counts[c]})" for c in tiny)
            + f" have at most {diag.n_neighbors} samples.",
            "SMOTE interpolates between a sample and its k_neighbors=5 nearest same-class "
            "neighbours, so it needs at least k_neighbors + 1 samples of the class.",
            "Use k_neighbors <= (smallest count - 1), or RandomOverSampler for those "
            "classes; collecting more samples helps most.", tuple(tiny)))
    thin = [c for c in minority if diag.samples_per_feature[c] < PER_FEATURE
            and c not in tiny]
    if thin:
        out.append(Finding(
            "few-samples-per-feature", "warning",
            "Class(es) " + ", ".join(f"{c!r} ({diag.samples_per_feature[c]:.1f} per feature)"
                                     for c in thin)
            + f" have fewer than {PER_FEATURE} samples per feature.",
            "With few samples per feature the segments SMOTE draws on cover little of the "
            "space, and synthetic samples add little information.",
            "Select or combine features first; prefer a conservative strategy (e.g. a "
            "float sampling_strategy below 1).", tuple(thin)))
    if diag.n_features > HIGH_DIM_FEATURES and any(
            diag.samples_per_feature[c] < HIGH_DIM_PER_FEATURE for c in minority):
        out.append(Finding(
            "high-dimensional", "warning",
            f"{diag.n_features} features with fewer than {HIGH_DIM_PER_FEATURE} minority "
            "samples per feature.",
            "In high dimensions distances concentrate, nearest neighbours stop being near, "
            "and SMOTE's synthetic samples are little better than random duplicates.",
            "Reduce the dimension first: make_pipeline(PCA(n_components=...) or "
            "SelectKBest(...), SMOTE(...), model)."))
    if diag.categorical_columns or diag.code_like_columns:
        cols = list(diag.categorical_columns) + list(diag.code_like_columns)
        numeric_left = diag.n_features - len(cols)
        use = "SMOTENC(categorical_features=[...])" if numeric_left else "SMOTEN()"
        out.append(Finding(
            "categorical-columns", "warning",
            f"Column(s) {', '.join(map(repr, cols[:8]))}{' ...' if len(cols) > 8 else ''} "
            "look categorical" + (" (whole numbers with few values)"
                                  if diag.code_like_columns else "") + ".",
            "Plain SMOTE interpolates codes into values no category has (0.37 of 'red').",
            f"Use {use}; the difficulty figures above use the numeric columns only."))
    for c in minority:
        d = diag.difficulty.get(c)
        if d is None:
            continue
        if d["outlier"] > NOISE:
            out.append(Finding(
                "noisy-minority", "warning",
                f"{d['outlier']:.0%} of class {c!r} have no same-class sample among their "
                f"{diag.n_neighbors} neighbours (outliers); {d['rare']:.0%} have one.",
                "Label noise or isolated samples: SMOTE interpolates from them into the "
                "other classes' regions and spreads the noise.",
                "Clean after over-sampling: SMOTEENN (more noise) or SMOTETomek.", (c,)))
        if d["borderline"] > BORDERLINE:
            out.append(Finding(
                "overlap", "info",
                f"{d['borderline']:.0%} of class {c!r} are borderline (2-3 of "
                f"{diag.n_neighbors} neighbours from the class).",
                "The classes overlap; where the boundary lies matters most.",
                "BorderlineSMOTE focuses synthesis on the boundary; ADASYN on the harder "
                "regions.", (c,)))
        if 0.2 <= d["safe"] <= 0.8 and d["borderline"] + d["rare"] >= 0.2:
            out.append(Finding(
                "varying-difficulty", "info",
                f"Class {c!r} mixes safe ({d['safe']:.0%}) and harder samples "
                f"(borderline {d['borderline']:.0%}, rare {d['rare']:.0%}).",
                "Regions of different difficulty: an even spread of synthetic samples "
                "over-serves the easy ones.",
                "ADASYN generates more where the class is harder to learn.", (c,)))
        if diag.subgroups.get(c, 1) > 1:
            out.append(Finding(
                "subgroups", "info",
                f"Class {c!r} looks like {diag.subgroups[c]} separate groups.",
                "SMOTE can interpolate between groups, through space the class does not "
                "occupy.",
                "KMeansSMOTE clusters first and over-samples within clusters.", (c,)))
    return out
