"""Find every sampler class smotelab ships (for the common checks)."""

from __future__ import annotations

import inspect
from importlib import import_module

__all__ = ["all_samplers"]

_MODULES = ("smotelab.over_sampling", "smotelab.under_sampling", "smotelab.combine")


def all_samplers() -> list[tuple[str, type]]:
    """``(name, class)`` of every public, concrete sampler, sorted by name."""
    from ..base import BaseSampler

    found = {}
    for modname in _MODULES:
        module = import_module(modname)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseSampler)
                and not name.startswith("Base")
                and not inspect.isabstract(obj)
            ):
                found[name] = obj
    return sorted(found.items())
