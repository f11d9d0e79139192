"""Where the database file lives: an explicit folder, else ``$CHAIRCTL_HOME``, else the user
data directory of the platform."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

#: The environment variable naming the folder that holds chairctl's data.
HOME_VARIABLE = "CHAIRCTL_HOME"

#: The database's file name inside that folder.
DATABASE_NAME = "chairctl.sqlite3"


def database_path(home: Path | None = None) -> Path:
    """The database file: in ``home`` (the CLI's ``--home``), else ``$CHAIRCTL_HOME``, else
    the platform's user data directory. Nothing is created here; :meth:`Store.open` does."""
    if home is None:
        # An empty variable is how shells spell "unset" as often as not.
        variable = os.environ.get(HOME_VARIABLE, "").strip()
        home = Path(variable) if variable else platformdirs.user_data_path("chairctl")
    return home.expanduser() / DATABASE_NAME
