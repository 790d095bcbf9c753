"""List the flags of golden filings that have no judged line, with the text around them.

    .venv/bin/python scripts/unjudged_flags.py [STEM ...] [--append]

For each filing of tests/golden/flags (or the stems given) prints every current flag that
is not in its golden file and every line still ``unjudged``, with the lines of the filing's
text around the flag's row, so that it can be judged by reading. ``--append`` adds the new
flags to the golden file with the verdict ``unjudged`` (the test fails until someone sets
right / wrong / unsure), and drops nothing.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from flag_golden import GOLDEN, Line, flag_key, load, write  # noqa: E402
from golden_rows import raw_path  # noqa: E402
from pipeline.run.batch import process_file  # noqa: E402


def context(path: Path, row: int, around: int = 2) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    if not row:
        return "    (filing-level: see the evidence)"
    lo, hi = max(0, row - 1 - around), min(len(lines), row + around)
    return "\n".join(f"    {n + 1:5d}{'>' if n + 1 == row else ' '} {lines[n][:200]}" for n in range(lo, hi))


def main(argv: list[str]) -> int:
    append = "--append" in argv
    stems = [a for a in argv if not a.startswith("--")] or sorted(p.stem for p in GOLDEN.glob("*.tsv"))
    todo = 0
    for stem in stems:
        path = raw_path(stem)
        res = process_file(str(path))
        lines = load(stem) if (GOLDEN / f"{stem}.tsv").exists() else []
        new = Counter(flag_key(f) for f in res.flags) - Counter(ln.key for ln in lines)
        by_key = {flag_key(f): f for f in res.flags}
        pending = [ln.key for ln in lines if ln.verdict == "unjudged"] + list(new.elements())
        for k in pending:
            f = by_key.get(k)
            todo += 1
            print(f"{stem}\t{k[3]}\ttable {k[0]} row {k[1]}\t{k[2]}")
            if f is not None:
                print(f"    message: {f.message}\n    evidence: {f.evidence[:300]}")
            print(context(path, int(k[1] or 0)))
        if append and new:
            write(stem, lines + [Line(k, "unjudged", "") for k in new.elements()])
    print(f"{todo} flag line(s) to judge", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
