"""Parquet output that appears whole or not at all.

:func:`write_parquet` writes Dask collections (the lazy output of ``fit_resample``) in one
computation, each to a hidden temporary directory beside its target, and renames the
directories into place only when every partition of every collection has been written.
A reader never sees a partial data set: if a task fails, or the client dies mid-write,
the targets are as they were (a dead client leaves its hidden ``.NAME.partial-*``
directories behind, which can be deleted).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["write_parquet"]


def _as_frame(collection: Any) -> Any:
    """A Dask DataFrame from a DataFrame, a Series or a 1-D / 2-D Dask array."""
    import dask.array as da
    import dask.dataframe as dd

    if isinstance(collection, da.Array):
        columns = (["0"] if collection.ndim == 1
                   else [str(j) for j in range(collection.shape[1])])
        return dd.from_dask_array(collection, columns=columns)
    if isinstance(collection, dd.Series):
        return collection.to_frame()
    return collection


def write_parquet(outputs: Mapping[str | os.PathLike, Any], *, overwrite: bool = False,
                  **to_parquet_kwargs: Any) -> None:
    """Write Dask collections to parquet directories, each whole or not at all.

    Parameters
    ----------
    outputs : mapping of path to Dask DataFrame, Series or array
        Where to write what, e.g. ``{"balanced/X": X_res, "balanced/y": y_res}``; all are
        computed together (shared input partitions are read once).
    overwrite : bool, default=False
        Replace existing directories; otherwise an existing target is refused before any
        work.
    **to_parquet_kwargs
        Passed to ``dask.dataframe.to_parquet`` (``write_index``, ``compression``...).

    Examples
    --------
    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X_dask, y_dask)  # doctest: +SKIP
    >>> write_parquet({"balanced/X": X_res, "balanced/y": y_res})  # doctest: +SKIP
    """
    import dask

    staged = []
    for path, collection in outputs.items():
        target = Path(path)
        if target.exists() and not overwrite:
            raise FileExistsError(f"{str(target)!r} exists; pass overwrite=True to replace it.")
        target.parent.mkdir(parents=True, exist_ok=True)  # as to_parquet does
        tmp = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:12]}"
        write = _as_frame(collection).to_parquet(tmp, compute=False, **to_parquet_kwargs)
        staged.append((target, tmp, write))
    try:
        dask.compute(*[write for _, _, write in staged])
    except BaseException:
        for _, tmp, _ in staged:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    for target, tmp, _ in staged:
        if target.exists():
            old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:12]}"
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
