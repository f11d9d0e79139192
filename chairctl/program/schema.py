"""Program format v1: the pydantic model of a massage program file.

Every field has a description (it becomes the editor help of the JSON Schema). A step leaves a
field unset (None) when the program's ``defaults`` or the format's defaults should apply;
:meth:`Program.effective_steps` resolves them. Validation here is per field; the rules that
need the whole file (the id matches the file name, the neck rules, the total length) live in
:mod:`chairctl.program.rules`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Strict,
    Tag,
    field_validator,
)

from chairctl.program.duration import Duration
from chairctl.vocabulary import (
    DEFAULT_INTENSITY,
    DEFAULT_SPEED,
    AirbagLevel,
    AirbagZone,
    Condition,
    Heater,
    HeatLevel,
    Intensity,
    Posture,
    Region,
    Speed,
    Technique,
    Width,
    are_adjacent_span,
    ordered_span,
)
from chairctl.vocabulary.text import BlockText, LineText

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: The file stem of a source article in docs/sources/, e.g. ``002_253ed8f6e07571f1``.
ARTICLE = r"^[0-9]{3}_[0-9a-f]{16}$"
FORMAT_VERSION = 1


class Category(StrEnum):
    """What kind of program it is, for browsing the library."""

    BACK_PAIN = "back-pain"
    NECK_SHOULDERS = "neck-shoulders"
    RELAXATION = "relaxation"
    RECOVERY = "recovery"
    SLEEP = "sleep"
    MOBILITY = "mobility"
    GENTLE = "gentle"


class Goal(StrEnum):
    """What a program aims to help with."""

    TENSION = "tension"
    CIRCULATION = "circulation"
    MOBILITY = "mobility"
    SLEEP = "sleep"
    MOOD = "mood"
    PAIN_RELIEF = "pain-relief"


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=False, allow_inf_nan=False
    )


class Source(_Model):
    """A passage of a source article that a program's claims rest on."""

    article: str = Field(
        pattern=ARTICLE,
        description="The article's file stem in docs/sources/, e.g. 002_253ed8f6e07571f1.",
    )
    # Short on purpose: a quote is one or two sentences that a reader can find in the article.
    quote: LineText = Field(
        min_length=1,
        max_length=400,
        description="A verbatim passage of the article, one or two sentences.",
    )


class Ramp(_Model):
    """An intensity that climbs (or falls) one level at a time over the step."""

    start: Intensity = Field(alias="from", description="Intensity at the start of the step.")
    end: Intensity = Field(alias="to", description="Intensity at the end of the step.")

    @property
    def levels(self) -> list[int]:
        """Every level the ramp passes through, in order."""
        step = 1 if self.end >= self.start else -1
        return list(range(self.start, self.end + step, step))

    @property
    def highest(self) -> int:
        """The strongest level of the ramp."""
        return max(self.start, self.end)


IntensitySetting = Annotated[
    Intensity | Ramp,
    Field(description="Roller intensity 1 (gentlest) to 5, or a ramp {from: 1, to: 3}."),
]

FootRollers = Literal["off", 1, 2, 3]

RegionSetting = Annotated[
    Region | list[Region],
    Field(
        description=(
            "The roller region, or a list of adjacent regions meaning the span between them "
            "(neck, shoulders, upper_back, mid_back, lower_back, sacrum_glutes)."
        )
    ),
]


def _check_span(value: Region | list[Region] | None) -> Region | list[Region] | None:
    if isinstance(value, list):
        if not value:
            raise ValueError("a region list needs at least one region")
        if len(set(value)) != len(value):
            raise ValueError("a region is listed twice")
        if not are_adjacent_span(value):
            order = " > ".join(ordered_span(value))
            raise ValueError(
                f"the regions of a span must be adjacent on the track ({order} has a gap); "
                "use separate steps for separate regions"
            )
    return value


class StepSettings(_Model):
    """The fields a step may set; every one may also be given once in ``defaults``."""

    duration: Duration | None = Field(None, description="How long the step lasts.")
    technique: Technique | None = Field(
        None,
        description=(
            "What the rollers do: knead, tap, knock, knead_knock, shiatsu, roll, swedish, "
            "stretch, or none (airbags, heat and foot rollers only)."
        ),
    )
    region: RegionSetting | None = Field(
        None,
        description="Where the rollers work; required unless the technique is stretch or none.",
    )
    intensity: IntensitySetting | None = Field(
        None, description=f"Roller intensity 1..5 or a ramp; default {DEFAULT_INTENSITY}."
    )
    speed: Speed | None = Field(None, description=f"Roller speed 1..5; default {DEFAULT_SPEED}.")
    width: Width | None = Field(None, description="Kneading width; default medium.")
    airbags: dict[AirbagZone, AirbagLevel] | None = Field(
        None, description="Airbag level 0..5 per zone; zones not named are off."
    )
    heat: dict[Heater, HeatLevel] | None = Field(
        None, description="Heat per heater (lumbar, seat, calves): off, low, medium, high."
    )
    foot_rollers: FootRollers | None = Field(
        None, description="Foot-roller speed 1..3, or off (the default)."
    )
    posture: Posture | None = Field(
        None, description="upright (default), recline, zero_g_1 or zero_g_2."
    )

    @field_validator("region")
    @classmethod
    def _adjacent(cls, value: Region | list[Region] | None) -> Region | list[Region] | None:
        return _check_span(value)


class Step(StepSettings):
    """One stretch of time with one setting of the chair."""

    name: LineText = Field(min_length=1, max_length=80, description="What the step does, in words.")
    _line: int = PrivateAttr(default=0)

    @property
    def line(self) -> int:
        """The line of the program file the step starts on (0 when not from a file)."""
        return self._line


class Repeat(_Model):
    """Steps run ``repeat`` times over."""

    repeat: Annotated[int, Strict()] = Field(ge=1, le=50, description="How many times, 1..50.")
    name: LineText | None = Field(None, max_length=80, description="Optional name of the block.")
    steps: list[StepOrRepeat] = Field(min_length=1, description="The steps to repeat.")
    _line: int = PrivateAttr(default=0)

    @property
    def line(self) -> int:
        """The line of the program file the block starts on."""
        return self._line


def _step_kind(value: Any) -> str:
    if isinstance(value, dict) and "repeat" in value:
        return "repeat"
    if isinstance(value, Repeat):
        return "repeat"
    return "step"


StepOrRepeat = Annotated[
    Annotated[Step, Tag("step")] | Annotated[Repeat, Tag("repeat")],
    Discriminator(_step_kind),
]
Repeat.model_rebuild()


class Defaults(StepSettings):
    """Values for every step that does not set them itself."""


@dataclass(frozen=True)
class EffectiveStep:
    """A step with every field resolved: its own value, else ``defaults``, else the format's."""

    name: str
    line: int
    duration_s: int
    technique: Technique
    regions: tuple[Region, ...]
    intensity: int | Ramp
    speed: int
    width: Width
    airbags: dict[AirbagZone, int]
    heat: dict[Heater, HeatLevel]
    foot_rollers: int
    posture: Posture

    @property
    def highest_intensity(self) -> int:
        """The strongest intensity the step reaches."""
        return self.intensity.highest if isinstance(self.intensity, Ramp) else self.intensity

    @property
    def levels(self) -> list[int]:
        """The intensity levels the step passes through."""
        return self.intensity.levels if isinstance(self.intensity, Ramp) else [self.intensity]


class Program(_Model):
    """A massage program file, format 1."""

    format: Literal[1] = Field(description="Version of the program format; always 1.")
    id: str = Field(
        pattern=KEBAB, max_length=64, description="Kebab-case id; equals the file name."
    )
    name: LineText = Field(min_length=1, max_length=80, description="Display name.")
    summary: BlockText = Field(
        min_length=1, max_length=100, description="One line, at most 100 characters."
    )
    description: BlockText = Field(min_length=1, description="What the program does and for whom.")
    category: Category = Field(description="Library category.")
    goals: list[Goal] = Field(min_length=1, description="What it aims to help with.")
    for_conditions: list[Annotated[str, Field(pattern=KEBAB)]] = Field(
        default_factory=list,
        description="Kebab-case ids of conditions it is written for, e.g. muscle-strain.",
    )
    cautions: list[Annotated[BlockText, Field(min_length=1)]] = Field(
        default_factory=list, description="Shown to the user before the program starts."
    )
    evidence: BlockText | None = Field(
        None, description="A note in plain words on what the sources say, citing them."
    )
    sources: list[Source] = Field(
        default_factory=list,
        description="The passages of the source articles the program's claims rest on.",
    )
    contraindications: list[Condition] = Field(
        default_factory=list,
        description=(
            "Screening answers (condition ids) for which the program is not for that person, "
            "e.g. deep-vein-thrombosis."
        ),
    )
    defaults: Defaults | None = Field(None, description="Values for steps that omit them.")
    steps: list[StepOrRepeat] = Field(min_length=1, description="The steps, in order.")

    @field_validator("summary")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("the summary must be one line")
        return value.strip()

    @field_validator("goals", "for_conditions", "contraindications")
    @classmethod
    def _unique(cls, values: list[Any]) -> list[Any]:
        if len(set(values)) != len(values):
            raise ValueError("an entry is listed twice")
        return values

    def walk(self) -> Iterator[tuple[Step, int, tuple[str | int, ...]]]:
        """Every step with how many times it runs and its path in the file, in file order."""

        def visit(
            items: list[Step | Repeat], times: int, path: tuple[str | int, ...]
        ) -> Iterator[tuple[Step, int, tuple[str | int, ...]]]:
            for index, item in enumerate(items):
                here = (*path, index)
                if isinstance(item, Repeat):
                    yield from visit(item.steps, times * item.repeat, (*here, "steps"))
                else:
                    yield item, times, here

        yield from visit(self.steps, 1, ("steps",))

    def resolve(self, step: Step) -> dict[str, Any]:
        """The fields of ``step`` with ``defaults`` filled in (still None where neither sets)."""
        fields: dict[str, Any] = {}
        for source in (self.defaults, step):
            if source is None:
                continue
            for name in StepSettings.model_fields:
                if (value := getattr(source, name)) is not None:
                    fields[name] = value
        fields["name"] = step.name
        return fields

    def effective(self, step: Step) -> EffectiveStep:
        """``step`` with every field resolved; raises ValueError when a required one is unset."""
        fields = self.resolve(step)
        technique = fields.get("technique")
        if technique is None:
            raise ValueError("technique")
        region = fields.get("region")
        if region is None and technique not in (Technique.STRETCH, Technique.NONE):
            raise ValueError("region")
        if fields.get("duration") is None:
            raise ValueError("duration")
        regions = tuple(region) if isinstance(region, list) else (region,) if region else ()
        foot = fields.get("foot_rollers", "off")
        return EffectiveStep(
            name=step.name,
            line=step.line,
            duration_s=fields["duration"],
            technique=technique,
            regions=ordered_span(regions),
            intensity=fields.get("intensity", DEFAULT_INTENSITY),
            speed=fields.get("speed", DEFAULT_SPEED),
            width=fields.get("width", Width.MEDIUM),
            airbags=dict(fields.get("airbags") or {}),
            heat=dict(fields.get("heat") or {}),
            foot_rollers=0 if foot == "off" else int(foot),
            posture=fields.get("posture", Posture.UPRIGHT),
        )

    def effective_steps(self) -> Iterator[tuple[EffectiveStep, int]]:
        """Every step resolved, with how many times it runs, in file order."""
        for step, times, _ in self.walk():
            yield self.effective(step), times

    def run_order(self) -> Iterator[EffectiveStep]:
        """Every step resolved, in the order the chair runs them (repeats unrolled)."""

        def visit(items: list[Step | Repeat]) -> Iterator[EffectiveStep]:
            for item in items:
                if isinstance(item, Repeat):
                    for _ in range(item.repeat):
                        yield from visit(item.steps)
                else:
                    yield self.effective(item)

        yield from visit(self.steps)
