"""Does a sampler chooser generalise? Leave-data-sets-out evaluation of choosing rules.

Usage: python benchmarks/chooser.py [--jobs 2] [--splits 10] [--out FILE]

Needs the outer cells of ``benchmarks/quality.py`` for the fixed methods (run it first;
``make chooser`` runs both). For every development data set and outer fold of that
benchmark, this runs a chooser's inner cross-validation on the outer training fold
(2 repeats of 3 stratified folds, the folds and seeds AutoSampler draws with
``random_state=<outer fold>``) for every candidate sampler and every model of the
benchmark, and caches, per candidate, model and repeat, both the mean of the per-fold
scores and the scores of the pooled out-of-fold predictions
(``benchmarks/_raw/chooser-inner.json``; a fresh checkout starts from the committed
snapshot in ``benchmarks/cells/``). Because an int ``random_state`` reaches the
chosen candidate, a chooser's outer result is the cached outer cell of the candidate it
picks, so any rule (portfolio, model, score, pooling, repeats, margin) is replayed
without refitting.

Leave-data-sets-out: the data sets are split at random into halves (``--splits``
times). On the *tuning* half, every rule of a family is replayed and the one that beats
the best fixed method by most on its worst metric (ROC AUC, G-mean, balanced accuracy)
is chosen, the portfolio itself drawn from the tuning half's ranking; that rule is then
scored on the *held-out* half only, ranked among the fixed methods, with Wilcoxon tests
over the held-out (data set, classifier) means. Only held-out numbers are reported as
what a chooser achieves; the spread over splits is given. Writes
``benchmarks/RESULTS-chooser.md``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import quality as q  # noqa: E402

INNER = HERE / "_raw" / "chooser-inner.json"
CANDS = ["none", "SMOTE", "SMOTEENN", "BorderlineSMOTE", "SMOTETomek", "SVMSMOTE", "ADASYN",
         "ProWSyn", "GeometricSMOTE", "RandomOverSampler", "RandomUnderSampler",
         "EditedNearestNeighbours", "threshold", "class_weight"]
SAMPLERS = [c for c in CANDS if c not in q.NO_RESAMPLING]
MODELS = q.CLASSIFIERS  # knn, tree, logistic, svc: the outer classifiers, in that order
INNER_METRICS = ["auc", "gmean", "bacc"]
JUDGED = ["auc", "gmean", "bacc"]  # what a chooser must win on
REPORTED = ["auc", "gmean", "bacc", "f1", "brier"]
N_INNER_REPEATS, N_INNER_FOLDS = 2, 3


def inner_folds(y: np.ndarray, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """AutoSampler's inner folds for ``random_state=seed``: repeats of stratified folds
    (fewer folds where the smallest class is smaller)."""
    from sklearn.model_selection import RepeatedStratifiedKFold

    from smotelab.utils._random import RandomStreams

    streams = RandomStreams.from_random_state(seed)
    n = min(N_INNER_FOLDS, int(np.bincount(y).min()))
    return list(RepeatedStratifiedKFold(n_splits=n, n_repeats=N_INNER_REPEATS,
                                        random_state=streams.member_seed(0)).split(y, y))


def _metrics(y: np.ndarray, pred: np.ndarray, score: np.ndarray) -> list[float]:
    from sklearn.metrics import balanced_accuracy_score, recall_score, roc_auc_score

    rec = recall_score(y, pred, average=None, labels=[0, 1], zero_division=0)
    return [float(roc_auc_score(y, score)), float(np.sqrt(rec[0] * rec[1])),
            float(balanced_accuracy_score(y, pred))]


def inner_cell(dataset: str, fold: int, cands: list[str]) -> tuple[str, int, dict | None]:
    """Inner scores of ``cands`` x every model on one outer training fold:
    ``{cand: {model: [[fold-mean auc, gmean, bacc], [pooled auc, gmean, bacc]] per
    repeat}}``, ``None`` for a candidate that failed; the cell is ``None`` where a
    training fold holds a single sample of a class (AutoSampler keeps its first)."""
    from sklearn.model_selection import RepeatedStratifiedKFold
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    from smotelab.model_selection._auto import _to_fold, fit_to_classes
    from smotelab.model_selection._cv import seeded

    warnings.simplefilter("ignore")
    X, y = q.load(dataset)
    train, _ = list(RepeatedStratifiedKFold(n_splits=2, n_repeats=5,
                                            random_state=0).split(X, y))[fold]
    Xt = StandardScaler().fit(X[train]).transform(X[train])
    yt = y[train]
    folds = inner_folds(yt, fold)
    if any(np.bincount(yt[a], minlength=2).min() < 2 for a, _ in folds):
        return dataset, fold, None
    n_per = len(folds) // N_INNER_REPEATS
    out: dict = {}
    with threadpool_limits(1):
        for cand in cands:
            pooled = {m: [(np.zeros(len(yt)), np.zeros(len(yt), dtype=int))
                          for _ in range(N_INNER_REPEATS)] for m in MODELS}
            per_fold: dict = {m: [[] for _ in range(N_INNER_REPEATS)] for m in MODELS}
            try:
                for i, (a, b) in enumerate(folds):
                    sampler = (None if cand in q.NO_RESAMPLING
                               else q.make_sampler(cand, fold, Xt[a], yt[a]))
                    if sampler is None:
                        Xr, yr = Xt[a], yt[a]
                    else:
                        sampler, _ = fit_to_classes(
                            _to_fold(seeded(sampler, fold), yt, yt[a]), yt[a])
                        Xr, yr = sampler.fit_resample(Xt[a], yt[a])[:2]
                    for name, plain in q.classifiers(fold).items():
                        clf = q.for_method(cand, plain, fold)
                        if clf is None:  # k-NN has no class_weight
                            per_fold.pop(name, None)
                            continue
                        try:
                            clf.fit(Xr, np.asarray(yr))
                        except ValueError:  # constant scores: no threshold to tune
                            clf = q.classifiers(fold)[name].fit(Xr, np.asarray(yr))
                        pred = clf.predict(Xt[b])
                        score = (clf.predict_proba(Xt[b])[:, 1] if hasattr(clf, "predict_proba")
                                 else clf.decision_function(Xt[b]))
                        per_fold[name][i // n_per].append(_metrics(yt[b], pred, score))
                        pooled[name][i // n_per][0][b] = score
                        pooled[name][i // n_per][1][b] = pred
            except Exception:  # noqa: BLE001 - a failed candidate is never chosen
                out[cand] = None
                continue
            out[cand] = {m: [[np.mean(per_fold[m][r], axis=0).round(6).tolist(),
                              np.round(_metrics(yt, pooled[m][r][1], pooled[m][r][0]),
                                       6).tolist()] for r in range(N_INNER_REPEATS)]
                         if m in per_fold else None for m in MODELS}
    return dataset, fold, out


def compute_inner(datasets: list[str], jobs: int) -> dict:
    from joblib import Parallel, delayed

    done = q.load_cells(INNER)

    def missing(key: str) -> list[str]:
        if key in done and done[key] is None:
            return []
        return [c for c in CANDS if c not in done.get(key, {})]

    todo = [(d, f, missing(f"{d}|{f}")) for d in datasets for f in range(10)]
    todo = [t for t in todo if t[2]]
    print(f"{len(todo)} outer folds to cross-validate", flush=True)
    for i in range(0, len(todo), 8 * jobs):
        for d, f, r in Parallel(n_jobs=jobs)(delayed(inner_cell)(d, f, c)
                                             for d, f, c in todo[i: i + 8 * jobs]):
            done[f"{d}|{f}"] = None if r is None else {**done.get(f"{d}|{f}", {}), **r}
        INNER.parent.mkdir(exist_ok=True)
        tmp = INNER.with_suffix(".tmp")
        tmp.write_text(json.dumps(done))
        os.replace(tmp, INNER)
        print(f"  {min(i + 8 * jobs, len(todo))}/{len(todo)}", flush=True)
    return done


@dataclass(frozen=True)
class Rule:
    """How a chooser decides: ``portfolio`` (candidate positions, the first kept unless
    beaten by more than ``margin``), the ``models`` that score (``'same'``: the
    classifier the output feeds), the inner ``scores`` averaged, ``pooled`` out-of-fold
    predictions or the mean of per-fold scores, and how many inner ``repeats``."""

    portfolio: tuple[int, ...]
    models: str
    scores: tuple[str, ...]
    pooled: bool
    repeats: int
    margin: float

    def describe(self) -> str:
        names = ", ".join(CANDS[i] for i in self.portfolio)
        return (f"[{names}]; models {self.models}; {'+'.join(self.scores)}; "
                f"{'pooled' if self.pooled else 'fold mean'}; {self.repeats} repeat(s); "
                f"margin {self.margin}")


MODEL_SETS = {"same": None, "knn+logistic": ("knn", "logistic"),
              "all": ("knn", "tree", "logistic", "svc")}
SCORE_SETS = [("auc", "gmean"), ("auc", "gmean", "bacc"), ("gmean",), ("auc",)]


class Replay:
    """Outer results of fixed methods and of the candidates a rule picks."""

    def __init__(self, datasets: list[str], fixed: list[str], inner: dict) -> None:
        cache = q.load_cells(q.CACHE)
        self.datasets, self.fixed = datasets, fixed
        D, F, C, M = len(datasets), 10, len(CANDS), len(MODELS)
        # inner[d, f, cand, model, repeat, kind (0 fold mean, 1 pooled), metric]
        self.inner = np.full((D, F, C, M, N_INNER_REPEATS, 2, len(INNER_METRICS)), np.nan)
        self.starved = np.zeros((D, F), dtype=bool)
        for a, d in enumerate(datasets):
            for f in range(F):
                cell = inner[f"{d}|{f}"]
                if cell is None:
                    self.starved[a, f] = True
                    continue
                for b, c in enumerate(CANDS):
                    for e, m in enumerate(MODELS):
                        if cell.get(c) and cell[c][m] is not None:
                            self.inner[a, f, b, e] = np.array(cell[c][m])
        # outer[metric][d, f, cand, clf]
        self.outer = {m: np.array([[[[q.value(cache[f"{d}|{f}|{c}"], k, m) for k in MODELS]
                                     for c in CANDS] for f in range(F)] for d in datasets])
                      for m in REPORTED}
        # fixed[metric][method, d, clf]: means over folds
        self.table = {m: q.grid_of(cache, datasets, fixed, 5, m) for m in REPORTED}

    def pick(self, rule: Rule) -> np.ndarray:
        """The chosen candidate per (data set, outer fold, classifier)."""
        port = list(rule.portfolio)
        S = self.inner[:, :, port]  # d, f, p, model, repeat, kind, metric
        S = S[:, :, :, :, : rule.repeats, int(rule.pooled)]
        S = S[..., [INNER_METRICS.index(s) for s in rule.scores]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # failed candidates: nan
            S = np.mean(S, axis=(-1, -2))  # d, f, p, model: mean over repeats and scores
            if rule.models == "same":
                per_clf = S  # each classifier chooses with itself
            else:
                cols = [MODELS.index(m) for m in MODEL_SETS[rule.models]]
                per_clf = np.repeat(S[..., cols].mean(-1, keepdims=True), len(MODELS), -1)
        # a candidate failing any fold has nan: never chosen
        per_clf = np.where(np.isnan(per_clf), -np.inf, per_clf)
        best = per_clf.argmax(2)  # d, f, clf
        top = np.take_along_axis(per_clf, best[:, :, None], 2)[:, :, 0]
        if rule.margin:
            best = np.where(per_clf[:, :, 0] >= top - rule.margin, 0, best)
        best = np.where(self.starved[:, :, None], 0, best)
        return np.asarray(port)[best]

    def results(self, pick: np.ndarray) -> dict:
        """The rule's per (data set, classifier) means over folds, per metric."""
        out = {}
        for m in REPORTED:
            v = np.take_along_axis(self.outer[m], pick[:, :, None, :], axis=2)[:, :, 0]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                out[m] = np.nanmean(v, axis=1)  # d, clf
        return out

    def ranks(self, res: dict, mask: np.ndarray, metric: str, fixed: list[int]) -> np.ndarray:
        """Mean ranks on the data sets of ``mask`` among the ``fixed`` methods (positions)
        and the rule: the fixed methods', then the rule's."""
        grid = np.concatenate([self.table[metric][fixed][:, mask], res[metric][None, mask]])
        r = q.rank_grid(grid.reshape(grid.shape[0], -1), metric)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(r, axis=1)

    def excess(self, res: dict, mask: np.ndarray, fixed: list[int]) -> float:
        """The rule's worst margin over the best fixed method (rank units; < 0: it wins
        on every judged metric)."""
        worst = -np.inf
        for m in JUDGED:
            r = self.ranks(res, mask, m, fixed)
            worst = max(worst, r[-1] - r[:-1].min())
        return worst


@dataclass(frozen=True)
class Structure:
    """A chooser's design without its portfolio: the portfolio is the ``k`` best
    candidates of the data sets it is designed on (their mean rank among the fixed
    methods); the rest is as in :class:`Rule`."""

    k: int
    models: str
    scores: tuple[str, ...]
    pooled: bool
    repeats: int
    margin: float

    def rule(self, order: list[int]) -> Rule:
        return Rule(tuple(order[: self.k]), self.models, self.scores, self.pooled,
                    self.repeats, self.margin)

    def describe(self) -> str:
        return (f"top {self.k}; models {self.models}; {'+'.join(self.scores)}; "
                f"{'pooled' if self.pooled else 'fold mean'}; {self.repeats} repeat(s); "
                f"margin {self.margin}")


def structures(models: tuple[str, ...], n_cands: int, broad: bool = False) -> list[Structure]:
    """The designs a procedure chooses among: the portfolio's size and the margin (and,
    ``broad``, also the models that score, pooled predictions and the repeats; else the
    mean of the fold scores over two repeats)."""
    out = [Structure(1, models[0], ("auc", "gmean"), False, 1, 0.0)]  # always the best
    pooling, repeats = ((False, True), (1, 2)) if broad else ((False,), (2,))
    for k, m, pooled, reps, margin in itertools.product(
            (2, 3, 4, 6, 8, n_cands), models, pooling, repeats, (0.0, 0.01, 0.02)):
        out.append(Structure(k, m, ("auc", "gmean"), pooled, reps, margin))
    return out


def candidate_order(replay: Replay, mask: np.ndarray, cands: list[int],
                    fixed: list[int]) -> list[int]:
    """``cands`` by their mean rank among the ``fixed`` methods on ``mask``, averaged over
    the judged metrics (best first)."""
    score = []
    for i in cands:
        res = replay.results(np.full(replay.starved.shape + (len(MODELS),), i))
        score.append(np.mean([replay.ranks(res, mask, m, fixed)[-1] for m in JUDGED]))
    return [cands[int(i)] for i in np.argsort(score, kind="stable")]


def halves(rng: np.random.Generator, mask: np.ndarray, n: int) -> list[np.ndarray]:
    """``n`` random splits of the data sets of ``mask`` into halves: the first halves."""
    where = np.flatnonzero(mask)
    out = []
    for _ in range(n):
        first = np.zeros(len(mask), dtype=bool)
        first[rng.permutation(where)[: len(where) // 2]] = True
        out.append(first)
    return out


class Procedure:
    """How a chooser is designed from a set of data sets: each candidate design
    (:func:`structures`) is itself judged leave-data-sets-out *within* that set (its
    portfolio drawn from one half, scored on the other, over ``n_inner`` random halves),
    the best on average (the smallest worst-metric margin over the best fixed method)
    is kept, and its portfolio is drawn from the whole set."""

    def __init__(self, replay: Replay, cands: list[int], fixed: list[int],
                 models: tuple[str, ...], broad: bool = False, n_inner: int = 6) -> None:
        self.replay, self.cands, self.fixed = replay, cands, fixed
        self.designs = structures(models, len(cands), broad)
        self.n_inner = n_inner

    def judged(self, mask: np.ndarray, seed: int) -> list[float]:
        """Every design's mean held-out excess within ``mask``."""
        rng = np.random.default_rng(seed)
        total = np.zeros(len(self.designs))
        for first in halves(rng, mask, self.n_inner):
            second = mask & ~first
            order = candidate_order(self.replay, first, self.cands, self.fixed)
            for i, d in enumerate(self.designs):
                res = self.replay.results(self.replay.pick(d.rule(order)))
                total[i] += self.replay.excess(res, second, self.fixed)
        return (total / self.n_inner).tolist()

    def __call__(self, mask: np.ndarray, seed: int) -> tuple[Structure, Rule]:
        scores = self.judged(mask, seed)
        design = self.designs[int(np.argmin(scores))]
        return design, design.rule(candidate_order(self.replay, mask, self.cands,
                                                   self.fixed))


def ldso(replay: Replay, procedure: Procedure, splits: int,
         named: dict[str, Rule]) -> tuple[list[str], dict]:
    """Leave-data-sets-out: the procedure designs a chooser on random halves of the data
    sets and is scored on the others; ``named`` rules (fixed designs) are scored on the
    same held-out halves. Returns the markdown and the held-out ranks."""
    rng = np.random.default_rng(0)
    fixed = procedure.fixed
    names = [replay.fixed[i] for i in fixed]
    rows: dict = {k: {m: [] for m in REPORTED} for k in ["designed", *named]}
    tests: dict = {m: {s: [] for s in names} for m in REPORTED}
    chosen = []
    for split, tune in enumerate(halves(rng, np.ones(len(replay.datasets), dtype=bool),
                                        splits)):
        design, rule = procedure(tune, 1000 + split)
        chosen.append((design, rule))
        for key, r in [("designed", rule), *named.items()]:
            res = replay.results(replay.pick(r))
            for m in REPORTED:
                rows[key][m].append(replay.ranks(res, ~tune, m, fixed))
                if key != "designed":
                    continue
                for i, s in enumerate(fixed):
                    tests[m][names[i]].append(q.paired(
                        res[m][~tune].reshape(-1), replay.table[m][s][~tune].reshape(-1), m))
        print(f"  split {split}: {rule.describe()}", flush=True)
    lines = ["| chooser | metric | its held-out mean rank | best fixed method's (name) | "
             "splits ahead of every fixed method |", "|---|---|---|---|---|"]
    for key in rows:
        for m in REPORTED:
            got = np.array(rows[key][m])  # split x (fixed..., rule)
            mine, theirs = got[:, -1], got[:, :-1]
            i = int(theirs.mean(0).argmin())
            ahead = int(np.sum(mine < theirs.min(1)))
            lines.append(f"| {key} | {m} | {mine.mean():.2f} ± {mine.std():.2f} | "
                         f"{theirs[:, i].mean():.2f} ± {theirs[:, i].std():.2f} ({names[i]}) "
                         f"| {ahead}/{splits} |")
    lines += ["", "The designed chooser against each fixed method on the held-out halves: "
              "splits where it was significantly better / worse (Wilcoxon over the "
              "held-out (data set, classifier) means, p < 0.05), and the median p.", "",
              "| fixed method | " + " | ".join(REPORTED) + " |",
              "|---|" + "---|" * len(REPORTED)]
    for s in names:
        cells = []
        for m in REPORTED:
            got = tests[m][s]
            better = sum(w == "BETTER" for w, _ in got)
            worse = sum(w == "WORSE" for w, _ in got)
            cells.append(f"{better} / {worse} ({np.median([p for _, p in got]):.2f})")
        lines.append(f"| {s} | " + " | ".join(cells) + " |")
    lines += ["", "What each tuning half designed:", ""]
    lines += [f"{i + 1}. {d.describe()}: {r.describe()}" for i, (d, r) in enumerate(chosen)]
    return lines, rows


def rule(names: list[str], models: str, scores: tuple[str, ...], pooled: bool, repeats: int,
         margin: float) -> Rule:
    return Rule(tuple(CANDS.index(c) for c in names), models, scores, pooled, repeats, margin)


OLD_DEFAULT = rule(["GeometricSMOTE", "SMOTEENN", "SVMSMOTE"], "knn+logistic", ("auc", "gmean"),
                   False, 1, 0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--splits", type=int, default=10)
    parser.add_argument("--fixed", default="none,SMOTE,BorderlineSMOTE,SVMSMOTE,ADASYN,"
                        "KMeansSMOTE,RandomOverSampler,SMOTEENN,SMOTETomek,ProWSyn,LeeSMOTE,"
                        "SMOTEIPF,GeometricSMOTE,RandomUnderSampler,EditedNearestNeighbours,"
                        "threshold,class_weight")
    parser.add_argument("--out", default=str(HERE / "RESULTS-chooser.md"))
    parser.add_argument("--cached", action="store_true",
                        help="compute no inner cell: a section whose candidates lack some "
                             "is left out, and the results say so")
    args = parser.parse_args()
    datasets = q.dev_list(False)
    inner = q.load_cells(INNER) if args.cached else compute_inner(datasets, args.jobs)
    fixed = q._split_names(args.fixed)
    replay = Replay(datasets, fixed, inner)
    samplers = [i for i, s in enumerate(fixed) if s not in q.NO_RESAMPLING]
    everything = list(range(len(fixed)))
    cands = [CANDS.index(c) for c in SAMPLERS]
    every = np.ones(len(datasets), dtype=bool)
    lines = ["# Does the chooser generalise? Leave-data-sets-out", "",
             f"Written by `python benchmarks/chooser.py {' '.join(sys.argv[1:])}`. "
             f"{len(datasets)} development data sets, 5x2 CV, the four classifiers of "
             "RESULTS-quality.md (each outer training fold cross-validated again inside: "
             f"{N_INNER_REPEATS} repeats of {N_INNER_FOLDS} stratified folds). Every design "
             "decision is made on data sets the chooser is then not scored on: in each of "
             f"{args.splits} random splits of the list into halves, the *tuning* half "
             "designs the chooser (the portfolio: the best-ranked candidates of the tuning "
             "half; its size and the margin, and in the broad family the scoring models, "
             "pooling and repeats: each candidate design is itself judged "
             "leave-data-sets-out within the tuning half, over 6 random halves of it), and "
             "the *held-out* half scores it. Ranks (1 = best) are among the fixed methods and the chooser, on "
             "the held-out half only, mean ± standard deviation over the splits. The "
             "old default (AutoSampler's before this study: Geometric SMOTE, SMOTE-ENN, "
             "SVM-SMOTE; k-NN and logistic regression; margin 0.02) was designed on the "
             "whole list, so its held-out numbers flatter it.", ""]
    sections = [
        ("AutoSampler() with no estimator: scored by the panel of four models",
         Procedure(replay, cands, samplers, ("all",)), samplers),
        ("AutoSampler(estimator=<the classifier it feeds>)",
         Procedure(replay, cands, samplers, ("same",)), samplers),
        ("A broad design family: the data choose the scoring models (the panel, or k-NN "
         "and logistic regression), pooling and repeats too",
         Procedure(replay, cands, samplers, ("all", "knn+logistic"), broad=True), samplers),
        ("Resample, weight or move the threshold: every method a candidate "
         "(ImbalanceSearchCV with the classifier it fits)",
         Procedure(replay, list(range(len(CANDS))), everything, ("same",)), everything),
    ]
    for title, procedure, fixed_idx in sections:
        missing = [CANDS[i] for i in procedure.cands
                   if any(cell is not None and CANDS[i] not in cell
                          for key, cell in inner.items() if key.split("|")[0] in datasets)]
        if missing:
            lines += [f"## {title}", "", f"Not computed yet: the inner cells of "
                      f"{', '.join(missing)} are missing (run without --cached).", ""]
            continue
        print(title, flush=True)
        body, _ = ldso(replay, procedure, args.splits, {"old default": OLD_DEFAULT})
        design, final = procedure(every, 0)
        lines += [f"## {title}", "",
                  f"Candidates: {', '.join(CANDS[i] for i in procedure.cands)}; ranked among "
                  f"{', '.join(fixed[i] for i in fixed_idx)}.", "", *body, "",
                  f"The same procedure on the whole list (what ships): {design.describe()}: "
                  f"{final.describe()}.", ""]
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
