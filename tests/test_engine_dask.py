"""``--engine dask``: same rows as the serial engine, retries, resume by content hash, and a
file that fails every try ends in errors while the run goes on.

One in-process local cluster (one worker thread) serves every test through its scheduler
address, which is also how a real cluster is reached (``--scheduler``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from golden_rows import ROOT

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

RAW = ROOT / "data" / "raw"
# a mix: seeds (tables, six tables in one file, a self-evaluation), real filings of several
# layouts, two reports in prose, and an empty file that cannot be read
PICK = (sorted((RAW / "seeds").glob("*.txt"))
        + [RAW / "filings" / f"{s}.txt" for s in ("001", "003", "035", "043")]
        + [RAW / "reports" / f"{s}.txt" for s in ("216", "220")])


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        yield cluster.scheduler_address


@pytest.fixture()
def inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for p in PICK:
        shutil.copy(p, d / p.name)
    (d / "zz_empty.txt").write_bytes(b"")
    from pipeline.batch import expand

    return expand([d])


def _serial(files, out):
    from pipeline.batch import run_batch
    from pipeline.outputs import write_batch

    write_batch(run_batch(files), out)


def _csv_rows(path: Path) -> list[str]:
    """The lines of a CSV after the stable sort (header first)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return lines[:1] + sorted(lines[1:])


def test_dask_gives_the_serial_rows(tmp_path, inputs, scheduler):
    from pipeline.engine_dask import run_dask

    _serial(inputs, tmp_path / "serial")
    run = run_dask(inputs, tmp_path / "dask", scheduler=scheduler, chunk=3, write_tables=True)
    assert run.processed == len(inputs) and run.failed == 0
    assert len(list((tmp_path / "dask" / "indicators").glob("part-*.parquet"))) == -(-len(inputs) // 3)
    for name in ("indicators.csv", "flags.csv", "rejects.csv", "filings.csv", "errors.csv"):
        serial = (tmp_path / "serial" / name).read_bytes()
        dask = (tmp_path / "dask" / name).read_bytes()
        assert _csv_rows(tmp_path / "dask" / name) == _csv_rows(tmp_path / "serial" / name), name
        assert dask == serial, f"{name}: read back in the serial order, the bytes are the same"
    # the Parquet parts themselves hold the same indicator rows
    from pipeline import parquet_store as store
    from pipeline.outputs import write_csv
    from pipeline.enrich import ALL_COLUMNS

    write_csv(tmp_path / "from_parts.csv", ALL_COLUMNS, store.read_table(tmp_path / "dask", "indicators"))
    assert _csv_rows(tmp_path / "from_parts.csv") == _csv_rows(tmp_path / "serial" / "indicators.csv")
    assert run.errors == 1      # the empty file, as in the serial engine's errors.csv


def test_a_task_failing_once_is_retried(tmp_path, inputs, scheduler, monkeypatch):
    from pipeline import parquet_store as store
    from pipeline.engine_dask import run_dask

    real = store.write_part
    calls: list[int] = []

    def flaky(out, part, results):
        calls.append(part)
        if part == 1 and calls.count(1) == 1:
            raise OSError("disk hiccup")           # the first try of part 1 fails
        return real(out, part, results)

    monkeypatch.setattr(store, "write_part", flaky)
    run = run_dask(inputs, tmp_path / "o", scheduler=scheduler, chunk=4, retries=1, write_tables=False)
    assert calls.count(1) == 2 and all(calls.count(p) == 1 for p in set(calls) - {1})
    assert run.failed == 0 and run.processed == len(inputs)
    assert (tmp_path / "o" / "indicators" / store.part_name(1)).exists()


def test_rerun_skips_unchanged_files_by_content_hash(tmp_path, inputs, scheduler):
    from pipeline import parquet_store as store
    from pipeline.engine_dask import run_dask

    out = tmp_path / "o"
    first = run_dask(inputs, out, scheduler=scheduler, chunk=4, write_tables=False)
    again = run_dask(inputs, out, scheduler=scheduler, chunk=4, write_tables=False)
    assert again.skipped == len(inputs) and again.processed == 0 and again.rows == first.rows
    # a changed file: its part (4 files) is done again, the others are skipped
    changed = Path(inputs[5])
    changed.write_bytes(changed.read_bytes() + "\n".encode())
    third = run_dask(inputs, out, scheduler=scheduler, chunk=4, write_tables=False)
    assert third.processed == 4 and third.skipped == len(inputs) - 4
    assert third.rows == first.rows
    parts = store.Manifest.load(out).parts
    assert sum(len(p["files"]) for p in parts.values()) == len(inputs)
    assert len(list((out / "indicators").glob("part-*.parquet"))) == len(parts)


def test_a_file_failing_every_try_ends_in_errors_and_the_run_goes_on(tmp_path, inputs, scheduler, monkeypatch):
    import pipeline.batch as batch
    from pipeline import parquet_store as store
    from pipeline.engine_dask import run_dask

    bad = inputs[2]
    real = batch.process_file

    def crashing(path, *a, **k):
        if path == bad:
            raise MemoryError("worker out of memory")   # what a worker killed by its nanny looks like
        return real(path, *a, **k)

    monkeypatch.setattr(batch, "process_file", crashing)
    out = tmp_path / "o"
    run = run_dask(inputs, out, scheduler=scheduler, chunk=4, retries=1, write_tables=True)
    assert run.failed == 1 and run.processed == len(inputs)
    errors = store.read_table(out, "errors")
    assert [e["file"] for e in errors if e["code"] == "E198"] == [bad]
    done = {f for p in store.Manifest.load(out).parts.values() for f in p["files"]}
    assert done == set(inputs) - {bad}
    assert bad in (out / "errors.csv").read_text(encoding="utf-8-sig")
    # the next run tries the failed file again (and only it)
    monkeypatch.setattr(batch, "process_file", real)
    again = run_dask(inputs, out, scheduler=scheduler, chunk=4, write_tables=False)
    assert again.processed == 1 and again.failed == 0
