"""A real ChairSession with a KoreanAdapter, over an in-memory link, on the simulated Korean
chair; and views built by hand for the reconciler's decisions.

Nothing of ours is mocked: the session, the codec, the blink reader and the simulated chair
are the real ones, on one VirtualClock. The chair's own key listener logs every code it heard
(presses and releases), to judge what crossed the line. Judgements about the massage use the
chair's ground truth (its trace).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

from chairctl.clock import VirtualClock
from chairctl.vocabulary import MassageRange, Width
from drivers.adapters.korean import KoreanAdapter, View
from drivers.chair import ChairSession
from drivers.models import get_model_as
from drivers.models.korean import KoreanModel
from simulator import ChairOptions, Sitter
from simulator.families import simulated_chair
from simulator.korean.chair import KoreanChair
from simulator.reach import links_to

MODEL = get_model_as("korean-ascii-remote", KoreanModel)
assert isinstance(MODEL, KoreanModel)
KEYS = MODEL.keys


@dataclass
class KoreanRig:
    """A connected session, its adapter and chair, and the codes the chair heard."""

    session: ChairSession
    adapter: KoreanAdapter
    chair: KoreanChair
    clock: VirtualClock
    #: (time, code) as the chair heard each code, presses and releases alike.
    heard: list[tuple[float, int]] = field(default_factory=list)

    def codes(self, since: float = float("-inf")) -> list[int]:
        """The codes the chair heard from ``since`` on, in order."""
        return [code for at, code in self.heard if at >= since]

    def presses(self, since: float = float("-inf")) -> list[int]:
        """The press codes the chair heard from ``since`` on (releases left out)."""
        releases = MODEL.releases
        return [code for code in self.codes(since) if code not in releases]

    def count(self, press: int, since: float = float("-inf")) -> int:
        return self.presses(since).count(press)


@contextlib.asynccontextmanager
async def korean_rig(
    *,
    chair_model: KoreanModel | None = None,
    model: KoreanModel = MODEL,
    sitter: Sitter | None = None,
    options: ChairOptions | None = None,
) -> AsyncIterator[KoreanRig]:
    """A session connected to a simulated Korean chair, switched off (``chair_model``: the
    chair's own model, when a test needs a chair that differs from what the driver believes,
    ``model``)."""
    clock = VirtualClock()
    chair = simulated_chair(chair_model or model, clock, sitter=sitter, options=options)
    assert isinstance(chair, KoreanChair)
    try:
        async with links_to("memory", model, chair, clock) as links:
            adapter = KoreanAdapter(model)
            rig = KoreanRig(
                ChairSession(model, links, clock, adapter=adapter), adapter, chair, clock
            )
            chair.listen_keys(lambda code: rig.heard.append((clock.now(), code)))
            await clock.run(rig.session.connect())
            try:
                yield rig
            finally:
                await clock.run(rig.session.close())
    finally:
        chair.close()


def with_keys(**pairs: tuple[int, int]) -> KoreanModel:
    """The shipped model with some buttons' (press, release) codes changed: a chair that hears
    the driver's code for one button as another's, or as nothing at all."""
    data = MODEL.model_dump()
    for name, (press, release) in pairs.items():
        data["keys"][name] = {"press": press, "release": release}
    return KoreanModel.model_validate(data)


def with_fields(**fields: Any) -> KoreanModel:
    """The shipped model with some fields changed (validated again)."""
    data = MODEL.model_dump()
    data.update(fields)
    return KoreanModel.model_validate(data)


#: A chair the adapter switched on, its scan over, nothing selected: the start of most views.
ON = View(
    current=True,
    lit=True,
    dark=False,
    fault=False,
    timer=15,
    air=False,
    strength=1,
    speed=3,
    width=Width.MEDIUM,
    area=MassageRange.FULL,
    manual=False,
    technique=None,
    techniques_active=frozenset(),
    techniques_idle=True,
    rollers_passing=frozenset(),
    auto_program=None,
    heat=False,
    foot=False,
    moving=False,
    motion_unknown=False,
    airbags_active=frozenset(),
    shorts=1,
    beeps=0,
    double_beeps=0,
)
#: A chair off: its display dark through a whole window.
OFF = replace(ON, lit=False, dark=True, timer=None, area=MassageRange.FULL)


def working(place: int, **more: Any) -> View:
    """On, in manual mode, technique ``place``'s lamp blinking."""
    return replace(
        ON,
        manual=True,
        technique=place,
        techniques_active=frozenset({place}),
        techniques_idle=False,
        rollers_passing=frozenset({3}),
        **more,
    )
