"""Over-samplers: add samples to the classes that need them."""

from ._adasyn import ADASYN
from ._base import BaseOverSampler
from ._borderline import BorderlineSMOTE
from ._geometric import GeometricSMOTE
from ._kmeans import KMeansSMOTE
from ._lee import LeeSMOTE
from ._nominal import SMOTEN, SMOTENC
from ._polynom import PolynomFitSMOTE
from ._prowsyn import ProWSyn
from ._random import RandomOverSampler
from ._smobd import SMOBD
from ._smote import SMOTE
from ._svm import SVMSMOTE


def __getattr__(name: str) -> object:
    # SMOTE-IPF is a combination (smotelab.combine, which imports this package); it is
    # also found here, where the SMOTE variants are
    if name == "SMOTEIPF":
        from ..combine import SMOTEIPF

        return SMOTEIPF
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ADASYN",
    "SMOBD",
    "SMOTE",
    "SMOTEIPF",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "BaseOverSampler",
    "BorderlineSMOTE",
    "GeometricSMOTE",
    "KMeansSMOTE",
    "LeeSMOTE",
    "PolynomFitSMOTE",
    "ProWSyn",
    "RandomOverSampler",
]
