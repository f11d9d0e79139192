"""The profile form: a person's name, health answers and preferences, in one scrollable form.

It asks what ``chairctl profiles add`` asks (the same :data:`~chairctl.cli.profiles.QUESTIONS`,
so the two front ends never word a question differently), and a "What this means" panel shows
what the answers mean for a session as they change: refused and why, or the caps in plain
words. Nobody should learn that the chair refuses them only when they sit down.

Enter saves from anywhere a key does not mean something else (a check box or a button keeps its
own Enter), so on a fresh form Enter at once gives a Guest: no age, no conditions, first use,
which the screening treats cautiously. ``ctrl+g`` or the Cancel button leaves without saving;
Escape is the app's (it stops the chair from every screen). The screen only builds the
:class:`Profile`; the caller stores it, so the form needs no database.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, ClassVar, Final, cast

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
    Switch,
)

from chairctl.safety.profile import GUEST_NAME, Condition, Profile
from chairctl.safety.screening import CONDITION_RULES, DISCLAIMER, Screening, Tier, screen
from chairctl.services.questionnaire import QUESTIONS
from chairctl.services.safetext import plain, printable
from chairctl.vocabulary import MAX_INTENSITY, MIN_INTENSITY, Region
from chairctl.yamlsource import field_words

#: The name a new profile gets when none is typed: someone trying the chair once.
GUEST: Final = GUEST_NAME

#: The intensity offsets, in the words the form shows.
OFFSET_WORDS: Final[dict[int, str]] = {-2: "−2", -1: "−1", 0: "0 as written", 1: "+1", 2: "+2"}

#: Session lengths offered; a Select cannot hold None, so 0 stands for "as written".
MINUTE_CHOICES: Final = (5, 10, 15, 20, 25, 30)
AS_WRITTEN: Final = 0
#: The focus Select's value for "no focus region" (a Select cannot hold None either).
NO_FOCUS: Final = "none"

_AGE_PROBLEM: Final = "Age must be a whole number from 0 to 130, or left blank."
_NAME_PROBLEM: Final = "The name must be 1 to 80 characters, not only spaces."


def readable(error: ValidationError) -> dict[str, str]:
    """A pydantic error as one plain message per place: "name", "age" or "form" (the rest, in
    the words every data file's problems are told in)."""
    found: dict[str, list[str]] = {}
    for problem in error.errors(include_url=False):
        loc = tuple(str(part) for part in problem["loc"])
        if loc == ("name",):
            found.setdefault("name", [_NAME_PROBLEM])
        elif loc == ("health", "age"):
            found.setdefault("age", [_AGE_PROBLEM])
        else:
            line = field_words(problem)
            found.setdefault("form", []).append(line[0].upper() + line[1:].rstrip(".") + ".")
    return {place: "\n".join(lines) for place, lines in found.items()}


class Question(Checkbox):
    """A check box whose label wraps onto more lines instead of being cut short: a health
    question half read is a question answered wrongly."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Textual's own widgets measure their text the same way; its styles object reads as the
        # mapping of rules that Content expects, though it is not typed as one.
        rules = cast("RulesMap", self.styles)
        return max(1, self.render().get_height(rules, width))


class ScreeningView(Vertical):
    """What a screening means, in plain words: refused (and why) or allowed with its caps, then
    the notices and the disclaimer. Shared by the form and the Profiles screen."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="verdict")
        yield Static("", classes="reasons")
        yield Static("", classes="notices")
        yield Static(DISCLAIMER, classes="disclaimer")

    def show(self, screening: Screening) -> None:
        """Show ``screening``."""
        verdict = self.query_one(".verdict", Static)
        caps = screening.caps.describe()
        if screening.blocked:
            verdict.update("Refused: the chair will not run a session for this person for now.")
        elif caps:
            verdict.update(f"Allowed, with these limits: {caps}.")
        else:
            verdict.update("Allowed, with no limits.")
        verdict.set_class(not screening.allowed, "-refused")
        verdict.set_class(screening.allowed, "-allowed")
        verdict.remove_class("-problem")
        self._bullets(".reasons", screening.blocked)
        self._bullets(".notices", [] if screening.blocked else _notices(screening))

    def show_problem(self, headline: str, detail: str = "") -> None:
        """Show that there is nothing to screen: the answers or the document are not valid."""
        verdict = self.query_one(".verdict", Static)
        verdict.update(plain(headline))
        verdict.remove_class("-refused", "-allowed")
        verdict.add_class("-problem")
        self._bullets(".reasons", [detail] if detail else [])
        self._bullets(".notices", [])

    def _bullets(self, selector: str, lines: Iterable[str]) -> None:
        # Content, not markup: the reasons are plain text and must show exactly as written.
        text = Content("\n").join(Content(f"• {printable(line)}") for line in lines)
        part = self.query_one(selector, Static)
        part.update(text)
        part.display = bool(text)


def _notices(screening: Screening) -> list[str]:
    # The disclaimer has its own line at the bottom of the view.
    return [notice for notice in screening.notices if notice != DISCLAIMER]


class ProfileFormScreen(Screen[Profile | None]):
    """Create or edit a profile; dismisses with the :class:`Profile`, or None on cancel."""

    # Escape, x, q and ctrl+c belong to the app (Escape stops the chair everywhere), so the
    # form cancels on ctrl+g, which neither Textual nor its Input uses.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save"),
        Binding("ctrl+g", "cancel", "Cancel"),
    ]
    AUTO_FOCUS = "#name"

    def __init__(
        self,
        existing: Profile | None = None,
        *,
        taken_names: Collection[str] = (),
        name: str = "",
    ) -> None:
        """``taken_names``: names a new (or renamed) profile may not take. ``name`` starts a new
        profile with a name, for answering afresh a stored profile that no longer validates."""
        super().__init__()
        self._existing = existing
        own = existing.name if existing is not None else name
        # Compared without case: "ada" next to "Ada" would be two people nobody can tell apart.
        self._taken = {taken.casefold() for taken in taken_names} - {own.casefold()}
        self._start_name = own

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        current = self._existing
        health = current.health if current is not None else None
        with Horizontal(id="form-body"):
            with VerticalScroll(id="form-fields"):
                title = f"Edit profile: {current.name}" if current else "New profile"
                yield Static(plain(title), classes="form-title")
                # The footer cannot show Enter while a text box has focus (the box's own Enter
                # hides it), so the form says it once here.
                blank = " (a blank name makes a Guest)" if current is None else ""
                yield Static(
                    f"Enter saves{blank}; ctrl+g cancels.", classes="form-hint", markup=False
                )
                yield Label("Name", classes="field-label")
                yield Input(
                    value=self._start_name,
                    placeholder=GUEST if current is None else "",
                    max_length=80,
                    id="name",
                )
                yield Static("", id="name-error", classes="field-error")
                yield Label("Age in years (optional)", classes="field-label")
                yield Input(
                    value="" if health is None or health.age is None else str(health.age),
                    placeholder="not given",
                    type="integer",
                    id="age",
                )
                yield Static("", id="age-error", classes="field-error")
                yield Static(
                    "These questions decide what the chair may do. Answer for the person who "
                    "will sit in it; if unsure, tick the box.",
                    classes="form-intro",
                )
                for heading, questions in QUESTIONS:
                    yield Static(heading, classes="form-heading")
                    for condition, question in questions:
                        yield from self._question(condition, question)
                yield Static("Using the chair", classes="form-heading")
                yield Question(
                    "First time in a massage chair (or one has given me trouble)",
                    value=health.first_use if health is not None else True,
                    id="first-use",
                )
                yield Label("Make every massage gentler (−) or stronger (+)", classes="field-label")
                offset = current.intensity_offset if current is not None else 0
                with RadioSet(id="offset"):
                    for value, words in OFFSET_WORDS.items():
                        yield RadioButton(words, value=value == offset, id=f"offset-{value + 2}")
                yield Label("Strongest intensity I want", classes="field-label")
                yield Select(
                    [(str(level), level) for level in range(MIN_INTENSITY, MAX_INTENSITY + 1)],
                    value=current.max_intensity if current is not None else MAX_INTENSITY,
                    allow_blank=False,
                    id="max-intensity",
                )
                yield Label("Where I most want the massage", classes="field-label")
                focus = current.focus_region if current is not None else None
                yield Select(
                    [("no preference", NO_FOCUS), *((r.label, r.value) for r in Region)],
                    value=NO_FOCUS if focus is None else focus.value,
                    allow_blank=False,
                    id="focus",
                )
                yield Label("Parts of my back to leave alone", classes="field-label")
                skip = current.skip_regions if current is not None else frozenset()
                for region in Region:
                    yield Checkbox(region.label, value=region in skip, id=f"skip-{region.value}")
                with Horizontal(classes="switch-row"):
                    yield Switch(
                        value=current.heat_allowed if current is not None else True, id="heat"
                    )
                    yield Label("Heat", classes="switch-label")
                yield Label("Longest session I want", classes="field-label")
                yield self._minutes(current.preferred_minutes if current is not None else None)
                with Horizontal(classes="switch-row"):
                    yield Switch(
                        value=current.remote_start if current is not None else False,
                        id="remote-start",
                    )
                    yield Label(
                        "May be started from the home network (Home Assistant)",
                        classes="switch-label",
                    )
                yield Static("", id="form-error", classes="field-error")
                with Horizontal(id="form-buttons"):
                    yield Button("Save", variant="primary", id="save")
                    yield Button("Cancel", id="cancel")
            with VerticalScroll(id="form-meaning"):
                yield Static("What this means", classes="form-title")
                yield ScreeningView(id="meaning")
        yield Footer()

    def _question(self, condition: Condition, question: str) -> ComposeResult:
        """One health question, with its follow-up shown only while it is ticked."""
        health = self._existing.health if self._existing is not None else None
        had = health is not None and condition in health.conditions
        yield Question(question, value=had, id=f"cond-{condition.value}", classes="question")
        rule = CONDITION_RULES[condition]
        if rule.tier is Tier.BLOCK and rule.local:
            sites = health.affected_regions.get(condition, frozenset()) if health else frozenset()
            follow_up = Vertical(id=f"follow-{condition.value}", classes="follow-up")
            follow_up.display = had
            with follow_up:
                yield Static(
                    "Which part of your back does it concern? (None ticked: the whole back, "
                    "and the chair refuses.)",
                    classes="follow-up-prompt",
                )
                for region in Region:
                    yield Checkbox(
                        region.label,
                        value=region in sites,
                        id=f"where-{condition.value}-{region.value}",
                    )
        elif rule.tier is Tier.CLINICIAN_CLEARED:
            cleared = health is not None and condition in health.clinician_cleared
            follow_up = Vertical(id=f"follow-{condition.value}", classes="follow-up")
            follow_up.display = had
            with follow_up:
                yield Question(
                    "A doctor has cleared me for massage with it",
                    value=cleared,
                    id=f"cleared-{condition.value}",
                )

    @staticmethod
    def _minutes(preferred: int | None) -> Select[int]:
        choices = list(MINUTE_CHOICES)
        if preferred is not None and preferred not in choices:
            # A length set elsewhere (a JSON document) is kept, not rounded to the menu.
            choices = sorted([*choices, preferred])
        return Select(
            [("as written", AS_WRITTEN), *((f"{m} min", m) for m in choices)],
            value=AS_WRITTEN if preferred is None else preferred,
            allow_blank=False,
            id="minutes",
        )

    def on_mount(self) -> None:
        self.sub_title = "Edit profile" if self._existing is not None else "New profile"
        for error in self.query(".field-error"):
            error.display = False
        self._update_meaning()

    # -- reading the answers ---------------------------------------------------------------

    def _ticked(self, widget_id: str) -> bool:
        return self.query_one(f"#{widget_id}", Checkbox).value

    def _answers(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The answers as profile data, and problems found before the model sees them."""
        problems: dict[str, str] = {}
        name = self.query_one("#name", Input).value.strip()
        if not name and self._existing is None:
            name = GUEST
        age_text = self.query_one("#age", Input).value.strip()
        age: int | None = None
        if age_text:
            try:
                age = int(age_text)
            except ValueError:
                problems["age"] = _AGE_PROBLEM
        conditions: set[Condition] = set()
        cleared: set[Condition] = set()
        sites: dict[Condition, frozenset[Region]] = {}
        for condition in Condition:
            if not self._ticked(f"cond-{condition.value}"):
                continue
            conditions.add(condition)
            rule = CONDITION_RULES[condition]
            if rule.tier is Tier.BLOCK and rule.local:
                where = frozenset(
                    r for r in Region if self._ticked(f"where-{condition.value}-{r.value}")
                )
                # No site means the whole back (screening refuses); an empty entry is noise.
                if where:
                    sites[condition] = where
            elif rule.tier is Tier.CLINICIAN_CLEARED and self._ticked(f"cleared-{condition.value}"):
                cleared.add(condition)
        offset_index = self.query_one("#offset", RadioSet).pressed_index
        focus = self.query_one("#focus", Select).value
        max_intensity = self.query_one("#max-intensity", Select).value
        minutes = self.query_one("#minutes", Select).value
        data: dict[str, Any] = {
            # Not asked here: the body scan comes from the chair; keep what it measured.
            **(self._existing.model_dump() if self._existing is not None else {}),
            "name": name,
            "intensity_offset": offset_index - 2 if offset_index >= 0 else 0,
            "max_intensity": max_intensity if isinstance(max_intensity, int) else MAX_INTENSITY,
            "focus_region": Region(focus) if isinstance(focus, str) and focus != NO_FOCUS else None,
            "skip_regions": frozenset(r for r in Region if self._ticked(f"skip-{r.value}")),
            "heat_allowed": self.query_one("#heat", Switch).value,
            "preferred_minutes": minutes if isinstance(minutes, int) and minutes else None,
            "remote_start": self.query_one("#remote-start", Switch).value,
            "health": {
                "age": age,
                "conditions": frozenset(conditions),
                "first_use": self._ticked("first-use"),
                "clinician_cleared": frozenset(cleared),
                "affected_regions": sites,
            },
        }
        return data, problems

    # -- the live panel --------------------------------------------------------------------

    @on(Checkbox.Changed)
    @on(Switch.Changed)
    @on(Select.Changed)
    @on(RadioSet.Changed)
    @on(Input.Changed)
    def _answer_changed(self, event: Message) -> None:
        control = event.control
        if isinstance(control, Checkbox) and control.id and control.id.startswith("cond-"):
            condition = control.id.removeprefix("cond-")
            for follow_up in self.query(f"#follow-{condition}"):
                follow_up.display = control.value
        if isinstance(control, Input) and control.id is not None:
            self._show_problem(control.id, "")
        self._update_meaning()

    def _update_meaning(self) -> None:
        view = self.query_one("#meaning", ScreeningView)
        data, problems = self._answers()
        # The name plays no part in the screening; a placeholder keeps a blank one from
        # hiding what the health answers mean.
        data["name"] = "preview"
        if "age" in problems:
            view.show_problem("Nothing to show until the age is fixed.", problems["age"])
            return
        try:
            profile = Profile.model_validate(data)
        except ValidationError as error:
            view.show_problem(
                "Nothing to show until the answers are fixed.",
                " ".join(readable(error).values()),
            )
            return
        view.show(screen(profile))

    # -- saving ----------------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Enter in a text box continues, like Enter anywhere else in the form.
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Check the answers; dismiss with the profile, or show what to fix."""
        data, problems = self._answers()
        name: str = data["name"]
        if not name:
            problems["name"] = "A profile needs a name."
        elif name.casefold() in self._taken:
            problems["name"] = f"A profile named '{name}' exists already; choose another name."
        profile: Profile | None = None
        if not problems:
            try:
                profile = Profile.model_validate(data)
            except ValidationError as error:
                problems = readable(error)
        for place in ("name", "age", "form"):
            self._show_problem(place, problems.get(place, ""))
        if profile is not None:
            self.dismiss(profile)
            return
        first = next(place for place in ("name", "age", "form") if place in problems)
        if first in ("name", "age"):
            self.query_one(f"#{first}", Input).focus()
        self.query_one(f"#{first}-error", Static).scroll_visible()

    def _show_problem(self, place: str, message: str) -> None:
        for error in self.query(f"#{place}-error").results(Static):
            error.update(message)
            error.display = bool(message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Leave without a profile."""
        self.dismiss(None)
