"""The simulated firmwares' named timers and the actuator travel watchdog, on a virtual clock."""

from __future__ import annotations

import math
from functools import partial

from chairctl.clock import VirtualClock
from chairctl.vocabulary import ActuatorMotion
from simulator.physics.motion import Path, Polyline
from simulator.physics.parts import Actuator
from simulator.physics.watchdog import ActuatorWatchdog
from simulator.timers import NamedTimers
from simulator.trace import Channel

TIMEOUT_S = 15.0


# -- named timers ---------------------------------------------------------------------------


async def test_a_named_timer_fires_once_at_its_time() -> None:
    clock = VirtualClock()
    timers: NamedTimers[str] = NamedTimers(clock)
    fired: list[float] = []
    timers.at("scan", 5.0, lambda: fired.append(clock.now()))
    assert timers.pending("scan")
    await clock.advance(4.9)
    assert fired == []
    await clock.advance(10.0)
    assert fired == [5.0]
    assert not timers.pending("scan")


async def test_arming_a_name_again_replaces_the_earlier_timer() -> None:
    clock = VirtualClock()
    timers: NamedTimers[str] = NamedTimers(clock)
    fired: list[tuple[str, float]] = []
    timers.at("idle", 3.0, lambda: fired.append(("first", clock.now())))
    timers.at("idle", 7.0, lambda: fired.append(("second", clock.now())))
    await clock.advance(10.0)
    assert fired == [("second", 7.0)]


async def test_names_are_independent_and_cancel_takes_only_its_own() -> None:
    clock = VirtualClock()
    timers: NamedTimers[str] = NamedTimers(clock)
    fired: list[str] = []
    timers.at("scan", 1.0, lambda: fired.append("scan"))
    timers.at("session", 2.0, lambda: fired.append("session"))
    timers.cancel("scan")
    timers.cancel("never armed")
    assert not timers.pending("scan")
    assert timers.pending("session")
    await clock.advance(5.0)
    assert fired == ["session"]


async def test_cancel_all_keeps_every_timer_from_firing() -> None:
    clock = VirtualClock()
    timers: NamedTimers[str] = NamedTimers(clock)
    fired: list[str] = []
    for name in ("scan", "idle", "settle"):
        timers.at(name, 1.0, partial(fired.append, name))
    timers.cancel_all()
    assert not any(timers.pending(name) for name in ("scan", "idle", "settle"))
    await clock.advance(5.0)
    assert fired == []


async def test_a_callback_may_arm_its_own_name_again() -> None:
    clock = VirtualClock()
    timers: NamedTimers[str] = NamedTimers(clock)
    fired: list[float] = []

    def step() -> None:
        fired.append(clock.now())
        if len(fired) < 3:
            timers.at("technique", clock.now() + 2.0, step)

    timers.at("technique", 2.0, step)
    await clock.advance(3.0)
    # The timer the callback armed is pending, not forgotten with the one that fired.
    assert timers.pending("technique")
    await clock.advance(10.0)
    assert fired == [2.0, 4.0, 6.0]
    assert not timers.pending("technique")


# -- actuator watchdog ----------------------------------------------------------------------


def actuator(travel_s: float) -> Actuator:
    path: Channel[Path] = Channel(0.0, Polyline.hold(0.0, 0.0))
    return Actuator(path, travel_s, up_is_home=False)


def watchdog(
    clock: VirtualClock, **travel_s: float
) -> tuple[ActuatorWatchdog[str], list[tuple[str, float]]]:
    """A watchdog over one actuator per keyword, and the (part, time) of every overrun."""
    overruns: list[tuple[str, float]] = []
    parts = {name: actuator(travel) for name, travel in travel_s.items()}
    dog = ActuatorWatchdog(
        clock, parts, TIMEOUT_S, lambda part: overruns.append((part, clock.now()))
    )
    return dog, overruns


async def test_a_drive_shorter_than_the_timeout_is_not_watched() -> None:
    clock = VirtualClock()
    dog, overruns = watchdog(clock, backrest=10.0)
    ends = dog.drive("backrest", ActuatorMotion.UP, None, clock.now())
    assert ends == 10.0
    assert not dog.armed("backrest")
    await clock.advance(60.0)
    assert overruns == []
    assert dog.actuators["backrest"].at(clock.now()) == 1.0


async def test_a_drive_longer_than_the_timeout_overruns_when_it_runs_out() -> None:
    clock = VirtualClock()
    dog, overruns = watchdog(clock, backrest=10.0, leg_rest=20.0)
    dog.drive("backrest", ActuatorMotion.UP, None, 0.0)
    assert dog.drive("leg_rest", ActuatorMotion.UP, None, 0.0) == 20.0
    assert dog.armed("leg_rest")
    await clock.advance(60.0)
    assert overruns == [("leg_rest", TIMEOUT_S)]
    assert not dog.armed("leg_rest")


async def test_a_short_drive_after_a_long_one_disarms_the_watchdog() -> None:
    clock = VirtualClock()
    dog, overruns = watchdog(clock, leg_rest=20.0)
    dog.drive("leg_rest", ActuatorMotion.UP, None, 0.0)
    await clock.advance(5.0)
    # From 0.25 back home takes 5 s: well inside the timeout.
    dog.drive("leg_rest", ActuatorMotion.DOWN, 0.0, clock.now())
    assert not dog.armed("leg_rest")
    await clock.advance(60.0)
    assert overruns == []


async def test_stopping_a_part_disarms_its_watchdog() -> None:
    clock = VirtualClock()
    dog, overruns = watchdog(clock, leg_rest=20.0)
    dog.drive("leg_rest", ActuatorMotion.UP, None, 0.0)
    await clock.advance(5.0)
    dog.stop("leg_rest", clock.now())
    assert not dog.armed("leg_rest")
    assert dog.actuators["leg_rest"].motion(clock.now()) is ActuatorMotion.STOPPED
    await clock.advance(60.0)
    assert overruns == []


async def test_a_part_stopped_behind_its_back_does_not_trip() -> None:
    clock = VirtualClock()
    dog, overruns = watchdog(clock, leg_rest=20.0)
    dog.drive("leg_rest", ActuatorMotion.UP, None, 0.0)
    dog.actuators["leg_rest"].stop(5.0)
    await clock.advance(60.0)
    assert overruns == []


async def test_failed_limit_switches_arm_the_watchdog_from_when_the_drive_started() -> None:
    clock = VirtualClock()
    dog, overruns = watchdog(clock, backrest=10.0, leg_rest=10.0)
    dog.drive("backrest", ActuatorMotion.UP, None, 0.0)
    # A drive to a point short of the end stop ends by itself whatever the switches do.
    dog.drive("leg_rest", ActuatorMotion.UP, 0.5, 0.0)
    await clock.advance(4.0)
    assert dog.fail_limit_switches(clock.now()) == ["backrest"]
    assert dog.armed("backrest")
    await clock.advance(60.0)
    assert overruns == [("backrest", TIMEOUT_S)]
    assert dog.actuators["backrest"].motion(clock.now()) is ActuatorMotion.UP


async def test_failed_limit_switches_leave_a_resting_part_alone() -> None:
    clock = VirtualClock()
    dog, overruns = watchdog(clock, backrest=10.0)
    assert dog.fail_limit_switches(0.0) == []
    await clock.advance(60.0)
    assert overruns == []
    # The next drive to an end stop never ends, so it is watched from its start.
    assert dog.drive("backrest", ActuatorMotion.UP, None, clock.now()) == math.inf
    await clock.advance(60.0)
    assert overruns == [("backrest", 60.0 + TIMEOUT_S)]


async def test_shutdown_cancels_every_watchdog() -> None:
    clock = VirtualClock()
    dog, overruns = watchdog(clock, backrest=20.0, leg_rest=20.0)
    dog.drive("backrest", ActuatorMotion.UP, None, 0.0)
    dog.drive("leg_rest", ActuatorMotion.UP, None, 0.0)
    dog.shutdown()
    assert not dog.armed("backrest")
    assert not dog.armed("leg_rest")
    await clock.advance(60.0)
    assert overruns == []
