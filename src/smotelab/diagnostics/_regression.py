"""What a continuous target looks like before resampling: relevance, bumps, rare tails.

:func:`diagnose_regression` (what :func:`~smotelab.diagnostics.diagnose` runs for a
continuous target) fits the relevance function, cuts the sorted targets into bumps at
the threshold, and says what it means for SMOTER and its family: how many targets are
rare and where, which rare bumps are too small to interpolate in, whether there is
anything rare at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..exceptions import DataValidationError
from ._report import SEVERITY_ORDER, Finding

__all__ = ["RegressionDiagnosis", "diagnose_regression"]


@dataclass
class RegressionDiagnosis:
    """The report of :func:`diagnose_regression`.

    Attributes
    ----------
    n_samples, n_features : int
        The data's shape.
    threshold : float
        The relevance threshold the bumps were cut at.
    rare_share : float
        Share of the targets whose relevance reaches the threshold.
    control_points : list
        The relevance function's ``(y, phi, slope)`` control points (empty where the
        relevance is not one of control points).
    bumps : list of dict
        Per bump, in target order: ``rows``, ``low`` and ``high`` (its target range),
        ``relevance`` (mean) and ``rare``.
    findings : list of Finding
        What was found, most severe first.
    """

    n_samples: int
    n_features: int
    threshold: float
    rare_share: float
    control_points: list
    bumps: list
    findings: list = field(default_factory=list)

    def has(self, code: str) -> bool:
        """Whether a finding with this code was made."""
        return any(f.code == code for f in self.findings)

    def to_dict(self) -> dict:
        """The numbers and findings as plain Python values."""
        return asdict(self)

    def __str__(self) -> str:
        lines = [f"Continuous target: {self.n_samples:,} rows, {self.n_features} features; "
                 f"{self.rare_share:.1%} of the targets rare (relevance >= "
                 f"{self.threshold}).", "Bumps (sorted targets, cut at the threshold):"]
        for b in self.bumps:
            lines.append(f"  {'RARE  ' if b['rare'] else 'normal'} {b['rows']:>7,} rows, "
                         f"targets {b['low']:.4g} to {b['high']:.4g}, mean relevance "
                         f"{b['relevance']:.2f}")
        for f in self.findings:
            lines.append(f"[{f.severity}] {f.message} {f.why} What to do: {f.action}")
        return "\n".join(lines)


def diagnose_regression(X: Any, y: Any, *, relevance: Any = "extremes",
                        threshold: float = 0.5, k_neighbors: int = 5) -> RegressionDiagnosis:
    """Measure what matters for resampling a continuous target, and say what to do.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
        Features (only counted here).
    y : array-like of shape (n_samples,)
        Continuous target.
    relevance : 'extremes', relevance object, table or callable, default='extremes'
        As for the samplers of :mod:`smotelab.regression`.
    threshold : float, default=0.5
        The relevance from which a target is rare.
    k_neighbors : int, default=5
        The neighbours SMOTER would interpolate with (a rare bump needs more rows).

    Returns
    -------
    RegressionDiagnosis
        Relevance, bumps and findings.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.diagnostics import diagnose
    >>> rng = np.random.default_rng(0)
    >>> report = diagnose(rng.normal(size=(500, 3)), np.exp(rng.normal(size=500)))
    >>> [b["rare"] for b in report.bumps], report.has("rare-upper-tail")
    ([False, True], True)
    """
    from ..regression._base import Bumps, check_regression_target
    from ..regression._relevance import resolve_relevance
    from ..utils._containers import capture_X, capture_y

    Xc, yc = capture_X(X), capture_y(y)
    values = check_regression_target(yc, "diagnose")
    if Xc.n_rows != len(values):
        raise DataValidationError(f"diagnose: X has {Xc.n_rows} rows but y has "
                                  f"{len(values)}; they must match.")
    report = RegressionDiagnosis(n_samples=len(values), n_features=Xc.n_features,
                                 threshold=float(threshold), rare_share=0.0,
                                 control_points=[], bumps=[])
    try:
        phi_fn = resolve_relevance(relevance, values)
    except DataValidationError as err:
        report.findings.append(Finding(
            "no-rare-values", "problem", str(err).split(". ")[0] + ".",
            "The resamplers of smotelab.regression grow the rare targets; with none, "
            "they have nothing to grow.",
            "Say which values matter: ControlPointsRelevance([[y0, 0], [y1, 1]]) or "
            "SigmoidRelevance(high=...); or train the model as it is."))
        return report
    phi = phi_fn(values)
    report.rare_share = float(np.mean(phi >= threshold))
    report.control_points = np.asarray(getattr(phi_fn, "control_points_", [])).tolist()
    if report.rare_share in (0.0, 1.0):
        report.findings.append(Finding(
            "one-bump", "problem",
            f"Every target has relevance {'at or above' if report.rare_share else 'below'} "
            f"{threshold}.", "There is a single bump: nothing to balance.",
            "Change threshold, or pass a relevance that marks only the rare values."))
        return report
    bumps = Bumps(values, phi, float(threshold))
    for rows, rel, rare in zip(bumps.rows, bumps.relevance, bumps.rare, strict=True):
        report.bumps.append({"rows": int(len(rows)), "low": float(values[rows].min()),
                             "high": float(values[rows].max()), "relevance": float(rel),
                             "rare": bool(rare)})
    median = float(np.median(values))
    for tail, side in (("upper", lambda b: b["low"] > median),
                       ("lower", lambda b: b["high"] < median)):
        rare = [b for b in report.bumps if b["rare"] and side(b)]
        if rare:
            n = sum(b["rows"] for b in rare)
            report.findings.append(Finding(
                f"rare-{tail}-tail", "info",
                f"{n:,} targets ({n / len(values):.1%}) are rare in the {tail} tail "
                f"(from {min(b['low'] for b in rare):.4g} to "
                f"{max(b['high'] for b in rare):.4g}).",
                "A model fitted for the plain squared error predicts these worst.",
                "Resample (SMOTER, SMOGN, WERCS in smotelab.regression) and judge with "
                "sera or relevance_weighted_mse, not the plain MSE alone."))
    small = [i for i, b in enumerate(report.bumps) if b["rare"] and b["rows"] <= k_neighbors]
    if small:
        report.findings.append(Finding(
            "small-rare-bump", "warning",
            f"Rare bump(s) {', '.join(map(str, small))} hold at most {k_neighbors} rows.",
            "SMOTER and SMOGN interpolate between neighbours of the same bump; with so "
            "few they use fewer neighbours, or copies for a single row.",
            "Lower k_neighbors, widen the rare region (a lower threshold or other control "
            "points), or use Gaussian noise or random over-sampling for them."))
    if report.rare_share < 0.01:
        report.findings.append(Finding(
            "very-few-rare", "warning",
            f"Only {report.rare_share:.2%} of the targets are rare.",
            "Synthetic rows then come from very few originals and repeat their noise.",
            "Check the relevance; consider a lower threshold or a smaller sampling rate."))
    report.findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return report
