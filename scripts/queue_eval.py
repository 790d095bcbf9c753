"""How much the "review next" queue (configs/workspace.yaml) finds per row reviewed.

Out-of-fold predictions of the shipped classifier's configuration (lr, 5-fold GroupKFold
by filing) on data/labelled/gold.tsv stand in for the model's output on unseen filings.
Each row gets the queue's score from them (uncertainty + disagreement with the filed second
level; flags are not simulated), and the first k rows of the queue are compared with the
first k rows in document order and with the mean of random orders: how many of them the
model got wrong (a reviewer's label corrects the model) and how many were filed wrong (a
label corrects the filing). Working set and the frozen held-out filings (data/heldout.txt)
are reported apart; the queue's weights were set before this was run and are not tuned on it.

    .venv/bin/python scripts/queue_eval.py [--share 0.1]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from heldout import heldout_ids

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from pipeline.classify.misfile import l2_flags
    from pipeline.classify.types import LABELS
    from pipeline.core.flags import review_rules
    from pipeline.train.labelled import load_labelled
    from pipeline.train.run import CANDIDATES, DEFAULT_DATA, cross_validate, folds_of
    from pipeline.workspace.queue import workspace_settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--share", type=float, default=0.1, help="the share of each set's rows reviewed (k)")
    args = ap.parse_args()
    df = load_labelled(DEFAULT_DATA)
    cv = cross_validate(CANDIDATES["lr"], df, folds_of(df, 5))
    conf = cv.proba.max(1)
    w = workspace_settings().queue
    disagree = l2_flags(df, cv.proba, LABELS, review_rules().thresholds["misfile_l2_confidence"])
    score = w.uncertainty * (1 - conf) + w.disagree_l2 * disagree
    gold, alt = df["gold_l2"].to_numpy(object), df["gold_alt"].to_numpy(object)
    model_wrong = (cv.pred != gold) & (cv.pred != alt)
    from pipeline.core.taxonomy import lookup

    filed = np.array([lookup(t).l2 if t else "" for t in df["level2_filed"]], dtype=object)
    filed_wrong = (filed != "") & (filed != gold) & (filed != alt)
    held = heldout_ids()
    is_held = df["doc_id"].isin(held).to_numpy()
    rng = np.random.default_rng(16)
    print(f"first {args.share:.0%} of each set's rows reviewed; out-of-fold lr on {len(df)} labelled rows")
    for label, mask in (("working set (in-sample for the classifier's design)", ~is_held),
                        ("held-out filings", is_held)):
        idx = np.flatnonzero(mask)
        k = max(1, round(args.share * len(idx)))
        queue = idx[np.argsort(-score[idx], kind="stable")][:k]
        doc_order = idx[:k]
        rand = [rng.choice(idx, k, replace=False) for _ in range(200)]
        for what, truth in (("model wrong", model_wrong), ("filed wrong", filed_wrong)):
            base = truth[idx].mean()
            r = np.mean([truth[x].sum() for x in rand])
            print(f"{label:<55} {what:<12} queue {truth[queue].sum():>3}/{k}   document order "
                  f"{truth[doc_order].sum():>3}/{k}   random {r:5.1f}/{k}   (rate {base:.1%} of {len(idx)} rows)")


if __name__ == "__main__":
    main()
