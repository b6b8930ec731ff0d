"""SMOTE-NC and SMOTE-N (Chawla et al., 2002): SMOTE for categorical columns.

Both keep categorical values as values: a synthetic row's category is the most frequent
value among its seed's voters, never an interpolated code, and its type (category,
string, boolean, nullable) is the column's own. Continuous columns go through the one
generator, with provenance. Neither builds a one-hot encoding of the data: the
neighbour searches of :mod:`smotelab.neighbors._nominal` work on integer codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .._kernels.nominal import Votes, VoteWriter
from .._plan import MemorySink
from .._strategy import SamplingPlan
from ..base import _STRATEGY_CONSTRAINT
from ..exceptions import DataValidationError
from ..neighbors import power_of_two_scale
from ..neighbors._nominal import nc_kneighbors, vdm_kneighbors, vdm_pairwise, vdm_tables
from ..utils._compat import HasMethods, Interval, StrOptions
from ..utils._containers import XContainer, YContainer, _is_pandas_sparse, restore_output
from ..utils._random import RandomStreams
from ..utils._tags import own_plan
from ..utils._validation import check_finite
from ._base import BaseSMOTE, ClassPlan, ClassTask

__all__ = ["SMOTEN", "SMOTENC"]

_ENCODER = [HasMethods(["fit", "transform"]), None]


@dataclass
class _Categorical:
    """The categorical part of one fit: codes of every row and the synthetic rows' codes."""

    codes: np.ndarray  # (n, n_cat) intp
    n_values: list[int]
    first_rows: list[np.ndarray]  # per feature: first input row holding each value
    out: np.ndarray  # (n_total_new, n_cat) codes of the synthetic rows
    probas: list[np.ndarray] | None = None  # SMOTE-N's per-value class shares

    def shares(self) -> list[np.ndarray]:
        """SMOTE-N's per-value class shares (set by its setup)."""
        assert self.probas is not None
        return self.probas

    def combiner(self, votes: Votes) -> VoteWriter:
        """``ClassPlan.combine`` writing the voted values of each block's rows."""
        return VoteWriter(votes, self.out)


def _dense(X: Any) -> Any:
    """Sparse input (a matrix, or pandas sparse columns) as a dense table; else ``X``."""
    if sp.issparse(X):
        return X.toarray()
    if _is_pandas_sparse(X):
        return X.sparse.to_dense()
    return X


class _NominalSMOTE(BaseSMOTE):
    """What SMOTE-NC and SMOTE-N share: encoding, the loop, rebuilding the columns."""

    # Categorical columns are values, not numbers: sparse input is read densely (as a
    # table of values) and the output returned in the input's sparse format.
    def fit(self, X: Any, y: Any) -> Any:  # noqa: D102
        return super().fit(_dense(X), y)

    def fit_resample(self, X: Any, y: Any, **params: Any) -> tuple[Any, ...]:  # noqa: D102
        dense = _dense(X)
        if dense is X:
            return super().fit_resample(X, y, **params)
        out = super().fit_resample(dense, y, **params)
        if sp.issparse(X):
            fmt = X.format if X.format in ("csr", "csc") else "csr"
            return (sp.csr_matrix(out[0]).asformat(fmt), *out[1:])
        return (restore_output(sp.csr_matrix(out[0]), X), *out[1:])  # pandas sparse columns

    def _check_contents(self, Xc: XContainer, yc: YContainer) -> None:
        _, _, inverse = yc.encoded()  # codes of every categorical column, finite others
        self._nominal_setup(Xc, inverse, int(inverse.max()) + 1)

    fit.__doc__ = BaseSMOTE.fit.__doc__
    fit_resample.__doc__ = BaseSMOTE.fit_resample.__doc__

    def _categorical_columns(self, X: XContainer) -> list[int]:
        raise NotImplementedError

    def _fit_resample(
        self, X: XContainer, y: YContainer, *, plan: SamplingPlan, streams: RandomStreams
    ) -> tuple[Any, Any]:
        _, _, inverse = y.encoded()
        data, Xn = self._nominal_setup(X, inverse, len(plan.classes))
        cat = [int(j) for j in self.categorical_features_]
        cont = [int(j) for j in self.continuous_features_]
        data.out = np.empty((plan.n_total, len(cat)), dtype=np.intp)
        tail = np.empty((plan.n_total, len(cont)), dtype=Xn.dtype)
        self._run_in_memory(Xn, inverse, y, plan, streams, lambda: MemorySink(tail=tail),
                            shared=data, context=False)
        gathers = {j: data.first_rows[f][data.out[:, f]] for f, j in enumerate(cat)}
        X_out = X.append_columns(tail, cont, gathers)
        return X_out, y.take(self._output_sources(X.n_rows))

    def _nominal_setup(self, X: XContainer, inverse: np.ndarray, n_classes: int
                       ) -> tuple[_Categorical, Any]:
        """Columns, codes and fitted attributes of one fit; the continuous columns.

        Also used by the Dask engine on the gathered rows of the classes to over-sample
        (codes are ranks of the values, so their order, all the votes use, is the same).
        """
        name = type(self).__name__
        cat = self._categorical_columns(X)
        cont = [j for j in range(X.n_features) if j not in set(cat)]
        self.categorical_features_ = np.asarray(cat, dtype=np.intp)
        self.n_features_ = X.n_features  # imbalanced-learn's name for n_features_in_
        self.continuous_features_ = np.asarray(cont, dtype=np.intp)
        codes = np.column_stack([X.category_codes(j, caller=name) for j in cat])
        n_values = [int(c.max()) + 1 for c in codes.T]
        first_rows = []
        for f, L in enumerate(n_values):
            order = np.argsort(codes[:, f], kind="stable")
            first_rows.append(order[np.searchsorted(codes[order, f], np.arange(L))])
        self.categories_ = [X.column_values(j, r) for j, r in zip(cat, first_rows, strict=True)]
        self._fit_encoder(X, cat)
        if cont:
            # booleans not named categorical are read as 0/1, as imbalanced-learn does
            # (synthetic values are rounded back to the nearest boolean)
            Xn = X.numeric(caller=name, columns=cont, bool_numeric=True, hint=(
                "List them in categorical_features, or encode them as numbers."))
            check_finite(Xn, _Subset(X, cont))
        else:
            Xn = np.empty((X.n_rows, 0))
        data = _Categorical(codes=codes, n_values=n_values, first_rows=first_rows,
                            out=np.empty((0, len(cat)), dtype=np.intp))
        data.probas = self._class_shares(data, inverse, n_classes)
        return data, Xn

    def _class_shares(self, data: _Categorical, inverse: np.ndarray, n_classes: int) -> Any:
        return None

    def _fit_encoder(self, X: XContainer, cat: list[int]) -> None:
        # Kept for imbalanced-learn compatibility: a given encoder is fitted on the
        # categorical columns and exposed; the search itself works on integer codes.
        if self.categorical_encoder is None:
            self.categorical_encoder_ = None
            return
        from sklearn.base import clone

        names = X.columns or []
        sub = X.native[:, cat] if X.kind == "numpy" else X.native[[names[j] for j in cat]]
        self.categorical_encoder_ = clone(self.categorical_encoder).fit(sub)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # read densely, returned sparse
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags


@dataclass
class _Subset:
    """Column names of a subset of a container's columns, for error messages."""

    X: XContainer
    columns: list[int]

    def column_name(self, j: int) -> str:
        return self.X.column_name(self.columns[j])


class SMOTENC(_NominalSMOTE):
    """SMOTE for data with both continuous and categorical columns (SMOTE-NC).

    Distances are Euclidean on the continuous columns plus, for every categorical
    column on which two samples differ, the square of the median standard deviation of
    the class's continuous columns (Chawla et al., 2002). A synthetic row interpolates
    the continuous columns between a seed and one of its ``k_neighbors`` nearest
    same-class neighbours, like SMOTE, and takes for each categorical column the value
    most frequent among the seed's ``k_neighbors`` neighbours (ties broken at random,
    from ``random_state``).

    Parameters
    ----------
    categorical_features : 'auto', array-like of int, str or bool
        The categorical columns: positions, names (DataFrames), a boolean mask of length
        n_features (list or numpy), or ``'auto'``: columns whose type is categorical
        (pandas category / object / string / bool; polars Categorical / Enum / String /
        Boolean; the non-numeric columns of a numpy object array).
    categorical_encoder : estimator or None, default=None
        Accepted for imbalanced-learn compatibility: fitted on the categorical columns
        and exposed as ``categorical_encoder_``. The search never one-hot encodes.
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams (interpolation and ties alike).
    k_neighbors : int or object, default=5
        Number of nearest same-class neighbours, or an object with ``fit``/``kneighbors``
        (such as ``NearestNeighbors(n_neighbors=6)``, counting the sample itself), which
        is then fitted on a sparse encoding: continuous columns and a one-hot of the
        categorical columns scaled so that each differing column adds the penalty.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    categorical_features_, continuous_features_ : ndarray of int
        Positions of the categorical and continuous columns.
    categories_ : list of ndarray
        The values of each categorical column, in code order.
    median_std_ : dict
        Per over-sampled class, the median standard deviation of its continuous columns
        (its square is the penalty of a differing categorical column).
    categorical_encoder_ : estimator or None
        The fitted ``categorical_encoder`` (``None`` when none was given: the search
        works on integer codes and never one-hot encodes the data).
    n_features_ : int
        Number of features seen (imbalanced-learn's name for ``n_features_in_``).
    provenance_ : dict of ndarray
        One entry per synthetic row, in output order: ``parent``, ``neighbor``, ``step``
        and ``class``; the continuous columns satisfy ``x = x_parent + step * (x_neighbor
        - x_parent)``.
    nn_k_ : object
        The neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTEN : Only categorical columns.
    SMOTE : Only continuous columns.

    References
    ----------
    N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE: Synthetic Minority
    Over-sampling Technique", JAIR 16, 321-357, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.over_sampling import SMOTENC
    >>> rng = np.random.default_rng(0)
    >>> X = np.empty((30, 2), dtype=object)
    >>> X[:, 0] = rng.normal(size=30)
    >>> X[:, 1] = rng.choice(["red", "green", "blue"], size=30)
    >>> y = np.array([0] * 24 + [1] * 6)
    >>> X_res, y_res = SMOTENC(categorical_features=[1], random_state=0).fit_resample(X, y)
    >>> X_res.shape, int((y_res == 1).sum())
    ((48, 2), 24)
    >>> set(X_res[30:, 1]) <= {"red", "green", "blue"}
    True
    """

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        # codes, spreads, neighbours and votes need only the rows over-sampled
        tags.sampler_tags.distributed_plan = own_plan(self, _NominalSMOTE, "nominal")
        return tags

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state", np.random.Generator],
        "k_neighbors": [Interval(Integral, 1, None, closed="left"),
                        HasMethods(["kneighbors", "fit"])],
        "categorical_features": ["array-like", StrOptions({"auto"})],
        "categorical_encoder": _ENCODER,
    }

    def __init__(self, categorical_features, *, categorical_encoder=None,
                 sampling_strategy="auto", random_state=None, k_neighbors=5):
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _categorical_columns(self, X: XContainer) -> list[int]:
        cat = _resolve_columns(self.categorical_features, X)
        if not cat:
            raise DataValidationError(
                "SMOTENC found no categorical column (categorical_features="
                f"{self.categorical_features!r}). If every column is continuous use SMOTE; "
                "otherwise name the categorical columns (positions, names or a mask)."
            )
        if len(cat) == X.n_features:
            raise DataValidationError(
                f"SMOTENC was given only categorical columns (n_features = {X.n_features}, "
                "all listed in categorical_features); it needs at least one continuous "
                "column to interpolate. Use SMOTEN for all-categorical data."
            )
        return cat

    _per_class_attrs: ClassVar[tuple[str, ...]] = ("median_std_",)

    def _class_plan(self, X: np.ndarray, task: ClassTask) -> ClassPlan:
        data: _Categorical = task.shared
        members = task.members
        Xc = X[members]
        # the spread at a power-of-two scale (exact), so extreme magnitudes cannot overflow
        scale = power_of_two_scale(Xc, None)
        std = (Xc * scale).std(axis=0, dtype=np.float64) / scale
        med = float(np.median(std))
        codes = data.codes[members]
        backend = task.backend
        k = int(backend.n_neighbors)
        if backend.exact:
            _, nn = nc_kneighbors(Xc, codes, None, k, spread=med)
        else:
            backend.fit(_nc_encoding(Xc, codes, data.n_values, med))
            _, nn = backend.kneighbors()
        neighbors = members[nn]
        votes = Votes(data.codes[neighbors])
        return ClassPlan(seeds=members, neighbors=neighbors, combine=data.combiner(votes),
                         fitted={"median_std_": med})


def _nc_encoding(Xc: np.ndarray, codes: np.ndarray, n_values: list[int], med: float
                 ) -> sp.csr_matrix:
    """Continuous columns and a one-hot scaled so a differing column adds ``med ** 2``."""
    m = len(Xc)
    offsets = np.concatenate(([0], np.cumsum(n_values)[:-1])).astype(np.intp)
    onehot = sp.csr_matrix(
        (np.full(codes.size, med / np.sqrt(2)), (np.repeat(np.arange(m), codes.shape[1]),
                                                 (codes + offsets).ravel())),
        shape=(m, int(sum(n_values))))
    return sp.hstack([sp.csr_matrix(Xc, dtype=np.float64), onehot], format="csr")


class SMOTEN(_NominalSMOTE):
    """SMOTE for data whose columns are all categorical (SMOTE-N).

    Neighbours are found with the Value Difference Metric (Stanfill and Waltz, 1986),
    which makes two values close when the classes use them alike; a synthetic row takes
    for each column the value most frequent among its seed and the seed's
    ``k_neighbors`` nearest same-class neighbours (ties broken at random, from
    ``random_state``). Nothing is interpolated, so ``provenance_`` records the seed as
    ``parent``, ``neighbor=-1`` and ``step=0``.

    Parameters
    ----------
    categorical_encoder : estimator or None, default=None
        Accepted for imbalanced-learn compatibility: fitted on X and exposed as
        ``categorical_encoder_``. The search works on integer codes of the values.
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to add per class, in any of imbalanced-learn's forms: a float
        (two classes: the minority/majority ratio after resampling); ``'minority'``,
        ``'not minority'``, ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not
        majority'``); a dict ``{class: n_samples_after}``; or a callable ``y -> dict``.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the fit's random streams.
    k_neighbors : int or object, default=5
        Number of nearest same-class neighbours, or an object with ``fit``/``kneighbors``
        and a ``metric`` parameter (such as ``NearestNeighbors(n_neighbors=6)``), which
        is set to ``'precomputed'`` and fitted on the class's VDM distance matrix.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        Number of samples added per class.
    categories_ : list of ndarray
        The values of each column, in code order.
    categorical_encoder_ : estimator or None
        The fitted ``categorical_encoder``.
    provenance_ : dict of ndarray
        One entry per synthetic row: ``parent`` (the seed), ``neighbor`` (-1), ``step``
        (0.0) and ``class``.
    nn_k_ : object
        The neighbour search used.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTENC : Continuous and categorical columns.

    References
    ----------
    N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE: Synthetic Minority
    Over-sampling Technique", JAIR 16, 321-357, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.over_sampling import SMOTEN
    >>> X = np.array(["A"] * 10 + ["B"] * 20 + ["C"] * 30, dtype=object).reshape(-1, 1)
    >>> y = np.array([0] * 20 + [1] * 40)
    >>> X_res, y_res = SMOTEN(random_state=0).fit_resample(X, y)
    >>> int((y_res == 0).sum()), sorted(set(X_res[60:, 0]))
    (40, ['A', 'B'])
    """

    _parameter_constraints: ClassVar[dict] = {
        "sampling_strategy": _STRATEGY_CONSTRAINT,
        "random_state": ["random_state", np.random.Generator],
        "k_neighbors": [Interval(Integral, 1, None, closed="left"),
                        HasMethods(["kneighbors", "fit"])],
        "categorical_encoder": _ENCODER,
    }

    def __init__(self, categorical_encoder=None, *, sampling_strategy="auto",
                 random_state=None, k_neighbors=5):
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _categorical_columns(self, X: XContainer) -> list[int]:
        return list(range(X.n_features))

    def _class_shares(self, data: _Categorical, inverse: np.ndarray, n_classes: int) -> Any:
        return vdm_tables(data.codes, data.n_values, inverse, n_classes)

    def _class_plan(self, X: np.ndarray, task: ClassTask) -> ClassPlan:
        data: _Categorical = task.shared
        members = task.members
        codes = data.codes[members]
        backend = task.backend
        if backend.exact:
            _, nn = vdm_kneighbors(codes, data.shares(), int(backend.n_neighbors))
        else:
            # a wrapped scikit-learn search reads the VDM distances as precomputed
            estimator = getattr(backend, "estimator", None)
            if estimator is not None and "metric" in estimator.get_params():
                estimator.set_params(metric="precomputed")
            backend.fit(vdm_pairwise(codes, data.shares()))
            _, nn = backend.kneighbors()
        voters = np.concatenate([members[:, None], members[nn]], axis=1)
        votes = Votes(data.codes[voters])
        # Nothing is interpolated: the neighbour column is -1 and the step fixed at 0.
        return ClassPlan(seeds=members, neighbors=np.full((len(members), 1), -1),
                         step_range=(0.0, 0.0), combine=data.combiner(votes))


def _resolve_columns(spec: Any, X: XContainer) -> list[int]:
    """Positions of the columns named by ``categorical_features``, with specific errors."""
    d = X.n_features
    if isinstance(spec, str) and spec == "auto":
        return X.categorical_like_columns()
    if isinstance(spec, np.ndarray):
        if spec.ndim != 1:
            raise DataValidationError(
                "categorical_features must be a 1-D list of positions, names or booleans; "
                f"got shape {spec.shape}.")
        items = spec.tolist()
    elif isinstance(spec, (str, Integral)):
        items = [spec]
    else:
        items = list(spec)
    if not items:
        return []
    if all(isinstance(v, (bool, np.bool_)) for v in items):
        if len(items) != d:
            raise DataValidationError(
                f"categorical_features is a boolean mask of length {len(items)} but X has "
                f"{d} columns; give one boolean per column.")
        return [j for j, v in enumerate(items) if v]
    if all(isinstance(v, (Integral, np.integer)) and not isinstance(v, bool) for v in items):
        bad = [int(j) for j in items if not -d <= j < d]
        if bad:
            raise DataValidationError(
                f"categorical_features has position(s) {bad} out of range for X with {d} "
                f"columns (valid: 0..{d - 1}, or negative from the end).")
        return sorted({int(j) % d for j in items})
    if all(isinstance(v, str) for v in items):
        if X.columns is None:
            raise DataValidationError(
                f"categorical_features names columns ({items[:3]}) but X has no column "
                "names; pass positions, or a DataFrame.")
        where = {c: j for j, c in enumerate(X.columns)}
        unknown = [v for v in items if v not in where]
        if unknown:
            raise DataValidationError(
                f"categorical_features names unknown column(s) {unknown}; X has columns "
                f"{list(X.columns)[:10]}{'...' if d > 10 else ''}.")
        return sorted({where[v] for v in items})
    raise DataValidationError(
        "categorical_features must hold only positions, only column names or only "
        f"booleans; got {items[:5]}.")
