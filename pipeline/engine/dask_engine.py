"""``jixiao clean --engine dask``: the batch as Dask tasks, on a local or any distributed cluster.

The files are cut into chunks (``chunk`` files each, in the serial engine's order); each
chunk is one task that reads, extracts, types, classifies and reviews its files exactly as
the serial engine does (:func:`pipeline.run.batch.process_file`) and writes its rows as one part
of partitioned Parquet (:mod:`pipeline.output.parquet`) from the worker. The client only
receives a part's counts, so its memory does not grow with the rows; it keeps at most
``4 × workers`` tasks in flight, and the manifest (one hash per file).

* **Resumable**: the manifest maps each part to its files' sha256; a rerun into the same
  folder skips the files of every part whose files are all unchanged, and processes again
  those of a part with a changed or missing file (that part is deleted).
* **Fault-tolerant**: a task that raises is retried (``retries``); a worker that dies is
  replaced and its task re-run by the scheduler (``distributed.scheduler.allowed-failures``).
  A chunk that still fails is split into one task per file, so only the file that kills its
  worker or keeps failing ends in ``errors/failed.parquet`` (code E198) and the run goes on.
* **Small batches** (at most :data:`SMALL_BATCH_ROWS` indicator rows) also get the files of
  the serial engine — indicators.csv/.xlsx, flags.csv, filings.csv, rejects.csv, errors.csv,
  report.html — read back from the parts in the serial order, so they are byte-identical.

* **Per-file limits** (``timeout``, ``--file-timeout``): each task runs its files in a child
  forked from the worker and kept across its tasks (:class:`pipeline.run.isolate.Isolated`): a file past its limit
  (E197) or whose child dies twice (E196) is an error row of its part, the task goes on.

Not handled yet: the worker's memory limit (the nanny's) does not count the forked child, so
a file that eats memory meets the machine's limit, not the worker's; and shared storage (``OUT`` must be a path every worker can write:
a shared file system; object stores need fsspec paths, not done).
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from pipeline.core.config import environ_set
from pipeline.output import parquet as store
from pipeline.output.tables import write_batch
from pipeline.run.batch import failed_file, process_file
from pipeline.run.isolate import DEFAULT_FILE_TIMEOUT, Isolated, can_fork
from pipeline.run.warm import warm_up

# an Excel/WPS sheet opens comfortably up to here (the hard limit is 1,048,576 rows)
SMALL_BATCH_ROWS = 100_000
CHUNK = 32
RETRIES = 2


@dataclass(slots=True)
class DaskRun:
    files: int = 0          # files given
    skipped: int = 0        # already done in an earlier run (same content)
    processed: int = 0      # files processed in this run
    failed: int = 0         # files whose task failed on every try
    rows: int = 0           # indicator rows in the output folder
    flags: int = 0
    errors: int = 0         # files that could not be read, plus failed ones
    tables_written: bool = False


def process_part(part: int, files: Sequence[tuple[str, str]], out: str, env: dict[str, str],
                 timeout: float | None = None) -> dict:
    """The task: process ``files`` ((path, sha256) pairs) and write part ``part`` of ``out``.

    With a ``timeout`` the files go through a child process forked from the worker (loaded
    once by ``warm_up``): a file past its limit (E197) or whose child dies twice (E196) is an
    error row of the part, and the task goes on. Dask cannot stop a running task, and a
    worker's tasks run in threads, which cannot receive the in-process alarm."""
    paths = [path for path, _ in files]
    with environ_set(env):       # --norms / --model reach workers started before the run
        if timeout and can_fork():
            results = list(_child_of_this_thread(env, timeout).map(paths))
        else:
            results = [process_file(path) for path in paths]
    counts = store.write_part(Path(out), part, results)
    return {"part": part, "files": dict(files), "counts": counts}


_local = threading.local()


def _child_of_this_thread(env: dict[str, str], timeout: float) -> Isolated:
    """The forked child this worker thread hands its files to, kept across tasks so that what
    it caches (segmented names, parsed values, features) serves the next task too; a new one
    when the settings differ (another run on the same cluster). A child forked for each task
    would start cold every 32 files: 1.9x the CPU, measured on 300 generated filings."""
    key = (process_file, tuple(sorted(env.items())), timeout)
    held = getattr(_local, "held", None)
    if held is None or held[0] != key:
        if held is not None:
            held[1].close()
        warm_up()                # loaded here once, inherited by the fork
        held = _local.held = (key, Isolated(process_file, failed_file, jobs=1, timeout=timeout))
        # ended and reaped when the worker process ends: no child outlives its worker, and its
        # CPU time is accounted to the worker (a child reaped by init is not)
        atexit.register(held[1].close)
    return held[1]


def _client(scheduler: str | None, workers: int, cluster_options: dict | None):
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    opts = {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None,
            "silence_logs": 40}
    opts.update(cluster_options or {})
    cluster = LocalCluster(**opts)
    return Client(cluster), cluster


def run_dask(files: Sequence[str], out: str | Path, *, scheduler: str | None = None, workers: int = 2,
             chunk: int = CHUNK, retries: int = RETRIES, env: dict[str, str] | None = None,
             cluster_options: dict | None = None, write_tables: bool | None = None,
             timeout: float | None = DEFAULT_FILE_TIMEOUT,
             progress: Callable[[int], None] | None = None) -> DaskRun:
    """Process ``files`` into ``out`` on a Dask cluster (a local one of ``workers`` processes
    when ``scheduler`` is None). ``write_tables`` forces (True) or prevents (False) the
    CSV/xlsx/report files; by default they are written for small batches. ``timeout`` is the
    per-file time limit (None: none, files run in the task's thread)."""
    from distributed import as_completed

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    env = dict(env or {})
    digests = {f: store.file_digest(f) for f in files if os.path.isfile(f)}
    manifest = store.Manifest.load(out)
    done = manifest.keep_unchanged(out, digests)
    store.prune_orphans(out, manifest)
    todo = [(f, digests.get(f, "")) for f in files if f not in done]
    run = DaskRun(files=len(files), skipped=len(files) - len(todo), processed=len(todo))
    for f, _ in todo:
        manifest.failed.pop(f, None)
    if progress and run.skipped:
        progress(run.skipped)

    next_part = manifest.next_part()
    queue: list[list[tuple[str, str]]] = [todo[i:i + chunk] for i in range(0, len(todo), chunk)]
    queue.reverse()                                   # popped from the end: the serial order
    client, cluster = _client(scheduler, workers, cluster_options) if todo else (None, None)
    try:
        if todo:
            n_workers = len(client.scheduler_info().get("workers", {})) or workers
            inflight = 4 * max(1, n_workers)     # enough to keep workers busy, bounded for the client
            ac = as_completed()
            meta = {}

            def submit() -> None:
                nonlocal next_part
                files_ = queue.pop()
                fut = client.submit(process_part, next_part, files_, str(out), env, timeout, retries=retries,
                                    pure=False)
                meta[fut.key] = files_
                next_part += 1
                ac.add(fut)

            while queue and ac.count() < inflight:
                submit()
            for fut in ac:
                files_ = meta.pop(fut.key)
                try:
                    res = fut.result()
                except Exception as exc:  # noqa: BLE001 - a task that failed on every try
                    if len(files_) > 1:
                        queue.extend([f] for f in reversed(files_))   # again, one file a task
                    else:
                        path, sha = files_[0]
                        manifest.failed[path] = {"sha256": sha, "message": (
                            f"the task failed on every try ({type(exc).__name__}: {exc}); the file may "
                            "exhaust a worker's memory or crash it: open it alone with `jixiao clean`")}
                        if progress:
                            progress(1)
                else:
                    manifest.parts[res["part"]] = {"files": res["files"], "counts": res["counts"]}
                    manifest.save(out)               # every part done survives a crash of the run
                    if progress:
                        progress(len(files_))
                fut.release()
                while queue and ac.count() < inflight:
                    submit()
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    store.prune_orphans(out, manifest)          # parts of tasks that failed half-way
    store.write_failed(out, manifest)
    manifest.save(out)
    for spec in manifest.parts.values():
        run.rows += spec["counts"]["indicators"]
        run.flags += spec["counts"]["flags"]
        run.errors += spec["counts"]["errors"]
    run.failed = len(manifest.failed)
    run.errors += run.failed
    if write_tables is None:
        write_tables = run.rows <= SMALL_BATCH_ROWS
    if write_tables:
        write_batch(store.read_batch(out, files), out)
        run.tables_written = True
    return run


def clean_command(console, files: Sequence[str], out: Path, *, scheduler: str | None, workers: int,
                  quiet: bool, env: dict[str, str], timeout: float | None = DEFAULT_FILE_TIMEOUT) -> int:
    """The CLI's ``--engine dask`` branch: progress bar, run, one-line summary; exit status."""
    with Progress(TextColumn("[bold]dask"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, disable=quiet, transient=True) as bar:
        task = bar.add_task("", total=len(files))
        run = run_dask(files, out, scheduler=scheduler, workers=workers, env=env, timeout=timeout,
                       progress=lambda n: bar.update(task, advance=n))
    if not quiet:
        console.print(f"files: {run.files} (skipped as done: {run.skipped}, processed: {run.processed}, "
                      f"failed: {run.failed})   indicator rows: {run.rows}   flags: {run.flags}   → {out}/ "
                      f"(Parquet parts and manifest.json"
                      + (", csv/xlsx/report)" if run.tables_written else
                         f"; no csv/xlsx/report above {SMALL_BATCH_ROWS:,} rows)"))
    return 1 if run.errors else 0
