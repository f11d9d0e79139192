"""The captured Rongtai status frames of ``tests/data/rongtai-status-frames.txt``, each with the
note beside it (the corpus the codec, the stream decoder and ``decode`` are pinned to)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Test data lives in the repository, so the suite runs from a plain clone.
CAPTURE_FILE = Path(__file__).parent / "data" / "rongtai-status-frames.txt"


@dataclass(frozen=True)
class Capture:
    """One captured frame: its hex as written, its bytes and the note beside it."""

    text: str
    frame: bytes
    note: str

    @property
    def decodes(self) -> bool:
        """False for a frame the corpus says chairctl must refuse (``refused=``)."""
        return "refused=" not in self.note


def load_captures() -> list[Capture]:
    """Every captured frame, in file order."""
    captures = []
    for line in CAPTURE_FILE.read_text(encoding="utf-8").splitlines():
        text, _, note = line.partition("#")
        if text.strip():
            captures.append(Capture(text.strip(), bytes.fromhex(text), note.strip()))
    return captures
