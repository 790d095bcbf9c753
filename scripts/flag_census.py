"""Judged share of flags by code: every flag of a run matched with the verdicts read so far.

    .venv/bin/python scripts/flag_census.py OUT/flags.csv JUDGED.tsv [JUDGED.tsv ...]
        [--exclude data/heldout.txt] [--only data/heldout.txt] [--exclude-golden] [--unjudged]

A judged file is a TSV with the columns stem, line, name, code and verdict (right / wrong /
unsure), as notes/issue15-sample*-judged.tsv and notes/issue15-census-round3.tsv; a later
file's verdict wins over an earlier one for the same flag. Prints one line per code (flags,
right, wrong, unsure, not yet judged) and the total; ``--unjudged`` lists the flags nobody has
judged yet, to read them (scripts/sample_flags.py prints their text). The README's judged
figures are this output: in-sample for filings read while writing the rules.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from heldout import filing_selection

ROOT = Path(__file__).resolve().parents[1]
VERDICTS = ("right", "wrong", "unsure", "unjudged")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("flags")
    ap.add_argument("judged", nargs="*")
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--only")
    ap.add_argument("--exclude-golden", action="store_true")
    ap.add_argument("--unjudged", action="store_true")
    a = ap.parse_args(argv)
    out, only = filing_selection(a.exclude, a.only, a.exclude_golden)
    verdict: dict[tuple[str, str, str, str], str] = {}
    for p in a.judged:
        with open(p, encoding="utf-8") as fh:
            lines = (ln for ln in fh if not ln.startswith("#"))
            for r in csv.DictReader(lines, delimiter="\t"):
                if r.get("verdict") in VERDICTS[:3]:
                    verdict[(r["stem"], r["line"], r["name"], r["code"])] = r["verdict"]
    per: dict[str, Counter] = defaultdict(Counter)
    todo = []
    with open(a.flags, encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            stem = Path(r["file"]).stem
            if stem in out or (only is not None and stem not in only):
                continue
            k = (stem, r["row"], r["name"], r["code"])
            v = verdict.get(k, "unjudged")
            per[r["code"]][v] += 1
            if v == "unjudged":
                todo.append(k)
    total: Counter = Counter()
    print("| code | flags | right | wrong | unsure | not judged |")
    print("|---|---|---|---|---|---|")
    for code, c in sorted(per.items(), key=lambda x: (-sum(x[1].values()), x[0])):
        total += c
        print(f"| `{code}` | {sum(c.values())} | " + " | ".join(str(c[v]) for v in VERDICTS) + " |")
    n = sum(total.values())
    share = f" ({total['right'] / n:.0%})" if n else ""
    print(f"| **all** | **{n}** | **{total['right']}{share}** | " + " | ".join(str(total[v]) for v in VERDICTS[1:]) + " |")
    if a.unjudged:
        for k in todo:
            print("\t".join(k), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
