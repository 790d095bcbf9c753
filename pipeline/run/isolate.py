"""Per-file limits: a file that runs past its time limit, or whose worker process dies, becomes
an error of that file, and the batch goes on.

Two mechanisms, one per way of running:

* **In this process** (``jixiao clean`` with ``--jobs 1``): :func:`time_limit` arms a real-time
  timer (``SIGALRM``) around one file; when it fires, :class:`FileTimeout` is raised in the
  middle of the work. It derives from ``BaseException`` so that the ``except Exception`` of
  the stages (a bug on one file becomes E199) does not swallow it. Only the main thread can
  receive signals: elsewhere (a notebook's worker thread, the web workspace) no limit is set.
  Python checks signals between bytecodes and inside long regular-expression searches, so a
  blocking read (a pipe, a stalled network mount) or a slow pure-Python loop is stopped; a C
  call that never returns to the interpreter is not. A process that dies here ends the run:
  use ``--jobs 2`` or more to survive a file that crashes the interpreter.
* **In worker processes** (``--jobs N``, and each task of ``--engine dask``):
  :class:`Isolated` forks workers from the warmed-up parent (models inherited
  copy-on-write), hands them one file at a time over a pipe and receives each result. A
  worker past the limit is killed (``SIGKILL``) and its file recorded as E197; a worker that
  dies (out of memory, a segfault in a library, killed from outside) is replaced and its file
  tried once more in a fresh worker — the death may have been someone else's doing (the
  kernel's OOM killer picks a victim) — and recorded as E196 if it dies again. An exception
  a worker raises is re-raised in the parent, as ``ProcessPoolExecutor`` did.

Results come back in the order of the files, whatever ``jobs``: outputs do not depend on it.
Needs ``os.fork`` (Linux, macOS); :func:`can_fork` says whether it is there.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

R = TypeVar("R")

# the default of `jixiao clean --file-timeout`: the largest real filings take about a second
# on one loaded core, so this only stops what would never finish
DEFAULT_FILE_TIMEOUT = 120.0


class FileTimeout(BaseException):
    """Raised in the middle of a file's work when its time limit has passed (see module doc)."""


def can_fork() -> bool:
    return hasattr(os, "fork")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`FileTimeout` inside the block once ``seconds`` have passed (no limit when
    ``seconds`` is falsy, off the main thread, or without ``signal.setitimer``)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise FileTimeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def timeout_message(seconds: float) -> str:
    return (f"stopped after {seconds:g} s, the per-file time limit (--file-timeout): a filing takes about a "
            "second at most, so this one hangs a reader (a pipe or a stalled network file) or is pathological; "
            "open it alone with `jixiao clean FILE --file-timeout 0` to see where it stops, or leave it out")


def death_message(status: str) -> str:
    return (f"the worker process reading this file died twice ({status}) before finishing it: the file may "
            "exhaust memory or crash a library; open it alone with `jixiao clean FILE` to see the error, "
            "or leave it out")


@dataclass(slots=True)
class _Worker:
    pid: int
    conn: Connection
    index: int = -1            # the file being worked on, -1 when idle
    started: float = 0.0


@dataclass(slots=True)
class _Raised:
    """An exception the work raised in a worker, carried back to be raised in the parent."""
    exc: BaseException


def _serve(conn: Connection, work: Callable[[str], R]) -> None:
    """A worker's loop: receive (index, path), send back (index, result); never returns."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                break                                    # the parent is gone
            if msg is None:
                break
            i, path = msg
            try:
                res: object = work(path)
            except Exception as exc:  # noqa: BLE001 - raised again in the parent
                res = _Raised(exc)
            conn.send((i, res))
    except BaseException:  # noqa: BLE001 - a worker never unwinds into the parent's code
        code = 1
    finally:
        os._exit(code)                                   # no atexit handlers of the parent


def _status(pid: int) -> str:
    try:
        _, st = os.waitpid(pid, 0)
    except ChildProcessError:
        return "exit status unknown"
    if os.WIFSIGNALED(st):
        sig = os.WTERMSIG(st)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        hint = " — killed, often by the out-of-memory killer" if sig == signal.SIGKILL else ""
        return f"signal {name}{hint}"
    return f"exit status {os.WEXITSTATUS(st)}"


class Isolated:
    """Forked workers that outlive one batch of files: ``map`` may be called again and the
    workers keep what they loaded and cached (a Dask worker keeps one across its tasks, so
    each task does not start from a fresh fork). Close it (or use ``with``) to end them.

    ``work(path)`` runs in the children: what it needs should be loaded before (``warm_up``)
    so that every fork inherits it. A file past ``timeout`` seconds gives
    ``fail(path, "E197", message)``; one whose worker died twice ``fail(path, "E196", message)``.
    """

    def __init__(self, work: Callable[[str], R], fail: Callable[[str, str, str], R], *, jobs: int = 1,
                 timeout: float | None = None) -> None:
        self.work, self.fail, self.jobs, self.timeout = work, fail, max(1, jobs), timeout
        self.workers: list[_Worker] = []

    def __enter__(self) -> "Isolated":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spawn(self) -> None:
        # lazy on purpose: multiprocessing loads only when files go to worker processes (cold start)
        from multiprocessing.connection import Pipe

        parent_end, child_end = Pipe()
        pid = os.fork()
        if pid == 0:                                     # the child: only its own pipe stays open
            parent_end.close()
            for w in self.workers:
                w.conn.close()
            _serve(child_end, self.work)
        child_end.close()
        self.workers.append(_Worker(pid, parent_end))

    def _retire(self, w: _Worker, *, kill: bool) -> str:
        if kill:
            try:
                os.kill(w.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        w.conn.close()
        self.workers.remove(w)
        return _status(w.pid)

    def map(self, files: Sequence[str]) -> Iterator[R]:
        """``work(path)`` for each file, results in the order of ``files``."""
        from multiprocessing.connection import wait

        timeout, fail = self.timeout, self.fail
        pending: deque[int] = deque(range(len(files)))
        died: set[int] = set()
        done: dict[int, R] = {}
        next_out = 0
        try:
            while len(self.workers) < min(self.jobs, len(files)):
                self._spawn()
            while next_out < len(files):
                for w in list(self.workers):
                    if w.index < 0 and pending:
                        i = pending.popleft()
                        try:
                            w.conn.send((i, files[i]))
                        except OSError:          # it died while idle (killed from outside): not the file's doing
                            pending.appendleft(i)
                            self._retire(w, kill=True)
                            self._spawn()
                            continue
                        w.index, w.started = i, time.monotonic()
                busy = [w for w in self.workers if w.index >= 0]
                if not busy:
                    continue            # a worker was replaced while idle: hand it the file first
                wait_for = None
                if timeout:
                    wait_for = max(0.0, min(w.started for w in busy) + timeout - time.monotonic())
                ready = set(wait([w.conn for w in busy], timeout=wait_for))
                for w in busy:
                    if w.conn in ready:
                        try:
                            i, res = w.conn.recv()
                        except Exception:  # noqa: BLE001 - EOF or half a message: the worker died
                            i = w.index
                            status = self._retire(w, kill=True)
                            if i in died:
                                done[i] = fail(files[i], "E196", death_message(status))
                            else:
                                died.add(i)
                                pending.appendleft(i)    # once more, in a fresh worker
                            if pending and len(self.workers) < self.jobs:
                                self._spawn()
                            continue
                        w.index = -1
                        if isinstance(res, _Raised):
                            raise res.exc
                        done[i] = res
                    elif timeout and time.monotonic() - w.started >= timeout:
                        i = w.index
                        self._retire(w, kill=True)
                        done[i] = fail(files[i], "E197", timeout_message(timeout))
                        if pending and len(self.workers) < self.jobs:
                            self._spawn()
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
        finally:
            # stopped early (an exception, Ctrl-C, the caller gave up): a worker still busy
            # would answer for a file of this call in the next one
            for w in [w for w in self.workers if w.index >= 0]:
                self._retire(w, kill=True)

    def close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
            w.conn.close()
        for w in self.workers:
            if w.index >= 0:
                try:
                    os.kill(w.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            _status(w.pid)
        self.workers.clear()


def run_isolated(files: Sequence[str], work: Callable[[str], R], fail: Callable[[str, str, str], R], *,
                 jobs: int = 1, timeout: float | None = None) -> Iterator[R]:
    """``work(path)`` for each file in ``jobs`` forked workers (see :class:`Isolated`), results
    in the order of ``files``; the workers end with the iteration."""
    with Isolated(work, fail, jobs=jobs, timeout=timeout) as pool:
        yield from pool.map(files)
