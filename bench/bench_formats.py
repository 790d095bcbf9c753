"""Filings/s per input format, and peak memory on a ~100 MB workbook.

1. Throughput: ~20 real filings from data/raw (the grid ones) are rendered into .docx,
   .xlsx, .xls, .html and .pdf in a temp folder (with the renderers of
   tests/test_formats.py; .xls needs xlwt and .pdf reportlab, skipped when missing), plus
   the .txt originals. For each format: read only (``read_filing``), and the whole
   pipeline (``run_batch``: read, extract, review) with jobs=1 and jobs=2.
2. Memory: a workbook of ~1M rows × 10 cells (~100 MB on disk, written straight as
   sheet XML into the zip: openpyxl would take minutes) is given to ``process_file`` in a
   subprocess, which reports its peak RSS (``ru_maxrss``), time and outcome. It must stay
   under 1 GB or be refused with a clear message. Then smaller workbooks show what the
   streaming reader costs when a sheet is read (cell limit default, and raised with
   JIXIAO_MAX_CELLS) — the per-cell figure extrapolates to the big one.

Run: ``.venv/bin/python bench/bench_formats.py [--quick]`` (``--quick``: 8 filings, and a
~25 MB workbook instead of ~100 MB). Figures go to stdout and bench/out/formats.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

FORMATS = ("txt", "docx", "xlsx", "xls", "html", "pdf")


def grid_filings(n: int) -> list[Path]:
    """The first ``n`` filings of data/raw whose tables are grids (not streams)."""
    from pipeline.core.errors import FilingError
    from pipeline.ingest.dispatch import read_filing

    out = []
    for p in sorted((ROOT / "data" / "raw").rglob("*.txt")):
        try:
            doc = read_filing(p)
        except FilingError:
            continue
        if doc.tables and not any(t.stream for t in doc.tables) and sum(len(t.rows) for t in doc.tables) >= 5:
            out.append(p)
        if len(out) == n:
            break
    return out


def render_all(files: list[Path], d: Path) -> dict[str, list[str]]:
    import test_formats as tf
    from pipeline.ingest.dispatch import read_filing

    by_fmt: dict[str, list[str]] = {f: [] for f in FORMATS}
    for p in files:
        items = tf.items_of(read_filing(p))
        for fmt in FORMATS:
            if fmt == "txt":
                by_fmt[fmt].append(str(p))
                continue
            if fmt in tf.NEEDS:
                try:
                    __import__(tf.NEEDS[fmt])
                except ImportError:
                    continue
            out = d / f"{p.stem}.{fmt}"
            tf.RENDER[fmt](items, out)
            by_fmt[fmt].append(str(out))
    return by_fmt


def throughput(by_fmt: dict[str, list[str]]) -> list[dict]:
    from pipeline.run.batch import process_file, run_batch
    from pipeline.ingest.dispatch import read_filing

    rows = []
    for fmt, paths in by_fmt.items():
        if not paths:
            rows.append({"format": fmt, "files": 0, "note": "renderer not installed"})
            continue
        for p in paths[:2]:
            read_filing(p)      # warm caches (OpenCC tables, lexicons, review models)
            process_file(p)
        t = time.perf_counter()
        for p in paths:
            read_filing(p)
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        r1 = run_batch(paths, jobs=1)
        one = time.perf_counter() - t
        t = time.perf_counter()
        r2 = run_batch(paths, jobs=2)
        two = time.perf_counter() - t
        assert len(r1.rows) == len(r2.rows)
        rows.append({"format": fmt, "files": len(paths), "read_files_per_s": round(len(paths) / read_s, 1),
                     "pipeline_files_per_s_jobs1": round(len(paths) / one, 1),
                     "pipeline_files_per_s_jobs2": round(len(paths) / two, 1),
                     "indicator_rows": len(r1.rows), "errors": len(r1.errors),
                     "size_kb_avg": round(sum(os.path.getsize(p) for p in paths) / len(paths) / 1024, 1)})
    return rows


# ---------------------------------------------------------------------------- big workbook

_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '</Types>')


def big_xlsx(path: Path, n_rows: int, budget_s: float = 60.0) -> dict:
    """A one-sheet workbook of ``n_rows`` × 10 cells (text and numbers), written as XML."""
    import random

    rnd = random.Random(7)
    names = ["补贴发放人数", "验收合格率", "资金支付及时率", "服务对象满意度", "项目成本", "培训人次", "覆盖率"]
    t = time.perf_counter()
    done = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
                     b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = []
            for r in range(1, n_rows + 1):
                cells = [f'<c r="A{r}" t="inlineStr"><is><t>{names[r % 7]}{rnd.randrange(10**6)}</t></is></c>']
                cells += [f'<c r="{c}{r}"><v>{rnd.random() * 1000:.4f}</v></c>' for c in "BCDEFGHIJ"]
                chunk.append(f'<row r="{r}">{"".join(cells)}</row>')
                if len(chunk) == 2000:
                    fh.write("".join(chunk).encode())
                    chunk = []
                    done = r
                    if time.perf_counter() - t > budget_s:
                        break
            if chunk:
                fh.write("".join(chunk).encode())
                done = r
            fh.write(b"</sheetData></worksheet>")
    return {"rows": done, "cells": done * 10, "size_mb": round(path.stat().st_size / 2**20, 1),
            "generate_s": round(time.perf_counter() - t, 1)}


_CHILD = r"""
import json, resource, sys, time
t = time.perf_counter()
from pipeline.run.batch import process_file
from pipeline.ingest.dispatch import read_filing
mode = sys.argv[2]
out = {}
if mode == "read":
    from pipeline.core.errors import FilingError
    try:
        doc = read_filing(sys.argv[1])
        out["cells"] = sum(len(r.cells) for t_ in doc.tables for r in t_.rows)
        out["outcome"] = "read"
    except FilingError as e:
        out["outcome"] = f"{e.code}: {e.problem}"
else:
    r = process_file(sys.argv[1])
    out["outcome"] = f"{r.error.code}: {r.error.message}" if r.error else f"read, {len(r.rows)} rows"
out["seconds"] = round(time.perf_counter() - t, 2)
out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(out, ensure_ascii=False))
"""


def measure(path: Path, mode: str = "process", env: dict | None = None) -> dict:
    e = dict(os.environ, **(env or {}))
    r = subprocess.run([sys.executable, "-c", _CHILD, str(path), mode], capture_output=True, text=True, cwd=ROOT,
                       env=e, timeout=1800)
    if r.returncode != 0:
        return {"outcome": f"crashed: {r.stderr[-300:]}"}
    return json.loads(r.stdout.strip().splitlines()[-1])


def baseline_rss() -> float:
    r = subprocess.run([sys.executable, "-c", "import resource, pipeline.run.batch, pipeline.ingest.dispatch, pipeline.extract.read; "
                        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"],
                       capture_output=True, text=True, cwd=ROOT)
    return round(float(r.stdout.strip()), 1)


def main() -> int:
    quick = "--quick" in sys.argv
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        files = grid_filings(8 if quick else 20)
        t = time.perf_counter()
        by_fmt = render_all(files, d)
        print(f"rendered {len(files)} filings into {len(FORMATS) - 1} formats in {time.perf_counter() - t:.1f} s")
        results["throughput"] = throughput(by_fmt)
        print(f"\n{'format':7} {'files':>5} {'KB':>7} {'read/s':>8} {'all/s j1':>9} {'all/s j2':>9} {'rows':>6} {'err':>4}")
        for r in results["throughput"]:
            if not r.get("files"):
                print(f"{r['format']:7} {'-':>5}  {r.get('note', '')}")
                continue
            print(f"{r['format']:7} {r['files']:5} {r['size_kb_avg']:7} {r['read_files_per_s']:8} "
                  f"{r['pipeline_files_per_s_jobs1']:9} {r['pipeline_files_per_s_jobs2']:9} {r['indicator_rows']:6} "
                  f"{r['errors']:4}")

        results["baseline_rss_mb"] = baseline_rss()
        print(f"\npython + pipeline imported: {results['baseline_rss_mb']} MB RSS")
        big = d / "big.xlsx"
        gen = big_xlsx(big, 250_000 if quick else 1_000_000, budget_s=60)
        results["big_xlsx"] = {"file": gen, "process": measure(big)}
        print(f"big workbook: {gen['rows']:,} rows, {gen['cells']:,} cells, {gen['size_mb']} MB on disk "
              f"(generated in {gen['generate_s']} s)")
        print(f"  process_file: {results['big_xlsx']['process']}")
        big.unlink()
        results["sheets"] = []
        for n_rows, env in ((30_000, {}), (30_000, {"JIXIAO_MAX_CELLS": "100000000"}),
                            (100_000, {"JIXIAO_MAX_CELLS": "100000000"})):
            p = d / f"sheet_{n_rows}.xlsx"
            g = big_xlsx(p, n_rows)
            m = measure(p, "read", env)
            entry = {"rows": g["rows"], "cells": g["cells"], "size_mb": g["size_mb"],
                     "cell_limit": env.get("JIXIAO_MAX_CELLS", "default"), **m}
            results["sheets"].append(entry)
            print(f"  read_filing {g['cells']:>9,} cells ({g['size_mb']} MB, limit {entry['cell_limit']}): "
                  f"{m.get('peak_rss_mb')} MB peak, {m.get('seconds')} s — {m.get('outcome', '')[:90]}")
            p.unlink()
        full = [s for s in results["sheets"] if s.get("outcome") == "read"]
        if len(full) >= 2:
            a, b = full[-2], full[-1]
            per_cell = (b["peak_rss_mb"] - a["peak_rss_mb"]) / max(1, b["cells"] - a["cells"])
            results["per_cell_kb"] = round(per_cell * 1024, 3)
            est = a["peak_rss_mb"] + per_cell * (10_000_000 - a["cells"])
            results["extrapolated_10M_cells_mb"] = round(est)
            print(f"  streaming read costs ~{per_cell * 1024:.2f} KB per cell: a sheet of 10M cells read in full "
                  f"would need ~{est:,.0f} MB — which is why the cell limit ({os.environ.get('JIXIAO_MAX_CELLS', '200,000')}) "
                  "and the 200 MB unzipped limit refuse it first")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "formats.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
