"""Layering: the core never imports a face, an engine or an optional dependency."""

import subprocess
import sys

CORE = [
    "smotelab",
    "smotelab.base",
    "smotelab.over_sampling",
    "smotelab.pipeline",
    "smotelab.neighbors",
    "smotelab.utils.estimator_checks",
]
FORBIDDEN = ["matplotlib", "dask", "distributed", "faiss", "pandas", "polars",
             "smotelab.cli", "smotelab.plotting", "smotelab.diagnostics", "smotelab.dask",
             "imblearn"]


def test_core_imports_no_optional_dependency():
    """Check, in a fresh interpreter, that importing the core loads none of the forbidden modules."""
    # scikit-learn itself imports pandas when it is installed; only what smotelab adds counts.
    code = (
        "import sys\n"
        "import sklearn.base, sklearn.pipeline, sklearn.neighbors, narwhals.stable.v2\n"
        "before = set(sys.modules)\n"
        + "".join(f"import {m}\n" for m in CORE)
        + f"bad = [m for m in {FORBIDDEN!r} if m in set(sys.modules) - before]\n"
        + "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
