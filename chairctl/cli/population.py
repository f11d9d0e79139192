"""The people ``chairctl check`` judges a program for: bodies, screening tiers, an exclusion and
live changes, alone or crossed.

A safety rule is not done until it holds for everyone the chair can seat, so a program is
checked over a population (DESIGN.md: "safe for every person, not the default one"):

- **body**: where the sitter's shoulder line really is: the lowest and the highest the model's
  body-scan window accepts, the model's average sitter, or any carriage position named;
- **tier**: who they are by their health answers: the program as written (no one in
  particular), a firm sitter (+2 on every step), a guest, a teenager, a person with cautions,
  one with clinician-cleared conditions, a pregnant one, and one the screening refuses;
- **exclusion**: a region an acute strain keeps the chair off (its airbags, and heat near it);
- **live**: what they do while it runs: nothing, "+" held to the top, a pause and a resume, or
  both.

:data:`CI_POPULATION` covers every dimension at its extremes in a few people; :func:`crossed`
builds any cross of the dimensions (the full sweep is all of them).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from chairctl.safety.profile import Condition, Profile
from chairctl.safety.screening import Screening, screen
from chairctl.vocabulary import Region
from drivers.models import ChairModel

BodyName = Literal["shortest", "default", "tallest"]
LiveName = Literal["none", "stronger", "pause", "stronger-pause"]

#: Every body, shortest first.
BODIES: Final[tuple[BodyName, ...]] = ("shortest", "default", "tallest")


def _profile(name: str, *, preferences: dict[str, Any] | None = None, **health: Any) -> Profile:
    return Profile.model_validate(
        {"name": name, **(preferences or {}), "health": {"first_use": False, **health}}
    )


#: Every screening tier, by name: the profile it stands for (None: the program as written).
TIERS: Final[dict[str, Callable[[], Profile | None]]] = {
    "as-written": lambda: None,
    "firm": lambda: _profile("a firm sitter", preferences={"intensity_offset": 2}, age=40),
    "guest": lambda: Profile.model_validate({"name": "a guest", "health": {}}),
    "teen": lambda: _profile("a 13-year-old", age=13),
    "cautions": lambda: _profile(
        "an 80-year-old with spinal osteoarthritis",
        age=80,
        conditions=[Condition.SPINAL_OSTEOARTHRITIS, Condition.DIABETES],
    ),
    "cleared": lambda: _profile(
        "an 82-year-old with cleared osteoporosis and blood thinners",
        preferences={"intensity_offset": 2},
        age=82,
        conditions=[Condition.OSTEOPOROSIS, Condition.ANTICOAGULANTS],
        clinician_cleared=[Condition.OSTEOPOROSIS, Condition.ANTICOAGULANTS],
    ),
    "pregnant": lambda: _profile(
        "a pregnant sitter, cleared",
        age=31,
        conditions=[Condition.PREGNANCY],
        clinician_cleared=[Condition.PREGNANCY],
    ),
    "refused": lambda: _profile(
        "a sitter with a herniated disc", age=50, conditions=[Condition.HERNIATED_DISC]
    ),
}

#: What each live script does, in words.
LIVE_WORDS: Final[dict[LiveName, str]] = {
    "none": "no live changes",
    "stronger": '"+" held to the top',
    "pause": "paused and resumed",
    "stronger-pause": '"+" held to the top, paused and resumed',
}

#: One live action: at what share of the plan (or seconds into it, when above 1), what to do.
LiveAction = tuple[float, Literal["+", "pause", "resume"]]

#: How long a scripted pause lasts, in seconds of the chair's clock: long enough for the chair
#: to stop its rollers and vent its airbags.
PAUSE_S: Final = 45.0

#: Each live script as its actions: "+" pressed over and over early (in the gentle start) and
#: again mid-session; a pause long enough for the chair to stop and settle.
LIVE: Final[dict[LiveName, tuple[LiveAction, ...]]] = {
    "none": (),
    "stronger": (*((15.0, "+") for _ in range(6)), *((0.35, "+") for _ in range(6))),
    "pause": ((0.3, "pause"), (0.3, "resume")),
    "stronger-pause": (
        *((15.0, "+") for _ in range(6)),
        (0.4, "pause"),
        (0.4, "resume"),
        *((0.4, "+") for _ in range(2)),
    ),
}

#: The regions an exclusion may name, with "none" for no exclusion.
EXCLUSIONS: Final[tuple[Region | None, ...]] = (None, *Region)


@dataclass(frozen=True)
class Person:
    """One sitter of a population."""

    #: A body by name, or a shoulder line in carriage positions.
    body: BodyName | float = "default"
    tier: str = "as-written"
    exclusion: Region | None = None
    live: LiveName = "none"

    @property
    def label(self) -> str:
        """The person in a few words, for reports: "shortest body · firm · + to the top"."""
        body = f"shoulder line {self.body:g}" if isinstance(self.body, float) else self.body
        parts = [f"{body} body", self.tier]
        if self.exclusion is not None:
            parts.append(f"keeps off {self.exclusion.replace('_', ' ')}")
        if self.live != "none":
            parts.append(LIVE_WORDS[self.live])
        return " · ".join(parts)

    @property
    def as_written(self) -> bool:
        """True for the default sitter of the program as written, with no changes."""
        return self == Person()

    def shoulder(self, model: ChairModel) -> float:
        """Where this sitter's shoulder line really is on ``model``'s track."""
        if isinstance(self.body, float):
            return self.body
        low, high = model.shoulder_window
        return {
            "shortest": low,
            "default": float(model.mechanics.default_shoulder_position),
            "tallest": high,
        }[self.body]

    def profile(self) -> Profile | None:
        """The profile of this person (None: the program as written, no one in particular)."""
        base = TIERS[self.tier]()
        if self.exclusion is None:
            return base
        base = base or _profile("a sitter", age=40)
        health = base.health.model_dump()
        conditions = {*health["conditions"], Condition.ACUTE_STRAIN}
        sites = {**health["affected_regions"], Condition.ACUTE_STRAIN: {self.exclusion}}
        return base.model_copy(
            update={
                "health": base.health.model_validate(
                    {**health, "conditions": conditions, "affected_regions": sites}
                )
            }
        )

    def screening(self) -> Screening | None:
        """This person's screening (None: as written)."""
        profile = self.profile()
        return None if profile is None else screen(profile)

    def actions(self, plan_s: float) -> list[tuple[float, str]]:
        """The live script as (session seconds, action), in order."""
        return [
            (at if at > 1 else at * plan_s, action)
            for at, action in LIVE[self.live]
            if (at if at > 1 else at * plan_s) < plan_s
        ]


#: A population covering every dimension at its extremes: the shortest and the tallest body,
#: the firmest sitter and the most fragile, a guest, a teenager, a pregnant sitter and one
#: refused, an exclusion at the bottom and at the top of the back, and every live script.
CI_POPULATION: Final[tuple[Person, ...]] = (
    Person(),
    Person("shortest", "firm", None, "stronger-pause"),
    Person("tallest", "firm", None, "stronger"),
    Person("shortest", "cleared", Region.LOWER_BACK, "stronger"),
    Person("tallest", "guest", Region.SHOULDERS, "pause"),
    Person("default", "pregnant", Region.SACRUM_GLUTES, "stronger-pause"),
    Person("shortest", "teen", None, "stronger"),
    Person("default", "cautions", Region.MID_BACK, "stronger"),
    Person("default", "refused"),
)


def crossed(
    bodies: Iterable[BodyName | float] = ("default",),
    tiers: Iterable[str] = ("as-written",),
    exclusions: Iterable[Region | None] = (None,),
    lives: Iterable[LiveName] = ("none",),
) -> list[Person]:
    """Every person of the cross of the dimensions given."""
    return [
        Person(body, tier, exclusion, live)
        for body, tier, exclusion, live in itertools.product(bodies, tiers, exclusions, lives)
    ]


def full_population() -> list[Person]:
    """The full sweep: every body, tier, exclusion and live script, crossed."""
    return crossed(BODIES, TIERS, EXCLUSIONS, LIVE)


def names(values: Sequence[str], known: Iterable[str], what: str) -> list[str]:
    """Comma-separated command-line values checked against the known ones."""
    allowed = list(known)
    chosen = [v.strip() for value in values for v in value.split(",") if v.strip()]
    for value in chosen:
        if value not in allowed:
            raise ValueError(f"unknown {what} '{value}'; known: {', '.join(allowed)}")
    return chosen
