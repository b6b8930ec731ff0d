"""SMOTER against smogn.smoter and ImbalancedLearningRegression.smote, same data, same
run; writes benchmarks/RESULTS-regression-speed.md.

Usage: python benchmarks/regression_speed.py [--repeats N] [--rows N]

The references need numpy < 2.4 and pandas < 3: they run in the environment `make
ref-env` creates (``.venv-ref``), smotelab in this one; every measurement is a fresh
process, the three alternate within each repeat, and the table reports medians. Data:
``rows`` x 10 standard normal features and ``y = exp(0.8 (x0 + 0.5 e))``, whose
box-plot extremes make ~17 % of the rows rare (relevance >= 0.5); all three use the
automatic relevance with midpoint quartiles, threshold 0.5, 'balance', k = 5. Then
smotelab alone at 1M x 20. Peak memory is the resident set added by the call.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REF_PY = ROOT / ".venv-ref" / "bin" / "python"

_RUN = r'''
import json, sys, time
import numpy as np
sys.path.insert(0, {bench!r})
from _one import _reset_peak, _status_kb
data = np.load({path!r}); X, y = data["X"], data["y"]
lib = {lib!r}
if lib == "smotelab":
    from smotelab.regression import SMOTER, ExtremesRelevance
    est = SMOTER(relevance=ExtremesRelevance(hinges="quantiles"), random_state=0)
    call = lambda: est.fit_resample(X, y)
else:
    import pandas as pd
    frame = pd.DataFrame(X, columns=[f"x{{j}}" for j in range(X.shape[1])]).assign(y=y)
    if lib == "smogn":
        import smogn
        call = lambda: smogn.smoter(data=frame, y="y", k=5, samp_method="balance")
    else:
        import ImbalancedLearningRegression as iblr
        call = lambda: iblr.smote(frame, "y", k=5, samp_method="balance")
import io, contextlib
reset = _reset_peak(); rss0 = _status_kb("VmRSS")
err = io.StringIO()
with contextlib.redirect_stderr(err):
    t0 = time.perf_counter(); out = call(); elapsed = time.perf_counter() - t0
peak = (_status_kb("VmHWM") - rss0) / 1024 if reset else None
rows = len(out[1]) if isinstance(out, tuple) else len(out)
print(json.dumps({{"seconds": elapsed, "peak_mb": peak, "rows": rows}}))
'''


def _data(rows: int, d: int) -> Path:
    path = HERE / "_raw" / f"regression-{rows}-{d}.npz"
    if not path.exists():
        rng = np.random.default_rng(0)
        X = rng.normal(size=(rows, d))
        y = np.exp(0.8 * (X[:, 0] + 0.5 * rng.normal(size=rows)))
        path.parent.mkdir(exist_ok=True)
        np.savez(path, X=X, y=y)
    return path


def _one(lib: str, path: Path) -> dict:
    python = sys.executable if lib == "smotelab" else str(REF_PY)
    code = _RUN.format(bench=str(HERE), path=str(path), lib=lib)
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tempfile.gettempdir(),
                         env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    if not REF_PY.exists():
        sys.exit("no .venv-ref: run `make ref-env` first")
    libs = ["smotelab", "smogn", "ImbalancedLearningRegression"]
    path = _data(args.rows, 10)
    got: dict[str, list[dict]] = {lib: [] for lib in libs}
    for r in range(args.repeats):
        for lib in libs[r % 3:] + libs[: r % 3]:
            got[lib].append(_one(lib, path))
            print(lib, got[lib][-1], flush=True)
    big = [_one("smotelab", _data(1_000_000, 20)) for _ in range(args.repeats)]
    print("1M", big, flush=True)
    med = {lib: statistics.median(m["seconds"] for m in ms) for lib, ms in got.items()}
    peak = {lib: statistics.median(m["peak_mb"] or float("nan") for m in ms)
            for lib, ms in got.items()}
    rare = float(np.mean(_rare(path)))
    lines = [
        "# SMOTER against smogn and ImbalancedLearningRegression",
        "",
        f"`python benchmarks/regression_speed.py --repeats {args.repeats} --rows "
        f"{args.rows}` on {date.today()}, {platform.machine()} with {os.cpu_count()} cores "
        f"(shared): smotelab in this environment (numpy {np.__version__}), the references "
        "in `.venv-ref` (numpy < 2.4, pandas < 3). Fresh process per measurement, the "
        f"three alternating; medians of {args.repeats}. Data: {args.rows:,} x 10, "
        f"{rare:.0%} of the rows rare; automatic relevance (midpoint quartiles), "
        "threshold 0.5, 'balance', k = 5.",
        "",
        "| library | seconds (median) | smotelab faster by | peak MB | output rows |",
        "|---|---:|---:|---:|---:|",
    ]
    for lib in libs:
        lines.append(f"| {lib} | {med[lib]:.3f} | {med[lib] / med['smotelab']:,.0f}x | "
                     f"{peak[lib]:.0f} | {got[lib][0]['rows']:,} |")
    lines += ["", "Output rows differ by design: smotelab follows UBL's SmoteRegress and shrinks "
              "the normal bump to n / n_bumps rows as it grows the rare one; smogn "
              "under-samples by its own rule; ImbalancedLearningRegression keeps every "
              "normal row. The synthetic rows per bump are the same in smotelab and "
              "ImbalancedLearningRegression (tests/test_regression_reference.py)."]
    secs = statistics.median(m["seconds"] for m in big)
    mb = statistics.median(m["peak_mb"] or float("nan") for m in big)
    lines += ["", f"smotelab alone at 1,000,000 x 20 (same generator): {secs:.1f} s "
              f"(median of {args.repeats}), {mb:.0f} MB peak added, {big[0]['rows']:,} rows "
              "out. The references are not run there: their neighbour search is a Python "
              "loop over pairs of rare rows."]
    (HERE / "RESULTS-regression-speed.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _rare(path: Path) -> np.ndarray:
    from smotelab.regression import ExtremesRelevance

    y = np.load(path)["y"]
    return ExtremesRelevance(hinges="quantiles").fit(y)(y) >= 0.5


if __name__ == "__main__":
    main()
