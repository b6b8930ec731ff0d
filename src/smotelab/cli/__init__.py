"""The ``smotelab`` command line (``pip install "smotelab[cli]"``).

Commands: ``resample``, ``diagnose``, ``recommend``, ``compare``, ``plot``, ``methods``,
``demo``; ``smotelab COMMAND --help`` describes each.
"""

from ._main import main

__all__ = ["main"]
