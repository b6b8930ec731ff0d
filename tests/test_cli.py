"""The command line: every command in-process and as a subprocess, bad input, atomic writes."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from smotelab.cli import main
from smotelab.datasets import make_dragons

pytest.importorskip("click")


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    X, y = make_dragons(as_frame=True)
    df = X.assign(species=y)
    folder = tmp_path_factory.mktemp("farm")
    df.to_csv(folder / "farm.csv", index=False)
    df.to_parquet(folder / "farm.parquet")
    return df, folder


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_resample_csv_and_parquet_with_provenance(farm, tmp_path, capsys):
    """Check the output table (columns in place, originals first, counts) and provenance."""
    df, folder = farm
    out, prov = tmp_path / "out.csv", tmp_path / "prov.parquet"
    code = main(["resample", str(folder / "farm.csv"), str(out), "--target", "species",
                 "--method", "smote", "-s", "dragon:400", "--provenance", str(prov)])
    assert code == 0
    res = pd.read_csv(out)
    assert list(res.columns) == list(df.columns)
    pd.testing.assert_frame_equal(res.iloc[: len(df)], df, check_exact=False, rtol=1e-12)
    assert (res["species"] == "dragon").sum() == 400
    p = pd.read_parquet(prov)
    assert list(p.columns) == ["output_row", "parent", "neighbor", "step", "class"]
    assert p["output_row"].tolist() == list(range(len(df), len(res)))
    num = df.columns[:-1]
    rebuilt = (df.loc[p["parent"], num].to_numpy() + p["step"].to_numpy()[:, None]
               * (df.loc[p["neighbor"], num].to_numpy() - df.loc[p["parent"], num].to_numpy()))
    np.testing.assert_allclose(res.iloc[len(df):][num].to_numpy(), rebuilt, rtol=1e-9)
    assert "class counts" in capsys.readouterr().err
    assert _files(tmp_path) == ["out.csv", "prov.parquet"]  # no temporary files left
    assert main(["resample", str(folder / "farm.parquet"), str(tmp_path / "o.parquet"),
                 "-t", "species", "-m", "TomekLinks"]) == 0


def test_resample_categorical_and_options(tmp_path):
    """Check SMOTENC with --categorical, and options a method does not take."""
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=200), "colour": rng.choice(["red", "blue"], 200),
                       "label": np.where(rng.random(200) < 0.2, "rare", "common")})
    src = tmp_path / "mixed.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    assert main(["resample", str(src), str(out), "-t", "label", "-m", "SMOTENC",
                 "--categorical", "colour", "-k", "3"]) == 0
    assert set(pd.read_csv(out)["colour"]) == {"red", "blue"}
    assert main(["resample", str(src), str(out), "-t", "label", "-m", "SMOTE",
                 "--categorical", "colour"]) == 2
    assert main(["resample", str(src), str(out), "-t", "label", "-m", "TomekLinks",
                 "-k", "3"]) == 2


@pytest.mark.parametrize(("args", "code", "message"), [
    (["-t", "specis"], 1, "Did you mean 'species'"),
    (["-t", "species", "-m", "SMOOTE"], 2, "Did you mean SMOTE"),
    (["-t", "species", "-s", "lots"], 2, "is not a strategy"),
    (["-t", "species", "-s", "dragon:10"], 1, "dragon"),  # fewer than it has: refused
    (["-t", "species", "-k", "100", "-s", "dragon:60"], 1, "k_neighbors=100"),
])
def test_bad_values_write_nothing(farm, tmp_path, capsys, args, code, message):
    """Check wrong columns, methods, strategies and failing fits: the message, the exit code,
    and no output file."""
    _, folder = farm
    out = tmp_path / "out.csv"
    assert main(["resample", str(folder / "farm.csv"), str(out), *args]) == code
    assert message in capsys.readouterr().err
    assert _files(tmp_path) == []


@pytest.mark.parametrize(("make_input", "output", "message"), [
    (lambda d: d / "missing.csv", "out.csv", "no such file"),
    (lambda d: d, "out.csv", "is a directory"),
    (lambda d: d / "farm.xlsx", "out.csv", "unknown format"),
    (lambda d: d / "farm.csv", "nowhere/out.csv", "does not exist"),
    (lambda d: d / "farm.csv", "out.json", "use a file name ending in"),
])
def test_unreadable_and_unwritable_paths(farm, tmp_path, capsys, make_input, output, message):
    """Check unreadable inputs and unwritable outputs fail early, in one line."""
    _, folder = farm
    (folder / "farm.xlsx").write_text("not a table")
    code = main(["resample", str(make_input(folder)), str(tmp_path / output), "-t", "species"])
    err = capsys.readouterr().err
    assert code == 1 and message in err and err.startswith("smotelab: error:")
    assert err.count("\n") == 1 and _files(tmp_path) == []


def test_an_existing_output_survives_a_failure(farm, tmp_path):
    """Check a failed run leaves a previous output untouched (atomic replace)."""
    _, folder = farm
    out = tmp_path / "out.csv"
    out.write_text("previous result\n")
    assert main(["resample", str(folder / "farm.csv"), str(out), "-t", "species",
                 "-k", "100", "-s", "dragon:60"]) == 1
    assert out.read_text() == "previous result\n"
    assert _files(tmp_path) == ["out.csv"]


def test_diagnose_recommend_methods(farm, capsys):
    """Check the report (text and JSON), the recommendation and the method list."""
    _, folder = farm
    assert main(["diagnose", str(folder / "farm.csv"), "-t", "species"]) == 0
    assert "[noisy-minority]" in capsys.readouterr().out
    assert main(["diagnose", str(folder / "farm.parquet"), "-t", "species", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["dragon"] == 48 and report["findings"]
    assert main(["recommend", str(folder / "farm.csv"), "-t", "species"]) == 0
    assert capsys.readouterr().out.startswith("Recommended: ")
    assert main(["methods"]) == 0
    assert "SMOTENC" in capsys.readouterr().out


def test_recommend_by_cross_validation_and_autosampler_as_a_method(farm, tmp_path, capsys):
    """Check recommend --estimator (the scores, the guide as explanation) and AutoSampler
    in compare's methods."""
    df, _ = farm
    small = pd.concat([df[df.species == "dragon"], df[df.species != "dragon"].iloc[::6]])
    small.to_csv(tmp_path / "farm.csv", index=False)
    folder = tmp_path
    assert main(["recommend", str(folder / "farm.csv"), "-t", "species",
                 "--estimator", "logistic"]) == 0
    out = capsys.readouterr().out
    assert "Cross-validated with LogisticRegression" in out
    assert "Cross-validated on these data" in out and "SMOTEENN" in out
    assert main(["recommend", str(folder / "farm.csv"), "-t", "species",
                 "--time-budget", "5"]) == 2
    assert "add --estimator" in capsys.readouterr().err
    tiny = pd.concat([df[df.species == "dragon"], df[df.species != "dragon"].iloc[::40]])
    tiny.to_csv(tmp_path / "tiny.csv", index=False)  # AutoSampler searches in each fold
    assert main(["compare", str(folder / "tiny.csv"), "-t", "species", "--methods",
                 "SMOTE,AutoSampler", "--folds", "2", "--scoring", "balanced_accuracy"]) == 0
    out = capsys.readouterr().out
    assert "AutoSampler" in out and "failed" not in out
    assert main(["methods"]) == 0
    assert "AutoSampler" in capsys.readouterr().out


def test_compare_and_plot_write_files(farm, tmp_path, capsys):
    """Check compare's table (terminal and file) and PNGs from compare and plot."""
    pytest.importorskip("matplotlib")
    import matplotlib.image as mpimg

    _, folder = farm
    table, png = tmp_path / "table.csv", tmp_path / "compare.png"
    assert main(["compare", str(folder / "farm.csv"), "-t", "species", "--methods",
                 "none,SMOTE", "--folds", "3", "--output", str(table), "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "no resampling" in out and "SMOTE" in out and "±" in out
    assert set(pd.read_csv(table)["sampler"]) == {"no resampling", "SMOTE"}
    scatter = tmp_path / "scatter.png"
    assert main(["plot", str(folder / "farm.csv"), str(scatter), "-t", "species",
                 "-m", "ADASYN"]) == 0
    for path in (png, scatter):
        img = mpimg.imread(path)
        assert img.shape[0] > 200 and img.std() > 0.05


def test_help_reads_for_every_command(capsys):
    """Check --help works for the group and every command."""
    for args in ([], ["resample"], ["diagnose"], ["recommend"], ["compare"], ["plot"],
                 ["methods"], ["demo"]):
        assert main([*args, "--help"]) == 0
        assert "Usage: smotelab" in capsys.readouterr().out


def test_debug_shows_the_traceback(farm, tmp_path):
    """Check --debug lets the exception through."""
    _, folder = farm
    with pytest.raises(ValueError, match="not in the table"):
        main(["--debug", "resample", str(folder / "farm.csv"), str(tmp_path / "o.csv"),
              "-t", "nope"])


def test_subprocess_errors_are_one_line(farm, tmp_path):
    """Check the installed command as a subprocess: a missing target column."""
    _, folder = farm
    run = subprocess.run([sys.executable, "-m", "smotelab.cli", "resample",
                          str(folder / "farm.csv"), str(tmp_path / "o.csv"), "-t", "nope"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.startswith("smotelab: error: target column 'nope'")
    assert "Traceback" not in run.stderr and _files(tmp_path) == []


def test_every_command_on_a_classic_example(tmp_path, capsys):
    """Check diagnose, recommend, compare and plot on make_classification(weights=[.95, .05]),
    from Python and from the command line."""
    pytest.importorskip("matplotlib")
    from sklearn.datasets import make_classification

    from smotelab.diagnostics import compare, diagnose, recommend
    from smotelab.plotting import ResamplingDisplay

    X, y = make_classification(n_samples=2000, weights=[0.95, 0.05], random_state=0)
    report = diagnose(X, y)
    assert report.counts[1] < 150 and report.has("imbalance")
    rec = recommend(X, y, random_state=0, diagnosis=report)
    assert rec.reasons and rec.sampler.fit_resample(X, y)[0].shape[0] > len(X)
    table = compare(X, y, samplers=[None, rec.sampler], cv=3, progress=False)
    assert table["error"].eq("").all()
    assert ResamplingDisplay.from_sampler(rec.sampler, X, y).n_synthetic_ > 0
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])]).assign(label=y)
    src = tmp_path / "classic.csv"
    df.to_csv(src, index=False)
    for args in (["diagnose"], ["recommend"], ["compare", "--folds", "3", "--methods",
                                                "none,SMOTE", "--plot", str(tmp_path / "c.png")],
                 ["plot", str(tmp_path / "p.png")]):
        cmd = [args[0], str(src), *args[1:], "-t", "label"]
        assert main(cmd) == 0, cmd
    capsys.readouterr()
    assert (tmp_path / "c.png").stat().st_size > 5000 and (tmp_path / "p.png").stat().st_size > 5000


def test_resample_dry_run_prints_the_estimate_and_writes_nothing(farm, tmp_path, capsys):
    """Check --dry-run: classes before and after, rows to add, sizes; no output file."""
    _, folder = farm
    out = tmp_path / "never.csv"
    code = main(["resample", str(folder / "farm.csv"), str(out), "--target", "species",
                 "--method", "smote", "-s", "dragon:400", "--dry-run"])
    assert code == 0 and not out.exists() and _files(tmp_path) == []
    text = capsys.readouterr().out
    assert "SMOTE: 4,948 -> 5,300 rows" in text
    assert "class 'dragon': 48 -> 400" in text and "rows to add: 352" in text
    assert "memory available" in text
    code = main(["resample", str(folder / "farm.csv"), str(out), "--target", "species",
                 "--method", "tomeklinks", "--dry-run"])
    assert code == 0 and "at most" in capsys.readouterr().out


def test_estimate_matches_the_fit(farm):
    """Check the estimate against what fit_resample then makes."""
    from smotelab.over_sampling import SMOTE
    from smotelab.under_sampling import RandomUnderSampler
    from smotelab.utils import estimate_resampling

    df, _ = farm
    X, y = df.drop(columns="species"), df["species"]
    for sampler in (SMOTE(random_state=0), RandomUnderSampler(random_state=0)):
        e = estimate_resampling(sampler, X, y)
        _, y_res = sampler.fit_resample(X, y)
        assert e.exact and e.n_rows_out == len(y_res)
        assert {c: a for c, (_, a) in e.counts.items()} == y_res.value_counts().to_dict()


_SLOW_WRITER = """
import sys, time
import smotelab.cli._commands as commands
import smotelab.cli._io as io

def slow(df, path):
    def write(tmp):
        with open(tmp, "w") as fh:
            fh.write("half")
        print("writing", flush=True)
        time.sleep(60)
    io.write_atomic(path, write)

commands.write_table = slow
from smotelab.cli._main import main
sys.exit(main(sys.argv[1:]))
"""


def test_sigint_prints_one_line_and_leaves_no_partial_file(farm, tmp_path):
    """Check Ctrl-C mid-write: one line on stderr, code 130, no file left behind."""
    import signal

    _, folder = farm
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, "resample",
                             str(folder / "farm.csv"), str(out / "o.csv"), "-t", "species"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"  # the temporary file exists now
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip().splitlines() == ["smotelab: interrupted; no file was left half-written"]
    assert list(out.iterdir()) == []


def test_output_over_its_input_is_written_atomically(farm, tmp_path):
    """Check an output path equal to the input: the input is read first, the result
    replaces it whole (no partial file, no temporary left)."""
    import shutil

    _, folder = farm
    path = tmp_path / "farm.csv"
    shutil.copy(folder / "farm.csv", path)
    before = pd.read_csv(path)
    assert main(["resample", str(path), str(path), "-t", "species"]) == 0
    after = pd.read_csv(path)
    assert len(after) > len(before)
    pd.testing.assert_frame_equal(after.iloc[: len(before)], before, check_exact=False,
                                  rtol=1e-12)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["farm.csv"]


def test_encoding_problems_name_the_line(tmp_path, capsys):
    """Check a file that is not UTF-8 is reported with its line and column, nothing written."""
    path = tmp_path / "latin.csv"
    path.write_bytes(b"a,b,species\n1,2,x\n3,4,caf\xe9\n5,6,y\n")
    assert main(["resample", str(path), str(tmp_path / "o.csv"), "-t", "species"]) == 1
    err = capsys.readouterr().err
    assert "line 3, column 8 is not UTF-8 (byte 0xe9)" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latin.csv"]
