"""From ``sampling_strategy`` to a frozen plan: which classes change, and by how much.

Every form imbalanced-learn accepts is accepted here and gives the same counts:

* ``'auto'``, ``'minority'``, ``'majority'``, ``'not minority'``, ``'not majority'``, ``'all'``;
* a float (two classes only): the desired minority/majority ratio after resampling;
* a dict ``{class: n_samples_after}``;
* a callable ``f(y) -> dict``;
* a list of classes (cleaning samplers only).

A string is a *selector* of target classes combined with a *count rule* that depends on
the kind of sampler; that table is the whole logic, written once.

>>> import numpy as np
>>> y = np.array([0] * 6 + [1] * 3 + [2] * 1)
>>> plan = SamplingPlan.build("auto", y, kind="over-sampling")
>>> dict(plan.counts)
{np.int64(1): 3, np.int64(2): 5}
>>> plan.n_total
8
>>> dict(SamplingPlan.build({2: 4}, y, kind="over-sampling").counts)
{2: 3}
>>> dict(SamplingPlan.build("auto", y, kind="under-sampling").counts)
{np.int64(0): 1, np.int64(1): 1}
"""

from __future__ import annotations

import numbers
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, cast

import numpy as np

from .exceptions import SamplingStrategyError
from .exceptions import fmt_label as _label

__all__ = ["SamplingPlan", "as_kind", "check_sampling_strategy"]

Kind = Literal["over-sampling", "under-sampling", "clean-sampling"]
_KINDS = ("over-sampling", "under-sampling", "clean-sampling")


def as_kind(value: str) -> Kind:
    """``value`` as a sampling kind, or a ValueError naming the kinds."""
    if value not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {value!r}.")
    return cast(Kind, value)
_SELECTORS = ("auto", "minority", "majority", "not minority", "not majority", "all")


def _select(selector: str, classes: list[Any], counts: Mapping[Any, int], kind: Kind) -> list:
    """Target classes chosen by a string selector (ties: the smallest label wins)."""
    minority = min(classes, key=counts.__getitem__)
    majority = max(classes, key=counts.__getitem__)
    if selector == "auto":
        selector = "not majority" if kind == "over-sampling" else "not minority"
    if selector == "minority":
        if kind != "over-sampling":
            raise SamplingStrategyError(
                "sampling_strategy='minority' cannot be used with under-samplers or "
                "cleaners: the minority class is never reduced. Use 'not minority', "
                "'majority', 'all' or a dict."
            )
        return [minority]
    if selector == "majority":
        if kind == "over-sampling":
            raise SamplingStrategyError(
                "sampling_strategy='majority' cannot be used with over-samplers: the "
                "majority class cannot grow past itself. Use 'minority', 'not majority', "
                "'all' or a dict."
            )
        return [majority]
    if selector == "not minority":
        return [c for c in classes if c != minority]
    if selector == "not majority":
        return [c for c in classes if c != majority]
    return list(classes)  # "all"


def _count_rule(kind: Kind, counts: Mapping[Any, int]) -> Callable[[Any], int]:
    n_min = min(counts.values())
    n_max = max(counts.values())
    if kind == "over-sampling":
        return lambda c: n_max - counts[c]
    # Under-sampling and cleaning both report the minority count, as imbalanced-learn does
    # (a cleaner uses it only to know which classes it may clean).
    return lambda c: n_min


def _check_known(named: Any, counts: Mapping[Any, int]) -> None:
    unknown = [c for c in named if c not in counts]
    if unknown:
        raise SamplingStrategyError(
            f"sampling_strategy names class(es) {', '.join(_label(c) for c in unknown)} "
            f"that are not present in the data. Those are not in y, whose classes are "
            f"{', '.join(_label(c) for c in counts)}."
        )


def _from_dict(strategy: Mapping, counts: Mapping[Any, int], kind: Kind) -> dict:
    if kind == "clean-sampling":
        raise SamplingStrategyError(
            "A dict for cleaning methods is not supported: cleaning samplers remove samples "
            "by a rule, not to a target count, so they take a list of classes to clean (or "
            "a string such as 'auto')."
        )
    _check_known(strategy, counts)
    out = {}
    for c, given in strategy.items():
        if not isinstance(given, numbers.Integral) or isinstance(given, bool):
            raise SamplingStrategyError(
                f"sampling_strategy[{_label(c)}] must be an integer number of samples, "
                f"got {given!r}."
            )
        target = int(given)
        if target < 0:
            raise SamplingStrategyError(
                f"sampling_strategy[{_label(c)}]={target}: the number of samples in a class "
                "cannot be negative. Give the number of samples the class should have after "
                "resampling."
            )
        have = counts[c]
        if kind == "over-sampling":
            if target < have:
                raise SamplingStrategyError(
                    f"sampling_strategy asks class {_label(c)} to have {target} samples but it "
                    f"already has {have}; an over-sampler cannot remove samples. Ask for at "
                    f"least {have}, or use an under-sampler."
                )
            out[c] = int(target - have)
        else:
            if target > have:
                raise SamplingStrategyError(
                    f"sampling_strategy asks class {_label(c)} to keep {target} samples but it "
                    f"has only {have}; an under-sampler cannot add samples. Ask for at most "
                    f"{have}, or use an over-sampler."
                )
            out[c] = int(target)
    return out


def _from_float(ratio: float, counts: Mapping[Any, int], kind: Kind) -> dict:
    if kind == "clean-sampling":
        raise SamplingStrategyError(
            "A float sampling_strategy is not supported by cleaning samplers; give a list "
            "of classes or a string such as 'auto'."
        )
    if len(counts) != 2:
        raise SamplingStrategyError(
            f"A float sampling_strategy is only defined for two classes, but y has "
            f"{len(counts)}: {', '.join(_label(c) for c in counts)}. Use a dict "
            "{class: n_samples} or a string such as 'auto' or 'not majority'."
        )
    if not 0 < ratio <= 1:
        raise SamplingStrategyError(
            f"A float sampling_strategy is the minority/majority ratio after resampling; "
            f"it should be in the range (0, 1], got {ratio}."
        )
    classes = list(counts)
    minority = min(classes, key=counts.__getitem__)
    majority = max(classes, key=counts.__getitem__)
    if kind == "over-sampling":
        n_new = int(ratio * counts[majority]) - counts[minority]
        if n_new < 0:
            raise SamplingStrategyError(
                f"sampling_strategy={ratio} asks for fewer minority samples "
                f"({int(ratio * counts[majority])}) than class {_label(minority)} already has "
                f"({counts[minority]}): it would remove samples from the minority class while "
                "trying to generate new ones; increase the ratio to at least "
                f"{counts[minority] / counts[majority]:.4g}."
            )
        return {minority: n_new}
    n_keep = int(counts[minority] / ratio)
    if n_keep > counts[majority]:
        raise SamplingStrategyError(
            f"sampling_strategy={ratio} would need {n_keep} majority samples but class "
            f"{_label(majority)} has only {counts[majority]}; increase the ratio to at least "
            f"{counts[minority] / counts[majority]:.4g}."
        )
    return {majority: n_keep}


def check_sampling_strategy(
    sampling_strategy: Any,
    y: np.ndarray,
    kind: Kind,
    *,
    encoded: tuple[np.ndarray, np.ndarray] | None = None,
    **kwargs: Any,
) -> OrderedDict:
    """The imbalanced-learn view of a plan: an ``OrderedDict`` sorted by class.

    For over-sampling the values are the numbers of samples to *add*; for
    under-sampling the numbers of samples to *keep*; for cleaning, the minority count
    (the classes named are the ones a cleaner may clean). ``encoded`` passes the
    sorted classes and their counts when they are already known; ``kwargs`` go to a
    callable ``sampling_strategy`` (``sampling_strategy(y, **kwargs)``).
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}.")
    if encoded is None:
        classes, n = np.unique(np.asarray(y), return_counts=True)
    else:
        classes, n = encoded[0], encoded[1]
    counts = dict(zip(classes, (int(v) for v in n), strict=True))
    if len(counts) < 2:
        raise SamplingStrategyError(
            f"y has a single class ({_label(classes[0])}); resampling needs at least two."
        )
    strategy = sampling_strategy
    if callable(strategy):
        strategy = strategy(y, **kwargs)
        if not isinstance(strategy, Mapping):
            raise SamplingStrategyError(
                f"A callable sampling_strategy must return a dict {{class: n_samples}}; it "
                f"returned {type(strategy).__name__}."
            )
    if isinstance(strategy, str):
        if strategy not in _SELECTORS:
            raise SamplingStrategyError(
                f"sampling_strategy={strategy!r} is not a known option; use one of "
                f"{', '.join(map(repr, _SELECTORS))}, a float, a dict or a callable."
            )
        rule = _count_rule(kind, counts)
        chosen = _select(strategy, list(counts), counts, kind)
        out = {c: rule(c) for c in chosen}
    elif isinstance(strategy, Mapping):
        out = _from_dict(strategy, counts, kind)
    elif isinstance(strategy, numbers.Real) and not isinstance(strategy, bool):
        out = _from_float(float(strategy), counts, kind)
    elif isinstance(strategy, (list, tuple, np.ndarray)):
        if kind != "clean-sampling":
            raise SamplingStrategyError(
                "A list of classes is only accepted by cleaning samplers; give a dict "
                "{class: n_samples} to choose counts per class."
            )
        _check_known(strategy, counts)
        out = dict.fromkeys(strategy, min(counts.values()))
    else:
        raise SamplingStrategyError(
            f"sampling_strategy of type {type(strategy).__name__} is not understood; use a "
            "string, a float, a dict, a callable or (for cleaners) a list of classes."
        )
    order = {c: i for i, c in enumerate(counts)}
    return OrderedDict(sorted(out.items(), key=lambda kv: order[kv[0]]))


@dataclass(frozen=True)
class SamplingPlan:
    """A frozen resampling plan: for each target class, how many samples.

    Attributes
    ----------
    kind : {"over-sampling", "under-sampling", "clean-sampling"}
    counts : mapping class -> int
        Samples to add (over-sampling) or to keep (under-sampling; cleaning reports
        the minority count), in sorted class order.
    classes : ndarray
        All classes of ``y``, sorted; a class's position here keys its random stream.
    class_counts : ndarray
        Number of samples of each class in ``classes``.
    """

    kind: Kind
    counts: Mapping[Any, int]
    classes: np.ndarray
    class_counts: np.ndarray

    @classmethod
    def build(
        cls,
        sampling_strategy: Any,
        y: np.ndarray,
        kind: Kind,
        *,
        encoded: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> SamplingPlan:
        """Build the plan of ``sampling_strategy`` for labels ``y``.

        ``encoded`` passes the sorted classes and their counts when already known.
        """
        if encoded is None:
            encoded = np.unique(np.asarray(y), return_counts=True)
        counts = check_sampling_strategy(sampling_strategy, y, kind, encoded=encoded)
        classes, n = encoded[0], encoded[1]
        return cls(kind=kind, counts=MappingProxyType(dict(counts)), classes=classes,
                   class_counts=n)

    @property
    def n_total(self) -> int:
        """Total of the plan's counts."""
        return int(sum(self.counts.values()))

    def class_position(self, label: Any) -> int:
        """Position of ``label`` in the sorted class list (keys its random stream)."""
        return int(np.searchsorted(self.classes, label))

    def positions(self, *, nonzero: bool = False) -> np.ndarray:
        """Positions (in ``classes``) of the classes the plan names, in class order.

        With ``nonzero``, only those whose count is not zero.
        """
        return np.array([self.class_position(c) for c, n in self.counts.items()
                         if n or not nonzero], dtype=np.intp)

    def in_plan(self, inverse: np.ndarray, *, nonzero: bool = False) -> np.ndarray:
        """Mask of the rows (given their class positions) whose class the plan names."""
        return np.isin(inverse, self.positions(nonzero=nonzero))

    def as_ordered_dict(self) -> OrderedDict:
        """The imbalanced-learn-compatible ``sampling_strategy_`` view."""
        return OrderedDict(self.counts)
