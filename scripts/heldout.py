"""The frozen held-out filings (data/heldout.txt), for the scripts, benches and tests.

    from heldout import heldout_ids          # with scripts/ on sys.path
    heldout_ids()                            # {'011', '013', …}: the ids of data/heldout.txt
    heldout_ids("other_list.txt")            # any list in the same format

The list is parsed by :func:`pipeline.train.report.read_ids`, the same reader training uses
to keep those filings out of the classifier's data, so every tool sees the same ids.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.train.report import read_ids

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "data" / "heldout.txt"


def heldout_ids(path: Path | str = HELDOUT) -> frozenset[str]:
    """The filing ids listed in ``path`` (data/heldout.txt unless told)."""
    return read_ids(path)
