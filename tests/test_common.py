"""The common checks, run over every sampler smotelab ships."""

import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from smotelab.over_sampling import ADASYN, SMOTE, RandomOverSampler
from smotelab.under_sampling import TomekLinks
from smotelab.utils import estimator_checks as ec
from smotelab.utils.discovery import all_samplers

# One place for the instances the common checks run on.
INIT_PARAMS = {
    "RandomOverSampler": [{"random_state": 0}, {"random_state": 0, "shrinkage": 0.5}],
    "SMOTE": [{"random_state": 0}, {"random_state": 0, "k_neighbors": 3}],
    "BorderlineSMOTE": [
        {"random_state": 0},
        {"random_state": 0, "kind": "borderline-2", "k_neighbors": 3, "m_neighbors": 6},
    ],
    "ADASYN": [{"random_state": 0}, {"random_state": 0, "n_neighbors": 3}],
    "SVMSMOTE": [{"random_state": 0}, {"random_state": 0, "out_step": 1.0, "m_neighbors": 5}],
    "InstanceHardnessThreshold": [
        {"random_state": 0, "estimator": RandomForestClassifier(n_estimators=10, random_state=0)},
        {"random_state": 0, "estimator": LogisticRegression(), "cv": 3},
    ],
    "ClusterCentroids": [
        {"random_state": 0},
        {"random_state": 0, "voting": "hard"},
    ],
    "NearMiss": [{}, {"version": 2, "n_neighbors": 2}],
    "RandomUnderSampler": [{"random_state": 0}, {"random_state": 0, "replacement": True}],
    "TomekLinks": [{}],
    "EditedNearestNeighbours": [{}, {"kind_sel": "mode", "n_neighbors": 5}],
    "RepeatedEditedNearestNeighbours": [{}, {"kind_sel": "mode", "max_iter": 3}],
    "AllKNN": [{}, {"allow_minority": True, "n_neighbors": 4}],
    "NeighbourhoodCleaningRule": [{}, {"n_neighbors": 5, "threshold_cleaning": 0.1}],
    "CondensedNearestNeighbour": [{"random_state": 0}, {"random_state": 0, "n_neighbors": 3,
                                                        "n_seeds_S": 3}],
    "OneSidedSelection": [{"random_state": 0},
                          {"random_state": 0, "n_neighbors": 3, "n_seeds_S": 5}],
    "SMOTEENN": [{"random_state": 0}],
    "SMOTEIPF": [{"random_state": 0}],
    "IterativePartitioningFilter": [{"random_state": 0},
                                    {"random_state": 0, "n_splits": 3, "threshold": 0.05}],
    "SMOTETomek": [{"random_state": 0}],
    "OverThenClean": [
        {"over_sampler": SMOTE(random_state=0)},
        {"over_sampler": ADASYN(random_state=0), "cleaner": TomekLinks(sampling_strategy="all")},
    ],
    "SMOTENC": [
        {"categorical_features": [3], "random_state": 0},
        {"categorical_features": [1, 3], "random_state": 0, "k_neighbors": 3},
    ],
    "SMOTEN": [{"random_state": 0}, {"random_state": 0, "k_neighbors": 3}],
    "ProWSyn": [{"random_state": 0}, {"random_state": 0, "n_neighbors": 3, "n_levels": 3,
                                       "theta": 0.5}],
    "LeeSMOTE": [{"random_state": 0}, {"random_state": 0, "k_neighbors": 3, "m_neighbors": 7,
                                        "rejection_level": 0.3}],
    "PolynomFitSMOTE": [{"random_state": 0}, {"random_state": 0, "topology": "bus"},
                        {"random_state": 0, "topology": "mesh"},
                        {"random_state": 0, "topology": "poly_2"},
                        {"random_state": 0, "topology": "curve_3"}],
    "SMOBD": [{"random_state": 0}, {"random_state": 0, "eta": 0.2, "min_samples": 3,
                                     "max_eps": 2.0}],
    "GeometricSMOTE": [{"random_state": 0},
                       {"random_state": 0, "truncation_factor": -0.5, "deformation_factor": 0.3,
                        "selection_strategy": "majority", "k_neighbors": 3}],
    "KMeansSMOTE": [
        {"random_state": 0},
        {"random_state": 0, "kmeans_estimator": 3, "k_neighbors": 3},
    ],
}


def _instances():
    for name, cls in all_samplers():
        for params in INIT_PARAMS.get(name, [{}]):
            yield pytest.param(cls(**params), id=f"{name}({params})")


def _checks():
    for inst in _instances():
        sampler = inst.values[0]
        for check in ec.sampler_checks(sampler):
            yield pytest.param(sampler, check, id=f"{inst.id}-{check.__name__}")


def test_every_sampler_has_init_params():
    """Check that every shipped sampler is configured for the common checks."""
    assert {name for name, _ in all_samplers()} <= set(INIT_PARAMS)
    assert {"SMOTE", "RandomOverSampler"} <= {name for name, _ in all_samplers()}


@pytest.mark.parametrize(("sampler", "check"), list(_checks()))
def test_common_checks(sampler, check):
    """Check that the sampler passes the common check."""
    check(sampler)


@pytest.mark.parametrize(
    "sk_check",
    [
        check_get_params_invariance,
        check_set_params,
        check_no_attributes_set_in_init,
        check_parameters_default_constructible,
    ],
)
@pytest.mark.parametrize("name_cls", all_samplers(), ids=lambda nc: nc[0])
def test_sklearn_checks(sk_check, name_cls):
    """Check scikit-learn's own estimator checks that apply to samplers."""
    name, cls = name_cls
    # parameters without a default (SMOTENC's categorical_features) come from INIT_PARAMS
    required = {k: v for k, v in INIT_PARAMS[name][0].items() if k != "random_state"}
    try:
        inst = cls()
    except TypeError:
        inst = cls(**required)
    sk_check(name, inst)


def test_common_checks_catch_a_broken_sampler():
    """Check that the common checks fail for a sampler that changes the originals."""

    class Broken(RandomOverSampler):
        def _fit_resample(self, X, y, *, plan, streams):
            X_res, y_res = super()._fit_resample(X, y, plan=plan, streams=streams)
            X_res = X_res.copy()
            X_res[0] += 1
            return X_res, y_res

    with pytest.raises(AssertionError):
        ec.check_originals_first(Broken(random_state=0))
