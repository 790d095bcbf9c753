"""The norms' quantile sketch alone: ddsketch (now) against the hand-written sketch it
replaced, on 1,000,000 target values that are all distinct (the case a sketch is for: the
1,000,000-row norms benchmark repeats data/raw, whose values stay under the exact limit).

40 partitions of 25,000 values each are sketched, the 40 sketches merged, and p10, median
and p90 read; time (CPU), memory allocated by the sketches (tracemalloc peak) and the
relative error of each quantile against the exact nearest-rank value.
"""

from __future__ import annotations

import math
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

N, PARTS = 1_000_000, 40


def run(cls, values: list[float]) -> dict:
    size = len(values) // PARTS
    tracemalloc.start()
    t = time.process_time()
    sketches = []
    for p in range(PARTS):
        s = cls(0.005, 2048)
        for v in values[p * size:(p + 1) * size]:
            s.add(v)
        sketches.append(s)
    merged = sketches[0]
    for s in sketches[1:]:
        merged.merge(s)
    qs = {q: merged.quantile(q) for q in (0.1, 0.5, 0.9)}
    cpu = time.process_time() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"cpu": cpu, "peak_mb": peak / 2**20, "q": qs}


def main() -> int:
    from legacy_sketch import LegacySketch

    from pipeline.norms.build import ValueSketch

    rnd = random.Random(17)
    values = [round(rnd.lognormvariate(4, 1.2), 4) for _ in range(N)]
    srt = sorted(values)
    exact = {q: srt[max(1, math.ceil(q * N)) - 1] for q in (0.1, 0.5, 0.9)}
    print(f"{N:,} distinct-ish values (lognormal), {PARTS} partitions, merged; alpha 0.005, exact limit 2,048")
    print(f"{'sketch':<26} {'CPU s':>7} {'peak MB':>8}  relative error of p10 / median / p90")
    for name, cls in (("ddsketch (jixiao now)", ValueSketch), ("hand-written (before)", LegacySketch)):
        r = run(cls, values)
        errs = " / ".join(f"{abs(r['q'][q] - exact[q]) / exact[q]:.4%}" for q in (0.1, 0.5, 0.9))
        print(f"{name:<26} {r['cpu']:>7.2f} {r['peak_mb']:>8.1f}  {errs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
