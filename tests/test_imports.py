"""Layering: the core never imports a face, an engine or an optional dependency."""

import subprocess
import sys

CORE = [
    "smotelab",
    "smotelab.base",
    "smotelab.over_sampling",
    "smotelab.pipeline",
    "smotelab.neighbors",
    "smotelab.utils.estimator_checks",
]
FORBIDDEN = ["matplotlib", "dask", "distributed", "faiss", "pandas", "polars",
             "smotelab.cli", "smotelab.plotting", "smotelab.diagnostics", "smotelab.dask",
             "imblearn"]


def test_core_imports_no_optional_dependency():
    """Check, in a fresh interpreter, that importing the core loads none of the forbidden modules."""
    # scikit-learn itself imports pandas when it is installed; only what smotelab adds counts.
    code = (
        "import sys\n"
        "import sklearn.base, sklearn.pipeline, sklearn.neighbors, narwhals.stable.v2\n"
        "before = set(sys.modules)\n"
        + "".join(f"import {m}\n" for m in CORE)
        + f"bad = [m for m in {FORBIDDEN!r} if m in set(sys.modules) - before]\n"
        + "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def _imports_of(path):
    import ast

    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            base = path.parent
            for _ in range(max(node.level - 1, 0)):
                base = base.parent
            found.add(".".join([*base.relative_to(_PKG.parent).parts, node.module])
                      if node.level else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _package_root():
    from pathlib import Path

    import smotelab

    return Path(smotelab.__file__).resolve().parent


_PKG = _package_root()


def test_the_engine_imports_no_sampler_package():
    """Check the Dask engine reaches the samplers only through the protocol module and
    their own methods: no import of over_sampling, under_sampling or combine."""
    samplers = ("smotelab.over_sampling", "smotelab.under_sampling", "smotelab.combine",
                "smotelab.regression", "smotelab.utils.discovery")
    for path in sorted((_PKG / "dask").glob("*.py")):
        bad = [m for m in _imports_of(path) if m.startswith(samplers)]
        assert not bad, f"{path.name} imports {bad}"


def test_no_sampler_parameter_names_in_the_engine():
    """Check the engine names no sampler parameter: what a plan needs comes from the
    sampler's declarations."""
    import re

    names = ("k_neighbors", "m_neighbors", "n_neighbors", "shrinkage", "replacement",
             "kind_sel", "svm_estimator", "n_jobs")
    for path in sorted((_PKG / "dask").glob("*.py")):
        code = "\n".join(line for line in path.read_text().splitlines()
                         if not line.lstrip().startswith("#"))
        found = [n for n in names  # read off the sampler, or named in a string
                 if re.search(rf"sampler\.{n}\b|[\"'{{(]{n}\b", code)]
        assert not found, f"{path.name} names {found}"


def test_tags_are_declared_the_scikit_learn_way():
    """Check no sampler tag is read from a private flag with a getattr default."""
    import re

    for path in sorted(_PKG.rglob("*.py")):
        text = path.read_text()
        assert not re.search(r"getattr\(self, [\"']_(needs_numeric|sample_indices|combines|"
                             r"approximate_counts|neighbor_scope|deterministic|"
                             r"coupled_classes|distributed_plan)", text), path
        assert "_distributed_plan" not in text and "_judges_new_rows" not in text, path
