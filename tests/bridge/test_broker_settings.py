"""The broker's settings: a URL, options, the environment and a config file, each problem one
message that names the file (and the line) and never repeats a password."""

from __future__ import annotations

from pathlib import Path

import pytest

from chairctl.services.remote.broker import (
    PASSWORD_ENV,
    BrokerError,
    BrokerSettings,
    broker_settings,
    parse_broker_url,
    read_bridge_file,
)

SECRET = "s3cret-pa55"


def private(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_a_url_gives_host_port_credentials_and_prefix() -> None:
    settings = parse_broker_url(f"mqtts://chairctl:{SECRET}@broker.example/chairctl/living-room")
    assert settings == BrokerSettings(
        host="broker.example",
        port=8883,
        tls=True,
        username="chairctl",
        password=SECRET,
        prefix="chairctl/living-room",
    )
    assert SECRET not in repr(settings)
    assert settings.url == "mqtts://chairctl@broker.example:8883"
    assert parse_broker_url("mqtt://[::1]:1884").url == "mqtt://[::1]:1884"
    assert broker_settings().url == "mqtt://localhost:1883"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://broker", "must start with mqtt:// or mqtts://"),
        ("mqtt://", "names no host"),
        ("mqtt://broker:99999", "is not valid"),
        ("mqtt://broker/x?y=1", "may not carry"),
        (f"http://user:{SECRET}@broker", "must start with mqtt://"),
    ],
)
def test_a_bad_url_is_one_message_without_its_password(url: str, said: str) -> None:
    with pytest.raises(BrokerError, match=said) as refused:
        parse_broker_url(url)
    assert SECRET not in str(refused.value)


def test_the_password_comes_from_the_file_then_the_url_then_the_environment(
    tmp_path: Path,
) -> None:
    file = private(tmp_path / "password", "from-file\n")
    env = {PASSWORD_ENV: "from-env"}
    assert broker_settings("mqtt://u@h", environ=env).password == "from-env"
    assert broker_settings("mqtt://u:from-url@h", environ=env).password == "from-url"
    assert (
        broker_settings("mqtt://u:from-url@h", password_file=file, environ=env).password
        == "from-file"
    )


def test_a_password_needs_a_user_name() -> None:
    with pytest.raises(BrokerError, match="needs a user name"):
        broker_settings("mqtt://h", environ={PASSWORD_ENV: SECRET})


def test_a_password_beyond_this_machine_without_tls_is_warned_about() -> None:
    plain = broker_settings("mqtt://u@broker.example", environ={PASSWORD_ENV: SECRET})
    assert plain.warnings() == [
        "the password goes to broker.example unencrypted (mqtt://); use mqtts:// beyond this "
        "machine"
    ]
    assert broker_settings("mqtt://u@localhost", environ={PASSWORD_ENV: SECRET}).warnings() == []


def test_a_ca_file_means_tls_on_its_port(tmp_path: Path) -> None:
    settings = broker_settings("mqtt://broker.example", ca_file=tmp_path / "ca.pem")
    assert (settings.tls, settings.port) == (True, 8883)
    assert broker_settings("mqtt://broker.example:1999", tls=True).port == 1999
    with pytest.raises(BrokerError, match="cannot load the certificate authorities"):
        settings.tls_context()


def test_a_config_file_gives_what_the_options_do_not(tmp_path: Path) -> None:
    path = private(
        tmp_path / "chair.toml",
        f'chair = "/dev/ttyUSB0"\nmodel = "rongtai-rt8600s"\nbroker = "mqtt://broker.lan/home/chair"'
        f'\nusername = "chairctl"\npassword = "{SECRET}"\n',
    )
    config = read_bridge_file(path)
    assert (config.chair, config.model) == ("/dev/ttyUSB0", "rongtai-rt8600s")
    settings = broker_settings(config=config, environ={})
    assert (settings.host, settings.username, settings.password, settings.prefix) == (
        "broker.lan",
        "chairctl",
        SECRET,
        "home/chair",
    )
    # An option wins over the file.
    assert broker_settings("mqtt://other", config=config, environ={}).host == "other"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o606])
def test_a_file_with_a_secret_others_may_read_is_refused(tmp_path: Path, mode: int) -> None:
    path = private(tmp_path / "chair.toml", f'password = "{SECRET}"\n', mode)
    with pytest.raises(BrokerError) as refused:
        read_bridge_file(path)
    said = str(refused.value)
    assert said == (
        f"{path}: the config file may be read or changed by others (mode {mode:04o}); it holds "
        f"a secret: chmod 600 {path}"
    )
    file = private(tmp_path / "password", SECRET, mode)
    with pytest.raises(BrokerError, match="the password file may be read or changed by others"):
        broker_settings("mqtt://u@h", password_file=file)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('broker = "mqtt://h"\nport 1883\n', ":2:6: Expected '=' after a key in a key/value pair"),
        ('broker = "mqtt://h"\nprt = 1883\n', ":2: unknown key 'prt'"),
        ('broker = "mqtt://h"\ntls = "yes"\n', ":2: tls: "),
    ],
)
def test_a_bad_config_file_is_located(tmp_path: Path, text: str, said: str) -> None:
    path = private(tmp_path / "chair.toml", text)
    with pytest.raises(BrokerError) as refused:
        read_bridge_file(path)
    assert str(refused.value).startswith(f"{path}{said}")


def test_a_config_file_that_is_not_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir(mode=0o700)
    with pytest.raises(BrokerError, match="it is a folder"):
        read_bridge_file(tmp_path / "folder")
    with pytest.raises(BrokerError, match="cannot read"):
        read_bridge_file(tmp_path / "missing.toml")
