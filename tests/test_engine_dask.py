"""``--engine dask``: same rows as the serial engine, retries, resume by content hash, a
file that fails every try ends in errors while the run goes on, and a file that hangs past
its time limit or whose process is killed is an error of its part (E197, E196).

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
    from pipeline.run.batch import expand

    return expand([d])


def _serial(files, out):
    from pipeline.run.batch import run_batch
    from pipeline.output.tables import write_batch

    write_batch(run_batch(files), out)


def _csv_rows(path: Path) -> list[str]:
    """The lines of a CSV after the stable sort (header first)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return lines[:1] + sorted(lines[1:])


def test_dask_gives_the_serial_rows(tmp_path, inputs, scheduler):
    from pipeline.engine.dask_engine import run_dask

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
    from pipeline.output import parquet as store
    from pipeline.output.tables import write_csv
    from pipeline.run.enrich import ALL_COLUMNS

    write_csv(tmp_path / "from_parts.csv", ALL_COLUMNS, store.read_table(tmp_path / "dask", "indicators"))
    assert _csv_rows(tmp_path / "from_parts.csv") == _csv_rows(tmp_path / "serial" / "indicators.csv")
    assert run.errors == 1      # the empty file, as in the serial engine's errors.csv


def test_a_task_failing_once_is_retried(tmp_path, inputs, scheduler, monkeypatch):
    from pipeline.output import parquet as store
    from pipeline.engine.dask_engine import run_dask

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
    from pipeline.output import parquet as store
    from pipeline.engine.dask_engine import run_dask

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
    import pipeline.engine.dask_engine as engine
    from pipeline.engine.dask_engine import run_dask
    from pipeline.output import parquet as store

    bad = inputs[2]
    real = engine.process_file

    def crashing(path, *a, **k):
        if path == bad:
            raise MemoryError("worker out of memory")   # what a worker killed by its nanny looks like
        return real(path, *a, **k)

    monkeypatch.setattr(engine, "process_file", crashing)   # the name the tasks call
    out = tmp_path / "o"
    run = run_dask(inputs, out, scheduler=scheduler, chunk=4, retries=1, write_tables=True)
    assert run.failed == 1 and run.processed == len(inputs)
    errors = store.read_table(out, "errors")
    assert [e["file"] for e in errors if e["code"] == "E198"] == [bad]
    done = {f for p in store.Manifest.load(out).parts.values() for f in p["files"]}
    assert done == set(inputs) - {bad}
    assert bad in (out / "errors.csv").read_text(encoding="utf-8-sig")
    # the next run tries the failed file again (and only it)
    monkeypatch.setattr(engine, "process_file", real)
    again = run_dask(inputs, out, scheduler=scheduler, chunk=4, write_tables=False)
    assert again.processed == 1 and again.failed == 0


def _hanging_batch(tmp_path, inputs):
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes")
    hang = tmp_path / "hang.txt"       # a pipe nobody writes to: reading it blocks (see test_file_limits)
    os.mkfifo(hang)
    return str(hang), inputs[:3] + [str(hang)] + inputs[3:]


def _without(path: Path, text: str) -> list[str]:
    return [ln for ln in _csv_rows(path) if text not in ln]


def test_a_file_past_its_time_limit_is_an_error_of_its_part(tmp_path, inputs, scheduler):
    from pipeline.engine.dask_engine import run_dask
    from pipeline.output import parquet as store
    from pipeline.run.warm import warm_up

    warm_up()
    hang, files = _hanging_batch(tmp_path, inputs)
    _serial(inputs, tmp_path / "serial")
    run = run_dask(files, tmp_path / "dask", scheduler=scheduler, chunk=4, write_tables=True, timeout=3)
    assert run.failed == 0 and run.processed == len(files)
    assert [(e["file"], e["code"]) for e in store.read_table(tmp_path / "dask", "errors")
            if e["file"] == hang] == [(hang, "E197")]
    for name in ("indicators.csv", "flags.csv", "rejects.csv", "filings.csv"):
        assert _csv_rows(tmp_path / "dask" / name) == _csv_rows(tmp_path / "serial" / name), name
    assert _without(tmp_path / "dask" / "errors.csv", "hang.txt") == _csv_rows(tmp_path / "serial" / "errors.csv")


def test_a_file_whose_process_is_killed_is_an_error_of_its_part(tmp_path, inputs, scheduler):
    import threading

    from test_file_limits import _kill_readers_of

    from pipeline.engine.dask_engine import run_dask
    from pipeline.output import parquet as store
    from pipeline.run.warm import warm_up

    warm_up()
    hang, files = _hanging_batch(tmp_path, inputs)
    _serial(inputs, tmp_path / "serial")
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_readers_of, args=(hang, stop, killed), daemon=True)
    killer.start()
    try:
        run = run_dask(files, tmp_path / "dask", scheduler=scheduler, chunk=4, write_tables=True, timeout=600)
    finally:
        stop.set()
        killer.join()
    assert len(killed) == 2 and run.failed == 0
    assert [(e["file"], e["code"]) for e in store.read_table(tmp_path / "dask", "errors")
            if e["file"] == hang] == [(hang, "E196")]
    assert _csv_rows(tmp_path / "dask" / "indicators.csv") == _csv_rows(tmp_path / "serial" / "indicators.csv")


def test_norms_build_on_the_parts_equals_the_build_from_the_csv(tmp_path, inputs, scheduler):
    from pipeline.cli.norms import build_from_paths
    from pipeline.engine.dask_engine import run_dask
    from pipeline.engine.norms_dask import build_on_dask, is_parts_folder

    out = tmp_path / "o"
    run_dask(inputs, out, scheduler=scheduler, chunk=3, write_tables=True)
    assert is_parts_folder(out)
    on_dask = build_on_dask([out], scheduler=scheduler)
    from_csv, _ = build_from_paths([out / "indicators.csv"])
    assert on_dask["indicators"] and on_dask["indicators"] == from_csv["indicators"]
    assert on_dask["sources"]["n_filings"] == from_csv["sources"]["n_filings"]


def test_value_sketch_past_its_exact_limit_is_a_ddsketch_and_merges():
    import random

    from ddsketch import DDSketch

    from pipeline.norms.build import ValueSketch

    rnd = random.Random(5)
    values = [round(rnd.uniform(50, 100), 2) for _ in range(3000)]
    a, b = ValueSketch(0.005, 100), ValueSketch(0.005, 100)
    for i, v in enumerate(values):
        (a if i % 2 else b).add(v)
    a.merge(b)
    assert not a.is_exact and isinstance(a.dd, DDSketch) and a.n == len(values)
    srt = sorted(values)
    for q in (0.1, 0.5, 0.9):
        want = srt[-(-int(q * 1000) * len(srt) // 1000) - 1]
        assert abs(a.quantile(q) - want) <= 0.005 * want
    hist = a.items()
    assert hist[0][0] == srt[0] and hist[-1][0] == srt[-1] and sum(c for _, c in hist) == len(values)


def test_cli_clean_engine_dask_on_a_scheduler(tmp_path, inputs, scheduler):
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    out = tmp_path / "o"
    args = ["clean", str(Path(inputs[0]).parent), "-o", str(out), "--engine", "dask", "--scheduler", scheduler]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 1, res.output          # the empty file is an error, as in the serial engine
    assert (out / "manifest.json").is_file() and (out / "indicators.csv").is_file()
    assert "skipped as done: 0" in res.output
    again = CliRunner().invoke(app, args)
    assert f"skipped as done: {len(inputs)}" in again.output
    bad = CliRunner().invoke(app, ["clean", str(out), "-o", str(out), "--engine", "spark"])
    assert bad.exit_code == 2 and "expected serial or dask" in bad.output


def test_a_part_half_written_by_a_failed_task_is_not_read(tmp_path, inputs, scheduler, monkeypatch):
    from pipeline.output import parquet as store
    from pipeline.engine.dask_engine import run_dask

    real = store.write_table
    calls: list[Path] = []

    def dies_after_indicators(path, table, records):
        real(path, table, records)
        calls.append(path)
        if table == "indicators" and path.name == store.part_name(0):
            raise OSError("worker lost while writing part 0")

    monkeypatch.setattr(store, "write_table", dies_after_indicators)
    out = tmp_path / "o"
    run = run_dask(inputs, out, scheduler=scheduler, chunk=4, retries=0, write_tables=False)
    parts = store.Manifest.load(out).parts
    on_disk = {int(p.name[5:10]) for p in (out / "indicators").glob("part-*.parquet")}
    assert on_disk == set(parts) and 0 not in parts
    # part 0's files were done again one a task, under new part numbers
    assert run.failed == 0 and {f for p in parts.values() for f in p["files"]} == set(inputs)
    assert (out / "indicators" / store.part_name(0)).exists() is False


def test_stored_filing_has_the_fields_of_a_filing_info():
    # a filings/ part read back must carry every column filings.csv has (region was once missing)
    from dataclasses import fields

    from pipeline.extract.facts import FilingInfo
    from pipeline.output.parquet import StoredFiling

    assert [f.name for f in fields(StoredFiling)] == [f.name for f in fields(FilingInfo)]
