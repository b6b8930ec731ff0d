"""The click commands behind ``smotelab``; :func:`smotelab.cli.main` runs them."""

from __future__ import annotations

import difflib
import inspect
import json
import sys
import time
from typing import Any

import click

from ..utils._tags import sampler_tags
from ._io import CommandError, check_writable, read_table, split_target, write_atomic, write_table

_TABLES = (".csv", ".tsv", ".parquet", ".pq")
_NAMED_STRATEGIES = ("auto", "minority", "not minority", "not majority", "all", "majority")


def _samplers() -> dict[str, type]:
    from ..model_selection import AutoSampler
    from ..utils.discovery import all_samplers

    found = {name: cls for name, cls in all_samplers() if name != "OverThenClean"}
    return {**found, "AutoSampler": AutoSampler, **_regression_samplers()}


def _regression_samplers() -> dict[str, type]:
    """The samplers of a continuous target (``--method SMOTER``, ...)."""
    import smotelab.regression as reg

    return {name: getattr(reg, name) for name in ("SMOTER", "SMOGN", "WERCS",
                                                  "GaussianNoiseSampler",
                                                  "RegressionRandomOverSampler",
                                                  "RegressionRandomUnderSampler")}


def _is_regression(cls: type) -> bool:
    return cls in _regression_samplers().values()


def _rates(text: str) -> Any:
    """``--sampling-strategy`` of a regression sampler: 'balance', 'extreme', or one
    rate (every bump) or comma-separated rates (one per bump, in target order)."""
    if text in ("balance", "extreme"):
        return text
    try:
        rates = [float(part) for part in text.split(",")]
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a strategy of a regression sampler: use 'balance', 'extreme', "
            "a rate (2.5) or one rate per bump ('0.5,3').",
            param_hint="--sampling-strategy") from None
    return rates[0] if len(rates) == 1 else rates


# --estimator: the models a search can score candidates with, by name
_ESTIMATORS = ("knn", "logistic", "tree", "forest", "svc")


def _estimator(name: str, random_state: int) -> Any:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    models = {"knn": lambda: make_pipeline(StandardScaler(), KNeighborsClassifier()),
              "logistic": lambda: make_pipeline(StandardScaler(),
                                                LogisticRegression(max_iter=2000)),
              "tree": lambda: DecisionTreeClassifier(random_state=random_state),
              "forest": lambda: RandomForestClassifier(random_state=random_state),
              "svc": lambda: make_pipeline(StandardScaler(), SVC(random_state=random_state))}
    return models[name]()


def _sampler_class(name: str) -> type:
    known = _samplers()
    for key, cls in known.items():
        if key.lower() == name.lower():
            return cls
    close = difflib.get_close_matches(name, list(known), n=2, cutoff=0.5)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise click.BadParameter(f"unknown method {name!r}.{hint} Run `smotelab methods` for the "
                             "list.", param_hint="--method")


def _strategy(text: str | None, y: Any) -> Any:
    """``--sampling-strategy``: a float, a named strategy, or ``class:count,class:count``."""
    if text is None:
        return "auto"
    if text in _NAMED_STRATEGIES:
        return text
    try:
        return float(text)
    except ValueError:
        pass
    numeric = getattr(y, "dtype", None) is not None and y.dtype.kind in "iuf"
    out = {}
    for part in text.split(","):
        if ":" not in part:
            raise click.BadParameter(
                f"{text!r} is not a strategy: use a float, one of {', '.join(_NAMED_STRATEGIES)}, "
                "or class:count pairs such as 'dragon:500,horse:1200'.",
                param_hint="--sampling-strategy")
        key, _, count = part.rpartition(":")
        key = key.strip()
        try:
            label = (int(key) if float(key).is_integer() else float(key)) if numeric else key
            out[label] = int(count)
        except ValueError:
            raise click.BadParameter(f"cannot read {part!r} as class:count.",
                                     param_hint="--sampling-strategy") from None
    return out


def _build(method: str, y: Any, *, sampling_strategy: str | None, k_neighbors: int | None,
           random_state: int | None, categorical: str | None) -> Any:
    cls = _sampler_class(method)
    accepted = set(inspect.signature(cls).parameters)
    params: dict[str, Any] = {}
    if _is_regression(cls):
        if sampling_strategy is not None:
            params["sampling_strategy"] = _rates(sampling_strategy)
    elif "sampling_strategy" in accepted:
        params["sampling_strategy"] = _strategy(sampling_strategy, y)
    elif sampling_strategy is not None:
        raise click.BadParameter(f"{cls.__name__} takes no sampling strategy.",
                                 param_hint="--sampling-strategy")
    if "random_state" in accepted:
        params["random_state"] = random_state
    if k_neighbors is not None:
        name = next((p for p in ("k_neighbors", "n_neighbors") if p in accepted), None)
        if name is None:
            raise click.BadParameter(f"{cls.__name__} has no neighbour parameter.",
                                     param_hint="--k-neighbors")
        params[name] = k_neighbors
    if "categorical_features" in accepted:
        if categorical is None or categorical == "auto":
            params["categorical_features"] = "auto"
        else:
            params["categorical_features"] = [c.strip() for c in categorical.split(",")]
    elif categorical is not None:
        raise click.BadParameter(
            f"{cls.__name__} does not take categorical columns; use --method SMOTENC (mixed "
            "columns) or SMOTEN (all categorical).", param_hint="--categorical")
    return cls(**params)


def _note(message: str) -> None:
    click.echo(message, err=True)


def _target_option(f: Any) -> Any:
    return click.option("--target", "-t", required=True, metavar="COLUMN",
                        help="Name of the class-label column.")(f)


def _sampler_options(f: Any) -> Any:
    options = [
        click.option("--method", "-m", default="SMOTE", show_default=True, metavar="NAME",
                     help="Sampler class, e.g. SMOTE, ADASYN, SMOTENC, SMOTEENN, TomekLinks "
                          "(case-insensitive; `smotelab methods` lists them)."),
        click.option("--sampling-strategy", "-s", metavar="STRATEGY",
                     help="A float (two classes), auto, minority, not minority, not "
                          "majority, all, or class:count pairs like 'dragon:500,horse:900'."),
        click.option("--k-neighbors", "-k", type=click.IntRange(min=1), metavar="K",
                     help="Neighbours to interpolate with (the method's k_neighbors or "
                          "n_neighbors)."),
        click.option("--random-state", type=int, default=0, show_default=True, metavar="SEED",
                     help="Seed: the same seed gives the same output."),
        click.option("--categorical", metavar="auto|COL,COL",
                     help="SMOTENC's categorical columns (default auto: category, string "
                          "and boolean columns)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 96})
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.version_option(package_name="smotelab", message="%(prog)s %(version)s")
def cli(debug: bool) -> None:
    """Resampling for imbalanced classification: SMOTE and friends, exact and fast.

    \b
    Typical session:
      smotelab diagnose farm.csv --target species
      smotelab recommend farm.csv --target species
      smotelab compare farm.csv --target species --plot compare.png
      smotelab resample farm.csv balanced.csv --target species --method SMOTE

    Tables are CSV (.csv, .tsv) or Parquet (.parquet); outputs are written atomically.
    """


@cli.command()
@click.argument("input_path", metavar="INPUT")
@click.argument("output_path", metavar="OUTPUT")
@_target_option
@_sampler_options
@click.option("--provenance", "provenance_path", metavar="FILE",
              help="Also write each synthetic row's parent, neighbour and step (CSV/Parquet).")
@click.option("--dry-run", is_flag=True,
              help="Print the classes, rows to add, output size and memory; write nothing.")
def resample(input_path: str, output_path: str, target: str, method: str,
             sampling_strategy: str | None, k_neighbors: int | None, random_state: int,
             categorical: str | None, provenance_path: str | None, dry_run: bool) -> None:
    """Resample INPUT and write the result to OUTPUT.

    The output has the input's columns (the target where it was); input rows that are
    kept come first, unchanged and in order, then the synthetic rows.
    """
    out = check_writable(output_path, _TABLES)
    prov_out = check_writable(provenance_path, _TABLES) if provenance_path else None
    df = read_table(input_path)
    X, y = split_target(df, target)
    sampler = _build(method, y, sampling_strategy=sampling_strategy, k_neighbors=k_neighbors,
                     random_state=random_state, categorical=categorical)
    if dry_run:
        from ..utils import estimate_resampling

        click.echo(str(estimate_resampling(sampler, X, y)))
        return
    if prov_out is not None and sampler_tags(sampler).sampling_type == "under-sampling":
        raise click.BadParameter(f"{type(sampler).__name__} makes no synthetic rows.",
                                 param_hint="--provenance")
    t0 = time.perf_counter()
    X_res, y_res = sampler.fit_resample(X, y)
    elapsed = time.perf_counter() - t0
    result = X_res.copy()
    result.insert(list(df.columns).index(target), target, y_res.to_numpy())
    provenance = getattr(sampler, "provenance_", None)
    if prov_out is not None and provenance is None:
        raise CommandError(f"{type(sampler).__name__} records no provenance.")
    write_table(result, out)
    if prov_out is not None and provenance is not None:
        import pandas as pd

        n_first = len(result) - len(provenance["parent"])
        table = pd.DataFrame({"output_row": range(n_first, len(result)), **provenance})
        write_table(table, prov_out)
    _note(f"{type(sampler).__name__}: {len(df):,} -> {len(result):,} rows in {elapsed:.2f} s; "
          f"wrote {output_path}" + (f" and {provenance_path}" if prov_out else ""))
    if _is_regression(type(sampler)):
        _note(_bump_summary(sampler, y.to_numpy(), y_res.to_numpy()))
        return
    counts = y_res.value_counts().sort_index()
    _note("class counts: " + ", ".join(f"{k}={v:,}" for k, v in counts.items()))


def _bump_summary(sampler: Any, y_in: Any, y_res: Any) -> str:
    """The bumps a regression sampler found and how many rows each now holds."""
    import numpy as np

    before, after = np.asarray(y_in, dtype=float), np.asarray(y_res, dtype=float)
    parts = []
    for rows, rare in zip(sampler.bumps_, sampler.rare_bumps_, strict=True):
        lo, hi = float(before[rows].min()), float(before[rows].max())
        now = int(((after >= lo) & (after <= hi)).sum())
        parts.append(f"{'rare' if rare else 'normal'} {lo:.4g}..{hi:.4g}: "
                     f"{len(rows):,} -> ~{now:,}")
    return "bumps (targets within each bump's range, before -> after): " + "; ".join(parts)


@cli.command()
@click.argument("input_path", metavar="INPUT")
@_target_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--neighbors", default=5, show_default=True, type=click.IntRange(min=1),
              help="Neighbours for each sample's difficulty.")
def diagnose(input_path: str, target: str, as_json: bool, neighbors: int) -> None:
    """Report what INPUT's classes look like and what that means for resampling.

    Imbalance, samples per feature, noise and overlap (safe / borderline / rare / outlier
    samples), minority subgroups, categorical-looking columns, high dimensionality; each
    finding says why it matters and what to do.
    """
    from ..diagnostics import diagnose as run

    X, y = split_target(read_table(input_path), target)
    report = run(X, y, n_neighbors=neighbors)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, default=_jsonable))
    else:
        click.echo(str(report))


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return str(value)


@cli.command()
@click.argument("input_path", metavar="INPUT")
@_target_option
@click.option("--random-state", type=int, default=0, show_default=True, metavar="SEED",
              help="Seed given to the recommended sampler (and the search's folds).")
@click.option("--estimator", type=click.Choice(_ESTIMATORS), default=None,
              help="Choose by cross-validation on INPUT with this model (the guide's "
                   "choice and AutoSampler's portfolio, scored by mean ROC AUC and G-mean); "
                   "without it, the decision guide's rules choose.")
@click.option("--time-budget", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Stop the search after this long (with --estimator).")
def recommend(input_path: str, target: str, random_state: int, estimator: str | None,
              time_budget: float | None) -> None:
    """Recommend a sampler for INPUT, with the reasons: by the SMOTE decision guide, or
    by cross-validation on INPUT when --estimator names the model it will feed."""
    from ..diagnostics import recommend as run

    if time_budget is not None and estimator is None:
        raise click.BadParameter("a time budget is for the search: add --estimator.",
                                 param_hint="--time-budget")
    X, y = split_target(read_table(input_path), target)
    model = None if estimator is None else _estimator(estimator, random_state)
    click.echo(str(run(X, y, random_state=random_state, estimator=model,
                       time_budget=time_budget)))


@cli.command()
@click.argument("input_path", metavar="INPUT")
@_target_option
@click.option("--methods", default="none,RandomOverSampler,SMOTE,BorderlineSMOTE,ADASYN,"
              "SMOTETomek,SMOTEENN", show_default=True, metavar="A,B,...",
              help="Samplers to compare ('none' = no resampling), at their defaults.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(min=2),
              help="Stratified cross-validation folds.")
@click.option("--scoring", default="balanced_accuracy,f1_macro,geometric_mean",
              show_default=True, metavar="A,B,...", help="scikit-learn scorer names.")
@click.option("--random-state", type=int, default=0, show_default=True, metavar="SEED",
              help="Seed of the folds and the samplers.")
@click.option("--output", "output_path", metavar="FILE", help="Also write the table (CSV/Parquet).")
@click.option("--plot", "plot_path", metavar="PNG", help="Also draw the comparison to a PNG.")
def compare(input_path: str, target: str, methods: str, folds: int, scoring: str,
            random_state: int, output_path: str | None, plot_path: str | None) -> None:
    """Cross-validate samplers on INPUT, each inside a Pipeline (no leakage).

    The model is standard scaling and a logistic regression; every sampler sees the
    same folds. A sampler that fails on the data is reported, not fatal.
    """
    from ..diagnostics import compare as run

    out = check_writable(output_path, _TABLES) if output_path else None
    png = check_writable(plot_path, (".png",)) if plot_path else None
    if png is not None:
        _matplotlib()
    X, y = split_target(read_table(input_path), target)
    samplers: dict[str, Any] = {}
    for name in (m.strip() for m in methods.split(",") if m.strip()):
        if name.lower() == "none":
            samplers["no resampling"] = None
            continue
        samplers[name] = _build(
            name, y, sampling_strategy=None, k_neighbors=None, random_state=random_state,
            categorical=None)
    table = run(X, y, samplers=samplers, cv=folds, random_state=random_state,
                scoring=[s.strip() for s in scoring.split(",") if s.strip()])
    click.echo(_format(table, folds))
    if out is not None:
        write_table(table, out)
    if png is not None:
        from ..plotting import ComparisonDisplay

        fig = ComparisonDisplay.from_table(table).figure_
        write_atomic(png, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
        _note(f"wrote {plot_path}")


def _format(table: Any, folds: int) -> str:
    metrics = list(dict.fromkeys(table["metric"]))
    names = list(dict.fromkeys(table["sampler"]))
    width = max(12, *(len(n) for n in names)) + 2
    head = f"{'sampler':<{width}}" + "".join(f"{m[:22]:>24}" for m in metrics) + f"{'fit s':>8}"
    lines = [f"{folds}-fold cross-validation, mean ± std", head, "-" * len(head)]
    for name in names:
        rows = table[table["sampler"] == name].set_index("metric")
        if rows["error"].iloc[0]:
            lines.append(f"{name:<{width}}failed: {rows['error'].iloc[0][:90]}")
            continue
        cells = "".join(f"{rows.loc[m, 'mean']:>16.3f} ± {rows.loc[m, 'std']:.3f}"
                        for m in metrics)
        lines.append(f"{name:<{width}}{cells}{rows['fit_time'].iloc[0]:>8.2f}")
    return "\n".join(lines)


def _matplotlib() -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        raise CommandError('plots need matplotlib: pip install "smotelab[plot]"') from None


@cli.command()
@click.argument("input_path", metavar="INPUT")
@click.argument("output_path", metavar="PNG")
@_target_option
@_sampler_options
def plot(input_path: str, output_path: str, target: str, method: str,
         sampling_strategy: str | None, k_neighbors: int | None, random_state: int,
         categorical: str | None) -> None:
    """Draw INPUT before and after resampling to PNG (synthetic rows marked x).

    With more than two numeric columns both panels show the first two principal
    components of the original data.
    """
    png = check_writable(output_path, (".png",))
    _matplotlib()
    from ..plotting import ResamplingDisplay

    X, y = split_target(read_table(input_path), target)
    sampler = _build(method, y, sampling_strategy=sampling_strategy, k_neighbors=k_neighbors,
                     random_state=random_state, categorical=categorical)
    fig = ResamplingDisplay.from_sampler(sampler, X, y).figure_
    write_atomic(png, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    _note(f"wrote {output_path}")


@cli.command()
def methods() -> None:
    """List the samplers --method accepts."""
    for name, cls in _samplers().items():
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        click.echo(f"{name:<34}{doc}")


@cli.command()
@click.option("--folds", default=5, show_default=True, type=click.IntRange(min=2),
              help="Cross-validation folds.")
@click.option("--random-state", type=int, default=0, show_default=True, help="Seed.")
def demo(folds: int, random_state: int) -> None:
    """Resample the bundled dragons data and compare samplers by cross-validation.

    The bundled farm has thousands of sheep, cows and horses and 48 dragons. The demo
    prints the class counts before and after SMOTE, then a cross-validated table of no
    resampling and every over-sampler, each inside a Pipeline so no synthetic row
    reaches a test fold.
    """
    from ._demo import run_demo

    run_demo(folds=folds, random_state=random_state)
    sys.stdout.flush()
