"""Shared helpers for the golden row files (tests/golden/rows/<stem>.tsv)."""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.core.normalize import key

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "rows"
FIELDS = ("table", "level1_filed", "level2_filed", "name", "target_raw", "actual_raw", "weight", "score")


def raw_path(stem: str) -> Path:
    for sub in ("seeds", "filings", "reports"):
        p = ROOT / "data" / "raw" / sub / f"{stem}.txt"
        if p.exists():
            return p
    raise FileNotFoundError(stem)


def golden_stems() -> list[str]:
    return sorted(p.stem for p in GOLDEN.glob("*.tsv"))


def load_golden(stem: str) -> list[tuple[str, ...]]:
    with open(GOLDEN / f"{stem}.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [tuple(key(r.get(f) or "") for f in FIELDS) for r in rows]


def extracted(stem: str) -> list[tuple[str, ...]]:
    from pipeline.extract.read import extract
    from pipeline.ingest.dispatch import read_filing

    ex = extract(read_filing(raw_path(stem)))
    return [tuple(key(str(getattr(r, f))) for f in FIELDS) for r in ex.rows]
