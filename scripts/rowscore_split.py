#!/usr/bin/env python3
"""Row recall of a `jixiao clean` run, split into the working set and the frozen held-out set.

    python scripts/rowscore_split.py out/indicators.csv [--shared ../shared]

Runs ../shared/tools/rowscore.py (the rule unseen filings are judged by) twice: on the hand-read
rows of the filings listed in data/heldout.txt and on all the others, and prints both figures
side by side. The figure on the working set is in-sample: reader rules were written from it.
"""
from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

from heldout import heldout_ids

ROOT = Path(__file__).resolve().parents[1]


def score(indicators: Path, rows: list[dict], fields: list[str], shared: Path) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8",
                                     newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, delimiter="\t")
        w.writeheader()
        w.writerows(rows)
    out = subprocess.run([sys.executable, str(shared / "tools" / "rowscore.py"), str(indicators),
                          "--rows", f.name, "--sources", str(shared / "data" / "sources.tsv")],
                         capture_output=True, text=True, check=False).stdout
    Path(f.name).unlink()
    return out.strip().splitlines()[-1] if out.strip() else "(no output)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("indicators", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    a = ap.parse_args()
    with open(a.shared / "data" / "rows.tsv", newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f, delimiter="\t")
        rows, fields = list(reader), list(reader.fieldnames or [])
    held = heldout_ids()
    print("working set (in-sample):", score(a.indicators, [r for r in rows if r["doc_id"] not in held],
                                             fields, a.shared))
    print("held-out               :", score(a.indicators, [r for r in rows if r["doc_id"] in held],
                                             fields, a.shared))
    print("all                    :", score(a.indicators, rows, fields, a.shared))


if __name__ == "__main__":
    main()
