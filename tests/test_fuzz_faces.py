"""The faces against generated bad and extreme input: ``diagnose``, ``recommend`` (the
guide's rules, no search) and ``compare`` give a report, a sampler or a table, or a
clear error of smotelab's own (or scikit-learn's input check), never an error from
inside numpy or scipy."""

import os
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings

from tests.test_fuzz import tables
from tests.test_fuzz_surface import _clear

N_EXAMPLES = int(os.environ.get("SMOTELAB_FUZZ_EXAMPLES", "12"))
SETTINGS = settings(max_examples=N_EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(data=tables())
def test_diagnose_and_recommend_report_or_say_why(data):
    """Check diagnose gives counts that add up and findings with actions, and the
    guide's recommendation is a sampler that runs (or says why it cannot)."""
    from smotelab.diagnostics import diagnose, recommend

    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            report = diagnose(X, y)
        except (ValueError, TypeError) as err:
            _clear(err)
            return
        assert sum(report.counts.values()) == len(y)
        assert all(f.action and f.message for f in report.findings)
        assert str(report)
        try:
            rec = recommend(X, y, random_state=0, diagnosis=report)
        except (ValueError, TypeError) as err:
            _clear(err)
            return
        assert hasattr(rec.sampler, "fit_resample") and rec.reasons


@SETTINGS
@given(data=tables())
def test_compare_gives_a_table_or_says_why(data):
    """Check compare with two samplers and two folds: one row per sampler with finite
    or missing (never infinite) scores, or a clear error."""
    from smotelab.diagnostics import compare
    from smotelab.over_sampling import SMOTE

    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            table = compare(X, y, [None, SMOTE(k_neighbors=1, random_state=0)], cv=2,
                            progress=False)
        except (ValueError, TypeError) as err:
            _clear(err)
            return
    frame = table.to_frame() if hasattr(table, "to_frame") else table
    assert frame["sampler"].nunique() == 2
    values = np.asarray(frame.select_dtypes("number"), dtype=float)
    assert not np.isinf(values).any()
