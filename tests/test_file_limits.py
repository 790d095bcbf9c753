"""Per-file limits: a file that hangs past ``--file-timeout``, or whose worker process is
killed, is listed in errors (E197, E196) and every other file's rows are written unchanged —
in this process (``--jobs 1``), in worker processes (``--jobs 2``) and on the Dask engine.

The hostile filing is a named pipe called ``hang.txt`` that nobody writes to: reading it
blocks, as a file on a stalled network mount does. No hook in the engines exists for these
tests; the worker is killed from outside (by the test, as the out-of-memory killer would).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from golden_rows import ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/proc/self/fd").is_dir(),
                                reason="named pipes and /proc (Linux)")

SEEDS = sorted(str(p) for p in (ROOT / "data" / "raw" / "seeds").glob("*.txt"))


@pytest.fixture()
def hang(tmp_path) -> str:
    p = tmp_path / "hang.txt"
    os.mkfifo(p)
    return str(p)


@pytest.fixture(scope="module")
def plain():
    """The rows, rejects and filings of the seeds without the hostile file."""
    from pipeline.run.batch import run_batch
    from pipeline.run.warm import warm_up

    warm_up()          # models loaded before any limit runs: the limits then bound one file's work
    return run_batch(SEEDS)


def _same_as_plain(res, plain) -> None:
    assert res.records == plain.records and res.rejects == plain.rejects
    assert [f.file for f in res.filings] == [f.file for f in plain.filings]


def test_serial_engine_stops_a_file_past_its_time_limit(hang, plain):
    from pipeline.run.batch import run_batch

    files = SEEDS[:2] + [hang] + SEEDS[2:]
    res = run_batch(files, timeout=3)
    assert [(e.file, e.code) for e in res.errors] == [(hang, "E197")]
    assert "--file-timeout" in res.errors[0].message and "3 s" in res.errors[0].message
    _same_as_plain(res, plain)
    # the alarm is disarmed after the batch: nothing fires later in this process
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_jobs_engine_stops_a_file_past_its_time_limit(hang, plain):
    from pipeline.run.batch import run_batch

    files = SEEDS[:2] + [hang] + SEEDS[2:]
    res = run_batch(files, jobs=2, timeout=3)
    assert [(e.file, e.code) for e in res.errors] == [(hang, "E197")]
    _same_as_plain(res, plain)


def _children() -> list[int]:
    out = []
    for task in Path("/proc/self/task").iterdir():
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _fds(pid: int) -> list[str]:
    try:
        return os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []


def _reads(pid: int, fd: str, path: str) -> bool:
    try:
        if os.readlink(f"/proc/{pid}/fd/{fd}") != path:
            return False
        flags = next(ln for ln in Path(f"/proc/{pid}/fdinfo/{fd}").read_text().splitlines() if ln.startswith("flags:"))
    except (OSError, StopIteration):
        return False
    return int(flags.split()[1], 8) & 3 == os.O_RDONLY


def _kill_readers_of(path: str, stop: threading.Event, killed: list[int]) -> None:
    """Open ``path`` for writing once a reader has it open (so that later readers do not block
    in open()), then SIGKILL every child process reading it, until ``stop``. (Workers forked
    after that inherit the test's write end: only read ends count.)"""
    fd = None
    try:
        while not stop.is_set():
            if fd is None:
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:          # ENXIO: no reader yet
                    time.sleep(0.02)
                    continue
            for pid in set(_children()) - set(killed):
                if any(_reads(pid, n, path) for n in _fds(pid)):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
            time.sleep(0.02)
    finally:
        if fd is not None:
            os.close(fd)


def test_jobs_engine_goes_on_when_a_files_worker_is_killed(hang, plain):
    from pipeline.run.batch import run_batch

    files = SEEDS[:2] + [hang] + SEEDS[2:]
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_readers_of, args=(hang, stop, killed), daemon=True)
    killer.start()
    try:
        res = run_batch(files, jobs=2, timeout=600)      # the kill ends it, not the limit
    finally:
        stop.set()
        killer.join()
    # killed once, tried again in a fresh worker, killed again: then it is the file's error
    assert len(killed) == 2
    assert [(e.file, e.code) for e in res.errors] == [(hang, "E196")]
    assert "died twice (signal SIGKILL" in res.errors[0].message
    _same_as_plain(res, plain)


def test_an_exception_in_a_worker_is_raised_in_the_parent():
    from pipeline.run.isolate import run_isolated

    def work(path: str) -> str:
        if path == "b":
            raise ValueError("bad b")
        return path.upper()

    with pytest.raises(ValueError, match="bad b"):
        list(run_isolated(["a", "b", "c"], work, lambda *a: "failed", jobs=2))
    assert list(run_isolated(["a", "c", "d"], work, lambda *a: "failed", jobs=2)) == ["A", "C", "D"]


def test_results_come_back_in_the_order_of_the_files_whatever_the_jobs():
    from pipeline.run.isolate import run_isolated

    def work(path: str) -> str:
        time.sleep(0.01 * (len(path) % 3))
        return path[::-1]

    files = [f"f{'x' * k}" for k in range(12)]
    for jobs in (1, 2, 5):
        assert list(run_isolated(files, work, lambda *a: "failed", jobs=jobs)) == [f[::-1] for f in files]


def test_time_limit_is_no_limit_off_the_main_thread():
    from pipeline.run.isolate import time_limit

    seen = []

    def body():
        with time_limit(0.01):
            time.sleep(0.05)
            seen.append(signal.getitimer(signal.ITIMER_REAL))

    t = threading.Thread(target=body)
    t.start()
    t.join()
    assert seen == [(0.0, 0.0)]


def test_cli_file_timeout(tmp_path, hang):
    from typer.testing import CliRunner

    from pipeline.cli.main import app
    from pipeline.run.warm import warm_up

    warm_up()
    out = tmp_path / "o"
    res = CliRunner().invoke(app, ["clean", SEEDS[0], hang, "-o", str(out), "--file-timeout", "2"])
    assert res.exit_code == 1, res.output
    errors = (out / "errors.csv").read_text(encoding="utf-8-sig")
    assert "E197" in errors and "hang.txt" in errors
    assert len((out / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()) > 1


def _pid(path: str) -> int:
    return os.getpid()


def test_workers_are_kept_across_calls_and_a_killed_one_is_replaced():
    # a Dask worker hands each task's files to the same child: what it cached serves the next task
    from pipeline.run.isolate import Isolated

    with Isolated(_pid, lambda *a: -1, jobs=1, timeout=60) as pool:
        first = set(pool.map(["a", "b"]))
        assert set(pool.map(["c"])) == first and os.getpid() not in first
        (old,) = first
        os.kill(old, signal.SIGKILL)
        os.waitid(os.P_PID, old, os.WEXITED | os.WNOWAIT)   # dead (not reaped) before the next call
        again = set(pool.map(["d"]))          # the dead worker is noticed, the file done in a new one
        assert len(again) == 1 and old not in again and -1 not in again
    assert pool.workers == []
