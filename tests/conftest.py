import numpy as np
import pytest


@pytest.fixture
def imbalanced():
    """A three-class imbalanced data set (60/25/12 samples, 4 features)."""
    from smotelab.utils.estimator_checks import _data

    return _data()


@pytest.fixture(params=[0, 1, 42])
def seed(request):
    """A few seeds for statistical tests."""
    return request.param


def pytest_configure(config):
    np.set_printoptions(legacy=False)
