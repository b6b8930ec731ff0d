"""SMOTE-IPF: SMOTE, then the iterative-partitioning noise filter (Sáez et al., 2015)."""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import numpy as np

from ..base import _STRATEGY_CONSTRAINT
from ..under_sampling import IterativePartitioningFilter
from ..utils._compat import HasMethods
from ._smote_clean import _SMOTEThenClean

__all__ = ["SMOTEIPF"]


class SMOTEIPF(_SMOTEThenClean):
    """SMOTE, then rounds of an ensemble noise filter over the original and new rows.

    SMOTE balances the classes first; then :class:`IterativePartitioningFilter` removes,
    round after round, the rows (of any class, synthetic or not) that most of an
    ensemble of decision trees misclassifies, until three rounds in a row remove under
    1 % of the rows. Sáez et al. found it the most robust of the SMOTE cleaners on noisy
    and borderline data.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seeds SMOTE and the default filter (its parts and trees).
    smote : sampler or None, default=None
        The over-sampler; default ``SMOTE(sampling_strategy=sampling_strategy,
        random_state=random_state)``. Any over-sampler works.
    ipf : sampler or None, default=None
        The filter; default ``IterativePartitioningFilter(sampling_strategy='all',
        random_state=random_state)``
        (5 parts, each tree learning from one; 3 quiet rounds under 1 %; majority vote).
        Any cleaner works.
    n_jobs : int or None, default=None
        Threads of both steps (SMOTE's search, the filter's learners): ``None`` the
        library's default, ``-1`` every core, a positive number a cap (``1``: one core,
        BLAS included).

    Attributes
    ----------
    sampling_strategy_ : float, str, dict or callable
        The ``sampling_strategy`` parameter; the counts added per class are
        ``smote_.sampling_strategy_``.
    smote_ : sampler
        The fitted over-sampler.
    ipf_ : sampler
        The fitted filter (``n_rounds_``: rounds it ran).
    sample_indices_ : ndarray
        Row indices (into X) of the input rows that survived the filter, in order.
    provenance_ : dict of ndarray
        SMOTE's provenance of the synthetic rows that survived, in output order.
    synthetic_kept_ : ndarray of bool
        For each row SMOTE made, whether it survived.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTEENN : Cleans with edited nearest neighbours in one pass.

    References
    ----------
    J. A. Sáez, J. Luengo, J. Stefanowski, F. Herrera, "SMOTE-IPF: Addressing the noisy
    and borderline examples problem in imbalanced classification by a re-sampling
    method with filtering", Information Sciences 291, 184-203, 2015.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.over_sampling import SMOTEIPF
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> sampler = SMOTEIPF(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> bool(sampler.synthetic_kept_.mean() > 0.5)
    True
    """

    _sampling_type: ClassVar[str] = "over-sampling"
    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state", np.random.Generator],
        "smote": [HasMethods(["fit_resample"]), None],
        "ipf": [HasMethods(["fit_resample"]), None],
        "n_jobs": [Integral, None],
    }
    _cleaner_param: ClassVar[str] = "ipf"

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, ipf=None,
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.ipf = ipf
        self.n_jobs = n_jobs

    def _default_cleaner(self) -> Any:
        return IterativePartitioningFilter(sampling_strategy="all",
                                           random_state=self.random_state)
