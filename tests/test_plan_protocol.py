"""The one driver of the plan protocol: variants written here, changing one stage each,
run on every engine with no change to the engines.

Each variant overrides exactly one thing: its class plan (where / with whom / how far),
how a block of rows is made (``_block_rows``), how a class's rows are made as a whole
(``_generate``), or the targets of its rows (``PlanNeeds(targets=True)``). On the exact
Dask plan each must equal its in-memory output bit for bit, on 1, 4 and 13 partitions;
on the partition-local plan (approximate by design: neighbours within each partition)
each must still show its own behaviour.
"""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification

from smotelab._plan import ClassPlan, PlanNeeds, makes_rows_whole
from smotelab.over_sampling import SMOTE
from smotelab.utils._tags import sampler_tags
from tests._dask_data import split

pytest.importorskip("dask.array")


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=1200, n_classes=3, n_informative=4,
                               weights=[0.6, 0.25, 0.15], random_state=7)
    return X, y.astype(np.float64)  # float labels: the target variant makes new values


class NearHalfSMOTE(SMOTE):
    """Only its class plan: seeds from the first half of each class, steps below 0.3."""

    def _class_plan(self, X, task):
        plan = super()._class_plan(X, task)
        half = max(2, len(plan.seeds) // 2)
        return ClassPlan(seeds=plan.seeds[:half], neighbors=plan.neighbors[:half],
                         step_range=(0.0, 0.3))


class MidpointSMOTE(SMOTE):
    """Only how a block is made: every new row is the midpoint of a seed and a neighbour
    of its, drawn from the block's own stream."""

    def _own_rows(self):
        return True

    def _block_rows(self, Xn, spec, rng, start, size):
        seeds, table = spec["seeds"], spec["neighbors"]
        seed = rng.integers(0, len(seeds), size=size)
        col = rng.integers(0, table.shape[1], size=size)
        parent, neighbor = seeds[seed], table[seed, col]
        return (Xn[parent] + Xn[neighbor]) / 2, parent, neighbor, np.full(size, 0.5)


class RoundedSMOTE(SMOTE):
    """Only ``_generate``: a class's rows made as SMOTE makes them, then rounded to a
    tenth (the rows of one class as a whole)."""

    def _generate(self, Xn, task, kwargs, out=None):
        prov = super()._generate(Xn, task, kwargs, out=out)
        np.round(out, 1, out=out)
        return prov


class TargetSMOTE(MidpointSMOTE):
    """Declares that its plans make targets: each new row's target is its class label
    plus a quarter of the seed's target share ``task.targets`` says (here the label),
    scaled, so it is not a class label."""

    def _plan_needs(self):
        return PlanNeeds(targets=True)

    def _class_plan(self, X, task):
        plan = super()._class_plan(X, task)
        return ClassPlan(seeds=plan.seeds, neighbors=plan.neighbors,
                         data={"targets": task.targets})

    def _block_rows(self, Xn, spec, rng, start, size):
        rows, parent, neighbor, step = super()._block_rows(Xn, spec, rng, start, size)
        made = spec["data"]["targets"][parent] + 0.25 + 0.001 * np.arange(start, start + size)
        return rows, parent, neighbor, step, made


class InterpolatedTargetSMOTE(SMOTE):
    """Declares targets and makes them from each row's provenance (``target_of``), as
    SMOTER does: the seed's target moved by the row's step toward its neighbour's (here
    toward 3 times it, so the targets are not class labels)."""

    def _plan_needs(self):
        return PlanNeeds(targets=True)

    def _class_plan(self, X, task):
        plan = super()._class_plan(X, task)
        t = task.targets

        def target_of(parent, neighbor, step):
            return t[parent] + step * (3 * t[neighbor] - t[parent])

        return ClassPlan(seeds=plan.seeds, neighbors=plan.neighbors, target_of=target_of)


VARIANTS = [NearHalfSMOTE, MidpointSMOTE, RoundedSMOTE, TargetSMOTE, InterpolatedTargetSMOTE]


def _computed(sampler, X, y):
    X_res, y_res = sampler.fit_resample(X, y)
    if hasattr(X_res, "compute"):
        X_res, y_res = X_res.compute(), y_res.compute()
    prov = {k: np.asarray(v.compute() if hasattr(v, "compute") else v)
            for k, v in sampler.provenance_.items()}
    return X_res, y_res, prov


def _signature(make, X, X_res, y_res, prov):
    """What the variant, and only it, does to the new rows."""
    n = len(X)
    new, step = X_res[n:], prov["step"]
    assert len(new) > 0
    if make is NearHalfSMOTE:
        assert step.max() < 0.3
        rebuilt = X[prov["parent"]] + step[:, None] * (X[prov["neighbor"]] - X[prov["parent"]])
        np.testing.assert_allclose(new, rebuilt, rtol=1e-12, atol=1e-12)
    elif make in (MidpointSMOTE, TargetSMOTE):
        np.testing.assert_allclose(new, (X[prov["parent"]] + X[prov["neighbor"]]) / 2)
    elif make is RoundedSMOTE:
        np.testing.assert_allclose(new, np.round(new, 1))
    if make is InterpolatedTargetSMOTE:
        t = y_res[prov["parent"]], y_res[prov["neighbor"]]
        np.testing.assert_allclose(prov["target"], t[0] + step * (3 * t[1] - t[0]))
    if make in (TargetSMOTE, InterpolatedTargetSMOTE):
        assert "target" in prov
        np.testing.assert_array_equal(y_res[n:], prov["target"])
        assert not np.isin(y_res[n:], np.unique(y_res[:n])).any()
    else:
        np.testing.assert_array_equal(y_res[n:], prov["class"])


@pytest.mark.parametrize("make", VARIANTS, ids=lambda c: c.__name__)
def test_each_variant_keeps_its_own_behaviour_in_memory(data, make):
    """Check each variant's one override shapes the rows it makes in memory."""
    X, y = data
    _signature(make, X, *_computed(make(random_state=0), X, y))


@pytest.mark.parametrize("parts", [1, 4, 13])
@pytest.mark.parametrize("make", VARIANTS, ids=lambda c: c.__name__)
def test_each_variant_equals_its_in_memory_output_on_exact_dask(data, make, parts):
    """Check the exact Dask plan runs each variant's own stage and gives the in-memory
    rows, labels or targets and provenance bit for bit."""
    X, y = data
    ref = _computed(make(random_state=0), X, y)
    got = _computed(make(random_state=0), *split(X, y, parts))
    for a, b in zip(ref[:2], got[:2], strict=True):
        np.testing.assert_array_equal(a, b)
    assert ref[2].keys() == got[2].keys()
    for key in ref[2]:
        np.testing.assert_array_equal(ref[2][key], got[2][key])


@pytest.mark.parametrize("parts", [1, 4, 13])
@pytest.mark.parametrize("make", VARIANTS, ids=lambda c: c.__name__)
def test_each_variant_runs_partition_local(data, make, parts):
    """Check the partition-local plan runs each variant's own stage in every partition:
    the counts of the in-memory fit, the variant's signature on every new row, and
    each row's parent and neighbour in the same partition."""
    import dask

    X, y = data
    assert sampler_tags(make()).partition_local
    with dask.config.set({"smotelab.neighbours": "partition"}):
        X_res, y_res, prov = _computed(make(random_state=0), *split(X, y, parts))
    ref_y = make(random_state=0).fit_resample(X, y)[1]
    assert len(X_res) == len(ref_y)
    _signature(make, X, X_res, y_res, prov)
    chunk = -(-len(X) // parts)
    assert (prov["parent"] // chunk == prov["neighbor"] // chunk).all()


def test_the_driver_knows_a_replaced_generate():
    """Check a variant that replaces _generate is told apart from one that does not."""
    assert makes_rows_whole(RoundedSMOTE())
    assert not makes_rows_whole(MidpointSMOTE()) and not makes_rows_whole(SMOTE())


def test_targets_declared_but_not_made_are_refused(data):
    """Check a plan that declares targets but makes rows without them gets a clear error."""

    class Forgetful(TargetSMOTE):
        def _block_rows(self, Xn, spec, rng, start, size):
            return MidpointSMOTE._block_rows(self, Xn, spec, rng, start, size)

    X, y = data
    with pytest.raises(TypeError, match="declares targets.*came with none"):
        Forgetful(random_state=0).fit_resample(X, y)


def test_targets_follow_the_container(data):
    """Check generated targets come back in y's own container (a pandas Series keeps its
    name and dtype) and equal the numpy output."""
    pd = pytest.importorskip("pandas")
    X, y = data
    ref = TargetSMOTE(random_state=0).fit_resample(X, y)[1]
    got = TargetSMOTE(random_state=0).fit_resample(pd.DataFrame(X),
                                                   pd.Series(y, name="t"))[1]
    assert isinstance(got, pd.Series) and got.name == "t" and got.dtype == np.float64
    np.testing.assert_array_equal(got.to_numpy(), ref)


def test_clone_keeps_variants_usable(data):
    """Check the variants are ordinary estimators (clone, get_params)."""
    for make in VARIANTS:
        s = clone(make(k_neighbors=3, random_state=1))
        assert s.get_params()["k_neighbors"] == 3


def test_a_misspelt_tag_is_an_error_not_a_default():
    """Check tags are fields: setting one that does not exist fails at once."""
    from smotelab.utils._tags import SamplerTags

    tags = SamplerTags()
    with pytest.raises(AttributeError):
        tags.neigbor_scope = "any"  # type: ignore[attr-defined]
    assert sampler_tags(SMOTE()).partition_local
    assert not sampler_tags(NearHalfSMOTE()).combines


def test_needs_say_which_samplers_read_all_rows():
    """Check the shipped variants' needs: what they read about all rows decides whether
    a partition-local plan exists, with no per-variant flag."""
    from smotelab.over_sampling import (
        ADASYN,
        BorderlineSMOTE,
        GeometricSMOTE,
        LeeSMOTE,
        ProWSyn,
    )

    for sampler in (ADASYN(), BorderlineSMOTE(), GeometricSMOTE(), LeeSMOTE(), ProWSyn()):
        assert sampler._plan_needs().all_rows
        assert not sampler_tags(sampler).partition_local
        assert sampler._plan_needs().describe() != "nothing beyond the class's rows"
    assert not SMOTE()._plan_needs().all_rows
