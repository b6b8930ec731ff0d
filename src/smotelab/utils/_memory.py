"""Refuse, before allocating, an output that cannot fit in memory."""

from __future__ import annotations

import os
from typing import Any

from ..exceptions import MemoryLimitError

__all__ = ["available_memory", "check_output_memory", "fmt_bytes"]

# per synthetic row besides its values: provenance (parent, neighbor, step, class) and y
_PER_NEW_ROW = 48


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


def check_output_memory(caller: str, n_rows: int, n_new: int, n_features: int,
                        itemsize: int, biggest: tuple[Any, int] | None = None) -> int:
    """The output's size in bytes; a :class:`MemoryLimitError` when it cannot fit.

    ``biggest`` names the class asking for the most rows, for the message.
    """
    need = (n_rows + n_new) * n_features * itemsize + n_new * _PER_NEW_ROW
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
