"""Per arithmetic check: the filings where its inputs are present and where it ran.

    .venv/bin/python scripts/check_coverage.py [PATH ...] [--split data/heldout.txt]

Reads every filing (default: data/raw) and prints one Markdown table: for each check, the
filings whose text has its inputs, those where the inputs were read, and those where the
check ran (compared figures) and flagged. With ``--split``, held-out filings are counted
in columns of their own. The README table of issue #15 is this output.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.review.budget_block import read_budget_blocks  # noqa: E402
from pipeline.review.budget_checks import check_block  # noqa: E402
from pipeline.review.sentences import sentence_facts  # noqa: E402
from pipeline.run.batch import expand, process_file  # noqa: E402

from heldout import heldout_ids  # noqa: E402  (scripts/heldout.py)

CHECKS = {
    "block_rate": "funding block: 执行率 = 执行数 ÷ 预算数 (RATE_MISMATCH)",
    "block_score": "funding block: 得分 = 分值 × 执行率 (BUDGET_SCORE_MISMATCH)",
    "block_sum": "funding block: sources / spending parts = 年度资金总额 (BUDGET_SUM_MISMATCH)",
    "sentence_rate": "sentences: rate = spent ÷ budget, 元 vs 万元 (RATE_MISMATCH, UNIT_SUSPECT)",
    "filing_rate": "sentences: a filing-level rate alone vs the filing's figures (RATE_MISMATCH)",
    "score_sum": "score table: indicator (+ budget) points and scores vs 合计 (WEIGHT/SCORE_SUM_MISMATCH)",
}
_BLOCK_WORDS = re.compile(r"执行数")


def one(path: str) -> dict[str, str]:
    """check -> 'ran' / 'read' (inputs read, not all certain) / 'text' (inputs in the text only)."""
    res = process_file(path)
    out: dict[str, str] = {}
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    from pipeline.ingest.dispatch import read_filing

    doc = read_filing(path)
    blocks = read_budget_blocks(doc.text)
    if _BLOCK_WORDS.search(text) and "执行率" in text:
        for k in ("block_rate", "block_score", "block_sum"):
            out[k] = "text"
    for b in blocks:
        _flags, status = check_block(b, path)
        for k in ("block_rate", "block_score", "block_sum"):
            got = status.get(k)
            if got == "ran":
                out[k] = "ran"
            elif got and out.get(k) != "ran":
                out[k] = "read"
    facts = sentence_facts(doc.text)
    if any(f.rate is not None and (f.budget or f.spent) for f in facts):
        out["sentence_rate"] = "read"
    if any(f.rate is not None and f.budget and f.spent for f in facts):
        out["sentence_rate"] = "ran"
    lone = [f for f in facts if f.rate is not None and not f.budget and not f.spent]
    if lone:
        out["filing_rate"] = "read"
        if any(f.rate is not None and f.budget and f.spent for f in facts) or any(
                b.total and b.total.aligned and b.total.get("spent") is not None for b in blocks):
            out["filing_rate"] = "ran"
    scored = {r.table for r in res.rows if r.score.strip()}
    if res.rows and any(r.weight.strip() for r in res.rows):
        out["score_sum"] = "read"
        # the sums run on tables with a 合计 row and scores (pipeline/review/scores.py)
        from pipeline.extract.read import extract

        ex = extract(doc)
        if any(t in scored for t, _cells in ex.totals):
            out["score_sum"] = "ran"
    out["flags"] = ";".join(sorted({f.code for f in res.flags}))
    return out


def main(argv: list[str]) -> int:
    split: set[str] = set()
    if "--split" in argv:
        i = argv.index("--split")
        split = set(heldout_ids(argv[i + 1]))
        argv = argv[:i] + argv[i + 2:]
    paths = expand(argv or [str(ROOT / "data" / "raw")])
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names = defaultdict(list)
    for p in paths:
        part = "held-out" if Path(p).stem in split else "working"
        got = one(p)
        for k in CHECKS:
            s = got.get(k)
            if s:
                counts[(k, part)]["text"] += 1
                if s in ("read", "ran"):
                    counts[(k, part)]["read"] += 1
                if s == "ran":
                    counts[(k, part)]["ran"] += 1
                    # held-out filings are counted, not named (nobody reads them while writing checks)
                    if part == "working":
                        names[k].append(Path(p).stem)
    parts = ["working"] + (["held-out"] if split else [])
    head = "| check | " + " | ".join(f"{p}: inputs in text / read / ran" for p in parts) + " |"
    print(head)
    print("|---|" + "---|" * len(parts))
    for k, what in CHECKS.items():
        cells = [" / ".join(str(counts[(k, p)][x]) for x in ("text", "read", "ran")) for p in parts]
        print(f"| {what} | " + " | ".join(cells) + " |")
    print(f"\n{len(paths)} filings. Ran on (working set): " + "; ".join(f"{k}: {' '.join(v)}" for k, v in names.items()),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
