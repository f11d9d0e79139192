"""Opening one SQLite connection to the database, set up the same way wherever it is made.

The store holds two: its own, for what a person asks of it (profiles, history, the start of a
session), and the session log's writer thread's (see :mod:`chairctl.store.writer`). Both wait
for another writer's lock for a bounded time (SQLite's busy timeout), and both check foreign
keys, which SQLite sets per connection.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_connection(path: Path, *, wait_s: float) -> sqlite3.Connection:
    """A connection to ``path`` that waits up to ``wait_s`` for another writer's lock.

    Transactions are begun explicitly (``isolation_level=None``), so a migration and its
    version bump are one transaction and nothing is committed behind the store's back.
    Raises :class:`sqlite3.Error`; the caller says what it means.
    """
    connection = sqlite3.connect(path, timeout=wait_s, isolation_level=None)
    try:
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        connection.close()
        raise
    return connection
