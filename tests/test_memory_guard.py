"""An output that cannot fit is refused before anything large is allocated."""

import time

import numpy as np
import pytest
from sklearn.datasets import make_classification

import smotelab.utils._memory as memory
from smotelab.exceptions import MemoryLimitError
from smotelab.over_sampling import ADASYN, SMOTE, SMOTENC, RandomOverSampler
from smotelab.utils._memory import fmt_bytes


@pytest.fixture
def data():
    return make_classification(n_samples=200, n_features=5, weights=[0.9], random_state=0)


@pytest.mark.parametrize("make", [SMOTE, ADASYN, RandomOverSampler,
                                  lambda **kw: SMOTENC(categorical_features=[0], **kw)],
                         ids=["smote", "adasyn", "ros", "smotenc"])
def test_a_trillion_rows_is_refused_at_once(make, data):
    """Check the issue's example: a clear ValueError, in well under a second."""
    X, y = data
    X[:, 0] = np.floor(X[:, 0])
    start = time.perf_counter()
    with pytest.raises(MemoryLimitError, match=r"asks for 999,999,999,\d+ new rows.*TiB.*"
                                               r"memory is available.*float32.*Dask"):
        make(sampling_strategy={1: 10**12}).fit_resample(X, y)
    assert time.perf_counter() - start < 1.0
    assert issubclass(MemoryLimitError, ValueError)


def test_the_estimate_and_its_limit(monkeypatch, data):
    """Check the bytes counted (float32 half of float64) against the memory available."""
    X, y = data
    monkeypatch.setattr(memory, "available_memory", lambda: 10**6)
    need64 = memory.check_output_memory("S", 1000, 2000, 10, 8)
    assert need64 == 3000 * 10 * 8 + 2000 * memory._PER_NEW_ROW
    with pytest.raises(MemoryLimitError, match=r"3,000 rows x 10 columns of 64-bit"):
        memory.check_output_memory("S", 1000, 12000, 10, 8)
    SMOTE(sampling_strategy={1: 1000}).fit_resample(X, y)  # 1,200 x 5 fits in 1 MB
    with pytest.raises(MemoryLimitError, match="SMOTE: sampling_strategy asks for"):
        SMOTE(sampling_strategy={1: 30000}).fit_resample(X, y)
    monkeypatch.setattr(memory, "available_memory", lambda: None)  # unknown: no check
    SMOTE(sampling_strategy={1: 30000}).fit_resample(X, y)
    assert fmt_bytes(512) == "512 B" and fmt_bytes(3 * 2**40) == "3.0 TiB"


def test_estimate_bounds_the_neighbour_searches():
    """Check the estimate's search work: none for random selection, within-class for
    SMOTE, queries against all rows for Borderline-SMOTE and cleaners, the over-sampled
    rows for a combination; and the dry run prints it."""
    import numpy as np

    from smotelab.combine import SMOTEENN
    from smotelab.over_sampling import SMOTE, BorderlineSMOTE
    from smotelab.under_sampling import EditedNearestNeighbours, RandomUnderSampler
    from smotelab.utils import estimate_resampling

    X, y = np.zeros((1000, 4)), np.array([0] * 900 + [1] * 100)
    work = {type(s).__name__: estimate_resampling(s, X, y).pair_features
            for s in (RandomUnderSampler(), SMOTE(), BorderlineSMOTE(),
                      EditedNearestNeighbours(), SMOTEENN())}
    assert work["RandomUnderSampler"] == 0
    assert work["SMOTE"] == 100 * 100 * 4
    assert work["BorderlineSMOTE"] == (100 * 100 + 100 * 1000) * 4
    assert work["EditedNearestNeighbours"] == 900 * 1000 * 4  # 'auto': all but the minority
    assert work["SMOTEENN"] > 1800 * 1800 * 4
    assert "neighbour searches: at most" in str(estimate_resampling(SMOTEENN(), X, y))


def test_neighbour_tables_that_cannot_fit_are_refused_first(monkeypatch):
    """Check a neighbour table beyond the memory available is refused before the search
    allocates it, for the search and for a cleaner that runs it."""
    import numpy as np

    from smotelab.neighbors import exact_kneighbors
    from smotelab.under_sampling import EditedNearestNeighbours

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(2000, 3)), np.array([0] * 1500 + [1] * 500)
    monkeypatch.setattr(memory, "available_memory", lambda: 10_000)
    with pytest.raises(MemoryLimitError, match=r"nearest rows of each of 2,000 rows.*fewer"):
        exact_kneighbors(X, 5)
    with pytest.raises(MemoryLimitError, match="n_neighbors"):
        EditedNearestNeighbours(n_neighbors=50).fit_resample(X, y)
