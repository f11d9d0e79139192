"""What a database error means to the person who meets it, in words that never cost them data.

SQLite says what went wrong by a result code; the same "attempt to write a readonly database"
comes from a read-only file, a read-only folder and a read-only disk, and "unable to open
database file" from a missing or closed folder. Each family of codes gets one line that says
what is wrong, what chairctl did not do, and what to do about it. Only a file that is not a
database at all is ever to be moved aside, and then the line says to keep it: the advice for a
damaged, locked, full or read-only database always keeps every byte of it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final, Literal

from chairctl.vocabulary import StoreError

Doing = Literal["open", "read", "write"]

# SQLite's primary result codes (the low byte of an extended one).
_ERROR: Final = 1
_PERM: Final = 3
_BUSY: Final = 5
_LOCKED: Final = 6
_READONLY: Final = 8
_IOERR: Final = 10
_CORRUPT: Final = 11
_FULL: Final = 13
_CANTOPEN: Final = 14
_NOTADB: Final = 26
# Extended codes that change the advice.
_READONLY_DBMOVED: Final = 1032
_READONLY_DIRECTORY: Final = 1544

#: What to do with a database that is damaged: never anything that loses what is left of it.
KEEP_A_COPY: Final = (
    "Keep a copy of the file; then restore a backup, or try sqlite3's .recover on the copy, "
    "or use another --home. chairctl changes nothing in it"
)

_ELSEWHERE: Final = "or use another --home (or $CHAIRCTL_HOME)"


def _code(error: sqlite3.Error) -> int:
    code = getattr(error, "sqlite_errorcode", None)
    return code if isinstance(code, int) else 0


def missing_schema(error: sqlite3.Error) -> bool:
    """True when ``error`` says a table or column chairctl relies on is not there."""
    text = str(error)
    return _code(error) & 0xFF in (_ERROR, 0) and (
        text.startswith(("no such table", "no such column")) or " has no column named " in text
    )


def read_only(path: Path, detail: str) -> StoreError:
    """The database file itself may not be written."""
    return StoreError(
        f"{path} is read-only, and chairctl needs to write to it ({detail}); nothing was "
        f"changed. Make it writable for you (chmod u+w '{path}'; if it belongs to another user, "
        f"as a file made with sudo does, chown it to yourself), {_ELSEWHERE}",
        path=path,
    )


def read_only_folder(path: Path, detail: str) -> StoreError:
    """The folder that holds the database may not be written (SQLite keeps its -wal and -shm
    files beside the database)."""
    return StoreError(
        f"the folder {path.parent} is read-only, and chairctl keeps two small files beside "
        f"{path.name} while it is open ({detail}); nothing was changed. Make the folder "
        f"writable for you (chmod u+w '{path.parent}'), {_ELSEWHERE}",
        path=path,
    )


def explain(error: sqlite3.Error, path: Path, *, doing: Doing) -> StoreError:
    """The :class:`StoreError` to raise for ``error`` met while ``doing`` something to the
    database at ``path``: one line, saying what to do."""
    code = _code(error)
    primary = code & 0xFF
    detail = str(error) or type(error).__name__
    if code == _READONLY_DIRECTORY:
        return read_only_folder(path, detail)
    if code == _READONLY_DBMOVED:
        return StoreError(
            f"{path} was moved or deleted while chairctl had it open ({detail}); nothing more "
            "was written to it. Start chairctl again",
            path=path,
        )
    if primary in (_READONLY, _PERM):
        return read_only(path, detail)
    if primary in (_BUSY, _LOCKED):
        return StoreError(
            f"{path} is locked by another program ({detail}): another chairctl (the app, or a "
            "run writing its session log) or a tool holding it in a transaction (sqlite3, a "
            "backup, a sync client). Wait for it or close it, then try again; nothing was "
            "changed",
            path=path,
        )
    if primary == _FULL:
        return StoreError(
            f"the disk that holds {path} is full ({detail}): nothing more could be written, "
            "and what the database already holds is kept. Free some space, then try again",
            path=path,
        )
    if primary == _IOERR:
        return StoreError(
            f"the disk reported an error while chairctl tried to {doing} {path} ({detail}). "
            "Check the disk (full, unplugged, failing?) and keep a copy of the file before "
            "anything else",
            path=path,
        )
    if primary == _CORRUPT:
        return StoreError(f"{path} is damaged ({detail}). {KEEP_A_COPY}", path=path)
    if primary == _NOTADB:
        return StoreError(
            f"{path} is not an SQLite database ({detail}). It may be a file of yours, so keep "
            f"it: move it aside to a place of its own (chairctl then makes a new database "
            f"here), {_ELSEWHERE}",
            path=path,
        )
    if primary == _CANTOPEN:
        return StoreError(
            f"cannot open {path} ({detail}): check that the folder {path.parent} exists and "
            f"that you may read and write in it, {_ELSEWHERE}",
            path=path,
        )
    if missing_schema(error):
        return StoreError(
            f"{path} is damaged: {detail} (chairctl's tables are not as it made them; "
            f"something other than chairctl changed them). {KEEP_A_COPY}, and does not rebuild "
            "tables over your data",
            path=path,
        )
    return StoreError(f"cannot {doing} the database {path}: {detail}", path=path)
