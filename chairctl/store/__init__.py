"""The local store: profiles and the session log in one SQLite file (stdlib ``sqlite3``).

``Store.open(database_path(home))`` opens (creating and migrating) the database;
``store.begin_session(...)`` returns the :class:`SessionLog` to pass to ``Engine.listen``; its
writes go through a thread of their own, and ``await log.drain(clock)`` after the chair's
release says whether they all made it.
"""

from chairctl.store.allowance import SessionNotYet, check_allowance
from chairctl.store.paths import DATABASE_NAME, HOME_VARIABLE, database_path
from chairctl.store.schema import LATEST_VERSION, MIGRATIONS
from chairctl.store.sessions import (
    DRAIN_S,
    SafetyEvent,
    SessionHistory,
    SessionLog,
    SessionRecord,
    region_figures,
)
from chairctl.store.store import LOCK_WAIT_S, LOG_LOCK_WAIT_S, Store

__all__ = [
    "DATABASE_NAME",
    "DRAIN_S",
    "HOME_VARIABLE",
    "LATEST_VERSION",
    "LOCK_WAIT_S",
    "LOG_LOCK_WAIT_S",
    "MIGRATIONS",
    "SafetyEvent",
    "SessionHistory",
    "SessionLog",
    "SessionNotYet",
    "SessionRecord",
    "Store",
    "check_allowance",
    "database_path",
    "region_figures",
]
