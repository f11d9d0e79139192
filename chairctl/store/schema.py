"""The database schema as a list of migrations, applied in order from an empty file.

``PRAGMA user_version`` holds how many migrations a database has had. Each migration is a
tuple of statements run inside one transaction together with the version bump, so a database
is always at exactly one version. Migrations are append-only: a released one never changes,
a change to the schema is a new one at the end.
"""

from __future__ import annotations

from typing import Final

Migration = tuple[str, ...]

_V1: Final[Migration] = (
    """
    CREATE TABLE profiles (
        name TEXT PRIMARY KEY,
        document TEXT NOT NULL CHECK (json_valid(document)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT
    """,
    # A session keeps its profile's name as text, not a foreign key: removing a profile must
    # not rewrite or lose the history of sessions that used it.
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        program_id TEXT NOT NULL,
        program_name TEXT NOT NULL,
        profile_name TEXT,
        chair TEXT NOT NULL,
        planned_s REAL NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        session_s REAL,
        outcome TEXT NOT NULL CHECK (
            outcome IN ('running', 'completed', 'stopped', 'fault', 'interrupted')
        ),
        reason TEXT,
        pid INTEGER NOT NULL,
        process TEXT NOT NULL
    ) STRICT
    """,
    "CREATE INDEX sessions_by_start ON sessions (started_at DESC, id DESC)",
    "CREATE INDEX sessions_running ON sessions (outcome) WHERE outcome = 'running'",
    """
    CREATE TABLE session_regions (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        region TEXT NOT NULL,
        seconds REAL NOT NULL,
        mean_intensity REAL NOT NULL,
        PRIMARY KEY (session_id, region)
    ) STRICT
    """,
    """
    CREATE TABLE safety_events (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        at REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('adjustment', 'fault')),
        message TEXT NOT NULL
    ) STRICT
    """,
    "CREATE INDEX safety_events_by_session ON safety_events (session_id, at)",
)

# What the app remembers for a profile: which safety notice the person acknowledged (by its
# version, so a changed notice is shown again), and the personalisation last chosen for each
# program. Both go with the profile when it is removed.
_V2: Final[Migration] = (
    """
    CREATE TABLE acknowledgements (
        profile_name TEXT NOT NULL REFERENCES profiles (name) ON DELETE CASCADE,
        notice TEXT NOT NULL,
        version INTEGER NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (profile_name, notice)
    ) STRICT
    """,
    """
    CREATE TABLE program_preferences (
        profile_name TEXT NOT NULL REFERENCES profiles (name) ON DELETE CASCADE,
        program_id TEXT NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document)),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (profile_name, program_id)
    ) STRICT
    """,
)

# A fault a chair latched and nobody cleared, per chair (its address as chairctl names it): a
# chair whose status cannot show a fault looks switched off afterwards, and the next
# process must not take it for a chair that is fine.
_V3: Final[Migration] = (
    """
    CREATE TABLE chair_faults (
        chair TEXT PRIMARY KEY,
        message TEXT NOT NULL,
        at TEXT NOT NULL
    ) STRICT
    """,
)

#: Every migration, in order; migration ``i`` takes a database from version ``i`` to ``i + 1``.
MIGRATIONS: Final[tuple[Migration, ...]] = (_V1, _V2, _V3)

#: The schema version this chairctl writes.
LATEST_VERSION: Final[int] = len(MIGRATIONS)
