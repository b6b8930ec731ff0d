import numpy as np

def emit(Q: np.ndarray, R: np.ndarray, c0: int, c1: int, i0: int, upper: bool, cols: int,
         tile: np.ndarray, out_i: np.ndarray, out_j: np.ndarray, out_v: np.ndarray,
         state: np.ndarray) -> int: ...
def group_minima(Q: np.ndarray, RS: np.ndarray, per: int, i0: int, subset: np.ndarray,
                 tile: np.ndarray, scratch: np.ndarray, out: np.ndarray) -> None: ...
