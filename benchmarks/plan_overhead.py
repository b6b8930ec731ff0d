"""Does a change to the plan protocol cost time? The same samplers from two commits,
interleaved, in fresh processes; writes benchmarks/RESULTS-plan-overhead.md.

Usage: python benchmarks/plan_overhead.py BEFORE_REV [--repeats N]

The commit ``BEFORE_REV`` is checked out in a temporary git worktree (the compiled
neighbour kernel is copied from this checkout, whose sources it is built from) and each
measurement runs ``benchmarks/_one.py`` with that tree's or this tree's ``src`` first on
the path, the two alternating within every repeat. Medians of the repeats are reported,
with the ratio after / before.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RAW = HERE / "_raw"

# sampler, rows, minority share (x 20 float64 features of make_classification)
CASES = [
    ("SMOTE", 1_000_000, 0.05),
    ("BorderlineSMOTE", 1_000_000, 0.01),
    ("ADASYN", 1_000_000, 0.01),
    ("EditedNearestNeighbours", 100_000, 0.05),
]


def _data(rows: int, share: float) -> Path:
    path = RAW / f"plan-{rows}-{share}.npz"
    if not path.exists():
        from sklearn.datasets import make_classification

        X, y = make_classification(n_samples=rows, n_features=20, n_informative=10,
                                   weights=[1 - share], flip_y=0.01, random_state=0)
        RAW.mkdir(exist_ok=True)
        np.savez(path, X=X, y=y)
    return path


def _worktree(rev: str) -> Path:
    where = Path(tempfile.mkdtemp(prefix="smotelab-before-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), rev],
                   check=True, capture_output=True)
    for built in (ROOT / "src" / "smotelab" / "neighbors").glob("_fused_kernel*.so"):
        shutil.copy(built, where / "src" / "smotelab" / "neighbors")
    return where


def _one(src: Path, sampler: str, data: Path, seed: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src), "OMP_NUM_THREADS": os.environ.get(
        "OMP_NUM_THREADS", "2")}
    out = subprocess.run([sys.executable, str(HERE / "_one.py"), "smotelab", sampler,
                          str(data), str(seed)], env=env, capture_output=True, text=True,
                         check=True, cwd=tempfile.gettempdir())
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.before],
                         check=True, capture_output=True, text=True).stdout.strip()
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          check=True, capture_output=True, text=True).stdout.strip()
    tree = _worktree(rev)
    trees = {"before": tree / "src", "after": ROOT / "src"}
    rows = []
    try:
        for sampler, n, share in CASES:
            data = _data(n, share)
            got: dict[str, list[float]] = {"before": [], "after": []}
            peaks: dict[str, list[float]] = {"before": [], "after": []}
            for r in range(args.repeats):
                order = ("before", "after") if r % 2 == 0 else ("after", "before")
                for which in order:
                    m = _one(trees[which], sampler, data, r)
                    got[which].append(m["seconds"])
                    peaks[which].append(m["peak_mb"] or float("nan"))
            med = {k: statistics.median(v) for k, v in got.items()}
            rows.append((sampler, n, share, med["before"], med["after"],
                         statistics.median(peaks["before"]), statistics.median(peaks["after"]),
                         min(got["before"]), max(got["before"]), min(got["after"]),
                         max(got["after"])))
            print(rows[-1], flush=True)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                       check=False, capture_output=True)
    lines = [
        "# Plan protocol overhead: before and after, interleaved",
        "",
        f"`python benchmarks/plan_overhead.py {args.before} --repeats {args.repeats}` on "
        f"{date.today()}, {platform.machine()} with {os.cpu_count()} cores, Python "
        f"{platform.python_version()}: commit `{rev}` (before) against `{head}` (after). "
        "Every measurement is a fresh process; the two alternate within each repeat. "
        "Data: `make_classification`, 20 float64 features.",
        "",
        "| sampler | rows | minority | before s (median) | after s (median) | after / "
        "before | before range | after range | peak MB before | peak MB after |",
        "|---|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for s, n, share, b, a, pb, pa, bl, bh, al, ah in rows:
        lines.append(f"| {s} | {n:,} | {share:.0%} | {b:.2f} | {a:.2f} | {a / b:.2f} | "
                     f"{bl:.2f}-{bh:.2f} | {al:.2f}-{ah:.2f} | {pb:.0f} | {pa:.0f} |")
    (HERE / "RESULTS-plan-overhead.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
