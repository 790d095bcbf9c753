"""What ``jixiao train`` reports beside cross-validation: the frozen held-out filings, the
category after the misfile decision, and the quality of the labels.

- :func:`heldout_ids` / :func:`split_heldout` — ``data/heldout.txt`` lists filings chosen
  before anyone read them; their rows are never used to write rules, choose features or
  thresholds. Training cross-validates and fits on the other rows (the working set) and
  scores the fitted model once on the held-out rows.
- :func:`final_predictions` — the category a row ends with: the model's class, or the
  content model's class where the content model judges the filed label wrong
  (:func:`pipeline.classify.misfile.decide_one`).
- :func:`label_quality` — Cohen's kappa of the blind second labelling pass against the
  first labels (``data/labelled/blind/``) and the share of rows with an alternative label.

Example: ``split_heldout(df, heldout_ids(PROJECT_DIR))`` → (1,006 working rows, 45 held-out
rows) for a gold.tsv whose held-out filings have 45 rows.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.types import LABELS
from pipeline.core.taxonomy import lookup
from pipeline.train.metrics import flat_metrics, l1_scores, metrics
from pipeline.train.misfile_eval import (
    content_scores,
    curve_figure,
    judge,
    pr_curve,
    scoring_mask,
    seed_ids,
    tune,
)


def heldout_ids(project_dir: Path) -> frozenset[str]:
    """doc_ids listed in ``data/heldout.txt`` (see :func:`read_ids`); empty if absent."""
    path = project_dir / "data" / "heldout.txt"
    return read_ids(path) if path.is_file() else frozenset()


def read_ids(path: Path | str) -> frozenset[str]:
    """The ids of a list such as data/heldout.txt: one a line, the first token of it; blank
    lines and ``#`` comments skipped. The one reader of the held-out list, for the package and
    for the scripts, benches and tests (scripts/heldout.py)."""
    lines = (line.split("#", 1)[0].split() for line in Path(path).read_text(encoding="utf-8").splitlines())
    return frozenset(x[0] for x in lines if x)


def split_heldout(df, ids: frozenset[str]):
    """(working rows, held-out rows), each re-indexed from 0."""
    held = df["doc_id"].isin(ids)
    return df[~held].reset_index(drop=True), df[held].reset_index(drop=True)


def final_predictions(df, proba: np.ndarray, content: np.ndarray | None, classes: Sequence[str],
                      thresholds: Mapping[str, float]) -> np.ndarray:
    """The model's class per row, replaced by the content model's where it flags the filed l2."""
    pred = np.asarray(classes, dtype=object)[proba.argmax(1)]
    if content is None:
        return pred
    j = judge(df, content, classes)
    flag = (j.filed != "") & (pred != "none") & (j.p_filed <= thresholds["content_filed"]) & \
        (j.p_best >= thresholds["content_other"])
    out = pred.copy()
    out[flag] = j.best[flag]
    return out


def evaluate_rows(df, proba: np.ndarray, content: np.ndarray | None, classes: Sequence[str],
                  thresholds: Mapping[str, float], seeds: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Metrics of the final category, the content rule's misfile scores and the l1 scores."""
    pred = final_predictions(df, proba, content, classes, thresholds)
    out = metrics(df, pred)
    if content is not None:
        mask = scoring_mask(df, seeds)
        out["misfile"] = content_scores(df, judge(df, content, classes), thresholds["content_filed"],
                                        thresholds["content_other"], mask)
        out["misfile_l1"] = l1_scores(df, content, thresholds["l1"])
    return out


def label_quality(project_dir: Path, df) -> dict[str, Any]:
    """Kappa of the blind second pass (if its files exist) and the alternative-label share of ``df``."""
    out: dict[str, Any] = {"rows": int(len(df)),
                           "alt_share": float((df["gold_alt"] != "").mean()) if len(df) else 0.0}
    blind = project_dir / "data" / "labelled" / "blind"
    first, second = blind / "pass1_labels.tsv", blind / "pass2_labels.tsv"
    if not (first.is_file() and second.is_file()):
        return out
    from sklearn.metrics import cohen_kappa_score

    codes = _codes(project_dir)
    with first.open(encoding="utf-8") as fh:
        gold = {int(r["key"]): r for r in csv.DictReader(fh, delimiter="\t")}
    y1, y2, loose = [], [], 0
    with second.open(encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t") + [""]
            r = gold[int(f[0])]
            g2, a2 = codes[f[1]], codes[f[2]]
            y1.append(r["gold_l2"])
            y2.append(g2)
            loose += bool(r["gold_l2"] in (g2, a2) or (r["gold_alt"] and r["gold_alt"] in (g2, a2)))
    n = len(y1)
    out.update({"blind_rows": n, "kappa": float(cohen_kappa_score(y1, y2)),
                "agreement": sum(a == b for a, b in zip(y1, y2)) / n if n else 0.0,
                "agreement_with_alternatives": loose / n if n else 0.0})
    return out


def _codes(project_dir: Path) -> dict[str, str]:
    """The batch codes (N → 数量指标 …) from data/labelled/build_gold.py's table."""
    spec = importlib.util.spec_from_file_location("_build_gold", project_dir / "data" / "labelled" / "build_gold.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return dict(mod.CODES)


def judge_out_of_fold(df, proba: np.ndarray, content: np.ndarray, classes: Sequence[str],
                      seeds: frozenset[str]) -> tuple[dict[str, float], dict[str, Any]]:
    """Choose the content rule's thresholds on out-of-fold probabilities (filings, seeds left
    out) and score it there. Returns (thresholds, report: scores, PR curve, final-category metrics)."""

    mask = scoring_mask(df, seeds)
    j = judge(df, content, classes)
    th, grid = tune(df, j, mask)
    curve = pr_curve(df, j, mask, th["content_filed"])
    report = {"scores": content_scores(df, j, th["content_filed"], th["content_other"], mask),
              "curve": curve, "grid": grid, "rows": int(mask.sum())}
    return th, report


def predict_labels_order(model, rows, labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """(model probabilities, content probabilities or None) of a fitted LinearModel, columns in ``labels`` order."""
    index = {c: i for i, c in enumerate(labels)}
    cols = [index[c] for c in model.classes_]
    p = np.zeros((len(rows), len(labels)))
    p[:, cols] = model.predict_proba(rows)
    c = model.predict_content_proba(rows) if hasattr(model, "predict_content_proba") else None
    if c is None:
        return p, None
    cc = np.zeros_like(p)
    cc[:, cols] = c
    return p, cc


def build_report(df, held, best, model, thresholds: Mapping[str, float], seeds: frozenset[str],
                 labels: Mapping[str, Any]) -> dict[str, Any]:
    """Everything beside the candidates' CV that the model card and MLflow show:
    ``cv_final`` (out-of-fold, the category after the misfile decision), ``heldout`` (the model
    fitted on the working set, scored on the held-out filings), ``misfile_content`` (the content
    rule out of fold with its PR curve) and ``labels`` (kappa, alternative share)."""

    out: dict[str, Any] = {"labels": dict(labels), "working_rows": int(len(df)), "working_documents":
                           int(df["doc_id"].nunique()), "heldout_rows": int(len(held)),
                           "heldout_documents": int(held["doc_id"].nunique()) if len(held) else 0}
    out["unmapped_filed"] = unmapped_filed(_concat(df, held))
    if best.content_proba is None:
        return out
    out["cv_final"] = evaluate_rows(df, best.proba, best.content_proba, LABELS, thresholds, seeds)
    if len(held):
        p, c = predict_labels_order(model, held, LABELS)
        out["heldout"] = evaluate_rows(held, p, c, LABELS, thresholds, seeds)
    return out


def log_report(report: Mapping[str, Any]) -> None:
    """Log :func:`build_report`'s figures to the active MLflow run (PR curve as an image)."""
    import matplotlib.pyplot as plt
    import mlflow


    lab = report.get("labels", {})
    mlflow.log_metrics({f"labels_{k}": float(v) for k, v in lab.items()})
    for part in ("cv_final", "heldout"):
        m = report.get(part)
        if not m:
            continue
        mlflow.log_metrics(flat_metrics(m, f"{part}_"))
        mlflow.log_metrics({f"{part}_misfile_{k}": float(v) for k, v in m.get("misfile", {}).items()})
        mlflow.log_metrics({f"{part}_misfile_l1_{k}": float(v) for k, v in m.get("misfile_l1", {}).items()})
    mc = report.get("misfile_content")
    if mc:
        fig = curve_figure({"out of fold (working set)": mc["curve"]}, report.get("thresholds"))
        mlflow.log_figure(fig, "misfile_pr_curve.png")
        plt.close(fig)
        mlflow.log_dict({"curve": mc["curve"], "grid": mc["grid"]}, "misfile_content_curve.json")


def _concat(a, b):
    import pandas as pd

    return pd.concat([a, b], ignore_index=True)


def unmapped_filed(df) -> dict[str, int]:
    """Filed category texts (一级 or 二级 column) that map to no category, process block or
    section label of the taxonomy, with their row counts, most frequent first: what
    ``configs/taxonomy.yaml`` does not cover yet (topic names used as a level, 效率指标 …)."""


    counts: Counter[str] = Counter()
    for col in ("level1_filed", "level2_filed"):
        for text in df[col]:
            text = str(text).strip()
            if text:
                c = lookup(text)
                if not (c.is_category or c.process or c.section):
                    counts[text] += 1
    return dict(counts.most_common())


def judge_and_report(df, held, df_all, best, model, thresholds: dict[str, float], project_dir: Path) -> dict[str, Any]:
    """After the final fit: choose the content rule's thresholds out of fold (``thresholds`` is
    updated in place), build the report (:func:`build_report`) and log it to the active run."""

    seeds = seed_ids(project_dir)
    content_report = None
    if best.content_proba is not None:
        cth, content_report = judge_out_of_fold(df, best.proba, best.content_proba, LABELS, seeds)
        thresholds.update(cth)
    report = build_report(df, held, best, model, thresholds, seeds, label_quality(project_dir, df_all))
    report.update(misfile_content=content_report, thresholds=dict(thresholds))
    log_report(report)
    if content_report:
        content_report.pop("grid")      # logged to MLflow; too long for metrics.json
    return report
