"""SMOTE from parquet to parquet on a 2-worker Dask cluster, against the same job in memory.

Writes benchmarks/RESULTS-dask.md. Data: 5M x 20 float32 (``make_classification``, 1 %
minority) in 40 parquet files. The Dask job reads them, runs SMOTE and writes the
balanced X and y back to parquet (side by side, in one computation) on a ``LocalCluster``
of 2 worker processes (1 thread each); the in-memory job reads the same files with pandas, runs SMOTE and writes one
parquet file. Each job runs in its own process; peak memory is the high-water mark of
each worker process (Dask) or of the process (in memory).

Usage: python benchmarks/dask_run.py [--rows N] [--sampler NAME]

``--sampler`` runs another sampler the same way (e.g. ``SMOTEENN``, ``BorderlineSMOTE``)
and writes ``RESULTS-dask-NAME.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "_raw"


def _data(n: int) -> Path:
    import numpy as np
    import pandas as pd
    from sklearn.datasets import make_classification

    folder = RAW / f"dask_{n}x20_1pct"
    if (folder / "_done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    X, y = make_classification(n_samples=n, n_features=20, n_informative=10, n_redundant=0,
                               weights=[0.99], flip_y=0, random_state=0)
    frame = pd.DataFrame(X.astype(np.float32), columns=[f"f{i}" for i in range(20)])
    frame["label"] = y
    for i, part in enumerate(np.array_split(np.arange(n), 40)):
        frame.iloc[part].to_parquet(folder / f"part-{i:03d}.parquet", index=False)
    (folder / "_done").touch()
    return folder


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(field)


def _reset_peak() -> float:
    """Reset this process's high-water mark (Linux) and return its resident memory now.

    A forked process inherits its parent's high-water mark, so it must be reset before a
    measurement means anything.
    """
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    return _status_mb("VmHWM")


def _sampler(name: str):  # noqa: ANN202
    from importlib import import_module

    for sub in ("over_sampling", "under_sampling", "combine"):
        mod = import_module(f"smotelab.{sub}")
        if hasattr(mod, name):
            return getattr(mod, name)(random_state=0)
    raise SystemExit(f"unknown sampler {name}")


def job_dask(src: str, dst: str, sampler: str) -> dict:
    import time

    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        base = client.run(_reset_peak)
        client_base = _reset_peak()
        t0 = time.perf_counter()
        frame = dd.read_parquet(src)
        X, y = frame.drop(columns="label"), frame["label"]
        X_res, y_res = _sampler(sampler).fit_resample(X, y)
        # X and y written side by side in one computation (aligning them in one frame
        # would make Dask match their indexes, which costs memory)
        import dask

        dask.compute(X_res.to_parquet(f"{dst}/X", write_index=False, compute=False),
                     y_res.to_frame("label").to_parquet(f"{dst}/y", write_index=False,
                                                        compute=False))
        seconds = time.perf_counter() - t0
        peaks = client.run(_peak_mb)
    return {"seconds": seconds, "worker_peak_mb": sorted(peaks.values()),
            "worker_start_mb": sorted(base.values()), "client_peak_mb": _peak_mb(),
            "client_start_mb": client_base}


def job_memory(src: str, dst: str, sampler: str) -> dict:
    import time

    import pandas as pd

    start = _reset_peak()
    t0 = time.perf_counter()
    frame = pd.read_parquet(src)
    X, y = frame.drop(columns="label"), frame["label"]
    X_res, y_res = _sampler(sampler).fit_resample(X, y)
    X_res.assign(label=y_res.to_numpy()).to_parquet(dst, index=False)
    return {"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb(), "start_mb": start,
            "n_out": len(X_res)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--sampler", default="SMOTE")
    parser.add_argument("--job", choices=["dask", "memory"], help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)
    parser.add_argument("--dst", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:  # one measurement, in its own process
        job = job_dask if args.job == "dask" else job_memory
        out = job(args.src, args.dst, args.sampler)
        print(json.dumps(out))
        return
    src = _data(args.rows)
    results = {}
    with tempfile.TemporaryDirectory(dir=RAW) as tmp:
        for job in ("dask", "memory"):
            dst = os.path.join(tmp, f"out_{job}" + ("" if job == "dask" else ".parquet"))
            run = subprocess.run([sys.executable, __file__, "--job", job, "--src", str(src),
                                  "--dst", dst, "--sampler", args.sampler],
                                 capture_output=True, text=True, check=True)
            results[job] = json.loads(run.stdout.strip().splitlines()[-1])
            print(job, results[job], flush=True)
    _write(args.rows, results, args.sampler)


def _write(n: int, r: dict, sampler: str) -> None:
    d, m = r["dask"], r["memory"]
    lines = [
        f"# Dask benchmark: {sampler} from parquet to parquet",
        "",
        f"Measured {date.today().isoformat()} with `python benchmarks/dask_run.py"
        f"{'' if sampler == 'SMOTE' else f' --rows {n} --sampler {sampler}'}` on "
        f"{os.cpu_count()} cores (shared machine). Data: {n:,} x 20 float32, 1 % minority, "
        f"40 parquet files; {sampler}(random_state=0) resamples them (the output has "
        f"{m['n_out']:,} rows). Peak memory: the resident high-water mark of each process "
        "(VmHWM, reset once the libraries are loaded), so it includes the interpreter and "
        "libraries; their resident size at the reset is in parentheses. The Dask job writes "
        "X and y as two parquet datasets in one computation.",
        "",
        "| job | wall s | peak MB per worker (at reset) | peak MB of the client / process (at "
        "reset) |",
        "|---|---:|---:|---:|",
        f"| Dask, LocalCluster 2 workers x 1 thread | {d['seconds']:.1f} | "
        f"{', '.join(f'{p:.0f}' for p in d['worker_peak_mb'])} "
        f"({', '.join(f'{p:.0f}' for p in d['worker_start_mb'])}) | {d['client_peak_mb']:.0f} "
        f"({d['client_start_mb']:.0f}) |",
        f"| in memory (pandas + {sampler}, one process) | {m['seconds']:.1f} | - | "
        f"{m['peak_mb']:.0f} ({m['start_mb']:.0f}) |",
        "",
    ]
    fd, tmp = tempfile.mkstemp(dir=HERE, suffix=".md")
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(lines))
    name = "RESULTS-dask.md" if sampler == "SMOTE" else f"RESULTS-dask-{sampler}.md"
    os.replace(tmp, HERE / name)


if __name__ == "__main__":
    main()
