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
         "bench_formats.py", "bench_norms.py"]


def main() -> int:
    print(f"machine: {platform.machine()} {platform.processor() or ''} cores={os.cpu_count()} "
          f"python={platform.python_version()}")
    failed = 0
    for name in ORDER:
        script = HERE / name
        if not script.exists():
            continue
        print(f"\n=== {name}", flush=True)
        r = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        failed += r.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
