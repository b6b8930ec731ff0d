"""Shared machinery: validation, containers, random streams."""

from ._metadata import resample_like

__all__ = ["resample_like"]
