"""The session log's one writer: a thread with a connection of its own.

The engine tells its listeners what happens synchronously, on the event loop that also reads
the chair, runs the stop key and the status watchdog. A write to SQLite can wait: for another
program's lock (up to its busy timeout), on a slow disk, or fail on a full one. So the session
log never writes there: it hands each write to this thread and returns at once. Writes run one
at a time, in the order given, each in its own transaction; one that fails is reported to
whoever gave it and the next one is still tried.

Each write gets a number, so a caller can wait (bounded) until every write up to one of its
own is done, which is how a front end lets the log drain after the chair's release.
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from chairctl.store.connection import open_connection
from chairctl.store.problems import explain
from chairctl.vocabulary import StoreError

#: One write: statements on the writer's connection, inside a transaction the writer opens.
Write = Callable[[sqlite3.Connection], None]
#: Told why a write failed; runs on the writer thread.
Failed = Callable[[StoreError], None]

#: How long the writer's thread is given to finish once it has nothing left to do.
_JOIN_S: Final = 1.0


@dataclass(frozen=True)
class _Job:
    number: int
    write: Write
    failed: Failed


class LogWriter:
    """Runs writes to the database at ``path`` on a thread of its own, started on first use.

    ``wait_s`` is how long one write waits for another program's lock before it fails: the
    thread may wait, nothing else does.
    """

    def __init__(self, path: Path, *, wait_s: float) -> None:
        self.path = path
        self._wait_s = wait_s
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._progress = threading.Condition()
        self._given = 0
        self._done = 0
        self._closed = False
        self._thread: threading.Thread | None = None

    @property
    def done(self) -> int:
        """The number of the last write finished (written or failed)."""
        with self._progress:
            return self._done

    def submit(self, write: Write, failed: Failed) -> int:
        """Queue ``write``; returns its number. Never waits and never raises: a write given
        after :meth:`close` fails at once, through ``failed``."""
        with self._progress:
            self._given += 1
            number = self._given
            if not self._closed:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._work, name="chairctl session log", daemon=True
                    )
                    self._thread.start()
                self._jobs.put(_Job(number, write, failed))
                return number
        _tell(failed, StoreError(f"{self.path} was closed before this was written", path=self.path))
        self._finished(number)
        return number

    def wait_for(self, number: int, timeout_s: float) -> bool:
        """Wait (blocking this thread, at most ``timeout_s``) until write ``number`` and every
        one before it is finished; True when they are."""
        with self._progress:
            return self._progress.wait_for(lambda: self._done >= number, timeout_s)

    def close(self, wait_s: float) -> None:
        """Let queued writes finish for up to ``wait_s``, then end the thread.

        A thread still waiting on a write after that is left to it (it is a daemon): the
        process may end under it, and the session it was writing stays ``running`` until the
        next start marks it ``interrupted``.
        """
        with self._progress:
            given = self._given
        finished = self.wait_for(given, wait_s)
        with self._progress:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._jobs.put(None)
            if finished:
                thread.join(_JOIN_S)

    # -- the thread --------------------------------------------------------------------------

    def _work(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    if connection is None:
                        connection = open_connection(self.path, wait_s=self._wait_s)
                    _transaction(connection, job.write)
                except sqlite3.Error as error:
                    _tell(job.failed, explain(error, self.path, doing="write"))
                except StoreError as error:
                    _tell(job.failed, error)
                except Exception as error:  # a bug in a write: told, never the thread's end
                    _tell(
                        job.failed,
                        StoreError(
                            f"the session log could not be written to {self.path}: "
                            f"{type(error).__name__}: {error}",
                            path=self.path,
                        ),
                    )
                finally:
                    self._finished(job.number)
        finally:
            if connection is not None:
                connection.close()

    def _finished(self, number: int) -> None:
        with self._progress:
            self._done = max(self._done, number)
            self._progress.notify_all()


def _transaction(connection: sqlite3.Connection, write: Write) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        write(connection)
        connection.execute("COMMIT")
    except BaseException:
        # A failed COMMIT may already have rolled back; either way nothing of it stays.
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise


def _tell(failed: Failed, error: StoreError) -> None:
    with contextlib.suppress(Exception):
        failed(error)
