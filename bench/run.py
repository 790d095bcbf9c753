"""`make bench`: every benchmark of the project, one after the other, figures printed.

Each sub-benchmark is a script in bench/ that prints its own table; this driver runs the
ones present and records the machine. Figures are ratios measured in one run where a
baseline exists.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bench_extract.py", "bench_coldstart.py", "bench_layouts.py", "bench_values.py", "bench_classify.py",
         "bench_formats.py",
         # the norms on 1,000,000 rows with the ddsketch sketch, then with the hand-written one it replaced
         "bench_norms.py", "bench_norms.py --sketch legacy --out bench/out/norms_legacy", "bench_sketch.py",
         # serial vs --jobs 2 vs a two-worker Dask cluster on 10,000 generated filings, and a profile
         "bench_engine.py",
         # --jobs 1 against --jobs 2 on 300 generated filings, interleaved, with the load average
         "bench_jobs.py"]


def main() -> int:
    print(f"machine: {platform.machine()} {platform.processor() or ''} cores={os.cpu_count()} "
          f"python={platform.python_version()}")
    failed = 0
    for entry in ORDER:
        name, *args = entry.split()
        script = HERE / name
        if not script.exists():
            continue
        print(f"\n=== {entry}", flush=True)
        r = subprocess.run([sys.executable, str(script), *args], cwd=HERE.parent)
        failed += r.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
