"""`jixiao clean --jobs 1` against `--jobs 2` on a batch of generated filings (bench/gen_filings.py),
runs interleaved (1, 2, 1, 2 …) so that both meet the same load; the median wall time of each,
their ratio, the CPU time of each and the load average around every run.

On a machine shared with other work the wall times say little (a second process only helps
when a core is free): the load average is printed beside them, and the figures are to be
read on an idle machine (run this script again there). The CPU columns show the cost of
the parallel run (forking workers, sending results back) whatever the load.

    python bench/bench_jobs.py [--filings 300] [--repeats 3]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
OUT = ROOT / "bench" / "out" / "jobs"
JIXIAO = str(Path(sys.executable).parent / "jixiao")


def run(batch: Path, jobs: int) -> dict:
    out = OUT / f"jobs{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    before, t = os.times(), time.perf_counter()
    proc = subprocess.run([JIXIAO, "clean", str(batch), "-o", str(out), "-q", "-j", str(jobs)],
                          cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall, after = time.perf_counter() - t, os.times()
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode(errors="replace")[-2000:])
        raise SystemExit(f"jixiao clean -j {jobs}: exit {proc.returncode}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall": wall, "cpu": cpu, "load": (load, os.getloadavg()[0]), "out": out}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--filings", type=int, default=300, help="generated filings (at least 100)")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    from gen_filings import generate

    from bench_norms import machine

    batch = OUT / "filings"
    shutil.rmtree(batch, ignore_errors=True)
    generate(max(100, args.filings), batch)
    print(f"machine: {machine()}; {max(100, args.filings):,} generated filings; load average at start: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    walls: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    for k in range(args.repeats):
        for jobs in (1, 2):
            r = run(batch, jobs)
            walls[jobs].append(r["wall"])
            cpus[jobs].append(r["cpu"])
            print(f"  run {k + 1}, --jobs {jobs}: {r['wall']:6.2f} s wall, {r['cpu']:6.2f} s CPU, "
                  f"load average {r['load'][0]:.1f} -> {r['load'][1]:.1f}", flush=True)
    same = all(filecmp.cmp(OUT / "jobs1" / f, OUT / "jobs2" / f, shallow=False)
               for f in ("indicators.csv", "flags.csv", "filings.csv", "indicators.xlsx"))

    def med(v: list[float]) -> float:
        return sorted(v)[len(v) // 2]

    w1, w2 = med(walls[1]), med(walls[2])
    print(f"median wall: --jobs 1 {w1:.2f} s, --jobs 2 {w2:.2f} s: --jobs 2 takes {w2 / w1:.2f}x the time of "
          f"--jobs 1 ({'faster' if w2 < w1 else 'NOT faster'}); CPU {med(cpus[1]):.2f} s / {med(cpus[2]):.2f} s; "
          f"same outputs: {'yes' if same else 'NO'}; load average at the end {os.getloadavg()[0]:.1f}"
          + (f" (above {os.cpu_count()}: other work shared the cores, wall times are stretched)"
             if os.getloadavg()[0] > (os.cpu_count() or 1) else ""))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
