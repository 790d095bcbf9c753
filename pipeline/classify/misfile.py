"""Misfiled indicator rows: the decision that turns class probabilities into a :class:`Prediction`.

Three findings, checked in this order for each row:

1. ``misfiled='l1'`` — a filed second level under a first level it cannot belong to under
   ANY profile of ``configs/taxonomy.yaml`` (e.g. 补贴到位率 filed 质量指标 under
   满意度指标 → 应归入 产出指标/质量指标). Deterministic; the fix is the second level's first
   level under the chosen profile.
2. ``misfiled='l2'`` — the content model (the same features without the filed category, so
   the filed label never votes on whether it is itself wrong) gives the filed second level a
   probability of at most ``thresholds["content_filed"]`` and another class at least
   ``thresholds["content_other"]`` (e.g. 观影人次数量 ≥520人次 filed 质量指标 → 数量指标).
   The row's category becomes the content model's class. Models without a content head
   (older exports) use the previous rule: the model disagrees with the filed second level
   with probability at least ``thresholds["l2"]``.
3. ``misfiled='l1'`` — no second level was filed, and the content model's second level (the
   model's, without a content head) cannot sit under the filed first level, with probability
   at least ``thresholds["l1"]`` (e.g. 残疾人乘车持卡人数 5000人 under 效益指标 →
   产出指标/数量指标).

A placement only an older framework allows (社会公众及服务对象满意度指标 under 效益指标,
legacy2015's county forms) sets ``legacy=True`` and is never an error. Rows the model
calls ``none`` (empty or placeholder rows) are not indicators: no first level, no flag.

The thresholds are tuned out of fold, by filing (:mod:`pipeline.train.misfile_eval`, ``jixiao
train``) and stored with the model.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pipeline.classify.features import PROCESS_L2, filed_category, records, row_texts
from pipeline.classify.types import Prediction
from pipeline.core.taxonomy import taxonomy

DEFAULT_THRESHOLDS = {"l2": 0.6, "l1": 0.5, "content_filed": 0.1, "content_other": 0.6}


@functools.cache
def _placements() -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """(pairs allowed by some profile, legacy-only pairs) of (level1, level2)."""
    tax = taxonomy()
    allowed = {(l1, l2) for prof in tax.profiles.values() for l1, l2s in prof.items() for l2 in l2s}
    allowed.add((PROCESS_L2, PROCESS_L2))
    legacy = {pair for pairs in tax.legacy.values() for pair in pairs} - allowed
    return frozenset(allowed), frozenset(legacy)


def placement(l1: str, l2: str) -> str:
    """``'ok'`` (some profile allows it), ``'legacy'`` (only as a legacy placement) or ``'wrong'``."""
    allowed, legacy = _placements()
    if (l1, l2) in allowed:
        return "ok"
    return "legacy" if (l1, l2) in legacy else "wrong"


def parent(l2: str, profile: str | None = None) -> str:
    """First level of a canonical second level under ``profile`` ('' for none)."""
    return taxonomy().parent(l2, profile) if l2 and l2 != "none" else ""


def _path(l1: str, l2: str) -> str:
    return f"{l1}/{l2}" if l1 and l1 != l2 else l2


def content_judgement(content: np.ndarray, classes: Sequence[str], filed_l2: str) -> tuple[float, str, float]:
    """(content probability of the filed class, the best other class, its probability).

    ``none`` is never a suggestion: a row with a filed category and a name is an indicator.
    """
    p_filed = 0.0
    best, p_best = "", -1.0
    for c, p in zip(classes, content):
        if c == filed_l2:
            p_filed = float(p)
        elif c != "none" and p > p_best:
            best, p_best = str(c), float(p)
    return p_filed, best, p_best


def decide_one(row: Mapping[str, Any], proba: np.ndarray, classes: Sequence[str],
               thresholds: Mapping[str, float] | None = None, profile: str | None = None,
               content: np.ndarray | None = None) -> Prediction:
    """The :class:`Prediction` of one row from the model's probabilities (see the module doc).

    ``content``: the content model's probabilities for the row (same classes), when the model
    has a content head.
    """
    th = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    k = int(np.argmax(proba))
    level2, conf = str(classes[k]), float(proba[k])
    if level2 == "none":
        return Prediction(level1="", level2="none", confidence=round(conf, 4))
    _, _, _, l1_text, l2_text, _ = row_texts(row)
    filed = filed_category(l1_text, l2_text)
    # rows filed under a management block (过程) are placed by the self-evaluation form, not
    # judged by the filer row by row: the content model does not second-guess them
    if content is not None and filed.l2 and filed.l2 != PROCESS_L2:
        p_filed, best, p_best = content_judgement(content, classes, filed.l2)
        model_disagrees = p_filed <= th["content_filed"] and p_best >= th["content_other"]
        if model_disagrees:
            level2, conf = best, p_best
    content_l1 = False     # the content model puts a row without a filed l2 under another first level
    if content is not None and not filed.l2 and filed.l1:
        kc = int(np.argmax(content))
        if str(classes[kc]) != "none" and placement(filed.l1, str(classes[kc])) == "wrong" \
                and float(content[kc]) >= th["l1"]:
            level2, conf, content_l1 = str(classes[kc]), float(content[kc]), True
    level1 = parent(level2, profile)
    misfiled, suggestion, legacy = "", "", False
    if filed.l2:
        where = placement(filed.l1, filed.l2) if filed.l1 else "ok"
        if content is None:
            model_disagrees = level2 != filed.l2 and conf >= th["l2"]
        elif filed.l2 == PROCESS_L2:
            model_disagrees = False
        if where == "wrong":
            fix_l1 = parent(filed.l2, profile)
            misfiled = "l1"
            suggestion = f"应归入 {_path(fix_l1, filed.l2)}（{filed.l2}不属于{filed.l1}）"
            if model_disagrees:
                suggestion += f"；二级指标可能应为 {level2}（置信度 {conf:.2f}）"
        elif model_disagrees:
            misfiled = "l2"
            suggestion = f"应归入 {_path(level1, level2)}（置信度 {conf:.2f}）"
        elif where == "legacy":
            legacy = True
        if where == "legacy" and misfiled == "":
            suggestion = f"{filed.l2}置于{filed.l1}下是旧框架（财预〔2015〕88号地方表）的放法，可保留"
    elif filed.l1:
        where = placement(filed.l1, level2)
        if where == "legacy":
            legacy = True
        elif where == "wrong" and conf >= th["l1"] and (content is None or content_l1):
            misfiled = "l1"
            suggestion = f"应归入 {_path(level1, level2)}（置信度 {conf:.2f}）"
    return Prediction(level1=level1, level2=level2, confidence=round(conf, 4), misfiled=misfiled,
                      suggestion=suggestion, legacy=legacy)


def decide(rows: Sequence[Mapping[str, Any]], proba: np.ndarray, classes: Sequence[str],
           thresholds: Mapping[str, float] | None = None, profile: str | None = None,
           content: np.ndarray | None = None) -> list[Prediction]:
    """:func:`decide_one` over rows and the rows of ``proba`` (and ``content``; same order)."""
    rows = records(rows)
    if content is None:
        return [decide_one(r, p, classes, thresholds, profile) for r, p in zip(rows, proba)]
    return [decide_one(r, p, classes, thresholds, profile, c) for r, p, c in zip(rows, proba, content)]


# --------------------------------------------------------------------------- evaluation against gold

def truly_misfiled(df) -> tuple[np.ndarray, np.ndarray]:
    """(has a canonical filed l2 and is an indicator, filed l2 matches neither gold_l2 nor gold_alt).

    Rows whose gold is ``none`` (empty or placeholder rows) are left out: they are not
    indicators, so "misfiled" does not apply to them.
    """
    filed = np.array([filed_category(a, b).l2 for a, b in zip(df["level1_filed"], df["level2_filed"])], dtype=object)
    gold = df["gold_l2"].to_numpy(dtype=object)
    alt = df["gold_alt"].fillna("").to_numpy(dtype=object)
    has = (filed != "") & (gold != "none")
    truth = has & (filed != gold) & (filed != alt)
    return has, truth


def l2_flags(df, proba: np.ndarray, classes: Sequence[str], threshold: float) -> np.ndarray:
    """Rows where the model disagrees with the filed second level at ``threshold`` or more."""
    filed = np.array([filed_category(a, b).l2 for a, b in zip(df["level1_filed"], df["level2_filed"])], dtype=object)
    cls = np.asarray(classes, dtype=object)
    pred = cls[proba.argmax(1)]
    return (filed != "") & (pred != filed) & (pred != "none") & (proba.max(1) >= threshold)


def misfile_scores(df, proba: np.ndarray, classes: Sequence[str], threshold: float) -> dict[str, float]:
    """Precision / recall / F1 of the l2 misfile flags against gold (see :func:`truly_misfiled`).

    The ``*_strict`` entries count a row as misfiled whenever the filed l2 differs from
    gold_l2 (a filer who chose the gold_alt label counts as misfiled): the reading under
    which 观影人次数量 (filed 质量, gold 数量, alt 质量) should be flagged.
    """
    has, truth = truly_misfiled(df)
    filed = np.array([filed_category(a, b).l2 for a, b in zip(df["level1_filed"], df["level2_filed"])], dtype=object)
    strict = has & (filed != df["gold_l2"].to_numpy(dtype=object))
    flag = l2_flags(df, proba, classes, threshold) & has
    out: dict[str, float] = {}
    for suffix, t in (("", truth), ("_strict", strict)):
        tp = int((flag & t).sum())
        n_flag, n_true = int(flag.sum()), int(t.sum())
        p = tp / n_flag if n_flag else 0.0
        r = tp / n_true if n_true else 0.0
        out.update({f"precision{suffix}": p, f"recall{suffix}": r, f"f1{suffix}": 2 * p * r / (p + r) if p + r else 0.0,
                    f"true_positives{suffix}": tp, f"misfiled{suffix}": n_true})
    out["flagged"] = int(flag.sum())
    return out


def tune_thresholds(df, proba: np.ndarray, classes: Sequence[str], *, min_precision: float = 0.90,
                    min_recall: float = 0.80, grid: Sequence[float] | None = None) -> tuple[dict[str, float], list[dict]]:
    """Pick the l2 threshold from out-of-fold probabilities.

    The lowest threshold whose precision reaches ``min_precision`` (with recall at least
    ``min_recall`` when one such exists); when no threshold reaches the precision, the one
    with the best F0.5 (precision counted twice as much as recall). Returns the thresholds
    and the whole curve (for the run's artifacts).
    """
    grid = list(grid or np.round(np.arange(0.30, 0.96, 0.05), 2))
    curve = [{"threshold": float(t), **misfile_scores(df, proba, classes, t)} for t in grid]
    ok = [c for c in curve if c["precision"] >= min_precision and c["flagged"] > 0]
    both = [c for c in ok if c["recall"] >= min_recall]
    if both:
        best = min(both, key=lambda c: c["threshold"])
    elif ok:
        best = max(ok, key=lambda c: (c["recall"], -c["threshold"]))
    else:
        def f05(c):
            p, r = c["precision"], c["recall"]
            return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        best = max(curve, key=lambda c: (f05(c), c["threshold"]))
    return {"l2": best["threshold"], "l1": min(best["threshold"], DEFAULT_THRESHOLDS["l1"])}, curve


def confident_learning(df, proba: np.ndarray, classes: Sequence[str]):
    """Confident learning over the filed labels (Northcutt et al.): a filed second level is
    suspect when its out-of-fold probability is below the average probability the model gives
    that class on the rows filed under it, and another class clears its own average.

    Returns a DataFrame of the rows with a filed l2 (name, filed, suggested, p_filed,
    p_suggested, suspect, truly_misfiled), most suspect first, and the precision/recall of
    ``suspect`` against gold (:func:`truly_misfiled`).
    """
    import pandas as pd

    cls = list(classes)
    filed = np.array([filed_category(a, b).l2 for a, b in zip(df["level1_filed"], df["level2_filed"])], dtype=object)
    has, truth = truly_misfiled(df)
    rows = np.where(filed != "")[0]
    fi = np.array([cls.index(filed[i]) if filed[i] in cls else -1 for i in range(len(df))])
    t = np.array([proba[rows[fi[rows] == j], j].mean() if (fi[rows] == j).any() else 1.0 for j in range(len(cls))])
    out = []
    for i in rows:
        if fi[i] < 0:
            continue
        p = proba[i]
        above = [j for j in range(len(cls)) if j != fi[i] and p[j] >= t[j]]
        best = max(above, key=lambda j: p[j]) if above else int(np.argmax(p))
        out.append({"row": int(i), "name": df["name"].iat[i], "filed": filed[i], "suggested": cls[best],
                    "p_filed": float(p[fi[i]]), "p_suggested": float(p[best]),
                    "suspect": bool(p[fi[i]] < t[fi[i]] and above and cls[best] != "none"),
                    "gold_l2": df["gold_l2"].iat[i], "gold_alt": df["gold_alt"].iat[i],
                    "truly_misfiled": bool(truth[i])})
    review = pd.DataFrame(out).sort_values("p_filed").reset_index(drop=True)
    sus = review["suspect"] & review["row"].map(lambda i: bool(has[i]))
    tp = int((sus & review["truly_misfiled"]).sum())
    scores = {"precision": tp / int(sus.sum()) if sus.any() else 0.0, "recall": tp / int(truth.sum()) if truth.any() else 0.0,
              "flagged": int(sus.sum()), "true_positives": tp}
    return review, scores
