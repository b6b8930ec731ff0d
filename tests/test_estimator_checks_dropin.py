"""smotelab.utils.estimator_checks.parametrize_with_checks: imbalanced-learn's decorator.

A third-party sampler written against imbalanced-learn's base class, whose suite used
``imblearn.utils.estimator_checks.parametrize_with_checks``, switches the import and
keeps passing; the decorator adds smotelab's common sampler checks to scikit-learn's.
"""

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from smotelab.base import BaseSampler
from smotelab.ensemble import BalancedRandomForestClassifier
from smotelab.utils.estimator_checks import parametrize_with_checks, sampler_checks


class FirstOfEachClass(BaseSampler):
    """Keep the first rows of every class the plan shrinks (deterministic)."""

    _sampling_type = "under-sampling"

    def _fit_resample(self, X, y):
        keep = []
        for label in np.unique(y):
            rows = np.flatnonzero(y == label)
            keep.append(rows[: self.sampling_strategy_.get(label, len(rows))])
        self.sample_indices_ = np.sort(np.concatenate(keep))
        return X[self.sample_indices_], y[self.sample_indices_]


ESTIMATORS = [FirstOfEachClass(), DecisionTreeClassifier(),
              BalancedRandomForestClassifier(n_estimators=3, random_state=0)]


def _expected(estimator):
    if isinstance(estimator, BalancedRandomForestClassifier):
        return {"check_sample_weight_equivalence_on_dense_data": "draws by class counts",
                "check_sample_weight_equivalence_on_sparse_data": "draws by class counts"}
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected)
def test_third_party_suite(estimator, check):
    """Check the decorator's (estimator, check) pairs pass, as a user's suite runs them."""
    check(estimator)


def test_samplers_get_the_common_sampler_checks_too():
    """Check a sampler gets scikit-learn's checks and ours; a classifier only scikit-learn's."""
    mark = parametrize_with_checks(ESTIMATORS)
    names = {}
    for case in mark.args[1]:
        est, check = case.values if hasattr(case, "values") else case
        names.setdefault(type(est).__name__, set()).add(
            getattr(check, "func", check).__name__)
    ours = {c.__name__ for c in sampler_checks(FirstOfEachClass())}
    assert ours <= names["FirstOfEachClass"]
    assert "check_estimators_dtypes" in names["FirstOfEachClass"]
    assert not ours & names["DecisionTreeClassifier"]
    with pytest.raises(TypeError, match="instance"):
        parametrize_with_checks([DecisionTreeClassifier])
