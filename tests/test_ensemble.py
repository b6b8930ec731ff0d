"""The balanced ensembles: behaviour, parameters, randomness, routing, containers, checks."""

import numpy as np
import pandas as pd
import polars as pl
import pytest
import sklearn
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from smotelab.ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
)
from smotelab.over_sampling import SMOTE
from smotelab.pipeline import Pipeline
from smotelab.under_sampling import RandomUnderSampler


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=600, n_features=6, n_informative=4,
                               weights=[0.85, 0.1, 0.05], n_classes=3,
                               n_clusters_per_class=1, random_state=0)
    labels = np.array(["ham", "eggs", "spam"])[y]
    return X, labels


def _small(cls, **kw):
    size = {"BalancedRandomForestClassifier": 15, "RUSBoostClassifier": 10}
    if cls is RUSBoostClassifier:
        # stumps fitted on balanced draws are worse than chance on these skewed three
        # classes (SAMME stops at once, as imbalanced-learn's does): deeper learners
        kw.setdefault("estimator", DecisionTreeClassifier(max_depth=4))
    return cls(n_estimators=size.get(cls.__name__, 5), random_state=0, **kw)


ALL = [BalancedBaggingClassifier, BalancedRandomForestClassifier, EasyEnsembleClassifier,
       RUSBoostClassifier]


@pytest.mark.parametrize("cls", ALL)
def test_fits_and_predicts_the_users_labels(cls, data):
    """Check classes_, predictions and probabilities carry the labels given to fit."""
    X, y = data
    est = _small(cls).fit(X, y)
    assert est.classes_.tolist() == ["eggs", "ham", "spam"]
    assert est.n_classes_ == 3
    assert set(est.predict(X)) <= set(y)
    proba = est.predict_proba(X)
    assert proba.shape == (len(y), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert est.score(X, y) > 0.6


@pytest.mark.parametrize("cls", ALL)
def test_same_seed_same_model_other_seed_other_model(cls, data):
    """Check randomness flows from random_state alone."""
    X, y = data
    a = _small(cls).fit(X, y).predict_proba(X)
    b = _small(cls).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    c = _small(cls).set_params(random_state=1).fit(X, y).predict_proba(X)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("cls", [BalancedBaggingClassifier, BalancedRandomForestClassifier,
                                 EasyEnsembleClassifier])
def test_members_fitted_in_threads_equal_serial_ones(cls, data):
    """Check n_jobs changes where members are fitted, never what they are."""
    X, y = data
    serial = _small(cls, n_jobs=1).fit(X, y).predict_proba(X)
    parallel = _small(cls, n_jobs=2).fit(X, y).predict_proba(X)
    # same members; the sums of their probabilities may round differently by chunk
    np.testing.assert_allclose(serial, parallel, rtol=1e-12)


@pytest.mark.parametrize("cls", [BalancedBaggingClassifier, BalancedRandomForestClassifier,
                                 EasyEnsembleClassifier])
def test_warm_start_adds_the_members_a_full_fit_has(cls, data):
    """Check a member's seed depends on the root and its index only."""
    X, y = data
    grown = cls(n_estimators=3, warm_start=True, random_state=0).fit(X, y)
    grown.set_params(n_estimators=6).fit(X, y)
    full = cls(n_estimators=6, random_state=0).fit(X, y)
    assert len(grown.estimators_) == 6
    np.testing.assert_array_equal(grown.predict_proba(X), full.predict_proba(X))
    with pytest.warns(UserWarning, match="without increasing n_estimators"):
        grown.fit(X, y)
    with pytest.raises(ValueError, match="must be larger or equal"):
        grown.set_params(n_estimators=2).fit(X, y)


def _counts(labels):
    values, counts = np.unique(labels, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def test_bagging_members_balance_their_bag_with_the_sampler(data):
    """Check each member's classifier learns from the balanced bootstrap."""
    X, y = data
    bag = BalancedBaggingClassifier(n_estimators=4, random_state=0).fit(X, y)
    assert isinstance(bag.estimator_, Pipeline)
    assert isinstance(bag.sampler_, RandomUnderSampler)
    for member, rows in zip(bag.estimators_, bag.estimators_samples_, strict=True):
        kept = member.named_steps["sampler"].sample_indices_
        counts = _counts(np.searchsorted(bag.classes_, y[rows][kept]))
        assert len(set(counts.values())) == 1, counts
        assert len(rows) == len(y)  # bootstrap of n rows


def test_smote_bagging_oversamples_each_bag(data):
    """Check any smotelab sampler can balance the bags (SMOTE-Bagging)."""
    X, y = data
    bag = BalancedBaggingClassifier(sampler=SMOTE(k_neighbors=3), n_estimators=3,
                                    random_state=0).fit(X, y)
    sampler = bag.estimators_[0].named_steps["sampler"]
    assert isinstance(sampler, SMOTE)
    majority = max(_counts(y).values())
    assert sum(sampler.sampling_strategy_.values()) > 0
    assert all(n < majority * 1.2 for n in sampler.sampling_strategy_.values())
    seeds = {m.named_steps["sampler"].random_state for m in bag.estimators_}
    assert len(seeds) == 3  # each member its own seed


def test_strategy_dict_and_callable_use_the_labels_given_to_fit(data):
    """Check dict and callable strategies name the user's labels, not the encoded ones."""
    X, y = data
    forest = BalancedRandomForestClassifier(
        n_estimators=3, sampling_strategy={"ham": 40, "eggs": 30}, random_state=0).fit(X, y)
    for sampler in forest.samplers_:
        kept = _counts(forest.classes_[y_pos(forest, y)][sampler.sample_indices_])
        assert kept == {"ham": 40, "eggs": 30, "spam": _counts(y)["spam"]}
    seen = []

    def strategy(labels):
        seen.append(sorted(set(labels.tolist())))
        return {"ham": 50}

    bag = BalancedBaggingClassifier(n_estimators=2, sampling_strategy=strategy,
                                    random_state=0).fit(X, y)
    assert seen and seen[0] == ["eggs", "ham", "spam"]
    assert bag.score(X, y) > 0.5
    with pytest.raises(ValueError, match="'toast'"):
        BalancedRandomForestClassifier(n_estimators=2, sampling_strategy={"toast": 3}).fit(X, y)


def y_pos(forest, y):
    return np.searchsorted(forest.classes_, y)


def test_forest_trees_grow_on_balanced_draws(data):
    """Check the default draw: the minority count from every class, with replacement."""
    X, y = data
    forest = BalancedRandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    n_min = min(_counts(y).values())
    for sampler, bag in zip(forest.samplers_, forest.estimators_samples_, strict=True):
        assert set(_counts(y[sampler.sample_indices_]).values()) == {n_min}
        np.testing.assert_array_equal(bag, sampler.sample_indices_)
    assert len(forest.pipelines_) == 5
    np.testing.assert_array_equal(forest.pipelines_[0].predict(X),
                                  forest.estimators_[0].predict(X))
    assert forest.feature_importances_.shape == (X.shape[1],)
    assert forest.apply(X).shape == (len(y), 5)


def test_forest_out_of_bag_rows_are_the_rows_a_tree_never_saw(data):
    """Check the OOB estimate uses every row outside a tree's bag."""
    X, y = data
    with pytest.raises(ValueError, match="bootstrap=True"):
        BalancedRandomForestClassifier(oob_score=True).fit(X, y)
    forest = BalancedRandomForestClassifier(n_estimators=30, bootstrap=True, oob_score=True,
                                            random_state=0).fit(X, y)
    assert 0.5 < forest.oob_score_ <= 1
    np.testing.assert_allclose(forest.oob_decision_function_.sum(axis=1), 1.0)
    bag = forest.estimators_samples_[0]
    assert len(bag) == len(forest.samplers_[0].sample_indices_)
    assert len(np.unique(bag)) < len(bag)  # the bootstrap repeats rows


def test_forest_class_weight_and_sample_weight(data):
    """Check weights reach the trees: zero weight on a class leaves it unpredicted."""
    X, y = data
    w = np.where(y == "spam", 0.0, 1.0)
    forest = BalancedRandomForestClassifier(n_estimators=5, random_state=0).fit(X, y, w)
    assert "spam" not in set(forest.predict(X))
    for cw in ("balanced", "balanced_subsample", {"ham": 1, "eggs": 2, "spam": 3}):
        est = BalancedRandomForestClassifier(n_estimators=3, class_weight=cw, bootstrap=True,
                                             random_state=0)
        assert est.fit(X, y).score(X, y) > 0.6
    with pytest.raises(ValueError, match="one weight per row"):
        BalancedRandomForestClassifier(n_estimators=2).fit(X, y, np.ones(3))


def test_rusboost_rounds_learn_from_balanced_draws(data):
    """Check each round's sampler balances the classes and the pipelines pair them up."""
    X, y = data
    boost = _small(RUSBoostClassifier, estimator=None)
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    boost.fit(X, y)
    assert len(boost.samplers_) == len(boost.estimators_) == len(boost.pipelines_)
    n_min = min(_counts(y).values())
    for sampler in boost.samplers_:
        assert set(_counts(y[sampler.sample_indices_]).values()) == {n_min}
    assert isinstance(boost.estimator_, DecisionTreeClassifier)
    assert boost.estimator_.max_depth == 1
    assert len(boost.estimators_) > 1
    assert len(list(boost.staged_predict(X))) == len(boost.estimators_)


def test_rusboost_algorithm_parameter(data):
    """Check 'SAMME' warns as imbalanced-learn does, and 'SAMME.R' is refused clearly."""
    X, y = data
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    with pytest.warns(FutureWarning, match="deprecated"):
        RUSBoostClassifier(n_estimators=2, algorithm="SAMME", random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="SAMME.R"):
        RUSBoostClassifier(algorithm="SAMME.R").fit(X, y)
    with pytest.raises(ValueError, match="sample_weight"):
        RUSBoostClassifier(KNeighborsClassifier()).fit(X, y)


def test_easy_ensemble_members_are_boosted_on_balanced_subsets(data):
    """Check the members: AdaBoost after a random under-sampler, all rows offered."""
    X, y = data
    easy = EasyEnsembleClassifier(n_estimators=3, random_state=0).fit(X, y)
    member = easy.estimators_[0]
    assert isinstance(member.named_steps["classifier"], AdaBoostClassifier)
    np.testing.assert_array_equal(easy.estimators_samples_[0], np.arange(len(y)))
    n_min = min(_counts(y).values())
    kept = member.named_steps["sampler"].sample_indices_
    assert set(_counts(y[kept]).values()) == {n_min}
    assert "max_samples" not in easy.get_params()
    with pytest.raises(ValueError, match="classifier__sample_weight"):
        easy.fit(X, y, sample_weight=np.ones(len(y)))


def test_parameters_are_passed_to_members_without_routing(data):
    """Check step__param values reach the member, taken at its rows."""
    X, y = data
    w = np.ones(len(y))
    bag = BalancedBaggingClassifier(LogisticRegression(), n_estimators=2, random_state=0)
    bag.fit(X, y, classifier__sample_weight=w)
    assert bag.score(X, y) > 0.5


class _Recorder(ClassifierMixin, BaseEstimator):
    """A classifier that keeps the row tags it was fitted with."""

    def fit(self, X, y, tag=None):
        self.tag_ = np.asarray(tag)
        self.first_column_ = np.asarray(X)[:, 0].copy()
        self.tree_ = DecisionTreeClassifier(random_state=0).fit(X, y)
        self.classes_ = self.tree_.classes_
        return self

    def predict_proba(self, X):
        return self.tree_.predict_proba(X)

    def predict(self, X):
        return self.tree_.predict(X)


def test_routed_metadata_follows_each_members_rows(data):
    """Check a routed per-row value arrives at the rows the classifier was fitted on."""
    X, y = data
    X = X.copy()
    X[:, 0] = np.arange(len(y))  # the row number, to see which rows a member got
    with sklearn.config_context(enable_metadata_routing=True):
        bag = BalancedBaggingClassifier(_Recorder().set_fit_request(tag=True),
                                        n_estimators=3, random_state=0)
        bag.fit(X, y, tag=np.arange(len(y)) * 10)
    for member in bag.estimators_:
        tree = member.named_steps["classifier"]
        np.testing.assert_array_equal(tree.tag_, tree.first_column_ * 10)
        assert len(tree.tag_) < len(y)  # under-sampled


@pytest.mark.parametrize("cls", ALL)
def test_dataframes_in_keep_their_column_names(cls, data):
    """Check pandas and polars frames are read, with feature_names_in_."""
    X, y = data
    cols = [f"f{i}" for i in range(X.shape[1])]
    for frame in (pd.DataFrame(X, columns=cols), pl.DataFrame(X, schema=cols)):
        est = _small(cls).fit(frame, pd.Series(y) if isinstance(frame, pd.DataFrame) else y)
        assert est.feature_names_in_.tolist() == cols
        assert len(est.predict(frame)) == len(y)


@pytest.mark.parametrize("cls", [BalancedBaggingClassifier, BalancedRandomForestClassifier,
                                 RUSBoostClassifier])
def test_sparse_input(cls, data):
    """Check a sparse X fits and predicts (like the dense one, for the random trees)."""
    X, y = data
    X = np.where(np.abs(X) < 1, 0, X)
    dense = _small(cls).fit(X, y).predict(X)
    for fmt in (sparse.csr_matrix, sparse.csc_matrix):
        pred = _small(cls).fit(fmt(X), y).predict(fmt(X))
        if cls is RUSBoostClassifier:  # its depth-4 trees break ties differently on sparse
            assert np.mean(pred == dense) > 0.9
        else:
            np.testing.assert_array_equal(pred, dense)


def test_forest_takes_missing_values(data):
    """Check NaN cells go to the trees, which split on them."""
    X, y = data
    X = X.copy()
    X[::7, 0] = np.nan
    forest = BalancedRandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    assert forest.score(X, y) > 0.6


@pytest.mark.parametrize("cls", ALL)
def test_bad_targets_are_refused_clearly(cls, data):
    """Check continuous, one-class and two-column targets get a specific error."""
    X, y = data
    with pytest.raises(ValueError, match="Unknown label type|continuous"):
        _small(cls).fit(X, np.linspace(0, 1, len(y)))
    with pytest.raises(ValueError, match="one class"):
        _small(cls).fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="columns|multi"):
        _small(cls).fit(X, np.column_stack([y, y]))


def test_bagging_sample_weight_draws_rows(data):
    """Check sample_weight are drawing probabilities: a zero-weight row is never drawn."""
    X, y = data
    w = np.ones(len(y))
    w[:100] = 0
    bag = BalancedBaggingClassifier(n_estimators=3, random_state=0).fit(X, y, w)
    for rows in bag.estimators_samples_:
        assert rows.min() >= 100
    with pytest.raises(ValueError, match="zero"):
        bag.fit(X, y, np.zeros(len(y)))


# scikit-learn's estimator checks. Expected failures, each for a stated reason:
# - sample-weight equivalence: members draw rows by class counts, so a row given
#   weight 2 is not the same as the row twice (imbalanced-learn's ensembles fail it too);
# - nan/inf for the bagging: its under-sampler may drop the row holding NaN or inf before
#   the classifier would refuse it (imbalanced-learn marks the same check).
EXPECTED_FAILURES = {
    ("BalancedBaggingClassifier", "check_estimators_nan_inf"),
    *((name, check) for name in ("BalancedBaggingClassifier",
                                 "BalancedRandomForestClassifier", "RUSBoostClassifier")
      for check in ("check_sample_weight_equivalence_on_dense_data",
                    "check_sample_weight_equivalence_on_sparse_data")),
}


@parametrize_with_checks(
    [BalancedBaggingClassifier(n_estimators=3, random_state=0),
     BalancedRandomForestClassifier(n_estimators=5, random_state=0),
     EasyEnsembleClassifier(n_estimators=2, random_state=0),
     RUSBoostClassifier(n_estimators=5, random_state=0)],
    expected_failed_checks=lambda est: {
        check: "see EXPECTED_FAILURES" for name, check in EXPECTED_FAILURES
        if name == type(est).__name__})
def test_scikit_learn_estimator_checks(estimator, check):
    """Check scikit-learn's classifier checks on every ensemble."""
    check(estimator)
