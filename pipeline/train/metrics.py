"""Scoring the classifier against gold, and the model card: plain functions over arrays.

A prediction is right when it matches ``gold_l2`` or ``gold_alt``; per-class figures and the
confusion matrix use the "effective gold" (the prediction when it is one of the two
acceptable labels, else ``gold_l2``). :mod:`pipeline.train.run` calls these for every candidate
and logs what they return to MLflow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pipeline.classify.features import filed_category
from pipeline.classify.misfile import placement
from pipeline.classify.types import LABELS
from pipeline.train.content import comparison_table
from pipeline.train.misfile_eval import curve_table

CODES = {"数量指标": "N", "质量指标": "Q", "时效指标": "T", "经济成本指标": "C", "社会成本指标": "SC",
         "生态环境成本指标": "EC", "经济效益指标": "E", "社会效益指标": "S", "生态效益指标": "G",
         "可持续影响指标": "K", "服务对象满意度指标": "M", "过程指标": "P", "none": "none"}


# --------------------------------------------------------------------------- metrics

def effective_gold(pred: Sequence[str], gold: Sequence[str], alt: Sequence[str]) -> np.ndarray:
    """The prediction where it is an acceptable label (gold_l2 or gold_alt), else gold_l2."""
    return np.array([p if (p == g or (a and p == a)) else g for p, g, a in zip(pred, gold, alt)], dtype=object)


def metrics(df, pred: Sequence[str]) -> dict[str, Any]:
    """Macro-F1, accuracy, per-class P/R/F1/support and the confusion matrix (alt-aware).

    Macro-F1 averages over the classes present in the effective gold or the predictions.
    Also reported on the filings only (``source`` ≠ library): ``filings_macro_f1`` and
    ``filings_accuracy``.
    """
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        precision_recall_fscore_support,
    )

    pred = np.asarray(pred, dtype=object)
    eff = effective_gold(pred, df["gold_l2"], df["gold_alt"])
    labels = [c for c in LABELS if c in set(eff) | set(pred)]
    p, r, f, s = precision_recall_fscore_support(eff, pred, labels=labels, zero_division=0)
    out: dict[str, Any] = {
        "macro_f1": float(f1_score(eff, pred, labels=labels, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(eff, pred)),
        "n": int(len(pred)),
        "per_class": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                      for i, lab in enumerate(labels)},
        "confusion": {"labels": list(LABELS),
                      "matrix": confusion_matrix(eff, pred, labels=list(LABELS)).tolist()},
    }
    mask = (df["source"] != "library").to_numpy()
    if mask.any() and not mask.all():
        e2, p2 = eff[mask], pred[mask]
        labs2 = [c for c in LABELS if c in set(e2) | set(p2)]
        out["filings_macro_f1"] = float(f1_score(e2, p2, labels=labs2, average="macro", zero_division=0))
        out["filings_accuracy"] = float(accuracy_score(e2, p2))
    return out


def filers_accuracy(df) -> dict[str, Any]:
    """How often the filed second level (canonicalised) is right: the bar the model must clear."""
    filed = np.array([filed_category(a, b).l2 for a, b in zip(df["level1_filed"], df["level2_filed"])], dtype=object)
    gold, alt = df["gold_l2"].to_numpy(dtype=object), df["gold_alt"].to_numpy(dtype=object)
    has = filed != ""
    ok_alt = (filed == gold) | ((alt != "") & (filed == alt))
    ind = has & (gold != "none")
    return {
        "rows_with_filed_l2": int(has.sum()),
        "accuracy": float(ok_alt[has].mean()) if has.any() else 0.0,
        "accuracy_strict": float((filed == gold)[has].mean()) if has.any() else 0.0,
        "accuracy_indicators": float(ok_alt[ind].mean()) if ind.any() else 0.0,
    }


def model_accuracy_on_filed_rows(df, pred: Sequence[str]) -> float:
    """The model's (alt-aware) accuracy on the rows that have a filed second level: the
    same rows as :func:`filers_accuracy`, so the two compare directly."""

    has = np.array([bool(filed_category(a, b).l2) for a, b in zip(df["level1_filed"], df["level2_filed"])])
    pred = np.asarray(pred, dtype=object)
    eff = effective_gold(pred, df["gold_l2"], df["gold_alt"])
    return float((eff[has] == pred[has]).mean()) if has.any() else 0.0


def l1_scores(df, proba: np.ndarray, threshold: float) -> dict[str, float]:
    """Precision/recall of the 'no filed l2, first level conflicts with the prediction' flag."""
    fl = [filed_category(a, b) for a, b in zip(df["level1_filed"], df["level2_filed"])]
    classes = np.array(LABELS, dtype=object)
    pred, conf = classes[proba.argmax(1)], proba.max(1)
    tp = n_flag = n_true = 0
    for i, f in enumerate(fl):
        g, a = df["gold_l2"].iat[i], df["gold_alt"].iat[i]
        if f.l2 or not f.l1 or g == "none":
            continue
        truth = placement(f.l1, g) == "wrong" and (not a or placement(f.l1, a) == "wrong")
        flag = bool(pred[i] != "none" and placement(f.l1, pred[i]) == "wrong" and conf[i] >= threshold)
        n_true += truth
        n_flag += flag
        tp += truth and flag
    return {"precision": tp / n_flag if n_flag else 0.0, "recall": tp / n_true if n_true else 0.0,
            "flagged": n_flag, "true_positives": tp, "misfiled": n_true}


def flat_metrics(m: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """MLflow metric dict: macro_f1, accuracy, f1_N, precision_Q … (class codes, see CODES)."""
    out = {f"{prefix}{k}": float(v) for k, v in m.items() if isinstance(v, (int, float)) and k != "n"}
    for lab, d in m.get("per_class", {}).items():
        for k in ("precision", "recall", "f1"):
            out[f"{prefix}{k}_{CODES[lab]}"] = d[k]
    return out


def report_text(m: Mapping[str, Any]) -> str:
    """A classification report (text) of :func:`metrics` output."""
    lines = [f"{'class':<12}{'code':>5}{'precision':>11}{'recall':>9}{'f1':>8}{'support':>9}"]
    for lab, d in m["per_class"].items():
        lines.append(f"{lab:<12}{CODES[lab]:>5}{d['precision']:>11.3f}{d['recall']:>9.3f}{d['f1']:>8.3f}{d['support']:>9d}")
    lines.append(f"\nmacro-F1 {m['macro_f1']:.4f}   accuracy {m['accuracy']:.4f}   rows {m['n']}")
    if "filings_accuracy" in m:
        lines.append(f"filings only: macro-F1 {m['filings_macro_f1']:.4f}   accuracy {m['filings_accuracy']:.4f}")
    lines.append("(a prediction matching gold_l2 or gold_alt counts as right)")
    return "\n".join(lines) + "\n"


def confusion_figure(m: Mapping[str, Any], title: str = ""):
    """The confusion matrix as a matplotlib Figure (class codes on the axes, ASCII only so it
    renders without CJK fonts)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = m["confusion"]["labels"]
    cm = np.array(m["confusion"]["matrix"])
    codes = [CODES[x] for x in labels]
    fig, ax = plt.subplots(figsize=(7, 6))
    ax.imshow(np.log1p(cm), cmap="Blues")
    ax.set_xticks(range(len(codes)), codes)
    ax.set_yticks(range(len(codes)), codes)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold (effective: prediction when it is gold_l2 or gold_alt)")
    for i in range(len(codes)):
        for j in range(len(codes)):
            if cm[i, j]:
                ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if cm[i, j] > cm.max() / 3 else "black")
    ax.set_title(title or f"macro-F1 {m['macro_f1']:.3f}  accuracy {m['accuracy']:.3f}")
    fig.text(0.01, 0.005, "N quantity  Q quality  T timeliness  C economic cost  SC social cost  EC eco cost  "
             "E economic benefit  S social benefit  G eco benefit  K sustainability  M satisfaction  P process",
             fontsize=6)
    fig.tight_layout()
    return fig



def model_card(m: Mapping[str, Any], C: float) -> str:
    """MODEL_CARD.md from the metrics document (all numbers as measured by the training run);
    ``C`` is the chosen candidate's regularisation."""
    best = m["cv"][m["chosen"]]
    rows = "\n".join(f"| {n} | {r['macro_f1']:.4f} | {r['accuracy']:.4f} | {r.get('filings_macro_f1', 0):.4f} | "
                     f"{r.get('filings_accuracy', 0):.4f} | {r['seconds']:.1f} |" for n, r in m["cv"].items())
    per = "\n".join(f"| {lab} | {CODES[lab]} | {d['precision']:.3f} | {d['recall']:.3f} | {d['f1']:.3f} | {d['support']} |"
                    for lab, d in best["per_class"].items())
    mis, l1, cl = m["misfile"]["l2"], m["misfile"]["l1"], m["misfile"]["confident_learning"]
    v = m["versions"]
    return f"""# Model card: jixiao category classifier

The model `jixiao clean` uses to give every indicator row its canonical second level (二级指标),
its confidence and the misfile flags (`pipeline.classify.predict.classify_rows`). Scored with numpy
only (`pipeline/classify/scorer.py`) from `model.json`, `vocab.json` and `weights.npz` — plain data,
nothing unpickled. Generated by `jixiao train --export models` on {m['trained']}; do not edit
by hand (rerun the command).

## Model

- Candidate `{m['chosen']}`: TF-IDF of jieba words and of character 1–3-grams of the name, binary
  tokens of the typed target value, of the Chinese words of the value cells, of the filed
  category (canonical, `FILED_L2=…`), of the keyword rules (`configs/classify_rules.yaml`) and of
  the name's shape (suffix class and ending, `configs/name_shapes.yaml`);
  multinomial logistic regression (class_weight balanced, C={C}), trained on
  gold_l2 plus the gold_alt label at weight 0.6; the hard rules (empty/placeholder rows,
  satisfaction, social/ecological cost) compiled into the weights.
- Versions: taxonomy `{v['taxonomy_version']}`, rules `{v['rules_version']}`, features
  `{v['features_version']}`, jieba dictionary sha256 `{v['jieba_dictionary_sha256']}`,
  scikit-learn {v['sklearn_version']}. Model files sha256 `{m['model_sha256'][:16]}…`;
  MLflow run `{m['mlflow_run_id']}`.
- Misfile thresholds: l2 {m['thresholds']['l2']}, l1 {m['thresholds']['l1']}.

## Data

`{m['data']}` (digest `{m['data_digest']}`): {m['rows']} hand-labelled rows from {m['documents']}
documents (filings, self-evaluations, reports and indicator libraries; see
`data/labelled/README.md`). Labels follow LABELLING.md; a prediction matching gold_l2 or
gold_alt counts as right.

## Metrics ({m['folds']}-fold GroupKFold by doc_id, out-of-fold)

| model | macro-F1 | accuracy | filings macro-F1 | filings accuracy | CV seconds |
|---|---|---|---|---|---|
{rows}

Filers' own accuracy (canonical filed second level vs gold, {m['filers']['rows_with_filed_l2']} rows with a filed
second level): {m['filers']['accuracy']:.4f} counting gold_alt, {m['filers']['accuracy_strict']:.4f} strict,
{m['filers']['accuracy_indicators']:.4f} leaving out empty placeholder rows. The chosen model on the same rows
(out-of-fold): {m['filers'].get('model_accuracy_same_rows', float('nan')):.4f}.

Per class, chosen model:

| class | code | precision | recall | F1 | support |
|---|---|---|---|---|---|
{per}

Misfiled second level (filed l2 matches neither gold_l2 nor gold_alt; empty rows left out):
precision {mis['precision']:.3f}, recall {mis['recall']:.3f} at threshold {m['thresholds']['l2']}
({mis['true_positives']} of {mis['flagged']} flags right, {mis['misfiled']} misfiled rows).
Strict reading (a filer who chose the gold_alt label counts as misfiled, as the seed examples
do): precision {mis['precision_strict']:.3f}, recall {mis['recall_strict']:.3f} ({mis['misfiled_strict']} rows).
Confident learning over the out-of-fold probabilities (filed label below its class's average
self-confidence, another class above its own): precision {cl['precision']:.3f}, recall {cl['recall']:.3f}
({cl['true_positives']}/{cl['flagged']}); the ranked list is the run's `filed_label_review.csv`.
First level conflicting with the prediction (no filed l2): precision {l1['precision']:.3f}, recall
{l1['recall']:.3f} ({l1['true_positives']}/{l1['flagged']} flags, {l1['misfiled']} rows).

Training time (all candidates' CV + final fit): {m['train_seconds']:.1f} s; final fit {m['fit_seconds']:.1f} s.
{judge_card(m)}
## Limits

- The keyword rules were written after reading the labelled rows, so cross-validated
  numbers of the models that use them are optimistic.
- 社会成本 and 生态环境成本 have one labelled row each: they are predicted by the hard
  rules only.
- The misfile flags do not reach the target precision 0.80 at recall 0.60 (see the numbers
  above): treat them as hints for a reviewer, not as errors. The held-out filings hold few
  misfiled rows, so their misfile figures are counts more than rates.
"""




def judge_card(m: Mapping[str, Any]) -> str:
    """The model card's sections on the content model, the held-out filings and the labels
    ('' for a metrics document without them)."""
    cv, ho, lab, mc = m.get("cv_final"), m.get("heldout"), m.get("labels", {}), m.get("misfile_content")
    if not cv:
        return ""

    th = m["thresholds"]
    out = [f"""
## Judging the filing: the content model and the frozen held-out filings

The misfile decision comes from a **content model**: the same features without the filed
category (name words and n-grams, typed value and unit, value words, rules, name shape),
fitted on the same rows. `MISFILED_L2` is raised when it gives the filed second level at most
{th['content_filed']} and another class at least {th['content_other']}; the row's category then
becomes that class. Rows filed under a management block (过程) are not judged. Both thresholds
were chosen out of fold (GroupKFold by filing) on the rows of filings and reports of the working
set, seeds left out (`pipeline/train/misfile_eval.py`): the highest recall at precision ≥ 0.80, else
≥ 0.70, else ≥ 0.60.

Working set: {m['working_rows']} rows from {m['working_documents']} documents (cross-validated;
the keyword rules and features were chosen on it, so its figures are partly in-sample).
Held-out: {m['heldout_rows']} rows from {m['heldout_documents']} filings of `data/heldout.txt`, never read while
writing rules or choosing features and thresholds; the model fitted on the working set is
scored once on them. The category below is the final one (after the misfile decision).

| | cross-validation (working set) | held-out filings |
|---|---|---|
| macro-F1 | {cv['macro_f1']:.4f} | {_get(ho, 'macro_f1')} |
| accuracy | {cv['accuracy']:.4f} | {_get(ho, 'accuracy')} |
| MISFILED_L2 precision | {cv['misfile']['precision']:.3f} ({cv['misfile']['true_positives']}/{cv['misfile']['flagged']}) | {_mis(ho, 'precision')} |
| MISFILED_L2 recall | {cv['misfile']['recall']:.3f} ({cv['misfile']['true_positives']}/{cv['misfile']['misfiled']}) | {_mis(ho, 'recall')} |
| MISFILED_L2 precision, strict (a filer choosing gold_alt counts as misfiled) | {cv['misfile']['precision_strict']:.3f} | {_mis(ho, 'precision_strict')} |
| MISFILED_L2 recall, strict | {cv['misfile']['recall_strict']:.3f} | {_mis(ho, 'recall_strict')} |
| MISFILED_L1 (no filed l2) precision / recall | {cv['misfile_l1']['precision']:.3f} / {cv['misfile_l1']['recall']:.3f} | {_l1(ho)} |

Per class (precision / recall / F1 / support; the confusion matrices are the MLflow run's
`cv_final_confusion_matrix.png` and `heldout_confusion_matrix.png`):

| class | cross-validation | held-out |
|---|---|---|"""]
    for cls, d in cv["per_class"].items():
        h = (ho or {}).get("per_class", {}).get(cls)
        hs = f"{h['precision']:.3f} / {h['recall']:.3f} / {h['f1']:.3f} / {h['support']}" if h else "–"
        out.append(f"| {cls} | {d['precision']:.3f} / {d['recall']:.3f} / {d['f1']:.3f} / {d['support']} | {hs} |")
    cc = m.get("content_comparison")
    if cc:
        out.append(f"""
The content head was chosen out of fold among these (same folds; the lowest log-loss of
p(gold_l2) + p(gold_alt) wins among the exportable logistic-regression heads; *tuned*: the
thresholds chosen on all out-of-fold rows, *nested*: each fold judged at thresholds chosen on
the other folds; `pipeline/train/content.py`):

{comparison_table(cc['variants'], cc['chosen'])}""")
    if mc:
        out.append(f"""
Precision–recall of `MISFILED_L2` out of fold along t_other (t_filed ≤ {th['content_filed']};
{mc['scores']['misfiled']} misfiled rows among {mc['scores']['rows_with_filed_l2']} filed rows of the working
filings; the image is the MLflow run's `misfile_pr_curve.png`):

{curve_table(mc['curve'])}""")
    if lab:
        kap = (f"a blind second pass over {lab['blind_rows']} working-set rows (labelled from name, value, unit "
               f"and filed labels without seeing the first labels) agrees with the first on {lab['agreement']:.1%} "
               f"of the rows, Cohen's kappa {lab['kappa']:.3f} ({lab['agreement_with_alternatives']:.1%} when "
               "either pass's alternative counts); disagreements were settled in `data/labelled/README.md`. "
               ) if "kappa" in lab else ""
        out.append(f"""
Labels: {kap}{lab['alt_share']:.1%} of the {lab['rows']} rows carry an alternative label.""")
    um = m.get("unmapped_filed")
    if um is not None:
        shown = ", ".join(f"{k} ×{v}" for k, v in list(um.items())[:15])
        out.append(f"""
Filed category texts that map to nothing in `configs/taxonomy.yaml` (after aliases and rapidfuzz):
{len(um)} distinct texts on {sum(um.values())} cells — {shown or 'none'}.""")
    return "\n".join(out) + "\n"


def _get(d: Mapping[str, Any] | None, k: str) -> str:
    return f"{d[k]:.4f}" if d and k in d else "–"


def _mis(d: Mapping[str, Any] | None, k: str) -> str:
    if not d or "misfile" not in d:
        return "–"
    x = d["misfile"]
    n = {"precision": x["flagged"], "recall": x["misfiled"], "precision_strict": x["flagged"],
         "recall_strict": x["misfiled_strict"]}[k]
    tp = x["true_positives_strict"] if k.endswith("strict") else x["true_positives"]
    return f"{x[k]:.3f} ({tp}/{n})"


def _l1(d: Mapping[str, Any] | None) -> str:
    if not d or "misfile_l1" not in d:
        return "–"
    x = d["misfile_l1"]
    return f"{x['precision']:.3f} / {x['recall']:.3f} ({x['true_positives']}/{x['flagged']} flags, {x['misfiled']} rows)"
