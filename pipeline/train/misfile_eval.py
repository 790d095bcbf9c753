"""How well the content model judges filed labels: scores, out-of-fold thresholds, the PR curve.

The misfile decision (:func:`pipeline.classify.misfile.decide_one`) flags a row's filed second level
when the content model — the classifier's features without the filed category — gives the
filed class a probability of at most ``t_filed`` and another class at least ``t_other``.
Here that rule is scored against gold, and its two thresholds are chosen from out-of-fold
probabilities of a cross-validation grouped by filing (no filing is in the fold it is
judged in). Only rows of filings and reports count (``source != library``: an indicator
library's own headings are no filing), and the seed filings are left out of the choice so
that nothing is tuned on them.

A filed label is *misfiled* when it matches neither ``gold_l2`` nor ``gold_alt``
(:func:`pipeline.classify.misfile.truly_misfiled`); the ``strict`` reading also counts a filer who
chose the alternative.

Example: with ``t_filed=0.1, t_other=0.6``, 观影人次数量 ≥520人次 filed 质量指标, content
probabilities 数量 0.88 / 质量 0.02, is flagged (gold 数量指标: a true positive).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.features import PROCESS_L2, filed_category
from pipeline.classify.misfile import content_judgement, truly_misfiled

T_FILED_GRID = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3)
T_OTHER_GRID = tuple(round(x, 2) for x in np.arange(0.30, 0.96, 0.05))
MIN_FLAGS = 5          # a threshold pair that flags fewer rows says nothing about precision


@dataclass(frozen=True)
class Judgement:
    """Per row: the canonical filed l2 ('' for none), its content probability, the best other class."""
    filed: np.ndarray
    p_filed: np.ndarray
    best: np.ndarray
    p_best: np.ndarray


def judge(df, content: np.ndarray, classes: Sequence[str]) -> Judgement:
    """The content model's view of every row's filed second level."""
    n = len(df)
    filed = np.array([filed_category(a, b).l2 for a, b in zip(df["level1_filed"], df["level2_filed"])], dtype=object)
    p_filed, p_best = np.zeros(n), np.zeros(n)
    best = np.empty(n, dtype=object)
    for i in range(n):
        if filed[i] == PROCESS_L2:      # never judged (see pipeline.classify.misfile.decide_one)
            p_filed[i], best[i], p_best[i] = 1.0, "", 0.0
        elif filed[i]:
            p_filed[i], best[i], p_best[i] = content_judgement(content[i], classes, filed[i])
        else:
            p_filed[i], best[i], p_best[i] = 0.0, "", 0.0
    return Judgement(filed, p_filed, best, p_best)


def scoring_mask(df, seeds: Iterable[str] = ()) -> np.ndarray:
    """Rows that count: not from an indicator library, not from the given seed filings."""
    seeds = set(seeds)
    src = df["source"].to_numpy(dtype=object) if "source" in df.columns else np.full(len(df), "filing", dtype=object)
    return (src != "library") & ~df["doc_id"].isin(seeds).to_numpy()


def seed_ids(project_dir: Path) -> frozenset[str]:
    """doc_ids of the seed filings (file stems of data/raw/seeds)."""
    d = project_dir / "data" / "raw" / "seeds"
    return frozenset(p.stem for p in d.glob("*.txt")) if d.is_dir() else frozenset()


def content_scores(df, j: Judgement, t_filed: float, t_other: float, mask: np.ndarray | None = None) -> dict[str, float]:
    """Precision/recall/F1 of the content rule at (t_filed, t_other) over the rows of ``mask``."""
    has, truth = truly_misfiled(df)
    m = np.ones(len(df), bool) if mask is None else mask
    flag = has & m & (j.p_filed <= t_filed) & (j.p_best >= t_other)
    strict = has & m & (j.filed != df["gold_l2"].to_numpy(dtype=object))
    out: dict[str, float] = {"t_filed": float(t_filed), "t_other": float(t_other), "flagged": int(flag.sum()),
                             "rows_with_filed_l2": int((has & m).sum())}
    for suffix, t in (("", truth & m), ("_strict", strict)):
        tp, n_flag, n_true = int((flag & t).sum()), int(flag.sum()), int(t.sum())
        p = tp / n_flag if n_flag else 0.0
        r = tp / n_true if n_true else 0.0
        out.update({f"precision{suffix}": p, f"recall{suffix}": r, f"f1{suffix}": 2 * p * r / (p + r) if p + r else 0.0,
                    f"true_positives{suffix}": tp, f"misfiled{suffix}": n_true})
    return out


def tune(df, j: Judgement, mask: np.ndarray, *, min_precision: float = 0.80) -> tuple[dict[str, float], list[dict]]:
    """Choose (t_filed, t_other) on out-of-fold judgements: the highest recall whose precision
    reaches ``min_precision`` with at least :data:`MIN_FLAGS` flags, ties to the higher
    precision; when none does, the same at precision 0.70, then 0.60; failing all, the best
    F0.5 (precision counted twice as much as recall).
    Returns the thresholds and the whole grid."""
    grid = [content_scores(df, j, tf, to, mask) for tf in T_FILED_GRID for to in T_OTHER_GRID]
    # the precision a reviewer can trust first; when the curve never reaches it, the next
    # floor down (0.70, 0.60), so the flags stay as precise as the model allows
    for floor in sorted({min_precision, 0.70, 0.60}, reverse=True):
        ok = [g for g in grid if g["precision"] >= floor and g["flagged"] >= MIN_FLAGS]
        if ok:
            best = max(ok, key=lambda g: (g["recall"], g["precision"], g["t_other"]))
            break
    else:
        def f05(g):
            p, r = g["precision"], g["recall"]
            return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        best = max(grid, key=lambda g: (f05(g), g["t_other"]))
    return {"content_filed": best["t_filed"], "content_other": best["t_other"]}, grid


def pr_curve(df, j: Judgement, mask: np.ndarray, t_filed: float) -> list[dict]:
    """Precision and recall along t_other (0.30 … 0.95) at the chosen t_filed."""
    return [content_scores(df, j, t_filed, float(t), mask) for t in np.round(np.arange(0.30, 0.96, 0.025), 3)]


def curve_figure(curves: Mapping[str, list[dict]], chosen: Mapping[str, float] | None = None):
    """Matplotlib figure of the precision–recall curves (one line per named curve)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4.2), dpi=110)
    for name, curve in curves.items():
        pts = [(c["recall"], c["precision"]) for c in curve if c["flagged"]]
        if pts:
            ax.plot(*zip(*pts), marker=".", label=name)
    if chosen:
        ax.axhline(0.8, color="grey", lw=0.6, ls="--")
        ax.axvline(0.6, color="grey", lw=0.6, ls="--")
    ax.set_xlabel("recall (misfiled rows found)")
    ax.set_ylabel("precision (flags right)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    title = "MISFILED_L2: content model, t_other varied"
    if chosen:
        title += f"\n(chosen t_filed ≤ {chosen['content_filed']}, t_other ≥ {chosen['content_other']})"
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def curve_table(curve: Sequence[Mapping[str, Any]], every: int = 2) -> str:
    """The curve as markdown rows (t_other, flags, precision, recall), every ``every``-th point."""
    lines = ["| t_other | flags | precision | recall |", "|---|---|---|---|"]
    for c in list(curve)[::every]:
        lines.append(f"| {c['t_other']:.3f} | {c['flagged']} | {c['precision']:.3f} | {c['recall']:.3f} |")
    return "\n".join(lines)
