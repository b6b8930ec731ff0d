"""SamplingPlan: every sampling_strategy form, properties and errors."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotelab._strategy import SamplingPlan, check_sampling_strategy
from smotelab.exceptions import SamplingStrategyError

counts_st = st.lists(st.integers(1, 50), min_size=2, max_size=6)


def _y(counts):
    return np.concatenate([np.full(c, i) for i, c in enumerate(counts)])


@settings(max_examples=60, deadline=None)
@given(counts=counts_st, selector=st.sampled_from(
    ["auto", "minority", "not minority", "not majority", "all"]))
def test_over_sampling_string_plans_balance_the_targets(counts, selector):
    """Check that over-sampling targets end with the majority count and others are untouched."""
    y = _y(counts)
    plan = SamplingPlan.build(selector, y, "over-sampling")
    n_max = max(counts)
    assert all(v >= 0 for v in plan.counts.values())
    for c, v in plan.counts.items():
        assert counts[c] + v == n_max
    assert list(plan.counts) == sorted(plan.counts)
    assert plan.n_total == sum(plan.counts.values())


@settings(max_examples=60, deadline=None)
@given(counts=counts_st, selector=st.sampled_from(
    ["auto", "majority", "not minority", "not majority", "all"]))
def test_under_sampling_string_plans_keep_the_minority_count(counts, selector):
    """Check that under-sampling targets keep exactly the minority count."""
    plan = SamplingPlan.build(selector, _y(counts), "under-sampling")
    assert set(plan.counts.values()) <= {min(counts)}


@settings(max_examples=60, deadline=None)
@given(counts=counts_st, data=st.data())
def test_dict_plan_reaches_the_requested_counts(counts, data):
    """Check that a dict plan adds exactly target - current samples per named class."""
    y = _y(counts)
    chosen = data.draw(st.sets(st.sampled_from(range(len(counts))), min_size=1))
    targets = {c: counts[c] + data.draw(st.integers(0, 30)) for c in chosen}
    plan = SamplingPlan.build(targets, y, "over-sampling")
    assert {c: counts[c] + v for c, v in plan.counts.items()} == targets


@settings(max_examples=40, deadline=None)
@given(n_min=st.integers(1, 40), n_max=st.integers(41, 200), ratio=st.floats(0.3, 1.0))
def test_float_plan_matches_the_ratio(n_min, n_max, ratio):
    """Check the float rule: int(ratio * n_majority) - n_minority samples added."""
    y = _y([n_max, n_min])
    if int(ratio * n_max) < n_min:
        with pytest.raises(SamplingStrategyError, match="increase the ratio"):
            SamplingPlan.build(ratio, y, "over-sampling")
        return
    plan = SamplingPlan.build(ratio, y, "over-sampling")
    assert dict(plan.counts) == {1: int(ratio * n_max) - n_min}


def test_callable_plan_is_called_with_y():
    """Check that a callable strategy receives y and its dict is used."""
    y = _y([10, 4])
    plan = SamplingPlan.build(lambda yy: {1: int(Counter(yy)[0])}, y, "over-sampling")
    assert dict(plan.counts) == {1: 6}


def test_string_labels_and_ties_pick_the_smallest_label():
    """Check that with tied counts the minority is the smallest label, as in imbalanced-learn."""
    y = np.array(["b"] * 3 + ["a"] * 3 + ["c"] * 9)
    assert list(SamplingPlan.build("minority", y, "over-sampling").counts) == ["a"]


def test_clean_plan_takes_a_list():
    """Check that cleaning plans accept a list of classes and refuse dicts."""
    y = _y([10, 4, 3])
    assert dict(check_sampling_strategy([0, 1], y, "clean-sampling")) == {0: 3, 1: 3}
    with pytest.raises(SamplingStrategyError, match="list of classes"):
        check_sampling_strategy({0: 3}, y, "clean-sampling")


@pytest.mark.parametrize(
    ("strategy", "kind", "fragment"),
    [
        (0.5, "over-sampling", "only defined for two classes"),
        ({7: 10}, "over-sampling", "not in y"),
        ({1: 2}, "over-sampling", "already has 4"),
        ({0: 20}, "under-sampling", "has only 10"),
        ({1: -1}, "over-sampling", "negative"),
        ({1: 4.5}, "over-sampling", "integer"),
        ("bogus", "over-sampling", "not a known option"),
        ("majority", "over-sampling", "cannot grow"),
        ("minority", "under-sampling", "never reduced"),
        ([0], "over-sampling", "only accepted by cleaning"),
        (lambda y: [1], "over-sampling", "must return a dict"),
    ],
)
def test_bad_strategies_give_specific_errors(strategy, kind, fragment):
    """Check that each invalid strategy gets an error naming the problem."""
    with pytest.raises(SamplingStrategyError, match=fragment):
        SamplingPlan.build(strategy, _y([10, 4, 3]), kind)


def test_single_class_is_refused():
    """Check that a single class cannot be planned."""
    with pytest.raises(SamplingStrategyError, match="single class"):
        SamplingPlan.build("auto", np.zeros(5), "over-sampling")
