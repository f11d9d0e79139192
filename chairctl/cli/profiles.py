"""``chairctl profiles``: the people who use the chair, with their health screening.

``add`` and ``edit`` ask the screening questions of docs/safety.md ("Health screening") one by
one, or take a JSON profile document (``--from-json``) for scripts. Every profile is validated
by the :class:`~chairctl.safety.profile.Profile` model before it is saved, and what its answers
mean (refused, or allowed with caps) is shown at once, so nobody learns it only at the chair.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final, TypeVar

import click
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from rich.text import Text

from chairctl.cli.people import home_option
from chairctl.safety.profile import Condition, HealthScreening, Profile
from chairctl.safety.screening import (
    CONDITION_RULES,
    DISCLAIMER,
    Caps,
    Screening,
    Tier,
    screen,
)
from chairctl.services.people import load_profile, open_store
from chairctl.services.questionnaire import QUESTIONS
from chairctl.services.safetext import plain
from chairctl.store import Store
from chairctl.vocabulary import MAX_INTENSITY, MIN_INTENSITY, ChairctlError, Region
from chairctl.vocabulary.files import FileRefused, read_regular_file
from chairctl.vocabulary.text import describe_char, first_control, printable
from chairctl.yamlsource import field_problems

F = TypeVar("F", bound=Callable[..., object])

#: Width used when the output is not a terminal (a pipe, a file, a test).
PLAIN_WIDTH = 100
#: A profile document is a few hundred bytes; anything far larger is not one.
MAX_PROFILE_BYTES = 64 * 1024

_REGION_WORDS: Final = ", ".join(r.label for r in Region)
_NONE_WORDS: Final = frozenset({"", "none", "no", "not sure", "unsure", "-"})


class RegionsType(click.ParamType[frozenset[Region]]):
    """A comma-separated list of back regions, as people type them ("lower back, neck")."""

    name = "regions"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> frozenset[Region]:
        if isinstance(value, frozenset):
            return value
        regions: set[Region] = set()
        for word in str(value).split(","):
            # Accept the spellings people use: spaces, hyphens and "sacrum/glutes" alike.
            key = "_".join(word.strip().lower().replace("-", " ").replace("/", " ").split())
            if key in {"none", "no", "not_sure", "unsure", ""}:
                continue
            if key in {"sacrum", "glutes", "buttocks"}:
                key = Region.SACRUM_GLUTES.value
            try:
                regions.add(Region(key))
            except ValueError:
                self.fail(f"'{word.strip()}' is not a region; choose from {_REGION_WORDS}")
        return frozenset(regions)


class MinutesType(click.ParamType[int | None]):
    """Minutes 5..30, or "none" for sessions as written."""

    name = "minutes"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int | None:
        if value is None or isinstance(value, int):
            return value
        text = str(value).strip().lower()
        if text in _NONE_WORDS:
            return None
        try:
            minutes = int(text)
        except ValueError:
            self.fail(f"'{value}' is not a number of minutes (5 to 30, or none)")
        if not 5 <= minutes <= 30:  # the Profile model's bounds
            self.fail("choose 5 to 30 minutes, or none")
        return minutes


def _regions_text(regions: Iterable[Region]) -> str:
    return ", ".join(r.label for r in sorted(regions)) or "none"


def _console() -> Console:
    probe = Console()
    width = min(probe.width, 140) if probe.is_terminal else PLAIN_WIDTH
    return Console(highlight=False, soft_wrap=False, width=width)


# -- reading profiles -------------------------------------------------------------------------


def _check_name(name: str) -> None:
    # Checked before any question is asked, so nobody answers thirty questions for nothing.
    if not name.strip():
        raise ChairctlError("a profile needs a name that is not blank")
    if (char := first_control(name)) is not None:
        raise ChairctlError(
            f"the name '{printable(name)}' holds the control character {describe_char(char)}; "
            "a name is plain text on one line"
        )
    if len(name) > 80:  # the Profile model's bound
        raise ChairctlError(f"the name '{name[:20]}...' is too long (at most 80 characters)")


def _validated(data: object, source: str) -> Profile:
    """``data`` as a Profile; every problem on its own line, then exit 1, on failure."""
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        for problem in field_problems(error):
            click.echo(f"chairctl: {source}: {problem}", err=True)
        click.echo(f"chairctl: {source}: not a valid profile; nothing saved", err=True)
        sys.exit(1)


def _from_json(path: str, name: str) -> Profile:
    """The profile document in ``path`` (``-``: stdin), named ``name`` whatever it says."""
    source = "stdin" if path == "-" else printable(path)
    try:
        if path == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            raw = (
                stdin.read(MAX_PROFILE_BYTES + 1)
                if stdin is not None
                else sys.stdin.read(MAX_PROFILE_BYTES + 1).encode("utf-8")
            )
            if len(raw) > MAX_PROFILE_BYTES:
                raise FileRefused(f"a profile document may be at most {MAX_PROFILE_BYTES} bytes")
        else:
            raw = read_regular_file(Path(path), max_bytes=MAX_PROFILE_BYTES, what="profile file")
        text = raw.decode("utf-8")
    except FileRefused as error:
        raise ChairctlError(f"{source}: {error}") from None
    except UnicodeDecodeError:
        # Never quoted: the path may lead to any file.
        raise ChairctlError(f"{source} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ChairctlError(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(data, dict):
        raise ChairctlError(f"{source} must hold one JSON object (a profile)")
    # The command's NAME is the profile's key in the store; the document cannot contradict it.
    data["name"] = name
    return _validated(data, source)


def _require(store: Store, name: str) -> str:
    document = store.get_profile(name)
    if document is None:
        known = ", ".join(store.profile_names()) or "none yet (chairctl profiles add NAME)"
        raise ChairctlError(printable(f"no profile '{name}'; profiles: {known}"))
    return document


# -- asking the questions ---------------------------------------------------------------------


def _ask(name: str, current: Profile | None) -> Profile:
    """Ask the screening questions and preferences; ``current`` gives the defaults."""
    health = current.health if current else None
    click.echo(
        "A few health questions decide what the chair may do. Answer for the person who will "
        "sit in it; if unsure, answer yes."
    )
    age = click.prompt(
        "Age in years",
        type=click.IntRange(0, 130),
        default=health.age if health else None,
    )
    conditions: set[Condition] = set()
    cleared: set[Condition] = set()
    regions: dict[Condition, frozenset[Region]] = {}
    for heading, questions in QUESTIONS:
        click.echo(f"\n{heading}")
        for condition, question in questions:
            had = health is not None and condition in health.conditions
            if not click.confirm(question, default=had):
                continue
            conditions.add(condition)
            rule = CONDITION_RULES[condition]
            if rule.local:
                before = health.affected_regions.get(condition, frozenset()) if health else None
                regions[condition] = click.prompt(
                    f"  Which parts of your back does it concern ({_REGION_WORDS}; "
                    "none if you are not sure)",
                    type=RegionsType(),
                    default=_regions_text(before or ()),
                )
                if not regions[condition]:
                    # Without a site, screening refuses the whole session; an empty entry
                    # would only be noise in the document.
                    del regions[condition]
            if rule.tier is Tier.CLINICIAN_CLEARED and click.confirm(
                "  Has a doctor cleared you for massage with it?",
                default=health is not None and condition in health.clinician_cleared,
            ):
                cleared.add(condition)
    click.echo("\nUsing the chair")
    first_use = click.confirm(
        "Is this your first time using a massage chair (or has one given you trouble)?",
        default=health.first_use if health else True,
    )
    offset = click.prompt(
        "Make every massage stronger or gentler by (-2 to 2)",
        type=click.IntRange(-2, 2),
        default=current.intensity_offset if current else 0,
    )
    max_intensity = click.prompt(
        f"Strongest intensity you want ({MIN_INTENSITY} to {MAX_INTENSITY})",
        type=click.IntRange(MIN_INTENSITY, MAX_INTENSITY),
        default=current.max_intensity if current else MAX_INTENSITY,
    )
    skip = click.prompt(
        f"Parts of your back to leave alone ({_REGION_WORDS}, or none)",
        type=RegionsType(),
        default=_regions_text(current.skip_regions if current else ()),
    )
    heat = click.confirm("Do you want heat?", default=current.heat_allowed if current else True)
    before_minutes = current.preferred_minutes if current else None
    minutes = click.prompt(
        "Longest session you want, in minutes (5 to 30, or none)",
        type=MinutesType(),
        default="none" if before_minutes is None else str(before_minutes),
    )
    data: dict[str, Any] = {
        # Not asked: the body scan and the focus come from other commands; keep what they set.
        **(current.model_dump(mode="json") if current else {}),
        "name": name,
        "intensity_offset": offset,
        "max_intensity": max_intensity,
        "skip_regions": sorted(skip),
        "heat_allowed": heat,
        "preferred_minutes": minutes,
        "health": HealthScreening(
            age=age,
            conditions=frozenset(conditions),
            first_use=first_use,
            clinician_cleared=frozenset(cleared),
            affected_regions=regions,
        ).model_dump(mode="json"),
    }
    return _validated(data, "answers")


# -- showing screenings -----------------------------------------------------------------------


def _caps_json(caps: Caps) -> dict[str, Any]:
    return {
        "max_intensity": caps.max_intensity,
        "percussion_allowed": caps.percussion_allowed,
        "heat_allowed": caps.heat_allowed,
        "stretch_allowed": caps.stretch_allowed,
        "recline_allowed": caps.recline_allowed,
        "max_airbag": caps.max_airbag,
        "skip_regions": sorted(caps.skip_regions),
        "airbags_off": sorted(caps.airbags_off),
        "max_minutes": caps.max_minutes,
    }


def _screening_json(screening: Screening) -> dict[str, Any]:
    return {
        "allowed": screening.allowed,
        "blocked": list(screening.blocked),
        "caps": None if screening.blocked else _caps_json(screening.caps),
        "caps_text": None if screening.blocked else screening.caps.describe(),
        "notices": [n for n in screening.notices if n != DISCLAIMER],
        "disclaimer": DISCLAIMER,
    }


def _print_screening(console: Console, screening: Screening) -> None:
    out = Text()
    if screening.blocked:
        out.append("Refused: ", style="bold red").append(
            "the chair will not run a session for this profile for now.\n"
        )
        for reason in screening.blocked:
            out.append("  • ", style="red").append(f"{reason}\n")
    else:
        said = screening.caps.describe()
        out.append("Allowed", style="bold green").append(
            f" with these limits: {said}.\n" if said else " with no limits.\n"
        )
        for notice in screening.notices:
            if notice != DISCLAIMER:
                out.append("  • ", style="yellow").append(f"{notice}\n")
    out.append(DISCLAIMER, style="italic")
    console.print(out)


# -- the commands -----------------------------------------------------------------------------


def _home(home: Path | None) -> Path | None:
    # A subcommand's --home wins; else the one given to the group (chairctl profiles --home).
    if home is not None:
        return home
    parent: object = click.get_current_context().obj
    return parent if isinstance(parent, Path) else None


@click.group(invoke_without_command=True)
@home_option
@click.pass_context
def profiles(ctx: click.Context, home: Path | None) -> None:
    """The people who use the chair: their preferences and health screening.

    Plain ``chairctl profiles`` lists them.
    """
    ctx.obj = home
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_profiles, home=home)


def _json_option(command: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="One JSON document for machines.")(
        command
    )


@profiles.command("list")
@home_option
@_json_option
def list_profiles(home: Path | None = None, as_json: bool = False) -> None:
    """List the profiles: age, conditions, whether allowed, and caps in short."""
    rows: list[dict[str, Any]] = []
    with open_store(_home(home), create=False) as store:
        for name in store.profile_names():
            try:
                profile = load_profile(store, name)
            except ChairctlError as error:
                # One broken document must not hide the others; it is listed as broken.
                rows.append({"name": name, "valid": False, "problem": str(error)})
                continue
            screening = screen(profile)
            rows.append(
                {
                    "name": name,
                    "valid": True,
                    "age": profile.health.age,
                    "conditions": sorted(profile.health.conditions),
                    "allowed": screening.allowed,
                    "caps": None if screening.blocked else _caps_json(screening.caps),
                    "caps_short": None
                    if screening.blocked
                    else (screening.caps.describe(short=True) or "none"),
                }
            )
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    console = _console()
    if not rows:
        console.print("No profiles yet; chairctl profiles add NAME makes one.")
        return
    table = Table(title="Profiles", title_justify="left")
    table.add_column("name", style="bold cyan")
    table.add_column("age", justify="right")
    table.add_column("conditions")
    table.add_column("allowed")
    table.add_column("caps")
    for row in rows:
        if not row["valid"]:
            table.add_row(
                plain(row["name"]), "", "", Text("invalid", style="red"), plain(row["problem"])
            )
            continue
        table.add_row(
            plain(row["name"]),
            "—" if row["age"] is None else str(row["age"]),
            ", ".join(row["conditions"]) or "—",
            Text("yes", style="green") if row["allowed"] else Text("refused", style="red"),
            row["caps_short"] or "—",
        )
    console.print(table)
    console.print("[dim]chairctl profiles show NAME explains a screening.[/]")


def _save(home: Path | None, name: str, profile: Profile, *, replacing: bool) -> None:
    with open_store(home) as store:
        if not replacing and store.get_profile(name) is not None:
            raise ChairctlError(f"a profile '{name}' exists already; add --replace to replace it")
        store.put_profile(name, profile.model_dump_json())
    console = _console()
    console.print(plain(f"\nSaved the profile '{name}'.", style="bold", newlines=True))
    _print_screening(console, screen(profile))


_FROM_JSON = click.option(
    "--from-json",
    "from_json",
    metavar="FILE",
    help="Take a JSON profile document instead of asking (- reads stdin); NAME overrides its name.",
)

_REMOTE_START = click.option(
    "--remote-start/--no-remote-start",
    "remote_start",
    default=None,
    help="Whether this person's sessions may be started from the home network (Home "
    "Assistant, chairctl bridge); off unless turned on. A stop is always allowed from there.",
)


def _with_remote_start(profile: Profile, remote_start: bool | None) -> Profile:
    """``profile`` with the --remote-start choice, when one was given."""
    if remote_start is None:
        return profile
    return _validated({**profile.model_dump(mode="json"), "remote_start": remote_start}, "options")


@profiles.command("add")
@click.argument("name")
@home_option
@_FROM_JSON
@click.option("--replace", is_flag=True, help="Replace a profile of the same name.")
@_REMOTE_START
def add(
    name: str,
    home: Path | None,
    from_json: str | None,
    replace: bool,
    remote_start: bool | None,
) -> None:
    """Add a profile: ask the health questions and preferences, or read --from-json."""
    _check_name(name)
    home = _home(home)
    with open_store(home) as store:
        # Refused before the questions, so nobody answers them for nothing.
        if not replace and store.get_profile(name) is not None:
            raise ChairctlError(f"a profile '{name}' exists already; add --replace to replace it")
    profile = _from_json(from_json, name) if from_json else _ask(name, None)
    _save(home, name, _with_remote_start(profile, remote_start), replacing=replace)


@profiles.command("edit")
@click.argument("name")
@home_option
@_FROM_JSON
@_REMOTE_START
def edit(name: str, home: Path | None, from_json: str | None, remote_start: bool | None) -> None:
    """Change a profile: ask again with its answers as defaults, or replace it --from-json.

    --remote-start or --no-remote-start alone changes only that, without asking.
    """
    home = _home(home)
    with open_store(home) as store:
        _require(store, name)
        if remote_start is not None and not from_json:
            # One switch turned: the health answers stay as they are, and are not asked again
            # (a profile that no longer validates is refused here, as everywhere).
            current = load_profile(store, name)
            _save(home, name, _with_remote_start(current, remote_start), replacing=True)
            return
        try:
            current_or_none: Profile | None = load_profile(store, name)
        except ChairctlError as error:
            # An invalid document cannot give defaults, but must stay editable.
            click.echo(printable(f"chairctl: {error}; asking afresh"), err=True)
            current_or_none = None
    profile = _from_json(from_json, name) if from_json else _ask(name, current_or_none)
    _save(home, name, _with_remote_start(profile, remote_start), replacing=True)


@profiles.command("show")
@click.argument("name")
@home_option
@_json_option
def show_profile(name: str, home: Path | None, as_json: bool) -> None:
    """Show a profile and its screening: the caps in plain words, or why it is refused."""
    with open_store(_home(home), create=False) as store:
        _require(store, name)
        profile = load_profile(store, name)
        times = store.profile_times(name)
    screening = screen(profile)
    if as_json:
        document = {
            "profile": profile.model_dump(mode="json"),
            "created_at": times[0].isoformat() if times else None,
            "updated_at": times[1].isoformat() if times else None,
            "screening": _screening_json(screening),
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    health = profile.health
    facts = [
        ("age", "not given" if health.age is None else str(health.age)),
        ("conditions", ", ".join(sorted(health.conditions)) or "none"),
        ("cleared", ", ".join(sorted(health.clinician_cleared)) or "none"),
        *(
            (f"{condition} at", _regions_text(sites))
            for condition, sites in sorted(health.affected_regions.items())
        ),
        ("first use", "yes" if health.first_use else "no"),
        ("intensity", f"offset {profile.intensity_offset:+d}, at most {profile.max_intensity}"),
        ("skip", _regions_text(profile.skip_regions)),
        ("heat", "yes" if profile.heat_allowed else "no"),
        (
            "minutes",
            "as written" if profile.preferred_minutes is None else str(profile.preferred_minutes),
        ),
        (
            "shoulders",
            "not scanned" if profile.shoulder_position is None else f"{profile.shoulder_position}",
        ),
        ("focus", "none" if profile.focus_region is None else profile.focus_region.value),
        (
            "start from network",
            "allowed (Home Assistant, the bridge)" if profile.remote_start else "no",
        ),
    ]
    out = Text()
    out.append(plain(profile.name, style="bold cyan")).append("\n")
    for label, value in facts:
        out.append(f"{label:>22}  ", style="dim").append(f"{value}\n")
    console = _console()
    console.print(out)
    _print_screening(console, screening)


@profiles.command("remove")
@click.argument("name")
@home_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove(name: str, home: Path | None, yes: bool) -> None:
    """Remove a profile; sessions in the history keep its name."""
    with open_store(_home(home), create=False) as store:
        _require(store, name)
        if not yes and not click.confirm(
            f"Remove the profile '{printable(name)}'? Sessions in the history keep the name"
        ):
            click.echo(f"kept the profile '{printable(name)}'", err=True)
            sys.exit(1)
        store.remove_profile(name)
    click.echo(f"Removed the profile '{printable(name)}'.")
