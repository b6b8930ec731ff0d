"""Over-samplers: add samples to the classes that need them."""

from ._base import BaseOverSampler
from ._random import RandomOverSampler
from ._smote import SMOTE

__all__ = ["SMOTE", "BaseOverSampler", "RandomOverSampler"]
