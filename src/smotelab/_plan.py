"""The plan protocol: what a resampling plan declares, and the one loop every engine drives.

A fit of an interpolating sampler has three stages, whatever runs it (memory, exact
Dask, Dask partition by partition):

1. **context** — the sampler declares, in one frozen :class:`PlanNeeds`, which facts
   about *all* rows its plans read (a neighbour graph, each sample's nearest rows of
   other classes, which samples other-class rows are nearest to, the classes of the
   rows nearest a new row). The engine answers them through one :class:`Facts` object,
   computed its own way (one query in memory; merged per-partition candidates on Dask),
   and gives the plans the rows they may read (:class:`RowsView`);
2. **class plans** — for each class, the sampler's ``_class_plan`` returns a
   :class:`ClassPlan`: *where* (seeds and how many rows each), *with whom* (the neighbour
   table), *how far* (the step range), and what it fitted; :func:`run_plan` records the
   fitted values, nowhere else;
3. **generation** — the engine's sink makes the class's rows: in place, or one task per
   block, each block from its own (class, block) stream. A block carries its rows, their
   provenance and, for samplers that generate it, their target (a class label today; a
   continuous value or a label set for samplers of other targets).

:func:`run_plan` is the loop; engines supply a :class:`RowsView` and a sink. Both the
samplers and the engines import this module and nothing of each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._kernels.generate import PROVENANCE_FIELDS, empty_provenance

__all__ = [
    "ClassPlan",
    "ClassTask",
    "Editing",
    "Facts",
    "GraphNeed",
    "MemorySink",
    "PlanNeeds",
    "PlanSink",
    "RowsView",
    "Selection",
    "checked_targets",
    "concat_blocks",
    "makes_rows_whole",
    "partition_local",
    "partition_local_names",
    "record_fitted",
    "run_plan",
    "search_objects",
]


@dataclass(frozen=True)
class ClassPlan:
    """What a variant decides for one class.

    Attributes
    ----------
    seeds : ndarray
        Row indices (into the rows the plan reads) of the seed samples.
    neighbors : ndarray of shape (n_seeds, k)
        Row indices of each seed's candidate neighbours.
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
        Likewise, for values that are row indices (e.g. Borderline-SMOTE's
        ``in_danger_indices_``): an engine that planned on gathered rows maps them back
        to input rows before they are recorded.
    data : mapping
        What a variant's own blocks (``_block_rows``) read, computed once by the plan (a
        class mean, curve coefficients); not recorded.
    target_of : callable or None
        For a sampler whose needs say ``targets``: the target of each new row from its
        provenance, ``target_of(parent, neighbor, step)`` (row indices into the rows the
        plan read; SMOTER's interpolated target). Every engine applies it to each
        block's provenance; a variant may instead return targets from its own blocks.
    """

    seeds: np.ndarray
    neighbors: np.ndarray
    seed_counts: np.ndarray | None = None
    step_range: tuple[Any, Any] = (0.0, 1.0)
    combine: Callable[[np.random.Generator, int, np.ndarray], None] | None = None
    fitted: dict[str, Any] = field(default_factory=dict)
    fitted_rows: dict[str, np.ndarray] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    target_of: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None

    def spec(self, n_new: int, class_pos: int, label: Any, own_rows: bool = False) -> dict:
        """The generator's keywords for this plan, as every engine passes them (it adds
        ``streams``); with ``own_rows``, the plan's ``data`` for the variant's blocks."""
        spec = {"seeds": self.seeds, "neighbors": self.neighbors, "n_new": n_new,
                "class_pos": class_pos, "label": label, "step_range": self.step_range,
                "seed_counts": self.seed_counts}
        if own_rows:
            spec["data"] = self.data
        return spec


@dataclass(frozen=True)
class GraphNeed:
    """A neighbour graph the plans read: each resampled row's ``m`` nearest rows of any
    class (``m`` = the backend's ``n_neighbors``).

    Attributes
    ----------
    backend : NeighborsBackend
        The search.
    param : str
        The parameter that set it (named in errors).
    attr : str or None
        The fitted attribute that exposes the search (``nn_m_``), set by the driver.
    any_k : int
        The plans also take each seed's ``any_k`` nearest rows of *any* class as
        interpolation partners (Borderline-2): an engine that plans on gathered rows
        brings those rows too.
    """

    backend: Any
    param: str
    attr: str | None = None
    any_k: int = 0


@dataclass(frozen=True)
class PlanNeeds:
    """Every fact about all rows a variant's plans read, declared as data.

    An engine that holds all rows answers each at once; one that plans on gathered rows
    brings or computes what is declared; one that plans within each partition runs only
    variants that declare nothing (:attr:`all_rows` false). A new kind of fact is one new
    field here, one answer per engine in its :class:`Facts`, and no new hook.

    Attributes
    ----------
    graph : GraphNeed or None
        The neighbour graph of the resampled rows among all rows (``Facts.graph``:
        Borderline danger sets, ADASYN weights).
    other_rows : int
        How many nearest rows of *other* classes of each resampled sample its plan reads
        from the rows it is given (G-SMOTE: 1); an engine that plans on gathered rows
        brings them.
    marks : bool
        The plans ask which of a class's samples are among the nearest of some
        other-class row (``Facts.marks``: ProWSyn's proximity levels).
    judge : GraphNeed or None
        New rows are judged by the classes of their ``m`` nearest input rows
        (``Facts.judge``: LeeSMOTE's rejection).
    targets : bool
        The plans read the targets of the rows they are given (``ClassTask.targets``)
        and make a target with every new row (a fifth value of each of the variant's
        blocks, or a ``target`` field in the provenance ``_generate`` returns), instead
        of giving it its class label: every engine then builds ``y`` from them (a
        continuous target for regression, a label set for multilabel samplers). This
        reads only the class's rows, so a partition-local plan may declare it.
    """

    graph: GraphNeed | None = None
    other_rows: int = 0
    marks: bool = False
    judge: GraphNeed | None = None
    targets: bool = False

    @property
    def all_rows(self) -> bool:
        """Whether any fact needs rows beyond the class's own."""
        return (self.graph is not None or self.other_rows > 0 or self.marks
                or self.judge is not None)

    def describe(self) -> str:
        """The facts, in words (for errors)."""
        said = []
        if self.graph is not None:
            said.append(f"a neighbour graph over all rows ({self.graph.param})")
        if self.other_rows:
            said.append("each sample's nearest rows of other classes")
        if self.marks:
            said.append("which samples other classes' rows are nearest to")
        if self.judge is not None:
            said.append("the classes of the input rows nearest each new row")
        return ", ".join(said) or "nothing beyond the class's rows"


class Facts:
    """An engine's answers to :class:`PlanNeeds` (None where not declared or not held).

    Attributes
    ----------
    graph : object or None
        ``counts(rows)`` (other-class neighbours of each row among its ``m`` nearest),
        ``m``, ``exact`` and ``nearest(rows, k)`` (the ``k`` nearest of any class, or
        None when the graph holds fewer).
    judge : callable or None
        ``judge(new_rows) -> class positions`` of the ``m`` nearest input rows of each.
    """

    graph: Any = None
    judge: Callable[[Any], np.ndarray] | None = None

    def marks(self, own: int) -> Callable[[np.ndarray, int], np.ndarray] | None:
        """``marks(rows, k)`` for the class at position ``own``: the positions in
        ``rows`` that are among the ``k`` nearest of those rows of at least one row of
        another class, all rows read; None where the engine holds no other rows."""
        return None


@dataclass(frozen=True)
class ClassTask:
    """One class to over-sample, as the driver hands it to a variant's plan.

    Attributes
    ----------
    label : object
        The class label.
    position : int
        Its position among the sorted classes (keys its random streams).
    members : ndarray
        Row indices (into the rows the plan reads) of the class's samples.
    n_new : int
        Number of rows to add.
    inverse : ndarray
        Class position of every row the plan reads.
    backend : neighbour backend
        The search for same-class neighbours.
    streams : RandomStreams
        The fit's random streams.
    shared : object
        What the sampler's ``_fit_context`` computed once for the whole fit.
    facts : Facts
        The engine's answers to the sampler's :class:`PlanNeeds`.
    fitted : dict
        Where generation records what it fitted for the class (LeeSMOTE's rejection
        level), by attribute name; the driver records it as ``fitted`` of the plan.
    targets : ndarray or None
        The targets of the rows the plan reads, where the sampler's needs say
        ``targets``; then the class's new rows must come with theirs.
    """

    label: Any
    position: int
    members: np.ndarray
    n_new: int
    inverse: np.ndarray
    backend: Any
    streams: Any
    shared: Any = None
    facts: Facts = field(default_factory=Facts)
    fitted: dict[str, Any] = field(default_factory=dict)
    targets: np.ndarray | None = None

    @property
    def marks(self) -> Callable[[np.ndarray, int], np.ndarray] | None:
        """:meth:`Facts.marks` for this class."""
        return self.facts.marks(self.position)


@dataclass
class RowsView:
    """What an engine gives the plans: the rows they read, their classes, the answers to
    the needs, how their row numbers map to input rows (None: they are input rows), and
    their targets (where the needs say ``targets``)."""

    X: Any
    inverse: np.ndarray
    facts: Facts
    to_rows: Callable[[np.ndarray], np.ndarray] | None = None
    targets: np.ndarray | None = None


# Where an engine makes a planned class's rows (stage 3): called as ``sink(sampler, X,
# task, cplan, start)`` to make ``task.n_new`` rows of ``cplan`` from the rows ``X`` the
# plan read; ``start`` is the position of the first among all new rows of the fit.
PlanSink = Callable[[Any, Any, "ClassTask", ClassPlan, int], None]


def record_fitted(sampler: Any, label: Any, values: dict[str, Any],
                  rows: dict[str, np.ndarray],
                  to_rows: Callable[[np.ndarray], np.ndarray] | None = None) -> None:
    """Record what a class fitted on ``sampler`` (``to_rows`` maps planned rows)."""
    for name, value in values.items():
        getattr(sampler, name)[label] = value
    for name, found in rows.items():
        getattr(sampler, name)[label] = found if to_rows is None else to_rows(found)


_UNSET: Any = object()


def run_plan(sampler: Any, needs: PlanNeeds, view: RowsView,
             classes: Iterable[tuple[Any, int, int]], sink: PlanSink, *, plan: Any,
             streams: Any, backend: Any, shared: Any = _UNSET) -> None:
    """The loop every engine drives, in one order: the searches the needs declare
    exposed as fitted attributes; the sampler's context (``_fit_context`` on the rows of
    ``view``, unless the engine passes ``shared``); then for each ``(label, position,
    n_new)`` the class's task, the sampler's plan, the engine's ``sink`` for its rows,
    and what was fitted recorded, here and nowhere else."""
    from .neighbors import FittedNeighbors

    for need in (needs.graph, needs.judge):
        if need is not None and need.attr is not None:
            setattr(sampler, need.attr, FittedNeighbors(need.backend))
    if shared is _UNSET:
        shared = sampler._fit_context(view.X, inverse=view.inverse, plan=plan,
                                      streams=streams)
    sampler._start_fitted()
    start = 0
    for label, cpos, n_new in classes:
        members = np.flatnonzero(view.inverse == cpos)
        sampler._check_class_size(label, len(members), backend.n_neighbors)
        task = ClassTask(label=label, position=cpos, members=members, n_new=n_new,
                         inverse=view.inverse, backend=backend, streams=streams,
                         shared=shared, facts=view.facts,
                         targets=view.targets if needs.targets else None)
        cplan = sampler._class_plan(view.X, task)
        record_fitted(sampler, label, cplan.fitted, cplan.fitted_rows, view.to_rows)
        sink(sampler, view.X, task, cplan, start)
        record_fitted(sampler, label, task.fitted, {}, view.to_rows)
        start += n_new


def concat_blocks(parts: list[dict[str, np.ndarray]], label_dtype: Any) -> dict:
    """Provenance of several classes' rows in output order. Where some class's rows
    came with generated targets (a ``target`` field), the result has one for every row
    (the class label where none was generated)."""
    if not parts:
        return empty_provenance(label_dtype)
    out = {f: np.concatenate([p[f] for p in parts]) for f in PROVENANCE_FIELDS}
    if any("target" in p for p in parts):
        out["target"] = np.concatenate([p.get("target", p["class"]) for p in parts])
    return out


def makes_rows_whole(sampler: Any) -> bool:
    """Whether the sampler replaces ``_generate`` (how a class's rows are made as a
    whole, e.g. accepted or rejected together): an engine then runs it where the rows
    the plans read are, instead of making blocks apart."""
    return getattr(type(sampler)._generate, "whole_rows", True)


def partition_local(sampler: Any) -> bool:
    """Whether the sampler's plan can run inside each partition (it reads nothing about
    rows beyond the class's own there)."""
    return bool(sampler.__sklearn_tags__().sampler_tags.partition_local)


def partition_local_names() -> list[str]:
    """The shipped samplers whose plan runs within each partition (for error messages):
    interpolating ones first, then the duplicating one."""
    from .utils.discovery import all_samplers

    found = []
    for name, cls in all_samplers():
        try:
            tags = cls().__sklearn_tags__().sampler_tags
        except TypeError:  # a sampler with required parameters
            continue
        if tags.partition_local:
            found.append((tags.distributed_plan != "interpolate", name))
    return [name for _, name in sorted(found)]


class MemorySink:
    """A sink that makes each class's rows where the rows the plans read are (in
    memory, or in one partition's task), by the sampler's ``_generate``: into ``tail``
    (dense rows, in output order) or appended to ``parts`` (sparse rows); their
    provenance kept in order."""

    def __init__(self, tail: np.ndarray | None = None, parts: list[Any] | None = None) -> None:
        self.tail, self.parts = tail, parts
        self.provenance: list[dict] = []

    def __call__(self, sampler: Any, X: Any, task: ClassTask, cplan: ClassPlan,
                 start: int) -> None:
        on_block = None
        if cplan.combine is not None:
            def on_block(rng: Any, a: int, seed: np.ndarray, _combine: Any = cplan.combine
                         ) -> None:
                _combine(rng, start + a, seed)
        kwargs = {**cplan.spec(task.n_new, task.position, task.label, sampler._own_rows()),
                  "streams": task.streams, "on_block": on_block}
        if self.parts is not None:
            prov, rows = sampler._generate(X, task, kwargs)
            self.parts.append(rows)
        else:
            assert self.tail is not None  # dense rows: the caller's buffer
            prov = sampler._generate(X, task, kwargs,
                                     out=self.tail[start : start + task.n_new])
        if cplan.target_of is not None:
            prov = {**prov, "target": cplan.target_of(prov["parent"], prov["neighbor"],
                                                      prov["step"])}
        self.provenance.append(checked_targets(sampler, prov, task))


def checked_targets(sampler: Any, prov: dict, task: ClassTask) -> dict:
    """``prov``, refused when the needs say the rows come with targets and they did not
    (or not one per row)."""
    if task.targets is None:
        return prov
    made = prov.get("target")
    if made is None or len(made) != task.n_new:
        from .exceptions import fmt_label

        raise TypeError(
            f"{type(sampler).__name__} declares targets in its plan needs, but the "
            f"{task.n_new} new rows of class {fmt_label(task.label)} came with "
            f"{'none' if made is None else len(made)}; return one per row from "
            "_block_rows (a fifth value) or _generate (the provenance's 'target').")
    return prov


@dataclass(frozen=True)
class Selection:
    """What a random selection's plan reads (``_plan_spec`` of RandomUnderSampler):
    whether rows are drawn with replacement."""

    replacement: bool


@dataclass(frozen=True)
class Editing:
    """What an editing plan reads (``_plan_spec`` of EditedNearestNeighbours): ``k``
    nearest rows of any class vote on each row of the classes cleaned, by ``rule``
    (``'all'`` or ``'mode'``); ``param`` set ``k``, and ``attr`` is the fitted attribute
    that exposes the search."""

    k: int
    param: str
    attr: str
    rule: str


def search_objects(sampler: Any) -> list[str]:
    """The sampler's parameters set to a neighbour-search object rather than a number of
    neighbours (engines beyond memory run their own exact search)."""
    from numbers import Integral

    from .utils._compat import HasMethods

    params = sampler.get_params(deep=False)
    found = []
    for name, allowed in getattr(type(sampler), "_parameter_constraints", {}).items():
        takes_search = any(isinstance(c, HasMethods) and "kneighbors" in c.methods
                           for c in allowed)
        value = params.get(name)
        if takes_search and value is not None and not isinstance(value, Integral):
            found.append(name)
    return found
