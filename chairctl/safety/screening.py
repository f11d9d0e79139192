"""Health screening: what a person's health answers mean for their sessions.

The three condition tiers of docs/sources.md section 5.2, written as one table
(:data:`CONDITION_RULES`, plus :data:`AGE_RULES` and :data:`FIRST_USE_RULE`):

- ``block``: no session, with a plain-words reason and the advice to consult a doctor; a local
  condition whose site the person gave only keeps the chair off that site instead;
- ``clinician_cleared``: no session unless a clinician has cleared the condition, and then the
  row's caps;
- ``cautions``: the row's caps, automatically.

Every cap that applies is combined into the strictest one (:class:`Caps`), and the caps always
win over the person's preferences (:meth:`Screening.personalisation`). The compiler's safety
rules still apply after all of this. Numbers marked "choice" below are ours, not a source's.
A bare section number in a comment (4.2, 3.3) is a section of docs/sources.md.
This is a screen for a consumer device, not medical advice.

The API for callers (the CLI, the app):

- :func:`screen` (profile) → :class:`Screening`: a person with a profile. A profile without an
  age (the app's "Guest") is screened at :data:`GUEST_CAPS`, never gentler.
- :func:`screen_guest` (answers) → :class:`Screening`: someone without a profile (``--guest``).
  Ask them :data:`GUEST_BLOCK_QUESTIONS` (each a :class:`GuestQuestion`: ``text`` to show, its
  ``condition`` to key the answer by) and pass ``{question.condition: yes}``; a yes refuses the
  session, all "no" gives :data:`GUEST_CAPS`; ``None`` (not asked, or not all answered) gives
  :data:`GUEST_CAPS` too, with :data:`GUEST_NOT_SCREENED` among the notices.
- :meth:`Screening.personalisation` → what the compiler and the engine hold every setpoint to.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final

from chairctl.program import Program
from chairctl.safety.personalisation import Personalisation
from chairctl.safety.profile import Condition, Profile, guest_profile
from chairctl.vocabulary import (
    MAX_AIRBAG,
    MAX_INTENSITY,
    AirbagZone,
    PlanError,
    Region,
)


class Tier(StrEnum):
    """How a condition gates a session (docs/sources.md section 5.2)."""

    BLOCK = "block"
    CLINICIAN_CLEARED = "clinician_cleared"
    CAUTIONS = "cautions"


#: A cap's reasons: the few words (a condition, "age 82", "first use") that explain it.
Reasons = Mapping[str, str]


def _joined(*reasons: str | None) -> str | None:
    kept = list(dict.fromkeys(r for part in reasons if part for r in part.split(", ")))
    return ", ".join(kept) if kept else None


@dataclass(frozen=True)
class Caps:
    """Limits on a session; combining two with ``&`` keeps the stricter of each, with the
    reasons of the stricter side (of both, when they are equally strict)."""

    max_intensity: int = MAX_INTENSITY
    percussion_allowed: bool = True
    heat_allowed: bool = True
    stretch_allowed: bool = True
    recline_allowed: bool = True
    skip_regions: frozenset[Region] = frozenset()
    airbags_off: frozenset[AirbagZone] = frozenset()
    max_airbag: int = MAX_AIRBAG
    max_minutes: int | None = None
    #: Why each limit is set, by limit name (see :meth:`Personalisation.why`).
    reasons: Reasons = field(default_factory=dict, compare=False)

    def because(self, reason: str) -> Caps:
        """These caps, each limit they set explained by ``reason``."""
        return replace(self, reasons=dict.fromkeys(self._set(), reason))

    def _set(self) -> list[str]:
        """The names of the limits these caps set."""
        flags = {
            "intensity": self.max_intensity < MAX_INTENSITY,
            "percussion": not self.percussion_allowed,
            "heat": not self.heat_allowed,
            "stretch": not self.stretch_allowed,
            "recline": not self.recline_allowed,
            "regions": bool(self.skip_regions),
            "airbags": self.max_airbag < MAX_AIRBAG,
            "airbags-off": bool(self.airbags_off),
            "minutes": self.max_minutes is not None,
        }
        return [name for name, set_ in flags.items() if set_]

    def __and__(self, other: Caps) -> Caps:
        minutes = [m for m in (self.max_minutes, other.max_minutes) if m is not None]
        mine, theirs = self.reasons, other.reasons

        def stricter(name: str, a: float, b: float) -> str | None:
            # The lower limit's reason; both when they are equal.
            if a < b:
                return mine.get(name)
            if b < a:
                return theirs.get(name)
            return _joined(mine.get(name), theirs.get(name))

        reasons = {
            "intensity": stricter("intensity", self.max_intensity, other.max_intensity),
            "airbags": stricter("airbags", self.max_airbag, other.max_airbag),
            "minutes": stricter(
                "minutes", self.max_minutes or math.inf, other.max_minutes or math.inf
            ),
            **{
                name: _joined(mine.get(name), theirs.get(name))
                for name in ("percussion", "heat", "stretch", "recline", "regions", "airbags-off")
            },
        }
        combined = Caps(
            max_intensity=min(self.max_intensity, other.max_intensity),
            percussion_allowed=self.percussion_allowed and other.percussion_allowed,
            heat_allowed=self.heat_allowed and other.heat_allowed,
            stretch_allowed=self.stretch_allowed and other.stretch_allowed,
            recline_allowed=self.recline_allowed and other.recline_allowed,
            skip_regions=self.skip_regions | other.skip_regions,
            airbags_off=self.airbags_off | other.airbags_off,
            max_airbag=min(self.max_airbag, other.max_airbag),
            max_minutes=min(minutes) if minutes else None,
        )
        kept = set(combined._set())
        return replace(
            combined, reasons={k: v for k, v in reasons.items() if v is not None and k in kept}
        )

    def limit(self, choices: Personalisation) -> Personalisation:
        """A person's ``choices`` under these caps: the strictest of each wins, so no choice
        can loosen a cap. Percussion, stretch, recline and airbags come from the caps alone."""
        minutes = [m for m in (choices.max_minutes, self.max_minutes) if m is not None]
        reasons = dict(self.reasons)
        if choices.max_intensity < self.max_intensity:
            reasons["intensity"] = "as you prefer"
        if choices.skip_regions - self.skip_regions:
            reasons["regions"] = _joined(self.reasons.get("regions"), "as you prefer") or ""
        if not choices.heat_allowed and self.heat_allowed:
            reasons["heat"] = "as you prefer"
        return Personalisation(
            intensity_offset=choices.intensity_offset,
            max_intensity=min(choices.max_intensity, self.max_intensity),
            skip_regions=choices.skip_regions | self.skip_regions,
            heat_allowed=choices.heat_allowed and self.heat_allowed,
            percussion_allowed=self.percussion_allowed,
            stretch_allowed=self.stretch_allowed,
            recline_allowed=self.recline_allowed,
            airbags_off=self.airbags_off,
            max_airbag=self.max_airbag,
            max_minutes=min(minutes) if minutes else None,
            focus_region=choices.focus_region,
            reasons=reasons,
        )

    def describe(self, *, short: bool = False) -> str:
        """The caps in plain words, e.g. "intensity at most 2, no heat"; "" when none.

        ``short`` words them for a table column ("intensity ≤ 2, no percussion").
        """
        at_most = "≤" if short else "at most"
        parts = []
        if self.max_intensity < MAX_INTENSITY:
            parts.append(f"intensity {at_most} {self.max_intensity}")
        parts.extend(
            words
            for allowed, words in (
                (self.percussion_allowed, "no percussion" if short else "no tapping or knocking"),
                (self.heat_allowed, "no heat"),
                (self.stretch_allowed, "no stretch"),
                (self.recline_allowed, "no recline"),
            )
            if not allowed
        )
        if self.skip_regions:
            parts.append(
                f"skips {_listed(self.skip_regions)}"
                if short
                else f"the rollers keep off {_listed(self.skip_regions)}"
            )
        if self.airbags_off:
            parts.append(
                f"airbags off: {', '.join(sorted(self.airbags_off))}"
                if short
                else f"the {_listed(self.airbags_off)} airbags stay off"
            )
        if self.max_airbag < MAX_AIRBAG:
            parts.append(f"airbags {at_most} {self.max_airbag}")
        if self.max_minutes is not None:
            parts.append(
                f"≤ {self.max_minutes} min"
                if short
                else f"sessions of at most {self.max_minutes} minutes"
            )
        return ", ".join(parts)


#: No limits at all.
NO_CAPS: Final = Caps()


def _listed(items: Iterable[str]) -> str:
    return ", ".join(item.replace("_", " ") for item in sorted(items))


_CONSULT: Final = "Please consult a doctor before using a massage chair."


@dataclass(frozen=True)
class Rule:
    """One row of the screening table."""

    tier: Tier
    #: Why the condition matters, in plain words; one sentence or more, ending with a stop.
    reason: str
    #: The caps it brings when the session runs (cleared or cautions tier).
    caps: Caps = NO_CAPS
    #: Block tier only: the condition concerns one site, so a person who says where may still
    #: use the chair away from it.
    local: bool = False
    #: A sentence to show before every session, beyond the caps.
    notice: str | None = None
    #: Block tier: what to do, after the reason.
    advice: str = _CONSULT


def _block(reason: str, *, local: bool = False, advice: str = _CONSULT) -> Rule:
    return Rule(Tier.BLOCK, reason, local=local, advice=advice)


def _cleared(reason: str, caps: Caps) -> Rule:
    return Rule(Tier.CLINICIAN_CLEARED, reason, caps)


def _caution(reason: str, caps: Caps = NO_CAPS, notice: str | None = None) -> Rule:
    return Rule(Tier.CAUTIONS, reason, caps, notice=notice)


#: Leg compression: the airbags that squeeze the legs (docs/sources.md section 4.3).
LEG_AIRBAGS: Final = frozenset({AirbagZone.THIGHS, AirbagZone.CALVES, AirbagZone.FEET})

#: No recline for a person the screening flags: a reclined chair's only release (its power
#: key) drives the leg rest down, the entrapment mechanism of the accident reports (3.3, 3.4),
#: and zero gravity wants a physician's view with osteoporosis or recent spinal surgery
#: (4.2, catalogue articles). Every row that lets a flagged person sit brings it (choice).
_NO_RECLINE: Final = Caps(recline_allowed=False)
#: Gentle work for a fragile or sensitive back: the caps docs/sources.md section 5.2 gives for
#: spinal osteoarthritis and age 75 or more (no percussion, intensity at most 2, no stretch);
#: airbags at most 2 and no recline are our choice, in the same spirit.
_GENTLE_SPINE: Final = Caps(
    max_intensity=2,
    percussion_allowed=False,
    stretch_allowed=False,
    recline_allowed=False,
    max_airbag=2,
)
#: No deep or forceful work (NCCIH via 4.2; 5.2: for blood thinners intensity at most 2 and
#: nothing deep). Reading percussion, firm airbags and the stretch (which clamps hips, thighs and
#: calves in airbags and pulls the legs, 1.6) as "forceful" is our choice.
_NO_DEEP: Final = Caps(
    max_intensity=2,
    percussion_allowed=False,
    stretch_allowed=False,
    recline_allowed=False,
    max_airbag=2,
)
#: The neck kept off and the rest gentle: the rollers and the shoulder and arm airbags stay off
#: the neck (neck injuries from massage devices, 3.3 and 3.4), with the gentle spine caps; the
#: airbags are those :data:`REGION_AIRBAGS` gives the neck (choice, as there).
_NECK_OFF: Final = replace(
    _GENTLE_SPINE,
    skip_regions=frozenset({Region.NECK}),
    airbags_off=frozenset({AirbagZone.SHOULDERS, AirbagZone.ARMS}),
)
#: Heat disabled where the person may not feel a burn coming (5.2).
_NO_HEAT: Final = Caps(heat_allowed=False, recline_allowed=False)

_C = Condition

#: One row per condition: its tier, why, and its caps. Sources: docs/sources.md sections 4.2,
#: 4.3 and 5.2 and the source articles; rows marked "choice" set numbers the sources leave open.
CONDITION_RULES: Final[Mapping[Condition, Rule]] = {
    # --- block ---
    _C.VERTEBRAL_FRACTURE: _block("A fracture of the spine can be made worse by pressure on it."),
    _C.RECENT_FRACTURE: _block("A bone that is still healing can break again under pressure."),
    _C.SPINAL_TUMOUR: _block("Massage is not appropriate with a tumour of the spine."),
    _C.MALIGNANCY_AT_SITE: _block("A tumour must not be massaged where it is.", local=True),
    # 4.3 would let a clinician clear a herniated disc (then no stretch and no lumbar depth);
    # the 5.2 table and the source articles block it, and we follow the stricter (choice).
    _C.HERNIATED_DISC: _block("Massage is not appropriate with a herniated (slipped) disc."),
    _C.DEEP_VEIN_THROMBOSIS: _block(
        "Massage can loosen a blood clot in a leg vein and send it to the lungs."
    ),
    _C.THROMBOSIS_OR_EMBOLISM: _block("Massage can move a blood clot."),
    _C.ANEURYSM: _block("Pressure can harm a weakened, widened artery (aneurysm)."),
    _C.PHLEBITIS: _block("Massage can worsen an inflamed vein and move a clot in it."),
    _C.SKIN_INFECTION_AT_SITE: _block(
        "Infected or inflamed skin must not be massaged, and massage can spread the infection.",
        local=True,
    ),
    _C.FEVER: _block("A fever of 38 °C or more is a reason not to have a massage today."),
    _C.ACUTE_STRAIN: _block(
        "A new or swollen strain or sprain must not be massaged while it is acute.", local=True
    ),
    _C.RECENT_SURGERY: _block("After recent surgery, massage must wait until a doctor allows it."),
    # NCCIH via 4.2: avoid massage with bones weakened by cancer. Bone anywhere, so not local.
    _C.CANCER_SPREAD_TO_BONE: _block(
        "Cancer that has spread to bone weakens it, and a chair's pressure can break it."
    ),
    # JHHA via 4.2: DVT "or suspected" is prohibited; ABMP via 3.3: a fatal embolism after leg
    # massage. Symptoms now want a doctor today, not a consultation some day.
    _C.CLOT_SYMPTOMS_NOW: _block(
        "A calf or leg that is swollen, painful, warm or red can be a blood clot, and massage "
        "can send a clot to the lungs.",
        advice="Please see a doctor today, and do not rub or massage the leg in the meantime.",
    ),
    # NCCIH via 4.2: locally avoid an open or healing wound and radiation-inflamed skin; healing
    # scars are fragile skin (NCCIH) and scarring is "consult" (Spa Dynamix manual).
    _C.WOUND_SCAR_OR_IRRADIATED_SKIN: _block(
        "An open or healing wound, a fresh scar or skin treated with radiotherapy can be torn or "
        "inflamed by a chair's pressure and rubbing.",
        local=True,
    ),
    # Panasonic via 4.2: do not use when unable to express intent or to operate the chair; NCAC
    # (3.3): keep the remote within reach to stop at once. Someone beside them does not change
    # it (the one in the chair feels the harm first), so a block, not needs-supervision's
    # prompt.
    _C.CANNOT_OPERATE_ALONE: _block(
        "A massage chair is safe only for someone who can stop it, or say it must stop, at "
        "once by themselves; someone beside you does not change that."
    ),
    # --- clinician_cleared ---
    # 4.3: max intensity 1, no percussion, no stretch or traction. Airbags at most 1 is our
    # choice: a pressing arm broke a user's ribs (NCAC, 3.3).
    _C.OSTEOPOROSIS: _cleared(
        "Bones weakened by osteoporosis can break under a chair's rollers and airbags.",
        Caps(
            max_intensity=1,
            percussion_allowed=False,
            stretch_allowed=False,
            recline_allowed=False,
            max_airbag=1,
        ),
    ),
    # Intensity 2 is our choice; the sources say only "consult" or "do not use".
    _C.PACEMAKER_OR_IMPLANT: _cleared(
        "A pacemaker or other implanted device may be disturbed by the chair.",
        Caps(max_intensity=2, recline_allowed=False),
    ),
    # 4.3: low intensity (2: choice), no heat, no stretch, no leg compression; no percussion and
    # airbags at most 1 are our choice, as part of "low intensity".
    _C.PREGNANCY: _cleared(
        "In pregnancy and just after birth the chair can do harm to mother and child.",
        Caps(
            max_intensity=2,
            percussion_allowed=False,
            heat_allowed=False,
            stretch_allowed=False,
            recline_allowed=False,
            airbags_off=LEG_AIRBAGS,
            max_airbag=1,
        ),
    ),
    # Intensity 2 is our choice.
    _C.HEART_DISEASE: _cleared(
        "A heart condition needs a doctor's view before massage.",
        Caps(max_intensity=2, recline_allowed=False),
    ),
    # No deep work (NCCIH: bones weakened by cancer) is our reading of 4.2.
    _C.MALIGNANCY_ELSEWHERE: _cleared(
        "Cancer and its treatment can weaken bones and tissues.", _NO_DEEP
    ),
    # Airbags at most 1: squeezing bruises (choice).
    _C.ANTICOAGULANTS: _cleared(
        "Blood thinners make bruising and bleeding under pressure more likely.",
        replace(_NO_DEEP, max_airbag=1),
    ),
    _C.BLEEDING_DISORDER: _cleared(
        "A bleeding disorder makes bruising and bleeding under pressure more likely.",
        replace(_NO_DEEP, max_airbag=1),
    ),
    # Intensity 2 is our choice.
    _C.UNCONTROLLED_HYPERTENSION: _cleared(
        "Blood pressure that is not under control needs a doctor's view before massage.",
        Caps(max_intensity=2, recline_allowed=False),
    ),
    # Gentle spine caps are our choice: rollers press unevenly on a curved spine.
    _C.SPINAL_ABNORMALITY: _cleared(
        "A curved or otherwise unusual spine needs a doctor's view before a chair works on it.",
        _GENTLE_SPINE,
    ),
    # Panasonic and PMDA via 4.2: do not use with acute varicose veins or severe circulatory
    # disorders of the legs or the pelvis, buttocks and thighs (where a doctor prohibits
    # massage); 5.2: leg circulatory disorder -> calf, foot and thigh airbags off, no leg
    # stretch. The tier (a doctor's view first) and the seat airbags (they squeeze the
    # buttocks the source names) are our choice; no recline, as for every flagged person.
    _C.VARICOSE_VEINS: _cleared(
        "Squeezing painful, swollen or inflamed veins, or legs and hips with poor circulation, "
        "can harm them; a doctor must say whether massage is safe.",
        # Heat off too (choice): it widens the veins, and the heaters of the full-featured
        # chair are on the calves and the seat, where the veins are.
        Caps(
            heat_allowed=False,
            stretch_allowed=False,
            recline_allowed=False,
            airbags_off=LEG_AIRBAGS | {AirbagZone.SEAT},
        ),
    ),
    # ABMP case reports via 3.3: a neck (C6-C7) fracture under massage in undiagnosed
    # ankylosing spondylitis. A doctor's view first, then the gentle spine caps with the neck
    # kept off (choice: the tier and the caps; the source is one case report).
    _C.ANKYLOSING_SPONDYLITIS: _cleared(
        "Ankylosing spondylitis stiffens the spine and can make it break more easily, the neck "
        "most of all.",
        _NECK_OFF,
    ),
    # Catalogue articles via 4.2 (weak): recline and zero-gravity positions want a physician's
    # view after spinal surgery. Any time, since fusions, rods and disc replacements stay; the
    # tier and the gentle spine caps (with no recline and no stretch) are our choice.
    _C.SPINAL_SURGERY: _cleared(
        "An operated spine (a fusion, rods or screws, a disc replacement) needs a doctor's view "
        "before a chair presses or stretches it, even years later.",
        _GENTLE_SPINE,
    ),
    # --- cautions ---
    # The source articles: spinal osteoarthritis only gently; 5.2 gives the caps.
    _C.SPINAL_OSTEOARTHRITIS: _caution(
        "With osteoarthritis of the spine, massage must be gentle.", _GENTLE_SPINE
    ),
    _C.FIBROMYALGIA: _caution("With fibromyalgia, gentle massage is better tolerated.", _NO_DEEP),
    _C.DIABETES: _caution(
        "Diabetes can dull the feeling of heat, so a burn may go unnoticed.", _NO_HEAT
    ),
    _C.NEUROPATHY: _caution(
        "Nerve damage can dull the feeling of heat, so a burn may go unnoticed.", _NO_HEAT
    ),
    _C.LOSS_OF_TEMPERATURE_SENSATION: _caution(
        "Without feeling for temperature, a burn may go unnoticed.", _NO_HEAT
    ),
    # Someone who can stop the chair themselves but should not be alone in it (Panasonic via
    # 4.2; 3.4 "needs supervision"); who cannot stop it is cannot-operate-alone, a block.
    _C.NEEDS_SUPERVISION: _caution(
        "You said you need someone with you when you use the chair.",
        _NO_RECLINE,
        notice="Someone who can stop the chair must stay with you for the whole session; keep "
        "the remote within your own reach too.",
    ),
    # Spa Dynamix manual via 4.2: consult with dizziness or vertigo; 3.3 and 3.4: neck injuries
    # (vertebral artery dissection) from massage devices. The caps are our choice: the neck
    # kept off, gentle elsewhere, and no recline (getting up from it can bring on dizziness).
    _C.NECK_PROBLEMS_OR_DIZZINESS: _caution(
        "A chair can hurt a neck that already has problems, and moving you about can make "
        "dizziness worse.",
        _NECK_OFF,
    ),
}

#: Age bands ``[low, high)`` and what they bring.
AGE_RULES: Final[tuple[tuple[int, int, Rule], ...]] = (
    # Spa Dynamix manual (4.2): children over 12 only under close supervision; so none under 12.
    (0, 12, _block("Massage chairs are not made for children under 12.")),
    # Intensity and airbags 2 for under-18s are our choice.
    (
        12,
        18,
        _caution(
            "Under 18, the chair is used gently and with an adult present.",
            Caps(max_intensity=2, max_airbag=2, recline_allowed=False),
            notice="An adult must stay with you for the whole session.",
        ),
    ),
    # 5.2: most reported injuries (NCAC) were to people of 60 or more.
    (
        60,
        200,
        _caution("From age 60, the chair is kept gentler.", Caps(max_intensity=3, max_airbag=3)),
    ),
    # 5.2 technique caps for age 75 or more; no heat is our choice: low-temperature burns are
    # the heat injuries reported (KCA 2025, NITE via 3.4) and older skin feels heat later.
    (
        75,
        200,
        _caution(
            "From age 75, the chair is kept gentle.", replace(_GENTLE_SPINE, heat_allowed=False)
        ),
    ),
)

#: The strictest caps: a person the chair knows nothing about (a guest) gets them. Intensity 2,
#: no percussion, no stretch and no heat are the 75-and-over caps (the age may be theirs);
#: airbags at most 1 everywhere, the back's as well as the limbs' (choice: a pressing arm broke
#: a user's ribs, NCAC 3.3, and nobody asked about fragile bones), and no recline.
GUEST_CAPS: Final = Caps(
    max_intensity=2,
    percussion_allowed=False,
    heat_allowed=False,
    stretch_allowed=False,
    recline_allowed=False,
    max_airbag=1,
)

#: A profile without an age (the app's Guest): the safety notice keeps children off the chair,
#: and the age may be 75 or more and its answers a guest's, so the guest caps apply.
AGE_UNKNOWN_RULE: Final = _caution(
    "Without your age, the chair keeps to its gentlest, as for a guest.", GUEST_CAPS
)

#: The first sessions are gentler and shorter; 10 minutes is our choice (default sessions are
#: about 15, docs/sources.md section 5.2).
FIRST_USE_RULE: Final = _caution(
    "On a first use, the chair starts gentler and shorter, to see how it suits you.",
    Caps(max_intensity=3, max_airbag=3, max_minutes=10),
)

#: Airbags working on or next to each roller region, switched off with the region when a local
#: condition keeps the chair off it. Neck and shoulders → shoulder and arm airbags, lower back
#: → waist, sacrum and glutes → seat and thighs, as the brief asks; upper back → shoulders and
#: mid back → waist are our choice (those airbags press close by).
REGION_AIRBAGS: Final[Mapping[Region, frozenset[AirbagZone]]] = {
    Region.NECK: frozenset({AirbagZone.SHOULDERS, AirbagZone.ARMS}),
    Region.SHOULDERS: frozenset({AirbagZone.SHOULDERS, AirbagZone.ARMS}),
    Region.UPPER_BACK: frozenset({AirbagZone.SHOULDERS}),
    Region.MID_BACK: frozenset({AirbagZone.WAIST}),
    Region.LOWER_BACK: frozenset({AirbagZone.WAIST}),
    Region.SACRUM_GLUTES: frozenset({AirbagZone.SEAT, AirbagZone.THIGHS}),
}

#: Regions a heater warms (lumbar heater: mid and lower back, seat heater: sacrum and glutes).
#: A person can only turn heat off as a whole, so a local condition at one of these turns all
#: heat off (choice: heat on an acute injury or an infection makes it worse).
HEATED_REGIONS: Final = frozenset({Region.MID_BACK, Region.LOWER_BACK, Region.SACRUM_GLUTES})

#: Shown before every session, whatever the answers.
DISCLAIMER: Final = (
    "This health check is not medical advice. Stop the chair at once if anything hurts, "
    "tingles or feels wrong, and ask a doctor if you are unsure."
)


def local_caps(regions: frozenset[Region]) -> Caps:
    """Caps that keep the chair off ``regions``: rollers, nearby airbags and, if warmed, heat."""
    airbags = frozenset().union(*(REGION_AIRBAGS[r] for r in regions))
    return Caps(
        skip_regions=regions,
        airbags_off=airbags,
        heat_allowed=not regions & HEATED_REGIONS,
    )


@dataclass(frozen=True)
class Screening:
    """What a profile's health answers allow: refused, or allowed with caps and notices."""

    profile: Profile
    #: Why the session is refused, one plain sentence or more per reason; empty: allowed.
    blocked: list[str] = field(default_factory=list)
    #: The strictest of every cap that applies.
    caps: Caps = NO_CAPS
    #: Plain words to show before a session.
    notices: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        """True when a session may run."""
        return not self.blocked

    def personalisation(self) -> Personalisation:
        """The person's preferences under the caps; the caps always win.

        Raises :class:`PlanError` when the screening refuses sessions.
        """
        if self.blocked:
            raise PlanError(" ".join(self.blocked))
        person = self.profile
        return self.caps.limit(
            Personalisation(
                intensity_offset=person.intensity_offset,
                max_intensity=person.max_intensity,
                skip_regions=person.skip_regions,
                heat_allowed=person.heat_allowed,
                max_minutes=person.preferred_minutes,
                focus_region=person.focus_region,
            )
        )


def rules_for(profile: Profile) -> list[tuple[str, Condition | None, Rule]]:
    """The rows of the table that apply to ``profile``: label, condition (if any) and row."""
    health = profile.health
    rows: list[tuple[str, Condition | None, Rule]] = [
        (c.value, c, CONDITION_RULES[c]) for c in sorted(health.conditions)
    ]
    if health.age is None:
        rows.append(("age not given", None, AGE_UNKNOWN_RULE))
    else:
        age = health.age
        rows += [(f"age {age}", None, rule) for low, high, rule in AGE_RULES if low <= age < high]
    if health.first_use:
        rows.append(("first use", None, FIRST_USE_RULE))
    return rows


def screen(profile: Profile) -> Screening:
    """Screen ``profile``'s health answers: refusals, the strictest caps and the notices."""
    health = profile.health
    blocked: list[str] = []
    notices: list[str] = []
    caps = NO_CAPS
    for label, condition, rule in rules_for(profile):
        if rule.tier is Tier.BLOCK:
            sites = health.affected_regions.get(condition) if condition is not None else None
            if rule.local and sites:
                site_caps = local_caps(sites).because(f"{label} at {_listed(sites)}")
                caps &= site_caps
                notices.append(f"{rule.reason} So {site_caps.describe()}.")
                continue
            extra = (
                " A clinician's clearance does not change this in chairctl."
                if condition in health.clinician_cleared
                else ""
            )
            where = (
                " If it concerns only part of your back, say which part in your profile and the "
                "chair will keep off it."
                if rule.local
                else ""
            )
            blocked.append(f"{rule.reason} {rule.advice}{extra}{where}")
        elif rule.tier is Tier.CLINICIAN_CLEARED and condition not in health.clinician_cleared:
            blocked.append(
                f"{rule.reason} {_CONSULT} Once a clinician has cleared you, mark {label} as "
                "cleared in your profile; the chair will then stay gentle."
            )
        else:
            caps &= rule.caps.because(label)
            prefix = "Cleared by your clinician: " if rule.tier is Tier.CLINICIAN_CLEARED else ""
            said = rule.caps.describe()
            notices.append(f"{prefix}{rule.reason}" + (f" So {said}." if said else ""))
            if rule.notice:
                notices.append(rule.notice)
    notices.append(DISCLAIMER)
    return Screening(profile=profile, blocked=blocked, caps=caps, notices=notices)


# -- someone without a profile: a guest ---------------------------------------------------


@dataclass(frozen=True)
class GuestQuestion:
    """One yes/no question put to a guest; a yes to it refuses the session."""

    #: The key of its answer, and the condition whose row words the refusal when it is alone.
    condition: Condition
    #: The question, one sentence a lay person cannot misread.
    text: str
    #: Every condition the question asks about.
    covers: frozenset[Condition]
    #: Why a yes refuses, when the question asks about more than one condition.
    reason: str | None = None


def _guest_question(text: str, *covers: Condition, reason: str | None = None) -> GuestQuestion:
    return GuestQuestion(covers[0], text, frozenset(covers), reason)


#: The few questions a guest is asked: the conditions that rule the chair out for anyone (the
#: block tier), and the ask-a-doctor-first ones, which a guest cannot have had cleared. The
#: other answers a profile holds (neck, curved spine, diabetes, ...) are covered by
#: :data:`GUEST_CAPS` (see the module docstring). Wording: docs/safety.md "A guest".
GUEST_BLOCK_QUESTIONS: Final[tuple[GuestQuestion, ...]] = (
    _guest_question(
        "Is one of your calves or legs swollen, painful, warm or red right now?",
        _C.CLOT_SYMPTOMS_NOW,
    ),
    _guest_question(
        "In the last 6 months, have you had a blood clot (in a leg, the lungs or elsewhere), or "
        "do you have an aneurysm, an inflamed vein or painful, swollen varicose veins?",
        _C.THROMBOSIS_OR_EMBOLISM,
        _C.DEEP_VEIN_THROMBOSIS,
        _C.ANEURYSM,
        _C.PHLEBITIS,
        _C.VARICOSE_VEINS,
        reason="Massage can move a blood clot, and pressure can harm weakened or inflamed "
        "blood vessels.",
    ),
    _guest_question(
        "Have you ever broken a bone in your spine or had an operation on it, even years ago, "
        "or do you have a slipped disc, sciatica (pain running from your back down a leg) or "
        "ankylosing spondylitis?",
        _C.VERTEBRAL_FRACTURE,
        _C.SPINAL_SURGERY,
        _C.HERNIATED_DISC,
        _C.ANKYLOSING_SPONDYLITIS,
        reason="A spine that has been broken or operated on, a slipped disc and a spine "
        "stiffened by spondylitis can be harmed by a chair's pressure and stretching.",
    ),
    _guest_question(
        "Do you have cancer anywhere, or are you being treated for it?",
        _C.MALIGNANCY_ELSEWHERE,
        _C.SPINAL_TUMOUR,
        _C.MALIGNANCY_AT_SITE,
        _C.CANCER_SPREAD_TO_BONE,
        reason="Cancer and its treatment can weaken bones and tissues, and a tumour must not "
        "be massaged.",
    ),
    _guest_question(
        "Where the chair would touch you, do you have a new strain or sprain, a wound, a scar "
        "that is still healing, an infection, or skin treated with radiotherapy?",
        _C.ACUTE_STRAIN,
        _C.WOUND_SCAR_OR_IRRADIATED_SKIN,
        _C.SKIN_INFECTION_AT_SITE,
        reason="Injured, healing, infected or irradiated skin and muscle can be made worse by a "
        "chair's pressure and rubbing.",
    ),
    _guest_question(
        "Right now, do you have a fever (38 °C or more) or a broken bone that is still "
        "healing, or have you had an operation of any kind in the last 3 months?",
        _C.FEVER,
        _C.RECENT_FRACTURE,
        _C.RECENT_SURGERY,
        reason="A fever, a healing bone or a recent operation is a reason not to have a "
        "massage for now.",
    ),
    _guest_question(
        "Do you have osteoporosis, a pacemaker or other implant, a heart condition, high blood "
        "pressure that is not under control or a bleeding disorder, do you take blood thinners "
        "or aspirin every day, or are you pregnant or did you give birth recently?",
        _C.OSTEOPOROSIS,
        _C.PACEMAKER_OR_IMPLANT,
        _C.HEART_DISEASE,
        _C.UNCONTROLLED_HYPERTENSION,
        _C.BLEEDING_DISORDER,
        _C.ANTICOAGULANTS,
        _C.PREGNANCY,
        reason="With this, a massage chair is only for someone a doctor has cleared, and then "
        "with a profile that holds their limits (chairctl profiles add).",
    ),
    _guest_question(
        "Could you find it hard, at any moment, to press stop on the remote yourself or to "
        "tell someone that it hurts (for example with weak or stiff hands or confusion)?",
        _C.CANNOT_OPERATE_ALONE,
    ),
)

#: Shown to a guest who was not asked, or did not answer every question.
GUEST_NOT_SCREENED: Final = (
    "You have not answered the health questions, so the chair keeps to its gentlest; if you "
    "have a health condition, ask a doctor before using it and make a profile."
)
#: Shown to a guest who answered every question "no".
GUEST_SCREENED: Final = (
    "You answered the guest's questions only, so the chair keeps to its gentlest; a profile "
    "asks the full health check (chairctl profiles add)."
)


def screen_guest(answers: Mapping[Condition, bool] | None) -> Screening:
    """Screen a guest by their answers to :data:`GUEST_BLOCK_QUESTIONS`, keyed by each
    question's ``condition`` (a yes keyed by another condition the question covers counts too).

    A yes to any question refuses the session; otherwise the guest gets :data:`GUEST_CAPS`
    (with the first-use caps), and, unless every question was answered, the notice
    :data:`GUEST_NOT_SCREENED`. Raises :class:`ValueError` for an answer no question asks.
    """
    answers = answers or {}
    asked = frozenset().union(*(q.covers for q in GUEST_BLOCK_QUESTIONS))
    if stray := sorted(set(answers) - asked):
        raise ValueError(f"no guest question asks about {', '.join(stray)}")
    base = screen(guest_profile())
    blocked: list[str] = []
    for question in GUEST_BLOCK_QUESTIONS:
        if not any(answers.get(c, False) for c in question.covers):
            continue
        rule = CONDITION_RULES[question.condition]
        reason = question.reason or rule.reason
        advice = rule.advice if rule.tier is Tier.BLOCK else _CONSULT
        blocked.append(f"{reason} {advice}")
    answered = all(q.condition in answers for q in GUEST_BLOCK_QUESTIONS)
    said = GUEST_SCREENED if answered else GUEST_NOT_SCREENED
    return replace(base, blocked=blocked, notices=[said, *base.notices])


def contraindicated_for(program: Program, screening: Screening) -> str | None:
    """Why ``program`` is not meant for the screened person by its contraindications (one of
    their health answers, cleared or not, is among them); None when none is."""
    named = [c for c in program.contraindications if c in screening.profile.health.conditions]
    if not named:
        return None
    words = _listed(condition.value.replace("-", " ") for condition in named)
    return f"{program.name} is not meant for someone with {words}; choose another program."
