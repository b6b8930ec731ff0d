"""The variants beyond imbalanced-learn against their reference implementations
(``smote-variants``): speed and memory.

Usage: python benchmarks/variants.py [--rows 10000,100000] [--repeats 3] [--limit 600]

``fit_resample`` (smotelab) and ``sample`` (smote-variants) on ``make_classification``
data (rows x 20, 5 % minority, balanced after), each measurement in its own process
(peak resident memory added by the call, Linux), the libraries alternating within each
repeat, medians of the repeats. A reference run that fails or passes ``--limit``
seconds is reported as such. Writes ``benchmarks/RESULTS-variants.md``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
NOTES = """Reading: ProWSyn in smote-variants builds every pair of each proximity level and runs out
of memory at 100,000 rows; ours draws partners from a bounded table. LeeSMOTE is bound
by the exact neighbour search of every candidate against all rows (the same work in
both, scikit-learn's tree against our tiled search). SMOTE-IPF's time is scikit-learn's
trees in both; ours learn from one part each (as the papers say), smote-variants' from
all but one, and ours fit a round's trees side by side on the cores (`n_jobs`).
PolynomFitSMOTE takes milliseconds in both, most of them writing the output (the input
rows copied, the new rows)."""
CASES = [("ProWSyn", "ProWSyn"), ("LeeSMOTE", "Lee"), ("SMOTEIPF", "SMOTE_IPF"),
         ("PolynomFitSMOTE", "polynom_fit_SMOTE_star"),
         ("PolynomFitSMOTE(topology='poly_2')", "polynom_fit_SMOTE_poly")]


def _data(rows: int) -> Path:
    sys.path.insert(0, str(HERE))
    from _one import classification_data

    return classification_data(rows, "variants")


def one(lib: str, name: str, path: str) -> None:
    """Measure one resampling in this process; print seconds and added peak MB as JSON."""
    sys.path.insert(0, str(HERE))
    from _one import measure

    data = np.load(path)
    X, y = data["X"], data["y"]
    if lib == "sv":
        import logging

        import smote_variants

        logging.getLogger("smote_variants").setLevel(logging.ERROR)

        class Sampler:
            def __init__(self) -> None:
                self.s = getattr(smote_variants, name)(random_state=0)

            def fit_resample(self, X: np.ndarray, y: np.ndarray) -> tuple:
                return self.s.sample(X, y)

        est = Sampler()
    else:
        import smotelab.over_sampling as over

        cls_name, _, args = name.partition("(")
        params = {"topology": args.split("'")[1]} if args else {}
        est = getattr(over, cls_name)(random_state=0, **params)
    _, y_res, seconds, peak = measure(est, X, y)
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": len(y_res)}))


def run(lib: str, name: str, path: Path, limit: float) -> dict:
    t0 = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, __file__, "--one", lib, name, str(path)],
                             capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return {"error": f"over {limit:.0f} s"}
    if out.returncode:
        last = (out.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:80], "seconds_to_fail": time.perf_counter() - t0}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=3)
    parser.add_argument("--rows", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit", type=float, default=600)
    args = parser.parse_args()
    if args.one:
        one(*args.one)
        return
    sys.path.insert(0, str(HERE))
    from importlib.metadata import version

    from run import _versions

    lines = ["# The variants against smote-variants", "",
             f"Machine: {_versions()}; smote-variants {version('smote-variants')}.", "",
             f"Written by `python benchmarks/variants.py {' '.join(sys.argv[1:])}`. "
             f"rows x 20, 5 % minority, balanced after; median of {args.repeats}, each in its "
             "own process; peak = resident memory added by the call.", "",
             "| sampler | rows | smotelab | smote-variants | speed-up | peak MB (ours / "
             "theirs) |", "|---|---|---|---|---|---|"]
    for rows in (int(r) for r in args.rows.split(",")):
        path = _data(rows)
        for ours, theirs in CASES:
            runs: dict[str, list[dict]] = {"smotelab": [], "sv": []}
            for _ in range(args.repeats):
                runs["smotelab"].append(run("smotelab", ours, path, args.limit))
                if not runs["sv"] or "error" not in runs["sv"][-1]:
                    runs["sv"].append(run("sv", theirs, path, args.limit))
            a = statistics.median(r["seconds"] for r in runs["smotelab"])
            pa = statistics.median(r["peak_mb"] or 0 for r in runs["smotelab"])
            bad = [r for r in runs["sv"] if "error" in r]
            if bad:
                cell, ratio, pb = f"fails ({bad[0]['error']})", "-", "-"
            else:
                b = statistics.median(r["seconds"] for r in runs["sv"])
                cell, ratio = f"{b:.2f} s", f"{b / a:.1f}x"
                pb = f"{statistics.median(r['peak_mb'] or 0 for r in runs['sv']):.0f}"
            lines.append(f"| {ours} | {rows:,} | {a:.2f} s | {cell} | {ratio} | "
                         f"{pa:.0f} / {pb} |")
            print(lines[-1], flush=True)
    lines += ["", NOTES]
    (HERE / "RESULTS-variants.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
