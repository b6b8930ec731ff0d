"""Samplers on Dask collections (``pip install "smotelab[dask]"``).

Nothing to import: pass Dask arrays or DataFrames to a sampler's ``fit_resample`` and it
returns lazy Dask collections of the same kind; see :mod:`smotelab.dask._engine`.
:func:`write_parquet` writes them to parquet directories that appear whole or not at all.
"""

from ._engine import PLANS, fit_resample, is_dask_collection
from ._io import write_parquet
from ._regression import regression_fit_resample

__all__ = ["PLANS", "fit_resample", "is_dask_collection", "regression_fit_resample",
           "write_parquet"]
