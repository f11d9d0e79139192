"""``--speed``: the clock a front end drives a chair on, faster than real time for a simulated
chair only.

The built-in simulated chair shares the front end's event loop, so its time can be virtual and
paced (:class:`~chairctl.clock.PacedClock`); a chair served by ``chairctl sim serve --speed`` on
a pty or TCP port runs on sped-up wall time (:class:`~chairctl.clock.ScaledClock`), and the
driver's margin for jitter on the wire grows by the same factor. A Bluetooth chair is a real
chair: it never runs faster.
"""

from __future__ import annotations

from typing import Final

from chairctl.clock import Clock, PacedClock, RealClock, ScaledClock
from chairctl.services.chairs import ChairAddress
from chairctl.vocabulary import ChairctlError
from drivers.session import SessionConfig

#: The links that may reach a simulated chair.
SPEEDABLE: Final = ("sim", "serial")


def check_speed(address: ChairAddress, speed: float | None) -> None:
    """Refuse a speed for a chair that cannot go faster than real time."""
    if speed is not None and speed != 1 and address.kind not in SPEEDABLE:
        raise ChairctlError(
            "--speed: only a simulated chair runs faster (sim, or a serial link to chairctl "
            "sim serve)"
        )


def clock_for(address: ChairAddress, speed: float | None) -> Clock:
    """The clock for ``address`` at ``speed`` (None or 1: real time)."""
    if speed is None or speed == 1 or address.kind not in SPEEDABLE:
        return RealClock()
    if address.kind == "sim":
        return PacedClock(speed)
    return ScaledClock(speed)


def session_config_for(clock: Clock) -> SessionConfig:
    """The session's settings on ``clock``: the margin on the key gap is for jitter on the
    wire, which is real time, so on a clock running faster it grows by the same factor."""
    config = SessionConfig()
    if isinstance(clock, ScaledClock):
        return SessionConfig(key_gap_margin_s=config.key_gap_margin_s * clock.factor)
    return config
