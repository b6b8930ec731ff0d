"""smotelab: fast, exact, provenance-aware resampling for imbalanced classification.

A drop-in for imbalanced-learn's API: the same class names, parameters and module
names (``over_sampling``, ``under_sampling``, ``combine``, ``pipeline``), with
``fit_resample`` returning the input rows first, unchanged and in order, and every
over-sampler recording in ``provenance_`` where each synthetic row came from.
"""

from importlib import import_module
from typing import Any

from .base import BaseSampler, FunctionSampler, is_sampler

__version__ = "0.1.0"

__all__ = [
    "BaseSampler",
    "FunctionSampler",
    "__version__",
    "combine",
    "datasets",
    "ensemble",
    "is_sampler",
    "keras",
    "metrics",
    "model_selection",
    "neighbors",
    "over_sampling",
    "under_sampling",
    "pipeline",
    "regression",
    "show_versions",
    "tensorflow",
    "utils",
]

_SUBMODULES = {"combine", "datasets", "ensemble", "keras", "metrics", "model_selection", "neighbors",
               "over_sampling", "pipeline", "regression", "tensorflow", "under_sampling",
               "utils"}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'smotelab' has no attribute {name!r}")


def show_versions() -> dict[str, str]:
    """Versions of smotelab and of the libraries it uses (printed and returned)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"smotelab": __version__}
    for dist in ("numpy", "scipy", "scikit-learn", "narwhals", "pandas", "polars"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    for k, v in out.items():
        print(f"{k:>14}: {v}")
    return out
