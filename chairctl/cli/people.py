"""The person in the chair, from the command line: ``--home``, ``--profile`` and ``--guest``.

Profiles are found in ``--home`` (:mod:`chairctl.services.people`). A profile is screened
before anything uses it, so every command that takes ``--profile`` compiles with that person's
caps and refuses, in plain words, what their health answers rule out. ``--guest`` is someone
without a profile: on a terminal they are asked the few questions that rule massage out, and
whatever they answer they get a guest's limits, the strictest there are.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from chairctl.plan import AS_WRITTEN, Personalisation
from chairctl.safety.profile import Profile, guest_profile
from chairctl.safety.screening import GUEST_BLOCK_QUESTIONS, Screening, screen, screen_guest
from chairctl.services.people import ProfileRefused, load_profile, open_store
from chairctl.vocabulary import Condition

F = TypeVar("F", bound=Callable[..., object])


def home_option(command: F) -> F:
    """Add ``--home`` to a command."""
    return click.option(
        "--home",
        type=click.Path(path_type=Path, file_okay=False),
        help="Folder of the local database (default: $CHAIRCTL_HOME or the user data folder).",
    )(command)


def profile_option(command: F) -> F:
    """Add ``--profile`` (and ``--home``) to a command."""
    command = click.option(
        "--profile", "profile_name", metavar="NAME", help="Whose session: a saved profile."
    )(command)
    return home_option(command)


def guest_option(command: F) -> F:
    """Add ``--guest`` to a command that takes ``--profile``."""
    return click.option(
        "--guest",
        is_flag=True,
        help="Someone without a profile: a few questions (on a terminal), then the strictest "
        "limits (intensity 2, no percussion, no heat, no recline).",
    )(command)


def screen_guest_here() -> tuple[Profile, Screening]:
    """A guest, screened: on a terminal asked the few questions that rule massage out (any
    yes refuses); off a terminal not asked, and told so. Either way a guest's caps."""
    answers: dict[Condition, bool] | None = None
    # Asked on stderr: with --json piped on, the person at the keyboard is still asked.
    if sys.stdin.isatty():
        click.echo("A few questions for a guest (a yes means no massage today):", err=True)
        answers = {
            question.condition: click.confirm(question.text, default=False, err=True)
            for question in GUEST_BLOCK_QUESTIONS
        }
    return guest_profile(), screen_guest(answers)


def personalisation_for(
    home: Path | None, name: str | None, *, guest: bool = False
) -> tuple[Personalisation, Profile | None, Screening | None]:
    """The compiler's input for ``--profile NAME`` or ``--guest``: as written with neither.

    Raises :class:`ProfileRefused` with the screening's reasons when the profile (or the
    guest's answers) rules out massage for now.
    """
    if guest and name is not None:
        raise click.UsageError("--profile and --guest: give one of them, not both")
    if guest:
        profile, screening = screen_guest_here()
    elif name is None:
        return AS_WRITTEN, None, None
    else:
        with open_store(home, create=False) as store:
            profile = load_profile(store, name)
        screening = screen(profile)
    if screening.blocked:
        raise ProfileRefused("\n".join(screening.blocked))
    return screening.personalisation(), profile, screening
