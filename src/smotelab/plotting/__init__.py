"""Plots of what a sampler did and how samplers compare (matplotlib, imported lazily).

>>> from smotelab.datasets import make_dragons
>>> from smotelab.over_sampling import SMOTE
>>> from smotelab.plotting import ResamplingDisplay
>>> display = ResamplingDisplay.from_sampler(SMOTE(random_state=0), *make_dragons())
>>> display.n_synthetic_ > 0
True
"""

from ._displays import ComparisonDisplay, ResamplingDisplay

__all__ = ["ComparisonDisplay", "ResamplingDisplay"]
