"""The Tuya adapter end to end: a real ChairSession on the simulated Tuya chair, in memory.

Nothing of ours is mocked: the session talks to a real :class:`~simulator.tuya.chair.TuyaChair`
through the in-memory link, on a VirtualClock, and each test judges by the chair's ground
truth (its trace and its DP values), not by what the driver believes it sent.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import (
    SAFE_SETPOINT,
    AirbagZone,
    ChairFault,
    Heater,
    HeatLevel,
    Interrupted,
    NotConfirmed,
    Posture,
    Region,
    Setpoint,
    Technique,
    Width,
    WorkState,
)
from drivers.adapters.tuya import TuyaAdapter
from drivers.chair import ChairSession
from drivers.models.tuya import TuyaCode, TuyaModel
from drivers.session import LinkState
from simulator import LinkDrop, Overload
from simulator.config import ChairOptions
from simulator.families import simulated_chair
from simulator.reach import links_to
from simulator.tuya.chair import TuyaChair
from tests.drivers.tuya_adapter.tuyareports import example, variant

MODEL = example()
BACK = (Region.SHOULDERS, Region.UPPER_BACK, Region.MID_BACK, Region.LOWER_BACK)
#: Knead the lower back (the chair's waist_relax mode), with arm airbags and lumbar heat.
LOWER_BACK = Setpoint(
    technique=Technique.KNEAD,
    regions=(Region.LOWER_BACK,),
    airbags={AirbagZone.ARMS: 3},
    heat={Heater.LUMBAR: HeatLevel.MEDIUM},
)
#: Knock the whole back (the chair's manual knock mode), fast and wide, with the foot roller.
WHOLE_BACK = Setpoint(
    technique=Technique.KNOCK, regions=BACK, speed=5, width=Width.WIDE, foot_rollers=1
)
SCAN_S = MODEL.mechanics.body_scan_s


def dp(code: TuyaCode) -> int:
    """The example model's DP id of ``code``."""
    return MODEL.datapoints[code].id


@dataclass
class Rig:
    """A session connected to a simulated Tuya chair, and every DP the chair was set."""

    session: ChairSession
    chair: TuyaChair
    clock: VirtualClock
    #: (time, DP id) of every record the chair received in a deliver.
    heard: list[tuple[float, int]] = field(default_factory=list)

    def mark(self) -> int:
        """A place in :attr:`heard`, for :meth:`heard_since`."""
        return len(self.heard)

    def heard_since(self, mark: int) -> list[int]:
        """The DP ids set since ``mark``."""
        return [dpid for _, dpid in self.heard[mark:]]

    def state(self) -> WorkState:
        """What the chair's firmware is doing now."""
        return self.chair.work_state

    def values(self) -> dict[str, object]:
        return dict(self.chair.values)


RigMaker = Callable[..., Awaitable[Rig]]


@pytest.fixture
async def make_rig() -> AsyncIterator[RigMaker]:
    """Connected rigs on demand (``chair_model``: a chair that differs from the session's
    model); each session is closed, then each chair."""
    rigs: list[Rig] = []
    served = contextlib.AsyncExitStack()

    async def make(
        *, chair_model: TuyaModel | None = None, options: ChairOptions | None = None
    ) -> Rig:
        clock = VirtualClock()
        chair = simulated_chair(chair_model or MODEL, clock, options=options)
        assert isinstance(chair, TuyaChair)
        heard: list[tuple[float, int]] = []
        chair.listen_keys(lambda dpid: heard.append((clock.now(), dpid)))
        links = await served.enter_async_context(links_to("memory", MODEL, chair, clock))
        session = ChairSession(MODEL, links, clock, adapter=TuyaAdapter(MODEL))
        rig = Rig(session, chair, clock, heard)
        rigs.append(rig)
        await clock.run(session.connect())
        return rig

    try:
        yield make
        for rig in rigs:
            await rig.clock.run(rig.session.close())
    finally:
        await served.aclose()
        for rig in rigs:
            rig.chair.close()


@pytest.fixture
async def rig(make_rig: RigMaker) -> Rig:
    return await make_rig()


def occupancy(rig: Rig, since: float) -> dict[tuple[Technique | None, Region | None], float]:
    return rig.chair.trace.roller_occupancy(since, rig.clock.now())


# --- applying ------------------------------------------------------------------------------


async def test_a_setpoint_runs_the_nearest_mode_with_airbags_and_heat(rig: Rig) -> None:
    session, chair, clock = rig.session, rig.chair, rig.clock
    await clock.run(session.apply(LOWER_BACK))
    assert session.status is not None
    assert session.status.program == "waist_relax"
    assert rig.heard[0][1] == dp("switch")
    # During the scan the rollers are not on the region yet, and the adapter says so.
    assert session.adapter.region_of(session.status) is None
    # The rollers wait for the body scan, then travel from the shoulder line (where the scan
    # leaves them) to the lower back, and from then on work it only.
    switched_on = rig.heard[0][0]
    there = switched_on + SCAN_S + MODEL.mechanics.roller_travel_s
    await clock.advance_to(there + 40)
    worked = occupancy(rig, there)
    assert set(worked) <= {
        (Technique.KNEAD, Region.LOWER_BACK),
        (Technique.SHIATSU, Region.LOWER_BACK),
    }
    assert sum(worked.values()) == pytest.approx(40, abs=0.1)
    state = chair.state()
    assert state.heat_on
    assert state.airbags[AirbagZone.ARMS] > 0
    assert all(p == 0 for zone, p in state.airbags.items() if zone is not AirbagZone.ARMS)
    assert session.adapter.region_of(session.status) is Region.LOWER_BACK


async def test_the_whole_back_runs_the_manual_mode_with_its_technique(rig: Rig) -> None:
    session, chair, clock = rig.session, rig.chair, rig.clock
    await clock.run(session.apply(WHOLE_BACK))
    assert session.status is not None
    assert session.adapter.region_of(session.status) is None
    started = clock.now() + SCAN_S
    await clock.advance(SCAN_S + 30)
    worked = occupancy(rig, started)
    assert {technique for technique, _ in worked} == {Technique.KNOCK}
    assert {region for _, region in worked} <= set(BACK)
    state = chair.state()
    assert (state.roller_speed, state.roller_width, state.foot_roller) == (3, Width.WIDE, 1)
    assert not state.heat_on


async def test_a_change_turns_off_first_then_on(rig: Rig) -> None:
    session, chair, clock = rig.session, rig.chair, rig.clock
    await clock.run(session.apply(LOWER_BACK))
    await clock.advance(SCAN_S + 10)
    changed = rig.mark()
    await clock.run(session.apply(WHOLE_BACK))
    heard = rig.heard_since(changed)
    # Heat and airbags go before the new mode starts and the foot roller comes on.
    assert (
        heard.index(dp("heat")) < heard.index(dp("manual_mode")) < heard.index(dp("foot_control"))
    )
    assert heard.index(dp("aircell_location")) < heard.index(dp("manual_mode"))
    await clock.advance(MODEL.mechanics.airbag_vent_s + 1)
    state = chair.state()
    assert not state.heat_on
    assert all(p == 0 for p in state.airbags.values())
    assert (state.roller_technique, state.foot_roller) == (Technique.KNOCK, 1)
    assert rig.values()["auto_mode"] == "close"


async def test_the_same_setpoint_again_sends_nothing(rig: Rig) -> None:
    session, clock = rig.session, rig.clock
    await clock.run(session.apply(LOWER_BACK))
    again = rig.mark()
    await clock.run(session.apply(LOWER_BACK))
    assert rig.heard_since(again) == []


async def test_nothing_asked_stops_everything_but_keeps_the_chair_on(rig: Rig) -> None:
    session, chair, clock = rig.session, rig.chair, rig.clock
    await clock.run(session.apply(WHOLE_BACK))
    await clock.advance(SCAN_S + 5)
    await clock.run(session.apply(SAFE_SETPOINT))
    state = chair.state()
    assert (state.roller_technique, state.foot_roller) == (None, 0)
    assert chair.work_state is WorkState.WAITING


async def test_the_chairs_timer_covers_the_session(rig: Rig) -> None:
    # The chair counts from the set, before the session's clock starts: a minute's slack.
    rig.session.expect_session(8 * 60 + 30)
    await rig.clock.run(rig.session.apply(LOWER_BACK))
    assert rig.values()["time_set"] == 10
    # Set once per power-on: the same setpoint again does not restart the chair's count.
    again = rig.mark()
    await rig.clock.run(rig.session.apply(LOWER_BACK))
    assert dp("time_set") not in rig.heard_since(again)
    # Switched off, the chair forgets it: the next power-on sets it again.
    await rig.clock.run(rig.session.stop())
    assert rig.values()["time_set"] == 10
    rig.session.expect_session(24 * 60)
    await rig.clock.run(rig.session.apply(LOWER_BACK))
    assert rig.values()["time_set"] == 25


async def test_when_the_chairs_timer_ends_the_next_apply_starts_it_again(rig: Rig) -> None:
    session, clock = rig.session, rig.clock
    session.expect_session(50)  # with the slack: two minutes
    await clock.run(session.apply(WHOLE_BACK))
    await clock.advance(121)
    # The chair switched itself off and said so on its own; the status shows it.
    assert rig.state() is not WorkState.RUNNING
    assert session.status is not None
    assert not session.status.running
    await clock.run(session.apply(WHOLE_BACK))
    assert rig.values()["switch"] is True
    assert rig.values()["manual_mode"] == "knock"


async def test_zero_gravity_is_entered_and_left_only_when_ours(rig: Rig) -> None:
    session, chair, clock = rig.session, rig.chair, rig.clock
    options = ChairOptions()
    await clock.run(session.apply(Setpoint(posture=Posture.ZERO_G_1)))
    assert chair.work_state is WorkState.STANDBY  # a posture needs no power
    await clock.advance(MODEL.mechanics.backrest_travel_s)
    assert chair.state().backrest == pytest.approx(options.zero_g_backrest)
    await clock.run(session.apply(Setpoint(posture=Posture.ZERO_G_2)))
    await clock.advance(MODEL.mechanics.backrest_travel_s)
    further = chair.state().backrest
    assert further > options.zero_g_backrest
    await clock.run(session.apply(SAFE_SETPOINT))
    await clock.advance(MODEL.mechanics.backrest_travel_s)
    assert chair.state().backrest == 0


async def test_a_set_the_chair_ignores_is_resent_then_not_confirmed(make_rig: RigMaker) -> None:
    # The chair's product has no tuina: the driver's index for it is out of the chair's range.
    chair_model = variant(
        datapoints={
            **{c: p.model_dump(exclude_none=True) for c, p in MODEL.datapoints.items()},
            "manual_mode": {"id": dp("manual_mode"), "range": ["pinch", "beat", "knock", "close"]},
        },
        techniques={"knead": {"value": "pinch"}, "tap": {"value": "beat"}},
    )
    rig = await make_rig(chair_model=chair_model)
    roll = Setpoint(technique=Technique.ROLL, regions=BACK)
    started = rig.mark()
    with pytest.raises(NotConfirmed, match="manual_mode=tuina did not take: it was set 4 times"):
        await rig.clock.run(rig.session.apply(roll))
    assert rig.heard_since(started).count(dp("manual_mode")) == MODEL.protocol.resends + 1
    assert rig.chair.state().roller_technique is None


# --- stop, faults, the link ----------------------------------------------------------------


async def test_stop_switches_the_chair_off_and_it_settles(rig: Rig) -> None:
    session, chair, clock = rig.session, rig.chair, rig.clock
    await clock.run(session.apply(LOWER_BACK))
    await clock.advance(SCAN_S + 20)
    await clock.run(session.stop())
    report = session.last_stop
    assert report is not None
    assert report.safe
    assert session.status is not None
    assert session.adapter.is_safe(session.status)
    state = chair.state()
    assert state.roller_technique is None
    assert not state.heat_on
    assert all(p == 0 for p in state.airbags.values())  # vented before stop() returned
    await clock.advance(MODEL.timing.settle_cap_s)
    assert chair.work_state is WorkState.STANDBY


async def test_a_fault_latches_until_the_user_clears_it(rig: Rig) -> None:
    session, chair, clock = rig.session, rig.chair, rig.clock
    await clock.run(session.apply(WHOLE_BACK))
    await clock.advance(SCAN_S + 5)
    chair.inject(Overload())
    await clock.advance(1)
    assert session.fault is not None
    assert session.fault.error_code == 1
    assert chair.state().roller_technique is None
    with pytest.raises(ChairFault):
        await clock.run(session.apply(WHOLE_BACK))
    await clock.run(session.stop())
    assert session.last_stop is not None
    assert session.last_stop.safe
    # Nothing acknowledged the fault but the user's word.
    await clock.advance(60)
    assert rig.state() is WorkState.FAULT
    await clock.run(session.clear_fault())
    assert rig.state() is WorkState.STANDBY
    assert rig.values()["fault"] == 0
    await clock.run(session.apply(WHOLE_BACK))
    assert rig.values()["manual_mode"] == "knock"


async def test_a_dropped_link_is_reconnected_released_and_nothing_resumes(rig: Rig) -> None:
    session, chair, clock = rig.session, rig.chair, rig.clock
    await clock.run(session.apply(LOWER_BACK))
    await clock.advance(SCAN_S + 5)
    chair.inject(LinkDrop())
    interruption = await clock.run(session.wait_recovery())
    assert interruption is not None
    assert interruption.reconnected
    assert interruption.safe
    assert rig.values()["switch"] is False
    safe_at = rig.mark()
    await clock.advance(60)
    assert rig.heard_since(safe_at) == []
    with pytest.raises(Interrupted):
        await clock.run(session.apply(LOWER_BACK))
    session.acknowledge_interruption()
    await clock.run(session.apply(LOWER_BACK))
    assert rig.values()["auto_mode"] == "waist_relax"


async def test_a_quiet_chair_stays_connected(rig: Rig) -> None:
    # The MCU reports only when asked: the DP query cadence keeps statuses coming.
    counted = rig.session.feed.count
    await rig.clock.advance(60)
    assert rig.session.link_state is LinkState.CONNECTED
    assert rig.session.feed.count - counted >= 60 / (MODEL.protocol.query_period_ms / 1000) - 1
