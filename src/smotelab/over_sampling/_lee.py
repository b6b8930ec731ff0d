"""SMOTE with rejection (Lee, Kim and Lee, 2015)."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .._kernels.generate import concat_provenance, generate
from ..neighbors import resolve_neighbors
from ..utils._compat import HasMethods, Interval
from ._base import BaseSMOTE, ClassPlan, ClassTask, GraphNeed, PlanNeeds

__all__ = ["LeeSMOTE"]

# rounds without an accepted row (in a row or not) before the rejection level rises,
# and by how much (smote-variants' relaxation; the paper has none, and may not end)
_IDLE_ROUNDS = 6
_LEVEL_STEP = 0.1
# candidates per round: the rows still missing, at least _MIN_ROUND and at most
# _ROUND_BYTES of rows
_MIN_ROUND, _ROUND_BYTES = 20, 64 << 20


class LeeSMOTE(BaseSMOTE):
    """SMOTE with rejection: a synthetic row is kept only where its class is not outnumbered.

    Candidate rows are made as SMOTE makes them (``x_i + step * (x_nn - x_i)``, ``x_nn``
    one of the ``k_neighbors`` nearest samples of the class). A candidate is *rejected*
    when the share of other-class rows among its ``m_neighbors`` nearest input rows is at
    least ``rejection_level``; candidates are drawn in rounds (as many as the rows still
    missing, at least 20) until the class has its rows. After six rounds without an
    accepted candidate, the level is raised by 0.1 (so the fit always ends, as in
    smote-variants; ``rejection_levels_`` records the level used).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams; each class and each round of candidates draws
        from its own stream.
    k_neighbors : int or object, default=5
        Nearest same-class neighbours to interpolate with, or an object with
        ``fit``/``kneighbors`` whose ``n_neighbors`` counts the sample itself.
    m_neighbors : int or object, default=5
        Nearest input rows (any class) that judge a candidate, or such an object.
    rejection_level : float, default=0.5
        A candidate with at least this share of other-class rows among its
        ``m_neighbors`` is rejected (in ``(0, 1]``).

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    rejection_levels_ : dict
        Per class, the level in force when its last row was accepted.
    n_rejected_ : dict
        Per class, how many candidates were rejected.
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent`` and ``neighbor`` (row
        indices in the input X), ``step`` and ``class``.
    nn_k_ : object
        The within-class neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTE : The same candidates, all kept.
    SMOTEENN : Removes rows (original and synthetic) after over-sampling instead.

    Notes
    -----
    The rows kept are the first accepted candidates in draw order, so the output depends
    only on the input and ``random_state``. Judging a candidate needs every input row:
    on Dask each round's candidates are made in the client and judged by every
    partition (their nearest rows merged exactly), so the output equals the in-memory
    one; the accepted rows are computed when ``fit_resample`` is called.

    References
    ----------
    J. Lee, N. Kim, J.-H. Lee, "An over-sampling technique with rejection for imbalanced
    class learning", IMCOM 2015, article 102.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import LeeSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> sampler = LeeSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 877), (np.int64(1), 877)]
    """

    _per_class_attrs: ClassVar[tuple[str, ...]] = ("rejection_levels_", "n_rejected_")
    _parameter_constraints: ClassVar[dict] = {
        **BaseSMOTE._parameter_constraints,
        "m_neighbors": [Interval(Integral, 1, None, closed="left"),
                        HasMethods(["kneighbors", "fit"])],
        "rejection_level": [Interval(Real, 0, 1, closed="right")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 m_neighbors=5, rejection_level=0.5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.rejection_level = rejection_level

    def _plan_needs(self) -> PlanNeeds:
        # new rows are judged by the classes of their m nearest input rows
        return PlanNeeds(judge=GraphNeed(resolve_neighbors(self.m_neighbors,
                                                           param="m_neighbors"),
                                         "m_neighbors"))

    def _class_plan(self, X: Any, task: ClassTask) -> ClassPlan:
        return ClassPlan(seeds=task.members,
                         neighbors=self._within_class(X, task.members, task.backend))

    def _generate(self, Xn: Any, task: ClassTask, kwargs: dict,
                  out: np.ndarray | None = None) -> Any:
        judge, n_new = task.facts.judge, kwargs["n_new"]
        assert judge is not None  # declared in the needs: every engine answers it
        level, idle, rejected = float(self.rejection_level), 0, 0
        kept_rows: list[Any] = []
        kept_prov: list[dict] = []
        have, round_ = 0, 0
        while have < n_new:
            missing = n_new - have
            size = int(min(max(missing, _MIN_ROUND),
                           max(_MIN_ROUND, _ROUND_BYTES // (8 * Xn.shape[1]))))
            step = {**kwargs, "n_new": size,
                    "streams": task.streams.round(task.position, round_)}
            if sp.issparse(Xn):
                prov, rows = generate(Xn, **step)
            else:
                rows = np.empty((size, Xn.shape[1]), dtype=out.dtype if out is not None
                                else Xn.dtype)
                prov = generate(Xn, out=rows, **step)
            other = (judge(rows) != task.position).mean(axis=1)
            passed = np.flatnonzero(other < level)
            rejected += size - len(passed)
            ok = passed[:missing]
            if len(ok):
                kept_rows.append(rows[ok])
                kept_prov.append({k: v[ok] for k, v in prov.items()})
                have += len(ok)
            else:
                idle += 1
                if idle >= _IDLE_ROUNDS:
                    level, idle = level + _LEVEL_STEP, 0
            round_ += 1
        task.fitted["rejection_levels_"] = level  # the driver records them
        task.fitted["n_rejected_"] = rejected
        provenance = concat_provenance(kept_prov, np.asarray([task.label]).dtype)
        if sp.issparse(Xn):
            return provenance, sp.vstack(kept_rows, format="csr")
        assert out is not None
        np.concatenate(kept_rows, out=out)
        return provenance
