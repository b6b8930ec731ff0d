"""Over-samplers: add samples to the classes that need them."""

from ._adasyn import ADASYN
from ._base import BaseOverSampler
from ._borderline import BorderlineSMOTE
from ._kmeans import KMeansSMOTE
from ._nominal import SMOTEN, SMOTENC
from ._prowsyn import ProWSyn
from ._random import RandomOverSampler
from ._smote import SMOTE
from ._svm import SVMSMOTE

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "BaseOverSampler",
    "BorderlineSMOTE",
    "KMeansSMOTE",
    "ProWSyn",
    "RandomOverSampler",
]
