"""The bundled demo data: a farm of sheep, cows and horses, and a few dozen dragons."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["make_dragons"]

FEATURES = (
    "body_mass_kg",
    "shoulder_height_m",
    "body_temp_c",
    "hide_hardness",
    "night_activity",
    "meat_eaten_kg_per_day",
)

# (n, mean, std) per feature; dragons hide among the horses and cows on most features,
# with a warmer body, harder hide, more activity at night and more appetite for meat,
# each only a noisy hint on its own.
_SPECIES = {
    "sheep": (2400, (70, 0.75, 39.0, 2.0, 0.20, 0.0), (15, 0.08, 0.6, 0.8, 0.12, 0.3)),
    "cow": (1600, (620, 1.40, 38.6, 3.0, 0.15, 0.0), (110, 0.12, 0.7, 0.9, 0.12, 0.3)),
    "horse": (900, (480, 1.60, 38.0, 2.6, 0.30, 0.0), (90, 0.12, 0.7, 0.9, 0.15, 0.3)),
    "dragon": (48, (560, 1.55, 39.8, 4.2, 0.45, 0.9), (150, 0.25, 0.9, 1.0, 0.20, 0.7)),
}


def make_dragons(*, as_frame: bool = False, random_state: int = 0) -> tuple[Any, Any]:
    """A deterministic farm data set with a rare class: 4,900 livestock and 48 dragons.

    Six numeric features (mass, shoulder height, body temperature, hide hardness, night
    activity, meat eaten per day). Dragons overlap the horses and cows on every single
    feature; only together do the features tell them apart, which makes the rare class
    easy to miss and a fair test of over-sampling.

    Parameters
    ----------
    as_frame : bool, default=False
        Return a pandas DataFrame and Series (requires pandas).
    random_state : int, default=0
        Seed; the default gives the bundled data set.

    Returns
    -------
    X : ndarray of shape (4948, 6) or DataFrame
        Features.
    y : ndarray of shape (4948,) of str or Series named "species"
        ``"sheep"``, ``"cow"``, ``"horse"`` or ``"dragon"``.

    Examples
    --------
    >>> from collections import Counter
    >>> from smotelab.datasets import make_dragons
    >>> X, y = make_dragons()
    >>> X.shape
    (4948, 6)
    >>> Counter(y.tolist())["dragon"]
    48
    """
    rng = np.random.default_rng(random_state)
    blocks, labels = [], []
    for name, (n, mean, std) in _SPECIES.items():
        block = rng.normal(mean, std, size=(n, len(FEATURES)))
        blocks.append(block)
        labels.extend([name] * n)
    X = np.vstack(blocks)
    X[:, 0] = np.maximum(X[:, 0], 5.0)
    X[:, 1] = np.maximum(X[:, 1], 0.3)
    X[:, 3:] = np.maximum(X[:, 3:], 0.0)
    y = np.asarray(labels)
    order = rng.permutation(len(y))
    X, y = np.round(X[order], 3), y[order]
    if as_frame:
        import pandas as pd

        return pd.DataFrame(X, columns=list(FEATURES)), pd.Series(y, name="species")
    return X, y
