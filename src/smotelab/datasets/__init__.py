"""Data sets: make a data set imbalanced, the bundled demo data, the 27 benchmark sets."""

from ._dragons import make_dragons
from ._fetch import fetch_datasets
from ._imbalance import make_imbalance

__all__ = ["fetch_datasets", "make_dragons", "make_imbalance"]
