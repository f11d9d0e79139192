"""The safety notice is acknowledged per person and per version: a change of its wording must
come with a new version (so everyone reads it again), and this test holds us to it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from chairctl.clock import VirtualClock
from chairctl.safety.profile import HealthScreening, Profile
from chairctl.store import Store, database_path
from chairctl.tui.screens.library import LibraryScreen
from chairctl.tui.screens.safety_notice import (
    NOTICE,
    NOTICE_TEXT,
    NOTICE_VERSION,
    SafetyNoticeScreen,
)
from tests.tui.apphelpers import SIZE, advance, make_app

#: Each version's text, by the start of its SHA-256. Changing the text: bump NOTICE_VERSION
#: and add its hash here.
TEXT_OF_VERSION = {
    1: "963807013d0a32f4",
    2: "a7cf74d1c55b268c",  # + cancer in bone, clot symptoms, wounds, spine surgery, ...
}


def test_the_notice_text_is_the_one_its_version_names() -> None:
    digest = hashlib.sha256(NOTICE_TEXT.encode()).hexdigest()[:16]
    assert TEXT_OF_VERSION.get(NOTICE_VERSION) == digest, (
        "the safety notice changed: bump NOTICE_VERSION and record its hash here"
    )
    assert list(TEXT_OF_VERSION.values()).count(digest) == 1


def test_the_notice_names_the_conditions_the_screening_refuses() -> None:
    text = " ".join(NOTICE_TEXT.split()).lower()
    for words in (
        "fracture of the spine",
        "spread to the bones",
        "swollen, painful and warm",
        "irradiated skin",
        "operation on your spine",
        "stop it yourself",
    ):
        assert words in text.replace("**", "")


async def test_someone_who_read_an_older_notice_reads_it_again(tmp_path: Path) -> None:
    ann = Profile(name="Ann", health=HealthScreening(age=40, first_use=False))
    with Store.open(database_path(tmp_path)) as store:
        store.put_profile(ann.name, ann.model_dump_json())
        store.acknowledge(ann.name, NOTICE, NOTICE_VERSION - 1)
    clock = VirtualClock()
    app = make_app(tmp_path, clock, profile_name="Ann")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        assert isinstance(app.screen, SafetyNoticeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    with Store.open(database_path(tmp_path)) as store:
        assert store.acknowledged("Ann", NOTICE) == NOTICE_VERSION
