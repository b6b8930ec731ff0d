"""Sampler tags: scikit-learn's tags, plus what a sampler is (as imbalanced-learn's).

``__sklearn_tags__()`` of every smotelab sampler returns :class:`Tags` with
``estimator_type == "sampler"`` and ``sampler_tags``, the fields imbalanced-learn's
checks read (``sample_indices``) and what smotelab's layers need to know about a sampler
without reading its private attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

from sklearn.utils import InputTags as _SklearnInputTags
from sklearn.utils import Tags as _SklearnTags

__all__ = ["InputTags", "SamplerTags", "Tags", "own_plan", "sampler_tags", "sampler_tags_of",
           "set_needs_numeric"]

SamplingType = Literal["over-sampling", "under-sampling", "clean-sampling", "bypass",
                       "regression"]
NeighborScope = Literal["class", "cluster", "any", "sphere", "topology"]
DistributedPlan = Literal["interpolate", "nominal", "duplicate", "random-selection",
                          "tomek-links", "edited", "iterative-filter"]


@dataclass(slots=True)
class InputTags(_SklearnInputTags):
    """scikit-learn's ``InputTags`` with imbalanced-learn's ``dataframe`` field."""

    dataframe: bool = False


@dataclass(slots=True)
class SamplerTags:
    """What kind of sampler an estimator is.

    Parameters
    ----------
    sample_indices : bool, default=False
        Whether the fitted sampler exposes ``sample_indices_`` (imbalanced-learn's tag).
    sampling_type : str, default="bypass"
        ``"over-sampling"``, ``"under-sampling"``, ``"clean-sampling"``, ``"bypass"`` or
        ``"regression"`` (a sampler of a continuous target: ``smotelab.regression``).
    combines : bool, default=False
        Whether it chains an over-sampler and a cleaner (counts, row order and streams are
        theirs).
    needs_numeric : bool, default=True
        Whether ``X`` must be numeric.
    approximate_counts : bool, default=False
        Whether the output counts may differ from the plan (an iterative cleaner).
    neighbor_scope : str, default="class"
        Where a synthetic row's neighbour may come from: ``"class"`` (one of the parent's
        nearest of its class), ``"cluster"`` (a sample of its class in the same group:
        K-Means SMOTE's cluster, ProWSyn's level; not necessarily among the nearest),
        ``"any"`` (also other classes, with a step below 0.5) or ``"sphere"`` (the row lies
        inside the sphere centred on its parent through its neighbour, which may be of
        another class: Geometric SMOTE; ``step`` is its distance from the parent as a
        share of the radius) or ``"topology"`` (rows on the shapes fitted to the class:
        toward its mean, along a chain or a mesh of its samples, or on curves through
        them; PolynomFitSMOTE).
    deterministic : bool, default=False
        Whether the output, for the parameters set, does not depend on ``random_state``
        (PolynomFitSMOTE's star and bus topologies).
    coupled_classes : bool, default=False
        Whether the rows kept of one class depend on which other classes are resampled
        (an iterative cleaner: each round sees the rows the previous rounds kept).
    distributed_plan : str or None, default=None
        The plan an engine beyond memory (Dask) runs for this sampler (``"interpolate"``,
        ``"nominal"``, ``"duplicate"``, ``"random-selection"``, ``"tomek-links"``,
        ``"edited"``, ``"iterative-filter"``); None: in memory only. Declared by the
        class whose ``_fit_resample`` the plan mirrors (:func:`own_plan`), so a subclass
        keeps it unless it replaces that method.
    partition_local : bool, default=False
        Whether the plan can also run within each Dask partition (it reads nothing about
        rows beyond the class's own there: ``dask.config`` ``smotelab.neighbours=
        'partition'``).
    """

    sample_indices: bool = False
    sampling_type: SamplingType = "bypass"
    combines: bool = False
    needs_numeric: bool = True
    approximate_counts: bool = False
    neighbor_scope: NeighborScope = "class"
    deterministic: bool = False
    coupled_classes: bool = False
    distributed_plan: DistributedPlan | None = None
    partition_local: bool = False


@dataclass(slots=True)
class Tags(_SklearnTags):
    """scikit-learn's ``Tags`` with ``sampler_tags`` (``None`` for non-samplers)."""

    sampler_tags: SamplerTags | None = None


def sampler_tags_of(tags: _SklearnTags, sampler_tags: SamplerTags) -> Tags:
    """``tags`` (scikit-learn's) as a sampler's :class:`Tags`."""
    values = {f.name: getattr(tags, f.name) for f in fields(_SklearnTags)}
    values["estimator_type"] = "sampler"
    if not isinstance(tags.input_tags, InputTags):
        old = tags.input_tags
        values["input_tags"] = InputTags(
            **{f.name: getattr(old, f.name) for f in fields(_SklearnInputTags)},
            dataframe=True)
    return Tags(**values, sampler_tags=sampler_tags)


def sampler_tags(estimator: object) -> SamplerTags:
    """The sampler tags of ``estimator`` (the defaults for one that has none)."""
    tags = getattr(estimator, "__sklearn_tags__", None)
    found = getattr(tags(), "sampler_tags", None) if tags is not None else None
    return found if found is not None else SamplerTags()


def set_needs_numeric(tags: Tags, numeric: bool) -> Tags:
    """``tags`` saying whether X must be numeric (the input tags follow)."""
    assert tags.sampler_tags is not None
    tags.sampler_tags.needs_numeric = numeric
    tags.input_tags.string = not numeric
    tags.input_tags.allow_nan = not numeric
    return tags


def own_plan(estimator: Any, owner: type, plan: DistributedPlan) -> DistributedPlan | None:
    """``plan`` if ``estimator`` still runs ``owner``'s algorithm (its ``_fit_resample``),
    else None: a subclass that replaces the algorithm does not inherit the plan."""
    same = type(estimator)._fit_resample is owner._fit_resample  # type: ignore[attr-defined]
    return plan if same else None
