"""smotelab's relevance and SMOTER's row counts against the reference packages (smogn and
ImbalancedLearningRegression, UBL's Python port), on their shared definitions.

They need numpy < 2.4 and pandas < 3, so they run in a separate environment: `make
ref-env` creates it (``SMOTELAB_REF_PYTHON`` may name another interpreter), and these
tests skip, saying so, where it is missing.
"""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from smotelab.regression import SMOTER, ExtremesRelevance

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "reference" / "regression_reference.py"


@pytest.fixture(scope="module")
def reference():
    python = os.environ.get("SMOTELAB_REF_PYTHON", str(ROOT / ".venv-ref" / "bin" / "python"))
    if not Path(python).exists():
        pytest.skip(f"no reference environment at {python}: run `make ref-env` (smogn and "
                    "ImbalancedLearningRegression need numpy<2.4, pandas<3)")
    out = subprocess.run([python, str(SCRIPT)], capture_output=True, text=True, check=True,
                         cwd=ROOT, timeout=600)
    return json.loads(out.stdout)


def test_relevance_equals_smogn_and_ubl_s_python_port(reference):
    """Check phi on every reference target: smogn's and ImbalancedLearningRegression's
    (their midpoint quartiles, UBL's control points and Hermite curve)."""
    for name, case in reference.items():
        y = np.sort(np.asarray(case["y"]))
        ours = ExtremesRelevance(hinges="quantiles").fit(y)(y)
        np.testing.assert_allclose(ours, case["phi_smogn"], atol=1e-12, err_msg=name)
        np.testing.assert_allclose(ours, case["phi_irl"], atol=1e-12, err_msg=name)


def test_smoter_makes_as_many_rows_per_bump_as_ubl_s_python_port(reference):
    """Check the bumps and the synthetic rows per bump ('balance' and 'extreme'): the
    port keeps shrunk bumps whole, so its output is the input plus the new rows."""
    compared = 0
    for name, case in reference.items():
        y = np.asarray(case["y"])
        X = np.column_stack([np.random.default_rng(0).normal(size=(len(y), 2)), y])
        for method, rows in case["irl_smote_rows"].items():
            if not isinstance(rows, int):  # the port's own failure (it reads unset
                continue                   # values: "synthetic data contains missing")
            compared += 1
            s = SMOTER(sampling_strategy=method, relevance=ExtremesRelevance(
                hinges="quantiles"), random_state=0)
            s.fit_resample(X, y)
            assert len(s.provenance_["parent"]) == rows - len(y), f"{name}/{method}"
    assert compared >= 6, reference

