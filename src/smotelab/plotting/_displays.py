"""Display objects in scikit-learn's style: compute with ``from_*``, draw with ``plot``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..utils._tags import sampler_tags

__all__ = ["ComparisonDisplay", "ResamplingDisplay"]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError('smotelab.plotting needs matplotlib: pip install "smotelab[plot]"'
                          ) from None
    return plt


def _numeric(X: Any) -> np.ndarray:
    from ..utils._containers import capture_X

    Xc = capture_X(X)
    cols = [j for j in range(Xc.n_features) if j not in set(Xc.non_numeric_columns())]
    if not cols:
        raise ValueError("There is no numeric column to plot; a scatter plot needs numbers.")
    Xn = Xc.numeric(caller="ResamplingDisplay", columns=cols)
    return Xn.toarray() if hasattr(Xn, "toarray") else np.asarray(Xn, dtype=np.float64)


class ResamplingDisplay:
    """Before/after scatter of a resampling: originals and synthetic rows marked apart.

    With more than two numeric columns, both panels show the first two principal
    components of the *original* numeric columns, standardised (the same projection for
    both), so
    synthetic rows are seen where they fall among the originals. Non-numeric columns
    are left out of the picture.

    Use :meth:`from_sampler`; then :meth:`plot` draws (again) on given axes.

    Attributes
    ----------
    X_2d_, y_ : ndarray
        The original rows in the plot's coordinates, and their labels.
    X_res_2d_, y_res_ : ndarray
        All output rows in the plot's coordinates, and their labels.
    n_original_, n_synthetic_ : int
        Output rows that are input rows (first) and new rows (after them), for samplers
        that add rows; for selection samplers ``n_synthetic_`` is 0.
    axis_labels_ : tuple of str
        Names of the plotted axes (columns or principal components).
    figure_, ax_ : matplotlib objects
        Set by :meth:`plot`.
    """

    def __init__(self, X_2d: np.ndarray, y: np.ndarray, X_res_2d: np.ndarray, y_res: np.ndarray,
                 n_original: int, axis_labels: tuple[str, str], title: str = "") -> None:
        self.X_2d_, self.y_ = X_2d, y
        self.X_res_2d_, self.y_res_ = X_res_2d, y_res
        self.n_original_ = n_original
        self.n_synthetic_ = len(y_res) - n_original
        self.axis_labels_ = axis_labels
        self.title = title

    @classmethod
    def from_sampler(cls, sampler: Any, X: Any, y: Any, *, ax: Any = None) -> ResamplingDisplay:
        """Resample ``(X, y)`` with ``sampler`` and plot before and after.

        Parameters
        ----------
        sampler : sampler
            Fitted here with ``fit_resample`` (a clone is not made: the fitted sampler
            keeps its ``provenance_`` / ``sample_indices_``).
        X, y : array-like
            Data.
        ax : array of two matplotlib Axes, optional
            Where to draw (before, after); a new figure otherwise.
        """
        X_res, y_res = sampler.fit_resample(X, y)
        y_arr, y_res_arr = np.asarray(y), np.asarray(y_res)
        A, B = _numeric(X), _numeric(X_res)
        if A.shape[1] > 2:
            from sklearn.decomposition import PCA

            # on standardised columns, or the column with the largest unit fills the plot
            mu, sd = A.mean(axis=0), A.std(axis=0)
            sd = np.where(sd > 0, sd, 1.0)
            pca = PCA(n_components=2).fit((A - mu) / sd)
            A2, B2 = pca.transform((A - mu) / sd), pca.transform((B - mu) / sd)
            share = pca.explained_variance_ratio_
            labels = (f"PC1 of standardised columns ({share[0]:.0%} of variance)",
                      f"PC2 ({share[1]:.0%})")
        else:
            names = _column_names(X, A.shape[1])
            A2 = A if A.shape[1] == 2 else np.column_stack([A[:, 0], np.zeros(len(A))])
            B2 = B if B.shape[1] == 2 else np.column_stack([B[:, 0], np.zeros(len(B))])
            labels = (names[0], names[1] if len(names) > 1 else "")
        # rows that are input rows come first: all of them for over-samplers, the kept
        # ones for combinations; selection samplers make no new rows
        tags = sampler_tags(sampler)
        if tags.combines:
            n_orig = len(sampler.sample_indices_)
        elif tags.sampling_type == "over-sampling":
            n_orig = len(y_arr)
        else:
            n_orig = len(y_res_arr)
        display = cls(A2, y_arr, B2, y_res_arr, n_orig, labels, type(sampler).__name__)
        return display.plot(ax=ax)

    def plot(self, ax: Any = None) -> ResamplingDisplay:
        """Draw the two panels; returns self."""
        plt = _pyplot()
        if ax is None:
            fig, ax = plt.subplots(1, 2, figsize=(11, 4.8), sharex=True, sharey=True)
        else:
            fig = ax[0].figure
        classes = np.unique(np.concatenate([self.y_, self.y_res_]))
        colours = plt.get_cmap("tab10")
        for i, c in enumerate(classes):
            col = colours(i % 10)
            mine = self.y_ == c
            ax[0].scatter(*self.X_2d_[mine].T, s=8, alpha=0.5, color=col, label=f"{c}")
            orig = self.y_res_[: self.n_original_] == c
            ax[1].scatter(*self.X_res_2d_[: self.n_original_][orig].T, s=8, alpha=0.35,
                          color=col, label=f"{c}")
            new = self.y_res_[self.n_original_ :] == c
            if new.any():
                ax[1].scatter(*self.X_res_2d_[self.n_original_ :][new].T, s=22, marker="x",
                              linewidths=0.9, color=col, label=f"{c} (synthetic)")
        ax[0].set_title(f"Before: {len(self.y_):,} samples")
        ax[1].set_title(f"After {self.title}: {len(self.y_res_):,} samples "
                        f"({self.n_synthetic_:,} synthetic, marked x)")
        for a in ax:
            a.set_xlabel(self.axis_labels_[0])
        ax[0].set_ylabel(self.axis_labels_[1])
        ax[1].legend(loc="best", fontsize="small", markerscale=1.5)
        fig.tight_layout()
        self.figure_, self.ax_ = fig, ax
        return self


def _column_names(X: Any, d: int) -> list[str]:
    cols = getattr(X, "columns", None)
    return [str(c) for c in cols][:d] if cols is not None else [f"x{j}" for j in range(d)]


class ComparisonDisplay:
    """Bars of each sampler's mean score, with error bars of one standard deviation.

    Built from the table :func:`smotelab.diagnostics.compare` returns; failed samplers
    are left out and named in the title.

    Attributes
    ----------
    table_ : DataFrame
        The comparison table.
    figure_, ax_ : matplotlib objects
        Set by :meth:`plot`.
    """

    def __init__(self, table: Any) -> None:
        self.table_ = table

    @classmethod
    def from_table(cls, table: Any, *, metrics: Any = None, ax: Any = None) -> ComparisonDisplay:
        """Plot a :func:`~smotelab.diagnostics.compare` table (optionally some metrics only)."""
        if metrics is not None:
            table = table[table["metric"].isin([metrics] if isinstance(metrics, str)
                                               else list(metrics))]
        return cls(table).plot(ax=ax)

    @classmethod
    def from_compare(cls, X: Any, y: Any, **kwargs: Any) -> ComparisonDisplay:
        """Run :func:`~smotelab.diagnostics.compare` with ``kwargs`` and plot the result."""
        from ..diagnostics import compare

        ax = kwargs.pop("ax", None)
        return cls.from_table(compare(X, y, **kwargs), ax=ax)

    def plot(self, ax: Any = None) -> ComparisonDisplay:
        """Draw grouped bars (one group per metric, one bar per sampler); returns self."""
        plt = _pyplot()
        t = self.table_
        ok = t[t["error"] == ""]
        failed = sorted(set(t.loc[t["error"] != "", "sampler"]))
        samplers = list(dict.fromkeys(ok["sampler"]))
        metrics = list(dict.fromkeys(ok["metric"]))
        if ax is None:
            fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(metrics) * max(1, len(samplers)) / 2),
                                            4.5))
        else:
            fig = ax.figure
        width = 0.8 / max(1, len(samplers))
        x = np.arange(len(metrics))
        colours = plt.get_cmap("tab10")
        for i, s in enumerate(samplers):
            rows = ok[ok["sampler"] == s].set_index("metric").reindex(metrics)
            ax.bar(x + (i - (len(samplers) - 1) / 2) * width, rows["mean"], width,
                   yerr=rows["std"], capsize=3, label=s, color=colours(i % 10))
        ax.set_xticks(x, metrics)
        ax.set_ylabel("mean score over folds (error bar: 1 std)")
        title = "Samplers compared by cross-validation"
        if failed:
            title += f" (failed: {', '.join(failed)})"
        ax.set_title(title)
        ax.legend(fontsize="small", ncol=min(4, max(1, len(samplers))))
        lo = np.nanmin((ok["mean"] - ok["std"]).to_numpy()) if len(ok) else 0.0
        ax.set_ylim(max(0.0, lo - 0.05), min(1.05, ax.get_ylim()[1]))
        fig.tight_layout()
        self.figure_, self.ax_ = fig, ax
        return self
