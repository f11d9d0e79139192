"""A rest between sessions and a daily cap, per person, from the session log.

Long, sustained compression damages muscle (NCAC's second mechanism), and the woman whose
spine was ground by a chair used it once or twice a day at its defaults
(docs/sources.md section 3.3); section 3.4 asks for a rest before the next session and a
daily cap. So for each profile:

- after a session, a rest as long as its massage, at most :data:`COOLDOWN_MAX_S`;
- at most :data:`DAILY_CAP_S` of massage in any 24 hours, this session included;
- one session at a time.

A session that would break either is refused before anything moves, saying when it may start.
A session whose process died (``interrupted``) counts as having run its whole plan: what it
really did is not known. A log that cannot be read (a row another program wrote badly, a table
gone) refuses the session in words: without it the rules cannot be kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chairctl.store.sessions import SessionRecord
from chairctl.store.store import Store
from chairctl.vocabulary import ChairctlError, StoreError
from chairctl.vocabulary.limits import COOLDOWN_MAX_S, DAILY_CAP_S

#: How far back the log is read: the daily cap's window.
_DAY = timedelta(seconds=24 * 3600)


class SessionNotYet(ChairctlError):
    """A person's rest between sessions, or their daily cap, does not allow a session now."""

    def __init__(self, message: str, *, may_start: datetime | None) -> None:
        super().__init__(message)
        #: When a session of the length asked may start (None: not by waiting).
        self.may_start = may_start


@dataclass(frozen=True)
class _Past:
    began: datetime
    ended: datetime
    massage_s: float
    running: bool


def _past(record: SessionRecord) -> _Past:
    massage = record.session_s
    if massage is None:
        # Running, or its process died: its whole plan, as far as anyone knows.
        massage = record.planned_s
    ended = record.ended_at or record.started_at + timedelta(seconds=massage)
    return _Past(record.started_at, ended, massage, record.outcome is None)


def _when(moment: datetime, now: datetime) -> str:
    local, today = moment.astimezone(), now.astimezone()
    clock = local.strftime("%H:%M")
    if local.date() == today.date():
        return f"at {clock}"
    if local.date() == today.date() + timedelta(days=1):
        return f"tomorrow at {clock}"
    return local.strftime("on %d %B at %H:%M")


def check_allowance(
    store: Store, profile_name: str, planned_s: float, now: datetime | None = None
) -> None:
    """Raise :class:`SessionNotYet` when ``profile_name`` may not start a session of
    ``planned_s`` seconds now; it says why and when they may."""
    now = now or datetime.now(UTC)
    try:
        records = store.sessions_of(profile_name, since=now - _DAY)
    except StoreError as error:
        raise StoreError(
            f"{profile_name}'s rest between sessions and daily cap cannot be checked, so the "
            f"session does not start: {error}",
            path=error.path,
        ) from error
    past = [_past(r) for r in records]
    if any(p.running for p in past):
        raise SessionNotYet(
            f"a session for {profile_name} is already running (in another window?); one at a time",
            may_start=None,
        )
    latest = max(past, key=lambda p: p.ended, default=None)
    if latest is not None:
        rest = timedelta(seconds=min(latest.massage_s, COOLDOWN_MAX_S))
        ready = latest.ended + rest
        if now < ready:
            minutes = round(latest.massage_s / 60)
            raise SessionNotYet(
                f"{profile_name} had {minutes} minutes of massage until "
                f"{_when(latest.ended, now)}: the body rests as long between sessions (at most "
                f"{COOLDOWN_MAX_S // 60} minutes). The next session may start "
                f"{_when(ready, now)}.",
                may_start=ready,
            )
    used = sum(p.massage_s for p in past)
    if used + planned_s <= DAILY_CAP_S:
        return
    # The earliest moment enough of the last 24 hours' massage has left the window.
    need = used + planned_s - DAILY_CAP_S
    freed, may_start = 0.0, None
    for session in sorted(past, key=lambda p: p.began):
        freed += session.massage_s
        if freed >= need:
            may_start = session.began + _DAY
            break
    left = max(0.0, DAILY_CAP_S - used)
    when = f" The session may start {_when(may_start, now)}" if may_start else ""
    shorter = f", or a session of at most {int(left // 60)} minutes now" if left >= 300 else ""
    raise SessionNotYet(
        f"{profile_name} has had {round(used / 60)} minutes of massage in the last 24 hours; "
        f"this session's {round(planned_s / 60)} more would pass the cap of "
        f"{DAILY_CAP_S // 60} minutes a day.{when}{shorter}.",
        may_start=may_start,
    )
