"""Data sets: make a data set imbalanced, and the bundled demo data."""

from ._dragons import make_dragons
from ._imbalance import make_imbalance

__all__ = ["make_dragons", "make_imbalance"]
