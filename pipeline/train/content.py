"""Choosing the content model out of fold: the head that judges the filing.

The content model (:class:`pipeline.train.models.LinearModel` with ``content=True``) sees the
row's name, value, unit and keyword rules but never its filed category; ``MISFILED_L2`` is
raised when it gives the filed class a low probability and another class a high one
(:mod:`pipeline.classify.misfile`). What matters is therefore how *calibrated* its
probabilities are, not only its accuracy. ``jixiao train`` cross-validates the variants of
:data:`CONTENT_VARIANTS` on the folds of the candidates (GroupKFold by filing, working set
only) and keeps the exportable one with the lowest out-of-fold log-loss (a prediction's
probability of gold_l2 plus gold_alt): a proper score over every row, steadier than the
misfile precision and recall, which rest on a few dozen misfiled rows. Each variant's
misfile precision and recall are reported beside it, at thresholds chosen on all
out-of-fold rows (*tuned*) and, per fold, on the other folds only (*nested*: the precision a
reviewer will see).

Example (working set of issue 14, round c, the folds of ``jixiao train``): the balanced head
at C=3 has log-loss 0.695, the unweighted one at C=10 0.651 (chosen); at its chosen
thresholds it flags 45 rows, precision 0.644 and recall 0.569, against 0.667 and 0.471 for
the balanced head (36 flags): more recall at about the same precision, because balanced
weights lend the rare classes probability that reads as "another class is likely". Nested,
the unweighted head gives 0.549 / 0.549 and the balanced one 0.657 / 0.451: its thresholds
move more between folds.

Not compared here: heads that cannot be exported to the numpy scorer beyond the calibrated
linear SVM shown for reference, and context from the row's neighbours
(``scripts/content_experiments.py`` measures a stacked form; it did worse).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from pipeline.classify.features import FeatureSettings
from pipeline.classify.types import LABELS
from pipeline.train.labelled import expand_alt
from pipeline.train.misfile_eval import content_scores, judge, scoring_mask, tune
from pipeline.train.models import LinearModel


@dataclass(frozen=True)
class ContentVariant:
    """One configuration of the content head."""
    name: str
    C: float
    class_weight: str | None          # "balanced" or None (unweighted)
    model: str = "lr"                 # lr (exportable) | svc (calibrated linear SVM, for reference)

    @property
    def exportable(self) -> bool:
        return self.model == "lr"


CONTENT_VARIANTS: tuple[ContentVariant, ...] = (
    ContentVariant("lr-balanced-C3", 3.0, "balanced"),      # the head of issue 14's first round
    ContentVariant("lr-C3", 3.0, None),
    ContentVariant("lr-C10", 10.0, None),
    ContentVariant("lr-C30", 30.0, None),
    ContentVariant("svc-calibrated", 0.1, "balanced", "svc"),
)


@dataclass
class ContentResult:
    variant: ContentVariant
    proba: np.ndarray                 # out-of-fold, columns in LABELS order
    log_loss: float
    accuracy: float
    tuned: dict[str, float]           # misfile scores at thresholds chosen on all out-of-fold rows
    nested: dict[str, float]          # flags, true positives, misfiled, precision, recall (per-fold thresholds)
    seconds: float

    def summary(self) -> dict[str, Any]:
        return {"name": self.variant.name, "C": self.variant.C, "class_weight": self.variant.class_weight,
                "model": self.variant.model, "log_loss": self.log_loss, "accuracy": self.accuracy,
                "tuned": self.tuned, "nested": self.nested, "seconds": self.seconds}


def content_oof(variant: ContentVariant, settings: FeatureSettings, alt_weight: float, df, splits) -> np.ndarray:
    """Out-of-fold probabilities of the content head ``variant`` (features ``settings`` without
    the filed category; gold_alt rows at ``alt_weight``), columns in LABELS order."""
    index = {c: i for i, c in enumerate(LABELS)}
    out = np.zeros((len(df), len(LABELS)))
    s = replace(settings, filed=False)
    for tr, te in splits:
        X, y, w = expand_alt(df.iloc[tr], alt_weight)
        m = LinearModel(s, C=variant.C, class_weight=variant.class_weight, model=variant.model)
        m.fit(X, y, sample_weight=w)
        out[np.ix_(te, [index[c] for c in m.classes_])] = m.predict_proba(df.iloc[te])
    return out


def alt_log_loss(df, proba: np.ndarray) -> float:
    """Mean of -log(p(gold_l2) + p(gold_alt)) (probabilities floored at 1e-6)."""
    index = {c: i for i, c in enumerate(LABELS)}
    rows = np.arange(len(df))
    p = proba[rows, [index[g] for g in df["gold_l2"]]]
    alt = [index.get(a, -1) for a in df["gold_alt"]]
    p = p + np.where(np.array(alt) >= 0, proba[rows, np.maximum(alt, 0)], 0.0)
    return float(-np.mean(np.log(np.clip(p, 1e-6, 1.0))))


def _accuracy(df, proba: np.ndarray) -> float:
    pred = np.asarray(LABELS, dtype=object)[proba.argmax(1)]
    return float(np.mean((pred == df["gold_l2"].to_numpy(dtype=object)) | (pred == df["gold_alt"].to_numpy(dtype=object))))


def nested_scores(df, proba: np.ndarray, splits, mask: np.ndarray) -> dict[str, float]:
    """Misfile scores where each fold is judged at the thresholds :func:`tune` chooses on the
    other folds' rows: no row helps choose the thresholds it is judged at."""
    j = judge(df, proba, LABELS)
    flags = tp = truth = 0
    for _, te in splits:
        m_other = mask.copy()
        m_other[te] = False
        th, _ = tune(df, j, m_other)
        m_fold = np.zeros(len(df), bool)
        m_fold[te] = True
        s = content_scores(df, j, th["content_filed"], th["content_other"], m_fold & mask)
        flags, tp, truth = flags + s["flagged"], tp + s["true_positives"], truth + s["misfiled"]
    return {"flagged": flags, "true_positives": tp, "misfiled": truth,
            "precision": tp / flags if flags else 0.0, "recall": tp / truth if truth else 0.0}


def compare_content(df, splits, settings: FeatureSettings, alt_weight: float, seeds: Iterable[str] = (),
                    variants: Sequence[ContentVariant] = CONTENT_VARIANTS) -> list[ContentResult]:
    """Cross-validate every variant of the content head and score it (see the module doc)."""
    mask = scoring_mask(df, seeds)
    out = []
    for v in variants:
        t0 = time.perf_counter()
        p = content_oof(v, settings, alt_weight, df, splits)
        j = judge(df, p, LABELS)
        th, _ = tune(df, j, mask)
        tuned = content_scores(df, j, th["content_filed"], th["content_other"], mask)
        out.append(ContentResult(v, p, alt_log_loss(df, p), _accuracy(df, p), tuned,
                                 nested_scores(df, p, splits, mask), time.perf_counter() - t0))
    return out


def choose_content(results: Sequence[ContentResult]) -> ContentResult:
    """The exportable variant with the lowest out-of-fold log-loss (ties: the earlier one)."""
    ok = [r for r in results if r.variant.exportable]
    if not ok:
        raise ValueError("no exportable content variant was compared; add a logistic-regression one (model='lr')")
    return min(ok, key=lambda r: r.log_loss)


def comparison_table(rows: Sequence[dict[str, Any]], chosen: str) -> str:
    """Markdown table of :meth:`ContentResult.summary` rows (the chosen one in bold)."""
    lines = ["| content head | log-loss | accuracy | MISFILED_L2 tuned: P / R (flags) | nested: P / R (flags) |",
             "|---|---|---|---|---|"]
    for r in rows:
        t, n = r["tuned"], r["nested"]
        name = f"**{r['name']}** (chosen)" if r["name"] == chosen else r["name"]
        lines.append(f"| {name} | {r['log_loss']:.3f} | {r['accuracy']:.3f} | {t['precision']:.3f} / "
                     f"{t['recall']:.3f} ({t['flagged']}) | {n['precision']:.3f} / {n['recall']:.3f} "
                     f"({n['flagged']}) |")
    return "\n".join(lines)
