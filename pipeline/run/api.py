"""The importable entry points: ``read_filing`` and ``clean``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.extract.rows import COLUMNS
from pipeline.ingest.dispatch import read_filing
from pipeline.run.batch import run_batch

__all__ = ["read_filing", "clean"]


def clean(paths: str | Path | Iterable[str | Path], *, jobs: int = 1):
    """Extract the indicator rows of ``paths`` (files or folders) as a pandas DataFrame.

    The columns are :data:`pipeline.extract.rows.COLUMNS`. Files that cannot be read are left
    out of the frame and listed in ``df.attrs["errors"]`` (file, stage, code, message).
    """
    import pandas as pd

    if isinstance(paths, (str, Path)):
        paths = [paths]
    res = run_batch(paths, jobs=jobs)
    df = pd.DataFrame([r.as_dict() for r in res.rows], columns=list(COLUMNS))
    df.attrs["errors"] = [vars(e) if hasattr(e, "__dict__") else {"file": e.file, "stage": e.stage, "code": e.code,
                                                                   "message": e.message} for e in res.errors]
    return df
