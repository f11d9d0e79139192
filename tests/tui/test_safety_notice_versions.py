"""The safety notice is acknowledged per person and per version: a change of its wording must
come with a new version (so everyone reads it again), and this test holds us to it."""

from __future__ import annotations

import hashlib

from chairctl.tui.screens.safety_notice import NOTICE_TEXT, NOTICE_VERSION

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
