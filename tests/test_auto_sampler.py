"""AutoSampler: a choice by cross-validation inside the fit, on the data given only."""

import time

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from smotelab.base import FunctionSampler
from smotelab.combine import SMOTEENN, SMOTETomek
from smotelab.exceptions import SmotelabError
from smotelab.model_selection import AutoSampler
from smotelab.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from smotelab.pipeline import make_pipeline
from smotelab.under_sampling import NearMiss, RandomUnderSampler
from smotelab.utils import estimator_checks as ec


@pytest.fixture
def data():
    return make_classification(n_samples=400, n_features=5, weights=[0.9], flip_y=0.02,
                               random_state=0)


def test_chooses_the_best_mean_score_and_reports_every_fold(data):
    """Check cv_results_: fold scores, their mean, ranks, and the chosen candidate."""
    X, y = data
    auto = AutoSampler([SMOTE(), RandomUnderSampler(), ("keep", FunctionSampler())],
                       margin=0, random_state=0)
    auto.fit_resample(X, y)
    res = auto.cv_results_
    assert res["name"].tolist() == ["SMOTE", "RandomUnderSampler", "keep"]
    assert "split5_test_score" in res and "split6_test_score" not in res  # 3 folds, twice
    splits = np.column_stack([res[f"split{i}_test_score"] for i in range(6)])
    np.testing.assert_allclose(res["mean_test_score"], splits.mean(axis=1))
    np.testing.assert_allclose(res["std_test_score"], splits.std(axis=1))
    best = int(np.argmax(res["mean_test_score"]))
    assert auto.best_index_ == best and res["rank_test_score"][best] == 1
    assert auto.best_score_ == res["mean_test_score"][best]
    assert type(auto.chosen_).__name__ == ["SMOTE", "RandomUnderSampler", "FunctionSampler"][best]
    assert res["evaluated"].all() and not res["adapted"].any()


def test_the_first_candidate_stays_unless_beaten_by_the_margin(data):
    """Check margin: the first candidate is chosen while the best is within the margin."""
    X, y = data
    candidates = [("keep", FunctionSampler()), SMOTE()]
    scores = AutoSampler(candidates, margin=0, random_state=0)
    scores.fit_resample(X, y)
    gap = scores.cv_results_["mean_test_score"][1] - scores.cv_results_["mean_test_score"][0]
    assert gap > 0 and scores.best_index_ == 1
    wide = AutoSampler(candidates, margin=gap + 1e-9, random_state=0)
    wide.fit_resample(X, y)
    assert wide.best_index_ == 0 and type(wide.chosen_).__name__ == "FunctionSampler"
    narrow = AutoSampler(candidates, margin=gap / 2, random_state=0)
    narrow.fit_resample(X, y)
    assert narrow.best_index_ == 1


def test_scores_are_those_of_a_plain_cross_validation(data):
    """Check a candidate's fold scores against scikit-learn's cross_val_score on the
    same folds, with the sampler in a Pipeline."""
    X, y = data
    est = LogisticRegression()
    auto = AutoSampler([SMOTE(random_state=3)], estimator=est, scoring="roc_auc",
                       cv=StratifiedKFold(4, shuffle=True, random_state=1))
    auto.fit_resample(X, y)
    expected = cross_val_score(make_pipeline(SMOTE(random_state=3), est), X, y,
                               scoring="roc_auc",
                               cv=StratifiedKFold(4, shuffle=True, random_state=1))
    got = [auto.cv_results_[f"split{i}_test_score"][0] for i in range(4)]
    np.testing.assert_allclose(got, expected)


def test_output_is_the_chosen_sampler_on_all_the_data(data):
    """Check that the output and attributes are those of the chosen candidate refitted."""
    X, y = data
    auto = AutoSampler([SMOTE(random_state=7)], random_state=0)
    X_res, y_res = auto.fit_resample(X, y)
    X_ref, y_ref = SMOTE(random_state=7).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    for name in ("parent", "neighbor", "step"):
        np.testing.assert_array_equal(auto.provenance_[name],
                                      auto.chosen_.provenance_[name])
    assert auto.sampling_strategy_ == auto.chosen_.sampling_strategy_


def test_an_int_seed_reaches_the_chosen_candidate(data):
    """Check that AutoSampler(random_state=5) outputs what the chosen candidate with
    random_state=5 outputs."""
    X, y = data
    auto = AutoSampler(random_state=5)
    X_res, _ = auto.fit_resample(X, y)
    ref = type(auto.chosen_)(random_state=5).fit_resample(X, y)[0]
    np.testing.assert_array_equal(X_res, ref)


def test_same_seed_same_choice_and_output(data):
    """Check that one random_state fixes folds, candidates' seeds and the output."""
    X, y = data
    a = AutoSampler(random_state=4)
    b = AutoSampler(random_state=4)
    Xa, _ = a.fit_resample(X, y)
    Xb, _ = b.fit_resample(X, y)
    np.testing.assert_array_equal(Xa, Xb)
    np.testing.assert_array_equal(a.cv_results_["mean_test_score"],
                                  b.cv_results_["mean_test_score"])


def test_inside_a_pipeline_the_outer_test_rows_are_never_seen():
    """Check that nested in a Pipeline under cross-validation, every candidate fit and
    the final fit see only rows of the outer training folds."""
    X, y = make_classification(n_samples=300, n_features=4, weights=[0.85], random_state=1)
    X = np.column_stack([np.arange(len(y)), X])  # column 0 identifies the row
    seen = []

    def spy(X_, y_):
        seen.append(set(X_[:, 0].astype(int)))
        return X_, y_

    outer = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    for train, test in outer:
        seen.clear()
        pipe = make_pipeline(AutoSampler([FunctionSampler(func=spy), SMOTE()],
                                         random_state=0), LogisticRegression())
        pipe.fit(X[train], y[train])
        assert seen and all(s <= set(train) for s in seen)
        assert not set().union(*seen) & set(test)


def test_time_budget_stops_starting_candidates(data):
    """Check that once the budget is spent no further candidate is scored, and the
    first always is."""
    X, y = data

    def slow(X_, y_):
        time.sleep(0.05)
        return X_, y_

    auto = AutoSampler([FunctionSampler(func=slow), SMOTE(), RandomOverSampler()],
                       time_budget=0.01, random_state=0)
    auto.fit_resample(X, y)
    assert auto.cv_results_["evaluated"].tolist() == [True, False, False]
    assert auto.best_index_ == 0
    assert "time_budget" in auto.cv_results_["error"][1]
    assert np.isnan(auto.cv_results_["mean_test_score"][1])
    assert auto.cv_results_["rank_test_score"].tolist()[0] == 1


def test_a_failing_candidate_is_reported_and_never_chosen(data):
    """Check that a candidate that raises scores nan, says why, and loses."""
    X, y = data

    def boom(X_, y_):
        raise RuntimeError("cannot resample these")

    auto = AutoSampler([FunctionSampler(func=boom), SMOTE()], random_state=0)
    auto.fit_resample(X, y)
    assert auto.best_index_ == 1
    assert "cannot resample these" in auto.cv_results_["error"][0]
    assert not auto.cv_results_["evaluated"][0]
    with pytest.raises(SmotelabError, match="no candidate could be scored.*cannot resample"):
        AutoSampler([FunctionSampler(func=boom)]).fit_resample(X, y)


def test_small_classes_get_fewer_neighbours_in_the_folds():
    """Check that a class too small for k_neighbors in a training fold is adapted."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = np.r_[np.ones(7, int), np.zeros(113, int)]  # 4 or 5 in a training fold
    auto = AutoSampler([SMOTE()], random_state=0)
    X_res, y_res = auto.fit_resample(X, y)
    assert auto.cv_results_["adapted"][0] and auto.cv_results_["evaluated"][0]
    assert auto.chosen_.k_neighbors == 5 and np.bincount(y_res)[1] == 113


def test_bad_data_is_refused_once_up_front(data):
    """Check that NaN in X is the data's error, not a failure of every candidate."""
    X, y = data
    X = X.copy()
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        AutoSampler().fit_resample(X, y)


@pytest.mark.parametrize(("params", "match"), [
    ({"candidates": []}, "candidates is empty"),
    ({"candidates": [LogisticRegression()]}, "not a sampler"),
    ({"cv": 1}, "cv"),
    ({"time_budget": 0}, "time_budget"),
])
def test_bad_parameters(data, params, match):
    """Check that bad parameters are refused with the parameter's name."""
    X, y = data
    with pytest.raises((ValueError, TypeError), match=match):
        AutoSampler(**params).fit_resample(X, y)


def test_per_row_metadata_follows_the_chosen_sampler(data):
    """Check that sample_weight follows the rows of the chosen candidate's output."""
    X, y = data
    w = np.arange(len(y), dtype=float)
    auto = AutoSampler([SMOTE(random_state=0)], random_state=0)
    X_res, y_res, params = auto.fit_resample(X, y, sample_weight=w)
    n = len(y)
    np.testing.assert_array_equal(params["sample_weight"][:n], w)
    np.testing.assert_array_equal(params["sample_weight"][n:], w[auto.provenance_["parent"]])


def test_dataframes_in_dataframes_out(data):
    """Check that a pandas DataFrame comes back as one, with its columns."""
    pd = pytest.importorskip("pandas")
    X, y = data
    df = pd.DataFrame(X, columns=[f"c{i}" for i in range(X.shape[1])])
    X_res, y_res = AutoSampler(random_state=0).fit_resample(df, pd.Series(y))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(df.columns)


# the common checks read the kind of output from the tags: candidates of one kind
HOMOGENEOUS = {
    "over": AutoSampler([SMOTE(), BorderlineSMOTE(), ADASYN()], random_state=0),
    "combined": AutoSampler([SMOTEENN(), SMOTETomek()], random_state=0),
    "under": AutoSampler([RandomUnderSampler(), NearMiss()], random_state=0),
}


@pytest.mark.parametrize(("kind", "check"), [
    (kind, check) for kind, auto in HOMOGENEOUS.items() for check in ec.sampler_checks(auto)],
    ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_common_checks(kind, check):
    """Check AutoSampler against the common sampler checks, for each kind of portfolio."""
    check(HOMOGENEOUS[kind])


def test_tags_are_the_candidates_where_they_agree():
    """Check the sampling type: the candidates' shared one, else bypass."""
    from smotelab.utils._tags import sampler_tags

    assert sampler_tags(HOMOGENEOUS["over"]).sampling_type == "over-sampling"
    assert sampler_tags(HOMOGENEOUS["combined"]).combines
    assert not sampler_tags(AutoSampler()).combines  # SMOTE-ENN with over-samplers
    assert sampler_tags(AutoSampler([SMOTE(), NearMiss()])).sampling_type == "bypass"


def test_sampling_strategy_is_given_to_every_candidate(data):
    """Check that sampling_strategy reaches each candidate, and one without it is named."""
    X, y = data
    auto = AutoSampler([SMOTE(), ADASYN()], sampling_strategy=0.5, random_state=0)
    _, y_res = auto.fit_resample(X, y)
    assert np.bincount(y_res)[1] == int(0.5 * np.bincount(y)[0])
    with pytest.raises(ValueError, match="'keep' takes none"):
        AutoSampler([SMOTE(), ("keep", FunctionSampler())],
                    sampling_strategy=0.5).fit_resample(X, y)


def test_fewer_folds_for_a_tiny_class_and_a_clear_error_for_one_sample():
    """Check that a 4-sample class gets 4 folds, a 2-sample class the first candidate
    unscored (with a warning), and a 1-sample class a specific error."""
    from smotelab.exceptions import NotEnoughSamplesError, SmotelabWarning

    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    y = np.r_[np.ones(4, int), np.zeros(56, int)]
    auto = AutoSampler([RandomOverSampler(), SMOTE()], cv=5, random_state=0)
    auto.fit_resample(X, y)
    assert "split7_test_score" in auto.cv_results_  # 4 folds, drawn twice
    assert "split8_test_score" not in auto.cv_results_
    assert auto.cv_results_["evaluated"].all()
    y2 = np.r_[np.ones(2, int), np.zeros(58, int)]
    with pytest.warns(SmotelabWarning, match="too few samples to cross-validate"):
        _, y_res = auto.fit_resample(X, y2)
    assert not auto.cv_results_["evaluated"].any() and auto.best_index_ == 0
    assert type(auto.chosen_).__name__ == "RandomOverSampler"
    assert np.bincount(y_res)[1] == 58
    with pytest.raises(NotEnoughSamplesError, match="class 1 has a single sample"):
        AutoSampler(cv=3).fit_resample(X, np.r_[1, np.zeros(59, int)])


def test_without_an_estimator_a_panel_of_four_models_scores(data):
    """Check a fold's score without an estimator: the mean of auc_and_g_mean over k-NN, a
    tree, logistic regression and an RBF SVC fitted on the resampled training part (the
    folds those of AutoSampler's seed), recomputed by hand."""
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    from smotelab.model_selection import auc_and_g_mean
    from smotelab.utils._random import RandomStreams

    X, y = data
    auto = AutoSampler([SMOTE(random_state=1)], n_repeats=1, random_state=0)
    auto.fit_resample(X, y)
    seed = RandomStreams.from_random_state(0).member_seed(0)
    folds = StratifiedKFold(3, shuffle=True, random_state=seed).split(X, y)
    for i, (train, test) in enumerate(folds):
        X_res, y_res = SMOTE(random_state=1).fit_resample(X[train], y[train])
        models = [KNeighborsClassifier(), DecisionTreeClassifier(random_state=0),
                  LogisticRegression(max_iter=2000), SVC(random_state=0)]
        expected = np.mean([auc_and_g_mean(m.fit(X_res, y_res), X[test], y[test])
                            for m in models])
        np.testing.assert_allclose(auto.cv_results_[f"split{i}_test_score"][0], expected)


def test_the_panel_learns_from_a_bounded_sample_that_keeps_the_shares():
    """Check AtMost: above max_rows the model learns from a seeded random subset keeping
    each class's share (every class present); at or below, from every row."""
    from sklearn.svm import SVC

    from smotelab.model_selection._panel import AtMost

    class Recorder(LogisticRegression):
        def fit(self, X, y):
            self.rows_ = np.asarray(X)[:, 0].astype(int)
            return super().fit(X, y)

    rng = np.random.default_rng(0)
    X = np.column_stack([np.arange(1000), rng.normal(size=1000)])
    y = np.r_[np.zeros(990, int), np.ones(10, int)]
    small = AtMost(Recorder(), 200, seed=3).fit(X, y)  # 990 and 10 rows: 198 and 2
    rows = small.model.rows_
    assert len(rows) == 200 and np.bincount(y[rows]).tolist() == [198, 2]
    assert len(np.unique(rows)) == len(rows)
    again = AtMost(Recorder(), 200, seed=3).fit(X, y)
    np.testing.assert_array_equal(again.model.rows_, rows)
    whole = AtMost(Recorder(), 1000, seed=3).fit(X, y)
    np.testing.assert_array_equal(whole.model.rows_, np.arange(1000))
    assert hasattr(small, "predict_proba") and not hasattr(AtMost(SVC(), 10, 0),
                                                           "predict_proba")


def test_the_default_portfolio():
    """Check the default candidates, in order, and that one seed reaches each."""
    from smotelab.model_selection import default_candidates

    names = [n for n, _ in default_candidates(7)]
    assert names == ["GeometricSMOTE", "SMOTE", "SMOTETomek", "SVMSMOTE", "SMOTEENN",
                     "ProWSyn", "BorderlineSMOTE", "ADASYN"]
    assert all(s.random_state == 7 for _, s in default_candidates(7))
