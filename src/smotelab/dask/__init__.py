"""Samplers on Dask collections (``pip install "smotelab[dask]"``).

Nothing to import: pass Dask arrays or DataFrames to a sampler's ``fit_resample`` and it
returns lazy Dask collections of the same kind; see :mod:`smotelab.dask._engine`.
"""

from ._engine import PLANS, fit_resample, is_dask_collection

__all__ = ["PLANS", "fit_resample", "is_dask_collection"]
