"""Diagnostics and the recommender on data crafted for each branch of the decision guide."""

import numpy as np
import pandas as pd
import pytest

from smotelab.combine import SMOTEENN, SMOTETomek
from smotelab.datasets import make_dragons
from smotelab.diagnostics import Diagnosis, diagnose, recommend
from smotelab.exceptions import DataValidationError
from smotelab.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)


def _easy(seed=0, n_min=200, d=2):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(0, 1, (2000, d)), rng.normal(6, 1, (n_min, d))])
    return X, np.r_[np.zeros(2000, int), np.ones(n_min, int)]


def _noisy(scattered, seed=0):
    """A compact minority plus `scattered` minority labels on points inside the majority."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0, 1, (2000, 3))
    y = np.zeros(2000, int)
    y[:200] = 1
    X[scattered:200] += 5  # the rest of the minority sits apart
    return X, y


def test_easy_data_get_plain_smote():
    """Check separated classes: no noise, no subgroups, SMOTE with the default k."""
    X, y = _easy()
    rec = recommend(X, y, random_state=0)
    d = rec.diagnosis
    assert d.counts == {0: 2000, 1: 200} and d.imbalance_ratio[1] == 10
    assert d.difficulty[1]["safe"] > 0.95 and d.noise(1) == 0 and d.subgroups[1] == 1
    assert [f.code for f in d.findings] == ["imbalance"]
    assert type(rec.sampler) is SMOTE and rec.sampler.k_neighbors == 5
    assert rec.sampler.random_state == 0 and not rec.before


@pytest.mark.parametrize(("scattered", "expected"), [(60, SMOTEENN), (30, SMOTETomek)])
def test_noisy_labels_get_a_cleaner(scattered, expected):
    """Check minority labels scattered among the majority are measured as outliers and get
    SMOTE-ENN (heavy noise) or SMOTE-Tomek (moderate)."""
    X, y = _noisy(scattered)
    rec = recommend(X, y, random_state=0)
    d = rec.diagnosis.difficulty[1]  # scattered labels are outliers, or rare when two meet
    assert d["outlier"] + d["rare"] == pytest.approx(scattered / 200, abs=0.02)
    assert rec.diagnosis.findings[0].code == "noisy-minority"
    assert type(rec.sampler) is expected
    assert "outliers" in rec.reasons[0]


def test_subgroups_get_kmeans_smote():
    """Check a minority made of three separate blobs is counted as three groups."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (2000, 2))]
                  + [rng.normal(c, 0.3, (70, 2)) for c in ([8, 0], [0, 8], [-8, 0])])
    y = np.r_[np.zeros(2000, int), np.ones(210, int)]
    rec = recommend(X, y, random_state=0)
    assert rec.diagnosis.subgroups[1] == 3
    assert type(rec.sampler) is KMeansSMOTE


def test_a_thin_strip_is_not_two_groups():
    """Check an elongated but single group is not reported as subgroups."""
    rng = np.random.default_rng(0)
    X = np.vstack([np.column_stack([rng.uniform(-1, 0, 2000), rng.uniform(0, 1, 2000)]),
                   np.column_stack([rng.uniform(0, 0.05, 200), rng.uniform(0, 1, 200)])])
    y = np.r_[np.zeros(2000, int), np.ones(200, int)]
    assert diagnose(X, y).subgroups[1] == 1


def test_categorical_columns_get_smotenc_or_smoten():
    """Check categorical dtypes and integer codes are found and lead to SMOTENC / SMOTEN."""
    X, y = _easy()
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": X[:, 0], "b": X[:, 1],
                       "colour": pd.Categorical(rng.choice(["red", "blue"], len(y))),
                       "code": rng.integers(0, 4, len(y))})
    rec = recommend(df, y, random_state=0)
    assert rec.diagnosis.categorical_columns == ["colour"]
    assert rec.diagnosis.code_like_columns == ["code"]
    assert type(rec.sampler) is SMOTENC
    assert rec.sampler.categorical_features == ["colour", "code"]
    rec.sampler.fit_resample(df, y)  # the configuration runs
    cats = df[["colour"]].assign(code=df["code"].astype(str))
    rec = recommend(cats, y, random_state=0)
    assert type(rec.sampler) is SMOTEN
    assert rec.diagnosis.difficulty == {}  # no numeric column to measure distances on


def test_high_dimensional_data_say_reduce_first():
    """Check many features with few minority samples per feature are flagged."""
    X, y = _easy(n_min=60, d=100)
    rec = recommend(X, y, random_state=0)
    codes = [f.code for f in rec.diagnosis.findings]
    assert "high-dimensional" in codes and "few-samples-per-feature" in codes
    assert any("Reduce the dimension" in b for b in rec.before)
    assert rec.diagnosis.samples_per_feature[1] == pytest.approx(0.6)


def test_tiny_classes_adjust_k_or_duplicate():
    """Check k_neighbors shrinks to the smallest class, and one sample means duplication."""
    X, y = _easy()
    y = y.copy()
    y[y == 1] = 0
    y[:3] = 1
    rec = recommend(X, y)
    assert rec.diagnosis.findings[0].code == "too-few-samples"
    smote = getattr(rec.sampler, "smote", rec.sampler)
    assert getattr(smote, "k_neighbors", getattr(smote, "n_neighbors", None)) == 2
    y[1:3] = 0
    assert type(recommend(X, y).sampler) is RandomOverSampler


def test_balanced_data_say_so():
    """Check nearly balanced classes get the 'balanced' finding."""
    X, y = _easy(n_min=1800)
    assert diagnose(X, y).findings[0].code == "balanced"


def _made(difficulty, subgroups=1):
    return Diagnosis(
        n_samples=1100, n_features=4, classes=[0, 1], counts={0: 1000, 1: 100},
        imbalance_ratio={0: 1.0, 1: 10.0}, samples_per_feature={0: 250.0, 1: 25.0},
        difficulty={0: {"safe": 1.0, "borderline": 0.0, "rare": 0.0, "outlier": 0.0},
                    1: difficulty},
        subgroups={1: subgroups}, categorical_columns=[], code_like_columns=[], n_neighbors=5)


@pytest.mark.parametrize(("difficulty", "expected", "finding"), [
    ({"safe": 0.5, "borderline": 0.4, "rare": 0.05, "outlier": 0.05}, BorderlineSMOTE, "overlap"),
    ({"safe": 0.7, "borderline": 0.15, "rare": 0.1, "outlier": 0.05}, ADASYN,
     "varying-difficulty"),
])
def test_overlap_and_varying_difficulty_branches(difficulty, expected, finding):
    """Check the guide's boundary and difficulty branches on given diagnoses."""
    from smotelab.diagnostics._diagnose import _findings

    diag = _made(difficulty)
    diag.findings = _findings(diag)
    assert diag.has(finding)
    X, y = _easy()
    assert type(recommend(X, y, diagnosis=diag).sampler) is expected


def test_report_views():
    """Check the text, dict and DataFrame views carry the same numbers."""
    X, y = _noisy(60)
    d = diagnose(pd.DataFrame(X, columns=["u", "v", "w"]), pd.Series(np.where(y, "rare", "common")))
    text = str(d)
    assert "rare" in text and "[noisy-minority]" in text and "do:" in text
    as_dict = d.to_dict()
    assert as_dict["counts"] == {"common": 1800, "rare": 200}
    assert as_dict["findings"][0]["code"] == "noisy-minority"
    frame = d.to_frame()
    assert frame.loc["rare", "outlier"] == pytest.approx(d.noise("rare"))
    assert str(recommend(X, y, diagnosis=d)).startswith("Recommended: SMOTEENN")


def test_bad_input_is_refused():
    """Check the usual input errors (one class, NaN)."""
    X, y = _easy()
    with pytest.raises(DataValidationError, match="single class"):
        diagnose(X, np.zeros(len(y)))
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with pytest.raises(DataValidationError, match="NaN"):
        diagnose(Xn, y)


# -- compare ------------------------------------------------------------------------------

def test_compare_never_lets_a_sampler_see_test_rows():
    """Check each sampler resamples only the training part of each fold."""
    from sklearn.model_selection import StratifiedKFold

    from smotelab import FunctionSampler
    from smotelab.diagnostics import compare

    X, y = _easy(n_min=60)
    X = np.column_stack([X, np.arange(len(y))])  # last column: row id
    seen = []

    def record(X_, y_):
        seen.append(set(X_[:, -1].astype(int).tolist()))
        return X_, y_

    cv = StratifiedKFold(4, shuffle=True, random_state=1)
    table = compare(X, y, samplers={"spy": FunctionSampler(func=record)}, cv=cv,
                    scoring="balanced_accuracy", progress=False)
    assert table["error"].eq("").all()
    folds = list(cv.split(X, y))
    assert len(seen) == len(folds)
    for ids, (train, test) in zip(seen, folds, strict=True):
        assert ids == set(train.tolist()) and not ids & set(test.tolist())


def test_compare_reports_failures_and_goes_on():
    """Check a sampler that cannot run is reported with its reason; others still run."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from smotelab.diagnostics import compare

    X, y = _easy(n_min=30)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    table = compare(X, y, samplers=[None, SMOTE(k_neighbors=50, random_state=0),
                                    SMOTE(random_state=0)],
                    estimator=LogisticRegression(), cv=cv, scoring=["balanced_accuracy"],
                    progress=False)
    assert table["sampler"].tolist() == ["no resampling", "SMOTE", "SMOTE (2)"]
    failed = table.iloc[1]
    assert "NotEnoughSamplesError" in failed["error"] and np.isnan(failed["mean"])
    assert table.iloc[2]["error"] == "" and table.iloc[2]["n_folds"] == 3
    # the baseline row is plain cross-validation on the same folds
    plain = cross_val_score(LogisticRegression(), X, y, cv=cv, scoring="balanced_accuracy")
    assert table.iloc[0]["mean"] == pytest.approx(plain.mean())


def test_compare_scoring_forms():
    """Check scoring as a name, a dict with callables, and the G-mean shortcut."""
    from sklearn.metrics import make_scorer, recall_score

    from smotelab.diagnostics import compare

    X, y = _easy(n_min=60)
    t = compare(X, y, samplers=[SMOTE(random_state=0)], cv=3, progress=False,
                scoring={"rec": make_scorer(recall_score), "g": "geometric_mean"})
    assert t["metric"].tolist() == ["rec", "g"]
    assert ((t["mean"] > 0.5) & (t["mean"] <= 1)).all() and (t["fit_time"] > 0).all()


def test_recommend_says_what_resampling_costs_with_the_benchmark_figures():
    """Check the calibration caveat is printed and that its figures are the ones in
    benchmarks/RESULTS-quality.md (Brier score and balanced accuracy tables)."""
    import re
    from pathlib import Path

    from smotelab.diagnostics._recommend import CALIBRATION

    rec = recommend(*make_dragons(), random_state=0)
    assert rec.caveats == [CALIBRATION] and "Keep in mind:" in str(rec)
    text = (Path(__file__).resolve().parents[1] / "benchmarks" / "RESULTS-quality.md").read_text()

    def mean(section, method):
        block = text.split(f"### {section}", 1)[1].split("###", 1)[0]
        return re.search(rf"^\| {re.escape(method)} \| ([0-9.]+) \|", block, re.M).group(1)

    brier = {m: mean("Brier score", m) for m in ("none", "threshold", "SMOTE", "SMOTEENN")}
    bacc = {m: mean("balanced accuracy", m) for m in ("SMOTE", "threshold", "class_weight")}
    assert (f"from {brier['none']} to {brier['SMOTE']} (SMOTE-ENN {brier['SMOTEENN']})"
            in CALIBRATION)
    assert f"kept {brier['threshold']}" in CALIBRATION
    assert (f"({bacc['threshold']} against SMOTE's {bacc['SMOTE']}; class weights "
            f"{bacc['class_weight']})" in CALIBRATION)
