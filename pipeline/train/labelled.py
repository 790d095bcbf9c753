"""Reading a labelled file (data/labelled/gold.tsv, a reviewer's exported corrections) for training."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.classify.types import LABELS


def load_labelled(path: str | Path):
    """A labelled file (TSV or CSV, UTF-8) as a DataFrame of strings.

    Needs ``name`` and ``gold_l2``; ``doc_id`` (the grouping unit; each row its own group
    when absent), ``gold_alt``, ``source``, ``target``/``actual``, ``level1_filed``/
    ``level2_filed`` are optional. Raises ValueError naming what is missing.
    """
    import pandas as pd

    path = Path(path)
    sep = "," if path.suffix.lower() == ".csv" else "\t"
    df = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if "target_raw" in df.columns and "target" not in df.columns:
        df = df.rename(columns={"target_raw": "target"})
    missing = [c for c in ("name", "gold_l2") if c not in df.columns]
    if missing:
        raise ValueError(f"labelled file {path} lacks the column(s) {missing}; it has {list(df.columns)}")
    for c, default in (("gold_alt", ""), ("source", "filing"), ("target", ""), ("actual", ""),
                       ("level1_filed", ""), ("level2_filed", "")):
        if c not in df.columns:
            df[c] = default
    if "doc_id" not in df.columns:
        df["doc_id"] = [f"row{i}" for i in range(len(df))]
    unknown = sorted(set(df["gold_l2"]) - set(LABELS))
    if unknown:
        raise ValueError(f"labelled file {path}: gold_l2 values {unknown} are not classes; expected one of {LABELS}")
    return df.reset_index(drop=True)


def expand_alt(df, alt_weight: float):
    """Training rows: every row with its gold_l2 (weight 1), plus rows with a gold_alt again
    with that label (weight ``alt_weight``). Returns (X, y, sample_weight)."""
    import pandas as pd

    y = df["gold_l2"].to_numpy(dtype=object)
    w = np.ones(len(df))
    if alt_weight <= 0:
        return df, y, w
    alt = df[df["gold_alt"] != ""]
    return (pd.concat([df, alt], ignore_index=True),
            np.concatenate([y, alt["gold_alt"].to_numpy(dtype=object)]),
            np.concatenate([w, np.full(len(alt), alt_weight)]))
