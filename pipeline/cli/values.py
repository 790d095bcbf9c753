"""``jixiao values``: parse value cells from the command line or a CSV/TSV column."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

BATCH_FIELDS = ("kind", "op", "value", "value_high", "unit", "unit_norm", "money_yuan", "date", "secondary",
                "direction", "vague", "status")


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
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write the typed CSV.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit hint for TEXTS, e.g. 万元.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year that resolves 年底 / 12月之前.")] = None,
) -> None:
    """Parse value cells into typed values: print JSON for TEXTS, or write the typed columns
    beside a CSV/TSV column (-i FILE --column COL -o OUT.csv)."""
    from pipeline.values.parse import parse_value

    if input is None:
        if not texts:
            raise typer.BadParameter("give value texts, or -i FILE --column COL -o OUT.csv")
        for t in texts:
            print(json.dumps(parse_value(t, unit_hint=unit, year=year).to_dict(), ensure_ascii=False))
        return
    if output is None:
        raise typer.BadParameter("-o OUT.csv is required with -i")
    try:
        raw = input.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {input}: cannot read it as UTF-8 text ({exc}); save it as UTF-8 CSV/TSV", file=sys.stderr)
        raise typer.Exit(2) from exc
    delim = "\t" if input.suffix.lower() == ".tsv" or raw.split("\n", 1)[0].count("\t") > raw.split("\n", 1)[0].count(",") else ","
    rows = list(csv.DictReader(raw.splitlines(), delimiter=delim))
    if rows and column not in rows[0]:
        print(f"error: {input}: no column '{column}'; the columns are {', '.join(rows[0])}", file=sys.stderr)
        raise typer.Exit(2)
    fields = list(rows[0]) if rows else [column]
    out_fields = fields + [f for f in BATCH_FIELDS if f not in fields]
    with open(output, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=out_fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            hint = (r.get(unit_column) or None) if unit_column else unit
            v = parse_value(r.get(column) or "", unit_hint=hint, year=year)
            w.writerow({**r, **{f: _cell(v, f) for f in BATCH_FIELDS}})
    print(f"wrote {len(rows)} rows to {output}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command("values")(values)
