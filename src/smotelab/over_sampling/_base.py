"""Over-sampler bases, and the in-memory engine of the plan protocol.

``BaseOverSampler`` fixes the sampling type. ``BaseSMOTE`` is the shared machinery of
the SMOTE family. Its fit is the plan protocol of :mod:`smotelab._plan`, driven by
:func:`~smotelab._plan.run_plan` exactly as the Dask engine drives it:

1. **context** — the variant declares what its plans read about all rows in one
   :class:`~smotelab._plan.PlanNeeds` (:meth:`BaseSMOTE._plan_needs`); here every fact is
   answered from the rows in memory (:class:`_MemoryFacts`), and
   :meth:`BaseSMOTE._fit_context` may add work of its own (an SVM, clusters);
2. **class plans** — :meth:`BaseSMOTE._class_plan`, given a
   :class:`~smotelab._plan.ClassTask`, says *where*, *with whom* and *how far*, and
   returns what it fitted; the driver records it;
3. **generation** — the rows of each class, made by :meth:`BaseSMOTE._generate` into
   the output (a variant whose rows are not segments makes each block itself in
   :meth:`BaseSMOTE._block_rows`, which every engine runs).

A variant overrides only the stages it changes; see ``docs/writing-a-sampler.md``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from numbers import Integral
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .._kernels.generate import generate, generate_own
from .._kernels.labels import NeighbourLabels, apportion
from .._plan import (
    ClassPlan,
    ClassTask,
    Facts,
    GraphNeed,
    MemorySink,
    PlanNeeds,
    RowsView,
    concat_blocks,
    record_fitted,
    run_plan,
)
from .._strategy import SamplingPlan
from ..base import _STRATEGY_CONSTRAINT, BaseSampler
from ..exceptions import CategoricalFeatureWarning, NotEnoughSamplesError, too_few_samples
from ..exceptions import fmt_label as _label
from ..neighbors import (
    FittedNeighbors,
    kneighbors_of_rows,
    resolve_neighbors,
)
from ..utils._compat import HasMethods, Interval
from ..utils._containers import XContainer, YContainer
from ..utils._random import RandomStreams
from ..utils._tags import own_plan
from ..utils._validation import integer_coded_columns

__all__ = ["BaseOverSampler", "BaseSMOTE", "ClassPlan", "ClassTask", "GraphNeed",
           "PlanNeeds", "record_fitted"]


class BaseOverSampler(BaseSampler):
    """Base class of over-samplers (``sampling_strategy`` counts rows to add)."""

    _sampling_type: ClassVar[str] = "over-sampling"


class _Marks:
    """:meth:`Facts.marks` in memory: the other classes' rows search the given rows
    with the search. (They are gathered at each call, not kept: the task lives on while
    the class's rows are made, and a kept copy would add to the peak.)"""

    def __init__(self, X: Any, others: np.ndarray, backend: Any) -> None:
        self.X, self.others, self.backend = X, others, backend

    def __call__(self, rows: np.ndarray, k: int) -> np.ndarray:
        self.backend.fit(self.X[rows])
        _, nn = self.backend.kneighbors(self.X[self.others], n_neighbors=k)
        return np.unique(nn)


class _Judge:
    """:attr:`Facts.judge` in memory: the class positions of the ``m`` nearest input rows
    of each new row."""

    def __init__(self, search: Any, inverse: np.ndarray) -> None:
        self.search, self.inverse = search, inverse

    def __call__(self, rows: Any) -> np.ndarray:
        _, nn = self.search.kneighbors(rows, n_neighbors=int(self.search.n_neighbors))
        return self.inverse[nn]


class _MemoryFacts(Facts):
    """Every fact of :class:`PlanNeeds`, answered from all rows in memory."""

    def __init__(self, sampler: BaseSMOTE, needs: PlanNeeds, X: Any, inverse: np.ndarray,
                 plan: SamplingPlan, backend: Any) -> None:
        self.X, self.inverse, self.backend = X, inverse, backend
        if needs.graph is not None:  # the resampled rows against all rows, one query
            sampler._check_m_neighbors(needs.graph.backend, X.shape[0],
                                       param=needs.graph.param)
            self.graph = NeighbourLabels(needs.graph.backend, X,
                                         sampler._resampled_rows(plan, inverse), inverse)
        if needs.judge is not None:  # new rows are not input rows: all of them may judge
            sampler._check_m_neighbors(needs.judge.backend, X.shape[0] + 1,
                                       param=needs.judge.param)
            self.judge = _Judge(needs.judge.backend.fit(X), inverse)

    def marks(self, own: int) -> Any:
        return _Marks(self.X, np.flatnonzero(self.inverse != own), self.backend)


class BaseSMOTE(BaseOverSampler):
    """Shared machinery of the SMOTE family (not for direct use).

    ``_k_param`` names the parameter holding the within-class neighbour search
    (``k_neighbors``; ADASYN's is ``n_neighbors``) and ``_k_attr`` the fitted attribute
    that exposes it.
    """

    _k_param: ClassVar[str] = "k_neighbors"
    _k_attr: ClassVar[str] = "nn_k_"
    # fitted ``{label: value}`` attributes the class plans fill (ClassPlan.fitted*)
    _per_class_attrs: ClassVar[tuple[str, ...]] = ()
    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state", np.random.Generator],
        "k_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "fit"]),
        ],
    }

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        # every engine runs this protocol; a variant whose context needs every row (an
        # SVM, clusters) says None, and one that reads nothing about other rows also
        # runs within each partition
        plan = own_plan(self, BaseSMOTE, "interpolate")
        tags.sampler_tags.distributed_plan = plan
        try:
            local = plan is not None and not self._plan_needs().all_rows
        except (TypeError, ValueError):  # parameters the fit will refuse, saying why
            local = False
        tags.sampler_tags.partition_local = local
        return tags

    def _fit_resample(
        self, X: XContainer, y: YContainer, *, plan: SamplingPlan, streams: RandomStreams
    ) -> tuple[Any, Any]:
        Xn = self._numeric(X)
        _, _, inverse = y.encoded()
        self._warn_categorical_looking(X, Xn)
        if sp.issparse(Xn):
            sink = self._run_in_memory(Xn, inverse, y, plan, streams,
                                       lambda: MemorySink(parts=[]))
            assert sink.parts is not None
            new = sp.vstack(sink.parts, format="csr") if sink.parts else sp.csr_matrix(
                (0, Xn.shape[1]), dtype=Xn.dtype)
            X_out = X.append(new)
        else:
            made: list[Any] = []

            def dense_sink() -> MemorySink:
                buffer, tail = X.new_rows_buffer(Xn, plan.n_total)
                made.append(buffer)
                return MemorySink(tail=tail)

            self._run_in_memory(Xn, inverse, y, plan, streams, dense_sink)
            X_out = X.append(made[0])
        return X_out, self._output_y(X, y)

    def _run_in_memory(self, Xn: Any, inverse: np.ndarray, y: YContainer,
                       plan: SamplingPlan, streams: RandomStreams,
                       make_sink: Callable[[], MemorySink], shared: Any = None,
                       context: bool = True) -> MemorySink:
        """The plan protocol on the rows in memory: every need answered from all rows
        (before ``make_sink`` allocates the output, so the searches' temporaries never
        meet it), the driver's loop, the rows made into the sink; ``provenance_``
        recorded."""
        backend = self._neighbors()
        needs = self._plan_needs()
        facts = _MemoryFacts(self, needs, Xn, inverse, plan, backend)
        sink = make_sink()
        classes = [(label, plan.class_position(label), n) for label, n in plan.counts.items()
                   if n]
        extra = {} if context else {"shared": shared}
        view = RowsView(Xn, inverse, facts, targets=np.asarray(y.labels) if needs.targets
                        else None)
        run_plan(self, needs, view, classes, sink, plan=plan, streams=streams,
                 backend=backend, **extra)
        self.provenance_ = concat_blocks(sink.provenance, np.asarray(y.labels).dtype)
        return sink

    def _output_y(self, X: XContainer, y: YContainer) -> Any:
        """The output labels: each new row's parent's, or the targets made with it."""
        target = self.provenance_.get("target")
        if target is None:
            return y.take(self._output_sources(X.n_rows))
        return y.append(target)

    def _neighbors(self) -> Any:
        """The within-class neighbour backend, from the ``_k_param`` parameter."""
        backend = resolve_neighbors(getattr(self, self._k_param), param=self._k_param)
        setattr(self, self._k_attr, FittedNeighbors(backend))  # imbalanced-learn's face
        return backend

    def _plan_needs(self) -> PlanNeeds:
        """What the class plans read about all rows (stage 1, declared as data; see
        :class:`~smotelab._plan.PlanNeeds`); default nothing beyond the class's rows."""
        return PlanNeeds()

    def _generate(self, Xn: Any, task: ClassTask, kwargs: dict,
                  out: np.ndarray | None = None) -> Any:
        """Stage 3 for one class: the generator's blocks, as :func:`generate` takes
        ``kwargs``, or the variant's own blocks (:meth:`_own_rows`). Returns the rows'
        provenance (with ``out``, the rows are written there; without, for sparse rows,
        ``(provenance, rows)``).

        A variant may replace it to make a class's rows as a whole (LeeSMOTE accepts or
        rejects them); every engine then runs it where the rows the plan read are (the
        Dask engine: in the client, as one block)."""
        if self._own_rows():
            return generate_own(self._block_rows, Xn, kwargs, out)
        return generate(Xn, out=out, **kwargs)

    _generate.whole_rows = False  # type: ignore[attr-defined]  # an override makes them whole

    def _own_rows(self) -> bool:
        """Whether this variant makes its rows itself, block by block (:meth:`_block_rows`),
        rather than as the generator's segments; the Dask engine then runs the same
        method in its tasks."""
        return False

    def _block_rows(self, Xn: Any, spec: dict, rng: np.random.Generator, start: int,
                    size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One block of a class's own rows (see :data:`~._kernels.generate.BlockMaker`):
        rows ``start:start + size`` of the class's new rows, from the block's stream
        ``rng``; ``spec`` is :meth:`ClassPlan.spec` (seeds, neighbours, counts, label and
        the plan's ``data``)."""
        raise NotImplementedError

    def _warn_categorical_looking(self, X: XContainer, Xn: Any) -> None:
        """Warn when a column looks like integer-coded categories (SMOTE makes 0.37 of them)."""
        flagged = integer_coded_columns(Xn)
        if not flagged:
            return
        names = ", ".join(X.column_name(int(j)) for j in flagged[:5])
        more = f" and {len(flagged) - 5} more" if len(flagged) > 5 else ""
        warnings.warn(
            f"{type(self).__name__}: column(s) {names}{more} hold only a few whole numbers "
            "and look like categories; interpolating them makes values between the codes "
            "(e.g. 0.37). If they are categories, use SMOTENC(categorical_features=[...]); "
            "if they are counts or measurements, ignore this warning.",
            CategoricalFeatureWarning, stacklevel=4)

    def _check_class_size(self, label: Any, n_class: int, k: int) -> None:
        if k < n_class:
            return
        name, param = type(self).__name__, self._k_param
        if n_class <= 1:
            hint = "SMOTE needs at least two samples of a class; use RandomOverSampler for it."
        else:
            hint = (f"use {param}<={n_class - 1}, or RandomOverSampler, which needs no "
                    "neighbours.")
        raise NotEnoughSamplesError(
            f"{name}: {param}={k} but class {_label(label)} has only {n_class} "
            f"sample(s), so it has at most {max(n_class - 1, 0)} neighbours; {hint}"
        )

    def _start_fitted(self) -> None:
        """Empty the per-class fitted attributes before the class plans fill them."""
        for name in self._per_class_attrs:
            setattr(self, name, {})

    def _fit_context(
        self, X: Any, *, inverse: np.ndarray, plan: SamplingPlan, streams: RandomStreams,
    ) -> Any:
        """What every class plan of one fit shares (``task.shared``), computed on the
        rows the plans read; default nothing."""
        return None

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        """Seeds, neighbour table, per-seed counts and step range for one class."""
        raise NotImplementedError

    def _weighted_plan(self, X: Any, task: ClassTask, weights: np.ndarray,
                       backend: Any = None, **fitted: Any) -> ClassPlan:
        """A class plan whose rows are spread over the class's samples in proportion to
        ``weights`` (exact integer counts), each toward its same-class neighbours found
        by ``backend`` (default: the task's)."""
        counts = apportion(weights, task.n_new)
        seed_pos = np.flatnonzero(counts)
        table = self._within_class(X, task.members, backend or task.backend, seed_pos)
        return ClassPlan(seeds=task.members[seed_pos], neighbors=table,
                         seed_counts=counts[seed_pos], fitted=fitted)

    @staticmethod
    def _within_class(
        X: Any, members: np.ndarray, backend: Any, seed_pos: np.ndarray | None = None
    ) -> np.ndarray:
        """Same-class neighbour table (row indices into X) of ``members[seed_pos]``."""
        Xc = X[members]
        if seed_pos is None or len(seed_pos) == len(members):
            backend.fit(Xc)
            _, nn = backend.kneighbors()
        else:
            _, nn = kneighbors_of_rows(backend, Xc, seed_pos, int(backend.n_neighbors))
        return members[nn]

    def _resampled_rows(self, plan: SamplingPlan, inverse: np.ndarray) -> np.ndarray:
        """Sorted row indices of every class that gets new rows."""
        return np.flatnonzero(plan.in_plan(inverse, nonzero=True))

    def _check_m_neighbors(self, backend: Any, n_rows: int, param: str = "m_neighbors") -> None:
        m = int(backend.n_neighbors)
        if m < n_rows:
            return
        raise too_few_samples(type(self).__name__, param, m, n_rows)

