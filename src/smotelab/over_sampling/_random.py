"""Random over-sampling, with an optional smoothed bootstrap."""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .._kernels.generate import concat_provenance
from .._strategy import SamplingPlan
from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import DataValidationError, SamplingStrategyError, fmt_label
from ..utils._compat import Interval
from ..utils._containers import XContainer, YContainer
from ..utils._random import RandomStreams
from ..utils._tags import own_plan, set_needs_numeric
from ._base import BaseOverSampler

__all__ = ["RandomOverSampler"]


class RandomOverSampler(BaseOverSampler):
    """Over-sample by drawing samples of a class at random, with replacement.

    Works on any columns (strings and categories included) when ``shrinkage`` is None,
    since rows are only copied. With ``shrinkage``, each copy is perturbed by Gaussian
    noise (a smoothed bootstrap, as in ROSE), which needs numeric columns.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams; each class draws from its own stream.
    shrinkage : float, dict or None, default=None
        Scale of the smoothed bootstrap's noise, for all classes or per class
        (``{class: factor}`` for every class being over-sampled); ``None`` copies rows
        exactly. The noise of feature ``j`` has standard deviation
        ``shrinkage * h * std_j`` with ``h = (4 / ((d + 2) n)) ** (1 / (d + 4))``, ``std_j``
        the class's standard deviation and ``n`` the number of samples (as in
        imbalanced-learn).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    sample_indices_ : ndarray
        Row indices (into the input) of every output row: ``arange(n)`` then the drawn
        parents.
    shrinkage_ : dict or None
        The shrinkage factor per class.
    provenance_ : dict of ndarray
        ``parent`` (drawn row), ``neighbor`` (-1), ``step`` (0.0) and ``class`` per new row.
    n_features_in_ : int
        Number of features seen.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.over_sampling import RandomOverSampler
    >>> X = np.array([["a", 1], ["b", 2], ["c", 3], ["d", 4]], dtype=object)
    >>> y = np.array([0, 0, 0, 1])
    >>> X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    >>> y_res.tolist()
    [0, 0, 0, 1, 1, 1]
    >>> X_res[4:].tolist()
    [['d', 4], ['d', 4]]
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state", np.random.Generator],
        "shrinkage": [Interval(Real, 0, None, closed="left"), dict, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, shrinkage=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        # Plain copies work on any column; the smoothed bootstrap adds numeric noise.
        set_needs_numeric(tags, self.shrinkage is not None)
        tags.sampler_tags.sample_indices = True
        tags.sampler_tags.distributed_plan = own_plan(self, RandomOverSampler, "duplicate")
        tags.sampler_tags.partition_local = tags.sampler_tags.distributed_plan is not None
        return tags

    def _fit_resample_dask(self, X: Any, y: Any) -> tuple[Any, Any]:
        if self.shrinkage is not None:
            raise DataValidationError(
                "RandomOverSampler(shrinkage=...) does not take Dask collections yet; "
                "compute() the data or drop shrinkage.")
        return super()._fit_resample_dask(X, y)

    def _resolve_shrinkage(self, plan: SamplingPlan) -> dict | None:
        if self.shrinkage is None:
            return None
        if not isinstance(self.shrinkage, Mapping):
            return {c: float(self.shrinkage) for c in plan.counts}
        missing = [c for c in plan.counts if c not in self.shrinkage]
        if missing:
            raise SamplingStrategyError(
                "shrinkage needs a factor for each class being over-sampled; missing: "
                f"{', '.join(fmt_label(c) for c in missing)}."
            )
        for c, f in self.shrinkage.items():
            if not isinstance(f, Real) or f < 0:
                raise SamplingStrategyError(
                    f"shrinkage[{fmt_label(c)}]={f!r}; a shrinkage factor must be a number >= 0."
                )
        return dict(self.shrinkage)

    def _fit_resample(
        self, X: XContainer, y: YContainer, *, plan: SamplingPlan, streams: RandomStreams
    ) -> tuple[Any, Any]:
        self.shrinkage_ = self._resolve_shrinkage(plan)
        _, _, inverse = y.encoded()
        Xn = self._numeric(X) if self.shrinkage_ is not None else None
        drawn, provenance, noisy = [], [], []
        for label, n_new in plan.counts.items():
            if not n_new:
                continue
            cpos = plan.class_position(label)
            members = np.flatnonzero(inverse == cpos)
            rng = streams.for_class(cpos)
            parents = members[rng.integers(0, len(members), size=n_new)]
            drawn.append(parents)
            provenance.append({
                "parent": parents,
                "neighbor": np.full(n_new, -1, dtype=np.intp),
                "step": np.zeros(n_new),
                "class": np.full(n_new, label, dtype=np.asarray(y.labels).dtype),
            })
            if Xn is not None and self.shrinkage_ is not None:
                noisy.append(self._smoothed(Xn, members, parents, self.shrinkage_[label], rng))
        self.provenance_ = concat_provenance(provenance, np.asarray(y.labels).dtype)
        self.sample_indices_ = np.concatenate([np.arange(X.n_rows), self.provenance_["parent"]])
        if Xn is None:
            X_out = X.take(self.sample_indices_)
        elif sp.issparse(Xn):
            new = sp.vstack(noisy, format="csr") if noisy else Xn[:0]
            X_out = X.append(new)
        else:
            buffer, tail = X.new_rows_buffer(Xn, plan.n_total)
            pos = 0
            for rows in noisy:  # straight into the output, no concatenated temporary
                tail[pos : pos + len(rows)] = rows
                pos += len(rows)
            X_out = X.append(buffer)
        return X_out, y.take(self.sample_indices_)

    @staticmethod
    def _smoothed(X: Any, members: np.ndarray, parents: np.ndarray, factor: float,
                  rng: np.random.Generator) -> Any:
        n, d = X.shape
        h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
        Xc = X[members]
        if sp.issparse(Xc):
            mean = np.asarray(Xc.mean(axis=0)).ravel()
            var = np.asarray(Xc.multiply(Xc).mean(axis=0)).ravel() - mean**2
            scale = np.sqrt(np.maximum(var, 0))
        else:
            scale = Xc.std(axis=0)
        noise = rng.standard_normal((len(parents), d)) * (factor * h * scale)
        if sp.issparse(X):
            return sp.csr_matrix(X[parents].toarray() + noise, dtype=X.dtype)
        return (X[parents] + noise).astype(X.dtype, copy=False)
