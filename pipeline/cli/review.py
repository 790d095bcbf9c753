"""``jixiao review OUTDIR`` (serve the workspace) and ``jixiao review export OUTDIR -o F``.

``review`` is a group whose default command is ``serve``: ``jixiao review out`` is
``jixiao review serve out``. The web stack is imported when the server starts, so
``jixiao --help`` and ``jixiao clean`` stay light.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from pipeline.workspace.export import write_corrected_xlsx, write_labelled
from pipeline.workspace.outdir import load_outdir
from pipeline.workspace.queue import workspace_settings
from pipeline.workspace.store import Store


class _DefaultServe(TyperGroup):
    """A group that runs ``serve`` when its first argument is no sub-command."""
    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


review_app = typer.Typer(cls=_DefaultServe, no_args_is_help=True,
                         help="The review workspace in the browser: `jixiao review OUTDIR` serves it; "
                              "`jixiao review export OUTDIR -o corrections.tsv` exports the corrections.")


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")


def _outdir_or_exit(outdir: Path) -> None:
    if not (outdir / "indicators.csv").is_file():
        typer.echo(f"error: {outdir}: no indicators.csv here; run `jixiao clean FILINGS -o {outdir}` first", err=True)
        raise typer.Exit(2)


@review_app.command("serve")
def serve(
    outdir: Annotated[Path, typer.Argument(help="An output folder of `jixiao clean`.", metavar="OUTDIR")],
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default: the data stays on this machine).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    user: Annotated[str | None, typer.Option(help="Reviewer name stored with each correction (default: $USER).")]
    = None,
    db: Annotated[Path | None, typer.Option(help="Corrections database (default: OUTDIR/review.db).")] = None,
) -> None:
    """Serve the review workspace over OUTDIR at http://HOST:PORT/."""
    import uvicorn

    # lazy on purpose: the web app loads FastAPI (~0.16 s), which no other command needs
    from pipeline.workspace.app import create_app

    _outdir_or_exit(outdir)
    who = user or os.environ.get("USER") or workspace_settings().default_user
    app = create_app(outdir, db=db, user=who)
    typer.echo(f"jixiao review: http://{host}:{port}/  (corrections → {db or outdir / 'review.db'}; Ctrl+C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@review_app.command("export")
def export(
    outdir: Annotated[Path, typer.Argument(help="An output folder of `jixiao clean` with its review.db.",
                                           metavar="OUTDIR")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Labelled rows (TSV in the format of "
                                         "data/labelled/gold.tsv).")] = Path("corrections.tsv"),
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Also write the corrected workbook here "
                                              "(default: OUTDIR/indicators.corrected.xlsx).")] = None,
    db: Annotated[Path | None, typer.Option(help="Corrections database (default: OUTDIR/review.db).")] = None,
) -> None:
    """Export the corrections as labelled rows (for `jixiao train --corrections`) and a corrected workbook."""
    _outdir_or_exit(outdir)
    path = db or outdir / "review.db"
    if not path.is_file():
        typer.echo(f"error: {path}: no corrections yet (review in `jixiao review {outdir}` first)", err=True)
        raise typer.Exit(2)
    store = Store(path)
    n = write_labelled(store, output)
    book = write_corrected_xlsx(load_outdir(outdir), store, xlsx or outdir / "indicators.corrected.xlsx")
    typer.echo(f"{len(store.all())} corrections; {n} labelled rows → {output}; corrected workbook → {book}")
