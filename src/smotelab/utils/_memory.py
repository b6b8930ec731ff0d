"""Refuse, before allocating, an output that cannot fit in memory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..exceptions import MemoryLimitError

__all__ = ["ResamplingEstimate", "available_memory", "check_output_memory",
           "check_table_memory", "estimate_resampling", "fmt_bytes", "output_bytes"]

# per synthetic row besides its values: provenance (parent, neighbor, step, class) and y
_PER_NEW_ROW = 48
# Exact neighbour search speed measured on this project's 2-core machine, per core
# (pairs x features per second); the Dask engine's all-pairs estimate uses the same.
PAIR_FEATURES_PER_CORE_S = 1.5e10


def available_memory() -> int | None:
    """Bytes the process can still allocate without swapping (``None`` when unknown)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def fmt_bytes(n: float) -> str:
    """``n`` bytes in a readable unit (``'29.1 TiB'``)."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} PiB"  # pragma: no cover


def check_table_memory(n_query: int, k: int) -> None:
    """Refuse a neighbour table that cannot fit, before the search allocates it.

    The table holds a distance and an index per (query, neighbour); the search keeps about
    as much again in candidates while it works.
    """
    need = 2 * 16 * int(n_query) * int(k)
    free = available_memory()
    if free is None or need <= free:
        return
    raise MemoryLimitError(
        f"The neighbour search asks for the {k:,} nearest rows of each of {n_query:,} rows: "
        f"a table of about {fmt_bytes(need)}, but only {fmt_bytes(free)} of memory is "
        "available. Use fewer neighbours (k_neighbors, m_neighbors, n_neighbors), fewer "
        "rows, or Dask collections.")


def check_output_memory(caller: str, n_rows: int, n_new: int, n_features: int,
                        itemsize: int, biggest: tuple[Any, int] | None = None) -> int:
    """The output's size in bytes; a :class:`MemoryLimitError` when it cannot fit.

    ``biggest`` names the class asking for the most rows, for the message.
    """
    need = output_bytes(n_rows + n_new, n_new, n_features, itemsize)
    free = available_memory()
    if free is None or need <= free:
        return need
    which = ""
    if biggest is not None:
        which = f" ({biggest[1]:,} for class {biggest[0]!r})"
    raise MemoryLimitError(
        f"{caller}: sampling_strategy asks for {n_new:,} new rows{which}, an output of "
        f"{fmt_bytes(need)} ({n_rows + n_new:,} rows x {n_features} columns of "
        f"{itemsize * 8}-bit values), but only {fmt_bytes(free)} of memory is available. "
        "Ask for fewer rows (a smaller sampling_strategy), pass float32 X (half the "
        "size), or give Dask collections, whose output is written partition by partition."
    )


@dataclass(frozen=True)
class ResamplingEstimate:
    """What a ``fit_resample`` would produce and need, computed from the plan alone.

    Attributes
    ----------
    sampler : str
        The sampler's class name.
    counts : dict
        Per class, ``(rows before, rows after)``; a cleaner's ``after`` is an upper bound.
    rows_to_add : int
        Synthetic rows (0 for selections).
    n_rows_out, n_features : int
        Shape of the output (rows: an upper bound for cleaners).
    output_bytes : int
        Size of the output values, plus the provenance and labels of new rows.
    available_bytes : int or None
        Memory available now (``None`` when unknown).
    exact : bool
        Whether the counts are exact (``False`` for cleaners, whose removals depend on the
        data).
    pair_features : int
        An upper bound of the neighbour searches' work: query rows x reference rows x
        features, summed over the searches the plan runs (within-class searches, the
        queries of the resampled classes against all rows, a cleaner's queries against
        the rows it cleans). The exact search certifies or prunes most pairs, so the real
        cost is often far lower.
    unit : str
        What ``counts`` is keyed by: ``"class"``, or ``"bump"`` for a sampler of a
        continuous target (keys describe each bump).
    """

    sampler: str
    counts: dict
    rows_to_add: int
    n_rows_out: int
    n_features: int
    output_bytes: int
    available_bytes: int | None
    exact: bool
    pair_features: int = 0
    unit: str = "class"

    @property
    def search_seconds(self) -> float:
        """``pair_features`` at this project's measured speed of one core (an upper bound)."""
        return self.pair_features / PAIR_FEATURES_PER_CORE_S

    @property
    def fits(self) -> bool:
        """Whether the output fits in the memory available (``True`` when unknown)."""
        return self.available_bytes is None or self.output_bytes <= self.available_bytes

    def __str__(self) -> str:
        bound = "" if self.exact else "at most "
        lines = [f"{self.sampler}: {sum(b for b, _ in self.counts.values()):,} -> {bound}"
                 f"{self.n_rows_out:,} rows x {self.n_features} columns"]
        lines += [f"  {f'class {c!r}' if self.unit == 'class' else c}: {b:,} -> {bound}{a:,}"
                  for c, (b, a) in self.counts.items()]
        free = "unknown" if self.available_bytes is None else fmt_bytes(self.available_bytes)
        lines.append(f"  rows to add: {self.rows_to_add:,}; output: {bound}"
                     f"{fmt_bytes(self.output_bytes)}; memory available: {free}"
                     + ("" if self.fits else " (does not fit)"))
        if self.pair_features:
            lines.append(f"  neighbour searches: at most {self.pair_features:.1e} "
                         f"pair-features, about {_duration(self.search_seconds)} of one "
                         "core at most")
        return "\n".join(lines)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.2g} s"
    return f"{seconds / 60:,.0f} min" if seconds < 7200 else f"{seconds / 3600:,.1f} h"


def estimate_resampling(sampler: Any, X: Any, y: Any) -> ResamplingEstimate:
    """What ``sampler.fit_resample(X, y)`` would produce, without resampling anything.

    Parameters
    ----------
    sampler : sampler
        A smotelab sampler (combinations are estimated by their over-sampler, whose
        output the cleaner then shrinks).
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Data.
    y : array-like of shape (n_samples,)
        Labels.

    Returns
    -------
    ResamplingEstimate
        Counts per class, rows to add, output size and the memory available.

    Examples
    --------
    >>> import numpy as np
    >>> from smotelab.over_sampling import SMOTE
    >>> from smotelab.utils import estimate_resampling
    >>> X, y = np.zeros((1000, 20)), np.array([0] * 950 + [1] * 50)
    >>> e = estimate_resampling(SMOTE(), X, y)
    >>> e.rows_to_add, e.n_rows_out, e.output_bytes
    (900, 1900, 347200)
    """
    from .._strategy import SamplingPlan, as_kind
    from ._tags import sampler_tags
    from ._validation import check_X_y

    step = sampler._steps()[0] if hasattr(sampler, "_steps") else sampler
    if hasattr(step, "_estimate"):  # a sampler that estimates itself (regression: bumps)
        return step._estimate(X, y)
    kind = as_kind(sampler_tags(step).sampling_type)
    Xc, yc = check_X_y(X, y)
    classes, before, _ = yc.encoded()
    plan = SamplingPlan.build(step.sampling_strategy, yc.labels, kind,
                              encoded=(classes, before))
    after = {c: int(b) for c, b in zip(classes, before, strict=True)}
    n_new = 0
    for label, n in plan.counts.items():
        if kind == "over-sampling":
            after[label] += n
            n_new += n
        elif kind == "under-sampling":
            after[label] = n
    itemsize = 4 if getattr(getattr(Xc.native, "dtype", None), "itemsize", 8) == 4 else 8
    n_out = sum(after.values())
    work = _search_work(sampler, step, kind, plan, dict(zip(classes, before, strict=True)),
                        n_out) * Xc.n_features
    return ResamplingEstimate(
        sampler=type(sampler).__name__,
        counts={c: (int(b), after[c]) for c, b in zip(classes, before, strict=True)},
        rows_to_add=n_new, n_rows_out=n_out, n_features=Xc.n_features,
        output_bytes=output_bytes(n_out, n_new, Xc.n_features, itemsize),
        available_bytes=available_memory(),
        exact=kind != "clean-sampling" and not hasattr(sampler, "_steps"),
        pair_features=int(work))


def _search_work(sampler: Any, step: Any, kind: str, plan: Any, before: dict,
                 n_out: int) -> float:
    """Query x reference rows of the neighbour searches the plan runs (an upper bound)."""
    n = sum(before.values())
    resampled = [int(before[c]) for c, k in plan.counts.items() if k]
    params = step.get_params()
    work = 0.0
    if kind == "over-sampling" and any(p in params for p in ("k_neighbors", "n_neighbors")):
        work += sum(m * m for m in resampled)  # within-class searches
        if any(p in params for p in ("m_neighbors", "n_neighbors")):
            work += sum(resampled) * n  # queries of the resampled classes against all rows
    elif kind == "clean-sampling" or "n_neighbors" in params:
        work += sum(resampled) * n
    if hasattr(sampler, "_steps"):  # a combination: its cleaner reads the over-sampled rows
        work += float(n_out) * n_out
    return work


def output_bytes(n_rows_out: int, n_new: int, n_features: int, itemsize: int) -> int:
    """Bytes of an output of ``n_rows_out`` rows of which ``n_new`` are synthetic."""
    return n_rows_out * n_features * itemsize + n_new * _PER_NEW_ROW
