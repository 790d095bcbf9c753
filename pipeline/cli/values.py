"""``jixiao values``: parse value cells from the command line or a CSV/TSV column."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.values.parse import parse_value

BATCH_FIELDS = ("kind", "op", "value", "value_high", "unit", "unit_norm", "money_yuan", "date", "secondary",
                "direction", "vague", "status", "basis")


def _cell(v, field: str) -> str:
    x = getattr(v, field)
    if field == "secondary":
        return "|".join(f"{q.value:g}:{q.unit_norm}" for q in x)
    if isinstance(x, bool):
        return "1" if x else "0"
    if isinstance(x, float):
        return f"{x:.10g}"
    return "" if x is None else str(x)


def values(
    texts: Annotated[list[str] | None, typer.Argument(help="Value cells to parse, e.g. '≥90%' '21.45万元'.")] = None,
    input: Annotated[Path | None, typer.Option("-i", "--input", help="CSV/TSV file to parse in batch.")] = None,
    column: Annotated[str, typer.Option("--column", help="Column of --input holding the values.")] = "target",
    unit_column: Annotated[str | None, typer.Option("--unit-column", help="Column with a unit hint (计量单位).")] = None,
    name_column: Annotated[str | None, typer.Option(
        "--name-column", help="Column with the indicator name (…率 → percent, …人数 → 人, X万 under …资金 → money).")] = None,
    prefix: Annotated[str, typer.Option(
        "--prefix", help="Prefix of the typed columns (e.g. target_), needed when the input has a column "
                         "named like one of them (kind, status …): input columns are never overwritten.")] = "",
    table_unit: Annotated[str | None, typer.Option(
        "--table-unit", help="The table's unit line (万元): bare numbers under money names are in it.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write the typed CSV.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit hint for TEXTS, e.g. 万元.")] = None,
    name: Annotated[str | None, typer.Option(
        "--name", help="Indicator name for TEXTS (…率 → percent, …人数 → 人, …数 → a count).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year that resolves 年底 / 12月之前.")] = None,
) -> None:
    """Parse value cells into typed values: print JSON for TEXTS, or write the typed columns
    beside a CSV/TSV column (-i FILE --column COL -o OUT.csv)."""

    if input is None:
        if not texts:
            raise typer.BadParameter("give value texts, or -i FILE --column COL -o OUT.csv")
        for t in texts:
            print(json.dumps(parse_value(t, unit_hint=unit, name=name, year=year, table_unit=table_unit).to_dict(),
                             ensure_ascii=False))
        return
    if output is None:
        raise typer.BadParameter("-o OUT.csv is required with -i")
    try:
        raw = input.read_bytes().decode("utf-8-sig")   # bytes: a \r inside a quoted cell stays a \r
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {input}: cannot read it as UTF-8 text ({exc}); save it as UTF-8 CSV/TSV", file=sys.stderr)
        raise typer.Exit(2) from exc
    first = raw.split("\n", 1)[0]
    delim = "\t" if input.suffix.lower() == ".tsv" or first.count("\t") > first.count(",") else ","
    # the csv module splits the records itself: a quoted cell may hold a line break, and
    # str.splitlines would also cut at U+0085 / U+2028 inside a cell
    rows = list(csv.DictReader(io.StringIO(raw, newline=""), delimiter=delim))
    header = list(rows[0]) if rows else next(csv.reader(io.StringIO(raw, newline=""), delimiter=delim), [])
    for opt, col in (("--column", column), ("--unit-column", unit_column), ("--name-column", name_column)):
        if col and col not in header:
            print(f"error: {input}: no column '{col}' ({opt}); the columns are {', '.join(header)}", file=sys.stderr)
            raise typer.Exit(2)
    fields = header or [column]
    typed = [prefix + f for f in BATCH_FIELDS]
    clash = [f for f in typed if f in fields]
    if clash:
        # never overwrite a column of the input: the user chooses a prefix instead
        print(f"error: {input}: the input already has column(s) {', '.join(clash)}, which the typed columns would "
              f"overwrite; give --prefix (e.g. --prefix {column}_) to name the typed columns {column}_kind …",
              file=sys.stderr)
        raise typer.Exit(2)
    out_fields = fields + typed
    with open(output, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=out_fields, lineterminator="\n")
        # csv quotes a cell holding the line terminator (\n) but not a lone \r, which every
        # reader takes for a line end: a row with one is written fully quoted
        wq = csv.DictWriter(fh, fieldnames=out_fields, lineterminator="\n", quoting=csv.QUOTE_ALL)
        w.writeheader()
        for r in rows:
            hint = (r.get(unit_column) or None) if unit_column else unit
            name = (r.get(name_column) or None) if name_column else None
            v = parse_value(r.get(column) or "", unit_hint=hint, name=name, table_unit=table_unit, year=year)
            out = {**r, **{prefix + f: _cell(v, f) for f in BATCH_FIELDS}}
            (wq if any("\r" in str(x) for x in out.values()) else w).writerow(out)
    print(f"wrote {len(rows)} rows to {output}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command("values")(values)
