"""The report :func:`diagnose` returns: per-class numbers and findings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Diagnosis", "Finding"]

SEVERITY_ORDER = {"problem": 0, "warning": 1, "info": 2}


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
