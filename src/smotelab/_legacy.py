"""Samplers written for imbalanced-learn's ``BaseSampler``, run by smotelab's.

imbalanced-learn calls ``_fit_resample(X, y, **params)`` with validated arrays (numeric
``X``, dense or CSR/CSC; 1-D ``y``) and turns the output back into the caller's
containers. smotelab's own samplers take ``_fit_resample(X, y, *, plan, streams)`` with
captured containers. A subclass whose ``_fit_resample`` has no ``plan`` parameter is
called the imbalanced-learn way, so such code runs unchanged on smotelab's base.
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from .utils._containers import XContainer, YContainer

__all__ = ["fit_resample_arrays", "takes_arrays"]


def takes_arrays(cls: Any) -> bool:
    """Whether ``cls._fit_resample`` is imbalanced-learn's ``(X, y, **params)`` form."""
    return _takes_arrays(cls._fit_resample)


@cache
def _takes_arrays(method: Any) -> bool:
    return "plan" not in inspect.signature(method).parameters


def fit_resample_arrays(sampler: Any, Xc: XContainer, yc: YContainer,
                        params: dict) -> tuple[Any, ...]:
    """Run an imbalanced-learn-style ``_fit_resample`` and restore the containers."""
    X = Xc.native if Xc.kind == "raw" else sampler._numeric(Xc)
    y = yc.native if yc.kind == "raw" else yc.labels
    out = sampler._fit_resample(X, y, **params)
    return (_restore_X(out[0], Xc), _restore_y(out[1], yc), *out[2:])


def _restore_X(X_res: Any, Xc: XContainer) -> Any:
    if Xc.kind == "sparse" and sp.issparse(X_res):
        return X_res.asformat(Xc.native.format)  # the format given, as for our samplers
    if Xc.kind != "frame":
        return X_res
    frame = Xc._frame
    arr = np.asarray(X_res)
    new = nw.from_dict({name: arr[:, j] for j, name in enumerate(frame.columns)},
                       backend=frame.implementation)
    try:
        new = new.with_columns(*[nw.col(c).cast(dt) for c, dt in frame.schema.items()])
    except Exception:  # noqa: BLE001 - a dtype the values cannot take: keep theirs
        pass
    return new.to_native()


def _restore_y(y_res: Any, yc: YContainer) -> Any:
    if yc.kind == "onehot":
        classes = yc.encoded()[0]
        return (np.asarray(y_res)[:, None] == classes[None, :]).astype(yc.native.dtype)
    if yc.kind not in ("series", "frame"):
        return y_res
    series = yc._series
    try:
        new = nw.new_series(series.name, np.asarray(y_res), series.dtype,
                            backend=series.implementation)
    except Exception:  # noqa: BLE001 - labels the dtype cannot hold
        new = nw.new_series(series.name, np.asarray(y_res), backend=series.implementation)
    return new.to_frame().to_native() if yc.kind == "frame" else new.to_native()
