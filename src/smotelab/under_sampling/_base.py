"""Under-sampler and cleaner bases: a sampler chooses rows to keep, the base returns them.

Every selection sampler exposes ``sample_indices_`` (the kept rows, in their input order)
and returns ``X[sample_indices_], y[sample_indices_]`` in the caller's container (pandas
rows with their own index labels).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..base import BaseSampler
from ..utils._containers import XContainer, YContainer

__all__ = ["BaseCleaningSampler", "BaseUnderSampler"]


class _Selector(BaseSampler):
    """Shared output step of samplers that keep a subset of the rows."""

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = True  # exposes sample_indices_
        return tags


    def _select(self, X: XContainer, y: YContainer, keep: np.ndarray) -> tuple[Any, Any]:
        """Return the rows ``keep`` (indices, any order) in input order.

        pandas rows keep their index labels, so a selection joins back to its source.
        """
        self.sample_indices_ = np.sort(np.asarray(keep, dtype=np.intp))
        return (X.take(self.sample_indices_, keep_index=True),
                y.take(self.sample_indices_, keep_index=True))


class BaseUnderSampler(_Selector):
    """Base class of under-samplers (``sampling_strategy`` counts rows to keep)."""

    _sampling_type: ClassVar[str] = "under-sampling"


class BaseCleaningSampler(_Selector):
    """Base class of cleaners (``sampling_strategy`` names the classes to clean)."""

    _sampling_type: ClassVar[str] = "clean-sampling"
