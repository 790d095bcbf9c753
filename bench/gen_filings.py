"""Generated filings for the engine benchmark: the text filings of data/raw (the working set,
held-out filings excluded) as templates, every figure in them redrawn.

Filing ``k`` is template ``k mod T`` with each number that is not a year replaced by a random
number of the same length (seeded by ``k``), so that no two generated filings have the same
bytes (no cache or content hash shortcut), while layouts, headers, categories, names and the
proportion of tables, self-evaluations and prose reports stay those of real filings.

No layout generator exists in this branch (the extraction issue's was not merged when this was
written): templates of real filings stand in for it.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NUMBER = re.compile(r"(?<!\d)(?!(?:19|20)\d{2}(?!\d))\d+")


def templates() -> list[Path]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from heldout import heldout_ids

    held = heldout_ids()
    return [p for p in sorted((ROOT / "data" / "raw").rglob("*.txt")) if p.stem.split("_")[0] not in held]


def redraw(text: str, rnd: random.Random) -> str:
    def one(m: re.Match) -> str:
        n = len(m.group())
        return str(rnd.randint(10 ** (n - 1) if n > 1 else 0, 10 ** n - 1))

    return _NUMBER.sub(one, text)


def generate(n: int, out: Path, per_folder: int = 500) -> list[Path]:
    """``n`` filings under ``out`` (``per_folder`` a folder), returned in order."""
    tpl = [(p.name, p.read_bytes()) for p in templates()]
    paths = []
    for k in range(n):
        name, raw = tpl[k % len(tpl)]
        try:
            text, enc = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, enc = raw.decode("gb18030", errors="replace"), "gb18030"
        p = out / f"g{k // per_folder:03d}" / f"{k:05d}_{name}"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(redraw(text, random.Random(k)).encode(enc, errors="replace"))
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    print(len(generate(args.n, args.out)), "filings in", args.out)


if __name__ == "__main__":
    main()
