"""The local SQLite database: profiles and the session log, with versioned migrations.

One file holds everything (see :func:`~chairctl.store.paths.database_path`). Opening it checks
it before anything is written: a file that is not a database, is damaged, belongs to another
program or comes from a newer chairctl is refused with a :class:`StoreError` saying what to
do, and is left exactly as it was. A database is never reset to get past an error.

Several chairctl processes may use the file at once (a TUI and a CLI run, say): it is in WAL
mode, so readers never wait for writers, and every write is a short ``BEGIN IMMEDIATE``
transaction under a busy timeout, so a second writer waits its turn instead of failing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Self

from chairctl.engine import Outcome
from chairctl.store.liveness import is_alive, process_identity
from chairctl.store.schema import LATEST_VERSION, MIGRATIONS
from chairctl.store.sessions import SafetyEvent, SessionLog, SessionRecord
from chairctl.vocabulary import TRACK_ORDER, Region, StoreError
from chairctl.vocabulary.limits import SESSION_CAP_S

#: How long a write waits for another process's write to finish before giving up.
BUSY_TIMEOUT_S = 30.0

_MOVE_ASIDE = "move it aside (a new, empty one is made in its place) or restore a backup"


def now_text() -> str:
    """The wall-clock time now, UTC, as ISO 8601 text that sorts in time order."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Store:
    """An open database; use :meth:`open`, and close it (or use it as a context manager)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

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
            # isolation_level=None: transactions are begun explicitly, so a migration and its
            # version bump are one transaction and nothing is committed behind our back.
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open the database {path}: {error}", path=path) from error
        connection.row_factory = sqlite3.Row
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
            problems = [row[0] for row in self._db.execute("PRAGMA quick_check")]
            tables = self._db.execute(
                "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"{self.path} is not a usable database ({error}); {_MOVE_ASIDE}", path=self.path
            ) from error
        if problems != ["ok"]:
            raise StoreError(
                f"{self.path} is damaged ({problems[0]}); {_MOVE_ASIDE}", path=self.path
            )
        if version > LATEST_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer chairctl (schema version {version}, this one "
                f"knows up to {LATEST_VERSION}); upgrade chairctl or use another --home",
                path=self.path,
            )
        if version == 0 and tables:
            raise StoreError(
                f"{self.path} is an SQLite database of another program; "
                "use another --home or move it aside",
                path=self.path,
            )

    def _configure(self) -> None:
        try:
            # Persistent in the file; a no-op once set. Foreign keys are per connection.
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot set up the database {self.path}: {error}", path=self.path
            ) from error

    def _migrate(self) -> None:
        with self.transaction():
            # Read again under the write lock: another process may have migrated meanwhile.
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for target, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in migration:
                    self._db.execute(statement)
                # PRAGMA takes no parameters; target is an int from enumerate.
                self._db.execute(f"PRAGMA user_version = {target:d}")

    def close(self) -> None:
        """Close the database; a session still running stays ``running`` until next open."""
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
        version: int = self._db.execute("PRAGMA user_version").fetchone()[0]
        return version

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at once (waiting for it if needed)."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise StoreError(f"cannot write to {self.path}: {error}", path=self.path) from error
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            self._db.execute("ROLLBACK")
            raise StoreError(f"cannot write to {self.path}: {error}", path=self.path) from error

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
        row = self._db.execute("SELECT document FROM profiles WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def profile_times(self, name: str) -> tuple[datetime, datetime] | None:
        """When the profile was created and last updated (UTC), or None."""
        row = self._db.execute(
            "SELECT created_at, updated_at FROM profiles WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            return None
        return datetime.fromisoformat(row[0]), datetime.fromisoformat(row[1])

    def profile_names(self) -> list[str]:
        """The names of every stored profile, sorted."""
        return [row[0] for row in self._db.execute("SELECT name FROM profiles ORDER BY name")]

    def remove_profile(self, name: str) -> bool:
        """Remove a profile; True when there was one. Sessions keep its name."""
        with self.transaction() as db:
            return db.execute("DELETE FROM profiles WHERE name = ?", (name,)).rowcount > 0

    # -- what the app remembers per profile ---------------------------------------------------

    def acknowledged(self, profile_name: str, notice: str) -> int | None:
        """The version of ``notice`` the profile acknowledged last, or None."""
        row = self._db.execute(
            "SELECT version FROM acknowledgements WHERE profile_name = ? AND notice = ?",
            (profile_name, notice),
        ).fetchone()
        return None if row is None else int(row[0])

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
        row = self._db.execute(
            "SELECT document FROM program_preferences WHERE profile_name = ? AND program_id = ?",
            (profile_name, program_id),
        ).fetchone()
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
        the engine listener that records the rest of it."""
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
        return SessionLog(self, cursor.lastrowid)

    def mark_interrupted(self) -> int:
        """Mark every ``running`` session whose process has gone as ``interrupted``; how many.

        Their end time and per-region figures stay unknown (NULL / absent): the process died
        before it could write them.
        """
        with self.transaction() as db:
            rows = db.execute(
                "SELECT id, pid, process FROM sessions WHERE outcome = 'running'"
            ).fetchall()
            gone = [(row[0],) for row in rows if not is_alive(row[1], row[2])]
            db.executemany(
                "UPDATE sessions SET outcome = 'interrupted', "
                "reason = 'the chairctl process ended before the session did' WHERE id = ?",
                gone,
            )
        return len(gone)

    def history(self, limit: int = 20) -> list[SessionRecord]:
        """The last ``limit`` sessions, newest first, with their regions and safety events."""
        rows = self._db.execute(
            "SELECT id, program_id, program_name, profile_name, chair, planned_s, started_at, "
            "ended_at, session_s, outcome, reason FROM sessions "
            "ORDER BY started_at DESC, id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [self._record(row) for row in rows]

    def sessions_of(self, profile_name: str, *, since: datetime) -> list[SessionRecord]:
        """The sessions of one profile that began or ended after ``since``, or still run,
        oldest first (without their regions and events)."""
        cutoff = since.astimezone(UTC)
        # A session that began up to a session cap earlier may have ended after ``since``,
        # though its end was never written (its process died).
        earliest = cutoff - timedelta(seconds=SESSION_CAP_S)
        rows = self._db.execute(
            "SELECT id, program_id, program_name, profile_name, chair, planned_s, started_at, "
            "ended_at, session_s, outcome, reason FROM sessions WHERE profile_name = ? AND "
            "(started_at >= ? OR ended_at >= ? OR outcome = 'running') "
            "ORDER BY started_at, id",
            (
                profile_name,
                earliest.isoformat(timespec="microseconds"),
                cutoff.isoformat(timespec="microseconds"),
            ),
        ).fetchall()
        return [self._record(row, details=False) for row in rows]

    def session(self, session_id: int) -> SessionRecord | None:
        """One session by its id, or None."""
        row = self._db.execute(
            "SELECT id, program_id, program_name, profile_name, chair, planned_s, started_at, "
            "ended_at, session_s, outcome, reason FROM sessions WHERE id = ?",
            (session_id,),
        ).fetchone()
        return None if row is None else self._record(row)

    def _record(self, row: sqlite3.Row, *, details: bool = True) -> SessionRecord:
        ident: int = row["id"]
        regions: list[sqlite3.Row] = []
        events: list[sqlite3.Row] = []
        if details:
            regions = self._db.execute(
                "SELECT region, seconds, mean_intensity FROM session_regions WHERE session_id = ?",
                (ident,),
            ).fetchall()
            regions.sort(key=lambda r: TRACK_ORDER.index(Region(r["region"])))
            events = self._db.execute(
                "SELECT at, kind, message FROM safety_events WHERE session_id = ? ORDER BY at, id",
                (ident,),
            ).fetchall()
        ended, seconds = row["ended_at"], row["session_s"]
        return SessionRecord(
            id=ident,
            program_id=row["program_id"],
            program_name=row["program_name"],
            profile_name=row["profile_name"],
            chair=row["chair"],
            planned_s=row["planned_s"],
            started_at=datetime.fromisoformat(row["started_at"]),
            ended_at=None if ended is None else datetime.fromisoformat(ended),
            session_s=seconds,
            outcome=None if row["outcome"] == "running" else Outcome(row["outcome"]),
            reason=row["reason"],
            minutes_per_region={Region(r["region"]): r["seconds"] / 60 for r in regions},
            mean_intensity_per_region={Region(r["region"]): r["mean_intensity"] for r in regions},
            safety_events=tuple(SafetyEvent(e["at"], e["kind"], e["message"]) for e in events),
        )
