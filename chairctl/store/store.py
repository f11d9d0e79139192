"""The local SQLite database: profiles and the session log, with versioned migrations.

One file holds everything (see :func:`~chairctl.store.paths.database_path`). Opening it checks
it before anything is written: a file that is not a database, is damaged (a table gone), belongs
to another program, comes from a newer chairctl, is read-only or is locked is refused with a
:class:`StoreError` saying what to do (:mod:`chairctl.store.problems`), and is left exactly as
it was. A database is never reset to get past an error, and no message advises anything that
loses what it holds.

Several chairctl processes may use the file at once (a TUI and a CLI run, say): it is in WAL
mode, so readers never wait for writers, and every write is a short ``BEGIN IMMEDIATE``
transaction under a busy timeout, so a second writer waits its turn instead of failing. What a
person asks for (a profile, the start of a session) waits at most :data:`LOCK_WAIT_S`; the
session log waits longer, on a thread of its own (:mod:`chairctl.store.writer`), never on the
event loop that drives the chair.

Rows are read defensively: a row another program wrote badly (a date that is not one, a
region or an outcome chairctl does not know) is left out of the history with a note, never a
traceback; where leaving it out would be unsafe (the rest between sessions), it is refused in
words.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from chairctl.engine import Outcome
from chairctl.store.connection import open_connection
from chairctl.store.liveness import is_alive, process_identity
from chairctl.store.problems import KEEP_A_COPY, explain
from chairctl.store.schema import LATEST_VERSION, MIGRATIONS
from chairctl.store.sessions import (
    DRAIN_S,
    SafetyEvent,
    SessionHistory,
    SessionLog,
    SessionRecord,
)
from chairctl.store.writer import LogWriter
from chairctl.vocabulary import TRACK_ORDER, Region, StoreError
from chairctl.vocabulary.limits import SESSION_CAP_S

#: How long what a person asks for (opening, a profile, the start of a session) waits for
#: another program's write lock before saying the database is locked. Short: the app asks on
#: its event loop, and a lock held longer than this is not another chairctl's short write.
LOCK_WAIT_S = 5.0

#: How long one session log write waits for another program's lock, on the writer's thread.
LOG_LOCK_WAIT_S = 30.0

_SESSION_COLUMNS: Final = (
    "id, program_id, program_name, profile_name, chair, planned_s, started_at, ended_at, "
    "session_s, outcome, reason"
)
_TABLE: Final = re.compile(r"CREATE TABLE (\w+)")
_REGIONS: Final = frozenset(region.value for region in Region)
#: What quick_check says of a value against its column's rules (CHECK, NOT NULL, STRICT).
_ROW_PROBLEM: Final = re.compile(
    r"(CHECK constraint failed in |NULL value in |(non-|NUMERIC )\S+ value in )"
)


def now_text() -> str:
    """The wall-clock time now, UTC, as ISO 8601 text that sorts in time order."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _tables_of(version: int) -> set[str]:
    """The tables a database at schema ``version`` has."""
    return {
        name
        for migration in MIGRATIONS[:version]
        for statement in migration
        for name in _TABLE.findall(statement)
    }


class _BadRow(Exception):
    """A value in a row is not what chairctl writes there; the message says which and why."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(row: sqlite3.Row, column: str, *, optional: bool = False) -> Any:
    value = row[column]
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _BadRow(f"its {column} {_shown(value)} is not text")
    return value


def _number(row: sqlite3.Row, column: str, *, optional: bool = False) -> Any:
    """A count of seconds or a level: a finite number, not below zero."""
    value = row[column]
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _BadRow(f"its {column} {_shown(value)} is not a number")
    if not math.isfinite(value) or value < 0:
        raise _BadRow(f"its {column} {_shown(value)} is not a number of seconds or a level")
    return float(value)


def _moment(row: sqlite3.Row, column: str, *, optional: bool = False) -> Any:
    value = row[column]
    if value is None and optional:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is not None:
            moment.astimezone()  # shown in local time: a date too far out has none
    except (ValueError, OverflowError, OSError):
        moment = None
    # Every time chairctl writes carries its zone; one without is not ours to guess.
    if moment is None or moment.tzinfo is None:
        raise _BadRow(f"its {column} {_shown(value)} is not a date and time with its zone")
    return moment


def _outcome(row: sqlite3.Row) -> Outcome | None:
    value = row["outcome"]
    if value == "running":
        return None
    try:
        return Outcome(value)
    except ValueError:
        raise _BadRow(f"its outcome {_shown(value)} is not one chairctl knows") from None


def _region(value: object) -> Region:
    if isinstance(value, str) and value in _REGIONS:
        return Region(value)
    raise _BadRow(f"its region {_shown(value)} is not one chairctl knows")


class Store:
    """An open database; use :meth:`open`, and close it (or use it as a context manager)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        self._writer = LogWriter(path, wait_s=LOG_LOCK_WAIT_S)
        # Logs whose end is on its way to the writer: a read of the history waits for them.
        self._unsettled: list[SessionLog] = []

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open the database at ``path``, creating and migrating it as needed.

        Running sessions whose process has gone are marked ``interrupted``. Raises
        :class:`StoreError` for a file that cannot be used, without changing it.
        """
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file", path=path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"cannot make the folder {path.parent} for the database ({error.strerror}): "
                "use --home (or $CHAIRCTL_HOME) to choose a folder you may write in",
                path=path,
            ) from error
        try:
            connection = open_connection(path, wait_s=LOCK_WAIT_S)
        except sqlite3.Error as error:
            raise explain(error, path, doing="open") from error
        store = cls(path, connection)
        try:
            store._check()
            store._configure()
            store._migrate()
            store.mark_interrupted()
        except BaseException:
            connection.close()
            raise
        return store

    def _check(self) -> None:
        """Refuse a file that is not a sound chairctl database; reads only."""
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            problems = [
                row[0]
                for row in self._db.execute("PRAGMA quick_check")
                # A value a row should not hold is that row's problem, not the file's: the
                # readers leave such a row out with a note (or refuse it where it counts).
                if not _ROW_PROBLEM.match(row[0])
            ] or ["ok"]
            present = {
                row[0]
                for row in self._db.execute(
                    "SELECT name FROM sqlite_schema "
                    "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            }
        except sqlite3.Error as error:
            raise explain(error, self.path, doing="open") from error
        if problems != ["ok"]:
            raise StoreError(
                f"{self.path} is damaged ({problems[0]}). {KEEP_A_COPY}", path=self.path
            )
        if version > LATEST_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer chairctl (schema version {version}, this one "
                f"knows up to {LATEST_VERSION}); upgrade chairctl or use another --home",
                path=self.path,
            )
        if version == 0 and present:
            raise StoreError(
                f"{self.path} is an SQLite database of another program; leave it to that "
                "program and use another --home (or $CHAIRCTL_HOME) for chairctl",
                path=self.path,
            )
        missing = sorted(_tables_of(version) - present)
        if missing:
            tables = ", ".join(missing)
            raise StoreError(
                f"{self.path} is damaged: chairctl's table{'s' if len(missing) > 1 else ''} "
                f"{tables} {'are' if len(missing) > 1 else 'is'} gone (something other than "
                f"chairctl removed {'them' if len(missing) > 1 else 'it'}). {KEEP_A_COPY}, and "
                "does not rebuild tables over your data",
                path=self.path,
            )

    def _configure(self) -> None:
        try:
            # Persistent in the file; a no-op once set.
            self._db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as error:
            raise explain(error, self.path, doing="open") from error

    def _migrate(self) -> None:
        # At the latest version there is nothing to write, so the write lock is not taken:
        # reading the history works while another program holds it.
        if self.schema_version == LATEST_VERSION:
            return
        with self.transaction():
            # Read again under the write lock: another process may have migrated meanwhile.
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for target, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in migration:
                    self._db.execute(statement)
                # PRAGMA takes no parameters; target is an int from enumerate.
                self._db.execute(f"PRAGMA user_version = {target:d}")

    def close(self) -> None:
        """Close the database; a session still running stays ``running`` until next open.

        Session log writes still queued are given up to :data:`DRAIN_S` to finish, unless a
        wait for them already gave up (then they are left to the writer's thread).
        """
        waited_out = any(log.abandoned for log in self._unsettled)
        self._writer.close(0.0 if waited_out else DRAIN_S)
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        row = self._row("PRAGMA user_version")
        return int(row[0]) if row is not None else 0

    # -- reading and writing ---------------------------------------------------------------------

    def _rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise explain(error, self.path, doing="read") from error

    def _row(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        rows = self._rows(sql, parameters)
        return rows[0] if rows else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at once (waiting for it if needed).

        Any SQLite error in it rolls it back and leaves as a :class:`StoreError` that says
        what to do.
        """
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise explain(error, self.path, doing="write") from error
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as error:
            # A failed COMMIT may already have rolled back; either way nothing of it stays.
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise explain(error, self.path, doing="write") from error
            raise

    # -- faults a chair latched ----------------------------------------------------------------

    def remember_fault(self, chair: str, message: str) -> None:
        """Keep ``chair``'s latched fault until :meth:`forget_fault`: the next process to reach
        that chair refuses it until a person says it was checked."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO chair_faults (chair, message, at) VALUES (?, ?, ?) "
                "ON CONFLICT (chair) DO UPDATE SET message = excluded.message, at = excluded.at",
                (chair, message, now_text()),
            )

    def forget_fault(self, chair: str) -> None:
        """A person checked ``chair`` after its fault: forget it."""
        with self.transaction() as db:
            db.execute("DELETE FROM chair_faults WHERE chair = ?", (chair,))

    def remembered_fault(self, chair: str) -> tuple[str, datetime] | None:
        """``chair``'s fault that nobody cleared (what it said, when), or None."""
        row = self._row("SELECT message, at FROM chair_faults WHERE chair = ?", (chair,))
        if row is None:
            return None
        message = row["message"] if isinstance(row["message"], str) else "a fault"
        try:
            at = datetime.fromisoformat(row["at"])
        except (TypeError, ValueError):
            at = datetime.now(UTC)  # a damaged time: the fault itself still stands
        return message, at

    # -- profiles -----------------------------------------------------------------------------

    def put_profile(self, name: str, document: str) -> None:
        """Store a profile (a JSON object) under a unique name, replacing one of that name.

        The store checks only that it is a JSON object; the profile model validates the rest
        before it gets here.
        """
        if not name.strip():
            raise StoreError("a profile needs a name")
        try:
            parsed = json.loads(document)
        except json.JSONDecodeError as error:
            raise StoreError(f"profile {name!r} is not valid JSON: {error}") from error
        if not isinstance(parsed, dict):
            raise StoreError(f"profile {name!r} must be a JSON object")
        stamp = now_text()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO profiles (name, document, created_at, updated_at) "
                "VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET document = excluded.document, "
                "updated_at = excluded.updated_at",
                (name, document, stamp, stamp),
            )

    def get_profile(self, name: str) -> str | None:
        """The profile document stored under ``name``, or None."""
        row = self._row("SELECT document FROM profiles WHERE name = ?", (name,))
        return None if row is None else str(row[0])

    def profile_times(self, name: str) -> tuple[datetime, datetime] | None:
        """When the profile was created and last updated (UTC), or None."""
        row = self._row("SELECT created_at, updated_at FROM profiles WHERE name = ?", (name,))
        if row is None:
            return None
        try:
            return _moment(row, "created_at"), _moment(row, "updated_at")
        except _BadRow as bad:
            raise StoreError(
                f"profile {name!r} in {self.path} cannot be read: {bad}. {KEEP_A_COPY}",
                path=self.path,
            ) from None

    def profile_names(self) -> list[str]:
        """The names of every stored profile, sorted."""
        return [str(row[0]) for row in self._rows("SELECT name FROM profiles ORDER BY name")]

    def remove_profile(self, name: str) -> bool:
        """Remove a profile; True when there was one. Sessions keep its name."""
        with self.transaction() as db:
            return db.execute("DELETE FROM profiles WHERE name = ?", (name,)).rowcount > 0

    # -- what the app remembers per profile ---------------------------------------------------

    def acknowledged(self, profile_name: str, notice: str) -> int | None:
        """The version of ``notice`` the profile acknowledged last, or None."""
        row = self._row(
            "SELECT version FROM acknowledgements WHERE profile_name = ? AND notice = ?",
            (profile_name, notice),
        )
        # A version that is not a number is no acknowledgement: the notice is shown again.
        return row[0] if row is not None and isinstance(row[0], int) else None

    def acknowledge(self, profile_name: str, notice: str, version: int) -> None:
        """Record that the profile acknowledged ``version`` of ``notice``."""
        self._require_profile(profile_name)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO acknowledgements (profile_name, notice, version, at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (profile_name, notice) DO UPDATE SET "
                "version = excluded.version, at = excluded.at",
                (profile_name, notice, version, now_text()),
            )

    def program_preferences(self, profile_name: str, program_id: str) -> str | None:
        """The personalisation (a JSON document) last chosen for a program, or None."""
        row = self._row(
            "SELECT document FROM program_preferences WHERE profile_name = ? AND program_id = ?",
            (profile_name, program_id),
        )
        return None if row is None else str(row[0])

    def put_program_preferences(self, profile_name: str, program_id: str, document: str) -> None:
        """Remember a profile's personalisation (a JSON document) for a program."""
        self._require_profile(profile_name)
        try:
            json.loads(document)
        except json.JSONDecodeError as error:
            raise StoreError(
                f"preferences for {program_id!r} are not valid JSON: {error}"
            ) from None
        with self.transaction() as db:
            db.execute(
                "INSERT INTO program_preferences (profile_name, program_id, document, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (profile_name, program_id) DO UPDATE SET "
                "document = excluded.document, updated_at = excluded.updated_at",
                (profile_name, program_id, document, now_text()),
            )

    def _require_profile(self, name: str) -> None:
        if self.get_profile(name) is None:
            raise StoreError(f"no profile {name!r}")

    # -- sessions -----------------------------------------------------------------------------

    def begin_session(
        self,
        program_id: str,
        program_name: str,
        profile_name: str | None,
        chair: str,
        planned_s: float,
    ) -> SessionLog:
        """Log a session as begun (outcome ``running``, committed now); the returned log is
        the engine listener that records the rest of it.

        This one write is made at once, before anything moves: a session that cannot be
        logged is refused (:class:`StoreError`), since the rest between sessions and the daily
        cap are counted from the log.
        """
        pid = os.getpid()
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO sessions (program_id, program_name, profile_name, chair, planned_s, "
                "started_at, outcome, pid, process) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)",
                (
                    program_id,
                    program_name,
                    profile_name,
                    chair,
                    planned_s,
                    now_text(),
                    pid,
                    process_identity(pid),
                ),
            )
        assert cursor.lastrowid is not None
        return SessionLog(self, cursor.lastrowid, self._writer)

    def _log_ended(self, log: SessionLog) -> None:
        """``log``'s end is on its way to the writer (called by the log)."""
        self._unsettled.append(log)

    def _settle(self) -> None:
        """Before the log is read: wait (bounded) for the ends of sessions logged by this store,
        so a history or an allowance read after a session counts it. A wait that gives up is
        not repeated."""
        waiting = [log for log in self._unsettled if not log.abandoned and log.pending]
        self._unsettled = [log for log in self._unsettled if log.abandoned]
        if waiting and not self._writer.wait_for(max(log.last_write for log in waiting), DRAIN_S):
            for log in waiting:
                log.abandon()
            self._unsettled += waiting

    def mark_interrupted(self) -> int:
        """Mark every ``running`` session whose process has gone as ``interrupted``; how many.

        Their end time and per-region figures stay unknown (NULL / absent): the process died
        before it could write them.
        """
        rows = self._rows("SELECT id, pid, process FROM sessions WHERE outcome = 'running'")
        gone = [(row[0],) for row in rows if not _alive(row)]
        if not gone:
            # Nothing to write: no write lock taken, so opening works while another holds it.
            return 0
        with self.transaction() as db:
            db.executemany(
                "UPDATE sessions SET outcome = 'interrupted', "
                "reason = 'the chairctl process ended before the session did' "
                "WHERE id = ? AND outcome = 'running'",
                gone,
            )
        return len(gone)

    def history(self, limit: int = 20) -> list[SessionRecord]:
        """The last ``limit`` sessions, newest first, with their regions and safety events;
        rows that cannot be read are left out (:meth:`read_history` says which)."""
        return self.read_history(limit).records

    def read_history(self, limit: int = 20) -> SessionHistory:
        """The last ``limit`` sessions, newest first, with their regions and safety events,
        and a note for each row, or part of one, that could not be read and was left out."""
        self._settle()
        rows = self._rows(
            f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY started_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        records: list[SessionRecord] = []
        notes: list[str] = []
        for row in rows:
            try:
                records.append(self._record(row, notes))
            except _BadRow as bad:
                notes.append(f"session {_shown(row['id'])} left out: {bad}")
        return SessionHistory(records, notes)

    def sessions_of(self, profile_name: str, *, since: datetime) -> list[SessionRecord]:
        """The sessions of one profile that began or ended after ``since``, or still run,
        oldest first (without their regions and events).

        A row of theirs that cannot be read is refused (:class:`StoreError`) rather than left
        out: the rest between sessions and the daily cap are counted from these.
        """
        self._settle()
        cutoff = since.astimezone(UTC)
        # A session that began up to a session cap earlier may have ended after ``since``,
        # though its end was never written (its process died).
        earliest = cutoff - timedelta(seconds=SESSION_CAP_S)
        rows = self._rows(
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE profile_name = ? AND "
            "(started_at >= ? OR ended_at >= ? OR outcome = 'running') "
            "ORDER BY started_at, id",
            (
                profile_name,
                earliest.isoformat(timespec="microseconds"),
                cutoff.isoformat(timespec="microseconds"),
            ),
        )
        records = []
        for row in rows:
            try:
                records.append(self._record(row, None))
            except _BadRow as bad:
                raise StoreError(
                    f"session {_shown(row['id'])} of {profile_name} in {self.path} cannot be "
                    f"read ({bad}). Keep a copy of the file, then correct that row (sqlite3), "
                    "or use another --home",
                    path=self.path,
                ) from None
        return records

    def session(self, session_id: int) -> SessionRecord | None:
        """One session by its id, or None; :class:`StoreError` when its row cannot be read."""
        self._settle()
        row = self._row(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        if row is None:
            return None
        try:
            return self._record(row, [])
        except _BadRow as bad:
            raise StoreError(
                f"session {session_id} in {self.path} cannot be read: {bad}", path=self.path
            ) from None

    def _record(self, row: sqlite3.Row, notes: list[str] | None) -> SessionRecord:
        """One session from its row; with ``notes``, its regions and safety events too, each
        one that cannot be read left out with a note. Raises :class:`_BadRow`."""
        ident = row["id"]
        if not isinstance(ident, int):
            raise _BadRow(f"its id {_shown(ident)} is not a number")
        minutes: dict[Region, float] = {}
        means: dict[Region, float] = {}
        events: list[SafetyEvent] = []
        if notes is not None:
            for part in self._rows(
                "SELECT region, seconds, mean_intensity FROM session_regions WHERE session_id = ?",
                (ident,),
            ):
                try:
                    region = _region(part["region"])
                    seconds, mean = _number(part, "seconds"), _number(part, "mean_intensity")
                except _BadRow as bad:
                    notes.append(f"session {ident}: a region left out: {bad}")
                    continue
                minutes[region], means[region] = seconds / 60, mean
            for part in self._rows(
                "SELECT at, kind, message FROM safety_events WHERE session_id = ? ORDER BY at, id",
                (ident,),
            ):
                try:
                    events.append(
                        SafetyEvent(
                            _number(part, "at"), _text(part, "kind"), _text(part, "message")
                        )
                    )
                except _BadRow as bad:
                    notes.append(f"session {ident}: a safety event left out: {bad}")
        order = {region: index for index, region in enumerate(TRACK_ORDER)}
        ranked = sorted(minutes, key=order.__getitem__)
        return SessionRecord(
            id=ident,
            program_id=_text(row, "program_id"),
            program_name=_text(row, "program_name"),
            profile_name=_text(row, "profile_name", optional=True),
            chair=_text(row, "chair"),
            planned_s=_number(row, "planned_s"),
            started_at=_moment(row, "started_at"),
            ended_at=_moment(row, "ended_at", optional=True),
            session_s=_number(row, "session_s", optional=True),
            outcome=_outcome(row),
            reason=_text(row, "reason", optional=True),
            minutes_per_region={region: minutes[region] for region in ranked},
            mean_intensity_per_region={region: means[region] for region in ranked},
            safety_events=tuple(events),
        )


def _alive(row: sqlite3.Row) -> bool:
    """Whether the process of a ``running`` row still runs; a row whose pid or process is not
    what chairctl writes cannot be anyone's, so it is not."""
    pid, process = row["pid"], row["process"]
    if not isinstance(pid, int) or not isinstance(process, str) or pid <= 0:
        return False
    return is_alive(pid, process)
