"""``chairctl --bridge URL``: the URL and the options beside it are checked before the screen
changes (one line and a non-zero exit for a mistake), and the app opens on the bridge's chair,
the password taken from the environment and never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from chairctl.cli import main
from chairctl.services.chairs import ChairAddress
from chairctl.services.remote.target import BridgeTarget


class Opener:
    """Stands in for the app: records how plain ``chairctl`` would open it."""

    def __init__(self) -> None:
        self.bridges: list[BridgeTarget | None] = []

    def __call__(
        self,
        address: ChairAddress,
        model_id: str | None,
        profile_name: str | None,
        home: Path | None,
        *,
        bridge: BridgeTarget | None = None,
    ) -> None:
        self.bridges.append(bridge)


def run(capsys: pytest.CaptureFixture[str], opener: Opener, *args: str) -> tuple[int, str, str]:
    try:
        main(list(args), open_app=opener)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    else:
        code = 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if on a terminal: plain chairctl opens the app rather than listing the library.
    monkeypatch.setattr("chairctl.cli.app._interactive", lambda: True)


@pytest.mark.usefixtures("on_a_terminal")
def test_the_app_opens_on_the_bridge_the_url_names(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAIRCTL_MQTT_PASSWORD", "s3cret")
    opener = Opener()
    code, _out, err = run(
        capsys,
        opener,
        "--bridge",
        "mqtts://ann@broker.lan/chairctl/living-room",
        "--profile",
        "Ann",
    )
    assert (code, err) == (0, "")
    (bridge,) = opener.bridges
    assert bridge is not None
    assert bridge.topics.prefix == "chairctl/living-room"
    assert (bridge.broker.host, bridge.broker.port, bridge.broker.tls) == ("broker.lan", 8883, True)
    assert (bridge.broker.username, bridge.broker.password) == ("ann", "s3cret")
    assert "s3cret" not in bridge.url


@pytest.mark.usefixtures("on_a_terminal")
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--bridge", "mqtt://localhost"], "names no chair: give the bridge's topic prefix"),
        (["--bridge", "http://localhost/p"], "must start with mqtt:// or mqtts://"),
        (["--bridge", "mqtt://localhost/a/+"], "holds a wildcard"),
        (["--bridge", "mqtt://localhost/p", "--chair", "sim"], "--chair belong to the bridge"),
        (["--bridge", "mqtt://localhost/p", "--home", "x"], "--home belong to the bridge"),
        (["--bridge", "mqtt://localhost/p", "list"], "options before 'list' are the app's"),
    ],
)
def test_a_mistake_is_one_line_and_opens_nothing(
    capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    opener = Opener()
    code, _out, err = run(capsys, opener, *args)
    assert code != 0
    assert said in " ".join(err.split())
    assert "Traceback" not in err
    assert opener.bridges == []


@pytest.mark.usefixtures("on_a_terminal")
def test_a_password_sent_in_the_clear_is_warned_of(capsys: pytest.CaptureFixture[str]) -> None:
    opener = Opener()
    code, _out, err = run(capsys, opener, "--bridge", "mqtt://ann:pw@broker.lan/chairs/one")
    assert code == 0
    assert "warning: the password goes to broker.lan unencrypted" in err
    assert "pw" not in err.replace("password", "")
    assert len(opener.bridges) == 1
