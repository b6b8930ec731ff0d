"""The real-data benchmark's picture: every smotelab sampler's mean ranks."""

from __future__ import annotations


def plot(summary: dict, path: str) -> None:
    """Mean rank on ROC AUC against mean rank on G-mean, one point per smotelab sampler
    (the reference implementations left out): lower left is better on both."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [s for s in summary if ":" not in s]
    x = [summary[s]["auc"][1] for s in names]
    y = [summary[s]["gmean"][1] for s in names]
    fig, ax = plt.subplots(figsize=(8, 6.5))
    over = {"none", "SMOTE", "AutoSampler", "recommend"}
    ax.scatter(x, y, s=18, color=["#d62728" if s in over else "#1f77b4" for s in names])
    # labels placed where their boxes (in data units, roughly) overlap no earlier one
    xs, ys = (max(x) - min(x)) / 480, (max(y) - min(y)) / 370  # data units per point
    boxes: list[tuple[float, float, float, float]] = []
    for s, a, b in sorted(zip(names, x, y, strict=True), key=lambda t: (t[2], t[1])):
        label = s.replace("PolynomFitSMOTE(topology=", "PolynomFit(").replace(
            "KMeansSMOTE(k_neighbors=2, kmeans_estimator=None)", "KMeansSMOTE(imblearn's defaults)")
        width, height = 3.6 * len(label) * xs, 7 * ys
        for dy in (2, -8, 10, -16, 18, -24, 26, -32):
            box = (a + 3 * xs, b + dy * ys, a + 3 * xs + width, b + dy * ys + height)
            if not any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3]
                       for o in boxes):
                break
        boxes.append(box)
        ax.annotate(label, (a, b), fontsize=6.5, xytext=(3, dy), textcoords="offset points",
                    arrowprops={"arrowstyle": "-", "lw": 0.3, "color": "0.6"} if dy != 2
                    else None)
    ax.set_xlabel("mean rank, ROC AUC (1 = best)")
    ax.set_ylabel("mean rank, G-mean (1 = best)")
    ax.set_title("Which sampler? Mean ranks over 55 data sets x 4 classifiers (5x2 CV)",
                 fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
