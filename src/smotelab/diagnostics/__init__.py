"""Diagnostics and a recommender: what the data look like, and which sampler suits them.

>>> from smotelab.datasets import make_dragons
>>> from smotelab.diagnostics import diagnose, recommend
>>> X, y = make_dragons()
>>> report = diagnose(X, y)          # print(report) for the full text
>>> rec = recommend(X, y, random_state=0, diagnosis=report)
>>> rec.sampler.fit_resample(X, y)[1].shape[0] > len(y)
True
"""

from ._diagnose import Diagnosis, Finding, diagnose
from ._recommend import Recommendation, recommend

__all__ = ["Diagnosis", "Finding", "Recommendation", "diagnose", "recommend"]
