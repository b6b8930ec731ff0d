"""Regenerate the README's figures: python docs/figures.py (needs the plot extra)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from smotelab.datasets import make_dragons  # noqa: E402
from smotelab.diagnostics import compare  # noqa: E402
from smotelab.over_sampling import ADASYN, SMOTE, BorderlineSMOTE  # noqa: E402
from smotelab.plotting import ComparisonDisplay, ResamplingDisplay  # noqa: E402

HERE = Path(__file__).resolve().parent / "images"


def main() -> None:
    HERE.mkdir(exist_ok=True)
    X, y = make_dragons()
    d = ResamplingDisplay.from_sampler(SMOTE(sampling_strategy={"dragon": 400}, random_state=0),
                                       X, y)
    d.figure_.savefig(HERE / "dragons_smote.png", dpi=80)
    table = compare(X, y, samplers=[None, SMOTE(random_state=0), BorderlineSMOTE(random_state=0),
                                    ADASYN(random_state=0)], cv=5, progress=False)
    c = ComparisonDisplay.from_table(table)
    c.figure_.savefig(HERE / "dragons_compare.png", dpi=80)


if __name__ == "__main__":
    main()
