import numpy as np
import pytest


@pytest.fixture
def imbalanced():
    """A three-class imbalanced data set (60/25/12 samples, 4 features)."""
    from smotelab.utils.estimator_checks import _data

    return _data()


@pytest.fixture(scope="session")
def noisy():
    """Two classes that overlap, with label noise: every kind of minority sample occurs
    (safe, in danger, noise)."""
    from sklearn.datasets import make_classification

    return make_classification(n_samples=1500, n_features=5, n_informative=3,
                               n_redundant=0, weights=[0.9], flip_y=0.06, class_sep=0.8,
                               random_state=3)


@pytest.fixture(params=[0, 1, 42])
def seed(request):
    """A few seeds for statistical tests."""
    return request.param


def pytest_configure(config):
    np.set_printoptions(legacy=False)
