"""Writing the batch: indicators.csv/.xlsx, flags.csv, filings.csv, rejects.csv,
errors.csv and report.html.

CSV is UTF-8 with BOM so that Excel/WPS open it with the right encoding. The workbook has
a sheet of rows with flagged cells coloured by severity and the messages as cell comments,
a sheet of filing-level flags and a per-filing summary; frozen header, filters, readable
widths. Output is deterministic: document order, numbers as read, and a fixed timestamp in
the workbook's properties (openpyxl would write the clock).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import operator
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from pipeline.core.columns import column_names
from pipeline.core.flags import FLAG_COLUMNS
from pipeline.extract.rows import Reject
from pipeline.output.report import write_report
from pipeline.output.xlsx_rows import sheet_data, splice
from pipeline.run.batch import BatchResult, FileError
from pipeline.run.enrich import ALL_COLUMNS

REJECT_COLUMNS = tuple(f.name for f in fields(Reject))
ERROR_COLUMNS = tuple(f.name for f in fields(FileError))
FILING_COLUMNS = ("file", "department", "region", "year", "kind", "layout", "encoding", "n_tables", "n_rows",
                  "n_rejects", "totals")
SUMMARY_COLUMNS = ("file", "department", "year", "kind", "rows", "errors", "warnings", "infos", "vague_share",
                   "misfiled_share")
FIXED_TIME = dt.datetime(2000, 1, 1)
FILL = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
# the cell a flag is about
FLAG_CELL = {
    "MISFILED_L1": "level1_filed", "LEGACY_PLACEMENT": "level1_filed", "MISFILED_L2": "level2_filed",
    "MISSING_CATEGORY": "level2_filed", "DUPLICATE_INDICATOR": "name", "NONSTANDARD_NAME": "name",
    "SHORTFALL": "actual_raw", "ACHIEVED_BUT_DEDUCTED": "actual_raw", "DEDUCTION_WITHOUT_REASON": "deviation_note",
    "SCORE_OVER_WEIGHT": "score", "SCORE_MISSING": "score", "SCORE_RULE_MISMATCH": "score",
    "COST_VS_PROJECT": "target_raw",
}
_RANK = {"error": 0, "warning": 1, "info": 2}


def placed(record: dict) -> dict:
    """Where a record sits, as a reader expects it: table 0 (prose, or outside any indicator
    table) is written as an empty cell, and a filing-level flag (table 0, row 0) gets an empty
    row too, so nobody mistakes them for "table 0, row 0" of the filing."""
    if record.get("table") != 0:
        return record
    out = dict(record, table="")
    if out.get("row") == 0:
        out["row"] = ""
    return out


def _values(records: Sequence[dict], columns: Sequence[str]) -> list[list]:
    """Each record's values in ``columns`` order (placed; "" for a column it lacks)."""
    cols = list(columns)
    if not cols:
        return [[] for _ in records]
    pick = operator.itemgetter(*cols)
    out = []
    for r in records:
        r = placed(r)
        try:
            v = pick(r)      # a record of enrich() has every column: one C call for the row
        except KeyError:
            out.append([r.get(c, "") for c in cols])
            continue
        out.append(list(v) if len(cols) > 1 else [v])
    return out


def write_csv(path: Path, columns: Sequence[str], records: Sequence[dict]) -> None:
    # csv.writer on the columns' values: what DictWriter(extrasaction="ignore") writes, without
    # its per-row check of the dict's keys (a third of the time of writing indicators.csv)
    cols = list(columns)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(cols)
        w.writerows(_values(records, cols))


def summaries(result: BatchResult) -> list[dict]:
    """One line per filing: rows, flags by severity, share of vague and of misfiled rows."""
    sev: dict[str, Counter] = defaultdict(Counter)
    for f in result.flags:
        sev[f.file][f.severity] += 1
    rows: dict[str, list[dict]] = defaultdict(list)
    for r in result.records:
        rows[r["file"]].append(r)
    out = []
    for info in result.filings:
        rs = rows.get(info.file, [])
        n = len(rs)
        vague = sum(1 for r in rs if "VAGUE_TARGET" in r.get("flags", ""))
        misfiled = sum(1 for r in rs if "MISFILED" in r.get("flags", ""))
        out.append({"file": info.file, "department": info.department, "year": info.year, "kind": info.kind,
                    "rows": n, "errors": sev[info.file]["error"], "warnings": sev[info.file]["warning"],
                    "infos": sev[info.file]["info"], "vague_share": f"{vague / n:.2f}" if n else "",
                    "misfiled_share": f"{misfiled / n:.2f}" if n else ""})
    return out


def write_xlsx(path: Path, result: BatchResult, columns: Sequence[str]) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="D9E1F2")
    fills = {k: PatternFill("solid", fgColor=v) for k, v in FILL.items()}
    # a flag about one row (a table row or a fact mined from prose) is shown on that row's
    # cell; every other flag (the filing's arithmetic, sentences that are no row) on its sheet
    keys = {(r["file"], r["table"], r["row"], r["name"]) for r in result.records}
    row_flags: dict[tuple[str, int, int, str], list] = defaultdict(list)
    other_flags = []
    for f in result.flags:
        key = (f.file, f.table, f.row, f.name)
        if f.row and key in keys:
            row_flags[key].append(f)
        else:
            other_flags.append(f)

    names = column_names()
    # every sheet's rows go through xlsx_rows (openpyxl holds only the styled cells and the
    # last one); spliced at the end in the order of the workbook's sheets
    written: list[tuple[object, list[list], set[tuple[int, int]]]] = []

    def sheet(title, cols, records, freeze="A2"):
        """A sheet of ``records`` under Chinese headers (the English names, those of the CSVs,
        are on the legend sheet "列名对照"); returns it, its rows' values and the cells
        openpyxl holds."""
        ws = wb.create_sheet(title)
        head = [names.header(c) for c in cols]
        ws.append(head)
        for c in ws[1]:
            c.font, c.fill = head_font, head_fill
        rows = _values(records, cols)
        widths = [max(8, len(str(c)) + 2) for c in cols]
        # min(60, widest) per column, over the distinct texts of the column (most repeat)
        for i, col in enumerate(zip(*rows)):
            widths[i] = max(widths[i], min(60, max(map(_width, set(map(str, col))))))
        ws.freeze_panes = freeze
        if records:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(records) + 1}"
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = min(w, 60)
        made = {(1, i) for i in range(1, len(cols) + 1)}       # the cells openpyxl holds
        if rows:    # the last cell: the sheet's dimension (A1:…) is taken from the cells held
            made.add((len(rows) + 1, len(cols)))
            ws.cell(row=len(rows) + 1, column=len(cols), value=rows[-1][-1])
        written.append((ws, [head] + rows, made))
        return ws, rows, made

    # name, target, actual, unit, flags and suggestion first, the long description later; the
    # first column (the name) stays in view when scrolling right
    columns = names.workbook_order(columns)
    ws, rows, made = sheet("indicators", columns, result.records, freeze="B2")
    index = {c: i + 1 for i, c in enumerate(columns)}
    for n, rec in enumerate(result.records, start=2):
        fl = row_flags.get((rec["file"], rec["table"], rec["row"], rec["name"]))
        if not fl:
            continue
        by_cell: dict[str, list] = defaultdict(list)
        for f in fl:
            by_cell[FLAG_CELL.get(f.code, "target_raw")].append(f)
        for col, fs in by_cell.items():
            if col not in index:
                continue
            cell = ws.cell(row=n, column=index[col], value=rows[n - 2][index[col] - 1])
            made.add((n, index[col]))
            worst = min(fs, key=lambda f: _RANK[f.severity]).severity
            cell.fill = fills[worst]
            text = "\n".join(f"[{f.code}] {f.message}" + (f"\n建议：{f.suggestion}" if f.suggestion else "") for f in fs)
            width, height = comment_size(text[:2000])
            cell.comment = Comment(text[:2000], "jixiao", width=width, height=height)
    filing_flags = [f.as_dict() for f in other_flags]
    sheet("filing flags", FLAG_COLUMNS, filing_flags)
    sheet("summary", SUMMARY_COLUMNS, summaries(result))
    sheet("filings", FILING_COLUMNS, [f.as_dict() for f in result.filings])
    sheet("errors", ERROR_COLUMNS, [{c: getattr(e, c) for c in ERROR_COLUMNS} for e in result.errors])
    legend = wb.create_sheet("列名对照")
    legend.append(["中文列名", "column (CSV)"])
    for c in dict.fromkeys([*columns, *FLAG_COLUMNS, *SUMMARY_COLUMNS, *FILING_COLUMNS, *ERROR_COLUMNS]):
        legend.append([names.header(c), c])
    legend.column_dimensions["A"].width, legend.column_dimensions["B"].width = 20, 22
    # style ids are numbered in the order the writer meets styled cells: sheet by sheet, row by
    # row, so asking for them here in that order gives the same numbers
    spliced: dict[str, bytes] = {}
    for k, (ws_, all_rows, made_) in enumerate(written, start=1):
        styles = {}
        for r, c in sorted(made_):
            cell = ws_.cell(row=r, column=c)
            if cell.has_style:
                styles[(r, c)] = cell.style_id
        data = sheet_data(all_rows, styles)
        if data is not None:
            spliced[f"xl/worksheets/sheet{k}.xml"] = data
        else:       # a value the one-pass writer leaves to openpyxl: all cells the usual way
            for r, vals in enumerate(all_rows[1:], start=2):
                for c, v in enumerate(vals, start=1):
                    if (r, c) not in made_:
                        ws_.cell(row=r, column=c, value=v)
    # saved uncompressed into memory: _freeze_package compresses every part once, as it writes
    # the file (openpyxl's own save would deflate them, to be inflated and deflated again)
    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    _freeze_package(path, spliced, buf)


def _freeze_package(path: Path, sheet_data: dict[str, bytes] | None = None, saved: io.BytesIO | None = None) -> None:
    """Make the saved workbook byte-identical from run to run.

    openpyxl's save overwrites ``properties.modified`` with the clock, and the zip stamps
    every member with the time of writing: both are set to FIXED_TIME here. ``sheet_data``
    gives the ``<sheetData>`` of sheets written by :mod:`pipeline.output.xlsx_rows`; ``saved``
    the package as openpyxl wrote it, when not at ``path``.
    """

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(saved or path) as src:
        parts = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, body in parts:
            if sheet_data and name in sheet_data:
                body = splice(body, sheet_data[name])
            if name == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*", lambda m: m.group(1) + stamp, body)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            out.writestr(info, body)


def comment_size(text: str, *, max_cells: int = 56) -> tuple[int, int]:
    """Width and height (in points) of a comment box that shows ``text`` whole: as wide as
    its longest line up to ``max_cells`` character cells (a CJK character is two), as tall
    as its lines once wrapped at that width (about 6 pt a cell, 15 pt a line at 9 pt type)."""
    cells = [max(1, _width(ln) - 2) for ln in text.splitlines() or [""]]
    per_line = min(max_cells, max(cells))
    lines = sum(-(-c // per_line) for c in cells)
    return max(120, per_line * 6 + 16), max(40, lines * 15 + 16)


@functools.lru_cache(maxsize=65536)
def _width(text: str) -> int:
    # cached: a batch repeats the same file names, categories and flags on every row
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2


def write_batch(result: BatchResult, outdir: str | Path, *, columns: Sequence[str] | None = None,
                report: bool = True) -> dict[str, Path]:

    columns = columns or ALL_COLUMNS
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in ("indicators.csv", "indicators.xlsx", "flags.csv", "filings.csv",
                                           "rejects.csv", "errors.csv")}
    write_csv(paths["indicators.csv"], columns, result.records)
    write_csv(paths["flags.csv"], FLAG_COLUMNS, [f.as_dict() for f in result.flags])
    write_csv(paths["filings.csv"], FILING_COLUMNS, [f.as_dict() for f in result.filings])
    write_csv(paths["rejects.csv"], REJECT_COLUMNS, [{f: getattr(r, f) for f in REJECT_COLUMNS} for r in result.rejects])
    write_csv(paths["errors.csv"], ERROR_COLUMNS, [{c: getattr(e, c) for c in ERROR_COLUMNS} for e in result.errors])
    write_xlsx(paths["indicators.xlsx"], result, columns)
    if report:
        paths["report.html"] = out / "report.html"
        write_report(paths["report.html"], result, summaries(result))
    return paths
