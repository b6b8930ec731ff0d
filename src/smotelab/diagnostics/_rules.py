"""The decision guide as a table of rules: each turns a diagnosis into findings.

A rule reads the numbers of a :class:`Diagnosis` and returns the findings it makes (none,
one, or one per class); :data:`RULES` lists them in order and :func:`findings` runs them.
The thresholds are named here, once.
"""

from __future__ import annotations

from collections.abc import Callable

from ._report import Diagnosis, Finding

__all__ = ["RULES", "findings"]

PER_FEATURE = 6          # minority samples per feature, rule of thumb
HIGH_DIM_FEATURES = 50   # "high dimensional" above this many features ...
HIGH_DIM_PER_FEATURE = 5  # ... with fewer minority samples per feature than this
NOISE = 0.10             # outlier share that makes a class noisy
BORDERLINE = 0.30        # borderline share where the boundary matters
BALANCED = 1.5           # imbalance ratio under which resampling rarely helps


def balance(diag: Diagnosis) -> list[Finding]:
    minority = diag.minority_classes
    worst = max(diag.imbalance_ratio[c] for c in minority) if minority else 1.0
    if worst < BALANCED:
        return [Finding(
            "balanced", "info",
            f"The classes are nearly balanced (largest/smallest ratio {worst:.2f}).",
            "Resampling mostly helps when a class is much rarer than the others.",
            "Try the model without resampling first (or with class weights).")]
    rare = [c for c in minority if diag.imbalance_ratio[c] >= BALANCED]
    return [Finding(
        "imbalance", "info",
        "Class(es) " + ", ".join(f"{c!r} ({diag.imbalance_ratio[c]:.0f}x rarer)"
                                 for c in rare) + f" than {diag.majority!r}.",
        "A model fitted as is will favour the majority; accuracy will hide it.",
        "Resample inside a Pipeline (smotelab.pipeline.make_pipeline) and score with "
        "balanced metrics (smotelab.metrics.geometric_mean_score).", tuple(rare))]


def _tiny(diag: Diagnosis) -> list:
    return [c for c in diag.minority_classes if diag.counts[c] <= diag.n_neighbors]


def too_few_samples(diag: Diagnosis) -> list[Finding]:
    tiny = _tiny(diag)
    if not tiny:
        return []
    return [Finding(
        "too-few-samples", "problem",
        "Class(es) " + ", ".join(f"{c!r} ({diag.counts[c]})" for c in tiny)
        + f" have at most {diag.n_neighbors} samples.",
        "SMOTE interpolates between a sample and its k_neighbors=5 nearest same-class "
        "neighbours, so it needs at least k_neighbors + 1 samples of the class.",
        "Use k_neighbors <= (smallest count - 1), or RandomOverSampler for those "
        "classes; collecting more samples helps most.", tuple(tiny))]


def few_samples_per_feature(diag: Diagnosis) -> list[Finding]:
    tiny = _tiny(diag)
    thin = [c for c in diag.minority_classes
            if diag.samples_per_feature[c] < PER_FEATURE and c not in tiny]
    if not thin:
        return []
    return [Finding(
        "few-samples-per-feature", "warning",
        "Class(es) " + ", ".join(f"{c!r} ({diag.samples_per_feature[c]:.1f} per feature)"
                                 for c in thin)
        + f" have fewer than {PER_FEATURE} samples per feature.",
        "With few samples per feature the segments SMOTE draws on cover little of the "
        "space, and synthetic samples add little information.",
        "Select or combine features first; prefer a conservative strategy (e.g. a "
        "float sampling_strategy below 1).", tuple(thin))]


def high_dimensional(diag: Diagnosis) -> list[Finding]:
    if diag.n_features <= HIGH_DIM_FEATURES or not any(
            diag.samples_per_feature[c] < HIGH_DIM_PER_FEATURE for c in diag.minority_classes):
        return []
    return [Finding(
        "high-dimensional", "warning",
        f"{diag.n_features} features with fewer than {HIGH_DIM_PER_FEATURE} minority "
        "samples per feature.",
        "In high dimensions distances concentrate, nearest neighbours stop being near, "
        "and SMOTE's synthetic samples are little better than random duplicates.",
        "Reduce the dimension first: make_pipeline(PCA(n_components=...) or "
        "SelectKBest(...), SMOTE(...), model).")]


def categorical_columns(diag: Diagnosis) -> list[Finding]:
    if not (diag.categorical_columns or diag.code_like_columns):
        return []
    cols = list(diag.categorical_columns) + list(diag.code_like_columns)
    numeric_left = diag.n_features - len(cols)
    use = "SMOTENC(categorical_features=[...])" if numeric_left else "SMOTEN()"
    return [Finding(
        "categorical-columns", "warning",
        f"Column(s) {', '.join(map(repr, cols[:8]))}{' ...' if len(cols) > 8 else ''} "
        "look categorical" + (" (whole numbers with few values)"
                              if diag.code_like_columns else "") + ".",
        "Plain SMOTE interpolates codes into values no category has (0.37 of 'red').",
        f"Use {use}; the difficulty figures above use the numeric columns only.")]


def class_difficulty(diag: Diagnosis) -> list[Finding]:
    out = []
    for c in diag.minority_classes:
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


# the guide, in the order its findings are listed (before sorting by severity)
RULES: tuple[Callable[[Diagnosis], list[Finding]], ...] = (
    balance, too_few_samples, few_samples_per_feature, high_dimensional,
    categorical_columns, class_difficulty,
)


def findings(diag: Diagnosis) -> list[Finding]:
    """Every rule's findings on ``diag``, in the table's order."""
    return [found for rule in RULES for found in rule(diag)]
