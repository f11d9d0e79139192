"""The payloads on a chair's topics, for the bridge that writes them and the clients that read
them, each parsed strictly: one clear message for a payload that is not what its topic carries.

What goes out is JSON of a pydantic model (:class:`ChairState`, :class:`LibraryEntry`,
:class:`SessionEvent`, :class:`CommandError`). What comes in is small: a JSON object for a
start (:class:`StartCommand`, or nothing: the selected program for the selected profile), a
step or a level for the intensity, ``ON``/``OFF`` for the heat, a name for Home Assistant's
selects; stop, pause, resume and clear_fault carry anything. The messages quote a payload only
after control characters are replaced: whoever shows them shows data, not orders.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chairctl.vocabulary import MAX_INTENSITY, MIN_INTENSITY, ChairctlError
from chairctl.vocabulary.text import LineText, first_control, printable
from chairctl.yamlsource import field_problems

#: A command is a few dozen bytes; anything far larger is not one.
MAX_PAYLOAD: Final = 4096
#: Program ids and names, profile names: one line, as long as the models allow.
MAX_NAME: Final = 80

LinkWord = Literal["connecting", "connected", "reconnecting", "lost", "closed"]
SessionWord = Literal["idle", "preparing", "running", "paused", "stopping", "ended"]
StopWord = Literal["idle", "stopping", "stopped", "unconfirmed"]

Name = Annotated[LineText, Field(min_length=1, max_length=MAX_NAME)]


class PayloadError(ChairctlError):
    """A payload that is not what its topic carries; the message says why, in words."""


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class ChairState(_Payload):
    """The chair and its session as the bridge knows them: only what the chair confirmed is
    given as the chair's (a field the chair's status cannot be believed for is null)."""

    link: LinkWord = Field(description="Where the link to the chair stands.")
    work_state: str | None = Field(description="The chair's own state; null before a status.")
    session: SessionWord = Field(description="Where the session stands.")
    program: str | None = Field(None, description="The session's program id.")
    program_name: str | None = Field(None, description="The session's program name.")
    profile: str | None = Field(None, description="Whose session it is.")
    step: int | None = Field(None, description="The index of the step in the plan.")
    step_name: str | None = Field(None, description="The step's name.")
    regions: list[str] = Field(default_factory=list, description="Where the rollers work.")
    technique: str | None = Field(None, description="The technique the chair reports.")
    intensity: int | None = Field(None, description="The step's intensity, as applied.")
    airbags: list[str] | None = Field(
        None, description="Zones inflating now; null when the chair cannot tell."
    )
    heat: bool | None = Field(None, description="Some heater is on; null when unknown.")
    heat_withheld: bool = Field(False, description="Heat is withheld for the rest of the session.")
    time_left_s: int | None = Field(None, description="Session time left.")
    session_s: int | None = Field(None, description="Session time so far.")
    fault: str | None = Field(None, description="The chair's latched fault, until cleared.")
    stop: StopWord = Field("idle", description="Where the last stop stands.")
    selected_program: str | None = Field(None, description="The program the next start runs.")
    selected_profile: str | None = Field(None, description="Whose the next start is.")


class LibraryEntry(_Payload):
    """One program a start may name."""

    id: str
    name: str
    category: str
    minutes: float


class SessionEvent(_Payload):
    """One thing that happened in a session (or to a stop), as it happened."""

    kind: str = Field(description="SessionStarted, StepStarted, Stopped, Finished, ...")
    at: float = Field(description="Session seconds.")
    message: str | None = None
    program: str | None = None
    step: int | None = None
    step_name: str | None = None
    intensity: int | None = None
    outcome: str | None = None
    chair_safe: bool | None = None


class CommandError(_Payload):
    """A command refused: the command, and the words the command line and the app use."""

    command: str
    message: str


class StartCommand(_Payload):
    """``{"program": ID or name, "profile": NAME}``; what is left out is the one selected."""

    program: Name | None = None
    profile: Name | None = None


@dataclass(frozen=True)
class IntensityAsk:
    """Stronger or gentler by :attr:`delta` steps, or to :attr:`level`; exactly one is set."""

    delta: int | None = None
    level: int | None = None


def _text(payload: bytes, what: str) -> str:
    if len(payload) > MAX_PAYLOAD:
        raise PayloadError(f"{what} may be at most {MAX_PAYLOAD} bytes, got {len(payload)}")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadError(f"{what} is not UTF-8 text") from None


def _quoted(text: str) -> str:
    shown = printable(text.strip())
    return f"'{shown[:40]}...'" if len(shown) > 40 else f"'{shown}'"


#: A start that names nothing: the selected program for the selected profile (what a button
#: sends: Home Assistant's says PRESS unless told otherwise).
_SELECTED: Final = frozenset({"START", "PRESS"})


def parse_start(payload: bytes) -> StartCommand:
    """A start: the selected program for the selected profile (``START`` or ``PRESS``), or a
    JSON object naming either or both.

    An empty payload is refused: clearing a retained message (an empty retained publish, which
    reaches the bridge live) must never start the chair."""
    text = _text(payload, "a start").strip()
    if not text:
        raise PayloadError(
            "an empty start is refused (clearing a retained message sends one): send START for "
            'the selected program, or {"program": "lower-back-relief", "profile": "Ann"}'
        )
    if text.upper() in _SELECTED:
        return StartCommand()
    try:
        data = json.loads(text)
    except RecursionError:
        raise PayloadError("a start is nested too deeply to be read") from None
    except json.JSONDecodeError as error:
        raise PayloadError(
            f"a start is not valid JSON (line {error.lineno}, column {error.colno}); send "
            '{"program": "lower-back-relief", "profile": "Ann"} or START'
        ) from None
    if not isinstance(data, dict):
        raise PayloadError(
            'a start is one JSON object: {"program": "lower-back-relief", "profile": "Ann"}'
        )
    try:
        return StartCommand.model_validate(data)
    except ValidationError as error:
        raise PayloadError("a start: " + "; ".join(field_problems(error))) from None


_STEPS: Final = {"+1": 1, "-1": -1, "stronger": 1, "gentler": -1, "+": 1, "-": -1}


def parse_intensity(payload: bytes) -> IntensityAsk:
    """``+1``/``-1``, ``stronger``/``gentler``, or a level (``3``, or ``3.0`` as Home
    Assistant's number sends it)."""
    text = _text(payload, "an intensity").strip().lower()
    if text in _STEPS:
        return IntensityAsk(delta=_STEPS[text])
    if text.startswith(("+", "-")):
        # "+2" is not level 2: a sign asks for steps, and they come one at a time.
        raise PayloadError(
            f"an intensity is changed one step at a time: +1 or -1; got {_quoted(text)}"
        )
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is not None and value.is_integer() and MIN_INTENSITY <= value <= MAX_INTENSITY:
        return IntensityAsk(level=int(value))
    raise PayloadError(
        f"an intensity is +1, -1, stronger, gentler or a level {MIN_INTENSITY} to "
        f"{MAX_INTENSITY}; got {_quoted(text)}"
    )


def parse_switch(payload: bytes) -> bool:
    """``ON`` (True) or ``OFF`` (False), as Home Assistant's switch sends them."""
    text = _text(payload, "a switch").strip().upper()
    if text in ("ON", "OFF"):
        return text == "ON"
    raise PayloadError(f"a switch is ON or OFF; got {_quoted(text)}")


def parse_name(payload: bytes, what: str) -> str:
    """One name on one line (a program's id or name, a profile's name)."""
    text = _text(payload, what).strip()
    if not text:
        raise PayloadError(f"{what} is empty")
    if first_control(text) is not None:
        raise PayloadError(f"{what} holds a control character; a name is plain text on one line")
    if len(text) > MAX_NAME:
        raise PayloadError(f"{what} is longer than {MAX_NAME} characters")
    return text


def parse_state(payload: bytes) -> ChairState:
    """A state as a client reads it from ``P/state``."""
    text = _text(payload, "a state")
    try:
        return ChairState.model_validate_json(text)
    except ValidationError as error:
        raise PayloadError("a state: " + "; ".join(field_problems(error)[:5])) from None


def dumps(model: BaseModel | list[LibraryEntry] | list[str]) -> bytes:
    """A payload's bytes: compact JSON, UTF-8."""
    if isinstance(model, BaseModel):
        return model.model_dump_json().encode("utf-8")
    data = [item.model_dump(mode="json") if isinstance(item, BaseModel) else item for item in model]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
