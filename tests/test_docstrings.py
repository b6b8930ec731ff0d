"""Docstrings: every public parameter documented, shared parameters worded alike."""

import inspect
import re

import pytest

from smotelab import FunctionSampler
from smotelab.utils.discovery import all_samplers

SAMPLERS = [cls for _, cls in all_samplers()] + [FunctionSampler]


def _param_blocks(doc: str) -> dict[str, str]:
    section = doc.split("Parameters\n    ----------\n", 1)[1].split("\n\n    Attributes", 1)[0]
    section = re.split(r"\n    (?:Returns|See Also|References|Examples)\n", section)[0]
    blocks, current = {}, None
    for line in section.splitlines():
        m = re.match(r"^    (\w+) : ", line)
        if m:
            current = m.group(1)
            blocks[current] = line
        elif current:
            blocks[current] += "\n" + line
    return blocks


@pytest.mark.parametrize("cls", SAMPLERS, ids=lambda c: c.__name__)
def test_every_init_parameter_is_documented(cls):
    """Check that each __init__ parameter has an entry in the Parameters section."""
    params = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    blocks = _param_blocks(cls.__doc__)
    assert set(params) == set(blocks), (set(params) ^ set(blocks))


@pytest.mark.parametrize("kind", ["over-sampling", "under-sampling", "clean-sampling"])
def test_shared_parameters_start_with_the_same_words(kind):
    """Check that sampling_strategy is described identically by every sampler of a kind."""
    first = {}
    for cls in SAMPLERS:
        blocks = _param_blocks(cls.__doc__)
        if "sampling_strategy" in blocks and getattr(cls, "_sampling_type", None) == kind:
            first[cls.__name__] = blocks["sampling_strategy"]
    assert len(set(first.values())) == 1, first
