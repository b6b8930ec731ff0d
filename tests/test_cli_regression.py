"""The command line with a continuous target: --method SMOTER and its family."""

import numpy as np
import pandas as pd
import pytest

from smotelab.cli import main

pytest.importorskip("click")


@pytest.fixture(scope="module")
def houses(tmp_path_factory):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    df.insert(1, "price", np.exp(X[:, 0] + 0.3 * rng.normal(size=400)))
    folder = tmp_path_factory.mktemp("houses")
    df.to_csv(folder / "houses.csv", index=False)
    return df, folder


def test_resample_a_continuous_target_with_provenance(houses, tmp_path, capsys):
    """Check the table equals the library's output (target column in place), the
    provenance has the targets, and the summary names the bumps."""
    from smotelab.regression import SMOTER

    df, folder = houses
    out, prov = tmp_path / "out.csv", tmp_path / "prov.csv"
    code = main(["resample", str(folder / "houses.csv"), str(out), "--target", "price",
                 "--method", "smoter", "--random-state", "0", "--provenance", str(prov)])
    assert code == 0
    res = pd.read_csv(out)
    assert list(res.columns) == list(df.columns)
    X_ref, y_ref = SMOTER(random_state=0).fit_resample(df.drop(columns="price"), df["price"])
    np.testing.assert_allclose(res["price"], y_ref, rtol=1e-12)
    np.testing.assert_allclose(res[["a", "b", "c"]], X_ref, rtol=1e-12)
    p = pd.read_csv(prov)
    assert list(p.columns) == ["output_row", "parent", "neighbor", "step", "target", "bump"]
    np.testing.assert_allclose(res["price"].to_numpy()[p["output_row"]], p["target"])
    assert "rare" in capsys.readouterr().err


def test_dry_run_rates_and_errors(houses, tmp_path, capsys):
    """Check --dry-run prints the bumps and planned rows and writes nothing; explicit
    rates; a classification sampler on a continuous target and a bad strategy say why."""
    df, folder = houses
    out = tmp_path / "out.csv"
    assert main(["resample", str(folder / "houses.csv"), str(out), "-t", "price", "-m",
                 "SMOTER", "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "bump 1 (rare" in text and "output:" in text and not out.exists()
    assert main(["resample", str(folder / "houses.csv"), str(out), "-t", "price", "-m",
                 "RegressionRandomUnderSampler", "-s", "0.5"]) == 0
    assert len(pd.read_csv(out)) < len(df)
    assert main(["resample", str(folder / "houses.csv"), str(out), "-t", "price", "-m",
                 "SMOTE"]) != 0
    assert "smotelab.regression" in capsys.readouterr().err
    assert main(["resample", str(folder / "houses.csv"), str(out), "-t", "price", "-m",
                 "SMOGN", "-s", "weird"]) != 0
    assert "'balance', 'extreme'" in capsys.readouterr().err


def test_diagnose_a_continuous_target(houses, capsys):
    """Check `smotelab diagnose` reports the bumps of a continuous target, in text and
    JSON."""
    import json

    _, folder = houses
    assert main(["diagnose", str(folder / "houses.csv"), "--target", "price"]) == 0
    assert "RARE" in capsys.readouterr().out
    assert main(["diagnose", str(folder / "houses.csv"), "--target", "price", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [b["rare"] for b in report["bumps"]] == [False, True]
