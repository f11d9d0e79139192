"""Where the broker is and how to log in: a URL, options, the environment or a config file,
parsed into one :class:`BrokerSettings`.

``mqtt://[user[:password]@]host[:port][/prefix]``, or ``mqtts://`` for TLS (the system's
certificate authorities, or the one ``ca_file`` names). A password comes from, first to last:
``--password-file``, the URL, ``$CHAIRCTL_MQTT_PASSWORD``, the config file. A config file
(TOML) or a password file holds a secret, so like ssh's keys it is refused while anyone but
its owner may read or write it. Every problem is one message naming the file (and the line,
where there is one), never quoting a secret.
"""

from __future__ import annotations

import os
import re
import ssl
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Final
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chairctl.vocabulary import ChairctlError
from chairctl.vocabulary.files import FileRefused, read_regular_file
from chairctl.vocabulary.text import LineText, printable
from chairctl.yamlsource import field_problems

#: The environment variable a password may come from (kept out of ``ps`` and shell history).
PASSWORD_ENV: Final = "CHAIRCTL_MQTT_PASSWORD"
DEFAULT_URL: Final = "mqtt://localhost"
PORT: Final = 1883
TLS_PORT: Final = 8883
#: A config file is a dozen lines; a password file one.
MAX_CONFIG_BYTES: Final = 64 * 1024
#: Hosts a password may reach without TLS: it never leaves this machine.
_LOCAL: Final = frozenset({"localhost", "127.0.0.1", "::1"})


class BrokerError(ChairctlError):
    """The broker's settings are not usable: a bad URL, a file refused, a missing part."""


@dataclass(frozen=True)
class BrokerSettings:
    """One broker and how to log in to it; :attr:`prefix` is the URL's path, if it had one."""

    host: str
    port: int = PORT
    tls: bool = False
    ca_file: Path | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    prefix: str | None = None

    @property
    def url(self) -> str:
        """The broker as a URL to show: never the password."""
        scheme = "mqtts" if self.tls else "mqtt"
        user = f"{self.username}@" if self.username else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return printable(f"{scheme}://{user}{host}:{self.port}")

    def warnings(self) -> list[str]:
        """What the person should know before the bridge uses these settings."""
        if self.password is not None and not self.tls and self.host not in _LOCAL:
            return [
                f"the password goes to {printable(self.host)} unencrypted (mqtt://); use "
                "mqtts:// beyond this machine"
            ]
        return []

    def tls_context(self) -> ssl.SSLContext | None:
        """The TLS context to connect with (None without TLS): the system's authorities, or
        :attr:`ca_file`'s."""
        if not self.tls:
            return None
        try:
            return ssl.create_default_context(
                cafile=str(self.ca_file) if self.ca_file is not None else None
            )
        except (OSError, ssl.SSLError) as error:
            where = printable(str(self.ca_file)) if self.ca_file is not None else "the system"
            raise BrokerError(
                f"{where}: cannot load the certificate authorities for TLS "
                f"({printable(getattr(error, 'strerror', None) or str(error))})"
            ) from None


def parse_broker_url(text: str) -> BrokerSettings:
    """``mqtt://[user[:password]@]host[:port][/prefix]`` or ``mqtts://...``."""
    shown = _without_password(text)
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError as error:
        raise BrokerError(f"the broker URL '{shown}' is not valid: {error}") from None
    if parts.scheme not in ("mqtt", "mqtts"):
        raise BrokerError(
            f"the broker URL '{shown}' must start with mqtt:// or mqtts:// (TLS), like "
            "mqtt://localhost or mqtts://broker.example:8883"
        )
    if not parts.hostname:
        raise BrokerError(f"the broker URL '{shown}' names no host")
    if parts.query or parts.fragment:
        raise BrokerError(f"the broker URL '{shown}' may not carry ? or # parts")
    tls = parts.scheme == "mqtts"
    prefix = unquote(parts.path).strip("/") or None
    return BrokerSettings(
        host=parts.hostname,
        port=port if port is not None else (TLS_PORT if tls else PORT),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        prefix=prefix,
    )


def _without_password(text: str) -> str:
    # A URL that fails to parse may still hold a password: it is never repeated.
    return printable(re.sub(r"(//[^/@:]*):[^/@]*@", r"\1:***@", text.strip()))


# -- the config file ----------------------------------------------------------------------------

Text = Annotated[LineText, Field(min_length=1, max_length=500)]


class BridgeFile(BaseModel):
    """A bridge's config file (TOML): its chair and its broker. Options given on the command
    line win over it."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    chair: Text | None = Field(None, description="The chair's address, as --chair takes it.")
    model: Text | None = Field(None, description="The chair's model, as --model takes it.")
    home: Text | None = Field(None, description="The folder of the local database.")
    broker: Text | None = Field(None, description="The broker's URL.")
    prefix: Text | None = Field(None, description="The chair's topic prefix.")
    username: Text | None = None
    password: Text | None = None
    password_file: Text | None = None
    tls: bool | None = None
    ca_file: Text | None = None


def _private(path: Path, what: str) -> None:
    """Refuse a file holding a secret that anyone but its owner may read or write."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise BrokerError(
            f"{printable(str(path))}: cannot read: {error.strerror or 'not readable'}"
        ) from None
    if stat.S_ISREG(mode) and mode & 0o077:
        raise BrokerError(
            f"{printable(str(path))}: the {what} may be read or changed by others "
            f"(mode {stat.S_IMODE(mode):04o}); it holds a secret: chmod 600 {printable(str(path))}"
        )


def _read_private(path: Path, what: str) -> str:
    _private(path, what)
    try:
        raw = read_regular_file(path, max_bytes=MAX_CONFIG_BYTES, what=what)
        return raw.decode("utf-8")
    except FileRefused as error:
        raise BrokerError(f"{printable(str(path))}: {error}") from None
    except UnicodeDecodeError:
        raise BrokerError(f"{printable(str(path))}: the {what} is not UTF-8 text") from None


_TOML_PLACE: Final = re.compile(
    r"^(?P<message>.*?) ?\(at line (?P<line>\d+), column (?P<col>\d+)\)$"
)


def read_bridge_file(path: Path) -> BridgeFile:
    """The config file at ``path``: private to its owner, TOML, known keys only."""
    text = _read_private(path, "config file")
    where = printable(str(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        said = str(error)
        found = _TOML_PLACE.match(said)
        if found is not None:
            line, col, said = found["line"], found["col"], found["message"]
            raise BrokerError(f"{where}:{line}:{col}: {said}") from None
        raise BrokerError(f"{where}: not valid TOML: {said}") from None
    try:
        return BridgeFile.model_validate(data)
    except ValidationError as error:
        lines = []
        for problem, detail in zip(field_problems(error), error.errors(), strict=True):
            key = next((str(p) for p in detail["loc"] if isinstance(p, str)), "")
            line = _line_of(text, key)
            lines.append(f"{where}:{line}: {problem}" if line else f"{where}: {problem}")
        raise BrokerError("\n".join(lines)) from None


def _line_of(text: str, key: str) -> int | None:
    """The line a top-level key is set on, for the message about it."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def read_password_file(path: Path) -> str:
    """The password in ``path``'s first line (private to its owner)."""
    lines = _read_private(path, "password file").splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise BrokerError(f"{printable(str(path))}: the password file is empty")
    return password


# -- putting it together ------------------------------------------------------------------------


def broker_settings(
    url: str | None = None,
    *,
    username: str | None = None,
    password_file: Path | None = None,
    tls: bool | None = None,
    ca_file: Path | None = None,
    config: BridgeFile | None = None,
    environ: Mapping[str, str] = os.environ,
) -> BrokerSettings:
    """The broker from the options (which win), the environment and the config file."""
    config = config or BridgeFile()
    base = parse_broker_url(url or config.broker or DEFAULT_URL)
    user = username or base.username or config.username
    if password_file is not None:
        password: str | None = read_password_file(password_file)
    elif base.password is not None:
        password = base.password
    elif environ.get(PASSWORD_ENV):
        password = environ[PASSWORD_ENV]
    elif config.password_file is not None:
        password = read_password_file(Path(config.password_file))
    else:
        password = config.password
    if password is not None and not user:
        raise BrokerError("a broker password needs a user name: --username, or user@ in the URL")
    ca = ca_file or (Path(config.ca_file) if config.ca_file else None)
    if tls is None:
        tls = config.tls
    secure = base.tls or bool(tls) or ca is not None
    if tls is False and base.tls:
        raise BrokerError("--no-tls contradicts the broker URL's mqtts://")
    port = base.port
    if secure and not base.tls and url_port(url or config.broker) is None:
        port = TLS_PORT
    return BrokerSettings(
        host=base.host,
        port=port,
        tls=secure,
        ca_file=ca,
        username=user,
        password=password,
        prefix=base.prefix,
    )


def url_port(url: str | None) -> int | None:
    """The port a broker URL names itself, None when it leaves it to the scheme."""
    if not url:
        return None
    try:
        return urlsplit(url.strip()).port
    except ValueError:
        return None
