"""Is the process that began a session still running? Linux-exact, portable-approximate.

A pid alone is not an identity: pids are reused, and a pid from before a reboot may belong to
anything now. So a session records its pid together with the boot id and the process start
time (``/proc/<pid>/stat``, field 22), and is alive only while that same process is.
"""

from __future__ import annotations

import os
from pathlib import Path

_PROC = Path("/proc")

# The fields of /proc/<pid>/stat after the parenthesised command name start at field 3.
_STATE_FIELD = 3
_STARTTIME_FIELD = 22


def _boot_id() -> str:
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (_PROC / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    # The command name may hold spaces and parentheses; it ends at the last ")".
    return text[text.rfind(")") + 1 :].split()


def process_identity(pid: int) -> str:
    """A text that names this process for as long as it lives: boot id and start time.

    Empty where ``/proc`` is not available; liveness then falls back to the pid alone.
    """
    fields = _stat_fields(pid)
    if fields is None:
        return ""
    return f"{_boot_id()}:{fields[_STARTTIME_FIELD - _STATE_FIELD]}"


def is_alive(pid: int, identity: str) -> bool:
    """True while the process recorded as ``pid`` with ``identity`` still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists, and /proc still tells whose it is
    if not identity:
        return True
    fields = _stat_fields(pid)
    if fields is None:
        return not _PROC.is_dir()
    # A killed process that its parent has not reaped yet is a zombie: it answers kill(0)
    # but will never write again.
    if fields[0] == "Z":
        return False
    return process_identity(pid) == identity
