"""The Dask engine runs the samplers' own plans: subclasses run there, equal to memory."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotelab.exceptions import DataValidationError
from smotelab.over_sampling import SMOTE, BorderlineSMOTE
from smotelab.over_sampling._base import ClassPlan
from smotelab.under_sampling import RandomUnderSampler, TomekLinks
from smotelab.utils._tags import sampler_tags
from tests._dask_data import split as _split

da = pytest.importorskip("dask.array")


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=1500, n_classes=3, n_informative=4,
                               weights=[0.7, 0.2, 0.1], random_state=1)


class MySMOTE(SMOTE):
    pass


class FirstHalfSMOTE(SMOTE):
    """Seeds only from the first half of each class, steps at most half-way."""

    def _class_plan(self, X, task):
        plan = super()._class_plan(X, task)
        half = max(2, len(plan.seeds) // 2)
        return ClassPlan(seeds=plan.seeds[:half], neighbors=plan.neighbors[:half],
                         step_range=(0.0, 0.5))


class TimidBorderline(BorderlineSMOTE):
    """Borderline-SMOTE whose steps stop at a third of the way."""

    def _class_plan(self, X, task):
        plan = super()._class_plan(X, task)
        hi = np.minimum(plan.step_range[1], 1 / 3)
        return ClassPlan(seeds=plan.seeds, neighbors=plan.neighbors, step_range=(0.0, hi),
                         fitted_rows=plan.fitted_rows)


class ReplacedAlgorithm(RandomUnderSampler):
    """Keeps the tag's class but replaces the algorithm: must not run the inherited plan."""

    def _fit_resample(self, X, y, *, plan, streams):
        return super()._fit_resample(X, y, plan=plan, streams=streams)


@pytest.mark.parametrize("sampler", [
    MySMOTE(random_state=0), FirstHalfSMOTE(random_state=0),
    TimidBorderline(random_state=0, kind="borderline-1"),
    TimidBorderline(random_state=0, kind="borderline-2"),
], ids=lambda s: f"{type(s).__name__}-{getattr(s, 'kind', '')}")
@pytest.mark.parametrize("parts", [1, 5])
def test_subclasses_run_on_dask_and_equal_the_in_memory_output(data, sampler, parts):
    """Check a subclass that changes where / with whom / how far runs on Dask, exactly."""
    from sklearn.base import clone

    X, y = data
    ref = clone(sampler)
    X_ref, y_ref = ref.fit_resample(X, y)
    s = clone(sampler)
    X_res, y_res = s.fit_resample(*_split(X, y, parts))
    np.testing.assert_array_equal(X_res.compute(), X_ref)
    np.testing.assert_array_equal(y_res.compute(), y_ref)
    for key in ("parent", "neighbor", "step"):
        np.testing.assert_array_equal(np.asarray(s.provenance_[key].compute()),
                                      ref.provenance_[key])
    if hasattr(ref, "in_danger_indices_"):  # fitted rows mapped back to input rows
        assert ref.in_danger_indices_.keys() == s.in_danger_indices_.keys()
        for label, rows in ref.in_danger_indices_.items():
            np.testing.assert_array_equal(s.in_danger_indices_[label], rows)


def test_plans_are_declared_by_tags_and_inherited():
    """Check the tag names the plan, subclasses inherit it, a replaced algorithm loses it."""
    assert sampler_tags(MySMOTE()).distributed_plan == "interpolate"
    assert sampler_tags(TimidBorderline()).distributed_plan == "interpolate"
    assert sampler_tags(TomekLinks()).distributed_plan == "tomek-links"
    assert sampler_tags(RandomUnderSampler()).distributed_plan == "random-selection"
    assert sampler_tags(ReplacedAlgorithm()).distributed_plan is None


def test_a_replaced_algorithm_is_refused_on_dask(data):
    """Check a subclass that replaces _fit_resample is not run with its parent's plan."""
    X, y = data
    with pytest.raises(DataValidationError, match="ReplacedAlgorithm does not take Dask"):
        ReplacedAlgorithm(random_state=0).fit_resample(*_split(X, y, 3))


def test_partition_local_plan_runs_a_subclass_plan(data):
    """Check the partition-local mode runs the subclass's own class plan."""
    import dask

    X, y = data
    with dask.config.set({"smotelab.neighbours": "partition"}):
        s = FirstHalfSMOTE(random_state=0)
        X_res, _ = s.fit_resample(*_split(X, y, 3))
        X_res = X_res.compute()
    step = np.asarray(s.provenance_["step"].compute())
    assert len(X_res) > len(X) and step.max() < 0.5


def test_rows_no_plan_reads_are_validated_lazily(data):
    """Check a NaN in a row SMOTE never gathers (the majority) is refused when the
    output is computed, naming the column and the partition, as in memory."""
    import dask.dataframe as dd
    import pandas as pd

    X, y = data
    X = X.copy()
    row = int(np.flatnonzero(y == 0)[-1])
    X[row, 2] = np.nan
    with pytest.raises(DataValidationError, match="NaN"):
        SMOTE(random_state=0).fit_resample(X, y)  # in memory
    X_res, _ = SMOTE(random_state=0).fit_resample(*_split(X, y, 4))
    with pytest.raises(DataValidationError, match=r"partition 3: .*column\(s\) 2"):
        X_res.compute()
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    Xd = dd.from_pandas(frame, npartitions=4)
    yd = dd.from_pandas(pd.Series(y, name="t"), npartitions=4)
    X_res, _ = SMOTE(random_state=0).fit_resample(Xd, yd)
    with pytest.raises(DataValidationError, match=r"partition \d: .*'f2'"):
        X_res.compute()
    # nothing wrong: the same output as before the check existed
    X_ok, _ = SMOTE(random_state=0).fit_resample(*_split(data[0], y, 4))
    np.testing.assert_array_equal(X_ok.compute(),
                                  SMOTE(random_state=0).fit_resample(data[0], y)[0])


def _slow_rows(X, i, seconds):
    import time

    time.sleep(seconds)
    return X


def test_a_worker_killed_mid_compute_still_gives_the_exact_output(data):
    """Check a worker restarted while the output is computed: Dask reruns its tasks, and
    the (class, block) streams make the rerun draw the same rows."""
    import time

    import dask
    import dask.array as dar

    distributed = pytest.importorskip("distributed")
    X, y = data
    ref, _ = SMOTE(random_state=0).fit_resample(X, y)
    step = -(-len(X) // 6)
    parts = [dar.from_delayed(dask.delayed(_slow_rows)(X[a:a + step], a, 0.6),
                              shape=(min(step, len(X) - a), X.shape[1]), dtype=X.dtype)
             for a in range(0, len(X), step)]
    Xd = dar.concatenate(parts)
    yd = dar.from_array(y, chunks=(Xd.chunks[0],))
    # (":0": any free port, beside another test's cluster that may still run)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        X_res, _ = SMOTE(random_state=0).fit_resample(Xd, yd)
        future = client.compute(X_res)
        time.sleep(0.8)  # the slow partitions are running now
        victim = sorted(client.scheduler_info()["workers"])[0]
        client.restart_workers([victim])
        out = future.result(timeout=120)
    np.testing.assert_array_equal(out, ref)


def _failing(part):
    raise RuntimeError("disk full")


def test_write_parquet_appears_whole_or_not_at_all(data, tmp_path):
    """Check the balanced data written to parquet equal the in-memory output; a failing
    partition leaves no target and no temporary directory; targets are not overwritten
    unless asked."""
    import dask.dataframe as dd
    import pandas as pd

    from smotelab.dask import write_parquet

    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    Xd = dd.from_pandas(frame, npartitions=3)
    yd = dd.from_pandas(pd.Series(y, name="t"), npartitions=3)
    X_res, y_res = SMOTE(random_state=0).fit_resample(Xd, yd)
    write_parquet({tmp_path / "X": X_res, tmp_path / "y": y_res}, write_index=False)
    ref_X, ref_y = SMOTE(random_state=0).fit_resample(frame, pd.Series(y, name="t"))
    np.testing.assert_array_equal(pd.read_parquet(tmp_path / "X").to_numpy(), ref_X.to_numpy())
    np.testing.assert_array_equal(pd.read_parquet(tmp_path / "y")["t"].to_numpy(), ref_y)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write_parquet({tmp_path / "X": X_res})
    broken = X_res.map_partitions(_failing, meta=X_res._meta)
    with pytest.raises(RuntimeError, match="disk full"):
        write_parquet({tmp_path / "Z": broken, tmp_path / "X": X_res}, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["X", "y"]  # nothing partial
    write_parquet({tmp_path / "X": X_res.iloc[:, :2]}, overwrite=True, write_index=False)
    assert pd.read_parquet(tmp_path / "X").shape[1] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["X", "y"]


@pytest.mark.parametrize("make", [lambda: SMOTE(random_state=0), TomekLinks,
                                  lambda: RandomUnderSampler(random_state=0)],
                         ids=["smote", "tomek", "random-under"])
def test_a_dask_fit_records_the_input_as_in_memory(data, make):
    """Check n_features_in_ and feature_names_in_ after a Dask fit: those of the same fit
    in memory (names for string-named frame columns only, none for arrays), and
    get_feature_names_out answers."""
    from tests._dask_data import frames

    pd = pytest.importorskip("pandas")
    X, y = data
    ref = make().fit(pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])]), y)
    s = make()
    s.fit_resample(*frames(X, y, 3))
    assert s.n_features_in_ == ref.n_features_in_ == X.shape[1]
    np.testing.assert_array_equal(s.feature_names_in_, ref.feature_names_in_)
    np.testing.assert_array_equal(s.get_feature_names_out(), ref.feature_names_in_)
    s.fit_resample(*_split(X, y, 3))  # arrays: the names of the last fit are gone
    assert s.n_features_in_ == X.shape[1] and not hasattr(s, "feature_names_in_")
