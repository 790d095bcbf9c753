"""Extraction speed and memory: rows/s of read+extract over data/raw repeated to >= 50,000
rows on one core, peak memory, and the cold start of `jixiao clean` on one filing.

Baseline in the same run: decoding the same bytes and splitting them into lines and cells
(the floor any reader pays), so the ratio says how much the content-aware extraction costs
on top of touching the data.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract.read import extract  # noqa: E402
from pipeline.ingest.text_reader import read_text  # noqa: E402

TARGET_ROWS = 50_000


def main() -> None:
    files = sorted((ROOT / "data" / "raw").rglob("*.txt"))
    blobs = [(str(f), f.read_bytes()) for f in files]
    per_pass = sum(len(extract(read_text(b, p)).rows) for p, b in blobs)
    passes = -(-TARGET_ROWS // per_pass)
    t0 = time.perf_counter()
    rows = 0
    for _ in range(passes):
        for p, b in blobs:
            rows += len(extract(read_text(b, p)).rows)
    dt = time.perf_counter() - t0
    t1 = time.perf_counter()
    cells = 0
    for _ in range(passes):
        for _p, b in blobs:
            for line in b.decode("utf-8", errors="replace").splitlines():
                cells += len(line.split("\t"))
    base = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"filings per pass: {len(blobs)}, indicator rows per pass: {per_pass}, passes: {passes}")
    print(f"extraction: {rows} rows in {dt:.2f} s = {rows / dt:,.0f} rows/s on one core "
          f"({len(blobs) * passes / dt:,.0f} filings/s); target >= 50,000 rows/s")
    print(f"baseline (decode + split lines/cells only): {base:.2f} s; extraction costs {dt / base:.1f}x the baseline")
    print(f"peak memory (RSS) of this process: {peak_mb:.0f} MB")
    one = ROOT / "data" / "raw" / "seeds" / "004_bf38c9880e42d804.txt"
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run([str(Path(sys.executable).parent / "jixiao"), "clean", str(one), "-o", out, "-q"],
                           check=True)
            times.append(time.perf_counter() - t)
    print(f"cold start, `jixiao clean` on one filing (extraction, values, classifier, norms, review, "
          f"csv/xlsx/html): median {statistics.median(times):.2f} s (min {min(times):.2f} s) over 5 runs; "
          f"target < 1.5 s")
    code = ("import sys; from pipeline import read_filing; from pipeline.extract.read import extract; "
            "print(len(extract(read_filing(sys.argv[1])).rows))")
    times = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(one)], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    print(f"cold start, extraction alone (python start, import, read, extract) on one filing: median "
          f"{statistics.median(times):.2f} s (min {min(times):.2f} s) over 5 runs; target < 1 s")
    # the first pass, every cache cold: what a batch of new filings sees
    import pipeline.extract.roles as roles_mod

    table_blobs = [(p, b) for p, b in blobs if extract(read_text(b, p)).rows]
    roles_mod._align.cache_clear()
    t = time.perf_counter()
    n = sum(len(extract(read_text(b, p)).rows) for p, b in table_blobs)
    d = time.perf_counter() - t
    print(f"first pass, alignment cache cleared, only the {len(table_blobs)} filings with indicator rows: "
          f"{n} rows in {d:.3f} s = {n / d:,.0f} rows/s")


if __name__ == "__main__":
    main()
