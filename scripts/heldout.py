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


def filing_selection(exclude: list[str], only: str | None, exclude_golden: bool) -> tuple[set[str], set[str] | None]:
    """(stems left out, stems kept or None for all) from the --exclude / --only /
    --exclude-golden options the flag scripts share; golden stems are those of
    tests/golden/flags."""
    out: set[str] = set()
    for p in exclude:
        out |= heldout_ids(p)
    if exclude_golden:
        out |= {p.stem.split("_")[0] for p in (ROOT / "tests" / "golden" / "flags").glob("*.tsv")}
    return out, (set(heldout_ids(only)) if only else None)
