"""The end-of-run summary of ``jixiao clean``: one screen whatever the batch size.

The totals (filings read and failed, indicator rows, rejected rows, flags by severity),
then the ten worst filings (most errors, then most warnings; filings with no indicator row
marked), then the files that failed with their error code in a column of its own. The
rest is in the output files, which the last line names. For 110 filings this is about 25
lines instead of one line per filing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.table import Table

WORST = 10


def worst_filings(res, n: int = WORST) -> list[tuple[object, int, int, int]]:
    """(FilingInfo, rows, errors, warnings) of the ``n`` filings with most errors, then warnings
    (ties: fewer rows first, then the order read)."""
    per_file = Counter(r["file"] for r in res.records)
    flags = Counter((f.file, f.severity) for f in res.flags)
    scored = [(f, per_file.get(f.file, 0), flags[(f.file, "error")], flags[(f.file, "warning")]) for f in res.filings]
    scored = [s for s in scored if s[2] or s[3] or not s[1]]
    scored.sort(key=lambda s: (-s[2], -s[3], s[1]))
    return scored[:n]


def print_summary(console, res, out: Path) -> None:
    n_prose = sum(1 for r in res.records if not r.get("table"))
    sev = Counter(f.severity for f in res.flags)
    with_rows = {r["file"] for r in res.records}
    empty = sum(1 for f in res.filings if f.file not in with_rows)
    console.print(f"[bold]jixiao clean → {out}/[/]")
    console.print(f"filings read: {len(res.filings)}   failed: {len(res.errors)}   with no indicator row: {empty}   "
                  f"indicator rows: {len(res.records)} ({n_prose} from prose)   rows rejected: {len(res.rejects)}")
    console.print(f"flags: [red]{sev['error']} errors[/]   [yellow]{sev['warning']} warnings[/]   "
                  f"[blue]{sev['info']} info[/]")
    worst = worst_filings(res)
    if worst:
        t = Table(title=f"the {len(worst)} filings most in need of review", title_justify="left")
        for col in ("filing", "kind", "rows", "errors", "warnings"):
            t.add_column(col, justify="left" if col in ("filing", "kind") else "right")
        for f, rows, err, warn in worst:
            t.add_row(Path(f.file).name, f.kind, str(rows) if rows else "[red]0[/]", str(err), str(warn))
        console.print(t)
    if res.errors:
        t = Table(title=f"{len(res.errors)} files could not be read", title_justify="left")
        for col in ("file", "code", "stage", "problem"):
            t.add_column(col)
        for e in res.errors[:WORST]:
            t.add_row(f"[red]{e.file}", e.code, e.stage, e.message)
        if len(res.errors) > WORST:
            t.add_row(f"… {len(res.errors) - WORST} more", "", "", "")
        console.print(t)
    console.print(f"→ {out}/indicators.xlsx, flags.csv, filings.csv, errors.csv, report.html "
                  f"(`jixiao review {out}` to review in the browser)")
