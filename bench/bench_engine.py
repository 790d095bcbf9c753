"""Engines end to end: `jixiao clean` on generated filings serially, with --jobs 2 and on a
two-worker local Dask cluster, in one run; rows/s, CPU time and peak memory of each; the
one-core rate on the shared batch (../shared/data repeated); and a profile of where a
serial run spends its time.

Every run is the command a user types (a subprocess), writing every output (csv, xlsx,
report; Parquet parts too for Dask). Peak memory is the largest sum of the resident sets of
the command and all its descendants, sampled every 0.1 s. CPU time is the user+system time
of the command and its descendants: on a machine shared with other work the wall time
stretches, the CPU time much less, so both are printed with the load average.

    python bench/bench_engine.py [--filings 10000] [--profile 1000]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from bench_norms import _rss_kb  # noqa: E402 - bench/ is put on the path above

OUT = ROOT / "bench" / "out" / "engine"
JIXIAO = str(Path(sys.executable).parent / "jixiao")


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def run(cmd: list[str]) -> dict:
    """Run ``cmd``; wall time, CPU time of the tree, peak summed RSS of the tree."""
    peak = 0
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, sum(_rss_kb(p) for p in _tree(proc.pid)))
            time.sleep(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode(errors="replace")[-2000:])
        raise SystemExit(f"{' '.join(cmd)}: exit {proc.returncode}")
    return {"wall": wall, "cpu": cpu, "peak_mb": peak / 1024}


def rows_of(folder: Path) -> int:
    if not (folder / "indicators.csv").is_file():
        # the Dask engine writes Parquet only above its small-batch limit: the manifest counts
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return sum(p["counts"]["indicators"] for p in manifest["parts"].values())
    with open(folder / "indicators.csv", encoding="utf-8-sig") as f:
        return sum(1 for _ in f) - 1


def same_rows(serial: Path, other: Path) -> bool:
    """The same indicators.csv bytes; for Parquet-only output (above the Dask engine's
    small-batch limit), the same CSV lines after the stable sort."""
    if (other / "indicators.csv").is_file():
        return filecmp.cmp(serial / "indicators.csv", other / "indicators.csv", shallow=False)
    from pipeline.output import parquet as store
    from pipeline.output.tables import write_csv
    from pipeline.run.enrich import ALL_COLUMNS

    parts_csv = other / "indicators_from_parts.csv"
    write_csv(parts_csv, ALL_COLUMNS, store.read_table(other, "indicators"))
    a = (serial / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()
    b = parts_csv.read_text(encoding="utf-8-sig").splitlines()
    return a[:1] == b[:1] and sorted(a[1:]) == sorted(b[1:])


def shared_batch(copies: int) -> Path:
    """../shared/data (filings and reports) repeated ``copies`` times, as the issue measures."""
    d = ROOT / "bench" / "out" / "shared_batch"
    src = ROOT.parent / "shared" / "data"
    if not src.is_dir():
        return Path()
    # exactly ``copies`` copies: a folder left by a run with more would be measured whole
    if not (d / f"c{copies - 1:02d}").is_dir() or (d / f"c{copies:02d}").is_dir():
        shutil.rmtree(d, ignore_errors=True)
        for k in range(copies):
            for sub in ("filings", "reports"):
                if (src / sub).is_dir():
                    shutil.copytree(src / sub, d / f"c{k:02d}" / sub)
    return d


def profile(paths: list[Path], n: int) -> None:
    """Where one serial run spends its time (pyinstrument when installed, else cProfile)."""
    from pipeline.run.batch import expand, run_batch
    from pipeline.output.tables import write_batch

    files = expand(paths)[:n]
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is not None:
        p = Profiler(interval=0.002)
        p.start()
        write_batch(run_batch(files), OUT / "profile")
        p.stop()
        text = p.output_text(unicode=True, color=False, show_all=False)
        # the tree down to the stages (deeper frames are library internals)
        lines = [ln for ln in text.splitlines() if ln.strip()]
        print("\n".join(ln for ln in lines if len(ln) - len(ln.lstrip(" │├└─")) <= 28)[:6000])
    else:
        import cProfile
        import pstats

        pr = cProfile.Profile()
        pr.enable()
        write_batch(run_batch(files), OUT / "profile")
        pr.disable()
        pstats.Stats(pr).sort_stats("cumulative").print_stats(30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--filings", type=int, default=10_000)
    ap.add_argument("--profile", type=int, default=1000, help="filings in the profiled serial run (0: none)")
    ap.add_argument("--shared-copies", type=int, default=26, help="copies of ../shared/data for the one-core rate")
    args = ap.parse_args()
    from gen_filings import generate

    from bench_norms import machine

    print(f"machine: {machine()}; load average at start: {os.getloadavg()[0]:.1f}")
    gen = OUT / "filings"
    shutil.rmtree(gen, ignore_errors=True)
    t = time.perf_counter()
    generate(args.filings, gen)
    print(f"generated {args.filings:,} filings (working-set templates, figures redrawn) in "
          f"{time.perf_counter() - t:.1f} s")
    runs = [("serial (one core)", []), ("--jobs 2", ["-j", "2"]),
            ("dask, local cluster of 2 workers", ["--engine", "dask", "-j", "2"])]
    results = []
    for label, extra in runs:
        out = OUT / label.split()[0].strip("-,")
        shutil.rmtree(out, ignore_errors=True)
        r = run([JIXIAO, "clean", str(gen), "-o", str(out), "-q", *extra])
        r.update(label=label, out=out, rows=rows_of(out))
        results.append(r)
    base = results[0]
    print(f"\n{'engine':<34} {'rows':>8} {'wall s':>8} {'rows/s':>8} {'CPU s':>8} {'rows/CPU s':>10} "
          f"{'peak MB':>8}  same rows as serial")
    for r in results:
        same = same_rows(base["out"], r["out"])
        print(f"{r['label']:<34} {r['rows']:>8,} {r['wall']:>8.1f} {r['rows'] / r['wall']:>8,.0f} {r['cpu']:>8.1f} "
              f"{r['rows'] / r['cpu']:>10,.0f} {r['peak_mb']:>8,.0f}  {'yes' if same else 'NO'}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores: above 2, other work shared the machine)")
    # a small batch: does --jobs 2 still beat --jobs 1 on the 110 filings of data/raw?
    small = {}
    for j in ("1", "2"):
        out = OUT / f"raw_jobs{j}"
        shutil.rmtree(out, ignore_errors=True)
        small[j] = run([JIXIAO, "clean", "data/raw", "-o", str(out), "-q", "-j", j])
    print(f"\ndata/raw (110 filings), whole command incl. start-up: --jobs 1 {small['1']['wall']:.1f} s wall "
          f"({small['1']['cpu']:.1f} s CPU), --jobs 2 {small['2']['wall']:.1f} s wall ({small['2']['cpu']:.1f} s CPU); "
          f"same files: {'yes' if filecmp.cmp(OUT / 'raw_jobs1' / 'indicators.csv', OUT / 'raw_jobs2' / 'indicators.csv', shallow=False) else 'NO'}")
    sb = shared_batch(args.shared_copies)
    if sb.is_dir():
        out = OUT / "shared_serial"
        r = run(["taskset", "-c", "0", JIXIAO, "clean", str(sb), "-o", str(out), "-q"]
                if shutil.which("taskset") else [JIXIAO, "clean", str(sb), "-o", str(out), "-q"])
        n = rows_of(out)
        print(f"\none core, the shared batch (../shared/data x{args.shared_copies}, every output written): {n:,} rows "
              f"in {r['wall']:.1f} s wall = {n / r['wall']:,.0f} rows/s; {r['cpu']:.1f} s CPU = "
              f"{n / r['cpu']:,.0f} rows per CPU second; target >= 3,000 rows/s; peak {r['peak_mb']:,.0f} MB")
    if args.profile:
        print(f"\nprofile of a serial run on the first {args.profile:,} generated filings (in process, every output):")
        profile([gen], args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
