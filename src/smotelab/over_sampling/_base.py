"""Over-sampler bases: the per-class loop lives here, once.

``BaseOverSampler`` fixes the sampling type. ``BaseSMOTE`` owns the loop over the
classes of the plan, the neighbour search, the calls to the one generator, the output
buffer and ``provenance_``. A fit is the plan protocol every engine drives:

1. **context** — what the variant needs over all rows. It *declares* a neighbour graph
   (:meth:`BaseSMOTE._graph_need`: the m nearest rows of any class of every row of the
   classes being resampled) and how many nearest rows of *other* classes each sample's
   plan reads (:meth:`BaseSMOTE._other_class_need`, G-SMOTE); the engine computes them
   (here, one query; on Dask, a merge of per-partition candidates, the other-class rows
   brought to the gathered ones) and hands the graph to :meth:`BaseSMOTE._fit_context`,
   which may add work of its own (an SVM, clusters) when the engine has all the rows;
2. **class plans** — :meth:`BaseSMOTE._class_plan`, given a :class:`ClassTask`, says
   *where* (seeds and how many rows each), *with whom* (the neighbour table) and *how
   far* (the step range), and returns what it fitted (``ClassPlan.fitted`` and
   ``fitted_rows``) rather than writing to the sampler; the engine records it. A plan
   that asks which of its samples lie nearest the other classes calls
   ``ClassTask.marks`` (ProWSyn), which every engine answers from all rows;
3. **generation** — blocks of rows from the one generator, each block from its own
   (class, block) stream; a variant whose rows are not segments (spheres, curves) makes
   each block itself in :meth:`BaseSMOTE._block_rows`, which every engine runs.

A variant overrides only the stages it changes; a subclass that keeps
``_fit_resample`` runs on every engine that runs the protocol.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .._kernels.generate import concat_provenance, generate, generate_own
from .._kernels.labels import NeighbourLabels, apportion
from .._strategy import SamplingPlan
from ..base import _STRATEGY_CONSTRAINT, BaseSampler
from ..exceptions import CategoricalFeatureWarning, NotEnoughSamplesError, too_few_samples
from ..exceptions import fmt_label as _label
from ..neighbors import (
    FittedNeighbors,
    NeighborsBackend,
    kneighbors_of_rows,
    resolve_neighbors,
)
from ..utils._compat import HasMethods, Interval
from ..utils._containers import XContainer, YContainer
from ..utils._random import RandomStreams
from ..utils._validation import integer_coded_columns

__all__ = ["BaseOverSampler", "BaseSMOTE", "ClassPlan", "ClassTask", "GraphNeed",
           "record_fitted"]


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
    step_range : (lo, hi)
        Range of the interpolation step: floats, or arrays broadcastable to
        ``(n_seeds, k)`` for a range per seed and/or per neighbour column.
    combine : callable or None
        For categorical columns (SMOTE-NC, SMOTE-N): called after each block's draws as
        ``combine(rng, row, seed)``, with ``row`` the position of the block's first row
        among all synthetic rows of the fit.
    fitted : mapping
        What the plan fitted for this class, by attribute name: recorded as
        ``sampler.<name>[label] = value`` (e.g. SMOTE-NC's ``median_std_``).
    fitted_rows : mapping
        Likewise, for values that are row indices into X (e.g. Borderline-SMOTE's
        ``in_danger_indices_``): an engine that planned on gathered rows maps them back
        to input rows before recording them.
    data : mapping
        What a variant's own blocks (:meth:`BaseSMOTE._block_rows`) read, computed once
        by the plan (a class mean, curve coefficients); not recorded.
    """

    seeds: np.ndarray
    neighbors: np.ndarray
    seed_counts: np.ndarray | None = None
    step_range: tuple[Any, Any] = (0.0, 1.0)
    combine: Callable[[np.random.Generator, int, np.ndarray], None] | None = None
    fitted: dict[str, Any] = field(default_factory=dict)
    fitted_rows: dict[str, np.ndarray] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def spec(self, n_new: int, class_pos: int, label: Any, own_rows: bool = False) -> dict:
        """The generator's keywords for this plan, as every engine passes them (it adds
        ``streams``); with ``own_rows``, the plan's ``data`` for the variant's blocks."""
        spec = {"seeds": self.seeds, "neighbors": self.neighbors, "n_new": n_new,
                "class_pos": class_pos, "label": label, "step_range": self.step_range,
                "seed_counts": self.seed_counts}
        if own_rows:
            spec["data"] = self.data
        return spec


class _Marks:
    """:attr:`ClassTask.marks` in memory: the other classes' rows search the given rows
    with the task's backend. (They are gathered at each call, not kept: the task lives
    on while the class's rows are made, and a kept copy would add to the peak.)"""

    def __init__(self, X: Any, others: np.ndarray, backend: Any) -> None:
        self.X, self.others, self.backend = X, others, backend

    def __call__(self, rows: np.ndarray, k: int) -> np.ndarray:
        self.backend.fit(self.X[rows])
        _, nn = self.backend.kneighbors(self.X[self.others], n_neighbors=k)
        return np.unique(nn)


@dataclass(frozen=True)
class GraphNeed:
    """The neighbour graph a variant's plans read (declared, computed by the engine).

    Attributes
    ----------
    backend : NeighborsBackend
        The search; its ``n_neighbors`` is ``m``, the graph's width.
    param : str
        The parameter that set it (for errors).
    any_k : int
        The plans also take each seed's ``any_k`` nearest rows of *any* class as
        interpolation partners (Borderline-2): an engine that plans on gathered rows
        brings those rows too.
    """

    backend: NeighborsBackend
    param: str
    any_k: int = 0


def record_fitted(sampler: Any, label: Any, cplan: ClassPlan,
                  to_rows: Callable[[np.ndarray], np.ndarray] | None = None) -> None:
    """Record what a class plan fitted on ``sampler`` (``to_rows`` maps planned rows)."""
    for name, value in cplan.fitted.items():
        getattr(sampler, name)[label] = value
    for name, rows in cplan.fitted_rows.items():
        getattr(sampler, name)[label] = rows if to_rows is None else to_rows(rows)


@dataclass(frozen=True)
class ClassTask:
    """One class to over-sample, as :class:`BaseSMOTE` hands it to a variant.

    Attributes
    ----------
    label : object
        The class label.
    position : int
        Its position among the sorted classes (keys its random streams).
    members : ndarray
        Row indices (into X) of the class's samples.
    n_new : int
        Number of rows to add.
    inverse : ndarray
        Class position of every row of X.
    backend : neighbour backend
        The search for same-class neighbours (``k_neighbors``).
    streams : RandomStreams
        The fit's random streams.
    shared : object
        What :meth:`BaseSMOTE._fit_context` computed once for the whole fit.
    marks : callable or None
        ``marks(rows, k)``: the positions in ``rows`` (rows of X of this class) that are
        among the ``k`` nearest of those rows of at least one row of another class, all
        rows read (ProWSyn's proximity levels); engines without all rows give None.
    """

    label: Any
    position: int
    members: np.ndarray
    n_new: int
    inverse: np.ndarray
    backend: NeighborsBackend
    streams: RandomStreams
    shared: Any = None
    marks: Callable[[np.ndarray, int], np.ndarray] | None = None


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
    # Dask runs this protocol on the gathered rows of the classes being over-sampled: a
    # variant whose context needs every row (an SVM, clusters) declares None
    _distributed_plan: ClassVar[str | None] = "interpolate"
    # the class plans read ClassTask.marks (every other-class row): no partition-local plan
    _marks_other_classes: ClassVar[bool] = False
    # the context is a judge of new rows among every input row (``rows -> classes of the
    # m nearest``, LeeSMOTE); an engine without all rows gives its own and generates the
    # class's rows where the judge is (the rounds depend on its answers)
    _judges_new_rows: ClassVar[bool] = False

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
        _, _, inverse = y.encoded()
        self._warn_categorical_looking(X, Xn)
        backend = self._neighbors()
        shared = self._context(Xn, inverse=inverse, plan=plan, streams=streams)
        if sp.issparse(Xn):
            parts: list[Any] = []
            self._synthesise(Xn, y, plan, streams, shared, backend, parts=parts)
            new = sp.vstack(parts, format="csr") if parts else sp.csr_matrix(
                (0, Xn.shape[1]), dtype=Xn.dtype)
            X_out = X.append(new)
        else:
            buffer, tail = X.new_rows_buffer(Xn, plan.n_total)
            self._synthesise(Xn, y, plan, streams, shared, backend, tail=tail)
            X_out = X.append(buffer)
        return X_out, y.take(self._output_sources(X.n_rows))

    def _neighbors(self) -> Any:
        """The within-class neighbour backend, from the ``_k_param`` parameter."""
        backend = resolve_neighbors(getattr(self, self._k_param), param=self._k_param)
        setattr(self, self._k_attr, FittedNeighbors(backend))  # imbalanced-learn's face
        return backend

    def _synthesise(self, Xn: Any, y: YContainer, plan: SamplingPlan, streams: RandomStreams,
                    shared: Any, backend: Any, *, tail: np.ndarray | None = None,
                    parts: list[Any] | None = None) -> None:
        """The per-class loop: plan each class, generate its rows, record ``provenance_``.

        Dense rows go into ``tail`` in output order; sparse ones are appended to ``parts``.
        """
        _, _, inverse = y.encoded()
        provenance = []
        pos = 0
        self._start_fitted()
        for label, n_new in plan.counts.items():
            if not n_new:
                continue
            cpos = plan.class_position(label)
            members = np.flatnonzero(inverse == cpos)
            self._check_class_size(label, len(members), backend.n_neighbors)
            task = ClassTask(label=label, position=cpos, members=members, n_new=n_new,
                             inverse=inverse, backend=backend, streams=streams, shared=shared,
                             marks=_Marks(Xn, np.flatnonzero(inverse != cpos), backend))
            cplan = self._class_plan(Xn, task)
            record_fitted(self, label, cplan)
            on_block = None
            if cplan.combine is not None:
                def on_block(rng, a, seed, _combine=cplan.combine, _pos=pos):
                    _combine(rng, _pos + a, seed)
            kwargs = {**cplan.spec(n_new, cpos, label, self._own_rows()), "streams": streams,
                      "on_block": on_block}
            if parts is not None:
                prov, rows = self._generate(Xn, task, kwargs)
                parts.append(rows)
            else:
                assert tail is not None  # dense rows: the caller's buffer
                prov = self._generate(Xn, task, kwargs, out=tail[pos : pos + n_new])
            provenance.append(prov)
            pos += n_new
        self.provenance_ = concat_provenance(provenance, np.asarray(y.labels).dtype)

    def _generate(self, Xn: Any, task: ClassTask, kwargs: dict,
                  out: np.ndarray | None = None) -> Any:
        """Stage 3 for one class: the generator's blocks, as :func:`generate` takes
        ``kwargs`` (a variant that accepts or rejects rows, such as LeeSMOTE, wraps it),
        or the variant's own blocks (:meth:`_own_rows`)."""
        if self._own_rows():
            return generate_own(self._block_rows, Xn, kwargs, out)
        return generate(Xn, out=out, **kwargs)

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

    def _graph_need(self) -> GraphNeed | None:
        """The all-class neighbour graph the plans read (stage 1, declared); default none."""
        return None

    def _judge_neighbors(self) -> Any:
        """The search whose ``n_neighbors`` nearest input rows judge each new row, for a
        variant that ``_judges_new_rows``."""
        raise NotImplementedError

    def _other_class_need(self) -> int:
        """How many nearest rows of *other* classes of each sample the class plans read
        (G-SMOTE: 1); an engine that plans on gathered rows brings those rows too.
        Default none."""
        return 0

    def _context(self, X: Any, *, inverse: np.ndarray, plan: SamplingPlan,
                 streams: RandomStreams) -> Any:
        """Stage 1 in memory: compute the declared graph, then :meth:`_fit_context`."""
        need = self._graph_need()
        graph = None
        if need is not None:
            self._check_m_neighbors(need.backend, X.shape[0], param=need.param)
            graph = NeighbourLabels(need.backend, X, self._resampled_rows(plan, inverse),
                                    inverse)
        return self._fit_context(X, inverse=inverse, plan=plan, streams=streams, graph=graph)

    def _fit_context(
        self, X: Any, *, inverse: np.ndarray, plan: SamplingPlan, streams: RandomStreams,
        graph: Any = None,
    ) -> Any:
        """What every class plan of one fit shares (``task.shared``): by default the
        declared ``graph`` (None when none is declared)."""
        return graph

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
