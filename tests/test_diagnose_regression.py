"""diagnose() on a continuous target: relevance, bumps and what to do."""

import numpy as np
import pytest

from smotelab.diagnostics import RegressionDiagnosis, diagnose, diagnose_regression
from smotelab.exceptions import DataValidationError


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 3))
    return X, np.exp(rng.normal(size=600))


def test_a_continuous_target_gets_a_regression_diagnosis(data):
    """Check the bumps match the samplers', the rare share, and the findings' numbers."""
    from smotelab.regression import SMOTER

    X, y = data
    report = diagnose(X, y)
    assert isinstance(report, RegressionDiagnosis)
    s = SMOTER(random_state=0).fit(X, y)
    assert [b["rows"] for b in report.bumps] == [len(b) for b in s.bumps_]
    assert [b["rare"] for b in report.bumps] == s.rare_bumps_.tolist()
    phi = s.relevance_(y)
    assert report.rare_share == pytest.approx(np.mean(phi >= 0.5))
    assert report.has("rare-upper-tail") and not report.has("rare-lower-tail")
    text = str(report)
    assert "RARE" in text and "sera" in text
    assert report.to_dict()["n_samples"] == 600


def test_the_problems_say_what_to_do(data):
    """Check a target with no outlier, one bump, small rare bumps and a bad target."""
    X, y = data
    flat = diagnose(X, np.linspace(0.0, 1.0, len(y)))
    assert flat.has("no-rare-values") and "ControlPointsRelevance" in flat.findings[0].action
    one = diagnose_regression(X, y, threshold=0.0)
    assert one.has("one-bump")
    y2 = np.r_[np.random.default_rng(1).normal(size=599), 40.0]
    small = diagnose_regression(X, y2, relevance=[[0, 0], [30, 0], [39, 1]])
    assert small.has("small-rare-bump") and small.has("very-few-rare")
    with pytest.raises(DataValidationError, match="NaN"):
        diagnose(X, np.r_[y[:-1], np.nan])
    with pytest.raises(DataValidationError, match="rows"):
        diagnose(X[:10], y)


def test_class_labels_still_get_the_classification_diagnosis():
    """Check integer and string labels keep the class diagnosis."""
    from smotelab.datasets import make_dragons
    from smotelab.diagnostics import Diagnosis

    assert isinstance(diagnose(*make_dragons()), Diagnosis)
