"""The contributor guide's example runs as written (it is the guide's proof that a
variant written outside the package runs on every engine)."""

import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "writing-a-sampler.md"


def test_writing_a_sampler_example_runs():
    """Check the guide's example (a variant with its own blocks and targets) runs, its
    asserts included: equal output in memory and on Dask."""
    pytest.importorskip("dask.array")
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(), flags=re.S)
    assert len(blocks) == 1
    code = blocks[0]
    assert len(code.strip().splitlines()) <= 30  # a short example
    exec(compile(code, str(GUIDE), "exec"), {"__name__": "guide"})
