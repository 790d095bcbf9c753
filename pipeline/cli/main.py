"""The ``jixiao`` command: a thin typer layer over the importable functions.

Heavy modules (pandas, scikit-learn, mlflow) are imported inside the commands that need
them, never at start-up: ``jixiao clean`` must not import mlflow.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from pipeline import __version__
from pipeline.cli.help import TidyGroup
from pipeline.cli.summary import print_summary
from pipeline.core.config import environ_set
from pipeline.engine.dask_engine import clean_command
from pipeline.output.tables import write_batch
from pipeline.run.batch import expand, run_batch
from pipeline.run.isolate import DEFAULT_FILE_TIMEOUT

app = typer.Typer(add_completion=False, no_args_is_help=True, cls=TidyGroup,
                  help="jixiao — clean Chinese budget-performance filings and mine their indicators.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """jixiao — clean Chinese budget-performance filings and mine their indicators."""


@app.command()
def clean(
    paths: Annotated[list[Path], typer.Argument(help="Filings or folders of filings.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("out"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Files processed in parallel.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    norms: Annotated[Path | None, typer.Option(
        "--norms", help="A norms.json from `jixiao norms build` (default: the shipped norms of data/raw).")] = None,
    model: Annotated[Path | None, typer.Option(
        "--model", "-m", help="A classifier folder (model.json …) from `jixiao train --export` (default: shipped).")] = None,
    engine: Annotated[str, typer.Option(
        "--engine", help="serial (default: this process, or --jobs processes) or dask (Parquet parts, resumable; "
        "a local cluster of --jobs workers unless --scheduler is given).")] = "serial",
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Address of a dask.distributed scheduler (tcp://host:8786) for --engine dask.")] = None,
    file_timeout: Annotated[float, typer.Option(
        "--file-timeout", min=0, help="Seconds one file may take before it is stopped and listed in errors "
        "(E197); 0: no limit.")] = DEFAULT_FILE_TIMEOUT,
) -> None:
    """Read filings, extract every indicator row, type its values, classify and review it;
    write OUT/indicators.csv/.xlsx, flags.csv, filings.csv, rejects.csv, errors.csv and
    report.html. Exit status 1 when a file failed."""

    console = Console(stderr=True)
    # through the environment, so that worker processes (--jobs) see the same choice; restored
    # afterwards so that a caller in the same process (tests, notebooks) is left as it was
    env: dict[str, str] = {}
    for opt, name, what in ((norms, "JIXIAO_NORMS", "norms file"), (model, "JIXIAO_MODEL_DIR", "model folder")):
        if opt is None:
            continue
        if not opt.exists():
            console.print(f"[red]error:[/] --{what.split()[0]} {opt}: no such {what}")
            raise typer.Exit(2)
        env[name] = str((opt / "norms.json") if opt.is_dir() and name == "JIXIAO_NORMS" else opt)
    if engine not in ("serial", "dask"):
        console.print(f"[red]error:[/] --engine {engine}: expected serial or dask")
        raise typer.Exit(2)
    with environ_set(env):
        if engine == "dask":
            files = expand(paths)
            if not files:
                console.print("[red]error:[/] no filings found in the given paths")
                raise typer.Exit(2)
            code = clean_command(console, files, out, scheduler=scheduler, workers=max(jobs, 2),
                                 quiet=quiet, env=env, timeout=file_timeout or None)
        else:
            code = _clean(console, paths, out, jobs, quiet, file_timeout or None)
    raise typer.Exit(code)


def _clean(console, paths: list[Path], out: Path, jobs: int, quiet: bool, timeout: float | None) -> int:


    if out.exists() and not out.is_dir():
        console.print(f"[red]error:[/] -o {out}: this is a file; -o names the folder the outputs go to")
        return 2
    files = expand(paths, exclude=[out])
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        console.print(f"[red]error:[/] {p}: no such file or folder")
    if not files:
        console.print("[red]error:[/] no filings found in the given paths "
                      "(expected .txt/.csv/.tsv/.docx/.xlsx/.xls/.pdf/.html files)")
        return 2
    show = not quiet and len(files) > 1
    with Progress(TextColumn("[bold]reading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, disable=not show, transient=True) as bar:
        task = bar.add_task("", total=len(files))
        res = run_batch(files, jobs=jobs, timeout=timeout, progress=lambda f: bar.update(task, advance=1, description=Path(f).name))
    write_batch(res, out)
    if not quiet:
        _summary(console, res, out)
    return 1 if res.errors or missing else 0


def _summary(console, res, out: Path) -> None:
    print_summary(console, res, out)


def main() -> None:  # pragma: no cover
    app(prog_name="jixiao")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
