"""Over-sampler bases: the per-class loop lives here, once.

``BaseOverSampler`` fixes the sampling type. ``BaseSMOTE`` owns the loop over the
classes of the plan, the neighbour search, the calls to the one generator, the output
buffer and ``provenance_``; a variant overrides only :meth:`BaseSMOTE._class_plan`,
which says *where* (seeds and how many rows each), *with whom* (the neighbour table)
and *how far* (the step range).
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .._kernels.generate import concat_provenance, generate
from .._strategy import SamplingPlan
from ..base import _STRATEGY_CONSTRAINT, BaseSampler
from ..exceptions import NotEnoughSamplesError
from ..exceptions import fmt_label as _label
from ..neighbors import resolve_neighbors
from ..utils._compat import HasMethods, Interval
from ..utils._containers import XContainer, YContainer
from ..utils._random import RandomStreams
from ..utils._validation import class_counts

__all__ = ["BaseOverSampler", "BaseSMOTE", "ClassPlan"]


class BaseOverSampler(BaseSampler):
    """Base class of over-samplers (``sampling_strategy`` counts rows to add)."""

    _sampling_type: ClassVar[str] = "over-sampling"


@dataclass(frozen=True)
class ClassPlan:
    """What a SMOTE variant decides for one class.

    Attributes
    ----------
    seeds : ndarray
        Row indices (into X) of the seed samples.
    neighbors : ndarray of shape (n_seeds, k)
        Row indices (into X) of each seed's candidate neighbours.
    seed_counts : ndarray or None
        Exact rows per seed, or ``None`` to draw seeds uniformly.
    step_range : (float, float)
        Range of the interpolation step.
    """

    seeds: np.ndarray
    neighbors: np.ndarray
    seed_counts: np.ndarray | None = None
    step_range: tuple[float, float] = (0.0, 1.0)


class BaseSMOTE(BaseOverSampler):
    """Shared machinery of the SMOTE family (not for direct use)."""

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state", np.random.Generator],
        "k_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "fit"]),
        ],
    }

    def _fit_resample(
        self, X: XContainer, y: YContainer, *, plan: SamplingPlan, streams: RandomStreams
    ) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        _, _, inverse = class_counts(y.labels)
        backend = resolve_neighbors(self.k_neighbors, param="k_neighbors")
        self.nn_k_ = backend
        sparse = sp.issparse(Xn)
        if sparse:
            buffer = None
            parts: list[Any] = []
        else:
            buffer, tail = X.new_rows_buffer(Xn, plan.n_total)
        provenance = []
        pos = 0
        for label, n_new in plan.counts.items():
            if not n_new:
                continue
            cpos = plan.class_position(label)
            members = np.flatnonzero(inverse == cpos)
            self._check_class_size(label, len(members), backend.n_neighbors)
            cplan = self._class_plan(Xn, members, backend=backend, class_pos=cpos,
                                     inverse=inverse, streams=streams)
            kwargs = {"seeds": cplan.seeds, "neighbors": cplan.neighbors, "n_new": n_new,
                      "streams": streams, "class_pos": cpos, "label": label,
                      "step_range": cplan.step_range, "seed_counts": cplan.seed_counts}
            if sparse:
                prov, rows = generate(Xn, **kwargs)
                parts.append(rows)
            else:
                prov = generate(Xn, out=tail[pos : pos + n_new], **kwargs)
            provenance.append(prov)
            pos += n_new
        self.provenance_ = concat_provenance(provenance, np.asarray(y.labels).dtype)
        y_index = np.concatenate([np.arange(X.n_rows), self.provenance_["parent"]])
        if sparse:
            new = sp.vstack(parts, format="csr") if parts else sp.csr_matrix(
                (0, Xn.shape[1]), dtype=Xn.dtype)
            X_out = X.append(new)
        else:
            X_out = X.append(buffer)
        return X_out, y.take(y_index)

    def _check_class_size(self, label: Any, n_class: int, k: int) -> None:
        if k < n_class:
            return
        name = type(self).__name__
        if n_class <= 1:
            hint = "SMOTE needs at least two samples of a class; use RandomOverSampler for it."
        else:
            hint = (f"use k_neighbors<={n_class - 1}, or RandomOverSampler, which needs no "
                    "neighbours.")
        raise NotEnoughSamplesError(
            f"{name}: k_neighbors={k} but class {_label(label)} has only {n_class} "
            f"sample(s), so it has at most {max(n_class - 1, 0)} neighbours; {hint}"
        )

    def _class_plan(
        self,
        X: Any,
        members: np.ndarray,
        *,
        backend: Any,
        class_pos: int,
        inverse: np.ndarray,
        streams: RandomStreams,
    ) -> ClassPlan:
        """Seeds, neighbour table, per-seed counts and step range for one class."""
        raise NotImplementedError
