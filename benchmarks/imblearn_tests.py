"""Run imbalanced-learn's own test files against smotelab, as a migrating user would.

Usage: python benchmarks/imblearn_tests.py [--keep DIR]

The installed imbalanced-learn's sampler, ensemble, pipeline, metrics, dataset,
model-selection, batch-generator and validation test files are
copied to a scratch folder with ``imblearn`` imports switched to ``smotelab`` (its test
helpers, ``imblearn.utils.testing`` and private ``imblearn.utils._*`` modules, stay
imbalanced-learn's), run with pytest, and counted. Nothing is copied into the project.
Failures that are deliberate differences (own random streams, rows in input order,
exact counts; see docs/differences.md) are expected: read them with ``--keep``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# which of imbalanced-learn's test folders/files measure what smotelab offers today
SELECTED = re.compile(r"(over_sampling|under_sampling|combine|ensemble|keras|tensorflow|"
                      r"model_selection)/.*test_|tests/test_pipeline|"
                      r"tests/test_base|metrics/tests/test_classification|"
                      r"metrics/tests/test_score_objects|metrics/tests/test_pairwise|"
                      r"datasets/tests/test_(imbalance|zenodo)|utils/tests/test_validation")
SWITCHES = [
    (r"\bfrom imblearn\b", "from smotelab"),
    (r"\bimport imblearn\b", "import smotelab"),
    (r"\bimblearn\.", "smotelab."),
    (r"from smotelab\.utils\.testing", "from imblearn.utils.testing"),
    (r"from smotelab\.utils\._(\w+)", r"from imblearn.utils._\1"),
    # imbalanced-learn's check functions are its test machinery, not the API under test
    (r"from smotelab\.utils\.estimator_checks", "from imblearn.utils.estimator_checks"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", default=None, help="copy the tests here and keep them")
    args = parser.parse_args()
    import imblearn

    root = Path(imblearn.__file__).parent
    dest = Path(args.keep or tempfile.mkdtemp(prefix="imblearn-tests-"))
    dest.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in root.rglob("test_*.py")
                   if SELECTED.search(p.relative_to(root).as_posix()))
    for path in files:
        text = path.read_text()
        for pattern, repl in SWITCHES:
            text = re.sub(pattern, repl, text)
        name = "test_" + path.relative_to(root).as_posix().replace("/", "__")
        (dest / name).write_text(text)
    (dest / "conftest.py").write_text("")
    import os

    env = {**os.environ, "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "jax")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore",
         "--rootdir", str(dest), str(dest)], capture_output=True, text=True, cwd=dest,
        env=env)
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr
    counts = {k: int(v) for v, k in re.findall(r"(\d+) (passed|failed|error)", summary)}
    total = sum(counts.values())
    share = counts.get("passed", 0) / total if total else 0.0
    print(f"imbalanced-learn {imblearn.__version__}: {len(files)} test files, {summary}")
    print(f"passing: {share:.1%}")
    if args.keep:
        print(f"tests kept in {dest}; rerun with: python -m pytest {dest} -W ignore")


if __name__ == "__main__":
    main()
