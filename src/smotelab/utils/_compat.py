"""The only module that touches scikit-learn's private API.

scikit-learn keeps its parameter-constraint machinery private although every contrib
library uses it; importing it here keeps the breakage surface to one file.
"""

from __future__ import annotations

from sklearn.ensemble._base import _set_random_states as set_random_states  # noqa: F401
from sklearn.pipeline import _name_estimators as name_estimators  # noqa: F401
from sklearn.utils._param_validation import (  # noqa: F401  (re-exported)
    HasMethods,
    Hidden,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils._user_interface import _print_elapsed_time as print_elapsed_time  # noqa: F401

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "StrOptions",
    "name_estimators",
    "set_random_states",
    "print_elapsed_time",
    "validate_params",
]
