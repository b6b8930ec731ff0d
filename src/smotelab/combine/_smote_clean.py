"""SMOTE-ENN and SMOTE-Tomek, with imbalanced-learn's parameters and any over-sampler or cleaner."""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone

from ..base import _STRATEGY_CONSTRAINT
from ..over_sampling import SMOTE
from ..under_sampling import EditedNearestNeighbours, TomekLinks
from ..utils._compat import HasMethods
from ._base import OverThenClean

__all__ = ["SMOTEENN", "SMOTETomek"]


class _SMOTEThenClean(OverThenClean):
    """SMOTE (or the ``smote`` given) followed by the cleaner named ``_cleaner_param``."""

    _cleaner_param: ClassVar[str]

    def _validates_input(self) -> bool:
        return True

    def _default_cleaner(self) -> Any:
        raise NotImplementedError

    def _steps(self) -> tuple[Any, Any]:
        over = (SMOTE(sampling_strategy=self.sampling_strategy, random_state=self.random_state)
                if self.smote is None else clone(self.smote))
        given = getattr(self, self._cleaner_param)
        cleaner = self._default_cleaner() if given is None else clone(given)
        return over, cleaner

    def _record_steps(self, over: Any, cleaner: Any) -> None:
        self.smote_ = over
        setattr(self, f"{self._cleaner_param}_", cleaner)

    def _strategy_attribute(self, over: Any) -> Any:
        # imbalanced-learn's attribute: the parameter as given (the resolved counts are
        # the over-sampler's, smote_.sampling_strategy_)
        return self.sampling_strategy


class SMOTEENN(_SMOTEThenClean):
    """SMOTE, then edited nearest neighbours on the over-sampled data (Batista et al., 2004).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams; each class and each block of rows draws from
        its own stream, so one class's rows never depend on another's.
    smote : sampler or None, default=None
        The over-sampler; default ``SMOTE(sampling_strategy=sampling_strategy,
        random_state=random_state)``. Any over-sampler works (``ADASYN``, ``SVMSMOTE``,
        ``BorderlineSMOTE``, ...), not only SMOTE and its subclasses.
    enn : sampler or None, default=None
        The cleaner; default ``EditedNearestNeighbours(sampling_strategy='all')``. Any
        cleaner works.
    n_jobs : int or None, default=None
        Threads of both steps' neighbour searches: ``None`` the library's default,
        ``-1`` every core, a positive number a cap (``1``: one core, BLAS included).

    Attributes
    ----------
    sampling_strategy_ : float, str, dict or callable
        The ``sampling_strategy`` parameter, as imbalanced-learn exposes it; the counts
        added per class are ``smote_.sampling_strategy_``.
    smote_ : sampler
        The fitted over-sampler.
    enn_ : sampler
        The fitted cleaner.
    sample_indices_ : ndarray
        Row indices (into X) of the input rows that survived the cleaning, in order.
    provenance_ : dict of ndarray
        The over-sampler's provenance restricted to the synthetic rows that survived, in
        output order (they follow the ``len(sample_indices_)`` surviving input rows).
    synthetic_kept_ : ndarray of bool
        For each row the over-sampler made, whether it survived the cleaning.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTETomek : Clean with Tomek links instead (removes less).
    OverThenClean : Any over-sampler followed by any cleaner.

    References
    ----------
    G. E. A. P. A. Batista, R. C. Prati, M. C. Monard, "A study of the behavior of several
    methods for balancing machine learning training data", SIGKDD Explorations 6(1),
    20-29, 2004.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.combine import SMOTEENN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> X_res, y_res = SMOTEENN(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 550), (np.int64(1), 877)]
    """

    _sampling_type: ClassVar[str] = "over-sampling"
    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state", np.random.Generator],
        "smote": [HasMethods(["fit_resample"]), None],
        "enn": [HasMethods(["fit_resample"]), None],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, enn=None,
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs

    _cleaner_param: ClassVar[str] = "enn"

    def _default_cleaner(self) -> Any:
        return EditedNearestNeighbours(sampling_strategy="all")


class SMOTETomek(_SMOTEThenClean):
    """SMOTE, then removal of Tomek links on the over-sampled data (Batista et al., 2003).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams; each class and each block of rows draws from
        its own stream, so one class's rows never depend on another's.
    smote : sampler or None, default=None
        The over-sampler; default ``SMOTE(sampling_strategy=sampling_strategy,
        random_state=random_state)``. Any over-sampler works.
    tomek : sampler or None, default=None
        The cleaner; default ``TomekLinks(sampling_strategy='all')``. Any cleaner works.
    n_jobs : int or None, default=None
        Threads of both steps' neighbour searches: ``None`` the library's default,
        ``-1`` every core, a positive number a cap (``1``: one core, BLAS included).

    Attributes
    ----------
    sampling_strategy_ : float, str, dict or callable
        The ``sampling_strategy`` parameter, as imbalanced-learn exposes it; the counts
        added per class are ``smote_.sampling_strategy_``.
    smote_ : sampler
        The fitted over-sampler.
    tomek_ : sampler
        The fitted cleaner.
    sample_indices_ : ndarray
        Row indices (into X) of the input rows that survived the cleaning, in order.
    provenance_ : dict of ndarray
        The over-sampler's provenance restricted to the synthetic rows that survived, in
        output order (they follow the ``len(sample_indices_)`` surviving input rows).
    synthetic_kept_ : ndarray of bool
        For each row the over-sampler made, whether it survived the cleaning.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTEENN : Clean with edited nearest neighbours instead (removes more).
    OverThenClean : Any over-sampler followed by any cleaner.

    References
    ----------
    G. E. A. P. A. Batista, A. L. C. Bazzan, M. C. Monard, "Balancing training data for
    automated annotation of keywords: a case study", WOB 2003, 10-18.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotelab.combine import SMOTETomek
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> X_res, y_res = SMOTETomek(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 877), (np.int64(1), 877)]
    """

    _sampling_type: ClassVar[str] = "over-sampling"
    _parameter_constraints: ClassVar[dict] = {
        **SMOTEENN._parameter_constraints,
        "tomek": [HasMethods(["fit_resample"]), None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None,
                 tomek=None, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.tomek = tomek
        self.n_jobs = n_jobs

    _cleaner_param: ClassVar[str] = "tomek"

    def _default_cleaner(self) -> Any:
        return TomekLinks(sampling_strategy="all")
