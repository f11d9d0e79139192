"""The baseline for the following benchmark: keys sent the way the vendor's app sends them.

The Rongtai app fires a key and moves on: it never reads the status to see whether a key took
and never sends one again. Its pacing is a fixed delay: 1.0 s after POWER (the iOS app's
``afterDelay:1.0``), and, as the app has no other documented delay, the same second between
any two other keys. The one thing it does read is the work state: while the chair reports
``resetting`` (its body scan) it sends nothing. That is a gate on sending, not a confirmation.
A hold-to-move key is a person holding a button: the STOP follows its START after as long a
hold as the one given.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from chairctl.clock import Clock
from chairctl.vocabulary import ChairStatus, WorkState
from drivers.adapters.base import StatusDecoding
from drivers.models.rongtai import RongtaiModel

#: The app's wait after POWER before the next key (the iOS app's ``afterDelay:1.0``).
AFTER_POWER_S = 1.0
#: The app's wait between any two other keys. The app documents no other delay than the one
#: after POWER, so it is taken for every key: a person tapping through the app's screens is
#: no faster.
BETWEEN_KEYS_S = 1.0


@dataclass
class StatusWatch:
    """The statuses a raw connection receives, decoded; tells when the chair is resetting."""

    decoder: StatusDecoding
    latest: ChairStatus | None = None
    _free: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._free.set()

    def feed(self, data: bytes) -> None:
        """Bytes from the chair (the connection's ``on_data``)."""
        for status in self.decoder.feed(data):
            self.latest = status
            if status.work_state is WorkState.RESETTING:
                self._free.clear()
            else:
                self._free.set()

    async def not_resetting(self) -> None:
        """Return once the latest status does not say ``resetting``."""
        await self._free.wait()


def hold_pairs(model: RongtaiModel) -> dict[int, int]:
    """STOP key -> its START, for every hold-to-move pair of the model."""
    keys = model.keys
    pairs: dict[int, int] = {}
    for hold in (keys.walk, keys.backrest, keys.leg_rest):
        if hold is not None:
            pairs[hold.up_stop] = hold.up_start
            pairs[hold.down_stop] = hold.down_start
    return pairs


def hold_times(model: RongtaiModel, keys: Sequence[tuple[float, int]]) -> dict[int, float]:
    """For each STOP in a timed key sequence, how long after its START it went out (by index)."""
    pairs = hold_pairs(model)
    started: dict[int, float] = {}
    holds: dict[int, float] = {}
    for index, (at, key) in enumerate(keys):
        start = pairs.get(key)
        if start is not None and start in started:
            holds[index] = at - started.pop(start)
        elif key in pairs.values():
            started[key] = at
    return holds


async def send(
    clock: Clock,
    write: Callable[[bytes], None],
    watch: StatusWatch,
    *,
    encode: Callable[[int], bytes],
    model: RongtaiModel,
    sequence: Sequence[int],
    holds: dict[int, float],
) -> list[float]:
    """Send ``sequence`` the app's way; when each key went out.

    ``holds`` gives, by index in ``sequence``, how long after its START a STOP is sent
    (see :func:`hold_times`); a STOP without one is sent like any other key.
    """
    sent: list[float] = []
    for index, key in enumerate(sequence):
        held = holds.get(index)
        if held is not None and index:
            # Releasing a held button: as long a hold as given, no gate, no delay.
            start_at = sent[_start_index(model, sequence, index)]
            await clock.sleep_until(max(sent[-1], start_at + held))
        else:
            if index:
                previous = sequence[index - 1]
                wait = AFTER_POWER_S if previous == model.keys.power else BETWEEN_KEYS_S
                await clock.sleep_until(sent[-1] + wait)
            await watch.not_resetting()
        write(encode(key))
        sent.append(clock.now())
    return sent


def _start_index(model: RongtaiModel, sequence: Sequence[int], stop_index: int) -> int:
    """Where the START that the STOP at ``stop_index`` releases is in ``sequence``."""
    start = hold_pairs(model)[sequence[stop_index]]
    for index in range(stop_index - 1, -1, -1):
        if sequence[index] == start:
            return index
    raise ValueError(f"the STOP at {stop_index} has no START before it")
