"""`smotelab demo`, the bundled data and make_imbalance."""

import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from smotelab.cli import main
from smotelab.datasets import make_dragons, make_imbalance


def test_dragons_are_deterministic_and_rare():
    """Check that the bundled data is the same every time and dragons are about 1 %."""
    X1, y1 = make_dragons()
    X2, y2 = make_dragons()
    np.testing.assert_array_equal(X1, X2)
    counts = Counter(y1.tolist())
    assert counts == {"sheep": 2400, "cow": 1600, "horse": 900, "dragon": 48}


def test_demo_prints_counts_and_the_table(capsys):
    """Check the demo in-process: class counts before/after and one row per method."""
    assert main(["demo", "--folds", "3"]) == 0
    out = capsys.readouterr().out
    assert "dragon" in out and "after SMOTE" in out
    for method in ("no resampling", "RandomOverSampler", "SMOTE", "BorderlineSMOTE", "ADASYN",
                   "SVMSMOTE", "KMeansSMOTE"):
        assert method in out
    assert "G-mean" in out and "recall (dragon)" in out


def test_cli_as_a_subprocess_reports_errors_in_one_line():
    """Check the installed entry point's help and a one-line error with exit code != 0."""
    ok = subprocess.run([sys.executable, "-m", "smotelab.cli", "demo", "--help"],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and "cross-validated" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "smotelab.cli", "demo", "--folds", "1"],
                         capture_output=True, text=True)
    assert bad.returncode == 2  # a usage error: click's message, no traceback
    assert "Invalid value for '--folds'" in bad.stderr and "Traceback" not in bad.stderr


def test_make_imbalance_keeps_the_requested_counts_in_order():
    """Check counts, original order and container type of make_imbalance."""
    X, y = make_dragons()
    Xi, yi = make_imbalance(X, y, sampling_strategy={"sheep": 100, "cow": 50},
                            random_state=0)
    counts = Counter(yi.tolist())
    assert counts["sheep"] == 100 and counts["cow"] == 50 and counts["dragon"] == 48
    rows = [np.flatnonzero((X == r).all(axis=1))[0] for r in Xi[:20]]
    assert rows == sorted(rows)
    with pytest.raises(ValueError, match="has only 48"):
        make_imbalance(X, y, sampling_strategy={"dragon": 60})
