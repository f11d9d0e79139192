"""The safety notice a person acknowledges once (per profile) before their first session.

Who must not use massage at all, when to ask a doctor, and the hazards real accident reports
show around powered chairs: children and pets near moving parts, long hair, jewellery and loose
clothing, hands in gaps. Enter acknowledges; the app records it per profile and shows the notice
again only when its wording changes (:data:`NOTICE_VERSION`).
"""

from __future__ import annotations

from typing import ClassVar, Final

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

#: The notice's name and version in the store: bump the version when the wording changes in a
#: way every person should read again.
NOTICE: Final = "safety-notice"
NOTICE_VERSION: Final = 2

# Sources: docs/sources.md sections 4.2 (contraindication lists: the source articles, Panasonic,
# JHHA, NCCIH) and 5.2-5.3 (children, pets, hair, jewellery and gaps; pair massage with
# exercise; the evidence is short-term).
NOTICE_TEXT: Final = """\
## Before you use the chair

**Do not use massage** if you have or may have a **fracture of the spine** or a bone that has
not healed, a **herniated (slipped) disc**, a **tumour of the spine** or **cancer that has
spread to the bones**, a **blood clot** (deep vein thrombosis) or another thrombosis or
embolism, an aneurysm, inflamed veins, a fever, a new sprain or strain, an open wound, fresh
scar or irradiated skin where the chair touches, or have had recent surgery. A calf that is
**swollen, painful and warm** now may be a clot: see a doctor today, and do not rub it.

**Ask your doctor first** if you are pregnant, have osteoporosis, varicose veins, ankylosing
spondylitis, a pacemaker or other implant, a heart condition, cancer, high blood pressure,
diabetes or numbness, have had an operation on your spine, or take blood thinners (aspirin
every day counts). **Use the chair only if you can stop it yourself** with its remote.
The health questions that follow let chairctl keep the chair gentle or refuse when it should.

**Around the chair**: keep **children and pets away** from it and from underneath it; **tie back
long hair**, **take off jewellery** and loose scarves, and keep hands and feet out of gaps.

**Stop at once** if anything hurts, tingles or feels wrong: press **Escape** (or **x**) on any
screen, or use the chair's own remote. Massage helps most alongside exercise; it is not a
treatment on its own.
"""


class SafetyNoticeScreen(ModalScreen[bool]):
    """The notice; dismisses True when acknowledged (Enter), False to look later (``b``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "acknowledge", "I have read this", priority=True),
        Binding("b", "later", "Not now"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="notice"):
            with VerticalScroll():
                yield Markdown(NOTICE_TEXT)
            yield Static("Press Enter to acknowledge.", id="notice-hint")
            yield Button("I have read this", variant="primary", id="acknowledge")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    def action_acknowledge(self) -> None:
        self.dismiss(True)

    def action_later(self) -> None:
        self.dismiss(False)
