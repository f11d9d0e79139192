"""A rest between sessions and a daily cap per person, read from the real session log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chairctl.engine import Finished, SessionStarted, Stopped
from chairctl.engine.events import Outcome
from chairctl.safety.profile import HealthScreening, Profile
from chairctl.store import SessionNotYet, Store, check_allowance
from chairctl.vocabulary.limits import COOLDOWN_MAX_S, DAILY_CAP_S


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "chairctl.db") as opened:
        for name in ("Ann", "Bo"):
            profile = Profile(name=name, health=HealthScreening(age=40))
            opened.put_profile(name, profile.model_dump_json())
        yield opened


def log_session(store: Store, name: str, minutes: float, *, ended: bool = True) -> None:
    """A session of ``minutes`` of massage for ``name``, logged as the engine would."""
    log = store.begin_session("p", "P", name, "the simulated chair", minutes * 60)
    log.on_event(SessionStarted(0.0, "p", "P", minutes * 60))
    if ended:
        log.on_event(Finished(minutes * 60, chair_safe=True))


def test_the_first_session_is_allowed(store: Store) -> None:
    check_allowance(store, "Ann", 15 * 60)


def test_after_a_session_the_body_rests_as_long_as_it_was_massaged(store: Store) -> None:
    log_session(store, "Ann", 12)
    now = datetime.now(UTC)
    with pytest.raises(SessionNotYet, match="rests as long between sessions") as refused:
        check_allowance(store, "Ann", 10 * 60, now)
    # It says when: the session's end plus its 12 minutes.
    assert refused.value.may_start is not None
    assert refused.value.may_start - now == pytest.approx(
        timedelta(minutes=12), abs=timedelta(seconds=5)
    )
    check_allowance(store, "Ann", 10 * 60, now + timedelta(minutes=13))
    # Someone else's session is no reason to wait.
    check_allowance(store, "Bo", 10 * 60, now)


def test_the_rest_is_at_most_the_cooldown_cap(store: Store) -> None:
    log_session(store, "Ann", 30)
    now = datetime.now(UTC)
    with pytest.raises(SessionNotYet):
        check_allowance(store, "Ann", 60, now + timedelta(seconds=COOLDOWN_MAX_S - 60))
    check_allowance(store, "Ann", 60, now + timedelta(seconds=COOLDOWN_MAX_S + 60))


def test_the_daily_cap_counts_the_last_24_hours_and_says_when(store: Store) -> None:
    log_session(store, "Ann", 30)
    log_session(store, "Ann", 25)
    later = datetime.now(UTC) + timedelta(hours=2)
    with pytest.raises(SessionNotYet, match="cap of 60 minutes a day") as refused:
        check_allowance(store, "Ann", 15 * 60, later)
    # The first session leaves the window 24 hours after it began.
    assert refused.value.may_start is not None
    assert refused.value.may_start - later > timedelta(hours=21)
    # Five minutes still fit.
    assert "a session of at most 5 minutes now" in str(refused.value)
    check_allowance(store, "Ann", (DAILY_CAP_S - 55 * 60), later)


def test_one_session_at_a_time_per_person(store: Store) -> None:
    log_session(store, "Ann", 10, ended=False)
    with pytest.raises(SessionNotYet, match="already running"):
        check_allowance(store, "Ann", 60)


def test_a_stopped_session_counts_what_it_massaged(store: Store) -> None:
    log = store.begin_session("p", "P", "Ann", "sim", 20 * 60)
    log.on_event(SessionStarted(0.0, "p", "P", 20 * 60))
    log.on_event(Stopped(60.0, "stopped by the user", Outcome.STOPPED, chair_safe=True))
    now = datetime.now(UTC)
    # One minute of massage: one minute's rest.
    with pytest.raises(SessionNotYet):
        check_allowance(store, "Ann", 60, now)
    check_allowance(store, "Ann", 60, now + timedelta(seconds=70))
