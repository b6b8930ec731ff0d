"""Plot smoke tests: PNGs are rendered and are not blank."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from smotelab.combine import SMOTEENN  # noqa: E402
from smotelab.datasets import make_dragons  # noqa: E402
from smotelab.diagnostics import compare  # noqa: E402
from smotelab.over_sampling import SMOTE, RandomOverSampler  # noqa: E402
from smotelab.plotting import ComparisonDisplay, ResamplingDisplay  # noqa: E402
from smotelab.under_sampling import TomekLinks  # noqa: E402


def _check_png(fig, path):
    import matplotlib.image as mpimg

    fig.savefig(path, dpi=60)
    assert path.stat().st_size > 5_000
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    # not a blank canvas: many distinct colours
    assert len(np.unique(img.reshape(-1, img.shape[2]).round(2), axis=0)) > 20
    matplotlib.pyplot.close(fig)


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), SMOTEENN(random_state=0),
                                     TomekLinks(), RandomOverSampler(random_state=0)])
def test_resampling_display(sampler, tmp_path):
    """Check the before/after plot (PCA of 6 features) renders and counts the right rows."""
    X, y = make_dragons()
    d = ResamplingDisplay.from_sampler(sampler, X, y)
    assert d.X_2d_.shape == (len(y), 2) and d.axis_labels_[0].startswith("PC1")
    assert d.n_original_ + d.n_synthetic_ == len(d.y_res_)
    if isinstance(sampler, TomekLinks):
        assert d.n_synthetic_ == 0
    else:
        assert d.n_synthetic_ > 0
    _check_png(d.figure_, tmp_path / "resampling.png")


def test_two_features_are_plotted_as_they_are(tmp_path):
    """Check 2-D data keep their own axes (no projection)."""
    import pandas as pd

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(200, 2)), columns=["height", "weight"])
    y = (rng.random(200) < 0.2).astype(int)
    d = ResamplingDisplay.from_sampler(SMOTE(random_state=0), X, y)
    assert d.axis_labels_ == ("height", "weight")
    np.testing.assert_allclose(d.X_2d_, X.to_numpy())
    _check_png(d.figure_, tmp_path / "two.png")


def test_comparison_display(tmp_path):
    """Check the bar chart renders, failed samplers named in the title."""
    X, y = make_dragons()
    table = compare(X, y, samplers=[None, SMOTE(random_state=0), SMOTE(k_neighbors=100)],
                    cv=3, progress=False)
    d = ComparisonDisplay.from_table(table)
    assert "failed: SMOTE (2)" in d.ax_.get_title()
    assert len(d.ax_.patches) == 2 * 3  # two samplers that ran, three metrics
    _check_png(d.figure_, tmp_path / "compare.png")


def test_missing_matplotlib_is_a_clear_error(monkeypatch):
    """Check the plot extra's absence is reported with the install command."""
    import sys

    from smotelab.plotting import _displays

    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r'pip install "smotelab\[plot\]"'):
        _displays._pyplot()
