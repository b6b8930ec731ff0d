"""The ``smotelab`` command line: ``smotelab demo``."""

from ._main import main

__all__ = ["main"]
