"""Common checks every smotelab sampler must pass (public, usable for your own samplers).

Each check takes a sampler *instance* and raises ``AssertionError`` when the contract is
broken. Which checks apply is read from the sampler's behaviour (does it expose
``provenance_``?), never from its class name.

>>> from smotelab.over_sampling import SMOTE
>>> from smotelab.utils.estimator_checks import check_sampler
>>> check_sampler(SMOTE(random_state=0))

``parametrize_with_checks`` is imbalanced-learn's pytest decorator: a third-party test
suite that imports it from here instead runs scikit-learn's estimator checks and, for a
sampler, these common checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from sklearn.base import clone

from ._tags import sampler_tags

__all__ = ["check_sampler", "parametrize_with_checks", "sampler_checks"]


def _data(n_per_class: tuple[int, ...] = (60, 25, 12), d: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(i * 1.5, 1.0, size=(n, d)) for i, n in enumerate(n_per_class)])
    y = np.concatenate([np.full(n, i) for i, n in enumerate(n_per_class)])
    perm = rng.permutation(len(y))
    return X[perm], y[perm]


def _categorical_positions(sampler: Any, d: int) -> list[int]:
    """Columns a sampler treats as categorical: per its tags and ``categorical_features``."""
    if not sampler.__sklearn_tags__().input_tags.categorical:
        return []
    spec = sampler.get_params().get("categorical_features")
    if spec is None:
        return list(range(d))
    return sorted({int(j) % d for j in np.atleast_1d(spec)})


def _sampler_data(sampler: Any, n_per_class: tuple[int, ...] = (60, 25, 12), d: int = 4,
                  seed: int = 0):
    """The check data; columns the sampler takes as categorical hold a few whole numbers."""
    X, y = _data(n_per_class, d, seed)
    cats = _categorical_positions(sampler, d)
    X[:, cats] = np.floor(X[:, cats])
    return X, y


def _expected_counts(sampler: Any, y: np.ndarray) -> dict:
    before = Counter(y.tolist())
    plan = sampler.sampling_strategy_
    kind = sampler_tags(sampler).sampling_type
    after = dict(before)
    for c, v in plan.items():
        c = c.item() if isinstance(c, np.generic) else c
        if kind == "over-sampling":
            after[c] = before[c] + v
        elif kind == "under-sampling":
            after[c] = v
    return after


def check_counts_match_plan(sampler: Any) -> None:
    """Check that every class ends with exactly the count the plan asks for (cleaners:
    only the classes the plan names lose samples, and nothing is added)."""
    X, y = _sampler_data(sampler)
    kind = sampler_tags(sampler).sampling_type
    if sampler_tags(sampler).combines:
        # over-sample then clean: the cleaner only removes, so no class ends above the
        # over-sampler's plan, and the minority gains rows
        s = clone(sampler)
        _, y_res = s.fit_resample(X, y)
        after, before = Counter(y_res.tolist()), Counter(y.tolist())
        assert after[2] > before[2] and sum(after.values()) <= 3 * max(before.values())
        return
    if kind == "clean-sampling":
        before = Counter(y.tolist())
        for strategy in ("auto", "majority", "not majority", "all", [0, 2]):
            s = clone(sampler).set_params(sampling_strategy=strategy)
            _, y_res = s.fit_resample(X, y)
            after = Counter(y_res.tolist())
            named = {c.item() if isinstance(c, np.generic) else c for c in s.sampling_strategy_}
            assert all(after[c] == before[c] for c in before if c not in named), strategy
            assert all(after[c] <= before[c] for c in before), strategy
        return
    if kind == "under-sampling":
        strategies: tuple[Any, ...] = ("auto", "majority", "not majority", "all",
                                       {0: 30, 1: 20})
    else:
        strategies = ("auto", "minority", "not majority", "all", {2: 40, 1: 30})
    approximate = sampler_tags(sampler).approximate_counts
    for strategy in strategies:
        s = clone(sampler).set_params(sampling_strategy=strategy)
        _, y_res = s.fit_resample(X, y)
        got, want = Counter(y_res.tolist()), _expected_counts(s, y)
        if approximate:  # ties at a threshold are all kept: at least the plan, at most all
            before = Counter(y.tolist())
            assert all(want[c] <= got[c] <= before[c] for c in before), strategy
        else:
            assert got == want, strategy
    if approximate:
        return
    Xb, yb = X[y < 2], y[y < 2]
    s = clone(sampler).set_params(sampling_strategy=0.8)
    _, y_res = s.fit_resample(Xb, yb)
    counts = Counter(y_res.tolist())
    if kind == "under-sampling":
        assert counts[0] == int(25 / 0.8)
    else:
        assert counts[1] == int(0.8 * 60)


def check_originals_first(sampler: Any) -> None:
    """Check that the input rows come first, unchanged and in order, with their labels
    (selection samplers: the output is exactly the rows ``sample_indices_``, in order)."""
    X, y = _sampler_data(sampler)
    s = clone(sampler)
    X_res, y_res = s.fit_resample(X.copy(), y.copy())
    if sampler_tags(s).combines:
        idx = s.sample_indices_
        assert np.all(np.diff(idx) > 0)
        assert np.array_equal(X_res[: len(idx)], X[idx]) and np.array_equal(y_res[: len(idx)],
                                                                             y[idx])
        return
    if sampler_tags(s).sampling_type in ("under-sampling", "clean-sampling"):
        if not hasattr(s, "sample_indices_"):  # makes new rows (ClusterCentroids, soft)
            alone = ~np.isin(y, [c.item() if isinstance(c, np.generic) else c
                                 for c in s.sampling_strategy_])
            n = int(alone.sum())
            assert np.array_equal(X_res[:n], X[alone]) and np.array_equal(y_res[:n], y[alone])
            return
        idx = s.sample_indices_
        assert np.all(np.diff(idx) >= 0)
        assert np.array_equal(X_res, X[idx]) and np.array_equal(y_res, y[idx])
        return
    n = len(X)
    assert X_res.shape[1] == X.shape[1]
    assert np.array_equal(X_res[:n], X)
    assert np.array_equal(y_res[:n], y)


def check_provenance(sampler: Any) -> None:
    """Check that each synthetic row is rebuilt from ``provenance_`` and lies on a segment
    from its parent to one of the parent's k nearest same-class neighbours."""
    X, y = _sampler_data(sampler)
    s = clone(sampler)
    X_res, y_res = s.fit_resample(X, y)
    if not hasattr(s, "provenance_"):
        return
    n = len(s.sample_indices_) if sampler_tags(s).combines else len(X)
    p = s.provenance_
    assert set(p) == {"parent", "neighbor", "step", "class"}
    assert all(len(v) == len(X_res) - n for v in p.values())
    assert np.array_equal(y[p["parent"]], p["class"])
    assert np.array_equal(y_res[n:], p["class"])
    has_nb = p["neighbor"] >= 0
    if sampler_tags(s).neighbor_scope == "topology":  # PolynomFitSMOTE
        means = getattr(s, "class_means_", {})
        to_mean = ~has_nb & np.isin(p["class"], list(means))
        target = X[np.maximum(p["neighbor"], 0)].astype(np.float64)
        if to_mean.any():
            target[to_mean] = np.array([means[c] for c in p["class"][to_mean]])
        on_segment = has_nb | to_mean  # the polynomial's rows lie on curves
        rebuilt = X[p["parent"]] + p["step"][:, None] * (target - X[p["parent"]])
        np.testing.assert_allclose(X_res[n:][on_segment], rebuilt[on_segment], rtol=1e-6,
                                   atol=1e-9)
        assert np.array_equal(y[p["neighbor"][has_nb]], p["class"][has_nb])
        return
    if sampler_tags(s).neighbor_scope == "sphere":  # G-SMOTE: inside the parent's sphere
        radius = np.linalg.norm(X[p["neighbor"]] - X[p["parent"]], axis=1)
        reach = np.linalg.norm(X_res[n:] - X[p["parent"]], axis=1)
        assert (reach <= radius * (1 + 1e-9) + 1e-12).all()
        np.testing.assert_allclose(p["step"] * radius, reach, rtol=1e-6, atol=1e-9)
        return
    cats = _categorical_positions(s, X.shape[1])
    cont = [j for j in range(X.shape[1]) if j not in cats]
    rebuilt = X[p["parent"]].astype(np.float64)
    nb = p["neighbor"][has_nb]
    rebuilt[has_nb] += p["step"][has_nb, None] * (X[nb] - X[p["parent"][has_nb]])
    if getattr(s, "shrinkage", None) is None:
        np.testing.assert_allclose(X_res[n:, cont], rebuilt[:, cont], rtol=1e-6, atol=1e-9)
    for j in cats:  # categorical values are values the class already holds
        for c in np.unique(p["class"]):
            assert np.isin(X_res[n:, j][p["class"] == c], X[y == c, j]).all()
    k = getattr(s, "k_neighbors", getattr(s, "n_neighbors", None))
    # Where a sampler may look for neighbours: its class ("class", the default), its
    # class within one cluster ("cluster"), or also the other classes ("any").
    scope = sampler_tags(s).neighbor_scope
    if scope == "any":
        other = has_nb & (y[np.maximum(p["neighbor"], 0)] != p["class"])
        assert (p["step"][other] >= 0).all() and (p["step"][other] < 0.5).all()
        has_nb &= ~other
        nb = p["neighbor"][has_nb]
    if isinstance(k, int) and has_nb.any():
        assert np.array_equal(y[nb], p["class"][has_nb])
        if scope == "cluster":
            return
        for r in np.flatnonzero(has_nb)[:50]:
            parent = p["parent"][r]
            same = np.flatnonzero((y == y[parent]) & (np.arange(n) != parent))
            # SMOTE-NC's distance: each differing categorical column adds median_std_^2
            penalty = getattr(s, "median_std_", {}).get(y[parent], 0.0) ** 2

            def dist(rows, parent=parent, penalty=penalty):
                sq = ((X[rows][:, cont] - X[parent, cont]) ** 2).sum(axis=-1)
                return np.sqrt(sq + penalty * (X[rows][:, cats] != X[parent, cats]).sum(-1))

            kth = np.sort(dist(same))[k - 1]
            assert dist(np.array([p["neighbor"][r]]))[0] <= kth + 1e-12


def check_seed_determinism(sampler: Any) -> None:
    """Check that the same seed gives the same output and another seed another one."""
    X, y = _sampler_data(sampler)
    if "random_state" not in sampler.get_params():  # deterministic: same output twice
        a, _ = clone(sampler).fit_resample(X, y)
        b, _ = clone(sampler).fit_resample(X, y)
        assert np.array_equal(a, b)
        return
    a, _ = clone(sampler).set_params(random_state=3).fit_resample(X, y)
    b, _ = clone(sampler).set_params(random_state=3).fit_resample(X, y)
    c, _ = clone(sampler).set_params(random_state=4).fit_resample(X, y)
    assert np.array_equal(a, b)
    # a sampler that draws nothing for these parameters says so in its tags
    assert np.array_equal(a, c) == sampler_tags(sampler).deterministic


def check_independent_class_streams(sampler: Any) -> None:
    """Check that one class's output does not depend on another class being resampled."""
    X, y = _sampler_data(sampler)
    kind = sampler_tags(sampler).sampling_type
    # cleaning after over-sampling couples the classes (a row's neighbours decide), and
    # so do rounds of cleaning (a round sees what the previous ones kept)
    tags = sampler_tags(sampler)
    if "random_state" not in sampler.get_params() or tags.combines or tags.coupled_classes:
        return
    if kind == "clean-sampling":  # the first class cleaned alone or with another
        both = clone(sampler).set_params(random_state=0, sampling_strategy=[0, 1])
        only = clone(sampler).set_params(random_state=0, sampling_strategy=[0])
        Xa, ya = both.fit_resample(X, y)
        Xb, yb = only.fit_resample(X, y)
        assert np.array_equal(Xa[ya == 0], Xb[yb == 0])
        return
    if kind == "under-sampling":
        both = clone(sampler).set_params(random_state=0, sampling_strategy={0: 30, 1: 20})
        only = clone(sampler).set_params(random_state=0, sampling_strategy={0: 30})
        Xa, ya = both.fit_resample(X, y)
        Xb, yb = only.fit_resample(X, y)
        assert np.array_equal(Xa[ya == 0], Xb[yb == 0])
        return
    both = clone(sampler).set_params(random_state=0, sampling_strategy={1: 60, 2: 60})
    only = clone(sampler).set_params(random_state=0, sampling_strategy={2: 60})
    Xa, ya = both.fit_resample(X, y)
    Xb, yb = only.fit_resample(X, y)
    n = len(X)
    assert np.array_equal(Xa[n:][ya[n:] == 2], Xb[n:][yb[n:] == 2])


def _plain(params: dict) -> dict:
    # nested estimators (alone, in lists or in (name, estimator) pairs) are compared by
    # their own parameters: clone makes new objects
    def plain(v: Any) -> Any:
        if hasattr(v, "get_params") and not isinstance(v, type):
            return (type(v).__name__, _plain(v.get_params()))
        if isinstance(v, (list, tuple)):
            return type(v)(plain(x) for x in v)
        return v

    return {k: plain(v) for k, v in params.items()}


def check_clone_and_params(sampler: Any) -> None:
    """Check that get_params/set_params/clone round-trip and fit sets no public non-_ attribute."""
    c = clone(sampler)
    assert _plain(c.get_params()) == _plain(sampler.get_params())
    before = set(vars(c))
    X, y = _sampler_data(sampler)
    c.fit_resample(X, y)
    added = set(vars(c)) - before
    assert all(a.endswith("_") for a in added), added


def check_containers(sampler: Any) -> None:
    """Check list, sparse, pandas and polars round trips (types, names, dtypes)."""
    import scipy.sparse as sp

    X, y = _sampler_data(sampler)
    ref, yref = clone(sampler).fit_resample(X, y)
    out, _ = clone(sampler).fit_resample(X.tolist(), y.tolist())
    np.testing.assert_allclose(np.asarray(out), ref)
    for fmt in ("csr", "csc") if sampler.__sklearn_tags__().input_tags.sparse else ():
        Xs = sp.random(len(y), 6, density=0.5, format=fmt, random_state=0)
        out, _ = clone(sampler).fit_resample(Xs, y)
        assert sp.issparse(out) and out.format == fmt
    if not sampler.__sklearn_tags__().input_tags.sparse:  # refused with a clear error
        try:
            clone(sampler).fit_resample(sp.csr_matrix(X), y)
        except ValueError as exc:
            assert "sparse" in str(exc)
        else:
            raise AssertionError("a sampler whose tags refuse sparse input accepted it")
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        pd = None
    if pd is not None:
        df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
        df["f0"] = df["f0"].astype("float32")
        ys = pd.Series(np.array(["a", "b", "c"])[y], name="target", dtype="category")
        out, yout = clone(sampler).fit_resample(df, ys)
        assert isinstance(out, pd.DataFrame) and list(out.columns) == list(df.columns)
        assert (out.dtypes == df.dtypes).all()
        assert isinstance(yout, pd.Series) and yout.name == "target"
        assert yout.dtype == ys.dtype
        assert len(out) == len(yout) == len(ref)
    try:
        import polars as pl
    except ImportError:  # pragma: no cover
        pl = None  # type: ignore[assignment]  # polars is optional here
    if pl is not None:
        frame = pl.DataFrame({f"f{i}": X[:, i] for i in range(X.shape[1])})
        out, yout = clone(sampler).fit_resample(frame, pl.Series("target", y))
        assert isinstance(out, pl.DataFrame) and out.columns == frame.columns
        assert isinstance(yout, pl.Series) and yout.name == "target"
        np.testing.assert_allclose(out.to_numpy(), ref)


def check_label_types(sampler: Any) -> None:
    """Check string, boolean and one-vs-all indicator labels."""
    X, y = _sampler_data(sampler, (40, 15))
    _, yr = clone(sampler).fit_resample(X, np.where(y == 1, "rare", "common"))
    assert set(yr.tolist()) == {"rare", "common"}
    _, yr = clone(sampler).fit_resample(X, y == 1)
    assert yr.dtype == bool
    onehot = np.eye(2, dtype=int)[y]
    _, yr = clone(sampler).fit_resample(X, onehot)
    assert yr.ndim == 2 and (yr.sum(axis=1) == 1).all()


def check_bad_input(sampler: Any) -> None:
    """Check the specific errors: NaN, one class, length mismatch, empty, 1-D X, continuous y."""
    X, y = _sampler_data(sampler)
    cases: list[tuple[Any, Any, str]] = []
    Xnan = X.copy()
    Xnan[3, 2] = np.nan
    if sampler_tags(sampler).needs_numeric:
        cases.append((Xnan, y, "NaN"))
    cases += [
        (X, np.zeros(len(y), int), "single class"),
        (X, y[:-1], "different lengths"),
        (X[:0], y[:0], "empty"),
        (X[:, 0], y, "1-D"),
        (X, np.linspace(0, 1, len(y)), "continuous"),
    ]
    for Xb, yb, fragment in cases:
        try:
            clone(sampler).fit_resample(Xb, yb)
        except ValueError as exc:
            assert fragment in str(exc), (fragment, str(exc))
        else:
            raise AssertionError(f"no error for {fragment}")


def check_metadata_follows_rows(sampler: Any) -> None:
    """Check that per-row metadata given to ``fit_resample`` follows the output rows: each
    output row carries the value of its source (itself, the row it copies, or a synthetic
    row's parent, of the same class), and other values pass unchanged."""
    s = clone(sampler)
    X, y = _sampler_data(s)
    ids = np.arange(len(y), dtype=float)  # each row's value is its own index
    groups = [f"g{i % 7}" for i in range(len(y))]
    out = s.fit_resample(X, y, sample_weight=ids, groups=groups, note="kept")
    assert len(out) == 3, "fit_resample with metadata returns (X, y, params)"
    X_res, y_res, params = out
    w, g = params["sample_weight"], params["groups"]
    assert params["note"] == "kept"
    assert isinstance(g, list) and len(g) == len(w) == len(y_res)
    src = w.astype(int)
    assert np.array_equal(w, src) and src.min() >= 0 and src.max() < len(y)
    assert np.array_equal(np.asarray(y_res), y[src]), "a row's source is of its class"
    assert g == [groups[i] for i in src]
    X_res = np.asarray(X_res.toarray() if hasattr(X_res, "toarray") else X_res, dtype=float)
    if not hasattr(s, "provenance_") and hasattr(s, "sample_indices_"):
        assert np.array_equal(X_res, X[src]), "a selected row carries its own value"
    if hasattr(s, "provenance_") and not hasattr(s, "synthetic_kept_"):
        n = len(y)
        assert np.array_equal(src[:n], np.arange(n)), "the originals keep their values"
        assert np.array_equal(src[n:], s.provenance_["parent"])


def sampler_checks(sampler: Any) -> Iterator[Callable[[Any], None]]:
    """Yield the checks that apply to ``sampler``."""
    yield check_clone_and_params
    yield check_counts_match_plan
    yield check_originals_first
    yield check_provenance
    yield check_seed_determinism
    yield check_independent_class_streams
    yield check_containers
    yield check_label_types
    yield check_bad_input
    from .._legacy import takes_arrays

    if not takes_arrays(type(sampler)):
        # imbalanced-learn-style samplers receive the metadata themselves: no contract
        yield check_metadata_follows_rows


def check_sampler(sampler: Any) -> None:
    """Run every applicable common check on ``sampler``."""
    for check in sampler_checks(sampler):
        check(sampler)


def _check_id(value: Any) -> str | None:
    if hasattr(value, "get_params"):
        return "".join(str(value).split())
    if callable(value):
        func = getattr(value, "func", value)
        kwargs = getattr(value, "keywords", {}) or {}
        extra = ",".join(f"{k}={v}" for k, v in kwargs.items())
        return f"{func.__name__}({extra})" if extra else func.__name__
    return None


def parametrize_with_checks(estimators: list, *, legacy: bool = True,
                            expected_failed_checks: Callable | None = None) -> Any:
    """Pytest decorator running the estimator checks over ``estimators`` (imbalanced-learn's).

    For every estimator, scikit-learn's checks (``estimator_checks_generator``); for a
    sampler also smotelab's common sampler checks (:func:`sampler_checks`).

    Parameters
    ----------
    estimators : list of estimator instances
        The estimators to check (instances, not classes).
    legacy : bool, default=True
        Include scikit-learn's legacy checks.
    expected_failed_checks : callable, default=None
        ``estimator -> {check_name: reason}``: those checks are marked ``xfail``.

    Returns
    -------
    decorator : pytest.mark.parametrize
        Parametrizes a test over ``(estimator, check)``; the test calls
        ``check(estimator)``.

    Examples
    --------
    >>> from smotelab.over_sampling import SMOTE
    >>> from smotelab.utils.estimator_checks import parametrize_with_checks
    >>> @parametrize_with_checks([SMOTE(random_state=0)])
    ... def test_my_sampler(estimator, check):
    ...     check(estimator)
    """
    import pytest
    from sklearn.utils.estimator_checks import estimator_checks_generator

    from ..base import is_sampler

    if any(isinstance(est, type) for est in estimators):
        raise TypeError("Passing a class was deprecated in version 0.23 and isn't supported "
                        "anymore from 0.24.Please pass an instance instead.")

    def cases() -> Iterator[Any]:
        for est in estimators:
            expected = dict(expected_failed_checks(est)) if callable(expected_failed_checks) \
                else {}
            yield from estimator_checks_generator(
                est, legacy=legacy, expected_failed_checks=expected, mark="xfail")
            if not is_sampler(est):
                continue
            for check in sampler_checks(est):
                reason = expected.get(check.__name__)
                yield (pytest.param(est, check, marks=pytest.mark.xfail(reason=reason))
                       if reason is not None else (est, check))

    return pytest.mark.parametrize("estimator, check", list(cases()), ids=_check_id)
