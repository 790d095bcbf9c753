"""Draw a reproducible random sample of flags to judge by reading, with the text around each.

    .venv/bin/python scripts/sample_flags.py OUT/flags.csv --n 80 --seed 15 [--exclude-golden]
        [--exclude data/heldout.txt] [--only data/heldout.txt] [--skip sample1.tsv] > sample.tsv

Writes one TSV line per sampled flag (stem, line, name, code, message, evidence, verdict,
note — verdict and note left empty for the reader) and prints each flag's text context on
stderr. ``--skip`` leaves out flags already in an earlier sample, so that a second sample is
fresh. Filings of tests/golden/flags are left out with ``--exclude-golden`` (they were read
while writing the checks).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from heldout import filing_selection

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("flags")
    ap.add_argument("--n", type=int, default=80)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--only")
    ap.add_argument("--exclude-golden", action="store_true")
    ap.add_argument("--skip", action="append", default=[])
    a = ap.parse_args(argv)
    out, only = filing_selection(a.exclude, a.only, a.exclude_golden)
    seen = set()
    for p in a.skip:
        with open(p, encoding="utf-8") as fh:
            seen |= {(r["stem"], r["line"], r["name"], r["code"]) for r in csv.DictReader(fh, delimiter="\t")}
    with open(a.flags, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    pool = []
    for r in rows:
        stem = Path(r["file"]).stem
        if stem in out or (only is not None and stem not in only) or (stem, r["row"], r["name"], r["code"]) in seen:
            continue
        pool.append(r)
    sample = random.Random(a.seed).sample(pool, min(a.n, len(pool)))
    sample.sort(key=lambda r: (r["code"], r["file"], int(r["row"] or 0)))
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(["stem", "line", "name", "code", "message", "evidence", "verdict", "note"])
    for r in sample:
        w.writerow([Path(r["file"]).stem, r["row"], r["name"], r["code"], r["message"], r["evidence"], "", ""])
        lines = Path(r["file"]).read_text(encoding="utf-8", errors="replace").splitlines()
        n = int(r["row"] or 0)
        print(f"== {Path(r['file']).stem}:{n} {r['code']} {r['name']}\n   {r['message']}\n   {r['evidence']}",
              file=sys.stderr)
        for k in range(max(0, n - 3), min(len(lines), n + 2)) if n else ():
            print(f"   {k + 1:5d}{'>' if k + 1 == n else ' '} {lines[k][:220]}", file=sys.stderr)
    print(f"pool {len(pool)} flags, sampled {len(sample)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
