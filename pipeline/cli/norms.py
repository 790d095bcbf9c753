"""``jixiao norms build`` and ``jixiao norms lookup``; reading the inputs of a build.

Inputs are filings, folders of filings, indicators.csv files of earlier ``jixiao clean``
runs, or folders holding such an indicators.csv. Regions come from a manifest.json found in
an input folder or above it (data/raw/manifest.json), sectors from the department
(filings.csv or the filing itself) and the manifest title.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from pipeline.core.errors import ConfigError
from pipeline.engine.norms_dask import build_on_dask, is_parts_folder
from pipeline.norms.build import build_norms, write_json, write_norms
from pipeline.norms.config import region_places, region_province
from pipeline.norms.group import sector_of
from pipeline.norms.lookup import _fmt, load_norms, shipped_norms_path
from pipeline.norms.manifest import InputManifest
from pipeline.run.batch import expand, run_batch
from pipeline.values.parse import parse_value

ROOT = Path(__file__).resolve().parents[2]   # the checkout
DEFAULT_DATA = ROOT / "data" / "raw"


@dataclass
class Inputs:
    records: list[dict] = field(default_factory=list)
    context: dict[str, tuple[str, str]] = field(default_factory=dict)   # file -> (sector, region)
    places: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)


def _is_indicator_table(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), [])
    except (OSError, UnicodeDecodeError):
        return False
    return "name" in header and "target_raw" in header


def _read_table(path: Path, inputs: Inputs, departments: dict[str, str]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as f:
        inputs.records.extend(dict(r) for r in csv.DictReader(f))
    filings = path.parent / "filings.csv"
    if filings.is_file():
        with filings.open(encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                departments[r.get("file", "")] = r.get("department", "")
                inputs.kinds[r.get("kind", "")] += 1


def read_inputs(paths: list[Path], jobs: int = 1, progress=None) -> Inputs:
    """Indicator records and their filing context from filings, folders and indicators.csv files."""
    inputs = Inputs()
    manifest = InputManifest()
    departments: dict[str, str] = {}
    filings: list[str] = []
    for p in paths:
        if not p.exists():
            inputs.errors.append(f"{p}: no such file or folder")
            continue
        manifest.add_from(p)
        if p.is_dir() and (p / "indicators.csv").is_file():
            _read_table(p / "indicators.csv", inputs, departments)
        elif p.is_file() and p.suffix.lower() == ".csv" and _is_indicator_table(p):
            _read_table(p, inputs, departments)
        else:
            for f in expand([p]):
                if f.lower().endswith(".csv") and _is_indicator_table(Path(f)):
                    _read_table(Path(f), inputs, departments)
                else:
                    filings.append(f)
    if filings:
        res = run_batch(filings, jobs=jobs, progress=progress)
        inputs.records.extend(res.records)
        for info in res.filings:
            departments[info.file] = info.department
            inputs.kinds[info.kind] += 1
        inputs.errors.extend(f"{e.file}: {e.code} {e.message}" for e in res.errors)
    for folder in sorted({str(Path(r.get("file", "")).parent) for r in inputs.records if r.get("file")}):
        if Path(folder).is_dir():
            manifest.add_from(Path(folder))
    for e in manifest.by_path.values():
        inputs.places.update(region_places(e.get("region", "")))
    for file in {r.get("file", "") for r in inputs.records}:
        e = manifest.get(file) or {}
        sector = sector_of(f"{departments.get(file, '')} {e.get('title', '')}")
        inputs.context[file] = (sector, region_province(e.get("region", "")))
    return inputs


def build_from_paths(paths: list[Path], jobs: int = 1, progress=None) -> tuple[dict, Inputs]:
    """The norms document built from ``paths`` (see :func:`read_inputs`) and the inputs read."""
    inputs = read_inputs(paths, jobs=jobs, progress=progress)
    sources = {"inputs": [_display(p) for p in paths], "n_filings": len(inputs.context),
               "filing_kinds": dict(inputs.kinds.most_common())}
    doc = build_norms(inputs.records, context=inputs.context, places=inputs.places, sources=sources)
    return doc, inputs


def _display(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


# ---------------------------------------------------------------------------- commands
norms_app = typer.Typer(add_completion=False, no_args_is_help=True,
                        help="Indicator norms: canonical indicators and their typical targets.")


@norms_app.command("build")
def build(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Filings, folders of filings, or indicators.csv files of earlier runs "
             "(default with --ship: data/raw).")] = None,
    out: Annotated[Path | None, typer.Option(
        "-o", "--out", help="Folder for norms.csv, norms.xlsx, norms.json.")] = None,
    ship: Annotated[bool, typer.Option(
        "--ship", help="Also write the package's pipeline/resources/norms.json.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Files read in parallel.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="dask.distributed scheduler for Parquet inputs (output folders of "
        "`jixiao clean --engine dask`); default: a local cluster of --jobs (at least 2) workers.")] = None,
) -> None:
    """Group indicator names into canonical indicators and write their norms: OUT/norms.csv
    (one row per indicator and unit), OUT/norms.xlsx and OUT/norms.json."""



    console = Console(stderr=True)
    if not paths:
        if not ship:
            console.print("[red]error:[/] give filings, folders or indicators.csv files (or --ship to rebuild the "
                          "shipped norms from data/raw)")
            raise typer.Exit(2)
        paths = [DEFAULT_DATA]
    if out is None and not ship:
        out = Path("out")


    if all(is_parts_folder(p) for p in paths):
        # Parquet parts of `clean --engine dask`: the map-reduce runs on the same engine

        doc = build_on_dask(paths, scheduler=scheduler, workers=max(2, jobs),
                            sources={"inputs": [_display(p) for p in paths]})
        inputs = Inputs()
    else:
        with Progress(TextColumn("[bold]reading filings"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, disable=quiet, transient=True) as bar:
            task = bar.add_task("", total=None)
            doc, inputs = build_from_paths(paths, jobs=jobs, progress=lambda f: bar.update(task, advance=1))
    for e in inputs.errors:
        console.print(f"[yellow]warning:[/] {e}")
    if not doc["indicators"]:
        console.print("[red]error:[/] no indicator rows found in the inputs; nothing to build")
        raise typer.Exit(1)
    written = []
    if out is not None:
        written += [str(p) for p in write_norms(doc, out).values()]
    if ship:
        written.append(str(write_json(doc, shipped_norms_path())))
    if not quiet:
        _summary(console, doc, written)


def _summary(console, doc: dict, written: list[str]) -> None:


    inds = doc["indicators"]
    src = doc["sources"]
    console.print(f"norms {doc['version']}: {src.get('n_records', 0)} rows from {src.get('n_filings', 0)} filings → "
                  f"{len(inds)} canonical indicators ({sum(len(i['aliases']) for i in inds)} names; "
                  f"{sum(src.get('dropped', {}).values())} rows without an indicator name)")
    t = Table(title="largest groups (by filings)")
    for c in ("canonical", "names", "filings", "level2", "typical target (p10–p90)", "vague"):
        t.add_column(c, overflow="fold")
    for i in sorted(inds, key=lambda i: (-i["n_filings"], -i["n_rows"]))[:12]:
        u = next((u for u in i["units"] if u["n_values"]), None)
        typical = (f"{'≥' if u['op'] in ('>=', '>') else '≤' if u['op'] in ('<=', '<') else ''}{_fmt(u['median'])}"
                   f"{u['unit_norm']} ({_fmt(u['p10'])}–{_fmt(u['p90'])})") if u else ""
        t.add_row(i["canonical_name"], str(len(i["aliases"])), str(i["n_filings"]), i["level2"], typical,
                  f"{i['vague_share']:.0%}")
    console.print(t)
    for w in written:
        console.print(f"wrote {w}")


@norms_app.command("lookup")
def lookup(
    name: Annotated[str, typer.Argument(help="An indicator name, e.g. 补贴对象满意度.")],
    value: Annotated[str | None, typer.Option("--value", "-v", help="A target to place in the norm, e.g. 80%.")] = None,
    norms: Annotated[Path | None, typer.Option("--norms", help="A norms.json (default: the shipped one).")] = None,
    level2: Annotated[str, typer.Option("--level2", help="The row's second level (a constraint).")] = "",
    k: Annotated[int, typer.Option("-k", min=1, help="How many canonical indicators to show.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show the canonical indicators nearest to NAME with their norms; with --value, where
    the value stands in the norm (and any NORM_OUTLIER / NONSTANDARD_NAME finding)."""


    console = Console()
    if norms is not None and norms.is_dir():
        norms = norms / "norms.json"
    try:
        nm = load_norms(norms)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(2) from exc
    v = parse_value(value) if value else None
    unit = v.unit_norm if v is not None else ""
    found = nm.nearest(name, k=k, unit_norm=unit, level2=level2)
    located = nm.locate(name, v, level2) if v is not None else ""
    findings = nm.review(name, level2, v) if v is not None else []
    suggestion = nm.suggest_for_vague(name, level2) if (v is None or v.vague or v.value is None) else ""
    if as_json:
        print(json.dumps({
            "name": name, "normalised": nm.normaliser(name),
            "matches": [{"norm_id": m.norm_id, "canonical_name": m.canonical_name, "score": m.score, "rule": m.rule,
                         "level2": m.norm.level2, "n_filings": m.norm.n_filings, "unit_norm": m.stats.unit_norm
                         if m.stats else "", "p10": m.p10, "median": m.median, "p90": m.p90} for m in found],
            "located": located, "findings": [f.as_dict() for f in findings], "suggestion": suggestion,
        }, ensure_ascii=False, indent=1))
        return
    if not found:
        console.print(f"no canonical indicator near “{name}” in {nm.path or 'the norms'}")
        raise typer.Exit(1)

    good = [m for m in found if not m.rule.startswith("not same")]
    if not good:
        # the nearest names share characters only: say so before listing them
        console.print(f"[yellow]no good match for “{name}”[/]: none of the {len(found)} nearest canonical "
                      "indicators is the same indicator (they share characters only)")
    t = Table(title=f"“{name}” → normalised “{nm.normaliser(name)}”  ({nm.version}, {len(nm)} indicators)",
              pad_edge=False)
    # names are what the reader came for: their column is as wide as the longest one (up to
    # 16 cells, then folded), never cut to "服务…"; the norm is one column so that the table
    # fits an 80-column terminal; the rule behind each score goes below the table
    wide = min(16, max(cell_len(m.canonical_name) for m in found))
    t.add_column("")
    t.add_column("canonical", min_width=wide, overflow="fold")
    for c in ("score", "level2", "files", "norm", "vague"):
        t.add_column(c, overflow="fold", max_width=10 if c == "level2" else None)
    for m in found:
        u = m.stats
        mark = "✓" if not m.rule.startswith("not same") else "?"
        norm = (f"{u.op} {_fmt(u.p10)}–{_fmt(u.p90)} ({_fmt(u.median)}) {u.unit_norm}" if u else "")
        t.add_row(mark, m.canonical_name, f"{m.score:.0f}", f"{m.norm.level2.removesuffix('指标')}",
                  str(m.norm.n_filings), norm, f"{m.norm.vague_share:.0%}")
    console.print(t)
    console.print("  norm = the usual comparator, P10–P90 (median) and unit of its targets", highlight=False)
    for rule in dict.fromkeys(m.rule for m in found):
        console.print(f"  {'✓' if not rule.startswith('not same') else '?'} {rule}", highlight=False)
    if located:
        console.print(located)
    elif v is not None and v.value is not None:
        console.print(f"{value}: no norm with unit “{v.unit_norm}” for this indicator")
    for f in findings:
        console.print(f"[bold]{f.code}[/] ({f.severity}) {f.message}\n  依据：{f.evidence}\n  建议：{f.suggestion}")
    if suggestion:
        console.print(f"可量化的目标建议：{suggestion}")


def register(app: typer.Typer) -> None:
    app.add_typer(norms_app, name="norms")
