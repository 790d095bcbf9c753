"""Norms build at scale: data/raw repeated to 1,000,000 indicator rows, map on a pool of 2
worker processes, reduce and finalize in the parent. Target: under 2 minutes and under 4 GB.

The rows are generated in memory, partition by partition inside the workers, from the
records of data/raw (``jixiao clean``'s pipeline, or ``--from indicators.csv``): copy k of a
filing is a new filing ``file#k``; targets get small perturbations (percentages ±2 points
within 0–100, other numbers ±5 %); a third of the names get decorations the normaliser must
strip (指标3:, 2023年, ★, (≥**%)). Generation time is measured apart from the map.

Peak memory is sampled every 0.1 s as the sum of the resident sets of the parent and its
workers (/proc), and also read from getrusage (parent, and the largest worker).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import resource
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIELDS = ("file", "table", "row", "name", "target_raw", "level1", "level2", "target_kind", "target_op",
          "target_value", "target_unit_norm", "target_vague")
DECOR = (lambda n, r: f"指标{r.randint(1, 9)}:{n}", lambda n, r: f"2023年{n}", lambda n, r: f"★{n}",
         lambda n, r: f"{n}(≥**%)", lambda n, r: f"（{r.randint(1, 5)}）{n}")

_BASE: list[dict] = []
_CTX: dict = {}
_PLACES: tuple = ()


def _init(base, ctx, places):
    global _BASE, _CTX, _PLACES
    _BASE, _CTX, _PLACES = base, ctx, places


def generate(start: int, stop: int, base: list[dict], ctx: dict, seed: int) -> list[dict]:
    """Rows ``start``..``stop`` of the repeated corpus (deterministic for a seed)."""
    rnd = random.Random(seed)
    n = len(base)
    out = []
    for i in range(start, stop):
        b = base[i % n]
        copy = i // n
        rec = dict(b)
        rec["file"] = f"{b['file']}#{copy}"
        rec["sector"], rec["region"] = ctx.get(b["file"], ("", ""))
        v = b["target_value"]
        if v != "":
            x = float(v)
            if b["target_unit_norm"] == "%":
                x = min(100.0, max(0.0, x + rnd.choice((-2, -1, 0, 0, 0, 1, 2))))
            else:
                x = round(x * (1 + rnd.uniform(-0.05, 0.05)), 2)
            rec["target_value"] = repr(x)
        if rnd.random() < 0.33:
            rec["name"] = rnd.choice(DECOR)(b["name"], rnd)
        out.append(rec)
    return out


def work(task):
    """One partition: generate its rows, then the map (timed apart)."""
    from pipeline.norms.build import map_partition
    from pipeline.norms.group import Normaliser

    idx, start, stop = task
    t0 = time.perf_counter()
    rows = generate(start, stop, _BASE, _CTX, seed=idx)
    t1 = time.perf_counter()
    part = map_partition(rows, normaliser=_normaliser(Normaliser))
    t2 = time.perf_counter()
    return part, t1 - t0, t2 - t1


_NORM = None


def _normaliser(cls):
    global _NORM
    if _NORM is None:
        _NORM = cls(_PLACES)
    return _NORM


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.pids: list[int] = []
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            total = _rss_kb(os.getpid()) + sum(_rss_kb(p) for p in self.pids)
            self.peak_kb = max(self.peak_kb, total)
            time.sleep(0.1)


def base_records(source: Path | None):
    from pipeline.cli.norms import read_inputs

    inputs = read_inputs([source or ROOT / "data" / "raw"])
    base = [{k: ("" if r.get(k) is None else str(r.get(k))) for k in FIELDS} for r in inputs.records]
    return base, inputs.context, tuple(sorted(inputs.places))


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu} ({os.cpu_count()} cores visible{mem}), Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=40)
    ap.add_argument("--from", dest="source", type=Path, default=None,
                    help="indicators.csv (or folder) to repeat instead of running the pipeline on data/raw")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "norms")
    ap.add_argument("--sketch", choices=("ddsketch", "legacy"), default="ddsketch",
                    help="the norms' sketch (ddsketch) or the hand-written one it replaced (legacy), "
                         "to compare both in one run")
    args = ap.parse_args()
    if args.sketch == "legacy":
        # before the pool forks, so that the workers' map uses it too
        import pipeline.norms.build as nb

        sys.path.insert(0, str(ROOT / "bench"))
        from legacy_sketch import LegacySketch

        nb.ValueSketch = LegacySketch

    from pipeline.norms.build import Partial, finalize, merge_into, write_norms
    from pipeline.norms.group import norms_config

    t_start = time.perf_counter()
    base, ctx, places = base_records(args.source)
    if not base:
        print("no indicator rows in the inputs: nothing to repeat", file=sys.stderr)
        return 1
    t_base = time.perf_counter() - t_start
    size = -(-args.rows // args.partitions)
    tasks = [(i, i * size, min(args.rows, (i + 1) * size)) for i in range(args.partitions) if i * size < args.rows]
    sampler = Sampler()
    sampler.start()
    cfg = norms_config()
    t0 = time.perf_counter()
    gen_s = map_s = 0.0
    reduced = Partial()
    ctxm = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctxm.Pool(args.workers, initializer=_init, initargs=(base, ctx, places)) as pool:
        sampler.pids = [p.pid for p in pool._pool]  # noqa: SLF001 - only to sample their memory
        for part, g, m in pool.imap_unordered(work, tasks):
            gen_s += g
            map_s += m
            merge_into(reduced, part, cfg)
    t_map = time.perf_counter() - t0
    t1 = time.perf_counter()
    doc = finalize(reduced, cfg, {"inputs": [f"data/raw repeated to {args.rows} rows (bench)"]})
    t_fin = time.perf_counter() - t1
    t2 = time.perf_counter()
    write_norms(doc, args.out)
    t_write = time.perf_counter() - t2
    wall = time.perf_counter() - t0
    sampler.stop.set()
    sampler.join()
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    sat = next((i for i in doc["indicators"] if i["family"]), None)
    print(f"machine: {machine()}; sketch: {args.sketch}")
    print(f"base: {len(base)} rows from data/raw ({t_base:.1f} s to read them); generated {reduced.n_records:,} rows "
          f"in {len(tasks)} partitions on {args.workers} workers")
    print(f"map (per partition: normalise + partial aggregates): {map_s:.1f} s of worker time "
          f"(+ {gen_s:.1f} s generating the rows); map phase wall {t_map:.1f} s incl. streaming reduce")
    print(f"finalize (group {len(reduced.names)} distinct names, aggregate): {t_fin:.1f} s; write csv/xlsx/json: "
          f"{t_write:.1f} s")
    print(f"wall time (map + reduce + finalize + write): {wall:.1f} s = {reduced.n_records / wall:,.0f} rows/s; "
          f"target < 120 s: {'OK' if wall < 120 else 'MISSED'}")
    print(f"peak memory: parent + workers sampled {sampler.peak_kb / 1024:,.0f} MB (getrusage: parent "
          f"{self_mb:,.0f} MB, largest worker {child_mb:,.0f} MB); target < 4096 MB: "
          f"{'OK' if sampler.peak_kb / 1024 < 4096 else 'MISSED'}")
    if sat:
        u = sat["units"][0]
        print(f"check: {sat['canonical_name']} {sat['n_filings']:,} filings, median {u['median']}{u['unit_norm']}, "
              f"p10 {u['p10']}, p90 {u['p90']}, ≥ share {u['ge_share']:.0%} (sketch exact: {u['exact']})")
    print(f"wrote {args.out}/norms.csv, norms.xlsx, norms.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
