"""Row recall per layout family (issue #12): the working set's hand-read rows rendered in
every family by tests/layouts.py and read back, and, where ../shared is checked out beside
the project, rowscore on its filings, working set (in-sample) and held-out side by side.

A row counts as recovered by the rule of ../shared/tools/rowscore.py. The generated figures
are in-sample too: the rows come from the working set the reader rules were written on.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import layouts  # noqa: E402


def main() -> None:
    forms = layouts.forms()
    print(f"generated layouts: {len(forms)} working-set forms, {sum(len(f.rows) for f in forms)} hand-read rows each")
    print(f"{'family':20s} {'recovered':>12s} {'share':>7s}")
    with tempfile.TemporaryDirectory() as d:
        for fam in layouts.TEXT_FAMILIES + layouts.BINARY_FAMILIES:
            got, n = layouts.measure(fam, Path(d))
            print(f"{fam:20s} {got:>5d}/{n:<6d} {got / n:7.3f}")
    shared = ROOT.parent / "shared"
    if not (shared / "data" / "filings").is_dir():
        print("../shared not found: rowscore on the shared filings skipped")
        return
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli.main", "clean", str(shared / "data" / "filings"),
                        "-o", out, "-q"], cwd=ROOT, check=False)
        print(f"\nrowscore on ../shared/data/filings (jixiao clean {time.perf_counter() - t0:.1f} s):")
        subprocess.run([sys.executable, str(ROOT / "scripts" / "rowscore_split.py"), str(Path(out) / "indicators.csv")],
                       cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
