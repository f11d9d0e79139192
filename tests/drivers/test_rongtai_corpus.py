"""Decode reads every frame in the project's own real-frame corpus as its source says.

The corpus (``tests/data/rongtai-status-frames.txt``) holds every status frame of
dallanwagz/hass-infinity-chair ``tests/test_protocol.py``, frames captured from a real
Infinity (RT8600S) chair, each with what that source says it means, written as ChairStatus
fields. Each frame is decoded with the shipped RT8600S model and checked field by field; a
frame the corpus marks ``refused=`` must be refused for that reason, and its fields still read
as the source says once the checksum is set aside.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chairctl.vocabulary import ChairStatus, ProtocolError
from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai import StatusCodes, decode_fields, decode_status, rongtai_detail

CORPUS = Path(__file__).parents[1] / "data" / "rongtai-status-frames.txt"


@dataclass(frozen=True)
class Entry:
    """One corpus line: the frame, the source's words and the fields they name."""

    frame: bytes
    says: str
    fields: dict[str, str]

    @property
    def refused(self) -> str | None:
        return self.fields.get("refused")


def _entries() -> list[Entry]:
    entries = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        text, _, note = line.partition("#")
        if not text.strip():
            continue
        says, bar, meaning = note.rpartition(" | ")
        assert bar, f"no ' | ' meaning beside {text.strip()}"
        fields = {}
        for item in meaning.split(";"):
            name, eq, value = item.strip().partition("=")
            assert eq, f"'{item}' is not name=value ({text.strip()})"
            fields[name] = value
        entries.append(Entry(bytes.fromhex(text), says.strip(), fields))
    return entries


ENTRIES = _entries()


def _shown(value: Any) -> str:
    """A decoded field in the corpus's spelling."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, frozenset):
        return "+".join(sorted(str(zone.value) for zone in value))
    return str(value)


def _wanted(name: str, value: str) -> str:
    # Zones may be written in any order.
    return "+".join(sorted(value.split("+"))) if name.startswith("airbag") else value


@pytest.fixture(scope="module")
def model() -> RongtaiModel:
    found = get_model_as("rongtai-rt8600s", RongtaiModel)
    assert isinstance(found, RongtaiModel)
    return found


def test_the_corpus_holds_every_real_frame_of_the_source() -> None:
    # 34 distinct status frames in the source's tests; all 17 bytes, one chair.
    frames = [entry.frame for entry in ENTRIES]
    assert len(frames) == len(set(frames)) == 34
    assert all(len(frame) == 17 for frame in frames)
    assert all(entry.fields for entry in ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.frame.hex()[2:30])
def test_decode_reads_every_frame_of_the_corpus_as_its_source_says(
    entry: Entry, model: RongtaiModel
) -> None:
    if entry.refused is not None:
        with pytest.raises(ProtocolError, match=entry.refused):
            decode_status(entry.frame, model)
        status: ChairStatus = decode_fields(entry.frame[1:15], StatusCodes.of(model))
    else:
        status = decode_status(entry.frame, model)
    for name, value in entry.fields.items():
        if name == "refused":
            continue
        assert _shown(getattr(status, name)) == _wanted(name, value), (
            f"{name} of {entry.frame.hex(' ')} ({entry.says})"
        )


def test_the_3d_capture_shows_its_3d_program_and_strength(model: RongtaiModel) -> None:
    # The capture test_parse_3d_program calls "3D": b13 0x2d is 0x0B << 2 (firmware's 3D main
    # mode, program 11) and b14 0x0d is strength 5 (bits 0-2) in 3D program 1 (bits 3-5),
    # as the RT6923 Main_Send writes it.
    (entry,) = [e for e in ENTRIES if e.fields.get("program") == "3d"]
    status = decode_status(entry.frame, model)
    assert (status.program_code, rongtai_detail(status).mode_3d, status.intensity) == (11, 1, 5)


def test_a_chair_following_the_ios_app_s_table_reads_12_as_3d(model: RongtaiModel) -> None:
    # The vendor's iOS app (RTBleConnector.m parseByteOfAddress13): 8..11 are downloaded
    # programs 1..4, 12 is 3D. A model may say its chair follows that older table.
    older = model.model_copy(
        update={"protocol": model.protocol.model_copy(update={"status_map": "ios-app"})}
    )
    (entry,) = [e for e in ENTRIES if e.fields.get("program") == "3d"]
    assert decode_status(entry.frame, older).program == "network 4"
    fields = bytearray(entry.frame[1:15])
    fields[12] = 12 << 2
    assert decode_fields(bytes(fields), StatusCodes.of(older)).program == "3d"
    assert decode_fields(bytes(fields), StatusCodes.of(model)).program == "program 12"
