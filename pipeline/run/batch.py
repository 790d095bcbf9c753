"""Running the pipeline over many filings: one broken file never stops a batch.

``run_batch(paths)`` expands folders, reads and extracts every filing (in parallel with
``jobs > 1``, output order independent of ``jobs``) and returns a :class:`BatchResult`:
indicator rows, rejected rows with their reason, one :class:`FilingInfo` per filing and
one :class:`FileError` per file that could not be read.

``timeout`` is the per-file time limit (``jixiao clean --file-timeout``): a file past it, or
one whose worker process dies (``jobs > 1``), is an error of that file (E197, E196) and the
batch goes on; see :mod:`.isolate`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.errors import FilingError
from pipeline.extract.facts import FilingInfo, describe
from pipeline.extract.read import extract
from pipeline.extract.rows import IndicatorRow, Reject
from pipeline.ingest.dispatch import SUPPORTED, read_filing
from pipeline.run.enrich import enrich
from pipeline.run.isolate import FileTimeout, Isolated, can_fork, time_limit, timeout_message
from pipeline.run.warm import warm_up


@dataclass(slots=True)
class FileError:
    file: str
    stage: str
    code: str
    message: str


@dataclass(slots=True)
class FileResult:
    file: str
    rows: list[IndicatorRow] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    info: FilingInfo | None = None
    error: FileError | None = None
    records: list[dict] = field(default_factory=list)
    flags: list = field(default_factory=list)


@dataclass(slots=True)
class BatchResult:
    records: list[dict] = field(default_factory=list)
    flags: list = field(default_factory=list)
    rows: list[IndicatorRow] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    filings: list[FilingInfo] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


# a folder holding these is an output folder of `jixiao clean`: its CSVs are no filings
OUTPUT_MARKERS = ("indicators.csv", "flags.csv", "filings.csv")


def expand(paths: Iterable[str | Path], *, exclude: Iterable[str | Path] = ()) -> list[str]:
    """Files as given, and the supported files found (recursively, sorted) in folders.

    In folders, the folders of ``exclude`` (the run's own ``-o``) and every output folder of
    an earlier run (one holding indicators.csv, flags.csv and filings.csv) are skipped, so
    that a second run over ``batch/`` with ``-o batch/out`` does not read its own outputs."""
    skip = {Path(e).resolve() for e in exclude}
    seen: dict[Path, bool] = {}

    def jixiao_wrote(f: Path, top: Path) -> bool:
        for d in f.parents:
            if d not in seen:
                seen[d] = d.resolve() in skip or all((d / m).is_file() for m in OUTPUT_MARKERS)
            if seen[d]:
                return True
            if d == top:
                return False
        return False

    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                           and not jixiao_wrote(f, path))
            out.extend(str(f) for f in found)
        else:
            out.append(str(p))
    return out


def process_file(path: str, enrich_rows: bool = True) -> FileResult:
    """Read and extract one filing; any failure becomes a FileError, never an exception."""
    res = FileResult(file=path)
    stage = "ingest"
    try:
        doc = read_filing(path)
        stage = "extract"
        ex = extract(doc)
        stage = "describe"
        res.info = describe(doc, ex)
        res.rows, res.rejects = ex.rows, ex.rejects
        if enrich_rows:
            stage = "review"
            res.records, res.flags = enrich(doc, ex, res.info)
    except FilingError as exc:
        res.error = FileError(path, exc.stage, exc.code, exc.problem)
    except Exception as exc:  # noqa: BLE001 - a bug on one file must not stop the batch
        res.error = FileError(path, stage, "E199", f"internal error while {stage}: {type(exc).__name__}: {exc}; "
                              "please report this file")
    return res


def failed_file(path: str, code: str, message: str) -> FileResult:
    """The result of a file the engine had to stop (E197) or whose worker died (E196)."""
    return FileResult(file=path, error=FileError(path, "engine", code, message))


def run_batch(paths: Iterable[str | Path], *, jobs: int = 1, timeout: float | None = None,
              progress: Callable[[str], None] | None = None) -> BatchResult:
    files = expand(paths)
    out = BatchResult()
    if jobs > 1 and len(files) > 1 and can_fork():
        warm_up()       # models and dictionaries loaded once, inherited by the forked workers
        with Isolated(process_file, failed_file, jobs=jobs, timeout=timeout) as pool:
            for r in pool.map(files):
                _collect(out, r, progress)
    elif jobs > 1 and len(files) > 1:
        # lazy on purpose: no fork (Windows): a plain process pool, without per-file limits
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for r in pool.map(process_file, files, chunksize=max(1, len(files) // (jobs * 8))):
                _collect(out, r, progress)
    else:
        for f in files:
            try:
                with time_limit(timeout):
                    r = process_file(f)
            except FileTimeout:
                r = failed_file(f, "E197", timeout_message(timeout or 0))
            _collect(out, r, progress)
    return out


def _collect(out: BatchResult, r: FileResult, progress) -> None:
    out.rows.extend(r.rows)
    out.records.extend(r.records)
    out.flags.extend(r.flags)
    out.rejects.extend(r.rejects)
    if r.info is not None:
        out.filings.append(r.info)
    if r.error is not None:
        out.errors.append(r.error)
    if progress:
        progress(r.file)
