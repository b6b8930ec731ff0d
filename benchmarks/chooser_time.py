"""How long the choosers take: AutoSampler and ImbalanceSearchCV at 10k and 100k rows.

Usage: python benchmarks/chooser_time.py [--sizes 10000,100000] [--repeats 3]
                                         [--big-repeats 1]

Data: ``make_classification`` with 20 features (10 informative), 5 % minority,
standardised. Each fit is its own process (peak memory measured from a fresh
interpreter), the median over the repeats is reported (``--big-repeats`` fits from 100k
rows up, where one fit takes minutes). Writes
``benchmarks/RESULTS-chooser-time.md``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

CASES = {
    "AutoSampler()": "AutoSampler(random_state=0)",
    "AutoSampler(estimator=LogisticRegression())":
        "AutoSampler(estimator=LogisticRegression(max_iter=2000), random_state=0)",
    "ImbalanceSearchCV(LogisticRegression())":
        "ImbalanceSearchCV(LogisticRegression(max_iter=2000), random_state=0)",
}

CHILD = """
import json, resource, sys, time
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from smotelab.model_selection import AutoSampler, ImbalanceSearchCV
n = int(sys.argv[1])
X, y = make_classification(n_samples=n, n_features=20, n_informative=10, weights=[0.95],
                           random_state=0)
X = StandardScaler().fit_transform(X)
model = {expr}
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
if hasattr(model, "fit_resample"):
    model.fit_resample(X, y)
    chosen = str(model.cv_results_["name"][model.best_index_])
else:
    model.fit(X, y)
    chosen = model.best_method_
seconds = time.perf_counter() - t0
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak, "chosen": chosen}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big-repeats", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from run import _versions

    lines = ["# How long the choosers take", "",
             f"Written by `python benchmarks/chooser_time.py {' '.join(sys.argv[1:])}`. "
             f"Machine: {_versions()}.", "",
             "Data: `make_classification`, 20 features, 5 % minority, standardised. Median "
             "of the fits (each in its own process); peak: resident memory added during "
             "the fit.", "",
             "| rows | chooser | seconds | peak MB | fits | chosen |",
             "|---:|---|---:|---:|---:|---|"]
    for n in (int(s) for s in args.sizes.split(",")):
        for label, expr in CASES.items():
            runs = []
            repeats = args.big_repeats if n >= 100_000 else args.repeats
            for _ in range(repeats):
                out = subprocess.run([sys.executable, "-c", CHILD.format(expr=expr), str(n)],
                                     capture_output=True, text=True, check=True)
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            sec = float(np.median([r["seconds"] for r in runs]))
            peak = float(np.median([r["peak_mb"] for r in runs]))
            lines.append(f"| {n:,} | `{label}` | {sec:.1f} | {peak:.0f} | {repeats} | "
                         f"{runs[0]['chosen']} |")
            print(lines[-1], flush=True)
    (HERE / "RESULTS-chooser-time.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
