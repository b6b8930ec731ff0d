"""Diagnostics, a recommender and a leakage-safe comparison: choosing a sampler well.

>>> from smotelab.datasets import make_dragons
>>> from smotelab.diagnostics import diagnose, recommend
>>> X, y = make_dragons()
>>> report = diagnose(X, y)          # print(report) for the full text
>>> rec = recommend(X, y, random_state=0, diagnosis=report)
>>> rec.sampler.fit_resample(X, y)[1].shape[0] > len(y)
True
"""

from ._compare import compare
from ._diagnose import Diagnosis, Finding, diagnose
from ._recommend import Recommendation, recommend
from ._regression import RegressionDiagnosis, diagnose_regression

__all__ = ["Diagnosis", "Finding", "Recommendation", "RegressionDiagnosis", "compare",
           "diagnose", "diagnose_regression", "recommend"]
