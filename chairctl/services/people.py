"""The person in the chair: the local store of profiles, and one profile read from it.

Profiles live in the local store (``chairctl.store``), found in the given home folder, else
``$CHAIRCTL_HOME``, else the user data folder. A profile that no longer validates is refused
with what to do about it, never used as far as it goes.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from chairctl.safety.profile import Profile
from chairctl.store import Store, database_path
from chairctl.vocabulary import ChairctlError


class ProfileRefused(ChairctlError):
    """A person's health screening rules out massage (or this program) for now."""


def open_store(home: Path | None, *, create: bool = True) -> Store:
    """The local store in ``home`` (or the default place), created on first use (its folder
    too); a :class:`~chairctl.vocabulary.StoreError` saying what to do when it cannot be.

    ``create=False`` for a command that only reads: where nothing was ever saved it gets an
    empty store in memory, and no file or folder is made."""
    path = database_path(home)
    if not create and not path.exists():
        return Store.open(Path(":memory:"))
    return Store.open(path)


def load_profile(store: Store, name: str) -> Profile:
    """A saved profile by name; a clear error if there is none or it no longer validates."""
    document = store.get_profile(name)
    if document is None:
        known = ", ".join(store.profile_names()) or "none yet (chairctl profiles add)"
        raise ChairctlError(f"no profile '{name}'; profiles: {known}")
    try:
        return Profile.model_validate_json(document)
    except ValidationError as error:
        raise ChairctlError(
            f"profile '{name}' in {store.path} is not valid any more "
            f"({error.error_count()} problems); edit it with chairctl profiles edit {name}"
        ) from None
