"""The categorical combiner of SMOTE-NC and SMOTE-N: the most frequent value among voters.

A synthetic row's value of a categorical feature is the value held by most of its
seed's voters (SMOTE-NC: the k neighbours; SMOTE-N: the seed and its k neighbours).
Votes are counted once per seed; when several values tie, each synthetic row picks
one of them uniformly with a draw from its block's random stream, so ties follow the
fit's ``random_state`` like every other draw.

>>> import numpy as np
>>> voters = np.array([[[0], [1], [1]], [[2], [0], [1]]])  # 2 seeds, 3 voters, 1 feature
>>> votes = Votes(voters)
>>> votes.pick(np.array([0, 0]), np.array([[0.1], [0.9]])).ravel().tolist()
[1, 1]
>>> sorted({int(votes.pick(np.array([1]), np.array([[u]]))[0, 0]) for u in (0.1, 0.5, 0.9)})
[0, 1, 2]
"""

from __future__ import annotations

import numpy as np

__all__ = ["VoteWriter", "Votes"]


class Votes:
    """The vote of each seed's voters, feature by feature.

    Parameters
    ----------
    voters : ndarray of shape (n_seeds, n_voters, n_features)
        Integer codes of the voters' values.
    """

    def __init__(self, voters: np.ndarray) -> None:
        S = np.sort(voters, axis=1)
        self.values = S
        self.candidate = np.empty(S.shape, dtype=bool)
        step = max(1, (1 << 22) // max(1, S.shape[1] ** 2 * S.shape[2]))
        for a in range(0, len(S), step):  # bounded temporaries (seeds x voters^2)
            B = S[a : a + step]
            # number of voters sharing each voter's value
            same = (B[:, :, None, :] == B[:, None, :, :]).sum(axis=2)
            top = same.max(axis=1, keepdims=True)
            first = np.ones(B.shape, dtype=bool)
            first[:, 1:] = B[:, 1:] != B[:, :-1]
            # the tied most frequent values, each once, in increasing code order
            self.candidate[a : a + step] = (same == top) & first
        self.n_candidates = self.candidate.sum(axis=1)

    def draw(self, rng: np.random.Generator, seed: np.ndarray) -> np.ndarray:
        """Codes of a block's rows drawn from ``seed`` (positions): one uniform per row and
        feature from the block's stream, after its standard draws, settles ties."""
        return self.pick(seed, rng.random((len(seed), self.values.shape[2])))

    def pick(self, seed: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Values of rows drawn from ``seed`` (positions), ties settled by ``u`` in [0, 1)."""
        cand = self.candidate[seed]
        n = self.n_candidates[seed]
        want = np.minimum((u * n).astype(np.intp), n - 1) + 1
        hit = cand & (np.cumsum(cand, axis=1) == want[:, None, :])
        j = hit.argmax(axis=1)
        return np.take_along_axis(self.values[seed], j[:, None, :], axis=1)[:, 0, :]


class VoteWriter:
    """``ClassPlan.combine`` of the categorical samplers: after each block's standard
    draws, the voted codes of its rows go to ``out`` (rows of the fit's new rows).

    ``votes`` is the kernel an engine that makes blocks elsewhere calls itself
    (``votes.draw(rng, seed)``), with the block's own stream.
    """

    def __init__(self, votes: Votes, out: np.ndarray) -> None:
        self.votes = votes
        self.out = out

    def __call__(self, rng: np.random.Generator, row: int, seed: np.ndarray) -> None:
        self.out[row : row + len(seed)] = self.votes.draw(rng, seed)
