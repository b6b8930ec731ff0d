"""Polynomial-fitting SMOTE (Gazzah and Essoukri Ben Amara, 2008)."""

from __future__ import annotations

import re
import warnings
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .._kernels.generate import interpolate
from .._kernels.labels import apportion
from ..exceptions import NotEnoughSamplesError, SmotelabWarning
from ..exceptions import fmt_label as _label
from ._base import BaseSMOTE, ClassPlan, ClassTask
from ._prowsyn import other_partners

__all__ = ["PolynomFitSMOTE"]

_TOPOLOGY = re.compile(r"^(star|bus|mesh|(poly|curve)_([1-9][0-9]?))$")


def _even_steps(counts: np.ndarray, start: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``start:start + size`` of seeds with ``counts`` rows each (in seed order):
    each row's seed, and its step; a seed with ``c`` rows steps ``1/(c+1), ...,
    c/(c+1)``."""
    first = np.cumsum(counts) - counts
    owner = np.searchsorted(first + counts, np.arange(start, start + size), side="right")
    j = np.arange(start, start + size) - first[owner] + 1
    return owner, j / (counts[owner] + 1.0)


class PolynomFitSMOTE(BaseSMOTE):
    """Polynomial-fitting SMOTE: new rows along a topology of the class's samples.

    ``topology`` says where the rows go, each class on its own:

    * ``'star'``: on the segments from each sample to the class mean, evenly spaced
      (a sample with ``c`` rows gets the points ``1/(c+1) .. c/(c+1)`` of the way);
    * ``'bus'``: on the segments between consecutive samples (in input order), evenly
      spaced;
    * ``'mesh'``: between each sample and a partner drawn uniformly among the others,
      at a uniform step (a random stand-in for every pair);
    * ``'poly_<d>'`` (e.g. ``'poly_2'``): the samples are ordered by their mean feature
      value and each feature is fitted by a polynomial of degree ``d`` in that order;
      each feature of a row is its fitted polynomial at its own uniform position in
      ``[0, n)``, as smote-variants draws them, so the rows fill the box the curves
      span (a class of ``n <= d`` samples gets curves of degree ``n - 1``, with a
      warning);
    * ``'curve_<d>'``: the same fit, each row a point *on* the curve (one position per
      row, every feature evaluated there).

    The rows are spread over the samples (or segments) as evenly as integers allow, so
    the counts are exact; ``'star'`` and ``'bus'`` use no randomness.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams (``'mesh'`` and the fitted topologies draw).
    topology : str, default='star'
        ``'star'``, ``'bus'``, ``'mesh'``, ``'poly_<degree>'`` or ``'curve_<degree>'``
        (see above).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    class_means_ : dict of ndarray
        ``'star'``: the mean each class's rows lead to.
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent`` and ``neighbor`` (row
        indices in the input X; ``neighbor`` is -1 toward the class mean under
        ``'star'``), ``step`` and ``class``. Fitted rows are not on a segment:
        ``parent`` is the sample at the row's position along the ordering (under
        ``'poly_<d>'``, its first feature's position), ``neighbor`` -1 and ``step`` the
        position between it and the next sample.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTE : Segments to the nearest samples of the class.

    Notes
    -----
    Dense or sparse input; the fitted topologies build dense rows. Rows are made per block of
    65,536 from the block's own stream, so on Dask (which needs only the class's rows)
    the output equals the in-memory one.

    References
    ----------
    S. Gazzah, N. Essoukri Ben Amara, "New oversampling approaches based on polynomial
    fitting for imbalanced data sets", DAS 2008, 677-684.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import PolynomFitSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = PolynomFitSMOTE(topology="bus").fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 898), (np.int64(1), 898)]
    """

    _per_class_attrs: ClassVar[tuple[str, ...]] = ("class_means_",)
    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": BaseSMOTE._parameter_constraints["sampling_strategy"],
        "random_state": BaseSMOTE._parameter_constraints["random_state"],
        "topology": [str],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, topology="star"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.topology = topology

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.sampler_tags.neighbor_scope = "topology"
        tags.sampler_tags.deterministic = self.topology in ("star", "bus")
        return tags

    def _neighbors(self) -> Any:
        match = _TOPOLOGY.match(str(self.topology))
        if match is None:
            raise ValueError(
                f"PolynomFitSMOTE: topology={self.topology!r} is not one of 'star', 'bus', "
                "'mesh', 'poly_<degree>' or 'curve_<degree>' (a degree from 1 to 99, e.g. "
                "'poly_2').")
        return _NoSearch()

    def _check_class_size(self, label: Any, n_class: int, k: int) -> None:
        if n_class >= 2:
            return
        raise NotEnoughSamplesError(
            f"PolynomFitSMOTE: class {_label(label)} has {n_class} sample(s); topology "
            f"{self.topology!r} needs at least 2. Use RandomOverSampler for it, or leave "
            "it out of sampling_strategy.")

    def _degree(self) -> int:
        match = _TOPOLOGY.match(str(self.topology))
        return int(match.group(3)) if match and match.group(3) else 0

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        members, n_new = task.members, task.n_new
        fitted: dict[str, Any] = {}
        if self.topology == "star":
            mean = np.asarray(X[members].mean(axis=0)).ravel()
            fitted["class_means_"] = mean
            counts = apportion(np.ones(len(members)), n_new)
            table = np.full((len(members), 1), -1, dtype=np.intp)
            return ClassPlan(seeds=members, neighbors=table, seed_counts=counts,
                             fitted=fitted, data={"mean": mean.astype(np.float64)})
        if self.topology == "bus":
            counts = apportion(np.ones(len(members) - 1), n_new)
            return ClassPlan(seeds=members[:-1], neighbors=members[1:, None],
                             seed_counts=counts)
        if self.topology == "mesh":
            counts = apportion(np.ones(len(members)), n_new)
            rng = task.streams.for_class(task.position)
            draw = other_partners(rng, len(members), np.arange(len(members)), 32)
            return ClassPlan(seeds=members, neighbors=members[draw], seed_counts=counts)
        degree, n = self._degree(), len(members)
        if degree > n - 1:
            warnings.warn(
                f"PolynomFitSMOTE: class {_label(task.label)} has {n} samples, too few "
                f"for a polynomial of degree {degree}; its curves have degree {n - 1}.",
                SmotelabWarning, stacklevel=5)
        order = np.argsort(np.asarray(X[members].mean(axis=1)).ravel(), kind="stable")
        seeds = members[order]
        # curves through the samples in that order, fitted once for all blocks
        coef = np.polynomial.polynomial.polyfit(np.arange(n, dtype=np.float64),
                                                _dense(X, seeds), min(degree, n - 1))
        return ClassPlan(seeds=seeds, neighbors=np.full((len(members), 1), -1),
                         data={"coef": coef})

    def _own_rows(self) -> bool:
        return self.topology != "mesh"  # mesh: the generator's segments

    def _block_rows(self, Xn: Any, spec: dict, rng: np.random.Generator, start: int,
                    size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        seeds, table, data = spec["seeds"], spec["neighbors"], spec["data"]
        if self.topology in ("star", "bus"):
            # only this block's parents and ends are read (as the generator does)
            pos, step = _even_steps(spec["seed_counts"], start, size)
            here = np.arange(size)
            if self.topology == "star":  # toward the class's mean (class_means_)
                target = np.vstack([_dense(Xn, seeds[pos]), data["mean"][None, :]])
                nb_local = np.full(size, size)
                neighbor = np.full(size, -1, dtype=np.intp)
            else:  # each segment ends at the next sample, table[:, 0]
                neighbor = table[pos, 0]
                target = np.vstack([_dense(Xn, seeds[pos]), _dense(Xn, neighbor)])
                nb_local = size + here
            rows = np.empty((size, Xn.shape[1]))
            interpolate(target, here, nb_local, step, rows, np.empty_like(rows))
            return rows, seeds[pos], neighbor, step
        # the plan's curves; each sample owns the unit interval after its position, the
        # last one's extending the curve one step (as smote-variants draws them)
        coef = data["coef"]
        on_curve = str(self.topology).startswith("curve")
        t = rng.random(size if on_curve else (size, coef.shape[1])) * len(seeds)
        rows = np.polynomial.polynomial.polyval(t, coef).T if on_curve else _horner(t, coef)
        first = t if on_curve else t[:, 0]
        pos = np.floor(first).astype(np.intp)
        return rows, seeds[pos], np.full(size, -1, dtype=np.intp), first - pos


def _horner(t: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Each feature's polynomial (column of ``coef``, lowest degree first) at its own
    positions (column of ``t``)."""
    rows = np.broadcast_to(coef[-1], t.shape).copy()
    for c in coef[-2::-1]:
        rows *= t
        rows += c
    return rows


def _dense(X: Any, rows: np.ndarray) -> np.ndarray:
    """Rows of X as a dense float64 array."""
    part = X[rows]
    return np.asarray(part.toarray() if sp.issparse(part) else part, dtype=np.float64)


class _NoSearch:
    """PolynomFitSMOTE searches no neighbours (the topology says who pairs with whom)."""

    exact = True
    n_neighbors = 0
