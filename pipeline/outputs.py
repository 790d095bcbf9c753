"""Writing the batch: indicators.csv/.xlsx, filings.csv, rejects.csv, errors.csv.

CSV is UTF-8 with BOM so that Excel/WPS open it with the right encoding; the workbook
has a frozen header, filters and readable column widths. Output is deterministic: rows
keep document order, numbers are written as they were read, no timestamps.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from pipeline.batch import BatchResult, FileError
from pipeline.extract import COLUMNS, Reject

REJECT_COLUMNS = tuple(f.name for f in fields(Reject))
ERROR_COLUMNS = tuple(f.name for f in fields(FileError))
FILING_COLUMNS = ("file", "department", "year", "kind", "layout", "encoding", "n_tables", "n_rows",
                  "n_rejects", "totals")


def write_csv(path: Path, columns: Sequence[str], records: Sequence[dict]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in records:
            w.writerow(r)


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[str], Sequence[dict]]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for title, columns, records in sheets:
        ws = wb.create_sheet(title)
        ws.append(list(columns))
        for c in ws[1]:
            c.font, c.fill = head_font, head_fill
        widths = [len(str(c)) * 2 + 2 for c in columns]
        for r in records:
            vals = [r.get(c, "") for c in columns]
            ws.append(vals)
            for i, v in enumerate(vals):
                n = len(str(v))
                if n * 2 > widths[i]:
                    widths[i] = min(60, n * 2)
        ws.freeze_panes = "A2"
        if records:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(records) + 1}"
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(w, 60))
    wb.save(path)


def write_batch(result: BatchResult, outdir: str | Path, *, columns: Sequence[str] = COLUMNS,
                records: Sequence[dict] | None = None) -> dict[str, Path]:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    rows = records if records is not None else [r.as_dict() for r in result.rows]
    filings = [f.as_dict() for f in result.filings]
    rejects = [{f: getattr(r, f) for f in REJECT_COLUMNS} for r in result.rejects]
    errors = [{f: getattr(e, f) for f in ERROR_COLUMNS} for e in result.errors]
    paths = {
        "indicators.csv": out / "indicators.csv",
        "indicators.xlsx": out / "indicators.xlsx",
        "filings.csv": out / "filings.csv",
        "rejects.csv": out / "rejects.csv",
        "errors.csv": out / "errors.csv",
    }
    write_csv(paths["indicators.csv"], columns, rows)
    write_csv(paths["filings.csv"], FILING_COLUMNS, filings)
    write_csv(paths["rejects.csv"], REJECT_COLUMNS, rejects)
    write_csv(paths["errors.csv"], ERROR_COLUMNS, errors)
    write_xlsx(paths["indicators.xlsx"], [("indicators", columns, rows), ("filings", FILING_COLUMNS, filings),
                                          ("errors", ERROR_COLUMNS, errors)])
    return paths
