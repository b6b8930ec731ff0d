"""The README's Python examples run as written, in order, like cells of one notebook."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_examples_run(tmp_path, monkeypatch):
    """Check every README example runs (asserts included); later ones may use earlier names.

    They run in a scratch folder, since some write files."""
    monkeypatch.chdir(tmp_path)
    assert len(BLOCKS) >= 3
    namespace: dict = {}
    for i, code in enumerate(BLOCKS):
        exec(compile(code, f"{README}#block{i}", "exec"), namespace)
