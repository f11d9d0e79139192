"""The toggle rule: press a key, then let the status say whether it took.

Many chair keys are toggles (POWER, heat, airbag groups, a cycling intensity key), so
pressing one twice undoes it. A key is therefore sent once and judged by the statuses that
follow: it took when a status shows the change; it did not take only when a status that
arrived a settle window after the key still shows the old state. A lost or damaged status
frame is no evidence either way, so it never causes a second press. After a key has been
refuted ``attempts`` times, :class:`~chairctl.vocabulary.NotConfirmed` says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from chairctl.vocabulary import ChairStatus, NotConfirmed
from drivers.adapters.base import Port

#: Statuses give up this many settle windows after a key when none arrives at all; by then
#: the session's status watchdog has normally declared the link lost.
_SILENCE_WINDOWS = 10


class Confirmer:
    """Sends keys under the toggle rule and counts refutations per purpose."""

    def __init__(self, window_s: float, attempts: int, key_name: Callable[[int], str]) -> None:
        if window_s <= 0 or attempts < 1:
            raise ValueError("the settle window must be positive and attempts at least 1")
        self.window_s = window_s
        self.attempts = attempts
        self._key_name = key_name
        self._refuted: Counter[str] = Counter()

    async def press(
        self, port: Port, key: int, label: str, taken: Callable[[ChairStatus], bool]
    ) -> tuple[float, ChairStatus]:
        """Press ``key`` for ``label``; when it was sent and the status that judged it.

        Returns after a status showed ``taken``, or after one that arrived a settle window
        after the key did not: the caller then plans again from that status, which is what
        makes a re-press follow only from evidence. Raises :class:`NotConfirmed` when
        ``label`` has now been refuted ``attempts`` times, or when no status comes at all.
        """
        sent = await port.press(key)
        judged_by = sent + self.window_s
        status = await port.wait(
            lambda s, at: taken(s) or at >= judged_by,
            deadline=sent + _SILENCE_WINDOWS * self.window_s,
        )
        if status is None:
            raise NotConfirmed(
                f"{label}: no status came within {_SILENCE_WINDOWS * self.window_s:g} s of "
                f"{self._key_name(key)} to say whether it took"
            )
        if not taken(status):
            self._refuted[label] += 1
            if self._refuted[label] >= self.attempts:
                raise NotConfirmed(
                    f"{label} did not take: {self._key_name(key)} was sent "
                    f"{self._refuted[label]} times, and each time the status "
                    f"{self.window_s:g} s later still showed no change"
                )
        return sent, status

    def refutations(self, label: str) -> int:
        """How often ``label`` was refuted so far."""
        return self._refuted[label]
