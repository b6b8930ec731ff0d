"""One random generator per fit, independent streams per class and per block.

``random_state`` (None, int, ``RandomState`` or ``Generator``) is turned into a root
:class:`numpy.random.SeedSequence` once per fit. Each class gets its own child sequence
keyed by its position in the sorted class list, and each block of synthetic rows of
that class a grandchild keyed by the block number. The output of one class therefore
never depends on another class's draws, and a block can be generated anywhere (another
process, another partition) from its key alone.

>>> from smotelab.utils._random import RandomStreams
>>> s = RandomStreams.from_random_state(0)
>>> a = s.block(class_pos=1, block=0).integers(0, 100, 3)
>>> b = RandomStreams.from_random_state(0).block(class_pos=1, block=0).integers(0, 100, 3)
>>> bool((a == b).all())
True
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

# Synthetic rows are drawn in blocks of this many rows, each from its own stream. The
# value is part of the output contract (changing it changes outputs for a given seed).
BLOCK_ROWS = 1 << 16


def block_spans(n_rows: int) -> Iterator[tuple[int, int, int]]:
    """``(block, first row, size)`` of each block of ``n_rows`` synthetic rows of a class:
    the blocks every engine makes, each drawn from stream ``(class, block)``.

    >>> list(block_spans(BLOCK_ROWS + 3))[-1] == (1, BLOCK_ROWS, 3)
    True
    """
    for b, a in enumerate(range(0, n_rows, BLOCK_ROWS)):
        yield b, a, min(BLOCK_ROWS, n_rows - a)


@dataclass(frozen=True)
class RandomStreams:
    """Factory of independent generators derived from one root ``SeedSequence``."""

    root: np.random.SeedSequence

    @classmethod
    def from_random_state(cls, random_state: object) -> RandomStreams:
        """Build the streams of one fit from a ``random_state`` parameter value."""
        if random_state is None:
            return cls(np.random.SeedSequence())
        if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
            if random_state < 0:
                raise ValueError(
                    f"random_state must be a non-negative integer, got {random_state}."
                )
            return cls(np.random.SeedSequence(int(random_state)))
        if isinstance(random_state, np.random.Generator):
            # Drawing the entropy advances the user's generator, so two fits with the
            # same Generator object differ, as with scikit-learn's RandomState semantics.
            entropy = random_state.integers(0, 2**63, size=2, dtype=np.uint64)
            return cls(np.random.SeedSequence([int(e) for e in entropy]))
        if isinstance(random_state, np.random.RandomState):
            drawn = random_state.randint(0, 2**31, size=4)
            return cls(np.random.SeedSequence([int(e) for e in drawn]))
        raise TypeError(
            "random_state must be None, an int, a numpy RandomState or a numpy Generator; "
            f"got {type(random_state).__name__}."
        )

    def _child(self, *key: int) -> np.random.SeedSequence:
        return np.random.SeedSequence(
            self.root.entropy, spawn_key=(*self.root.spawn_key, *key)
        )

    def for_class(self, class_pos: int) -> np.random.Generator:
        """Generator for class-level draws of the class at ``class_pos``."""
        return np.random.Generator(np.random.PCG64(self._child(int(class_pos), 0)))

    def block(self, class_pos: int, block: int) -> np.random.Generator:
        """Generator for block ``block`` of the synthetic rows of one class."""
        return np.random.Generator(np.random.PCG64(self._child(int(class_pos), 1, int(block))))

    def round(self, class_pos: int, round_: int) -> RandomStreams:
        """Streams of round ``round_`` of a class whose rows are drawn in rounds (rows
        generated, then some rejected: LeeSMOTE)."""
        return RandomStreams(self._child(int(class_pos), 3, int(round_)))

    def member_seed(self, member: int) -> int:
        """Seed (int32 range) of member ``member`` of an ensemble, from its own stream."""
        state = self._child(2**31 + 1, int(member)).generate_state(1)[0]
        return int(state) & 0x7FFFFFFF

    def shared(self) -> np.random.Generator:
        """Generator for draws that do not belong to any class (e.g. a global shuffle)."""
        return np.random.Generator(np.random.PCG64(self._child(2**31)))
