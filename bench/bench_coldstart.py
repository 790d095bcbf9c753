"""Cold start of `jixiao clean` on one filing: this checkout against an earlier revision, in one run.

    python bench/bench_coldstart.py [--against REV] [--runs 9]

Each run is a fresh interpreter that imports the command and cleans one seed filing into a
temporary folder, as a user's first call does. The two versions run interleaved (ours,
theirs, ours, …) so that load on the machine falls on both alike; the figure is the ratio of
the medians. The earlier revision is checked out into a temporary git worktree and run with
this checkout's installed dependencies (``PYTHONPATH`` puts its ``pipeline`` first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILING = ROOT / "data" / "raw" / "seeds" / "004_bf38c9880e42d804.txt"
# the command object moved with the package layout; find it in either
RUN = ("import sys\n"
       "try:\n    from pipeline.cli.main import app\n"
       "except ImportError:\n    from pipeline.cli import app\n"
       "sys.argv = ['jixiao'] + sys.argv[1:]\napp()\n")


def _once(tree: Path, out: str) -> float:
    # A user's interpreter loads our modules from their bytecode cache (pip compiles it on install,
    # and the first run writes it): with PYTHONDONTWRITEBYTECODE set, as on some CI machines, every
    # run would compile every module from source and the figure would be the compiler's.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUN, "clean", str(FILING), "-o", out, "-q"], cwd=tree, env=env,
                   check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", default="b336511", help="revision to compare with (default: before the "
                    "package was split into stage folders)")
    ap.add_argument("--runs", type=int, default=9)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old), a.against], check=True)
        try:
            ours, theirs = [], []
            _once(ROOT, tmp + "/o")          # warm the OS file cache (and write the bytecode) for both
            _once(old, tmp + "/t")
            for _ in range(a.runs):
                ours.append(_once(ROOT, tmp + "/o"))
                theirs.append(_once(old, tmp + "/t"))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
    mo, mt = statistics.median(ours), statistics.median(theirs)
    print(f"cold start, `jixiao clean` on one filing, {a.runs} interleaved runs each: "
          f"this checkout {mo:.2f} s, {a.against} {mt:.2f} s (median); ratio {mo / mt:.2f}")


if __name__ == "__main__":
    main()
