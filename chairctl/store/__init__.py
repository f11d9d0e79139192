"""The local store: profiles and the session log in one SQLite file (stdlib ``sqlite3``).

``Store.open(database_path(home))`` opens (creating and migrating) the database;
``store.begin_session(...)`` returns the :class:`SessionLog` to pass to ``Engine.listen``.
"""

from chairctl.store.allowance import SessionNotYet, check_allowance
from chairctl.store.paths import DATABASE_NAME, HOME_VARIABLE, database_path
from chairctl.store.schema import LATEST_VERSION, MIGRATIONS
from chairctl.store.sessions import SafetyEvent, SessionLog, SessionRecord, region_figures
from chairctl.store.store import BUSY_TIMEOUT_S, Store

__all__ = [
    "BUSY_TIMEOUT_S",
    "DATABASE_NAME",
    "HOME_VARIABLE",
    "LATEST_VERSION",
    "MIGRATIONS",
    "SafetyEvent",
    "SessionLog",
    "SessionNotYet",
    "SessionRecord",
    "Store",
    "check_allowance",
    "database_path",
    "region_figures",
]
