"""smotelab.utils' public helpers give what imbalanced-learn's give."""

from collections import OrderedDict

import numpy as np
import pytest
from imblearn import utils as imb_utils
from imblearn.exceptions import raise_isinstance_error as imb_raise
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from smotelab import utils
from smotelab.exceptions import raise_isinstance_error

Y = np.array([0] * 50 + [1] * 20 + [2] * 8)
STRATEGIES = {
    "over-sampling": ["auto", "minority", "not majority", "all", {1: 30, 2: 40},
                      lambda y: {2: 20}],
    "under-sampling": ["auto", "majority", "not minority", "all", {0: 30, 1: 10}],
    "clean-sampling": ["auto", "majority", "not minority", "all", [0, 1]],
}


@pytest.mark.parametrize(("kind", "strategy"),
                         [(k, s) for k, ss in STRATEGIES.items() for s in ss])
def test_check_sampling_strategy_matches(kind, strategy):
    """Check the counts against imbalanced-learn's, for every form and kind."""
    ours = utils.check_sampling_strategy(strategy, Y, kind)
    theirs = imb_utils.check_sampling_strategy(strategy, Y, kind)
    assert isinstance(ours, OrderedDict)
    assert dict(ours) == dict(theirs)


def test_check_sampling_strategy_float_kwargs_and_passthrough():
    """Check a float (binary), a callable's **kwargs and the pass-through kinds."""
    y = np.array([0] * 40 + [1] * 10)
    for kind in ("over-sampling", "under-sampling"):
        assert dict(utils.check_sampling_strategy(0.5, y, kind)) == dict(
            imb_utils.check_sampling_strategy(0.5, y, kind))

    def grow(y, factor):
        return {1: int((y == 1).sum() * factor)}

    assert dict(utils.check_sampling_strategy(grow, y, "over-sampling", factor=3)) == {1: 20}
    assert utils.check_sampling_strategy("auto", y, "bypass") == "auto"
    assert utils.check_sampling_strategy({0: 1}, y, "ensemble") == {0: 1}
    with pytest.raises(ValueError):
        utils.check_sampling_strategy({5: 3}, y, "over-sampling")


def test_check_neighbors_object_and_target_type():
    """Check the neighbours object and the target helper against imbalanced-learn's."""
    nn = utils.check_neighbors_object("k", 5, additional_neighbor=1)
    assert isinstance(nn, NearestNeighbors) and nn.n_neighbors == 6
    given = KNeighborsClassifier(n_neighbors=3)
    copy = utils.check_neighbors_object("k", given)
    assert copy is not given and copy.get_params() == given.get_params()
    with pytest.raises(TypeError, match="k must be an int"):
        utils.check_neighbors_object("k", "five")
    for y in (Y, Y.reshape(-1, 1), np.eye(3)[Y]):
        ours = utils.check_target_type(y, indicate_one_vs_all=True)
        theirs = imb_utils.check_target_type(y, indicate_one_vs_all=True)
        np.testing.assert_array_equal(ours[0], theirs[0])
        assert ours[1] == theirs[1]
    with pytest.raises(ValueError, match="multilabel"):
        utils.check_target_type(np.array([[1, 1], [0, 1]]))


def test_substitution_and_isinstance_error():
    """Check the docstring decorator and the type error's message."""

    @utils.Substitution(x="rows")
    def f():
        """Keep the {x}."""

    assert f.__doc__ == "Keep the rows."
    with pytest.raises(AssertionError):
        utils.Substitution("a", b="c")
    with pytest.raises(ValueError) as ours:
        raise_isinstance_error("k", [int], "x")
    with pytest.raises(ValueError) as theirs:
        imb_raise("k", [int], "x")
    assert str(ours.value) == str(theirs.value)
