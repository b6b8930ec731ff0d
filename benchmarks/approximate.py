"""SMOTE-ENN with the opt-in approximate neighbour search against the exact one.

Each configuration runs in its own process: time, peak resident memory added by
``fit_resample``, the recall the search reported, and the cleaned rows' agreement with
the exact run (``--compare``: rows removed by one and not the other). Writes
``benchmarks/RESULTS-approximate.md`` (rows merged by data and search).

Usage:
    python benchmarks/approximate.py DATAFILE [--probes 8,16,32] [--exact] [--compare]
        [--repeats N]

``--exact`` also times the exact search (the default SMOTE-ENN); ``--compare`` saves
each run's kept rows and counts the differences from the exact ones (needs ``--exact``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "RESULTS-approximate.md"


def _child(path: str, n_probe: int, keep_file: str) -> None:
    """One measurement in this process; prints JSON."""
    from _one import measure
    from smotelab.combine import SMOTEENN
    from smotelab.neighbors import ApproximateNeighbors
    from smotelab.under_sampling import EditedNearestNeighbours

    data = np.load(path)
    X, y = data["X"], data["y"]
    nn = 3 if n_probe == 0 else ApproximateNeighbors(4, n_probe=n_probe, random_state=0)
    est = SMOTEENN(random_state=0,
                   enn=EditedNearestNeighbours(sampling_strategy="all", n_neighbors=nn))
    X_res, y_res, elapsed, peak = measure(est, X, y)
    if keep_file:
        np.save(keep_file, est.enn_.sample_indices_)
    recall = getattr(est.enn_.nn_, "recall_", None)
    print(json.dumps({"seconds": elapsed, "peak_mb": peak, "n_out": int(len(y_res)),
                      "recall": recall,
                      "checked": getattr(getattr(est.enn_.nn_, "estimator", None),
                                         "n_recall_queries_", None)}))


def _run(path: str, n_probe: int, keep_file: str = "") -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", path, str(n_probe), keep_file],
                         capture_output=True, text=True, cwd=HERE)
    if out.returncode:
        raise SystemExit(f"run with n_probe={n_probe} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--probes", default="8,16,32")
    ap.add_argument("--exact", action="store_true")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--repeats", type=int, default=1)
    a = ap.parse_args()
    probes = [int(p) for p in a.probes.split(",") if p]
    configs = ([0] if a.exact else []) + probes
    a.data = str(Path(a.data).resolve())
    label = Path(a.data).stem
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        kept = {}
        for p in configs:
            runs = []
            for r in range(a.repeats):
                keep_file = f"{tmp}/keep_{p}.npy" if a.compare and r == 0 else ""
                runs.append(_run(a.data, p, keep_file))
                print(p, runs[-1], flush=True)
            if a.compare:
                kept[p] = np.load(f"{tmp}/keep_{p}.npy")
            rows[p] = {
                "seconds": statistics.median(x["seconds"] for x in runs),
                "peak_mb": statistics.median(x["peak_mb"] for x in runs),
                "n_out": runs[0]["n_out"], "recall": runs[0]["recall"],
                "checked": runs[0]["checked"], "repeats": a.repeats,
            }
        if a.compare and 0 in kept:
            exact = kept[0]
            for p in probes:
                rows[p]["extra_kept"] = int(np.setdiff1d(kept[p], exact).size)
                rows[p]["extra_removed"] = int(np.setdiff1d(exact, kept[p]).size)
    _write(label, rows)


def _write(label: str, rows: dict) -> None:
    header = (
        "# SMOTE-ENN with the approximate neighbour search\n\n"
        "`python benchmarks/approximate.py DATAFILE --exact --compare`: SMOTE-ENN "
        "(`sampling_strategy='all'` cleaning, imbalanced-learn's default) with ENN's "
        "search exact (`n_neighbors=3`) or `ApproximateNeighbors(4, n_probe=P)` "
        "(`n_cells` = round(sqrt(n)), 1,000 queries checked exactly per call for the "
        "recall). *Recall* is the one the search reported; *differences* count the rows "
        "the approximate run kept that the exact one removed, and the reverse. Each run is "
        "its own process; peak is the resident memory added by `fit_resample`. 2 shared "
        "cores, so times are noisy. The exact 1,000,000-row run is the one of "
        "`RESULTS-cleaning.md` (`python benchmarks/_one.py smotelab SMOTEENN DATAFILE 0`, "
        "the same configuration, measured before the exact search read row subsets in "
        "place): its kept rows were not saved, so that size has no differences column."
        "\n\n"
        "| data | search | seconds | peak MB | output rows | reported recall | "
        "kept, removed by exact | removed, kept by exact | repeats | measured |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
    )
    old = {}
    if OUT.exists():
        for line in OUT.read_text().splitlines():
            if line.startswith("| ") and not line.startswith("| data") and "---" not in line:
                cells = [c.strip() for c in line.strip("|").split("|")]
                old[(cells[0], cells[1])] = line
    for p, r in rows.items():
        search = "exact" if p == 0 else f"approximate, n_probe={p}"
        recall = "" if r["recall"] is None else f"{r['recall']:.4f}"
        old[(label, search)] = (
            f"| {label} | {search} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | "
            f"{r['n_out']:,} | {recall} | {r.get('extra_kept', '')} | "
            f"{r.get('extra_removed', '')} | {r['repeats']} | {date.today()} |"
        )
    def order(key: tuple) -> tuple:
        data, search = key
        size = int("".join(ch for ch in data.split("x")[0] if ch.isdigit()) or 0)
        return size, data, search != "exact", int(search.partition("=")[2] or 0)

    OUT.write_text(header + "\n".join(old[key] for key in sorted(old, key=order)) + "\n")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "")
    else:
        main()
