"""ImbalanceSearchCV: resample, weight or move the threshold, chosen inside the fit."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import (
    StratifiedKFold,
    TunedThresholdClassifierCV,
    cross_val_predict,
    cross_val_score,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from smotelab.base import FunctionSampler
from smotelab.exceptions import NotEnoughSamplesError, SmotelabError, SmotelabWarning
from smotelab.model_selection import ImbalanceSearchCV
from smotelab.over_sampling import SMOTE, RandomOverSampler
from smotelab.pipeline import make_pipeline


@pytest.fixture
def data():
    return make_classification(n_samples=400, n_features=5, weights=[0.9], flip_y=0.02,
                               random_state=0)


def test_scores_are_those_of_plain_cross_validations(data):
    """Check each method's fold scores against scikit-learn's cross_val_score of the
    same model on the same folds: the tuned threshold, class weights, a Pipeline."""
    X, y = data
    cv = StratifiedKFold(4, shuffle=True, random_state=1)
    est = LogisticRegression()
    search = ImbalanceSearchCV(est, methods=["threshold", "class_weight", SMOTE(), "none"],
                               scoring="balanced_accuracy", cv=cv,
                               random_state=3).fit(X, y)
    res = search.cv_results_
    assert res["name"].tolist() == ["threshold", "class_weight", "SMOTE", "none"]
    got = np.column_stack([res[f"split{i}_test_score"] for i in range(4)])
    threshold = TunedThresholdClassifierCV(est, scoring="balanced_accuracy", random_state=3,
                                           cv=StratifiedKFold(5, shuffle=True,
                                                              random_state=3))
    expected = [threshold, clone(est).set_params(class_weight="balanced"),
                make_pipeline(SMOTE(random_state=3), est), est]
    for row, model in zip(got, expected, strict=True):
        np.testing.assert_allclose(row, cross_val_score(model, X, y, cv=cv,
                                                        scoring="balanced_accuracy"))
    best = int(np.argmax(res["mean_test_score"]))
    assert search.best_index_ == best and res["rank_test_score"][best] == 1
    assert search.best_method_ == res["name"][best]


def test_brier_score_is_the_calibration_of_each_method(data):
    """Check mean_brier_score against the folds' Brier scores computed by hand, and that
    resampling raises it here while the tuned threshold leaves the probabilities as
    they are."""
    X, y = data
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    search = ImbalanceSearchCV(LogisticRegression(), methods=["none", "threshold", SMOTE()],
                               cv=cv, random_state=0).fit(X, y)
    by_hand = []
    for train, test in cv.split(X, y):
        p = LogisticRegression().fit(X[train], y[train]).predict_proba(X[test])[:, 1]
        by_hand.append(brier_score_loss(y[test], p))
    brier = search.cv_results_["mean_brier_score"]
    np.testing.assert_allclose(brier[0], np.mean(by_hand))
    np.testing.assert_allclose(brier[1], brier[0])  # the threshold moves no probability
    assert brier[2] > brier[0]


def test_the_winner_is_refitted_on_all_the_data_and_predicts(data):
    """Check best_estimator_ is the chosen method fitted on every row, and predict,
    predict_proba and decision_function are its own."""
    X, y = data
    search = ImbalanceSearchCV(LogisticRegression(), methods=[SMOTE()],
                               random_state=5).fit(X, y)
    ref = make_pipeline(SMOTE(random_state=5), LogisticRegression()).fit(X, y)
    np.testing.assert_allclose(search.predict_proba(X), ref.predict_proba(X))
    np.testing.assert_array_equal(search.predict(X), ref.predict(X))
    np.testing.assert_allclose(search.decision_function(X), ref.decision_function(X))
    np.testing.assert_array_equal(search.classes_, [0, 1])
    assert search.n_features_in_ == 5
    svc = ImbalanceSearchCV(SVC(), methods=["none", "class_weight"], random_state=0).fit(X, y)
    assert not hasattr(svc, "predict_proba")  # SVC gives none: neither does the search
    assert np.isnan(svc.cv_results_["mean_brier_score"]).all()


def test_the_first_method_stays_unless_beaten_by_the_margin(data):
    """Check margin: the first method is kept while the best is within the margin."""
    X, y = data
    methods = ["none", "threshold"]
    plain = ImbalanceSearchCV(LogisticRegression(), methods=methods, n_repeats=1,
                              random_state=0).fit(X, y)
    gap = np.diff(plain.cv_results_["mean_test_score"])[0]
    assert gap > 0 and plain.best_method_ == "threshold"
    wide = ImbalanceSearchCV(LogisticRegression(), methods=methods, margin=gap + 1e-9,
                             n_repeats=1, random_state=0).fit(X, y)
    assert wide.best_method_ == "none"


def test_methods_that_do_not_apply_or_fail_are_reported_and_never_chosen(data):
    """Check class weights for k-NN, a threshold for three classes and a failing sampler:
    each recorded in cv_results_['error'], none chosen; all failing is an error."""
    X, y = data

    def boom(X_, y_):
        raise RuntimeError("boom")

    knn = ImbalanceSearchCV(KNeighborsClassifier(),
                            methods=["class_weight", ("broken", FunctionSampler(func=boom)),
                                     SMOTE()], n_repeats=1, random_state=0).fit(X, y)
    res = knn.cv_results_
    assert "takes no class_weight" in res["error"][0] and "boom" in res["error"][1]
    assert res["evaluated"].tolist() == [False, False, True] and knn.best_method_ == "SMOTE"
    X3, y3 = make_classification(n_samples=300, n_classes=3, n_informative=3,
                                 weights=[0.7, 0.2], random_state=0)
    multi = ImbalanceSearchCV(LogisticRegression(), n_repeats=1, random_state=0).fit(X3, y3)
    assert "two classes only" in multi.cv_results_["error"][0]
    assert multi.best_method_ != "threshold" and len(multi.predict(X3)) == 300
    assert np.isnan(multi.cv_results_["mean_brier_score"]).all()
    with pytest.raises(SmotelabError, match="no method could be scored"):
        ImbalanceSearchCV(KNeighborsClassifier(), methods=["class_weight"]).fit(X, y)


def test_small_classes_fewer_folds_a_warning_and_a_clear_error():
    """Check a 4-sample class scores on 4 folds (the threshold on fewer folds of its
    own), a 2-sample class gets the first method unscored with a warning, a 1-sample
    class a specific error, never one from inside scikit-learn."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    y = np.r_[np.ones(4, int), np.zeros(56, int)]
    search = ImbalanceSearchCV(LogisticRegression(), methods=["threshold", RandomOverSampler()],
                               cv=5, n_repeats=1, random_state=0).fit(X, y)
    assert "split3_test_score" in search.cv_results_
    assert "split4_test_score" not in search.cv_results_
    y2 = np.r_[np.ones(2, int), np.zeros(58, int)]
    with pytest.warns(SmotelabWarning, match="too few samples to cross-validate"):
        search.fit(X, y2)
    assert not search.cv_results_["evaluated"].any() and search.best_method_ == "threshold"
    with pytest.raises(NotEnoughSamplesError, match="class 1 has a single sample"):
        search.fit(X, np.r_[1, np.zeros(59, int)])


def test_nested_in_cross_validation_the_test_rows_are_never_seen():
    """Check every fit inside the search sees only rows of the outer training folds."""
    X, y = make_classification(n_samples=300, n_features=4, weights=[0.85], random_state=1)
    X = np.column_stack([np.arange(len(y)), X])  # column 0 identifies the row
    seen = []

    def spy(X_, y_):
        seen.append(set(X_[:, 0].astype(int)))
        return X_, y_

    for train, test in StratifiedKFold(3, shuffle=True, random_state=0).split(X, y):
        seen.clear()
        search = ImbalanceSearchCV(LogisticRegression(), methods=[FunctionSampler(func=spy),
                                                                   "threshold"],
                                   n_repeats=1, random_state=0)
        search.fit(X[train], y[train])
        assert seen and all(s <= set(train) for s in seen)
        assert not set().union(*seen) & set(test)
    predicted = cross_val_predict(ImbalanceSearchCV(LogisticRegression(),
                                                    methods=["none", SMOTE()], n_repeats=1,
                                                    random_state=0), X, y, cv=3)
    assert len(predicted) == len(y)


def test_same_seed_same_choice_and_repeats(data):
    """Check one random_state fixes the folds and the choice; n_repeats doubles the
    folds, and repeats a splitter's folds only by the splitter's own choice."""
    X, y = data
    methods = ["class_weight", SMOTE()]
    a = ImbalanceSearchCV(LogisticRegression(), methods=methods, n_repeats=2,
                          random_state=4).fit(X, y)
    b = ImbalanceSearchCV(LogisticRegression(), methods=methods, n_repeats=2,
                          random_state=4).fit(X, y)
    np.testing.assert_array_equal(a.cv_results_["mean_test_score"],
                                  b.cv_results_["mean_test_score"])
    assert "split5_test_score" in a.cv_results_ and "split6_test_score" not in a.cv_results_
    with pytest.raises(ValueError, match="leave n_repeats=None"):
        ImbalanceSearchCV(LogisticRegression(), cv=StratifiedKFold(3), n_repeats=2).fit(X, y)


@pytest.mark.parametrize(("params", "error", "match"), [
    ({"methods": ["thresh"]}, ValueError, "unknown method 'thresh'"),
    ({"methods": [LogisticRegression()]}, TypeError, "neither a keyword nor a sampler"),
    ({"methods": []}, ValueError, "methods is empty"),
    ({"margin": -1}, ValueError, "margin"),
])
def test_bad_parameters(data, params, error, match):
    with pytest.raises(error, match=match):
        ImbalanceSearchCV(LogisticRegression(), **params).fit(*data)


def test_frames_and_a_continuous_target_get_clear_answers(data):
    """Check a DataFrame keeps its column names through the search, and a continuous
    target is refused by name."""
    X, y = data
    frame = pd.DataFrame(X, columns=[f"c{i}" for i in range(5)])
    search = ImbalanceSearchCV(LogisticRegression(), methods=[SMOTE(), "threshold"],
                               n_repeats=1, random_state=0).fit(frame, pd.Series(y))
    assert list(search.feature_names_in_) == list(frame.columns)
    with pytest.raises(SmotelabError, match="continuous target"):
        ImbalanceSearchCV(LogisticRegression()).fit(X, np.linspace(0, 1, len(y)))


@parametrize_with_checks([ImbalanceSearchCV(LogisticRegression(),
                                            methods=["none", RandomOverSampler(),
                                                     "class_weight"],
                                            n_repeats=1, random_state=0)])
def test_scikit_learn_checks(estimator, check):
    """Check scikit-learn's estimator checks (a classifier, meta-estimator, sparse input)."""
    check(estimator)


def test_a_sampler_goes_before_the_last_step_of_a_pipeline(data):
    """Check that with a Pipeline as estimator, a sampler resamples the scaled rows (it
    is put right before the model), and the refitted winner is that Pipeline."""
    from sklearn.pipeline import make_pipeline as sk_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = data
    X = X * 100 + 50
    seen = []

    def spy(X_, y_):
        seen.append(np.asarray(X_).mean(axis=0))
        return X_, y_

    est = sk_pipeline(StandardScaler(), LogisticRegression())
    search = ImbalanceSearchCV(est, methods=[FunctionSampler(func=spy)], n_repeats=1,
                               random_state=0).fit(X, y)
    assert seen and all(np.abs(m).max() < 1 for m in seen)  # scaled, not ~50
    names = [n for n, _ in search.best_estimator_.steps]
    assert names == ["standardscaler", "sampler", "logisticregression"]
