"""imbalanced-learn's and scikit-learn's own estimator checks, over every smotelab sampler.

imbalanced-learn is a test dependency only. A check listed in ``EXPECTED_FAILURES`` must
still fail (so the list cannot go stale); each entry says why it is a deliberate
difference.
"""

import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks as imblearn_checks
from sklearn.utils.estimator_checks import parametrize_with_checks as sklearn_checks

from smotelab.over_sampling import SMOTENC
from smotelab.under_sampling import ClusterCentroids
from smotelab.utils.discovery import all_samplers
from tests.test_common import INIT_PARAMS

# The checks' data decide the configuration: their sparse and dense runs must agree, so
# ClusterCentroids votes the same way on both ('auto' votes 'hard' for sparse input, as
# in imbalanced-learn); SMOTENC needs a categorical column that every check's data have.
_CONFIGURED = {
    "ClusterCentroids": ClusterCentroids(random_state=0, voting="soft"),
    "SMOTENC": SMOTENC(categorical_features=[0], random_state=0),
}
SAMPLERS = [_CONFIGURED.get(name) or cls(**INIT_PARAMS[name][0])
            for name, cls in all_samplers()]

EXPECTED_FAILURES = {
    # One string column: all columns categorical, which SMOTE-NC cannot interpolate
    # (imbalanced-learn's SMOTENC refuses it too, and its own suite skips SMOTENC here).
    ("SMOTENC", "check_samplers_string"),
}


def _listed(mark):
    """The parametrize mark with its (estimator, check) pairs as a list (pytest 9 wants a
    collection; imbalanced-learn hands it a generator)."""
    names, values = mark.args
    return pytest.mark.parametrize(names, list(values), **mark.kwargs)


def _run(estimator, check):
    name = getattr(check, "func", check).__name__
    if (type(estimator).__name__, name) in EXPECTED_FAILURES:
        with pytest.raises(Exception):  # noqa: B017 - any failure: the check's own
            check(estimator)
    else:
        check(estimator)


@_listed(imblearn_checks(SAMPLERS))
def test_imbalanced_learn_checks(estimator, check):
    """Check imbalanced-learn's sampler checks (lists, pandas, sparse, tags...)."""
    _run(estimator, check)


@_listed(sklearn_checks(SAMPLERS))
def test_scikit_learn_checks(estimator, check):
    """Check scikit-learn's estimator checks that apply to a sampler."""
    _run(estimator, check)
