"""Reference values from smogn and ImbalancedLearningRegression (UBL's Python port),
printed as JSON; run in the separate environment `make ref-env` creates (they need
numpy < 2.4 and pandas < 3), and compared by tests/test_regression_reference.py.

Usage: .venv-ref/bin/python tests/reference/regression_reference.py
"""

import json
import sys
import warnings

import numpy as np
import pandas as pd


def cases():
    """The targets both sides compute on (features: two columns of noise and one that
    follows the target)."""
    rng = np.random.default_rng(11)
    out = {
        "lognormal-300": np.exp(rng.normal(size=300)),
        "student-t-400": rng.standard_t(3, size=400),
        "low-tail-250": -np.exp(rng.normal(size=250)),
        "ties-200": np.round(np.exp(rng.normal(size=200)), 1),
    }
    return {k: v.astype(float) for k, v in out.items()}


def main():
    import ImbalancedLearningRegression as iblr
    import smogn

    result = {}
    for name, y in cases().items():
        s = np.sort(y)
        phi_smogn = smogn.phi(pd.Series(s), smogn.phi_ctrl_pts(pd.Series(s)))
        phi_irl = iblr.phi(pd.Series(s), iblr.phi_ctrl_pts(pd.Series(s)))
        rng = np.random.default_rng(0)
        frame = pd.DataFrame({"a": rng.normal(size=len(y)), "b": rng.normal(size=len(y)),
                              "c": y + 0.1 * rng.normal(size=len(y)), "y": y})
        sizes = {}
        for method in ("balance", "extreme"):
            np.random.seed(0)  # noqa: NPY002  (the reference draws from the global state)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    out = iblr.smote(frame, "y", samp_method=method)
                    sizes[method] = int(len(out))
                except Exception as exc:  # recorded: the comparison skips the case
                    sizes[method] = f"error: {type(exc).__name__}: {exc}"
        result[name] = {"y": y.tolist(), "phi_smogn": [float(v) for v in phi_smogn],
                        "phi_irl": [float(v) for v in phi_irl], "irl_smote_rows": sizes}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
