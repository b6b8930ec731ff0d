"""Concurrent fit_resample calls on shared data, from several threads, give serial results.

One sampler per family, with n_jobs unset and set: the searches' thread caps (a context
variable per fit) and the BLAS limit (a process-wide count) must not leak between fits.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification

from smotelab.combine import SMOTEENN
from smotelab.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)
from smotelab.under_sampling import (
    ClusterCentroids,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    NearMiss,
    RandomUnderSampler,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)

FAMILIES = [
    SMOTE(random_state=0), BorderlineSMOTE(random_state=0), ADASYN(random_state=0),
    SVMSMOTE(random_state=0), KMeansSMOTE(random_state=0, kmeans_estimator=2),
    RandomOverSampler(random_state=0), SMOTENC(categorical_features=[0], random_state=0),
    RandomUnderSampler(random_state=0), TomekLinks(), EditedNearestNeighbours(),
    RepeatedEditedNearestNeighbours(), NearMiss(), ClusterCentroids(random_state=0),
    CondensedNearestNeighbour(random_state=0), SMOTEENN(random_state=0),
]


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=1500, n_features=8, n_informative=5,
                               weights=[0.8, 0.2], random_state=0)
    X.setflags(write=False)  # shared: nobody may write into it
    return X, y


@pytest.mark.parametrize("n_jobs", [None, 2])
@pytest.mark.parametrize("sampler", FAMILIES, ids=lambda s: type(s).__name__)
def test_concurrent_fits_equal_serial_ones(sampler, n_jobs, data):
    """Check four simultaneous fits of clones equal one serial fit, exactly."""
    X, y = data
    if isinstance(sampler, SMOTENC):  # its categorical column: codes
        X = X.copy()
        X[:, 0] = np.round(np.abs(X[:, 0]) * 2)
        X.setflags(write=False)
    if n_jobs is not None and "n_jobs" in sampler.get_params():
        sampler = clone(sampler).set_params(n_jobs=n_jobs)
    X_ref, y_ref = clone(sampler).fit_resample(X, y)
    start = threading.Barrier(4)

    def fit(_):
        s = clone(sampler)
        start.wait()  # all four at once
        return s.fit_resample(X, y)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(fit, range(4)))
    for X_res, y_res in results:
        np.testing.assert_array_equal(X_res, X_ref)
        np.testing.assert_array_equal(y_res, y_ref)
