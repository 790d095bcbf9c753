"""Reviewers' corrections as training rows: ``jixiao train --corrections review.db|FILE.tsv``.

The review workspace (:mod:`pipeline.workspace`) stores every judgement in ``review.db``;
:func:`pipeline.workspace.export.labelled_rows` turns them into rows in the format of
``data/labelled/gold.tsv``. This module adds them to the labelled frame training reads.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.classify.types import LABELS
from pipeline.train.labelled import load_labelled
from pipeline.workspace.export import LABELLED_COLUMNS, labelled_rows
from pipeline.workspace.store import Store


def with_corrections(df, path: str | Path):
    """``df`` (a labelled frame of :func:`pipeline.train.labelled.load_labelled`) plus the corrected
    rows of ``path`` (a ``review.db`` or an exported TSV). A corrected row replaces a row of
    ``df`` with the same name and target (the reviewer's judgement is newer). Returns the
    frame and the number of corrected rows used."""
    import pandas as pd

    path = Path(path)
    if path.suffix.lower() == ".db":
        rows = labelled_rows(Store(path))
        if not rows:
            return df, 0
        tmp = pd.DataFrame(rows, columns=list(LABELLED_COLUMNS))
    else:
        tmp = load_labelled(path)
    if tmp.empty:
        return df, 0
    bad = sorted(set(tmp["gold_l2"]) - set(LABELS))
    if bad:
        raise ValueError(f"corrections {path}: gold_l2 values {bad} are not classes")
    keys = set(zip(tmp["name"], tmp["target"], strict=True))
    keep = [k not in keys for k in zip(df["name"], df["target"], strict=True)]
    merged = pd.concat([df[keep], tmp.reindex(columns=df.columns, fill_value="")], ignore_index=True)
    return merged.fillna(""), len(tmp)
